"""Validate a batch of submissions and autograde it in parallel with ``nbgrader autograde``.

Each student is graded by its own ``nbgrader autograde <assignment> --student <id> --force``
process (so the scores are exactly nbgrader's), N at a time, under resource limits (address space
and file size, inherited by the kernel), a per-cell timeout (``Execute.timeout``) and a wall-clock
limit per student. The processes share the sqlite gradebook; ``grading/nbgrader_config.py`` gives
sqlite a long busy timeout, and nbgrader's writes are short transactions, so concurrent students
never lose a write.

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
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from course.instructor.leakcheck import HIDDEN_BEGIN

MAX_NOTEBOOK_MB = 50
_IGNORED = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


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


# --------------------------------------------------------------------------------- validation
def validate_submission(folder: Path, assignment: str) -> list[str]:
    """Reasons why ``folder`` cannot be autograded (empty list: it can)."""
    if not folder.is_dir():
        return ["no submission folder"]
    entries = [p for p in folder.iterdir() if p.name not in _IGNORED and p.name != "timestamp.txt"]
    if not entries:
        return ["empty submission folder (nothing was submitted)"]
    expected = folder / f"{assignment}.ipynb"
    if not expected.is_file():
        notebooks = sorted(p.name for p in entries if p.suffix == ".ipynb")
        if notebooks:
            return [f"wrongly named notebook: found {', '.join(notebooks)}; expected {expected.name} "
                    f"(rename it in {folder} and autograde this student again)"]
        names = ", ".join(sorted(p.name for p in entries)[:5])
        return [f"no notebook named {expected.name} in the submission (found: {names})"]
    size = expected.stat().st_size
    if size == 0:
        return [f"{expected.name} is an empty file"]
    if size > MAX_NOTEBOOK_MB * 1024 * 1024:
        return [f"{expected.name} is {size / 1e6:.0f} MB (limit {MAX_NOTEBOOK_MB} MB)"]
    raw = expected.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return [f"{expected.name} is not UTF-8 text: byte 0x{raw[err.start]:02x} at offset {err.start} "
                "(probably saved in another encoding by an editor)"]
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return [f"{expected.name} is not valid JSON (corrupted or truncated): {err.msg} at line "
                f"{err.lineno}, column {err.colno}"]
    try:
        nbformat.reads(text, as_version=4)
    except Exception as err:  # noqa: BLE001 - any reader failure means "not a notebook"
        return [f"{expected.name} is JSON but not a readable notebook: {type(err).__name__}: {err}"]
    return []


# --------------------------------------------------------------------------------- gradebook
def _gradebook(course: "Course"):
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, course.course_id)


def record_zero(course: "Course", assignment: str, student: str, reason: str) -> None:
    """Put ``student`` in the gradebook with score 0 for ``assignment`` and say why."""
    with _gradebook(course) as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                grade.auto_score = 0
                grade.manual_score = None
                grade.needs_manual_grade = False
            for comment in nb.comments:
                comment.auto_comment = f"Not graded: {reason}"
        gb.db.commit()


def scores(course: "Course", assignment: str) -> dict[str, tuple[float, float]]:
    """``{student: (score, max_score)}`` from the gradebook."""
    out = {}
    with _gradebook(course) as gb:
        for sub in gb.assignment_submissions(assignment):
            out[sub.student.id] = (float(sub.score), float(sub.max_score))
    return out


# --------------------------------------------------------------------------------- course
@dataclass
class Course:
    """An nbgrader course directory (the one holding ``nbgrader_config.py``)."""

    root: Path
    course_id: str = "spine-metastases"

    @property
    def db_url(self) -> str:
        return "sqlite:///" + str(self.root / "gradebook.db")

    def submitted(self, assignment: str) -> Path:
        return self.root / "submitted"

    def source_notebook(self, assignment: str) -> Path:
        from course.instructor.bank import source_dir

        return source_dir(self.root) / assignment / f"{assignment}.ipynb"

    def autograded_notebook(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment / f"{assignment}.ipynb"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        bindir = str(Path(sys.executable).parent)
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")  # nbgrader calls `alembic`
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        env.setdefault("MPLBACKEND", "Agg")
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        return env

    def api(self):
        """nbgrader's Python API (what the formgrader uses) configured by this course's
        ``nbgrader_config.py``; one import of nbgrader for many operations."""
        if getattr(self, "_api", None) is None:
            os.environ["PATH"] = self.env()["PATH"]
            os.chdir(self.root)
            from nbgrader.apps.api import NbGraderAPI
            from nbgrader.apps.nbgraderapp import NbGraderApp

            app = NbGraderApp()
            app.initialize([])
            self._api = NbGraderAPI(config=app.config)
        return self._api

    def call(self, method: str, *args, **kwargs) -> str:
        """Run an API method; raise RuntimeError with nbgrader's log if it fails."""
        result = getattr(self.api(), method)(*args, **kwargs)
        if not result.get("success"):
            detail = (result.get("log") or "") + (result.get("error") or "")
            raise RuntimeError(f"nbgrader {method} {' '.join(map(str, args))} failed:\n{detail[-3000:]}")
        return result.get("log") or ""

    def nbgrader(self, *args: str, check: bool = True, capture: bool = True,
                 extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        env = self.env()
        env.update(extra_env or {})
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=env,
                              capture_output=capture, text=True)
        if check and proc.returncode:
            tail = "\n".join((proc.stderr or "").splitlines()[-15:])
            raise RuntimeError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
        return proc


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


def _cells_by_id(nb) -> dict[str, object]:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")}


