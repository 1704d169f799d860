"""Every figure a student sees, checked for clipped, overlapping and too-small text.

Two sources of figures, together everything the notebooks and ``benchmarks/widgets.py`` reach:

* each notebook's code cells are executed in this process (figures shown with ``course.plotting``
  are checked as they are rendered), and every interactive the notebook builds is then driven
  through its control values;
* every :class:`course.widgets.FigureApp` subclass that builds with defaults (the benchmark's list)
  is driven through its control values in the same way (``benchmarks/widgets.py: control_values``).

Each rendered state is checked by :func:`course.plotting.layout_problems`, with matplotlib's own
text extents (``get_window_extent`` with the renderer that drew them): no text off the figure or
clipped by its axes, no "…" truncation, no two text boxes overlapping, no text under 13 CSS px at
display size. Texts frozen into bitmaps (``Backdrop``) are recorded when they are frozen.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from pathlib import Path

import nbformat
import pytest

from course import plotting
from course.plotting import MIN_TEXT_CSS_PX, drawn_texts, layout_problems, new_figure
from course.widgets import FigureApp

from conftest import NOTEBOOKS, ROOT

#: How many values of each control are visited, and how many states of one interactive at most
#: (spread over its controls), to keep the test within a minute or two.
MAX_VALUES = 5
MAX_STATES = 40

_spec = importlib.util.spec_from_file_location("widget_bench", ROOT / "benchmarks" / "widgets.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _key_forms() -> re.Pattern:
    from course.references import references

    # the keys as written (case matters: "NICE NG234" is a label, "nice ng234" a key) that carry a year or
    # number, so that an ordinary phrase such as "source document" is not mistaken for its key
    forms = {f for k in references() for f in (k, k.replace("_", " ")) if re.search(r"\d", f)}
    return re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")(?![\w-])")


_KEY_FORMS = _key_forms()
_SNAKE = re.compile(r"(?<![\w./-])[a-z][a-zA-Z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/])")


def internal_names(fig) -> list[str]:
    """Text drawn in a figure that is a code name: snake_case, or a reference key with or without
    its underscores ("heimdal1992", "nice ng234") — a legend made from ids instead of labels."""
    out = []
    for b in drawn_texts(fig):
        for m in _SNAKE.finditer(b.text):
            out.append(f"{b.text[:40]!r} shows the code name {m.group(0)!r}")
        for m in _KEY_FORMS.finditer(b.text):
            out.append(f"{b.text[:40]!r} shows the reference key {m.group(0)!r}")
    return out


class Recorder:
    """Collects the layout problems of every figure rendered while it is installed."""

    def __init__(self) -> None:
        self.context = ""
        self.problems: dict[str, list[str]] = {}
        self.checked = 0

    def __call__(self, fig, stage: str) -> None:
        if stage == "bitmap":
            return  # a bitmap's texts are checked with the figure that shows it
        self.checked += 1
        for problem in layout_problems(fig) + internal_names(fig):
            seen = self.problems.setdefault(problem, [])
            if len(seen) < 3 and self.context not in seen:
                seen.append(self.context)

    def report(self) -> str:
        return "\n".join(f"- {p}  [{'; '.join(c)}]" for p, c in sorted(self.problems.items()))


@pytest.fixture
def recorder():
    rec = Recorder()
    plotting.LAYOUT_HOOKS.append(rec)
    try:
        yield rec
    finally:
        plotting.LAYOUT_HOOKS.remove(rec)


def drive(app: FigureApp, rec: Recorder, name: str) -> None:
    """Every control of ``app`` through its values (one control at a time, then back)."""
    rec.context = f"{name} (defaults)"
    app.update()
    driven = [(n, w) for n, w in app.controls.items() if bench.control_values(w)]
    if len(driven) > MAX_STATES:  # e.g. a worksheet of 135 fields: an even sample of them
        driven = driven[:: -(-len(driven) // MAX_STATES)]
    per_control = max(1, min(MAX_VALUES, MAX_STATES // max(len(driven), 1)))
    for cname, widget in driven:
        values = bench.control_values(widget)
        original = getattr(widget, "value", None)
        step = max(1, (len(values) - 1) // per_control)
        for value in values[1::step][:per_control]:
            rec.context = f"{name} {cname}={value!r}"
            try:
                app.set(**{cname: value})
            except ValueError:
                continue  # an invalid combination the app refuses, as a student would see
        if values:
            with contextlib.suppress(ValueError):
                app.set(**{cname: original})


# ----------------------------------------------------------------------------------------------
# The check itself can fail
# ----------------------------------------------------------------------------------------------
def test_layout_check_catches_each_kind_of_mistake():
    fig = new_figure(5.0, 3.0, layout=None)
    ax = fig.add_axes((0.15, 0.15, 0.8, 0.8))
    ax.text(0.2, 0.5, "first label", fontsize=9)
    ax.text(0.22, 0.5, "second label", fontsize=9)  # drawn over the first
    fig.text(0.97, 0.5, "runs off the right edge", fontsize=9)
    fig.text(0.02, 0.02, "tiny", fontsize=5)
    fig.text(0.5, 0.02, "Sensory l…", fontsize=9)
    problems = "\n".join(layout_problems(fig))
    assert "'first label' overlaps 'second label'" in problems
    assert "'runs off the right edge' runs off the figure" in problems
    assert "'tiny' is" in problems and f"< {MIN_TEXT_CSS_PX:g}" in problems
    assert "truncated" in problems


def test_layout_check_passes_a_clean_figure():
    fig = new_figure(5.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.set_xlabel("time (days)")
    ax.set_ylabel("dose (mg)")
    ax.set_title("A clean figure")
    ax.legend(loc="lower right")
    assert layout_problems(fig) == []


def test_layout_check_sees_text_frozen_into_a_backdrop(recorder):
    """A label baked into a backdrop still counts: a live label drawn over it is an overlap."""
    from course.plotting import bake_background
    from course.widgets import Rendered
    import ipywidgets as W

    class Baked(FigureApp):
        clear_each_update = False

        def build_controls(self):
            return {"x": W.FloatSlider(value=0.5, min=0, max=1)}

        def setup(self, fig):
            ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
            ax.set_xlim(0, 1)
            ax.text(0.5, 0.5, "frozen label", fontsize=9)
            bake_background(fig)
            self.live = ax.text(0.5, 0.5, "live label", fontsize=9)

        def render(self, fig, x):
            self.live.set_x(x)
            return Rendered(alt=f"live label at {x}")

    app = Baked()
    app.set(x=0.52)  # over the frozen label
    assert any("overlaps" in p for p in recorder.problems), recorder.report()


# ----------------------------------------------------------------------------------------------
# Every figure of every notebook, and every state of its interactives
# ----------------------------------------------------------------------------------------------
def run_notebook(path: Path, rec: Recorder) -> list[FigureApp]:
    """Execute the notebook's code cells here; return the interactives it built."""
    built: list[FigureApp] = []
    original_init = FigureApp.__init__

    def init(self, *args, **kwargs):
        built.append(self)
        original_init(self, *args, **kwargs)

    nb = nbformat.read(path, as_version=4)
    namespace: dict = {"__name__": "__main__"}
    FigureApp.__init__ = init
    try:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            rec.context = f"{path.stem} cell {i}"
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    exec(compile(cell.source, f"{path.name}:cell{i}", "exec"), namespace)  # noqa: S102
                except Exception:
                    if "raises-exception" not in cell.metadata.get("tags", []):
                        raise
    finally:
        FigureApp.__init__ = original_init
    return built


