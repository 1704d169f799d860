"""Move nbval's visible comment markers into cell tags (one-off migration; safe to re-run).

    python tools/nbval_tags.py notebooks/*.ipynb
"""

from __future__ import annotations

import sys

import nbformat

MARK = "# NBVAL_CHECK_OUTPUT"
TAG = "nbval-check-output"


def migrate(path: str) -> int:
    nb = nbformat.read(path, as_version=4)
    changed = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(MARK):
            cell.source = cell.source[len(MARK):].lstrip("\n")
            tags = cell.metadata.setdefault("tags", [])
            if TAG not in tags:
                tags.append(TAG)
            cell.metadata.pop("execution", None)
            changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(p, migrate(p))
