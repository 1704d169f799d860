"""The student-only branch handed out with nbgitpuller, and the links to it.

The branch is built by running the repository's own postBuild (prune-only) on ``git archive`` of a
commit, so it gets exactly Binder's prune and leak guard. Its history must hold no instructor
material either: a clone carries history. nbgitpuller itself (PyPI) pulls the branch twice to show
that students' later pulls are fast-forwards.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from course.instructor import student_branch as sb

GIT_ENV = {"GIT_AUTHOR_NAME": "Instructor", "GIT_AUTHOR_EMAIL": "i@example.edu",
           "GIT_COMMITTER_NAME": "Instructor", "GIT_COMMITTER_EMAIL": "i@example.edu"}


def git(repo: Path, *args: str) -> str:
    import os
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture()
def course_repo(tmp_path: Path) -> Path:
    """A git repository holding the course's files as they are in this checkout (tracked or new)."""
    repo = tmp_path / "course"
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
                           check=True, capture_output=True, text=True).stdout.split("\n")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "course")
    return repo


def tree(repo: Path, ref: str) -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", ref).split()


def test_student_branch_holds_no_instructor_material_now_or_in_history(course_repo: Path):
    full = tree(course_repo, "main")
    assert any(p.startswith("grading/source/") for p in full)  # the canary: the full repo has them
    assert any(p.startswith("tests/") for p in full)

    first = sb.commit_student_branch(course_repo, "student")
    names = tree(course_repo, first)
    assert "notebooks/00_start_here.ipynb" in names and "course/__init__.py" in names
    assert "environment.yml" in names and "postBuild" in names  # Binder / repo2docker can build it
    for forbidden in sb.FORBIDDEN:
        assert not any(n == forbidden or n.startswith(forbidden + "/") for n in names), forbidden
    assert not any("rubric" in n.lower() for n in names)
    # one commit, no parent: the full repository's history is not reachable from the branch
    assert git(course_repo, "rev-list", "student").split() == [first]
    assert sb.check_history(course_repo, "student") == []

    # unchanged for students → no new commit; changed → a child of the previous student commit
    assert sb.commit_student_branch(course_repo, "student") == first
    (course_repo / "notebooks" / "NEW.md").write_text("new page\n", encoding="utf-8")
    (course_repo / "grading" / "source" / "secret-notes.md").write_text("hidden\n", encoding="utf-8")
    git(course_repo, "add", "-A")
    git(course_repo, "commit", "-qm", "more")
    second = sb.commit_student_branch(course_repo, "student")
    assert git(course_repo, "rev-list", "student").split() == [second, first]
    assert "notebooks/NEW.md" in tree(course_repo, second)
    assert sb.check_history(course_repo, "student") == []


def test_history_check_finds_a_leak(course_repo: Path):
    git(course_repo, "branch", "leaky", "main")  # a branch with the full history
    assert any("grading/source/" in x for x in sb.check_history(course_repo, "leaky"))


def test_refuses_to_extend_a_branch_it_did_not_make(course_repo: Path):
    git(course_repo, "branch", "student", "main")
    with pytest.raises(sb.StudentBranchError, match="not made by this tool"):
        sb.commit_student_branch(course_repo, "student")


def test_postbuild_guard_stops_a_leak_it_does_not_delete(course_repo: Path):
    answer = "### " + "BEGIN " + "SOLUTION"
    (course_repo / "notebooks" / "answers.py").write_text(answer + "\nx = 1\n", encoding="utf-8")
    git(course_repo, "add", "-A")
    git(course_repo, "commit", "-qm", "oops")
    with pytest.raises(sb.StudentBranchError, match="answer material"):
        sb.commit_student_branch(course_repo, "student")


def test_link_round_trip():
    link = sb.nbgitpuller_link("https://hub.example.edu/", "https://git.example.edu/med/spine-course.git",
                               "student", "notebooks/00_start_here.ipynb")
    assert link.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example.edu")
    back = sb.parse_nbgitpuller_link(link)
    assert back == sb.PullerLink("https://hub.example.edu", "https://git.example.edu/med/spine-course.git",
                                 "student", "notebooks/00_start_here.ipynb", "spine-course", "lab")
    with pytest.raises(ValueError, match="hub"):
        sb.nbgitpuller_link("hub.example.edu", "https://x/y.git")
    with pytest.raises(ValueError, match="not an nbgitpuller link"):
        sb.parse_nbgitpuller_link("https://hub.example.edu/hub/home")


def test_nbgitpuller_pulls_the_branch_and_fast_forwards(course_repo: Path, tmp_path: Path):
    puller = pytest.importorskip("nbgitpuller.pull", reason="nbgitpuller is a test dependency (pip install .[test])")
    sb.commit_student_branch(course_repo, "student")
    link = sb.nbgitpuller_link("https://hub.example.edu", str(course_repo), "student")
    parts = sb.parse_nbgitpuller_link(link)
    home = tmp_path / "home"
    home.mkdir()
    target = home / parts.target
    for _ in puller.GitPuller(parts.repo, str(target), branch=parts.branch, depth=None).pull():
        pass
    assert (target / parts.path).is_file()
    assert not (target / "grading" / "source").exists() and not (target / "tests").exists()
    # the student edits a notebook; the instructor releases an update; the pull merges both
    start = target / "notebooks" / "00_start_here.ipynb"
    start.write_text(start.read_text(encoding="utf-8").replace("Start here", "Start here (my notes)", 1),
                     encoding="utf-8")
    (course_repo / "notebooks" / "UPDATE.md").write_text("week 2\n", encoding="utf-8")
    git(course_repo, "add", "-A")
    git(course_repo, "commit", "-qm", "week 2")
    sb.commit_student_branch(course_repo, "student")
    for _ in puller.GitPuller(parts.repo, str(target), branch=parts.branch, depth=None).pull():
        pass
    assert (target / "notebooks" / "UPDATE.md").read_text() == "week 2\n"
    assert "my notes" in start.read_text(encoding="utf-8")
