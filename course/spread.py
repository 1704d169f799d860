"""Module 02 — spread to the spine: figures and interactives built on :mod:`course.venous`.

The model is a *teaching model*: its numbers are illustrative, not physiology data (see
:mod:`course.venous` for what it leaves out). Everything here only draws what the model computes.

Public API
----------
* Figures (each returns ``(fig, alt)``): :func:`network_figure`, :func:`threshold_figure`,
  :func:`pressure_map_figure`.
* Interactives: :class:`ManoeuvreExplorer` (abdominal/thoracic pressure → flows in the network),
  :class:`TracerExplorer` (primary + manoeuvre → where released tumour cells end up).
* Helpers: :func:`describe`, :func:`network_alt`, :func:`rest_solution`, :func:`pressure_map`,
  :func:`primary_ranking_markdown` (the sources' leading primaries, from ``epidemiology.yaml``).
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle

from course import venous as V
from course.plotting import PALETTE, Backdrop, new_figure, style_axes
from course.widgets import FigureApp, Rendered

# ----------------------------------------------------------------------------------------------
# Layout of the schematic (x, y in arbitrary units; the canal is the strip at x = 0)
# ----------------------------------------------------------------------------------------------
LAYOUT: dict[str, tuple[float, float]] = {
    "vvp_cervical": (0.0, 9.3),
    "vvp_thoracic": (0.0, 6.3),
    "vvp_lumbar": (0.0, 3.2),
    "vvp_sacral": (0.0, 0.9),
    "neck": (2.6, 9.3),
    "svc": (4.6, 7.6),
    V.HEART: (6.6, 6.7),
    "azygos": (2.7, 7.3),
    "intercostal": (1.9, 5.3),
    "lumbar": (2.7, 3.1),
    "ivc_high": (6.6, 4.0),
    "ivc_low": (6.6, 2.2),
    "renal": (8.0, 3.0),
    "iliac": (5.0, 1.0),
    "pelvic_plexus": (2.7, 0.5),
    # capillary beds (drawn as labelled stubs)
    "src_head": (4.0, 10.3),
    "src_chest": (3.4, 4.85),
    "src_gut": (8.0, 4.6),
    "src_kidney": (9.1, 2.2),
    "src_legs": (6.3, -0.3),
    "src_pelvis": (3.9, -0.3),
}

SHORT = {
    "vvp_cervical": "cervical\nplexus",
    "vvp_thoracic": "thoracic\nplexus",
    "vvp_lumbar": "lumbar\nplexus",
    "vvp_sacral": "sacral\nplexus",
    "neck": "neck veins",
    "svc": "SVC",
    V.HEART: "right\natrium",
    "azygos": "azygos",
    "intercostal": "intercostal\nveins",
    "lumbar": "lumbar\nveins",
    "ivc_high": "IVC",
    "ivc_low": "IVC",
    "renal": "renal\nvein",
    "iliac": "iliac\nveins",
    "pelvic_plexus": "pelvic\nplexus",
    "src_head": "head, arms",
    "src_chest": "breast, chest wall",
    "src_gut": "gut (via liver)",
    "src_kidney": "kidney",
    "src_legs": "legs",
    "src_pelvis": "prostate, bladder, rectum",
}

#: Where each vein's label sits relative to its node: (dx, dy, ha, va), chosen to keep clear of the arrows.
LABEL_AT = {
    "neck": (-0.25, -0.3, "right", "top"),
    "svc": (0.25, 0.25, "left", "bottom"),
    "azygos": (0.25, 0.25, "left", "bottom"),
    "intercostal": (-0.25, -0.25, "right", "top"),
    "lumbar": (-0.25, 0.3, "right", "bottom"),
    "ivc_high": (-0.3, 0.0, "right", "center"),
    "ivc_low": (0.3, 0.0, "left", "center"),
    "renal": (0.25, 0.25, "left", "bottom"),
    "iliac": (-0.25, 0.3, "right", "bottom"),
    "pelvic_plexus": (0.0, 0.35, "center", "bottom"),
}

COLOURS = {
    "usual": PALETTE["blue"],
    "reversed": PALETTE["vermillion"],
    "none": PALETTE["grey"],
    "plexus": PALETTE["orange"],
    "abdomen": "#FBEFD5",  # pale orange
    "thorax": "#DDEFFA",  # pale sky blue
    "canal": "#E6E6E6",
}

FLOW_EPS = 1e-6  # L/min: below this an edge is drawn as "no flow"


@lru_cache(maxsize=1)
def rest_solution() -> V.Solution:
    """The resting state of the default network (the reference for "reversed")."""
    return V.solve()


def _drawn_edges(net: V.Network) -> list[int]:
    """Edges shown in the diagram (the marrow inflows are left out to keep it readable)."""
    return [k for k, e in enumerate(net.edges) if not e.a.startswith("src_marrow")]


def _direction(sol: V.Solution, k: int) -> str:
    """``usual`` (as at rest), ``reversed`` or ``none`` for edge ``k``."""
    q = sol.flow[k]
    if abs(q) < FLOW_EPS:
        return "none"
    q0 = rest_solution().flow[k]
    return "usual" if abs(q0) < FLOW_EPS or np.sign(q) == np.sign(q0) else "reversed"


LONG = {"ivc_low": "lower IVC", "ivc_high": "upper IVC", V.HEART: "right atrium"}


def _label(name: str) -> str:
    return LONG.get(name, SHORT.get(name, name).replace("\n", " "))


def _shortened(a: tuple[float, float], b: tuple[float, float], gap: float = 0.38,
               gap_a: float | None = None) -> tuple[tuple[float, float], ...]:
    """The segment a–b pulled back by ``gap`` at each end (so arrows stop short of the node markers).

    Done here rather than with the arrow's own ``shrinkA/B``, whose path splitting dominates the redraw time.
    """
    (x0, y0), (x1, y1) = a, b
    # the axes are about twice as wide in data units per pixel horizontally: measure the gap in "screen" units
    dx, dy = (x1 - x0), (y1 - y0) * 1.1
    length = float(np.hypot(dx, dy)) or 1.0
    fa = min((gap if gap_a is None else gap_a) / length, 0.45)
    fb = min(gap / length, 0.45)
    return (x0 + fa * (x1 - x0), y0 + fa * (y1 - y0)), (x1 - fb * (x1 - x0), y1 - fb * (y1 - y0))


class NetworkDiagram:
    """The schematic network on one axes; :meth:`update` restyles the arrows for a new solution.

    With ``prerender=True`` (the interactive) the static parts — compartments, nodes, labels and
    legend — are drawn once into an image that sits under the arrows: redrawing some thirty text
    labels on every update would cost ~100 ms, the image a few.
    """

    XLIM = (-1.9, 10.2)
    YLIM = (-0.9, 10.9)

    def __init__(self, ax: Axes, net: V.Network | None = None, prerender: bool = False) -> None:
        self.ax = ax
        self.net = net or V.default_network()
        self._frame(ax)
        if prerender:  # pasted pixel for pixel behind the axes (no resampling)
            ax.figure.add_artist(Backdrop(self._static_image(ax)))
        else:
            self._draw_static(ax)
        self.arrows: dict[int, FancyArrowPatch] = {}
        for k in _drawn_edges(self.net):
            arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="-|>", mutation_scale=11, shrinkA=0, shrinkB=0,
                                    zorder=2)
            ax.add_patch(arrow)
            self.arrows[k] = arrow

    def _frame(self, ax: Axes) -> None:
        ax.set_xlim(*self.XLIM)
        ax.set_ylim(*self.YLIM)
        ax.set_aspect("auto")
        ax.axis("off")

    def _static_image(self, ax: Axes) -> np.ndarray:
        """The static layer rendered as the whole live figure would be (RGBA pixels)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        live = ax.figure
        fig = Figure(figsize=live.get_size_inches(), dpi=live.dpi)
        canvas = FigureCanvasAgg(fig)
        fig.set_facecolor("white")
        sub = fig.add_axes(ax.get_position().bounds)
        self._frame(sub)
        self._draw_static(sub)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    def _draw_static(self, ax: Axes) -> None:
        ax.add_patch(Rectangle((1.0, 4.55), 8.9, 3.85, color=COLOURS["thorax"], zorder=0))
        ax.add_patch(Rectangle((1.0, -0.75), 8.9, 5.15, color=COLOURS["abdomen"], zorder=0))
        ax.add_patch(Rectangle((-0.45, -0.2), 0.9, 10.2, color=COLOURS["canal"], zorder=0))
        ax.text(9.85, 8.25, "THORAX (chest pressure)", ha="right", va="top", fontsize=8, style="italic")
        ax.text(9.85, -0.6, "ABDOMEN (abdominal pressure)", ha="right", va="bottom", fontsize=8, style="italic")
        ax.text(0.0, 10.35, "bony canal\n(not squeezed)", ha="center", va="bottom", fontsize=8, style="italic")
        for name, (x, y) in LAYOUT.items():
            if name.startswith("src_"):
                ax.text(x, y, SHORT[name], fontsize=8, ha="center", va="center", color="#333333",
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=PALETTE["grey"], lw=0.6), zorder=3)
            elif name.startswith("vvp_"):
                ax.plot([x], [y], marker="s", ms=13, mfc=COLOURS["plexus"], mec="black", mew=1.0, zorder=4)
                ax.text(x - 0.55, y, SHORT[name], fontsize=8, ha="right", va="center", weight="bold")
            elif name == V.HEART:
                ax.plot([x], [y], marker="o", ms=15, mfc="white", mec="black", mew=1.2, zorder=4)
                ax.text(x + 0.45, y, SHORT[name], fontsize=8, ha="left", va="center")
            else:
                ax.plot([x], [y], marker="o", ms=8, mfc="white", mec="black", mew=0.9, zorder=4)
                dx, dy, ha, va = LABEL_AT.get(name, (0.3, 0.3, "left", "bottom"))
                ax.text(x + dx, y + dy, SHORT[name], fontsize=8, ha=ha, va=va, zorder=5)
        handles = [
            Line2D([], [], color=COLOURS["usual"], lw=2, label="flow as at rest"),
            Line2D([], [], color=COLOURS["reversed"], lw=2, label="flow reversed"),
            Line2D([], [], color=COLOURS["none"], lw=1.2, ls="--", label="no flow / valve shut"),
            Line2D([], [], color="black", marker="s", mfc=COLOURS["plexus"], lw=0, label="vertebral plexus"),
        ]
        ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=True, bbox_to_anchor=(1.0, 1.0),
                  borderaxespad=0.1)

    def update(self, sol: V.Solution) -> None:
        """Point every arrow along its flow, width ∝ √|flow|, coloured by direction compared with rest."""
        for k, arrow in self.arrows.items():
            e = self.net.edges[k]
            q = sol.flow[k]
            a, b = _shortened(LAYOUT[e.a], LAYOUT[e.b], gap_a=0.75 if e.a.startswith("src_") else None)
            direction = _direction(sol, k)
            if direction == "none":
                arrow.set_positions(a, b)
                arrow.set_arrowstyle("-")
                arrow.set_linestyle("--")
                arrow.set_linewidth(1.0)
                arrow.set_color(COLOURS["none"])
                continue
            arrow.set_positions(a, b) if q > 0 else arrow.set_positions(b, a)
            arrow.set_arrowstyle("-|>")
            arrow.set_linestyle("-")
            arrow.set_linewidth(0.8 + 2.2 * float(np.sqrt(abs(q))))
            arrow.set_color(COLOURS[direction])


