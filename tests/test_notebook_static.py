"""Static checks of every notebook in notebooks/ (discovered by glob, never listed by hand).

Dynamic checks (execution) are done by nbval over the same folder: see pyproject.toml.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course.catalogue import MODULES
from course.quiz import bank_names, load_bank

from conftest import NOTEBOOKS, ROOT

MODULE_NOTEBOOKS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
ids = [p.name for p in NOTEBOOKS]
CHECK_TAG = "nbval-check-output"
#: nbval's comment markers: visible to students, so the course uses cell tags instead.
COMMENT_MARKERS = ("# NBVAL_CHECK_OUTPUT", "# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP", "# NBVAL_RAISES_EXCEPTION")
REQUIRED_SECTIONS = ["Learning objectives", "Self-check", "Summary", "References"]
MAX_CODE_LINES = 15


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_notebooks_are_discovered():
    assert NOTEBOOKS, "no notebooks found"
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_name_and_catalogue(path):
    assert re.fullmatch(r"\d\d[a-z]?_[a-z0-9_]+\.ipynb", path.name), "name notebooks NN_subject.ipynb (or NNa_… to slot in)"
    assert path.stem in {m.stem for m in MODULES}, "add the module to course/catalogue.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_valid_and_kernelspec(path):
    nb = read(path)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "name the kernelspec (avoids a kernel dialog)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_stray_outputs(path):
    """Outputs are stored only for cells nbval compares (cell tag 'nbval-check-output')."""
    for i, cell in enumerate(read(path).cells):
        if cell.cell_type == "code" and cell.outputs:
            assert CHECK_TAG in cell.metadata.get("tags", []), f"cell {i} stores outputs: clear them"


def comment_markers(nb) -> list[tuple[int, str]]:
    """(cell index, marker) of every visible nbval comment marker in a notebook."""
    return [(i, m) for i, cell in enumerate(nb.cells) for m in COMMENT_MARKERS if m in cell.source]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_nbval_markers_are_cell_tags(path):
    """Students never see a test marker: nbval's comment markers are replaced by cell tags."""
    nb = read(path)
    assert not comment_markers(nb), f"use the cell tag instead of the comment: {comment_markers(nb)}"
    for i, cell in enumerate(nb.cells):
        if CHECK_TAG in cell.metadata.get("tags", []):
            assert cell.cell_type == "code" and cell.outputs, f"cell {i} is compared but stores no output"


def test_nbval_marker_check_can_fail():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)")])
    assert comment_markers(nb) == [(0, "# NBVAL_CHECK_OUTPUT")]


INTERNAL_DOCUMENT = re.compile(r"clinical[ -]reference|§\s*\d", re.I)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_reference_to_documents_students_never_see(path):
    """'clinical reference §10' means nothing to a student: cite the sources themselves."""
    text = "\n".join(c.source for c in read(path).cells)
    found = [m.group(0) for m in INTERNAL_DOCUMENT.finditer(text)]
    assert not found, f"mentions an internal document: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_code_cells_are_short(path):
    """Notebooks tell the story; logic lives in course/."""
    for i, cell in enumerate(read(path).cells):
        if cell.cell_type == "code":
            lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
            assert len(lines) <= MAX_CODE_LINES, f"cell {i} has {len(lines)} lines: move logic into course/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_unfinished_content(path):
    text = "\n".join(c.source for c in read(path).cells)
    for word in ("TODO", "FIXME", "XXX", "lorem ipsum", "TBD"):
        assert word not in text, f"{word!r} left in the notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_local_links_resolve(path):
    for target in re.findall(r'\]\(([^)\s]+)(?:\s+"[^"]*")?\)', markdown(read(path))):
        if re.match(r"^(https?:|mailto:|#)", target):
            continue
        assert (path.parent / target.split("#")[0]).exists(), f"broken link {target}"


