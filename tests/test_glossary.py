"""The glossary: every abbreviation a student meets is defined, and each module links its first use.

Scanned: the markdown cells of every module, every question bank (prompts, options, explanations)
and the human labels (``course/data/labels.yaml``). The glossary notebook and the links are generated
by ``tools/link_glossary.py``; here the files must already be what the tool would write.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import GLOSSARY_NOTEBOOK, NOTEBOOKS, ROOT
from course import glossary as G


def _tool():
    spec = importlib.util.spec_from_file_location("link_glossary", ROOT / "tools" / "link_glossary.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def module_markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "markdown"]


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def student_texts() -> dict[str, list[str]]:
    """Where students read words: module markdown, question banks, human labels."""
    out = {p.name: module_markdown(p) for p in NOTEBOOKS}
    for bank in sorted((ROOT / "course" / "questions").glob("*.yaml")):
        out[f"questions/{bank.name}"] = _strings(yaml.safe_load(bank.read_text(encoding="utf-8")))
    labels = yaml.safe_load((ROOT / "course" / "data" / "labels.yaml").read_text(encoding="utf-8"))
    out["labels.yaml"] = [v for v in _strings(labels)]
    return out


def test_generated_files_are_current():
    stale = _tool().stale()
    assert not stale, ("out of date (run python tools/link_glossary.py): "
                       + ", ".join(str(p.relative_to(ROOT)) for p in stale))


@pytest.mark.parametrize("where", sorted(student_texts()))
def test_every_abbreviation_is_in_the_glossary(where):
    missing = sorted({w for text in student_texts()[where] for w in G.unknown_abbreviations(text)})
    assert not missing, (f"{where}: not in course/data/glossary.yaml: {missing} (add an entry, or list a name "
                         "that is not an abbreviation under not_abbreviations)")


def test_every_entry_is_used():
    g = G.glossary()
    # any mention counts, a citation's author ("NEMA, n.d.") included
    used = {e.term for texts in student_texts().values() for t in texts for m in g.pattern.finditer(t.replace(",", " "))
            if (e := g.lookup(m.group(1)))}
    unused = [e.term for e in g.entries if e.term not in used]
    assert not unused, f"glossary entries no student text uses: {unused}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_first_use_in_each_module_is_linked(path):
    first: dict[str, bool] = {}
    for text in module_markdown(path):
        for use in G.uses(text):
            first.setdefault(use.entry.term, use.linked)
    later_links = []
    seen = set()
    for text in module_markdown(path):
        for use in G.uses(text):
            if use.entry.term in seen and use.linked:
                later_links.append(use.entry.term)
            seen.add(use.entry.term)
    unlinked = sorted(t for t, linked in first.items() if not linked)
    assert not unlinked, f"first use not linked to the glossary: {unlinked}"
    assert not later_links, f"linked again after the first use: {sorted(set(later_links))}"


def test_glossary_links_land_on_a_heading():
    nb = nbformat.read(str(GLOSSARY_NOTEBOOK), as_version=4)
    headings = set(re.findall(r"^### (.+)$", "\n".join(c.source for c in nb.cells), re.M))
    assert headings == {e.anchor for e in G.glossary().entries}
    targets = set()
    for path in NOTEBOOKS:
        targets |= set(re.findall(r"\]\(glossary\.ipynb#([^)\s]+)", "\n".join(module_markdown(path))))
    assert targets and targets <= headings, f"links to no heading: {sorted(targets - headings)}"


def test_glossary_notebook_is_plain_reading():
    nb = nbformat.read(str(GLOSSARY_NOTEBOOK), as_version=4)
    nbformat.validate(nb)
    assert all(c.cell_type == "markdown" for c in nb.cells)
    text = "\n".join(c.source for c in nb.cells)
    assert "Educational use only" in text
    # facts beyond a definition carry an author–year source, and the list at the end resolves them
    assert "(Fisher et al., 2010)" in text and "## References" in text
    assert "fisher2010_sins" not in text


def test_start_page_points_to_the_glossary():
    text = "\n".join(module_markdown(ROOT / "notebooks" / "00_start_here.ipynb"))
    assert "(glossary.ipynb)" in text, "module 00 should tell students where the glossary is"


# ---------------------------------------------------------------------------------------------
# The linker and the checker themselves (so that the checks above can fail)
# ---------------------------------------------------------------------------------------------
def test_link_first_uses_links_once_and_skips_protected_text():
    texts = ["# MSCC in a heading\n\nSee `MSCC` and [MSCC](https://example.org).",
             "Suspected MSCC (NICE, 2023) is an emergency; MSCC again.", "**MSCC** and SC.24 but SC"]
    out = G.link_first_uses(texts)
    assert out[0] == texts[0]
    assert out[1].startswith('Suspected [MSCC](glossary.ipynb#MSCC "metastatic spinal cord compression") (NICE, 2023)')
    assert out[1].endswith("; MSCC again.")
    assert out[2] == ('**MSCC** and [SC.24](glossary.ipynb#SC.24 "Canadian Cancer Trials Group trial SC.24") '
                      'but [SC](glossary.ipynb#SC "subcutaneous")')
    assert G.link_first_uses(out) == out, "not a fixed point"
    # a link after the first use is turned back into the word
    assert G.link_first_uses([out[1], out[1]])[1].startswith("Suspected MSCC (NICE")


def test_unknown_abbreviations_are_found():
    assert G.unknown_abbreviations("The XYZQ score and MSCC, in JupyterLab, with SC.24 and NSAIDs") == ["XYZQ"]


@pytest.mark.parametrize("text, message", [
    ("entries: [{term: B, stands_for: b, meaning: m}, {term: A, stands_for: a, meaning: m}]", "alphabetical"),
    ("entries: [{term: A, stands_for: a, meaning: m, kind: drug}]", "kind"),
    ("entries: [{term: A, stands_for: a}]", "meaning"),
    ("entries: [{term: A, stands_for: a, meaning: m, colour: red}]", "colour"),
    ("entries: [{term: A, stands_for: a, meaning: m, forms: [B]}, {term: B, stands_for: b, meaning: m}]", "two entries"),
    ("entries: [{term: A, stands_for: a, meaning: m}]\nnot_abbreviations: [A]", "also a glossary term"),
])
def test_malformed_glossary_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        G._load(text)


def test_every_source_is_a_reference():
    from course.references import cite

    for e in G.glossary().entries:
        for key in e.sources:
            cite(key)
