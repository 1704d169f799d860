"""Every section of the source document is taught somewhere (tests/data/source_coverage.yaml)."""

from __future__ import annotations

from functools import lru_cache

import nbformat
import pytest
import yaml

from conftest import ROOT

COVERAGE = yaml.safe_load((ROOT / "tests" / "data" / "source_coverage.yaml").read_text(encoding="utf-8"))
CASES = [(section, stem, terms) for section, where in COVERAGE.items() for stem, terms in where.items()]


@lru_cache(maxsize=None)
def teaching_text(stem: str) -> str:
    """Everything a learner reads in a module: notebook cells plus its self-check bank."""
    nb_path = ROOT / "notebooks" / f"{stem}.ipynb"
    bank = ROOT / "course" / "questions" / f"{stem}.yaml"
    assert nb_path.exists(), f"notebook {stem} is missing"
    nb = nbformat.read(nb_path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    if bank.exists():
        text += "\n" + bank.read_text(encoding="utf-8")
    return text.lower()


def test_coverage_map_names_every_source_section():
    assert len(COVERAGE) >= 17


@pytest.mark.parametrize("section,stem,terms", CASES, ids=[f"{s}-{n}" for s, n, _ in CASES])
def test_section_is_taught(section, stem, terms):
    text = teaching_text(stem)
    missing = [t for t in terms if t.lower() not in text]
    assert not missing, f"{section}: {stem} never mentions {missing}"
