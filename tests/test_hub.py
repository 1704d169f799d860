"""A class on a real JupyterHub: release → fetch → answer → submit → collect → autograde → feedback.

One instructor and three students are real system users (``useradd``), spawned by JupyterHub's
local-process spawner behind configurable-http-proxy. nbgrader's filesystem exchange sits under a
shared root with nbgrader's own permission model. The course environment the users run is outside
the repository and holds the course installed non-editable from the student-only tree.

* The instructor releases the assignment through the hub (formgrader's API, with the instructor's
  own token, through the proxy).
* Student 1 fetches, answers and submits **in a real browser** (Chromium, Playwright) through the
  Assignments tab; students 2 and 3 through nbgrader's server API with their own tokens. Each
  student's per-student case is drawn from ``JUPYTERHUB_USER``.
* Student 3 also drops a submission named after student 1 into the exchange; collect refuses it and
  collects student 1's own.
* The instructor collects, autogrades (the course's configured grader, sandboxed where the sandbox
  is configured), releases feedback and exports grades; each student fetches their own feedback.
* Exact scores; nobody reads another's submission or feedback, the instructor's course folder, the
  gradebook, the secret or the hidden checks; the formgrader loads in the instructor's browser
  through the hub, in its own tab (nbgrader #1870: since JupyterHub 4.1 it does not load inside a
  JupyterLab tab).

Needs root (to create users), ``/usr/bin/python3`` of this Python version, npm (for the proxy) and
Chromium. Skipped locally with the reason; ``REQUIRE_HUB=1`` (CI) turns the skip into a failure.
Users, processes and folders are removed afterwards.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import hub_support as hs
from conftest import ROOT

sys.path.insert(0, str(ROOT / "grading" / "tools"))
from nbbuild import Assignment  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(900)]

ASSIGNMENT = "h01_hub"
COURSE_ID = "spine-metastases"
FETCHED = f"{COURSE_ID}/{ASSIGNMENT}"  # path_includes_course: fetched into <course>/<assignment>
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("REQUIRE_HUB") == "1":
        pytest.fail(f"REQUIRE_HUB=1 but {reason}")
    pytest.skip(reason)


def _preconditions() -> None:
    if os.name != "posix" or os.geteuid() != 0:
        _skip_or_fail("the hub test creates system users and must run as root (CI does)")
    for tool in ("useradd", "userdel", "runuser"):
        if not shutil.which(tool):
            _skip_or_fail(f"{tool} not found")
    if not Path("/usr/bin/python3").exists():
        _skip_or_fail("/usr/bin/python3 not found (the users' environment is built from it)")
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} not found (apt-get install chromium)")
    for module in ("jupyterhub", "playwright"):
        if importlib.util.find_spec(module) is None:
            _skip_or_fail(f"{module} is not installed (pip install .[test])")
    try:
        hs.find_chp()
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        _skip_or_fail(f"configurable-http-proxy unavailable: {exc}")


def build_assignment(dest_course: Path) -> Assignment:
    """A short assignment with the same item kinds as the course's: fixed items and a per-student case."""
    a = Assignment(ASSIGNMENT, "Hub rehearsal", minutes=5, objectives={"O1": "Score SINS and grade ESCC."},
                   intro="A short assignment used by the end-to-end test of the course JupyterHub.")
    a.header()
    a.case_setup()
    a.single("Which ESCC grades count as high grade?", ["0 and 1a", "1b and 1c", "2 and 3", "3 only"], "C",
             objective="O1")
    a.numeric("How many points does SINS give a lytic lesion?", 2, 0, objective="O1")
    a.case("sins_total", {"extra": [1, 2, 3, 4, 5, 6]},
           describe="Your patient's SINS components other than the lesion type add up to {patient.extra}.",
           prompt="The lesion is lytic. What is your patient's SINS total?",
           expected="_p.extra + 2", solution="answer_q3 = patient.extra + 2", tolerance=0, objective="O1")
    a.write(dest_course)
    return a