# ----------------------------------------------------------------------------------------------
# Words: what a solution shows
# ----------------------------------------------------------------------------------------------
def describe(sol: V.Solution) -> dict[str, Any]:
    """Plain-language facts about a solution, for alt text and explanations."""
    net = sol.network
    exchange = sol.plexus_exchange()
    entering = [s for s in V.SEGMENTS if exchange[s] > FLOW_EPS]
    leaving = [s for s in V.SEGMENTS if exchange[s] < -FLOW_EPS]
    reversed_edges = [k for k in _drawn_edges(net) if _direction(sol, k) == "reversed"]
    shut = [e for e in sol.closed if not e.a.startswith("src_marrow")]
    return {
        "entering": entering,
        "leaving": leaving,
        "reversed": [f"{_label(net.edges[k].a)} – {_label(net.edges[k].b)}" for k in reversed_edges],
        "shut": [e.label for e in shut],
        "plexus_inflow": sol.plexus_inflow(),
        "heart_return": sol.heart_return(),
        "marrow_shut": sum(1 for e in sol.closed if e.a.startswith("src_marrow")),
    }


def _join(items: list[str], empty: str = "none") -> str:
    if not items:
        return empty
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plexus_sentence(d: dict[str, Any]) -> str:
    if not d["entering"]:
        return f"No blood enters the plexus from the body's veins; it drains out at the {_join(d['leaving'])} segment(s)."
    return (f"Blood enters the plexus from the body's veins at the {_join(d['entering'])} segment(s) and leaves it at "
            f"the {_join(d['leaving'])} segment(s).")


