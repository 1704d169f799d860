"""An nbgrader course directory (the folder holding ``nbgrader_config.py``) and nbgrader's API on it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


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
        from course.instructor.bank import source_dir      # grading/source or $COURSE_ITEM_BANK

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
