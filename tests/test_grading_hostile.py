"""Issue 6 §4 and issue 13 §5: the hostile battery.

One batch holds honest students and one submission per hostile technique (reading the secret, the
hidden tests or the gradebook; writing the gradebook or a classmate's files; killing kernels;
leaving processes; the network; HTML/JavaScript in outputs and Markdown; a bounded fork bomb; a
disk filler; crashes, loops, memory; new and renamed grade cells; broken files). It is graded
twice: as root (CI) and as an unprivileged instructor with a virtualenv built from
``/usr/bin/python3``. Each time:

* each hostile student gains nothing, and the honest students' scores are exact;
* no file outside each submission changed, and the gradebook's other rows did not move;
* no secret, hidden test or rubric appears in any feedback, and no student HTML/JS is live there;
* no process is left.

Skipped where no sandbox can start (or, for the second run, when not root), unless
``REQUIRE_SANDBOX=1`` — then it fails.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from course.instructor import sandbox
from course.instructor.markers import HIDDEN_BEGIN
from grading_support import ROOT, SECRET, answer, cells, grading_env, make_course, run_cli, submit

A = "a01_anatomy"
GOOD = 12.0          # every autograded item right (the written item is graded by hand)
MARK = "hostile-battery-marker"
INSTRUCTOR = "course-grader-test"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _need(reason: str | None) -> None:
    if reason:
        if os.environ.get("REQUIRE_SANDBOX") == "1":
            pytest.fail(f"REQUIRE_SANDBOX=1 but {reason}")
        pytest.skip(reason)


class Listener:
    """A TCP server on 127.0.0.1 that counts connections (none may arrive from a sandbox)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass


def _hostile_cells(course: Path, secret_file: Path, port: int) -> dict[str, tuple[str, float]]:
    """{student: (code run before the right answer to q1, expected score)}."""
    gb = course / "gradebook.db"
    return {
        "secret_env": ("import os\nprint(os.environ.get('COURSE_GRADING_SECRET'), dict(os.environ))", GOOD),
        "secret_file": (f"""
for p in [{str(secret_file)!r}, '/root/.config/spine-course/secret', '{Path.home()}/.config/spine-course/secret']:
    try:
        print(open(p).read())
    except OSError as e:
        print(p, e)
import glob
for p in glob.glob('/proc/*/environ'):
    try:
        print(p, open(p).read()[:2000])
    except OSError:
        pass""", GOOD),
        "hidden_tests": (f"""
import glob
for p in glob.glob({str(course)!r} + '/source/*/*.ipynb') + glob.glob({str(course)!r} + '/rubrics/*') + glob.glob({str(ROOT)!r} + '/grading/**', recursive=True):
    try:
        print(open(p).read())
    except OSError as e:
        print(p, e)""", GOOD),
        "gradebook_read": (f"""
import sqlite3
try:
    print(sqlite3.connect({str(gb)!r}).execute('select * from source_cell').fetchall())
except Exception as e:
    print(e)""", GOOD),
        "gradebook_write": (f"""
import sqlite3
try:
    db = sqlite3.connect({str(gb)!r})
    db.execute('update grade set auto_score = 1000')
    db.execute("update source_cell set source = 'pass'")
    db.commit()
except Exception as e:
    print(e)""", GOOD),
        "classmates": (f"""
import glob
for p in glob.glob({str(course)!r} + '/submitted/*/*/*.ipynb') + glob.glob({str(course)!r} + '/autograded/*/*/*.ipynb'):
    try:
        open(p, 'w').write('{{}}')
    except OSError as e:
        print(p, e)
try:
    open({str(course)!r} + '/nbgrader_config.py', 'a').write('\\nraise SystemExit')
except OSError as e:
    print(e)""", GOOD),
        "package_write": ("""
import course, os
for name in ('calculators.py', 'instructor/variants.py', 'instructor/sandbox.py'):
    try:
        open(os.path.join(os.path.dirname(course.__file__), name), 'a').write('\\nraise SystemExit')
    except OSError as e:
        print(name, e)""", GOOD),
        "kill_all": ("import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError as e:\n    print(e)", GOOD),
        "kill_kernels": ("""
import os, signal
for p in os.listdir('/proc'):
    if p.isdigit() and int(p) != os.getpid():
        try:
            if b'ipykernel' in open(f'/proc/{p}/cmdline', 'rb').read():
                os.kill(int(p), signal.SIGKILL)
        except OSError:
            pass""", GOOD),
        "linger": (f"""
import os, subprocess, sys
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{MARK}'])
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', '{MARK}'])
    os._exit(0)""", GOOD),
        "network": (f"""
import socket
for host in ['127.0.0.1', '10.0.2.2', '1.1.1.1']:
    try:
        socket.create_connection((host, {port}), timeout=1)
        print('connected', host)
    except OSError as e:
        print(host, e)""", GOOD),
        "xss_output": ("""
from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML("<script>window.XSS_HTML=1</script><img src=x onerror='window.XSS_IMG=1'>"))
display(Javascript("window.XSS_JS=1"))
display(SVG("<svg xmlns='http://www.w3.org/2000/svg' onload='window.XSS_SVG=1'/>"))
display(Markdown("<script>window.XSS_MD=1</script>"))""", GOOD),
        "fork_bomb": ("""
import os
while True:
    try:
        os.fork()
    except OSError:
        pass""", GOOD - 1),
        "disk_filler": ("""
import os
for i in range(1000):
    try:
        with open(f'fill{i}', 'wb') as fh:
            for _ in range(80):
                fh.write(b'x' * 1024 * 1024)
    except OSError as e:
        print(i, e)
        if 'No space' in str(e):
            break""", GOOD),
        "segfault": ("import ctypes\nctypes.string_at(0)", GOOD - 1),
        "memhog": ("x = bytearray(8 * 1024**3)", GOOD - 1),
        "loop": ("while True:\n    pass", GOOD - 1),
        "stubborn_loop": ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass", GOOD - 1),
    }


