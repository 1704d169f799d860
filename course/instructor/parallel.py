"""Validate a batch of submissions and autograde it in parallel with nbgrader's own API.

Each student is graded by nbgrader's ``NbGraderAPI.autograde`` (so the scores are exactly
nbgrader's) in one of N worker processes, forked from one process that imported nbgrader once
(:mod:`course.instructor.worker`). Workers run under resource limits (address space and file
size, inherited by the kernel), a per-cell timeout (``Execute.timeout``) and a wall-clock limit per
student; a worker that dies or overruns is killed with its kernels and replaced. The workers share
the sqlite gradebook in write-ahead-log mode; each worker's transactions begin IMMEDIATE and
wait up to 60 s for the lock (``speedups.concurrent_sqlite``), and nbgrader's writes are short, so
concurrent students never lose a write.

Before grading, every submission folder is checked (a notebook with the expected name, UTF-8,
valid JSON, a readable notebook); a rejected submission is recorded in the gradebook with score 0
and a reason, so the gradebook holds every student. After grading, each student's outcome is
explained in ``reports/<assignment>/autograde-report.{csv,json}``.
"""

from __future__ import annotations

import csv
import json
import os
import queue
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course.instructor.coursedir import Course
from course.instructor.gradebook import open_gradebook, record_zero, scores
from course.instructor.integrity import Integrity
from course.instructor.submissions import submission_warnings, validate_submission

__all__ = ["Course", "Outcome", "autograde_batch", "record_zero", "scores", "validate_submission", "write_report"]


@dataclass
class Outcome:
    """What happened to one student's submission."""

    student: str
    status: str = "pending"       # graded | graded_with_warnings | rejected | failed | timeout
    reasons: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    returncode: int | None = None
    log: str = ""


# --------------------------------------------------------------------------------- progress
class Progress:
    """A one-line text progress bar on stderr (tqdm is not a dependency)."""

    def __init__(self, total: int, label: str, enabled: bool = True, width: int = 28) -> None:
        self.total, self.label, self.enabled, self.width = total, label, enabled, width
        self.done = 0
        self.start = time.monotonic()
        self._lock = threading.Lock()
        self._draw("")

    def _draw(self, note: str) -> None:
        if not self.enabled:
            return
        frac = self.done / self.total if self.total else 1.0
        bar = "#" * int(frac * self.width) + "." * (self.width - int(frac * self.width))
        elapsed = time.monotonic() - self.start
        end = "\n" if self.done >= self.total else ""
        sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {elapsed:5.1f}s {note[:40]:<40}{end}")
        sys.stderr.flush()

    def step(self, note: str = "") -> None:
        with self._lock:
            self.done += 1
            self._draw(note)


# --------------------------------------------------------------------------------- diagnosis
def _kill_tree(pid: int) -> None:
    try:
        import psutil
    except ImportError:  # pragma: no cover
        return
    try:
        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


def _children(pid: int) -> list[int]:
    try:
        import psutil

        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except Exception:  # noqa: BLE001
        return []