def network_alt(sol: V.Solution) -> str:
    """Alt text for the network diagram of ``sol``."""
    d = describe(sol)
    return (
        f"Schematic venous network (teaching model) with abdominal pressure raised by {sol.abdominal:g} mmHg and "
        f"chest pressure by {sol.thoracic:g} mmHg. The vertebral plexus runs as a column of four orange squares "
        f"(cervical, thoracic, lumbar, sacral) in the bony canal on the left. "
        f"{_plexus_sentence(d)} Connections reversed compared with rest: {_join(d['reversed'])}. "
        f"Valves or one-way vessels shut: {_join(d['shut'])}."
    )


# ----------------------------------------------------------------------------------------------
# Static figures
# ----------------------------------------------------------------------------------------------
def network_figure(abdominal: float = 0.0, thoracic: float = 0.0) -> tuple[Figure, str]:
    """The network at the given pressures: arrows along the flows, reversed ones in vermillion."""
    fig = new_figure(7.2, 6.0, layout=None)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
    diagram = NetworkDiagram(fig.add_subplot())
    sol = V.solve(None, abdominal, thoracic)
    diagram.update(sol)
    return fig, network_alt(sol)


def threshold_figure(thoracic: tuple[float, ...] = (0.0, 30.0, 45.0), max_abdominal: float = 60.0) -> tuple[Figure, str]:
    """Flow between the pelvic plexus and the sacral plexus as abdominal pressure rises.

    One line per chest pressure; the dot marks the reversal threshold found by bisection.
    """
    fig = new_figure(6.4, 3.4)
    ax = fig.add_subplot()
    style_axes(ax)
    grid = np.linspace(0.0, max_abdominal, 121)
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["bluish_green"], PALETTE["reddish_purple"]]
    styles = ["-", "--", "-.", ":"]
    parts = []
    for i, t in enumerate(thoracic):
        q = [s.flow_between("pelvic_plexus", "vvp_sacral") for s in V.sweep(grid, t)]
        thr = _threshold(float(t))
        label = f"chest +{t:g} mmHg" + (f": reverses at {thr:.1f} mmHg" if thr is not None else ": no reversal")
        ax.plot(grid, q, color=colours[i % 4], ls=styles[i % 4], lw=2, label=label)
        if thr is not None:
            ax.plot([thr], [0.0], "o", color=colours[i % 4], mec="black", ms=7, zorder=5)
            parts.append(f"{thr:.1f} mmHg with the chest at +{t:g} mmHg")
    ax.axhline(0.0, color="black", lw=0.8)
    ax.text(max_abdominal, 0.02, "into the spine ↑", ha="right", va="bottom", fontsize=8)
    ax.text(max_abdominal, -0.02, "out of the spine ↓", ha="right", va="top", fontsize=8)
    ax.set_xlabel("rise in abdominal pressure (mmHg)")
    ax.set_ylabel("pelvic → sacral plexus flow\n(L/min, illustrative)")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    alt = (
        "Line chart from the teaching model: flow from the pelvic venous plexus into the sacral vertebral plexus "
        f"against the rise in abdominal pressure (0 to {max_abdominal:g} mmHg), one line per chest pressure. "
        "Each line starts just below zero (at rest the plexus drains into the pelvic veins), rises and crosses "
        f"zero at the reversal threshold, marked by a dot: {_join(parts)}."
    )
    return fig, alt