# ---------------------------------------------------------------------------------------------
class Classroom:
    """Everything the end-to-end run produced, for the assertions below."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.users: hs.Users | None = None
        self.hub: hs.Hub | None = None
        self.tokens: dict[str, str] = {}
        self.course: Path | None = None
        self.exchange: Path | None = None
        self.env_root: Path | None = None
        self.repo_mode: int | None = None
        self.grades: dict[str, float] = {}
        self.collect_log = ""
        self.feedback: dict[str, list[Path]] = {}
        self.formgrader_ok = False
        self.formgrader_in_lab_tab: str = ""
        self.browser_submitted = False
        self.secret_value = ""
        self.impersonation_folder = ""


def lab_settings(home: Path, owner: str, student: bool) -> None:
    """Per-user JupyterLab settings: no news toast; students do not see instructor panels."""
    lab = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    lab.mkdir(parents=True, exist_ok=True)
    (lab / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                       "checkForUpdates": False}))
    nb = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    nb.mkdir(parents=True, exist_ok=True)
    (nb / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    if student:
        cfg = home / ".jupyter" / "labconfig"
        cfg.mkdir(parents=True, exist_ok=True)
        (cfg / "page_config.json").write_text(json.dumps({"disabledExtensions": {
            "@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True,
            "@jupyter/nbgrader:course-list": True}}))
    subprocess.run(["chown", "-R", f"{owner}:{owner}", str(home / ".jupyter")], check=True)


def answer_notebook(release_nb: Path, source_nb: Path, wrong: set[str] = frozenset()) -> nbformat.NotebookNode:
    """The released notebook with each answer cell filled from the source solution (or a wrong answer)."""
    nb = nbformat.read(release_nb, as_version=4)
    src = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nbformat.read(source_nb, as_version=4).cells}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid and cell.metadata["nbgrader"].get("solution") and gid in src:
            body = src[gid].source.replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
            if gid in wrong:  # a well-formed wrong answer
                var = body.split("=")[0].strip()
                body = f'{var} = "A"' if '"' in body else f"{body}\n{var} = {var} + 1"
            cell.source = body
    return nb


def browser_student(room: Classroom, student: str, source_nb: Path) -> None:
    """Student 1: log in, Assignments tab → Fetch, answer in the notebook, save, Submit."""
    from playwright.sync_api import sync_playwright

    solutions = []
    for cell in nbformat.read(source_nb, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            solutions.append(cell.source.replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", ""))
    hub = room.hub
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(f"{hub.url}/hub/login")
            page.fill("input[name=username]", student)
            page.fill("input[name=password]", hs.PASSWORD)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url(re.compile(rf"/user/{student}/lab"), timeout=120_000)
            page.wait_for_selector(".jp-LabShell", timeout=120_000)
            # nbgrader's Assignments list (Nbgrader menu → Assignments)
            page.get_by_role("menuitem", name="Nbgrader").click()
            page.get_by_role("menuitem", name="Assignment List").click()
            page.get_by_role("button", name=re.compile("^Fetch$")).first.click()
            page.get_by_role("button", name=re.compile("^Submit$")).first.wait_for(timeout=60_000)
            # open the notebook from the file browser path and answer each answer cell
            page.goto(f"{hub.url}/user/{student}/lab/tree/{FETCHED}/{ASSIGNMENT}.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.locator(".jp-Dialog .jp-mod-accept").click(timeout=5_000) if page.locator(".jp-Dialog").count() else None
            cells = page.locator(".jp-CodeCell").filter(has_text="YOUR CODE HERE")
            cells.nth(len(solutions) - 1).wait_for(timeout=60_000)
            assert cells.count() == len(solutions), (cells.count(), len(solutions))
            for i, text in enumerate(solutions):
                editor = page.locator(".jp-CodeCell").filter(has_text="YOUR CODE HERE").first.locator(".cm-content")
                editor.click()
                page.keyboard.press("Control+A")
                page.keyboard.insert_text(text)
                page.keyboard.press("Escape")
            page.keyboard.press("Control+S")
            page.wait_for_timeout(1500)
            # back to the Assignments list and submit
            page.goto(f"{hub.url}/user/{student}/lab")
            page.wait_for_selector(".jp-LabShell", timeout=120_000)
            page.get_by_role("menuitem", name="Nbgrader").click()
            page.get_by_role("menuitem", name="Assignment List").click()
            page.get_by_role("button", name=re.compile("^Submit$")).first.click(timeout=60_000)
            page.get_by_text(re.compile("submitted", re.I)).first.wait_for(timeout=60_000)
            room.browser_submitted = True
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "hub-student.png"), full_page=True)
            raise
        finally:
            browser.close()


def formgrader_in_browser(room: Classroom) -> None:
    """The instructor's formgrader, through the hub, in its own tab; and what the Lab tab does."""
    from playwright.sync_api import sync_playwright

    hub, instr = room.hub, room.users.instructor
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(f"{hub.url}/hub/login")
            page.fill("input[name=username]", instr)
            page.fill("input[name=password]", hs.PASSWORD)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url(re.compile(rf"/user/{instr}/"), timeout=120_000)
            page.goto(f"{hub.url}/user/{instr}/formgrader")
            page.get_by_text(ASSIGNMENT).first.wait_for(timeout=60_000)
            page.goto(f"{hub.url}/user/{instr}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
            # one row per collected submission (formgrader hides names until "show" is pressed)
            for student in room.users.students:
                page.locator("a.name-shown", has_text=student).first.wait_for(state="attached", timeout=60_000)
            room.formgrader_ok = True
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "hub-formgrader.png"), full_page=True)
            raise
        finally:
            browser.close()


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    _preconditions()
    tmp = Path(tempfile_root()) / f"spine-hub-{secrets.token_hex(3)}"
    tmp.mkdir(mode=0o755, parents=True)
    room = Classroom(tmp)
    room.repo_mode = ROOT.stat().st_mode & 0o7777
    try:
        run_class(room)
        yield room
    finally:
        leftovers = []
        if room.hub:
            room.hub.stop()
        if room.users:
            time.sleep(1)
            leftovers = room.users.leftover_processes()
            room.users.remove()
        if room.repo_mode is not None:
            os.chmod(ROOT, room.repo_mode)
        shutil.rmtree(tmp, ignore_errors=True)
        # the hub stopped every server; nothing the users started may outlive it
        assert not leftovers, f"processes left after the hub stopped: {leftovers}"


