"""Cut nbgrader's own cost per submission in the autograde workers (same scores, less work).

Profiling ``NbGraderAPI.autograde`` on one submission of a course assignment (cProfile in a
worker, ``benchmarks/autograde.py --profile``) showed where nbgrader spends its time on top of the
kernel:

* **JSON-schema checks of cell metadata** — nbgrader's metadata validator calls
  ``jsonschema.validate`` for every nbgrader cell, several times per submission (reading,
  writing, ``CheckCellMetadata`` twice), and ``jsonschema.validate`` re-checks the *schema* and
  builds a new validator on each call. :func:`cache_metadata_validator` validates with one
  compiled validator per schema (same errors raised). nbformat's own notebook validation uses
  ``fastjsonschema`` (``NBFORMAT_VALIDATOR``), which gives the same verdicts much faster.
* **sqlite commits** — about 35 per submission, each an fsync with the default rollback journal.
  :func:`fast_sqlite` switches the gradebook to write-ahead logging with ``synchronous=NORMAL``
  (durable across process crashes; only a power cut can lose the last commits, which re-grading
  redoes), which also lets the parallel workers read while one writes.
* **waiting for a graceful kernel shutdown** — nbclient asks the kernel to shut down and polls
  until it exits; a grading kernel holds nothing worth a graceful exit, so the worker stops it
  at once (``Execute.shutdown_kernel = "immediate"``).

Applied by ``course.instructor.worker`` only: a plain ``nbgrader autograde`` runs unchanged.

Not a speed-up but a condition of running workers side by side, applied by every worker whatever
``COURSE_AUTOGRADE_SPEEDUPS`` says: :func:`concurrent_sqlite`. SQLite's default (deferred)
transactions let two workers each read and then both try to write; the second gets "database is
locked" at once, without waiting, because waiting could never succeed (a clean CI run lost one
student's grade that way when two freshly forked workers started together). Every transaction of
a worker therefore starts with ``BEGIN IMMEDIATE`` (it takes the write lock first and *waits* for
it, up to 60 s), and ``busy_timeout`` is 60 s.
"""

from __future__ import annotations

import json
import os


def cache_metadata_validator() -> None:
    import jsonschema

    from nbgrader.nbgraderformat import common

    cache: dict[str, object] = {}

    class _Cached:
        ValidationError = jsonschema.ValidationError

        @staticmethod
        def validate(instance, schema, *args, **kwargs):
            key = json.dumps(schema, sort_keys=True)
            validator = cache.get(key)
            if validator is None:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                validator = cache[key] = cls(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
            if error is not None:
                raise error

        def __getattr__(self, name):
            return getattr(jsonschema, name)

    common.jsonschema = _Cached()


def fast_sqlite() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection, connection_record):  # noqa: ARG001
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()


def concurrent_sqlite() -> None:
    """Every transaction on a sqlite gradebook takes the write lock up front and waits for it."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _no_implicit_transactions(dbapi_connection, connection_record):  # noqa: ARG001
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            dbapi_connection.isolation_level = None       # SQLAlchemy's "begin" below opens them
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

    @event.listens_for(Engine, "begin")
    def _begin_immediate(conn):
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def apply(config=None) -> None:
    """Install every cut (call once, in the worker, before grading)."""
    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
    cache_metadata_validator()
    fast_sqlite()
    if config is not None:
        config.Execute.shutdown_kernel = "immediate"
