"""Regenerate the glossary notebook and link each module's first use of every abbreviation.

    python tools/link_glossary.py            # rewrite notebooks/glossary.ipynb and the modules
    python tools/link_glossary.py --check    # exit 1 (listing the files) if anything would change

Both come from ``course/data/glossary.yaml`` through :mod:`course.glossary`; the test
``tests/test_glossary.py`` runs the same check. Safe to re-run: the result is a fixed point.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course import glossary as G  # noqa: E402
from course.catalogue import MODULES  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"


def glossary_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in G.notebook_cells()]
    for i, cell in enumerate(nb.cells):
        cell.id = f"glossary-{i:02d}"
    return nb


def linked_module(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    for cell, text in zip(cells, G.link_first_uses([c.source for c in cells])):
        cell.source = text
    return nb


def planned() -> dict[Path, str]:
    """Every file this tool writes, with the text it would have."""
    out = {NOTEBOOKS / G.GLOSSARY_NOTEBOOK: nbformat.writes(glossary_notebook()) + "\n"}
    for m in MODULES:
        path = NOTEBOOKS / f"{m.stem}.ipynb"
        out[path] = nbformat.writes(linked_module(path)) + "\n"
    return out


def stale() -> list[Path]:
    """The files whose text differs from what the tool would write."""
    return [p for p, text in planned().items() if not p.exists() or p.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if a file is out of date")
    args = parser.parse_args(argv)
    if args.check:
        out = stale()
        for p in out:
            print(f"out of date: {p.relative_to(ROOT)} (run python tools/link_glossary.py)")
        return 1 if out else 0
    for path, text in planned().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
