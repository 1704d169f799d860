"""Re-execute notebooks and store the new outputs of their `nbval-check-output` cells only.

    python tools/refresh_checked_outputs.py notebooks/06_treatment.ipynb

Use it after an intended change of a compared output, and read the diff before committing:
every other cell keeps no output, and nothing else in the notebook changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TAG = "nbval-check-output"


def refresh(path: Path) -> int:
    stored = nbformat.read(path, as_version=4)
    run = nbformat.read(path, as_version=4)
    NotebookClient(run, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    changed = 0
    for old, new in zip(stored.cells, run.cells):
        if old.cell_type == "code" and TAG in old.metadata.get("tags", []):
            outputs = [o for o in new.outputs if o.output_type in ("stream", "execute_result")]
            for o in outputs:
                o.pop("metadata", None) if o.output_type == "stream" else None
            if outputs != old.outputs:
                old.outputs = outputs
                changed += 1
    if changed:
        nbformat.write(stored, path)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, refresh(Path(name)), "compared outputs updated")