def _submission_warnings(course: Course, assignment: str, student: str) -> list[str]:
    """Deleted or edited read-only cells, compared with the source notebook."""
    sub_path = course.root / "submitted" / student / assignment / f"{assignment}.ipynb"
    try:
        sub = _cells_by_id(nbformat.read(sub_path, as_version=4))
        src_nb = nbformat.read(course.source_notebook(assignment), as_version=4)
    except Exception:  # noqa: BLE001
        return []
    out = []
    for gid, cell in _cells_by_id(src_nb).items():
        meta = cell.metadata["nbgrader"]
        if not (meta.get("locked") or meta.get("grade")) or meta.get("solution"):
            continue
        if gid not in sub:
            if meta.get("grade"):
                out.append(f"test cell {gid} had been deleted; nbgrader put the original back for grading")
            else:
                out.append(f"read-only cell {gid} had been deleted (nbgrader does not restore it; "
                           "items that depend on it may fail)")
        elif meta.get("locked") and not meta.get("grade") and sub[gid].source != cell.source:
            out.append(f"read-only cell {gid} had been edited; nbgrader restored the original")
        elif meta.get("grade") and sub[gid].source.split(f"### {HIDDEN_BEGIN}")[0].strip() != \
                cell.source.split(f"### {HIDDEN_BEGIN}")[0].strip():
            out.append(f"test cell {gid} had been edited; nbgrader restored the original")
    return out


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
                if ename == "CellTimeoutError":
                    out.append(f"cell {gid} timed out ({cell_timeout or 'configured'} s per cell; infinite loop?)")
                elif ename == "MemoryError":
                    out.append(f"cell {gid} ran out of memory (limit {mem_mb} MB)")
                elif ename == "SandboxViolation" or "SandboxViolation" in evalue:
                    out.append(f"cell {gid} tried to act outside the submission: {evalue[:160]}")
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


# --------------------------------------------------------------------------------- snapshot
def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    skip_top = {"autograded", "feedback", "reports", "exchange", ".ipynb_checkpoints"}
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel.parts and rel.parts[0] in skip_top:
            dirnames[:] = []
            continue
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name.startswith("gradebook.db"):
                continue
            p = Path(dirpath) / name
            try:
                st = p.stat()
            except OSError:
                continue
            snap[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return snap


class _Worker:
    """One ``course.instructor.worker`` process under resource limits."""

    def __init__(self, course: Course, number: int, cell_timeout: int | None, memory_mb: int,
                 fsize_mb: int, logdir: Path) -> None:
        self.stderr_path = logdir / f"worker-{number}.stderr"
        args = [sys.executable, "-m", "course.instructor._limits", str(memory_mb), str(fsize_mb), "--",
                sys.executable, "-m", "course.instructor.worker", str(course.root),
                str(int(cell_timeout)) if cell_timeout else "-"]
        self._err = open(self.stderr_path, "a", encoding="utf-8")
        self.proc = subprocess.Popen(args, cwd=course.root, env=course.env(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._err, text=True,
                                     start_new_session=True)
        self.replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._get(180)
        if not isinstance(ready, dict) or not ready.get("ready"):
            self.kill()
            raise RuntimeError(f"autograde worker did not start: {self.stderr_tail()}")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.replies.put(line)
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
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps({"assignment": assignment, "student": student}) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return "died"
        return self._get(timeout)

    def stderr_tail(self) -> str:
        self._err.flush()
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""

    def reap_kernels(self) -> None:
        for pid in _children(self.proc.pid):
            _kill_tree(pid)

    def kill(self) -> None:
        _kill_tree(self.proc.pid)
        self._err.close()

    def close(self) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except Exception:  # noqa: BLE001
            pass
        self.kill()


# --------------------------------------------------------------------------------- main entry
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
    workers = max(1, workers or os.cpu_count() or 1)
    with _gradebook(course) as gb:
        names = {a.name for a in gb.assignments}
    if assignment not in names:
        raise RuntimeError(f"assignment {assignment!r} is not in the gradebook: run "
                           f"`course-instructor generate {assignment}` first")

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
    before = _snapshot(course.root)
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
        out.reasons += _submission_warnings(course, assignment, out.student)
        if out.reasons and out.status == "graded":
            out.status = "graded_with_warnings"
        with lock:
            outcomes[out.student] = out
        bar.step(f"{out.student}: {out.status}")
        if on_outcome:
            on_outcome(out)

    def slot(number: int) -> None:
        worker: _Worker | None = None
        while True:
            try:
                student = todo.get_nowait()
            except queue.Empty:
                break
            if worker is None:
                worker = _Worker(course, number, cell_timeout, memory_mb, fsize_mb, logdir)
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
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    after = _snapshot(course.root)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    # Students nbgrader never reached (killed before init) still get a gradebook entry.
    have = scores(course, assignment)
    for s, o in outcomes.items():
        if s not in have:
            record_zero(course, assignment, s, o.reasons[0] if o.reasons else o.status)
    have = scores(course, assignment)
    for s, o in outcomes.items():
        o.score, o.max_score = have.get(s, (0.0, None))
    result = [outcomes[s] for s in students]
    write_report(course, assignment, result, changed)
    return result


def write_report(course: Course, assignment: str, outcomes: list[Outcome], changed: list[str]) -> Path:
    folder = course.root / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "autograde-report.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "status", "score", "max_score", "seconds", "reasons", "log"])
        for o in outcomes:
            w.writerow([o.student, o.status, o.score, o.max_score, f"{o.seconds:.1f}", " | ".join(o.reasons), o.log])
    payload = {"assignment": assignment, "students": [asdict(o) for o in outcomes],
               "files_changed_outside_submissions": changed}
    (folder / "autograde-report.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return folder
