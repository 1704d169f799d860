"""Spelling of everything learners and instructors read, against codespell's list of common
misspellings plus the project's word list (.codespell-words.txt: medical and bibliographic terms
codespell would otherwise flag, e.g. "en bloc", "OT" for occupational therapy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

TARGETS = ["notebooks", "course", "README.md", "docs", "grading/README.md", "benchmarks"]


def test_no_common_misspellings():
    pytest.importorskip("codespell_lib")
    paths = [str(ROOT / t) for t in TARGETS if (ROOT / t).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "codespell_lib", "--ignore-words", str(ROOT / ".codespell-words.txt"),
         "--skip", "*.png,*.dcm,*.db,__pycache__", *paths],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, "misspellings (fix them or add a real word to .codespell-words.txt):\n" + result.stdout


def test_spelling_check_can_fail(tmp_path):
    pytest.importorskip("codespell_lib")
    bad = tmp_path / "bad.md"
    bad.write_text("The vertebral collumn recieves blood from segmental arteries.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "codespell_lib", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0 and "recieves" in result.stdout
