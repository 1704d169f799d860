"""Issue 12 §4: one time model for every module (docs/CONVENTIONS.md, "Time model"), and each module's core
path fits the time the module table states; advanced material sits in marked optional sections."""

from __future__ import annotations

import math
import re

import nbformat
import pytest

from course import catalogue as C

STEMS = [m.stem for m in C.MODULES]


@pytest.mark.parametrize("stem", STEMS)
def test_core_path_fits_the_stated_time(stem):
    stated = C.module(stem).minutes
    model = C.core_time(stem).minutes
    assert model <= stated, f"{stem}: the core path needs {model:.1f} min by the time model, the table says {stated}"
    # and the table does not pad: at most 10 minutes above the model (the convention: round up to 5)
    assert stated <= model + 10, f"{stem}: state about {5 * math.ceil(model / 5)} min (model {model:.1f})"


def test_the_model_counts_what_it_says():
    t = C.core_time("02_spread_to_the_spine")
    assert t.interactives == 2 and t.questions > 0 and t.optional_words > 300
    expected = t.words / C.WORDS_PER_MINUTE + 2 * C.MINUTES_PER_INTERACTIVE + t.questions * C.MINUTES_PER_QUESTION
    assert t.minutes == pytest.approx(expected)
    # the capstone runner counts the decisions of the case it opens
    from course.case_decisions import walk

    assert C.core_time("08_capstone_cases").questions >= len(walk("renal_t10", {}))
    with pytest.raises(ValueError, match="accepted"):
        C.core_time("99_nothing")


def test_optional_sections_are_excluded(tmp_path):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell("# 00 · T\n\n" + "word " * 150),
                             new_markdown_cell("## Going further (optional): x\n\n" + "word " * 300),
                             new_code_cell("SomeApp()"),
                             new_markdown_cell("## Self-check\n\nword"),
                             new_code_cell('quiz("00_start_here", ["a", "b"])')])
    nbformat.write(nb, str(tmp_path / "00_start_here.ipynb"))
    t = C.core_time("00_start_here", tmp_path)
    assert t.interactives == 0 and t.questions == 2 and t.optional_words > 300 and t.words < 160


# the advanced material named by issue 12 §4 lives in marked optional sections
ADVANCED = {
    "02_spread_to_the_spine": ["Kirchhoff", "bisection"],      # the hydraulic network's internals
    "04_imaging_and_diagnosis": ["RescaleSlope"],             # DICOM tags
    "06_treatment": ["0.87 Gy (Schultheiss", "Re-irradiation uses cumulative limits"],  # four cord α/β, re-irradiation
}


def _optional_and_core(stem: str) -> tuple[str, str]:
    nb = nbformat.read(str(C.notebooks_dir() / f"{stem}.ipynb"), as_version=4)
    core, optional, level = [], [], 0
    for cell in nb.cells:
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        m = re.match(r"^(#{1,6})\s", first) if cell.cell_type == "markdown" else None
        if m and level and len(m.group(1)) <= level:
            level = 0
        om = C.OPTIONAL_HEADING.match(first) if cell.cell_type == "markdown" else None
        if om and "Going further" in first:
            level = len(om.group(1))
        (optional if level else core).append(cell.source)
    return "\n".join(core), "\n".join(optional)


@pytest.mark.parametrize("stem", sorted(ADVANCED))
def test_advanced_material_is_optional(stem):
    core, optional = _optional_and_core(stem)
    assert "Going further (optional)" in optional
    for term in ADVANCED[stem]:
        assert term in optional, (stem, term)
        assert term not in core, (stem, term)
