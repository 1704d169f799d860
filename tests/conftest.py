"""Shared test configuration: headless matplotlib, project paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
#: The glossary notebook is generated (tools/link_glossary.py) and checked by tests/test_glossary.py;
#: every other notebook in notebooks/ is a course module.
GLOSSARY_NOTEBOOK = ROOT / "notebooks" / "glossary.ipynb"
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if p != GLOSSARY_NOTEBOOK)


@pytest.fixture(scope="session")
def executed_notebooks():
    """Every module executed once per test run, two at a time, fresh kernel each, widget state kept
    (``course.site.execute_all``): ``{path: (notebook, seconds)}``. Shared by the site build and the
    student-view scan, so the suite does not execute the course once for each; treat it as read-only
    (copy before changing)."""
    from course import site

    return site.execute_all(NOTEBOOKS, jobs=2)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


# Notebooks under tests/ are fixtures (submissions, frozen assignments), not course modules: nbval
# must not execute them (pytest collects *.ipynb everywhere under testpaths with --nbval-lax).
collect_ignore_glob = ["data/*", "data/**/*", "fixtures/*", "fixtures/**/*"]