@lru_cache(maxsize=4)
def _solution_grid(values: tuple[float, ...]) -> tuple[tuple[V.Solution, ...], ...]:
    """Solutions over a square grid: rows = chest pressure, columns = abdominal pressure (cached)."""
    return tuple(tuple(V.solve(None, a, t) for a in values) for t in values)


def pressure_map(primary: str, values: np.ndarray, retention: float = 0.5) -> np.ndarray:
    """Fraction of a primary's cells lodging in the spine over a grid of (abdominal, thoracic) pressures.

    Rows are chest pressures and columns abdominal pressures, both taken from ``values``.
    """
    if primary not in V.PRIMARIES:
        raise ValueError(f"primary: {primary!r}; accepted: {list(V.PRIMARIES)}")
    node = V.PRIMARIES[primary].node
    out = np.zeros((len(values), len(values)))
    if node is None:
        return out
    for i, row in enumerate(_solution_grid(tuple(float(v) for v in values))):
        for j, sol in enumerate(row):
            out[i, j] = V.tracer(sol, node, retention).spine
    return out


def pressure_map_figure(primaries: tuple[str, ...] = ("prostate", "breast"), max_pressure: float = 60.0,
                        steps: int = 13, retention: float = 0.5) -> tuple[Figure, str]:
    """Heat maps: share of each primary's cells that lodge in the spine, by abdominal and chest pressure."""
    values = np.linspace(0.0, max_pressure, steps)
    fig = new_figure(3.3 * len(primaries) + 0.8, 3.3)
    axes = fig.subplots(1, len(primaries), sharey=True, squeeze=False)[0]
    sentences = []
    image = None
    for ax, key in zip(axes, primaries):
        grid = pressure_map(key, values, retention)
        image = ax.imshow(grid, origin="lower", cmap="cividis", vmin=0, vmax=1, aspect="auto",
                          extent=(values[0], values[-1], values[0], values[-1]))
        ax.plot([0, max_pressure], [0, max_pressure], color="white", lw=1, ls="--")
        ax.set_title(V.PRIMARIES[key].label, fontsize=10)
        ax.set_xlabel("abdominal rise (mmHg)")
        i, j = np.unravel_index(np.argmax(grid), grid.shape)
        sentences.append(
            f"{V.PRIMARIES[key].label}: {100 * grid[0, 0]:.0f}% at rest, at most {100 * grid[i, j]:.0f}% "
            f"(abdomen +{values[j]:g}, chest +{values[i]:g} mmHg); "
            + ("highest where the abdomen is squeezed more than the chest (below the diagonal)"
               if j > i else "highest where the chest is squeezed more than the abdomen (above the diagonal)")
        )
    axes[0].set_ylabel("chest rise (mmHg)")
    fig.colorbar(image, ax=list(axes), label="share lodging in spine", shrink=0.9)
    alt = (
        "Two heat maps from the teaching model, abdominal pressure rise on the horizontal axis and chest pressure "
        "rise on the vertical axis, colour = share of released tumour cells that lodge in the vertebral plexus "
        f"(dark = none, yellow = all; retention {retention:g} per segment). A dashed diagonal marks equal pressures. "
        + ". ".join(sentences) + "."
    )
    return fig, alt