def tempfile_root() -> str:
    # /tmp is world-traversable; pytest's own tmp folders live under /tmp/pytest-of-root (0700).
    return "/tmp"


def run_class(room: Classroom) -> None:
    from course.instructor.student_branch import build_student_tree

    t0 = time.monotonic()
    tmp = room.tmp
    # 1. Users, and the repository closed to them (its grading sources must be unreadable).
    room.users = users = hs.Users.create(3)
    instr, students = users.instructor, users.students
    os.chmod(ROOT, room.repo_mode & ~0o007)

    # 2. The environment users run: course non-editable, from the student-only tree.
    tree = build_student_tree(ROOT, "HEAD", into=tmp / "student-tree") if _is_git() else _copy_tree(tmp)
    room.env_root = tmp / "env"
    env_python = hs.build_user_env(room.env_root, tree)
    shutil.rmtree(tree, ignore_errors=True)

    # 3. The exchange (nbgrader's model: a world-writable root) and nbgrader settings for everyone.
    room.exchange = tmp / "exchange"
    room.exchange.mkdir(mode=0o777)
    os.chmod(room.exchange, 0o777)
    etc = room.env_root / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(room.exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n", encoding="utf-8")
    os.chmod(etc / "nbgrader_config.py", 0o644)

    # 4. The instructor's private course folder: config, the assignment's source, the secret.
    home_i = Path(f"/home/{instr}")
    room.course = home_i / "course"
    room.course.mkdir()
    shutil.copy(ROOT / "grading" / "nbgrader_config.py", room.course / "nbgrader_config.py")
    a = build_assignment(room.course)
    secret_dir = home_i / ".config" / "spine-course"
    secret_dir.mkdir(parents=True)
    room.secret_value = "hub-secret-" + secrets.token_hex(16)
    (secret_dir / "secret").write_text(room.secret_value + "\n")
    (home_i / ".jupyter").mkdir()
    (home_i / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(room.course)!r}\n", encoding="utf-8")
    for user in [instr, *students]:
        lab_settings(Path(f"/home/{user}"), user, student=user != instr)
    subprocess.run(["chown", "-R", f"{instr}:{instr}", str(home_i)], check=True)
    os.chmod(secret_dir / "secret", 0o600)

    # 5. The hub, and everyone's server.
    spawn_env = {"COURSE_EXCHANGE": str(room.exchange), "MPLBACKEND": "Agg",
                 "PATH": f"{room.env_root / 'bin'}:/usr/bin:/bin"}
    room.hub = hub = hs.Hub(tmp / "hub", hs.free_port(), secrets.token_hex(24))
    hub.start(users, env_python, spawn_env)
    for user in [instr, *students]:
        hub.start_server(user)
        room.tokens[user] = hub.user_token(user)

    # 6. The instructor generates and releases through the hub (formgrader API, own token).
    ti = room.tokens[instr]
    hub.api("POST", f"/user/{instr}/formgrader/api/assignment/{ASSIGNMENT}/assign", token=ti)
    _inject_release_key(room, instr)
    hub.api("POST", f"/user/{instr}/formgrader/api/assignment/{ASSIGNMENT}/release", token=ti)
    release_nb = room.course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source_nb = room.course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    # 7. Students: one in the browser, two through the API; student 2 gets one item wrong.
    browser_student(room, students[0], source_nb)
    for i, student in enumerate(students[1:], start=2):
        tok = room.tokens[student]
        listing = hub.api("POST", f"/user/{student}/assignments/fetch", token=tok,
                          form={"assignment_id": ASSIGNMENT, "course_id": COURSE_ID})
        assert listing["success"], listing
        assert any(x["assignment_id"] == ASSIGNMENT and x["status"] == "fetched" for x in listing["value"]), listing
        nb = answer_notebook(release_nb, source_nb, wrong={"q1_answer"} if i == 2 else set())
        path = f"{FETCHED}/{ASSIGNMENT}.ipynb"
        hub.api("PUT", f"/user/{student}/api/contents/{path}", token=tok,
                body={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))})
        out = hub.api("POST", f"/user/{student}/assignments/submit", token=tok,
                      form={"assignment_id": ASSIGNMENT, "course_id": COURSE_ID})
        assert out["success"], out
        assert any(x["assignment_id"] == ASSIGNMENT and x["status"] == "submitted" for x in out["value"]), out

    # 8. Student 3 submits a copy under student 1's name (a folder in inbound, as nbgrader names them).
    inbound = room.exchange / COURSE_ID / "inbound"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S.000000 UTC", time.gmtime(time.time() + 5))
    room.impersonation_folder = f"{students[0]}+{ASSIGNMENT}+{stamp}+{secrets.token_hex(8)}"
    script = (f"import shutil; shutil.copytree('/home/{students[2]}/{FETCHED}', "
              f"'{inbound}/{room.impersonation_folder}')")
    hs.run_as(students[2], str(env_python), "-c", script, check=True)
    fake = inbound / room.impersonation_folder / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(fake, as_version=4)  # the impersonator's copy claims a wrong answer for student 1
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer":
            cell.source = 'answer_q1 = "A"'
    nbformat.write(nb, fake)
    subprocess.run(["chown", "-R", f"{students[2]}:{students[2]}", str(inbound / room.impersonation_folder)],
                   check=True)

    # 9. The instructor: collect, autograde, feedback, export — the course CLI, as the instructor.
    cli = [str(room.env_root / "bin" / "python"), "-m", "course.instructor", "--course-dir", str(room.course)]
    ienv = {"COURSE_EXCHANGE": str(room.exchange), "PATH": f"{room.env_root / 'bin'}:/usr/bin:/bin",
            "MPLBACKEND": "Agg"}
    collect = hs.run_as(instr, *cli, "collect", ASSIGNMENT, env=ienv, cwd=str(room.course), check=True)
    room.collect_log = collect.stdout + collect.stderr
    hs.run_as(instr, *cli, "autograde", ASSIGNMENT, env=ienv, cwd=str(room.course), check=True)
    hs.run_as(instr, *cli, "feedback", ASSIGNMENT, "--release", env=ienv, cwd=str(room.course), check=True)
    hs.run_as(instr, *cli, "export", "--to", str(room.course / "reports" / "grades.csv"), env=ienv,
              cwd=str(room.course), check=True)
    with open(room.course / "reports" / "grades.csv", newline="") as fh:
        room.grades = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)
                       if r["assignment"] == ASSIGNMENT}

    # 10. Each student fetches their own feedback; the instructor's formgrader in the browser.
    for student in students:
        hub.api("POST", f"/user/{student}/assignments/fetch_feedback", token=room.tokens[student],
                form={"assignment_id": ASSIGNMENT, "course_id": COURSE_ID})
        room.feedback[student] = sorted(Path(f"/home/{student}/{FETCHED}/feedback").rglob("*.html"))
    formgrader_in_browser(room)
    room.elapsed = time.monotonic() - t0
    room.max_points = a.max_points


