"""Autograde workers share one sqlite gradebook (write-ahead log). Two transactions at once must both
succeed: ``course.instructor.speedups.concurrent_sqlite`` makes every worker transaction
``BEGIN IMMEDIATE`` (take the write lock first, wait up to 60 s for it). With SQLite's default
deferred transactions, a transaction that has read and then tries to write after another
connection committed fails *at once* with "database is locked" (SQLITE_BUSY_SNAPSHOT: waiting could
not help) — which cost a student their grade in a clean CI run when two freshly forked workers
started together."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time


def test_a_deferred_transaction_fails_at_once_after_another_commit(tmp_path):
    """The SQLite behaviour the fix exists for (no busy wait helps a stale snapshot)."""
    path = tmp_path / "g.db"
    a = sqlite3.connect(path, isolation_level=None, timeout=30)
    a.execute("PRAGMA journal_mode=WAL")
    a.execute("create table grade (student text)")
    b = sqlite3.connect(path, isolation_level=None, timeout=30)
    b.execute("begin")                                   # deferred, as by default
    b.execute("select count(*) from grade").fetchall()   # B's snapshot
    a.execute("insert into grade values ('ana')")        # A writes and commits meanwhile
    start = time.monotonic()
    try:
        b.execute("insert into grade values ('ben')")
        raise AssertionError("expected 'database is locked'")
    except sqlite3.OperationalError as err:
        assert "locked" in str(err)
    assert time.monotonic() - start < 5, "it failed at once, not after the 30 s busy timeout"


SCENARIO = textwrap.dedent('''
    import sys, threading, time
    import sqlalchemy as sa
    from course.instructor import speedups
    speedups.concurrent_sqlite()
    url = "sqlite:///" + sys.argv[1]
    order = []
    with sa.create_engine(url).begin() as c:
        c.exec_driver_sql("PRAGMA journal_mode=WAL")
        c.exec_driver_sql("create table grade (student text)")

    def worker(name, pause):
        engine = sa.create_engine(url)
        with engine.begin() as c:
            order.append(name + " began")
            c.exec_driver_sql("select count(*) from grade").fetchall()   # read first, as nbgrader does
            time.sleep(pause)
            c.exec_driver_sql("insert into grade values (?)", (name,))
        order.append(name + " committed")

    a = threading.Thread(target=worker, args=("ana", 0.6))
    b = threading.Thread(target=worker, args=("ben", 0.0))
    a.start(); time.sleep(0.2); b.start(); a.join(); b.join()
    with sa.create_engine(url).connect() as c:
        rows = sorted(r[0] for r in c.exec_driver_sql("select student from grade"))
    print(rows, order)
''')


def test_worker_transactions_begin_immediate_and_wait(tmp_path):
    proc = subprocess.run([sys.executable, "-c", SCENARIO, str(tmp_path / "g.db")], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # ben's transaction waited at BEGIN IMMEDIATE until ana committed; both grades are kept
    assert proc.stdout.strip() == "['ana', 'ben'] ['ana began', 'ana committed', 'ben began', 'ben committed']", proc.stdout