def _with(nb, gid: str, source: str):
    cells(nb)[gid].source = source
    return nb


#: The unprivileged-instructor run grades the honest students and the techniques that attack the
#: machine (the others do not depend on who grades), to keep the battery short.
INSTRUCTOR_SUBSET = {"good", "partial", "secret_env", "secret_file", "hidden_tests", "gradebook_read",
                     "gradebook_write", "classmates", "package_write", "kill_all", "kill_kernels", "linger",
                     "network", "fork_bomb", "disk_filler", "osexit"}


def build_batch(course: Path, secret_file: Path, port: int, only: set[str] | None = None) -> dict[str, float]:
    env = grading_env()
    run_cli(course, "generate", A, env=env)
    rel = course / "release" / A / f"{A}.ipynb"
    src = course / "source" / A / f"{A}.ipynb"
    good = lambda: answer(rel, src)  # noqa: E731
    q1 = cells(good())["q1_answer"].source
    expected: dict[str, float] = {}
    # honest students
    submit(course, "good", A, good()); expected["good"] = GOOD
    submit(course, "partial", A, answer(rel, src, wrong={"q1_answer", "q3_answer"})); expected["partial"] = GOOD - 3
    submit(course, "weak", A, answer(rel, src, wrong={"q2_answer", "q4_answer", "q6_answer"})); expected["weak"] = GOOD - 6
    # one hostile technique each, before a right answer to q1
    for student, (code, score) in _hostile_cells(course, secret_file, port).items():
        submit(course, student, A, _with(good(), "q1_answer", code.strip() + "\n" + q1))
        expected[student] = score
    # crashes elsewhere cost only their own item
    submit(course, "osexit", A, _with(good(), "q2_answer", "import os\nos._exit(3)")); expected["osexit"] = GOOD - 1
    submit(course, "sigkill", A, _with(good(), "q2_answer", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    expected["sigkill"] = GOOD - 1
    # HTML in Markdown: a cell of its own and the written answer
    nb = good()
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("<script>window.XSS_CELL=1</script><img src=x onerror=window.XSS_CELL2=1>"))
    _with(nb, "q7_written", "[click](javascript:window.XSS_LINK=1) <iframe src='javascript:1'></iframe>")
    submit(course, "xss_markdown", A, nb); expected["xss_markdown"] = GOOD
    # new and renamed grade cells
    nb = good()
    nb.cells.append(nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": False, "points": 50, "grade_id": "q99_bonus", "schema_version": 3}}))
    cells(nb)["q2_test"].metadata["nbgrader"]["grade_id"] = "q2_renamed"
    submit(course, "new_cells", A, nb); expected["new_cells"] = GOOD
    # the awkward ones of issue 6
    submit(course, "exception", A, _with(good(), "q5_answer", "raise RuntimeError('boom')")); expected["exception"] = GOOD - 3
    submit(course, "syntax", A, _with(good(), "q4_answer", "answer_q4 = (4")); expected["syntax"] = GOOD - 2
    nb = good()
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in {"q1_test", "q6_case", "header"}]
    submit(course, "deleted", A, nb); expected["deleted"] = GOOD - 3          # q6 needs the deleted case cell
    nb = answer(rel, src, wrong={"q2_answer"})
    _with(nb, "q2_test", "pass")
    _with(nb, "setup_student", "STUDENT_ID = 'someone-else'")
    submit(course, "edited", A, nb); expected["edited"] = GOOD - 1            # originals restored
    submit(course, "sysexit", A, _with(good(), "q1_answer", "import sys\nsys.exit(0)")); expected["sysexit"] = GOOD - 1
    submit(course, "bigprint", A, _with(good(), "q1_answer", 'print("x" * 10_000_000)\n' + q1)); expected["bigprint"] = GOOD
    raw = nbformat.writes(good()).encode()
    submit(course, "corrupted", A, raw=raw[: len(raw) // 2]); expected["corrupted"] = 0.0
    submit(course, "misnamed", A, good(), name="Untitled.ipynb"); expected["misnamed"] = 0.0
    (course / "submitted" / "empty" / A).mkdir(parents=True); expected["empty"] = 0.0
    submit(course, "latin1", A, raw=raw.replace(b"Question 1", b"Questi\xe9n 1")); expected["latin1"] = 0.0
    if only is not None:
        for student in list(expected):
            if student not in only:
                shutil.rmtree(course / "submitted" / student)
                del expected[student]
    return expected


def _fingerprint(paths: list[Path]) -> dict[str, tuple]:
    out = {}
    for top in paths:
        for p in [top, *top.rglob("*")] if top.is_dir() else [top]:
            if p.is_file() and "gradebook.db" not in p.name and p.name != ".nbgrader.log" and \
                    not ({"autograded", "reports", "feedback"} & set(p.relative_to(top).parts[:1])):
                st = p.stat()
                out[str(p)] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    return out


def _leftover_processes() -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if MARK.encode() in cmd:
                text = cmd.replace(b"\0", b" ")[:120].decode(errors="replace")
                found.append(f"{pid}: {text}")
    return found


def _instructor_runner(tmp: Path):
    """``(user, wrapper)``: an unprivileged instructor with a readable virtualenv from /usr/bin/python3."""
    if os.geteuid() != 0:
        return None, "the unprivileged-instructor run needs root to create the user"
    if not Path("/usr/bin/python3").exists():
        return None, "/usr/bin/python3 is missing"
    try:
        pw = pwd.getpwnam(INSTRUCTOR)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", INSTRUCTOR],
                       check=True, capture_output=True)
        pw = pwd.getpwnam(INSTRUCTOR)
    venv = tmp / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    ver = subprocess.run([str(venv / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    if ver != str(tuple(sys.version_info[:2])):
        return None, f"/usr/bin/python3 is Python {ver}, the test environment {sys.version_info[:2]}"
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the project's installed packages, shared read-only (same Python minor version)
    (site / "zz_project_env.pth").write_text("import site; " + "; ".join(
        f"site.addsitedir({p!r})" for p in dict.fromkeys([sysconfig.get_paths()["purelib"],
                                                           sysconfig.get_paths()["platlib"]])) + "\n")
    (venv / "bin" / "alembic").write_text(f"#!{venv}/bin/python\nfrom alembic.config import main\nmain()\n")
    (venv / "bin" / "alembic").chmod(0o755)
    home = tmp / "home"
    home.mkdir()
    os.chown(home, pw.pw_uid, pw.pw_gid)
    prefix = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--"]
    check = subprocess.run(prefix + [str(venv / "bin" / "python"), "-P", "-c", "import nbgrader, course.instructor.sandbox"],
                           capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, cwd="/")
    if check.returncode:
        # The project's environment is not readable by that user (e.g. a checkout under /root):
        # install the project into the user's own virtualenv instead (pip cache, about a minute).
        shutil.rmtree(venv)
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True, capture_output=True)
        pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                              f"{ROOT}[test]"], capture_output=True, text=True)
        if pip.returncode:
            return None, f"could not build the instructor's virtualenv: {pip.stderr[-300:]}"
        for p in [venv, *venv.rglob("*")]:
            if not p.is_symlink():
                p.chmod(p.stat().st_mode | 0o044 | (0o011 if p.is_dir() else 0))
        check = subprocess.run(prefix + [str(venv / "bin" / "python"), "-P", "-c", "import nbgrader, course.instructor.sandbox"],
                               capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, cwd="/")
        if check.returncode:
            return None, f"the instructor user cannot import the project from its virtualenv: {check.stderr[-300:]}"
    return (pw, prefix, venv, home), None


def _grade(course: Path, tmpdir: Path, runner=None) -> tuple[dict, subprocess.CompletedProcess]:
    args = ["autograde", A, "--timeout", "3", "--student-timeout", "120", "--workers", "2", "--memory-mb", "3072"]
    if runner is None:
        proc = run_cli(course, *args, env=grading_env(TMPDIR=str(tmpdir)), check=False)
    else:
        pw, prefix, venv, home = runner
        env = {"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(home), "COURSE_GRADING_SECRET": SECRET,
               "LANG": "C.UTF-8", "TMPDIR": str(tmpdir)}
        proc = subprocess.run(prefix + [str(venv / "bin" / "python"), "-m", "course.instructor", "--course-dir",
                                        str(course), *args], capture_output=True, text=True, env=env, cwd=str(course))
    report_path = course / "reports" / A / "autograde-report.json"
    assert report_path.exists(), proc.stdout + proc.stderr
    return json.loads(report_path.read_text()), proc


@pytest.fixture(scope="module", params=["root", "instructor"])
def graded(request):
    _need(sandbox.probe())
    os.environ["COURSE_GRADING_SECRET"] = SECRET
    tmp = Path(tempfile.mkdtemp(prefix="hostile-"))
    tmp.chmod(0o755)
    listener = Listener()
    runner = None
    try:
        if request.param == "instructor":
            runner, why = _instructor_runner(tmp)
            if runner is None:
                _need(why)
        secret_file = tmp / "secret"
        secret_file.write_text(SECRET + "\n")
        secret_file.chmod(0o600)
        course = make_course(tmp)
        expected = build_batch(course, secret_file, listener.port,
                               INSTRUCTOR_SUBSET if request.param == "instructor" else None)
        if runner is not None:
            for p in [tmp / "grading", *(tmp / "grading").rglob("*")]:
                os.chown(p, runner[0].pw_uid, runner[0].pw_gid)
        tmpdir = tmp / "tmpdir"          # the graders' temporary folders: all must be gone afterwards
        tmpdir.mkdir()
        tmpdir.chmod(0o755)
        if runner is not None:
            os.chown(tmpdir, runner[0].pw_uid, runner[0].pw_gid)
        watched = [course, secret_file, ROOT / "grading" / "source", ROOT / "grading" / "nbgrader_config.py",
                   ROOT / "course" / "data", ROOT / "course" / "calculators.py"]
        before = _fingerprint(watched)
        report, proc = _grade(course, tmpdir, runner)
        after = _fingerprint(watched)
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        yield {"tmpdir": sorted(p.name for p in tmpdir.iterdir()), "course": course, "expected": expected, "report": report, "proc": proc, "changed": changed,
               "listener": listener, "leftover": _leftover_processes(), "runner": runner,
               "outcomes": {s["student"]: s for s in report["students"]}, "mode": request.param}
    finally:
        listener.stop = True
        shutil.rmtree(tmp, ignore_errors=True)


def test_hostile_students_gain_nothing_and_honest_scores_are_exact(graded):
    got = {s: graded["outcomes"][s]["score"] for s in graded["expected"]}
    assert got == graded["expected"], graded["proc"].stdout + graded["proc"].stderr[-3000:]


def test_every_student_is_in_the_gradebook(graded):
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(graded["course"] / "gradebook.db"), "spine-metastases") as gb:
        subs = {s.student.id: s.score for s in gb.assignment_submissions(A)}
    assert subs == graded["expected"]


def test_no_file_outside_each_submission_changed(graded):
    assert graded["changed"] == []
    assert graded["report"]["integrity_problems"] == []
    assert not list(graded["course"].parent.rglob("escaped*"))


def test_no_process_left_and_no_connection(graded):
    assert graded["leftover"] == []
    assert graded["listener"].connections == 0


def test_no_temporary_folders_left(graded):
    assert graded["tmpdir"] == []


@pytest.mark.parametrize("student, status, words", [
    ("loop", "graded_with_warnings", "ran past the per-cell timeout"),
    ("stubborn_loop", "graded_with_warnings", "ran past the per-cell timeout"),
    ("fork_bomb", "graded_with_warnings", "ran past the per-cell timeout"),
    ("osexit", "graded_with_warnings", "q2_answer ended its kernel"),
    ("sigkill", "graded_with_warnings", "q2_answer ended its kernel"),
    ("segfault", "graded_with_warnings", "q1_answer ended its kernel"),
    ("memhog", "graded_with_warnings", "ran out of memory"),
    ("new_cells", "graded_with_warnings", "grade id that the assignment does not have"),
    ("exception", "graded", ""),
    ("deleted", "graded_with_warnings", "q1_test had been deleted"),
    ("edited", "graded_with_warnings", "q2_test had been edited"),
    ("sysexit", "graded_with_warnings", "sys.exit"),
    ("bigprint", "graded_with_warnings", "truncated"),
    ("corrupted", "rejected", "not valid JSON"),
    ("misnamed", "rejected", "wrongly named notebook: found Untitled.ipynb"),
    ("empty", "rejected", "empty submission folder"),
    ("latin1", "rejected", "not UTF-8"),
])
def test_each_failure_has_a_clear_reason(graded, student, status, words):
    if student not in graded["outcomes"]:
        pytest.skip(f"{student} is graded in the root run only")
    outcome = graded["outcomes"][student]
    assert outcome["status"] == status, outcome
    assert words in " | ".join(outcome["reasons"]), outcome


class _LiveMarkers(__import__("html.parser").parser.HTMLParser):
    """Student markers (``XSS_``) in places a browser runs: script text, attributes, iframes."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag in ("script", "style")
        for name, value in attrs:
            if value and "XSS_" in value:
                self.live.append(f"<{tag} {name}={value[:80]!r}>")
        if tag in ("iframe", "object", "embed"):
            self.live.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "XSS_" in data:
            self.live.append(f"script: {data[:80]!r}")


def test_feedback_holds_no_secret_no_hidden_test_and_no_live_student_html(graded):
    if graded["mode"] != "root":
        pytest.skip("feedback is checked once, in the root run")
    course = graded["course"]
    run_cli(course, "feedback", A, env=grading_env())
    htmls = {p.parts[-3]: p.read_text(encoding="utf-8", errors="replace") for p in (course / "feedback").rglob("*.html")}
    graded_ok = [s for s, o in graded["outcomes"].items() if o["status"] != "rejected"]
    assert set(graded_ok) <= set(htmls)
    source = nbformat.read(course / "source" / A / f"{A}.ipynb", 4)
    hidden = [ln.strip() for c in source.cells if f"### {HIDDEN_BEGIN}" in c.source
              for ln in c.source.split(f"### {HIDDEN_BEGIN}")[1].splitlines()[1:-1] if len(ln.strip()) > 20]
    for student, html in htmls.items():
        assert SECRET not in html, student
        for line in hidden:
            assert line not in html, (student, line)
        parser = _LiveMarkers()
        parser.feed(html)
        assert parser.live == [], (student, parser.live)
    assert "XSS_HTML" in htmls["xss_output"] or "removed by the course autograder" in htmls["xss_output"]
    run_cli(course, "export", env=grading_env())
    with open(course / "reports" / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh) if r["assignment"] == A}
    assert rows == graded["expected"]
    assert (course / "autograded" / "bigprint" / A / f"{A}.ipynb").stat().st_size < 1_000_000