@pytest.mark.parametrize("path", MODULE_NOTEBOOKS, ids=[p.name for p in MODULE_NOTEBOOKS])
def test_module_shape(path):
    """Title → objectives → … → self-check → summary → references, in that order."""
    nb = read(path)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    headings = [h.strip() for h in re.findall(r"^## +(.+)$", markdown(nb), flags=re.M)]
    positions = []
    for section in REQUIRED_SECTIONS:
        found = [i for i, h in enumerate(headings) if h.lower().startswith(section.lower())]
        assert found, f"missing section '## {section}'"
        positions.append(found[0])
    assert positions == sorted(positions), f"sections out of order: {headings}"
    assert positions[1] - positions[0] >= 2, "expected content sections between objectives and self-check"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_question_bank_matches_notebook(path):
    """Each notebook has a bank; modules ask ≥ 6 questions covering every objective they state."""
    assert path.stem in bank_names(), f"missing course/questions/{path.stem}.yaml"
    bank = load_bank(path.stem)
    nb = read(path)
    text = markdown(nb)
    for oid in bank.objectives:
        assert re.search(rf"\b{oid}\b", text), f"objective {oid} of the bank is not stated in the notebook"
    uncovered = [o for o, qs in bank.by_objective().items() if not qs]
    assert not uncovered, f"objectives without a question: {uncovered}"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if re.search(rf"quiz\(\s*[\"']{path.stem}[\"']\s*\)", code):
        asked = [q.id for q in bank.questions]
    else:
        asked = [q.id for q in bank.questions if re.search(rf"[\"']{re.escape(q.id)}[\"']", code)]
    if path.name.startswith("00_"):
        assert asked
    else:
        assert len(bank.questions) >= 6 and len(asked) >= 6, f"only {len(asked)} self-check questions asked"
        assert {bank.get(q).objective for q in asked} == set(bank.objectives), "some objectives are never checked"


def _hashes(text: str) -> list[tuple[str, str]]:
    import hashlib

    words = re.findall(r"[a-z0-9%]+", text.lower())
    windows = [" ".join(words[i : i + 10]) for i in range(len(words) - 9)]
    return [(hashlib.sha1(w.encode()).hexdigest()[:16], w) for w in windows]


SOURCE_HASHES = set((ROOT / "tests" / "data" / "source_shingles.txt").read_text(encoding="utf-8").split())


def test_source_hash_check_can_fail():
    """The check below would catch a pasted sentence (guards against an empty or stale hash file)."""
    assert len(SOURCE_HASHES) > 1000
    pasted = "typical dosing 10 mg intravenous bolus followed by 4 mg every six hours gradually tapered"
    assert any(h in SOURCE_HASHES for h, _ in _hashes(pasted))


@pytest.mark.parametrize("path", NOTEBOOKS + sorted((ROOT / "course" / "questions").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_source_document_not_pasted(path):
    """Course text is written in our own words: no run of 10 words is copied from the source document.

    tests/data/source_shingles.txt holds hashes of the document's 10-word windows (tools/hash_source_document.py).
    """
    text = markdown(read(path)) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    copied = [w for h, w in _hashes(text) if h in SOURCE_HASHES]
    assert not copied, f"copied from the source document: {copied[:3]}"


def test_start_page_shows_the_notice():
    nb = read(ROOT / "notebooks" / "00_start_here.ipynb")
    assert "Educational use only — not for clinical decisions" in markdown(nb)


def test_readme_module_table_is_current():
    from course.catalogue import markdown_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "regenerate the README module table from course.catalogue"
    assert "Educational use only — not for clinical decisions" in readme


def test_start_page_module_links_resolve_from_notebooks_folder():
    """The start page shows the module table from inside notebooks/: its links must work from there."""
    from course.catalogue import markdown_table

    for target in re.findall(r"\]\(([^)]+)\)", markdown_table(link_dir="")):
        assert (ROOT / "notebooks" / target).is_file(), target
    for target in re.findall(r"\]\(([^)]+)\)", markdown_table()):
        assert (ROOT / target).is_file(), target
