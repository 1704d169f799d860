#!/usr/bin/env python3
"""Set up and run the course with nothing but Python 3.11 and pip.

    python3 dev.py course   # install into .venv and open the course in JupyterLab
    python3 dev.py test     # install into .venv (with test extras) and run the whole test suite

Both commands are idempotent: the virtual environment ``.venv`` is created on first use and
re-used afterwards. Extra arguments after ``test`` are passed to pytest (``python3 dev.py test -k sins``).
"""

from __future__ import annotations

import os
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


def course() -> None:
    """Install and launch JupyterLab on the course's first notebook."""
    install()
    args = [BIN / "jupyter", "lab", "--notebook-dir", ROOT, "notebooks/00_start_here.ipynb"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    run(*args)


def test(pytest_args: list[str]) -> None:
    """Install with the test extras and run pytest over tests/ and notebooks/ (see pyproject.toml)."""
    install("test")
    run(PY, "-m", "pytest", *pytest_args)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"course", "test"}:
        sys.exit(__doc__)
    if argv[0] == "course":
        course()
    else:
        test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
