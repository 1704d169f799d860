#!/usr/bin/env python3
"""Set up and run the course with nothing but Python 3.11 and pip.

    python3 dev.py course               # install into .venv and open the course on module 00
    python3 dev.py course --instructor  # the same, with nbgrader's instructor tools shown
    python3 dev.py test                 # install into .venv (with test extras) and run the whole test suite

Both commands are idempotent: the virtual environment ``.venv`` is created on first use and
re-used afterwards. Extra arguments after ``test`` are passed to pytest (``python3 dev.py test -k sins``).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*cmd: str | os.PathLike[str], **kwargs) -> None:
    """Run a command, echoing it; stop with its exit code on failure."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def install(extras: str = "") -> None:
    """Create ``.venv`` if needed and install the course package (editable) into it."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not PY.exists():
        print(f"Creating {VENV} …", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            # Some system Pythons (Debian's without python3-venv) lack ensurepip: fall back to virtualenv.
            print(f"venv failed ({exc}); trying virtualenv instead", flush=True)
            run(sys.executable, "-m", "pip", "install", "--user", "-q", "virtualenv")
            run(sys.executable, "-m", "virtualenv", VENV)
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target)


NOTEBOOKS = ROOT / "notebooks"
START = "00_start_here.ipynb"
OVERRIDES = ROOT / "jupyterlab-overrides.json"
#: nbgrader's panels a self-learner does not need: the instructor tools (formgrader, Create
#: Assignment, course list, the Nbgrader menu that opens them) and the Assignments list, which needs
#: a course exchange a self-learner does not have (it shows errors without one). The Validate button
#: stays. postBuild hides the same plugins on Binder (tests/test_dev_course.py checks both lists agree).
STUDENT_HIDDEN = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
)


def write_lab_settings(prefix: Path, instructor: bool = False) -> dict[str, Path]:
    """Install the Binder settings into the environment at ``prefix`` (JupyterLab reads both files
    from ``sys.prefix``): the overrides (no news pop-up, no update check) and the page config that
    hides nbgrader's instructor panels, or shows them again with ``instructor=True``."""
    settings = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(OVERRIDES.read_text(encoding="utf-8"), encoding="utf-8")
    page = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    config = json.loads(page.read_text(encoding="utf-8")) if page.is_file() else {}
    disabled = config.setdefault("disabledExtensions", {})
    for plugin in STUDENT_HIDDEN:
        if instructor:
            disabled.pop(plugin, None)
        else:
            disabled[plugin] = True
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return {"overrides": settings, "page_config": page}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(port: int, token: str, instructor: bool = False) -> tuple[list[str], str]:
    """The JupyterLab command ``dev.py course`` runs and the URL it prints.

    The file browser is rooted at ``notebooks/`` (``root_dir``); the URL opens module 00. With
    ``instructor`` the server is rooted at the repository (grading/ is where the instructor works).
    """
    root = ROOT if instructor else NOTEBOOKS
    start = f"notebooks/{START}" if instructor else START
    args = [str(BIN / "jupyter"), "lab", f"--ServerApp.root_dir={root}", f"--ServerApp.default_url=/lab/tree/{start}",
            f"--LabApp.default_url=/lab/tree/{start}",  # `jupyter lab` otherwise sends / to /lab
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", "--ServerApp.open_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    return args, f"http://127.0.0.1:{port}/lab/tree/{start}?token={token}"


def course(instructor: bool = False) -> None:
    """Install and launch JupyterLab on the course's first notebook."""
    install()
    write_lab_settings(VENV, instructor)
    args, url = lab_command(free_port(), secrets.token_hex(16), instructor)
    print(f"\nThe course opens at:\n\n    {url}\n\n(open it in your browser if it does not open by itself; "
          "Ctrl+C here stops the server)\n", flush=True)
    run(*args)


def test(pytest_args: list[str]) -> None:
    """Install with the test extras and run pytest over tests/ and notebooks/ (see pyproject.toml)."""
    install("test")
    run(PY, "-m", "pytest", *pytest_args)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"course", "test"}:
        sys.exit(__doc__)
    if argv[0] == "course":
        extra = set(argv[1:]) - {"--instructor"}
        if extra:
            sys.exit(f"course: unknown option(s) {sorted(extra)}; accepted: --instructor")
        course(instructor="--instructor" in argv[1:])
    else:
        test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
