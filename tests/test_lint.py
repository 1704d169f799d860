"""Static lint of the Python sources: undefined names, unused imports and variables (pyflakes)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

TARGETS = ["course", "tests", "benchmarks", "grading/tools", "tools", "dev.py"]


def test_pyflakes_clean():
    pytest.importorskip("pyflakes")
    result = subprocess.run([sys.executable, "-m", "pyflakes", *[str(ROOT / t) for t in TARGETS]],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyflakes_catches_an_undefined_name(tmp_path):
    pytest.importorskip("pyflakes")
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    return undefined_name\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pyflakes", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0 and "undefined_name" in result.stdout