#: Figures still to fix, by test id → what is wrong (strict: a fixed one must leave this list).
KNOWN: dict[str, str] = {}


def _params(items, ids):
    return [pytest.param(item, id=i, marks=pytest.mark.xfail(strict=True, reason=KNOWN[i]) if i in KNOWN else ())
            for item, i in zip(items, ids)]


@pytest.mark.parametrize("path", _params(NOTEBOOKS, [p.stem for p in NOTEBOOKS]))
def test_notebook_figures_have_clean_text(path, recorder, monkeypatch):
    monkeypatch.chdir(path.parent)
    apps = run_notebook(path, recorder)
    for app in apps:
        drive(app, recorder, f"{path.stem}: {type(app).__name__}")
    assert recorder.checked, "no figure was rendered"
    assert not recorder.problems, f"{len(recorder.problems)} text layout problems:\n{recorder.report()}"


APPS, _ERRORS = bench.discover()


def _buildable(cls) -> bool:
    return not cls.__name__.startswith("_") and cls.__module__ != "course.widgets"


_BUILDABLE = [c for c in APPS if _buildable(c)]


@pytest.mark.parametrize("cls", _params(_BUILDABLE, [f"{c.__module__}.{c.__name__}" for c in _BUILDABLE]))
def test_interactive_states_have_clean_text(cls, recorder):
    try:
        app = cls()
    except (TypeError, AttributeError, NotImplementedError) as exc:
        pytest.skip(f"needs arguments or is abstract ({type(exc).__name__}); covered through the notebooks")
    drive(app, recorder, cls.__name__)
    assert recorder.checked
    assert not recorder.problems, f"{len(recorder.problems)} text layout problems:\n{recorder.report()}"


def test_internal_names_in_a_figure_are_caught():
    fig = new_figure(4, 2)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="heimdal1992")
    ax.plot([0, 1], [1, 0], label="nice ng234")
    ax.set_title("separation_surgery_then_SRS")
    ax.legend()
    found = "\n".join(internal_names(fig))
    assert "heimdal1992" in found and "nice ng234" in found and "separation_surgery_then_SRS" in found