# ----------------------------------------------------------------------------------------------
# Interactives
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _threshold(thoracic: float) -> float | None:
    """Cached pelvic → sacral reversal threshold (mmHg) for one chest pressure."""
    return V.reversal_threshold(thoracic=thoracic, tol=1e-4)


MANOEUVRE_OPTIONS = [("rest", "rest"), ("cough", "cough"), ("Valsalva", "Valsalva"), ("straining", "straining"),
                     ("custom (sliders)", "custom")]


class _ManoeuvreControls:
    """Preset dropdown + two pressure sliders kept in step (a preset sets the sliders; moving a slider → custom)."""

    _syncing = False

    def _pressure_controls(self, preset: str = "rest") -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        abd, thor = V.MANOEUVRES[preset]
        controls = {
            "manoeuvre": W.Dropdown(options=MANOEUVRE_OPTIONS, value=preset, description="Manoeuvre", style=style),
            "abdominal": W.FloatSlider(value=abd, min=0, max=80, step=1, description="Abdominal rise (mmHg)",
                                       continuous_update=False, style=style, layout=W.Layout(width="26em")),
            "thoracic": W.FloatSlider(value=thor, min=0, max=80, step=1, description="Chest rise (mmHg)",
                                      continuous_update=False, style=style, layout=W.Layout(width="26em")),
        }
        controls["manoeuvre"].observe(self._preset_changed, names="value")
        controls["abdominal"].observe(self._slider_changed, names="value")
        controls["thoracic"].observe(self._slider_changed, names="value")
        self._pc = controls
        return controls

    def _set_linked(self, **values: Any) -> None:
        """Adjust the linked controls without a redraw (the change that triggered this redraws once)."""
        self._syncing = True
        try:
            self.set_quietly(**values)  # type: ignore[attr-defined]  # FigureApp
        finally:
            self._syncing = False

    def _preset_changed(self, change: dict[str, Any]) -> None:
        if change["new"] in V.MANOEUVRES:
            abd, thor = V.MANOEUVRES[change["new"]]
            self._set_linked(abdominal=abd, thoracic=thor)

    def _slider_changed(self, _change: dict[str, Any]) -> None:
        if self._syncing:
            return
        preset = self._pc["manoeuvre"].value
        current = (self._pc["abdominal"].value, self._pc["thoracic"].value)
        if preset in V.MANOEUVRES and V.MANOEUVRES[preset] != current:
            self._set_linked(manoeuvre="custom")