def _is_git() -> bool:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode == 0


def _copy_tree(tmp: Path) -> Path:
    raise RuntimeError("the hub test needs a git checkout (it builds the student tree from HEAD)")


def _inject_release_key(room: Classroom, instr: str) -> None:
    """The course's generate step also writes the release key into the released notebook."""
    hs.run_as(instr, str(room.env_root / "bin" / "python"), "-c",
              "import sys; from course.instructor import cli; from course.instructor.parallel import Course; "
              f"cli.inject_release_key(Course(cli.find_course_dir({str(room.course)!r})), {ASSIGNMENT!r})",
              env={"PATH": f"{room.env_root / 'bin'}:/usr/bin:/bin"}, check=True)


# ---------------------------------------------------------------------------------------------
def test_exact_scores(classroom):
    s1, s2, s3 = classroom.users.students
    full = classroom.max_points
    assert classroom.browser_submitted
    assert classroom.grades == {s1: full, s2: full - 1, s3: full}


def test_impersonation_is_refused_at_collect(classroom):
    assert classroom.impersonation_folder in classroom.collect_log
    assert re.search(r"[Rr]efused", classroom.collect_log)
    # student 1's own submission was collected, not the impersonator's (its wrong q1 would cost a point)
    s1 = classroom.users.students[0]
    assert classroom.grades[s1] == classroom.max_points