def _output_warnings(path: Path, cell_timeout: int | None, mem_mb: int) -> list[str]:
    """Timeouts, memory errors, sandbox violations, exits and truncation in an autograded notebook."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001
        return [f"autograded notebook unreadable: {err}"]
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id") or f"#{i}"
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                ename, evalue = o.get("ename", ""), str(o.get("evalue", ""))
                if ename == "CellSkipped":          # course.instructor.execute: crash recovery
                    out.append(f"cell {gid} {evalue}")
                elif ename == "CellTimeoutError":
                    out.append(f"cell {gid} timed out ({cell_timeout or 'configured'} s per cell; infinite loop?)")
                elif ename == "MemoryError":
                    out.append(f"cell {gid} ran out of memory (limit {mem_mb} MB)")
                elif ename == "SystemExit":
                    out.append(f"cell {gid} called sys.exit(); the kernel carried on")
                elif ename == "KeyboardInterrupt":
                    out.append(f"cell {gid} was interrupted (timeout)")
            if o.output_type == "stream" and "Output truncated" in o.get("text", ""):
                out.append(f"output of cell {gid} was truncated (very large output)")
    return list(dict.fromkeys(out))


def _log_reason(log: str) -> str:
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log.lower():
        return ("the kernel died while executing the notebook (os._exit, a crash, a signal or the memory "
                "limit); nbgrader cannot grade a notebook whose kernel dies, so its autograded items score "
                "0 — look at the submission and grade by hand or ask for a resubmission")
    if "UnresponsiveKernelError" in log or "became unresponsive" in log:
        return "the kernel became unresponsive and could not be interrupted; items score 0"
    if "File size limit" in log or "SIGXFSZ" in log:
        return "the notebook wrote a file larger than the file-size limit"
    errors = [ln for ln in log.splitlines() if "ERROR" in ln or "Error" in ln]
    return "nbgrader failed: " + (errors[-1].strip()[:300] if errors else "see the log")


class _Zygote:
    """One ``course.instructor.worker --zygote`` process under resource limits: it imports nbgrader
    once and forks the batch's workers, which connect back on a Unix socket in a private folder."""

    def __init__(self, course: Course, cell_timeout: int | None, memory_mb: int, fsize_mb: int,
                 logdir: Path) -> None:
        self._dir = tempfile.mkdtemp(prefix="autograde-workers-")       # mode 0700: the instructor's only
        self.address = os.path.join(self._dir, "workers.sock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.address)
        self.listener.listen(16)
        self.stderr_path = logdir / "workers.stderr"
        args = [sys.executable, "-m", "course.instructor._limits", str(memory_mb), str(fsize_mb), "--",
                sys.executable, "-m", "course.instructor.worker", str(course.root),
                str(int(cell_timeout)) if cell_timeout else "-", "--zygote", self.address]
        self._err = open(self.stderr_path, "a", encoding="utf-8")
        env = course.env()
        env["COURSE_KERNEL_MEMORY_MB"] = str(memory_mb)   # the sandboxed kernel's own limit
        self.proc = subprocess.Popen(args, cwd=course.root, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._err, text=True,
                                     start_new_session=True)
        self._lock = threading.Lock()
        ready, _, _ = select.select([self.proc.stdout], [], [], 180)
        line = self.proc.stdout.readline() if ready else ""
        if '"ready"' not in line:
            self.close()
            raise RuntimeError(f"autograde workers did not start: {self.stderr_tail()}")

    def stderr_tail(self) -> str:
        self._err.flush()
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""

    def spawn(self, number: int, stderr_path: Path) -> tuple[socket.socket, Any, int]:
        """Fork worker ``number``; return its connection, a line stream on it and its pid."""
        with self._lock:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the autograde zygote exited: {self.stderr_tail()}")
            self.proc.stdin.write(json.dumps({"spawn": number, "stderr": str(stderr_path)}) + "\n")
            self.proc.stdin.flush()
            self.listener.settimeout(120)
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                raise RuntimeError(f"autograde worker {number} did not start: {self.stderr_tail()}") from None
        conn.settimeout(120)
        stream = conn.makefile("rw", encoding="utf-8", newline="\n")
        hello = json.loads(stream.readline() or "{}")
        conn.settimeout(None)
        if "pid" not in hello:
            conn.close()
            raise RuntimeError(f"autograde worker {number} did not say hello")
        return conn, stream, int(hello["pid"])

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        _kill_tree(self.proc.pid)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.listener.close()
        self._err.close()
        shutil.rmtree(self._dir, ignore_errors=True)


class _Worker:
    """One worker forked by the batch's :class:`_Zygote` (its own session, stderr file and limits)."""

    def __init__(self, zygote: _Zygote, number: int, logdir: Path) -> None:
        self.stderr_path = logdir / f"worker-{number}.stderr"
        self.conn, self.stream, self.pid = zygote.spawn(number, self.stderr_path)
        self.replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.stream:
                self.replies.put(line)
        except (OSError, ValueError):
            pass
        self.replies.put(None)

    def _get(self, timeout: float):
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty:
            return "timeout"
        if line is None:
            return "died"
        return json.loads(line)

    def grade(self, assignment: str, student: str, timeout: float):
        try:
            self.stream.write(json.dumps({"assignment": assignment, "student": student}) + "\n")
            self.stream.flush()
        except (BrokenPipeError, OSError, ValueError):
            return "died"
        return self._get(timeout)

    def stderr_tail(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""

    def reap_kernels(self) -> None:
        for pid in _children(self.pid):
            _kill_tree(pid)

    def kill(self) -> None:
        _kill_tree(self.pid)
        try:
            self.conn.close()
        except OSError:
            pass

    def close(self) -> None:
        """Hang up (the worker ends its loop and exits); kill it if it has not gone within 30 s."""
        try:
            self.stream.flush()
            self.conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(self.pid):
            time.sleep(0.05)
        self.kill()


def _alive(pid: int) -> bool:
    try:
        import psutil

        return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except Exception:  # noqa: BLE001
        return False


# --------------------------------------------------------------------------------- main entry
def default_workers() -> int:
    """Worker processes for a batch: one more than the usable cores, at most 8.

    A submission spends part of its wall time waiting (a sandboxed kernel starting, cells replying),
    so one worker per core leaves the cores idle; each extra worker also costs ~2.6 s of CPU to
    import nbgrader. Measured on 2 cores, 48 submissions of a06, interleaved in one quiet run
    (benchmarks/results.md): 2 workers 48.7 s, 3 workers 43.3 s, 4 workers 44.3 s.
    """
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    return max(2, min(8, usable + 1))


def _write_ahead_log(db_path: Path) -> None:
    """Switch the gradebook to write-ahead logging once, before any worker opens it (the switch needs
    the database to itself; workers that all asked for it at once would trip over each other)."""
    import sqlite3

    if db_path.exists():
        db = sqlite3.connect(db_path, timeout=60)
        try:
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()


def autograde_batch(course: Course, assignment: str, students: Iterable[str] | None = None, *,
                    workers: int | None = None, cell_timeout: int | None = None,
                    student_timeout: float = 900, memory_mb: int = 4096, fsize_mb: int = 512,
                    progress: bool = True, on_outcome: Callable[[Outcome], None] | None = None
                    ) -> list[Outcome]:
    """Validate and autograde every submission of ``assignment``; return one outcome per student."""
    submitted = course.root / "submitted"
    if students is None:
        students = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    students = list(students)
    workers = max(1, workers or default_workers())
    with open_gradebook(course) as gb:
        names = {a.name for a in gb.assignments}
    if assignment not in names:
        raise RuntimeError(f"assignment {assignment!r} is not in the gradebook: run "
                           f"`course-instructor generate {assignment}` first")

    _write_ahead_log(course.root / "gradebook.db")
    outcomes: dict[str, Outcome] = {}
    to_grade = []
    for s in students:
        folder = submitted / s / assignment
        reasons = validate_submission(folder, assignment)
        if reasons:
            outcomes[s] = Outcome(s, "rejected", reasons)
            stale = course.root / "autograded" / s / assignment
            if stale.exists():
                shutil.rmtree(stale)
            record_zero(course, assignment, s, reasons[0])
        else:
            to_grade.append(s)

    logdir = course.root / "reports" / assignment / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    integrity = Integrity(course.root, students)
    integrity_problems: list[str] = []
    bar = Progress(len(students), f"autograde {assignment}", enabled=progress)
    for s, o in outcomes.items():
        bar.step(f"{s}: rejected")

    todo: queue.Queue[str] = queue.Queue()
    for s in to_grade:
        todo.put(s)
    lock = threading.Lock()

    def finish(out: Outcome, log_text: str) -> None:
        log_path = logdir / f"{out.student}.log"
        log_path.write_text(log_text, encoding="utf-8", errors="replace")
        out.log = str(log_path.relative_to(course.root))
        if out.status == "pending":
            nb_path = course.autograded_notebook(out.student, assignment)
            if out.returncode == 0 and nb_path.exists():
                out.reasons += _output_warnings(nb_path, cell_timeout, memory_mb)
                out.status = "graded_with_warnings" if out.reasons else "graded"
            else:
                out.status = "failed"
                out.reasons.append(_log_reason(log_text))
        out.reasons += submission_warnings(course, assignment, out.student)
        with lock:
            problems = integrity.student_done(out.student)
            new = [p for p in problems if p not in integrity_problems]
            integrity_problems.extend(new)
            out.reasons += [f"INTEGRITY: {p} (while grading {out.student})" for p in new]
            if out.reasons and out.status == "graded":
                out.status = "graded_with_warnings"
            outcomes[out.student] = out
        bar.step(f"{out.student}: {out.status}")
        if on_outcome:
            on_outcome(out)

    zygote: list[_Zygote] = []
    zygote_lock = threading.Lock()

    def new_worker(number: int) -> _Worker:
        """A worker forked from the batch's zygote (started on first use, restarted if it died)."""
        with zygote_lock:
            if not zygote or zygote[0].proc.poll() is not None:
                if zygote:
                    zygote.pop().close()
                zygote.append(_Zygote(course, cell_timeout, memory_mb, fsize_mb, logdir))
            z = zygote[0]
        return _Worker(z, number, logdir)

    def slot(number: int) -> None:
        worker: _Worker | None = None
        while True:
            try:
                student = todo.get_nowait()
            except queue.Empty:
                break
            if worker is None:
                try:
                    worker = new_worker(number)
                except (RuntimeError, OSError) as err:   # the student is reported, never silently lost
                    out = Outcome(student, status="failed",
                                  reasons=[f"no grading worker could start: {str(err)[-300:]}"])
                    finish(out, str(err))
                    continue
            out = Outcome(student)
            t0 = time.monotonic()
            reply = worker.grade(assignment, student, student_timeout)
            out.seconds = time.monotonic() - t0
            if reply == "timeout":
                worker.kill()
                worker = None
                out.status = "timeout"
                out.reasons.append(f"stopped after {student_timeout:.0f} s for the whole notebook "
                                   f"(per-cell limit {cell_timeout or 'from config'} s); items score 0")
                finish(out, "")
                continue
            if reply == "died":
                text = worker.stderr_tail()
                worker.kill()
                worker = None
                out.status = "failed"
                out.reasons.append("the grading process died (memory or file-size limit?): " + text[-300:])
                finish(out, text)
                continue
            worker.reap_kernels()
            out.returncode = 0 if reply.get("success") else 1
            finish(out, (reply.get("log") or "") + "\n" + (reply.get("error") or ""))
        if worker is not None:
            worker.close()

    threads = [threading.Thread(target=slot, args=(i,), daemon=True) for i in range(min(workers, max(1, len(to_grade))))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for z in zygote:
            z.close()

    for p in integrity.check():
        if p not in integrity_problems:
            integrity_problems.append(p)
    # Students nbgrader never reached (killed before init) still get a gradebook entry.
    have = scores(course, assignment)
    for s, o in outcomes.items():
        if s not in have:
            record_zero(course, assignment, s, o.reasons[0] if o.reasons else o.status)
    have = scores(course, assignment)
    for s, o in outcomes.items():
        o.score, o.max_score = have.get(s, (0.0, None))
    result = [outcomes[s] for s in students]
    write_report(course, assignment, result, integrity_problems)
    return result


def write_report(course: Course, assignment: str, outcomes: list[Outcome], integrity: list[str]) -> Path:
    folder = course.root / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "autograde-report.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "status", "score", "max_score", "seconds", "reasons", "log"])
        for o in outcomes:
            w.writerow([o.student, o.status, o.score, o.max_score, f"{o.seconds:.1f}", " | ".join(o.reasons), o.log])
    payload = {"assignment": assignment, "students": [asdict(o) for o in outcomes],
               "files_changed_outside_submissions": [p for p in integrity if p.startswith("file ")],
               "integrity_problems": integrity}
    (folder / "autograde-report.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return folder