class ManoeuvreExplorer(_ManoeuvreControls, FigureApp):
    """Raise abdominal and chest pressure and watch the flows change direction in the network."""

    title = "Pressure manoeuvre explorer (teaching model — illustrative numbers)"
    figsize = (7.2, 6.0)
    clear_each_update = False

    def build_controls(self) -> dict[str, W.Widget]:
        return self._pressure_controls("rest")

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
        self.diagram = NetworkDiagram(fig.add_subplot(), prerender=True)

    def render(self, fig: Figure, abdominal: float = 0.0, thoracic: float = 0.0, **_: Any) -> Rendered:
        sol = V.solve(None, abdominal, thoracic)
        self.diagram.update(sol)
        d = describe(sol)
        thr = _threshold(float(thoracic))
        q = sol.flow_between("pelvic_plexus", "vvp_sacral")
        self.state.update(solution=sol, threshold=thr, pelvis_to_sacrum=q, **d)
        if thr is None:
            thr_text = "no abdominal pressure up to 200 mmHg turns the pelvic–sacral flow towards the spine"
        else:
            side = "above" if abdominal > thr else "below"
            thr_text = (f"with the chest at +{thoracic:g} mmHg, pelvic blood starts to enter the sacral plexus once the "
                        f"abdomen is raised by more than <b>{thr:.1f} mmHg</b> — you are {side} that threshold")
        direction = ("<b>into</b> the spine" if q > FLOW_EPS else "out of the spine" if q < -FLOW_EPS else "not at all")
        html_text = (
            f"<p>Pelvic plexus ↔ sacral plexus: {abs(q):.2f} L/min, flowing {direction}; {thr_text}.</p>"
            f"<p>Blood from the body's veins entering the vertebral plexus: <b>{d['plexus_inflow']:.2f} L/min</b>. "
            f"{html.escape(_plexus_sentence(d))}<br>"
            f"Reversed compared with rest: {html.escape(_join(d['reversed']))}.<br>"
            f"Shut: {html.escape(_join(d['shut']))}"
            + (f"; marrow inflow of {d['marrow_shut']} vertebral region(s) held back by the plexus pressure" if d["marrow_shut"] else "")
            + ".</p><p><i>Teaching model: steady flow in rigid tubes, illustrative numbers, not measurements.</i></p>"
        )
        return Rendered(alt=network_alt(sol), html=html_text)


