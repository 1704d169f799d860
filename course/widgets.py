"""The base class of every interactive in the course.

An interactive separates *building the controls* from *redrawing*: a subclass implements
:meth:`FigureApp.build_controls` (returns the named ipywidgets) and :meth:`FigureApp.render`
(draws the current state on a cleared figure and returns its alt text and an explanation).
The base class wires the observers, renders the figure to an ``<img alt=…>`` HTML widget and
lets tests drive the app headless with :meth:`FigureApp.set`::

    app = SomeApp()
    app.set(level="T12")
    assert "junctional" in app.explanation.value

No browser or kernel front-end is needed: ipywidgets hold their values in Python.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course.plotting import CSS_DPI, canvas_frame_html, frame_html, new_figure, notify_rendered


@dataclass(frozen=True)
class Rendered:
    """What :meth:`FigureApp.render` returns: the figure's alt text and an HTML explanation."""

    alt: str
    html: str = ""


@dataclass
class UpdateStats:
    """Wall-clock timings of the app's updates, in seconds (read by the benchmarks)."""

    durations: list[float] = field(default_factory=list)


class FigureApp:
    """Base class for an interactive figure with controls and an explanation panel.

    Subclasses set :attr:`figsize` and implement :meth:`build_controls` and :meth:`render`.
    :attr:`state` is a dict the subclass may fill during ``render`` with the model's results,
    so tests can check the consequence of a change, not only the picture.
    """

    figsize: tuple[float, float] = (6.0, 3.5)
    title: str = ""
    #: Clear the figure before every ``render`` (simple). For updates under ~50 ms, set it to False,
    #: create the axes and artists once in :meth:`setup` and only update their data in ``render``.
    clear_each_update: bool = True

    def __init__(self) -> None:
        self.state: dict[str, Any] = {}
        self.stats = UpdateStats()
        self.controls: dict[str, W.Widget] = self.build_controls()
        self.figure = W.HTML(layout=W.Layout(min_height="120px"))
        self.explanation = W.HTML()
        # No layout engine: constrained layout doubles the cost of every redraw. Set margins in setup().
        self._fig: Figure = new_figure(*self.figsize, layout=None)
        self._suspended = False
        self.setup(self._fig)
        for widget in self.controls.values():
            if hasattr(widget, "value"):
                widget.observe(self._on_change, names="value")
        self.update()

    # -- to implement -------------------------------------------------------------------------
    def build_controls(self) -> dict[str, W.Widget]:
        """Return the named controls (sliders, dropdowns, toggles…)."""
        raise NotImplementedError

    def render(self, fig: Figure, **values: Any) -> Rendered:
        """Draw the state given by ``values`` on ``fig`` (cleared first if :attr:`clear_each_update`)."""
        raise NotImplementedError

    def setup(self, fig: Figure) -> None:
        """Create axes and artists once (optional; used when :attr:`clear_each_update` is False)."""

    # -- machinery ------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The current value of every control that has one."""
        return {name: w.value for name, w in self.controls.items() if hasattr(w, "value")}

    def set(self, **values: Any) -> "FigureApp":
        """Set several controls at once and redraw once (for tests and presets).

        Raises:
            ValueError: for an unknown control name, listing the accepted names.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"{unknown[0]}: not a control of {type(self).__name__}; accepted: {sorted(self.controls)}"
            )
        self._suspended = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._suspended = False
        self.update()
        return self

    def set_quietly(self, **values: Any) -> None:
        """Set controls without redrawing (for a callback that adjusts other controls mid-update)."""
        was, self._suspended = self._suspended, True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._suspended = was

    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self._suspended:
            self.update()

    def update(self) -> None:
        """Redraw the figure and explanation from the current control values."""
        start = time.perf_counter()
        if self.clear_each_update:
            self._fig.clear()
        rendered = self.render(self._fig, **self.values())
        self.figure.value = canvas_frame_html(self._fig, rendered.alt)
        self.explanation.value = rendered.html
        self.state["alt"] = rendered.alt
        self.stats.durations.append(time.perf_counter() - start)

    def control_box(self) -> W.Widget:
        """The controls laid out in a wrapping row."""
        return W.HBox(
            list(self.controls.values()),
            layout=W.Layout(flex_flow="row wrap", gap="4px 12px"),
        )

    @property
    def ui(self) -> W.Widget:
        """The complete interactive: title, controls, figure and explanation."""
        parts: list[W.Widget] = []
        if self.title:
            parts.append(W.HTML(f"<b>{self.title}</b>"))
        parts += [self.control_box(), self.figure, self.explanation]
        return W.VBox(parts)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


class BlitFigureApp(FigureApp):
    """A :class:`FigureApp` whose update redraws only the artists listed in ``self.dynamic``.

    The static parts — axes, tick labels, bands — are drawn once into a cached background; each
    update restores it, draws the dynamic artists (created in ``setup`` and appended to
    ``self.dynamic``) and encodes the pixels as PNG. ``render`` must change only those artists.
    (For the other route to the same speed, see :func:`course.plotting.bake_background`.)
    """

    clear_each_update = False

    def __init__(self) -> None:
        self.dynamic: list[Any] = []
        self._background: Any = None
        super().__init__()

    def update(self) -> None:
        start = time.perf_counter()
        rendered = self.render(self._fig, **self.values())
        canvas = self._fig.canvas
        if self._background is None:
            canvas = FigureCanvasAgg(self._fig)
            for artist in self.dynamic:
                artist.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self._fig.bbox)
        canvas.restore_region(self._background)
        for artist in self.dynamic:
            self._fig.draw_artist(artist)
        self.figure.value = frame_html(canvas.buffer_rgba(), rendered.alt, scale=self._fig.dpi / CSS_DPI)
        notify_rendered(self._fig, "frame")
        self.explanation.value = rendered.html
        self.state["alt"] = rendered.alt
        self.stats.durations.append(time.perf_counter() - start)
