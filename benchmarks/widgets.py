"""Update latency of every interactive, measured inside a real Jupyter kernel.

    python benchmarks/widgets.py              # 3 rounds over every control's values
    python benchmarks/widgets.py --rounds 5
    python benchmarks/widgets.py --only prognosis_apps   # one module's apps

Every :class:`course.widgets.FigureApp` subclass is discovered (all ``course`` submodules are
imported and the subclass tree is walked; abstract bases that cannot be built with defaults are
listed and skipped). In a fresh ``python3`` kernel started with nbclient, each app is instantiated
with its defaults and every control is driven through several values (each option of a choice, up
to 8 evenly spaced values of a slider, both states of a toggle) with ``app.set(name=value)``. The
time of each ``set`` call is recorded — the whole update a learner waits for in the kernel: the
model, the matplotlib redraw, the PNG encoding and the widget message to the front-end. The first
value of each control is a warm-up and is not counted. Target: median ≤ 50 ms per app.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

MARK = "@@WIDGET-BENCH@@"
MEDIAN_TARGET_MS = 50.0
MAX_VALUES = 8


# ----------------------------------------------------------------------------------------------
# Runs inside the kernel
# ----------------------------------------------------------------------------------------------
def discover() -> tuple[list[type], list[str]]:
    """Every FigureApp subclass defined in the course package (imports all submodules first)."""
    import importlib
    import pkgutil

    import course
    from course.widgets import FigureApp

    errors = []
    for info in pkgutil.walk_packages(course.__path__, "course."):
        if info.name.startswith(("course.instructor", "course.site")):
            continue
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # noqa: BLE001 - report, go on
            errors.append(f"{info.name}: import failed ({type(exc).__name__}: {exc})")
    seen, stack = [], list(FigureApp.__subclasses__())
    while stack:
        cls = stack.pop(0)
        if cls not in seen:
            seen.append(cls)
            stack.extend(cls.__subclasses__())
    apps = [c for c in seen if c.__module__.startswith("course.")]
    return sorted(apps, key=lambda c: (c.__module__, c.__name__)), errors


def control_values(widget) -> list:
    """Values to drive one control through (its current value first, as the warm-up)."""
    current = getattr(widget, "value", None)
    values: list = []
    if hasattr(widget, "_options_values"):  # Dropdown, RadioButtons, ToggleButtons, Select, SelectionSlider
        opts = list(widget._options_values)
        if type(widget).__name__.startswith("SelectMultiple"):
            values = [tuple(opts[: i + 1]) for i in range(min(len(opts), MAX_VALUES))]
        elif type(widget).__name__ == "SelectionRangeSlider":
            values = [(opts[0], opts[i]) for i in range(min(len(opts), MAX_VALUES))]
        else:
            values = opts
    elif isinstance(current, bool):
        values = [not current, current]
    elif isinstance(current, tuple) and hasattr(widget, "min"):  # range sliders
        lo, hi = widget.min, widget.max
        span = (hi - lo) / (MAX_VALUES + 1)
        values = [(lo + i * span, lo + (i + 1) * span) for i in range(MAX_VALUES)]
        if isinstance(current[0], int):
            values = [(int(a), int(b)) for a, b in values]
    elif isinstance(current, (int, float)) and hasattr(widget, "min") and hasattr(widget, "max"):
        lo, hi = widget.min, widget.max
        n = MAX_VALUES if isinstance(current, float) else min(MAX_VALUES, int(hi - lo) + 1)
        values = [lo + (hi - lo) * i / max(n - 1, 1) for i in range(n)]
        if isinstance(current, int):
            values = sorted({int(round(v)) for v in values})
        elif getattr(widget, "step", None):
            values = [round(lo + round((v - lo) / widget.step) * widget.step, 10) for v in values]
    values = [v for v in values if v != current][: MAX_VALUES]
    return [current] + values if values else []


def measure_all(rounds: int = 3, only: str = "") -> dict:
    """Instantiate and drive every app (or those whose name contains ``only``); timings in milliseconds."""
    import time as _time

    apps, errors = discover()
    apps = [c for c in apps if only in f"{c.__module__}.{c.__name__}"]
    results = []
    for cls in apps:
        name = f"{cls.__module__}.{cls.__name__}"
        try:
            start = _time.perf_counter()
            app = cls()
            first_ms = (_time.perf_counter() - start) * 1000
        except Exception as exc:  # noqa: BLE001 - abstract bases and apps needing arguments
            results.append({"app": name, "skipped": f"{type(exc).__name__}: {exc}"[:160]})
            continue
        samples: list[float] = []
        failures: list[str] = []
        driven = []
        for cname, widget in app.controls.items():
            values = control_values(widget)
            if not values:
                continue
            driven.append(cname)
            original = widget.value
            for r in range(rounds):
                for i, value in enumerate(values):
                    try:
                        t0 = _time.perf_counter()
                        app.set(**{cname: value})
                        dt = (_time.perf_counter() - t0) * 1000
                    except Exception as exc:  # noqa: BLE001 - an invalid combination: count, go on
                        failures.append(f"{cname}={value!r}: {type(exc).__name__}: {exc}"[:160])
                        continue
                    if r or i:  # the first value of the first round is the warm-up
                        samples.append(dt)
            try:
                app.set(**{cname: original})
            except Exception:  # noqa: BLE001
                pass
        results.append({"app": name, "controls": driven, "first_ms": first_ms, "samples": samples,
                        "failures": failures[:5], "n_failures": len(failures)})
    return {"results": results, "errors": errors}


def kernel_main(rounds: int, only: str = "") -> None:
    """Entry point inside the kernel: print the results as one JSON line after a marker."""
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    print(MARK + json.dumps(measure_all(rounds, only)))


# ----------------------------------------------------------------------------------------------
# Runs in the driver process
# ----------------------------------------------------------------------------------------------
def run_in_kernel(rounds: int, only: str = "") -> dict:
    import nbformat
    from nbclient import NotebookClient

    here = Path(__file__).resolve()
    code = (f"import runpy\nns = runpy.run_path({str(here)!r}, run_name='widget_bench')\n"
            f"ns['kernel_main']({rounds}, {only!r})")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(nb, timeout=1800, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(here.parent.parent)}})
    client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("output_type") == "stream")
    line = next(l for l in text.splitlines() if l.startswith(MARK))
    return json.loads(line[len(MARK):])


def main(argv: list[str] | None = None) -> int:
    from _common import median, percentile, print_header, table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over every control's values")
    parser.add_argument("--only", default="", help="measure only the apps whose name contains this text")
    args = parser.parse_args(argv)
    print_header("Interactive update latency (app.set in a Jupyter kernel)")
    started = time.perf_counter()
    data = run_in_kernel(args.rounds, args.only)
    rows, worst, skipped = [], 0.0, []
    for r in data["results"]:
        if "skipped" in r:
            skipped.append(f"{r['app']} ({r['skipped']})")
            continue
        s = r["samples"]
        med, p95 = median(s), percentile(s, 95)
        worst = max(worst, med)
        rows.append([r["app"].removeprefix("course."), ", ".join(r["controls"]), len(s), f"{r['first_ms']:.0f}",
                     f"{med:.1f}", f"{p95:.1f}", f"{max(s):.1f}" if s else "–",
                     "✔" if med <= MEDIAN_TARGET_MS else "✘ over 50 ms"])
        if r["n_failures"]:
            print(f"  {r['app']}: {r['n_failures']} values raised, e.g. {r['failures'][0]}", file=sys.stderr)
    print(table(["app", "controls driven", "updates", "first render ms", "median ms", "p95 ms", "max ms",
                 f"target (median ≤ {MEDIAN_TARGET_MS:g} ms)"], rows))
    if skipped:
        print("\nNot instantiable with defaults (abstract bases): " + "; ".join(skipped))
    for e in data["errors"]:
        print(f"\nWarning: {e}")
    print(f"\n{len(rows)} apps; slowest median {worst:.1f} ms. (wall time {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
