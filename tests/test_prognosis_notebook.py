"""Module 05a's text: every author–year citation is in its References list; the synthetic cohort is declared."""

from __future__ import annotations

import re

import nbformat

from conftest import ROOT
from course.references import author_year

NB = ROOT / "notebooks" / "05a_prognosis.ipynb"
BANK = ROOT / "course" / "questions" / "05a_prognosis.yaml"
#: "(Fisher et al., 2010)", "(NICE, 2023b; Smeijers and Depreitere, 2021)", "Schoenfeld et al. (2022)".
CITATION = re.compile(r"([A-Z][\w\-]+(?: et al\.| and [A-Z][\w\-]+)?)(?:, | \()((?:19|20)\d\d[a-z]?)\b")


def _cells():
    return nbformat.read(NB, as_version=4).cells


def bibliography_keys() -> list[str]:
    code = [c.source for c in _cells() if c.cell_type == "code" and "show_bibliography(" in c.source][-1]
    return re.findall(r"\"([a-z0-9_]+)\"", code)


def citations(text: str) -> set[str]:
    return {f"{name}, {year}" for name, year in CITATION.findall(text)}


def test_every_citation_is_in_the_references_list():
    labels = {author_year(k) for k in bibliography_keys()}
    text = "\n".join(c.source for c in _cells() if c.cell_type == "markdown") + BANK.read_text(encoding="utf-8")
    cited = citations(text)
    assert cited, "no citations found: the pattern is broken"
    assert not cited - labels, f"cited but not in References (or wrong a/b suffix): {sorted(cited - labels)}"


def test_the_citation_check_can_fail():
    assert citations("as shown (Rades et al., 2008) and by Schoenfeld et al. (2022)") == {
        "Rades et al., 2008", "Schoenfeld et al., 2022"}
    labels = {author_year(k) for k in bibliography_keys()}
    assert "Rades et al., 2008" not in labels  # two Rades papers of 2008: the label carries a suffix


def test_page_says_the_cohort_is_synthetic():
    text = "\n".join(c.source for c in _cells() if c.cell_type == "markdown")
    assert "**The cohort below is synthetic.**" in text and "invented patients" in text
