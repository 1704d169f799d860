"""Where the graded items live: the public ``grading/source`` or a private item bank.

``grading/source`` is public (anyone can read its solutions and item specs on GitHub), which is
fine for formative use. For summative assessment the instructor keeps the items in a private
folder outside the repository and sets one environment variable::

    export COURSE_ITEM_BANK=~/spine-course-bank      # holds source/aNN_*/aNN_*.ipynb (+ rubrics/)

``grading/nbgrader_config.py`` then points nbgrader's ``CourseDirectory.source_directory`` at
``$COURSE_ITEM_BANK/source``, and every ``course-instructor`` command (generate, autograde, the
leak check …) reads the items from there. Write the bank with the builder:
``python grading/tools/build_assignments.py --out ~/spine-course-bank`` (or a private copy of the
builder that imports ``grading/tools/nbbuild.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

BANK_ENV = "COURSE_ITEM_BANK"


def bank_dir() -> Path | None:
    """The private item bank named by ``$COURSE_ITEM_BANK``, or None for the public items."""
    value = os.environ.get(BANK_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def source_dir(course_root: Path) -> Path:
    """The folder of source notebooks (``<aNN>/<aNN>.ipynb``) the course grades from."""
    bank = bank_dir()
    return bank / "source" if bank else Path(course_root) / "source"


def rubrics_dir(course_root: Path) -> Path:
    bank = bank_dir()
    return bank / "rubrics" if bank else Path(course_root) / "rubrics"


def nbgrader_source_directory() -> str:
    """``CourseDirectory.source_directory`` for nbgrader: an absolute path into the bank, or the
    default relative ``"source"``."""
    bank = bank_dir()
    return str(bank / "source") if bank else "source"
