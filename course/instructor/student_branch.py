"""A student-only branch of the course, and nbgitpuller links to it.

On a JupyterHub, students get the notebooks with nbgitpuller: a link that clones (first time) or
merges (later) a branch of the course repository into their home folder. That branch must hold
nothing a student may not see — no nbgrader sources, rubrics, grading tools or tests — and neither
may its history, because a clone carries the history with it.

``build_student_tree`` exports a commit with ``git archive`` and runs the repository's own
``postBuild`` on it with ``COURSE_PRUNE_ONLY=1`` (the same removal and the same leak guard as
Binder, without installing anything). ``commit_student_branch`` commits that tree to
``refs/heads/<branch>`` with ``git commit-tree``. The new commit's only parent is the previous
student commit (never a commit of the full repository), so the branch's whole history is student
trees, and students' nbgitpuller merges stay fast-forwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

#: Paths that must never be in a student tree (postBuild removes them; checked again here).
FORBIDDEN = ("grading/source", "grading/tools", "grading/rubrics", "tests", ".ci", ".secrets")
TRAILER = "Student-Branch-Of:"


class StudentBranchError(RuntimeError):
    """The student branch could not be built without risking a leak."""


def _git(repo: Path, *args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> bytes:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env, input=input)
    if result.returncode:
        raise StudentBranchError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def build_student_tree(repo: Path, ref: str = "HEAD", into: Path | None = None) -> Path:
    """Export ``ref`` and prune it with the repository's postBuild; return the folder."""
    into = Path(into or tempfile.mkdtemp(prefix="student-tree-"))
    into.mkdir(parents=True, exist_ok=True)
    archive = _git(repo, "archive", "--format=tar", ref)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    postbuild = into / "postBuild"
    if not postbuild.is_file():
        raise StudentBranchError(f"{ref} has no postBuild: it is not a course commit")
    env = {**os.environ, "COURSE_PRUNE_ONLY": "1"}
    result = subprocess.run(["bash", str(postbuild)], cwd=into, env=env, capture_output=True, text=True)
    if result.returncode:
        raise StudentBranchError("postBuild refused the student tree:\n" + result.stdout + result.stderr)
    left = [p for p in FORBIDDEN if (into / p).exists()]
    if left:
        raise StudentBranchError(f"instructor material survived the prune: {left}")
    return into


def _existing(repo: Path, branch: str) -> str | None:
    result = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
                            capture_output=True, text=True)
    return result.stdout.strip() or None


def check_history(repo: Path, branch: str) -> list[str]:
    """Every forbidden path found in any commit of ``branch`` (empty when the history is clean)."""
    found = []
    for sha in _git(repo, "rev-list", f"refs/heads/{branch}").decode().split():
        names = _git(repo, "ls-tree", "-r", "--name-only", sha).decode().splitlines()
        found += [f"{sha[:10]}:{n}" for n in names if any(n == p or n.startswith(p + "/") for p in FORBIDDEN)]
    return found


def commit_student_branch(repo: Path, branch: str = "student", ref: str = "HEAD") -> str:
    """Build the student tree of ``ref`` and commit it on ``branch``; return the new commit id."""
    repo = Path(repo).resolve()
    source = _git(repo, "rev-parse", "--verify", f"{ref}^{{commit}}").decode().strip()
    parent = _existing(repo, branch)
    if parent:
        message = _git(repo, "log", "-1", "--format=%B", parent).decode()
        if TRAILER not in message:
            raise StudentBranchError(f"branch {branch!r} exists and was not made by this tool; its history "
                                     "may hold instructor material. Choose another branch name.")
        if check_history(repo, branch):
            raise StudentBranchError(f"branch {branch!r} holds instructor material in its history")
    tree_dir = build_student_tree(repo, source)
    index = Path(tempfile.mkdtemp(prefix="student-index-")) / "index"
    try:
        env = {**os.environ, "GIT_INDEX_FILE": str(index), "GIT_WORK_TREE": str(tree_dir)}
        _git(repo, "--work-tree", str(tree_dir), "add", "-A", "--force", ".", env=env)
        tree = _git(repo, "write-tree", env=env).decode().strip()
        if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}").decode().strip() == tree:
            return parent  # nothing changed for students
        message = (f"Student release of {source[:12]}\n\nThe course without instructor material "
                   f"(built by course-instructor student-branch).\n\n{TRAILER} {source}\n")
        args = ["commit-tree", tree, "-F", "-"] + (["-p", parent] if parent else [])
        commit = _git(repo, *args, input=message.encode()).decode().strip()
        _git(repo, "update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []))
        return commit
    finally:
        shutil.rmtree(tree_dir, ignore_errors=True)
        shutil.rmtree(index.parent, ignore_errors=True)


@dataclass(frozen=True)
class PullerLink:
    hub: str
    repo: str
    branch: str
    path: str
    target: str
    app: str = "lab"


def nbgitpuller_link(hub: str, repo: str, branch: str = "student",
                     path: str = "notebooks/00_start_here.ipynb", target: str | None = None,
                     app: str = "lab") -> str:
    """The nbgitpuller link that clones ``branch`` of ``repo`` and opens ``path`` (JupyterLab)."""
    if not hub.startswith(("http://", "https://")):
        raise ValueError(f"hub: expected an http(s) URL such as https://hub.example.edu, got {hub!r}")
    if app not in ("lab", "tree"):
        raise ValueError(f"app: {app!r}; accepted: ['lab', 'tree']")
    target = target or repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    urlpath = f"{app}/tree/{target}/{path.lstrip('/')}"
    query = urlencode({"repo": repo, "branch": branch, "targetPath": target, "urlpath": urlpath},
                      quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def parse_nbgitpuller_link(url: str) -> PullerLink:
    """Read a link made by :func:`nbgitpuller_link` back into its parts."""
    parts = urlsplit(url)
    if not parts.path.endswith("/hub/user-redirect/git-pull"):
        raise ValueError(f"not an nbgitpuller link: {url!r}")
    q = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    app, _, rest = q["urlpath"].partition("/tree/")
    target, _, path = rest.partition("/")
    hub = f"{parts.scheme}://{parts.netloc}{parts.path.removesuffix('/hub/user-redirect/git-pull')}"
    return PullerLink(hub, q["repo"], q.get("branch", ""), path, q.get("targetPath", target), app)