def test_each_student_gets_only_their_own_feedback(classroom):
    for student, files in classroom.feedback.items():
        assert files, f"{student} got no feedback"
        text = "".join(f.read_text(encoding="utf-8") for f in files)
        assert classroom.secret_value not in text
        for other in classroom.users.students:
            if other != student:
                assert f"Case questions are drawn for student id: {other}" not in text


def test_nobody_reads_what_is_not_theirs(classroom):
    users = classroom.users
    s1, s2, s3 = users.students
    course = classroom.course
    inbound = classroom.exchange / COURSE_ID / "inbound"
    private = [course, course / "gradebook.db", course / "source", course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
               course / "submitted", course / "autograded", course / "feedback",
               Path(f"/home/{users.instructor}/.config/spine-course/secret"), ROOT / "grading" / "source", ROOT]
    for student in users.students:
        for path in private:
            assert not hs.can_read(student, path), f"{student} can read {path}"
        assert not hs.can_read(student, inbound), f"{student} can list the inbound folder"
        for other in users.students:
            if other != student:
                assert not hs.can_read(student, Path(f"/home/{other}")), f"{student} reads {other}'s home"
                for fb in classroom.feedback[other]:
                    assert not hs.can_read(student, fb.parent), f"{student} lists {other}'s feedback folder"


def test_students_environment_has_no_instructor_material(classroom):
    env = classroom.env_root
    names = [str(p.relative_to(env)) for p in env.rglob("*")]
    assert not [n for n in names if "/course/" in n and ("grading" in n or "rubric" in n)]
    assert not list(env.rglob("build_assignments.py")) and not list(env.rglob("rubrics"))
    site = next(env.glob("lib/python*/site-packages"))
    assert (site / "course" / "__init__.py").is_file()  # installed, not editable
    assert not list(site.glob("__editable__*"))


def test_formgrader_through_the_hub(classroom):
    assert classroom.formgrader_ok