BAR_ORDER = ("cervical", "thoracic", "lumbar", "sacral", "heart")
BAR_LABELS = ("cervical\nplexus", "thoracic\nplexus", "lumbar\nplexus", "sacral\nplexus", "heart and\nlungs")


class TracerExplorer(_ManoeuvreControls, FigureApp):
    """Release tumour cells at a primary's veins and see where the blood carries them."""

    title = "Tracer explorer: where do released tumour cells go? (teaching model)"
    figsize = (6.4, 3.4)
    clear_each_update = False

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        controls = {
            "primary": W.Dropdown(options=[(p.label, k) for k, p in V.PRIMARIES.items()], value="prostate",
                                  description="Primary", style=style),
        }
        controls.update(self._pressure_controls("straining"))
        controls["retention"] = W.FloatSlider(value=0.5, min=0.1, max=1.0, step=0.1, description="Retention per segment",
                                              continuous_update=False, style=style, layout=W.Layout(width="26em"))
        return controls

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.2, top=0.88)
        # Axes, ticks, labels and legend never change: draw them once into an image behind the live
        # axes (redrawing the tick labels on every update would double its cost).
        fig.add_artist(Backdrop(self._static_layer(fig)))
        ax = self.ax = fig.add_subplot()
        self._frame(ax)
        ax.axis("off")
        x = np.arange(len(BAR_ORDER))
        colours = [PALETTE["orange"]] * 4 + [PALETTE["sky_blue"]]
        self.bars = ax.bar(x, np.zeros(len(x)), color=colours, edgecolor="black", lw=0.8)
        self.rest_line = ax.step(np.r_[x - 0.5, x[-1] + 0.5], np.zeros(len(x) + 1), where="post", color="black",
                                 ls="--", lw=1.2)[0]
        self.labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in x]
        self.heading = ax.set_title("", fontsize=9)
        self.note = ax.text(0.5, 0.55, "", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                            bbox=dict(boxstyle="round", fc="white", ec=PALETTE["grey"]))

    @staticmethod
    def _frame(ax: Axes) -> None:
        ax.set_xlim(-0.6, len(BAR_ORDER) - 0.4)
        ax.set_ylim(0, 1.12)

    def _static_layer(self, live: Figure) -> np.ndarray:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.patches import Patch

        fig = Figure(figsize=live.get_size_inches(), dpi=live.dpi)
        canvas = FigureCanvasAgg(fig)
        fig.set_facecolor("white")
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.2, top=0.88)
        ax = fig.add_subplot()
        style_axes(ax)
        self._frame(ax)
        ax.set_xticks(np.arange(len(BAR_ORDER)), BAR_LABELS, fontsize=8)
        ax.set_ylabel("share of released cells")
        ax.legend(handles=[Patch(fc=PALETTE["orange"], ec="black", label="this manoeuvre"),
                           Line2D([], [], color="black", ls="--", lw=1.2, label="at rest")],
                  fontsize=8, frameon=False, loc="upper left")
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    def render(self, fig: Figure, primary: str = "prostate", abdominal: float = 0.0, thoracic: float = 0.0,
               retention: float = 0.5, **_: Any) -> Rendered:
        p = V.PRIMARIES[primary]
        result = V.tracer_for(primary, abdominal, thoracic, retention)
        rest = V.tracer_for(primary, 0.0, 0.0, retention)
        self.state.update(primary=primary, result=result, rest=rest)
        if result is None:
            heights = rest_heights = np.zeros(len(BAR_ORDER))
            self.note.set_text(f"{p.label}: arterial route —\nnot part of this venous model")
            self.note.set_visible(True)
        else:
            heights = np.array([result.fractions[k] for k in BAR_ORDER])
            rest_heights = np.array([rest.fractions[k] for k in BAR_ORDER])
            self.note.set_visible(result.fractions["stagnant"] > 0.5)
            self.note.set_text("No blood leaves this primary's veins at these pressures:\nthe cells stay put (model has no compliance)")
        for bar, h, label in zip(self.bars, heights, self.labels):
            bar.set_height(h)
            label.set_position((bar.get_x() + bar.get_width() / 2, h + 0.01))
            label.set_text(f"{100 * h:.0f}%" if result is not None else "")
        self.rest_line.set_ydata(np.r_[rest_heights, rest_heights[-1]])
        self.heading.set_text(f"{p.label}: abdomen +{abdominal:g}, chest +{thoracic:g} mmHg, retention {retention:g}")
        if result is None:
            alt = (f"Bar chart left empty: {p.label} cancer reaches the spine by the arterial route, which the venous "
                   "teaching model does not contain.")
            text = f"<p>{html.escape(p.note)}</p>"
            return Rendered(alt=alt, html=text)
        parts = ", ".join(f"{k} {100 * result.fractions[k]:.0f}%" for k in V.SEGMENTS)
        alt = (
            f"Bar chart from the teaching model: cells released in the veins of the {p.label.lower()} with the abdomen "
            f"raised by {abdominal:g} and the chest by {thoracic:g} mmHg. Share lodging in each vertebral plexus "
            f"segment: {parts}; returned to the heart and lungs {100 * result.fractions['heart']:.0f}%. "
            f"A dashed outline shows the resting values: {100 * rest.spine:.0f}% in the spine at rest."
        )
        spine_now, spine_rest = 100 * result.spine, 100 * rest.spine
        change = "more than" if spine_now > spine_rest + 0.5 else "fewer than" if spine_now < spine_rest - 0.5 else "about as many as"
        text = (
            f"<p>{html.escape(p.note)}</p>"
            f"<p><b>{spine_now:.0f}%</b> of released cells lodge in the vertebral plexus — {change} at rest "
            f"({spine_rest:.0f}%); {100 * result.entered:.0f}% pass through the plexus at some point. The rest "
            "return to the right heart and meet the lung capillaries first.</p>"
            "<p><i>Cells here are passive particles following the blood (no adhesion, no seed-and-soil biology); "
            "numbers are illustrative, not predictions for patients.</i></p>"
        )
        return Rendered(alt=alt, html=text)


# ----------------------------------------------------------------------------------------------
# The disagreement about primaries (data from course/data/epidemiology.yaml, shared with module 01)
# ----------------------------------------------------------------------------------------------
def primary_ranking_markdown(top: int = 3) -> str:
    """A Markdown table: the leading primaries of spinal metastases in each published dataset, with its source."""
    from course import datasets

    from course.references import author_years

    rows = ["| Dataset | Leading primaries (% of spinal metastases) | Source |", "|---|---|---|"]
    for d in datasets.distribution("primary"):
        ranked = sorted(d["values"].items(), key=lambda kv: -kv[1])[:top]
        cells = ", ".join(f"{k.replace('_', '/')} {v:g}%" for k, v in ranked)
        rows.append(f"| {d['label']} | {cells} | {author_years(d['source'])} |")
    return "\n".join(rows)
