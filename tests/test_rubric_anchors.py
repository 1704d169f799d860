"""Every rubric point names the notebook section that teaches it, and that section teaches its key terms.

Anchor syntax (docs/CONVENTIONS.md, "Clinical corrections"), inside the text of each rubric point::

    [taught: 03 § Triage: pathway, clock and steroids | dexamethasone 16 mg, proton-pump inhibitor]

``03`` is the notebook number (``notebooks/03_*.ipynb``; ``03a`` for ``03a_*``), the text after ``§`` is a
heading of that notebook exactly as written (any level from ``##`` down), and the comma-separated terms after
``|`` must each appear (case-insensitive) in the Markdown of that section: from the heading to the next heading
of the same or a higher level. A point may carry several anchors. Rubrics are read from the generated files
``grading/rubrics/*.md`` (written by ``grading/tools/build_assignments.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = sorted((ROOT / "grading" / "rubrics").glob("a*.md"))

#: Rubrics whose points are not anchored yet (their owner removes the name when they are).
PENDING: set[str] = set()

ANCHOR = re.compile(r"\[taught: (?P<nb>\d\d[a-z]?) § (?P<heading>[^|\]]+?) \| (?P<terms>[^\]]+)\]")
POINT = re.compile(r"^- \*\*[\d.]+ pt\*\* — (?P<text>.+)$", re.M)


def _norm(text: str) -> str:
    """Lower case, Markdown emphasis removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip().lower()


def sections(nb_id: str) -> dict[str, str]:
    """Heading text → normalised Markdown of its section, for notebook ``nb_id``."""
    paths = sorted((ROOT / "notebooks").glob(f"{nb_id}_*.ipynb"))
    if len(paths) != 1:
        raise LookupError(f"no single notebook notebooks/{nb_id}_*.ipynb (found {[p.name for p in paths]})")
    lines: list[str] = []
    for cell in nbformat.read(paths[0], as_version=4).cells:
        if cell.cell_type == "markdown":
            lines += cell.source.splitlines()
    heads = [(i, len(m.group(1)), m.group(2).strip()) for i, line in enumerate(lines)
             if (m := re.match(r"^(#{2,6})\s+(.+?)\s*$", line))]
    out = {}
    for k, (i, level, title) in enumerate(heads):
        end = next((j for j, lv, _ in heads[k + 1:] if lv <= level), len(lines))
        out[title] = _norm("\n".join(lines[i + 1:end]))
    return out


def check_anchor(nb_id: str, heading: str, terms: str) -> list[str]:
    """Problems with one anchor (empty when it resolves and every term is found)."""
    try:
        secs = sections(nb_id)
    except LookupError as exc:
        return [str(exc)]
    if heading not in secs:
        return [f"notebook {nb_id} has no heading {heading!r}"]
    missing = [t.strip() for t in terms.split(",") if t.strip() and _norm(t) not in secs[heading]]
    return [f"{nb_id} § {heading}: term {t!r} not taught there" for t in missing]


def points(path: Path) -> list[str]:
    return [m.group("text") for m in POINT.finditer(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", RUBRICS, ids=[p.stem for p in RUBRICS])
def test_every_rubric_point_is_anchored_to_the_section_that_teaches_it(path):
    if path.stem in PENDING:
        pytest.skip(f"{path.stem}: anchors pending (owner: modules 05–08)")
    pts = points(path)
    assert pts, f"{path.name}: no rubric points found"
    problems = []
    for text in pts:
        anchors = list(ANCHOR.finditer(text))
        if not anchors:
            problems.append(f"no [taught: …] anchor in: {text[:80]}")
        for a in anchors:
            problems += check_anchor(a["nb"], a["heading"].strip(), a["terms"])
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_anchor_check_can_fail():
    assert check_anchor("03", "Triage: pathway, clock and steroids", "dexamethasone") == []
    assert check_anchor("03", "Triage: pathway, clock and steroids", "intrathecal chemotherapy")
    assert check_anchor("03", "No such heading", "pain")
    assert check_anchor("99", "Anything", "pain")
    assert not ANCHOR.search("- **1 pt** — Urgent whole-spine MRI (taught in module 3).")
