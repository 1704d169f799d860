"""Execution time of every notebook, and of the whole course.

    python benchmarks/notebooks.py            # each notebook once, on a fresh kernel, one after the other
    python benchmarks/notebooks.py --repeat 3 # the median of three runs per notebook

Each notebook in ``notebooks/`` (found by glob) is executed top to bottom with nbclient on a fresh
``python3`` kernel, in its own folder, exactly as the course site builder does; the time includes
the kernel start (about 1 s here), as a learner's *Restart Kernel and Run All* would. Targets: no
notebook over 15 s, the whole course within 60 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from _common import ROOT, median, print_header, table

NOTEBOOK_TARGET_S = 15.0
COURSE_TARGET_S = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (the median is reported)")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from course.site import execute

    print_header("Notebook execution time (nbclient, fresh kernel each, sequential)")
    rows, total, failed = [], 0.0, False
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        times = []
        for _ in range(args.repeat):
            try:
                _, seconds = execute(path)
            except Exception as exc:  # noqa: BLE001 - report and go on
                print(f"{path.name}: FAILED — {type(exc).__name__}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
                failed = True
                break
            times.append(seconds)
        if not times:
            rows.append([path.name, "failed", "✘"])
            continue
        t = median(times)
        total += t
        rows.append([path.name, f"{t:.1f}", "✔" if t <= NOTEBOOK_TARGET_S else "✘ over 15 s"])
        print(f"  {path.name}: {t:.1f} s", file=sys.stderr, flush=True)
    rows.append(["**total**", f"**{total:.1f}**", "✔" if total <= COURSE_TARGET_S else "✘ over 60 s"])
    print(table(["notebook", "seconds", f"target (≤{NOTEBOOK_TARGET_S:g} s each, ≤{COURSE_TARGET_S:g} s total)"], rows))
    return 1 if failed else 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"\n(wall time of this script: {time.perf_counter() - started:.1f} s)")
    raise SystemExit(code)
