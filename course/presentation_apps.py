"""Module 03 — figures and interactives over the pure logic of :mod:`course.presentation`.

* Figures: :func:`dermatome_figure`, :func:`segment_figure` (each returns ``(fig, alt)``).
* Interactives: :class:`LocalisationApp` (body map), :class:`TriageApp` (sorting patients by pathway).

The clinical rules (localisation, triage) are in :mod:`course.presentation`, which imports neither ipywidgets
nor matplotlib; these classes only draw and wire controls.

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, Polygon, Rectangle

from course import datasets
from course.plotting import PALETTE, Backdrop, new_figure, render_bitmap
from course.presentation import (
    CATEGORIES,
    CATEGORY_LABELS,
    CATEGORY_SHORT,
    PRESETS,
    REFLEX_VALUES,
    PLANTAR_VALUES,
    SEGMENTS,
    SPHINCTER_VALUES,
    Localisation,
    _data,
    _span,
    _vertebra_names,
    localise,
    segment_to_vertebrae,
    triage,
    vignettes,
)
from course.widgets import FigureApp, Rendered

__all__ = ["PRESETS", "LocalisationApp", "TriageApp", "dermatome_figure", "segment_figure"]


# ----------------------------------------------------------------------------------------------
# Body map drawing
# ----------------------------------------------------------------------------------------------
#: Where each dermatome landmark is drawn on the front-view body map (x, y in map units; figure-left arm/leg).
DERMATOME_XY = {
    "C4": (4.1, 16.7), "C5": (2.75, 15.0), "C6": (1.35, 9.7), "C7": (1.65, 9.05), "C8": (2.05, 9.45),
    "T1": (2.45, 12.2), "T4": (4.3, 15.0), "T6": (5.0, 14.0), "T10": (5.0, 11.8), "T12": (4.3, 9.7),
    "L3": (4.55, 5.2), "L4": (4.3, 2.0), "L5": (4.15, 0.55), "S1": (3.55, 0.55), "S3": (4.45, 8.1),
    "S4": (5.0, 8.75),
}
#: Where each key muscle is drawn (figure-right arm/leg).
MYOTOME_XY = {
    "C5": (7.2, 14.0), "C6": (8.0, 11.2), "C7": (7.55, 14.8), "C8": (8.35, 9.7), "T1": (7.9, 9.35),
    "L2": (5.8, 8.3), "L3": (5.75, 6.6), "L4": (5.95, 2.6), "L5": (6.15, 0.6), "S1": (6.55, 2.0),
}
REFLEX_XY = {"biceps": (2.75, 13.3), "brachioradialis": (2.2, 11.3), "triceps": (3.15, 14.2), "patellar": (4.2, 5.0),
             "achilles": (4.05, 1.2), "plantar": (3.9, 0.1)}
TRUNK_Y = {"C4": 16.6, "T4": 15.0, "T6": 14.0, "T10": 11.8, "T12": 9.7}


def _draw_body(ax: Any, labels: bool) -> None:
    skin, edge = "#F2E6D8", PALETTE["black"]
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.6, 20.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(Circle((5, 18.7), 1.1, facecolor=skin, edgecolor=edge, lw=0.8))
    ax.add_patch(Polygon([[4.4, 17.6], [5.6, 17.6], [5.6, 17.0], [4.4, 17.0]], facecolor=skin, edgecolor=edge, lw=0.8))
    ax.add_patch(Polygon([[3.1, 17.0], [6.9, 17.0], [6.5, 9.2], [3.5, 9.2]], facecolor=skin, edgecolor=edge, lw=0.8))
    for sx in (-1, 1):
        x0 = 5 + sx * 1.85
        ax.add_patch(Polygon([[x0, 16.9], [x0 + sx * 0.75, 16.6], [5 + sx * 3.4, 9.6], [5 + sx * 2.9, 9.4]],
                             facecolor=skin, edgecolor=edge, lw=0.8))
        ax.add_patch(Ellipse((5 + sx * 3.45, 9.2), 0.9, 1.2, facecolor=skin, edgecolor=edge, lw=0.8))
        ax.add_patch(Polygon([[5 + sx * 0.1, 9.2], [5 + sx * 1.5, 9.2], [5 + sx * 1.2, 0.9], [5 + sx * 0.5, 0.9]],
                             facecolor=skin, edgecolor=edge, lw=0.8))
        ax.add_patch(Ellipse((5 + sx * 1.1, 0.5), 1.4, 0.6, facecolor=skin, edgecolor=edge, lw=0.8))
    ax.text(0.1, 19.8, "Dermatomes (circles)\nreflexes (triangles)", fontsize=8, va="top")
    ax.text(9.9, 19.8, "Key muscles\n(squares)", fontsize=8, va="top", ha="right")
    if labels:
        for seg, (x, y) in DERMATOME_XY.items():
            if seg == "C8":  # the three hand dermatomes crowd: C8's label goes below its mark
                ax.text(x + 0.1, y - 0.3, seg, fontsize=8, ha="left", va="top")
            else:
                ax.text(x - 0.35, y, seg, fontsize=8, ha="right", va="center")
        nudge = {"C8": 0.2, "T1": -0.3}  # the two hand muscles sit close: keep their labels apart
        for seg, (x, y) in MYOTOME_XY.items():
            ax.text(x + 0.3, y + nudge.get(seg, 0.0), seg, fontsize=8, ha="left", va="center")


def dermatome_figure() -> tuple[Figure, str]:
    """A front-view body map with the dermatome landmarks and key muscles used in this course."""
    fig = new_figure(4.4, 6.0, layout=None)
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
    _draw_body(ax, labels=True)
    ax.scatter(*zip(*DERMATOME_XY.values()), s=40, facecolor="white", edgecolor=PALETTE["black"], zorder=3)
    ax.scatter(*zip(*MYOTOME_XY.values()), s=36, marker="s", facecolor="white", edgecolor=PALETTE["blue"], zorder=3)
    for seg, y in TRUNK_Y.items():
        ax.plot([3.3, 6.7], [y, y], color=PALETTE["grey"], lw=0.6, linestyle=":")
    fig.suptitle("Dermatome landmarks and key muscles", fontsize=10)
    derm = "; ".join(f"{d['level']} {d['landmark']}" for d in datasets.dermatomes())
    myo = "; ".join(f"{m['level']} {m['muscle']}" for m in datasets.myotomes())
    alt = ("Front view of a standing body. Circles on the left arm, trunk and left leg mark dermatome landmarks: "
           + derm + ". Squares on the right arm and leg mark key muscles: " + myo + ".")
    return fig, alt


def segment_figure() -> tuple[Figure, str]:
    """Cord segments beside the vertebrae: the cord is shorter, so segments lie higher than their vertebra."""
    fig = new_figure(6.0, 4.2, layout=None)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
    names = _vertebra_names()[: _vertebra_names().index("S1") + 1]
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(-0.2, 3.4)
    ax.set_axis_off()
    for i, n in enumerate(names):
        ax.add_patch(Rectangle((i - 0.4, 2.2), 0.8, 0.7, facecolor="#E8E3D3", edgecolor=PALETTE["black"], lw=0.5))
        if i % 2 == 0 or n in ("C7", "T12", "L1"):
            ax.text(i, 3.05, n, ha="center", fontsize=8, rotation=90, va="bottom")
    ax.text(-0.5, 2.55, "vertebrae", fontsize=8, ha="right", va="center", rotation=90)
    shown = ["C4", "C8", "T4", "T8", "T10", "T12", "L3", "S3"]
    pos = {n: i for i, n in enumerate(names)}
    rows = {"C4": 0.55, "C8": 1.1, "T4": 0.55, "T8": 1.1, "T10": 0.0, "T12": 1.6, "L3": 0.55, "S3": 1.1}
    for seg in shown:
        top, bottom = segment_to_vertebrae(seg)
        x = (pos[top] + pos[bottom]) / 2
        y = rows.get(seg, 0.55)  # rows chosen so that no two labels overlap
        ax.plot([x, x], [y + 0.2, 2.2], color=PALETTE["blue"], lw=0.8)
        ax.text(x, y, f"{seg} segment\n≈ {_span(top, bottom)}", fontsize=8, ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor=PALETTE["blue"], lw=0.6))
    ax.plot([0, pos["L1"] + 0.5], [1.95, 1.95], color=PALETTE["black"], lw=2.5)
    ax.text(pos["L1"] + 0.7, 1.95, "conus ≈ L1–L2", fontsize=8, va="center")
    fig.suptitle("Cord segments lie higher than the vertebrae of the same number (approximate)", fontsize=9)
    alt = ("A row of vertebrae from C1 to S1 with the spinal cord drawn below it, ending near L1–L2. Labels show "
           "where selected cord segments lie: " + "; ".join(f"{s} segment behind about {_span(*segment_to_vertebrae(s))}"
                                                           for s in shown) + ".")
    return fig, alt


# ----------------------------------------------------------------------------------------------
# Interactives
# ----------------------------------------------------------------------------------------------
class LocalisationApp(FigureApp):
    """Body map: set the examination findings; the course infers the lesion and explains why."""

    figsize = (6.0, 5.0)
    title = "Body map — set the findings, read the localisation"
    clear_each_update = False
    _body_rect = (0.0, 0.0, 0.62, 0.92)
    _col_rect = (0.66, 0.03, 0.32, 0.87)

    def build_controls(self) -> dict[str, W.Widget]:
        derm = [("none", None)] + [(f"{d['level']} — {d['landmark'][:28]}", d["level"]) for d in datasets.dermatomes()]
        reflex = list(REFLEX_VALUES)
        small = W.Layout(width="15em")
        return {
            "sensory_level": W.Dropdown(options=derm, value=None, description="Sensory level", layout=W.Layout(width="22em")),
            "numb_dermatomes": W.SelectMultiple(options=[d["level"] for d in datasets.dermatomes()], value=(),
                                                description="Patchy numb", rows=4, layout=W.Layout(width="12em")),
            "weak_myotomes": W.SelectMultiple(options=[(f"{m['level']} {m['muscle'][:22]}", m["level"])
                                                       for m in datasets.myotomes()], value=(),
                                              description="Weak", rows=4, layout=W.Layout(width="22em")),
            "biceps": W.Dropdown(options=reflex, value="normal", description="Biceps", layout=small),
            "brachioradialis": W.Dropdown(options=reflex, value="normal", description="Supinator", layout=small),
            "triceps": W.Dropdown(options=reflex, value="normal", description="Triceps", layout=small),
            "patellar": W.Dropdown(options=reflex, value="normal", description="Knee", layout=small),
            "achilles": W.Dropdown(options=reflex, value="normal", description="Ankle", layout=small),
            "plantar": W.Dropdown(options=list(PLANTAR_VALUES), value="flexor", description="Plantar", layout=small),
            "saddle": W.Checkbox(value=False, description="Saddle anaesthesia", indent=False),
            "sphincter": W.Dropdown(options=list(SPHINCTER_VALUES), value="normal", description="Sphincter",
                                    layout=small),
        }

    def setup(self, fig: Figure) -> None:
        self.preset = W.Dropdown(options=["(choose a textbook pattern)"] + list(PRESETS),
                                 value="(choose a textbook pattern)", description="Preset",
                                 layout=W.Layout(width="30em"))
        self.preset.observe(lambda ch: self.load_preset(ch["new"]) if ch["new"] in PRESETS else None, names="value")
        names = _vertebra_names()[: _vertebra_names().index("S2") + 1]
        self._vnames = names

        def draw_column(ax: Any) -> None:
            ax.set_xlim(-1.6, 2.6)
            ax.set_ylim(len(names) + 0.2, -1.0)
            ax.set_axis_off()
            for i, n in enumerate(names):
                ax.add_patch(Rectangle((-0.45, i - 0.4), 0.9, 0.8, facecolor="#E8E3D3", edgecolor=PALETTE["black"],
                                       lw=0.5))
                if i % 2 == 0 or n in ("C7", "T12", "L1"):
                    ax.text(-0.6, i, n, fontsize=8, ha="right", va="center")
            c = names.index("L1") + 0.5
            ax.plot([0.75, 0.75], [-0.5, c], color=PALETTE["black"], lw=2)
            for dx in (-0.1, 0.0, 0.1):
                ax.plot([0.75, 0.75 + dx], [c, len(names) - 0.5], color=PALETTE["black"], lw=0.5)
            ax.text(0.95, c, "conus", fontsize=8, va="center")
            ax.text(0.0, -0.9, "Vertebrae", fontsize=8, ha="center")

        def draw_static(bg: Figure) -> None:
            _draw_body(bg.add_axes(self._body_rect), labels=True)
            draw_column(bg.add_axes(self._col_rect))

        fig.add_artist(Backdrop(render_bitmap(draw_static, self.figsize)))
        body = fig.add_axes(self._body_rect)
        body.set_xlim(0, 10)
        body.set_ylim(-0.6, 20.2)
        body.set_aspect("equal")
        body.set_axis_off()
        body.patch.set_alpha(0)
        col = fig.add_axes(self._col_rect)
        col.set_xlim(-1.6, 2.6)
        col.set_ylim(len(names) + 0.2, -1.0)
        col.set_axis_off()
        col.patch.set_alpha(0)
        self._derm_keys = list(DERMATOME_XY)
        self._myo_keys = list(MYOTOME_XY)
        self._refl_keys = list(REFLEX_XY)
        self._derm = body.scatter(*zip(*DERMATOME_XY.values()), s=42, facecolor="white", edgecolor=PALETTE["black"],
                                  zorder=3)
        self._myo = body.scatter(*zip(*MYOTOME_XY.values()), s=38, marker="s", facecolor="white",
                                 edgecolor=PALETTE["blue"], zorder=3)
        self._brisk = body.scatter([], [], s=50, marker="^", facecolor=PALETTE["orange"], edgecolor=PALETTE["black"],
                                   zorder=4)
        self._lost = body.scatter([], [], s=50, marker="v", facecolor=PALETTE["sky_blue"], edgecolor=PALETTE["black"],
                                  zorder=4)
        (self._level_line,) = body.plot([3.2, 6.8], [0, 0], color=PALETTE["vermillion"], lw=2.0, linestyle="--")
        self._saddle = Ellipse((5.0, 8.7), 1.6, 0.9, facecolor=PALETTE["vermillion"], alpha=0.6, hatch="xx",
                               edgecolor=PALETTE["black"], zorder=2)
        body.add_patch(self._saddle)
        self._band = Rectangle((-0.55, 0), 1.1, 1, facecolor=PALETTE["vermillion"], alpha=0.45, hatch="///",
                               edgecolor=PALETTE["black"], lw=1.2)
        col.add_patch(self._band)
        self._title = fig.text(0.01, 0.97, "", fontsize=9, fontweight="bold", va="top")

    def load_preset(self, name: str) -> None:
        """Set every control to a textbook pattern (see :data:`PRESETS`)."""
        if name not in PRESETS:
            raise ValueError(f"name: {name!r}; accepted: {list(PRESETS)}")
        self.set(**PRESETS[name])

    def control_box(self) -> W.Widget:
        return W.VBox([self.preset, super().control_box()])

    def render(self, fig: Figure, sensory_level: str | None = None, numb_dermatomes: Sequence[str] = (),
               weak_myotomes: Sequence[str] = (), biceps: str = "normal", brachioradialis: str = "normal",
               triceps: str = "normal", patellar: str = "normal", achilles: str = "normal", plantar: str = "flexor",
               saddle: bool = False, sphincter: str = "normal") -> Rendered:
        reflexes = dict(biceps=biceps, brachioradialis=brachioradialis, triceps=triceps, patellar=patellar,
                        achilles=achilles, plantar=plantar)
        result = localise(sensory_level=sensory_level, numb_dermatomes=numb_dermatomes, weak_myotomes=weak_myotomes,
                          reflexes=reflexes, saddle_anaesthesia=saddle, sphincter=sphincter)
        numb_fill = PALETTE["vermillion"]
        s_idx = None if sensory_level is None else SEGMENTS.index(sensory_level)
        colours = []
        for seg in self._derm_keys:
            i = SEGMENTS.index(seg)
            numb = seg in numb_dermatomes or (s_idx is not None and i >= s_idx) or (saddle and seg in ("S3", "S4"))
            colours.append(numb_fill if numb else "white")
        self._derm.set_facecolor(colours)
        self._myo.set_facecolor([PALETTE["blue"] if m in weak_myotomes else "white" for m in self._myo_keys])
        brisk = [REFLEX_XY[k] for k, v in reflexes.items() if v in ("brisk", "extensor")]
        lost = [REFLEX_XY[k] for k, v in reflexes.items() if v in ("reduced", "absent")]
        self._brisk.set_offsets(np.array(brisk).reshape(-1, 2))
        self._lost.set_offsets(np.array(lost).reshape(-1, 2))
        if sensory_level in TRUNK_Y:
            self._level_line.set_ydata([TRUNK_Y[sensory_level]] * 2)
            self._level_line.set_visible(True)
        else:
            self._level_line.set_visible(False)
        self._saddle.set_visible(bool(saddle))
        band = self._vertebral_band(result)
        if band is None:
            self._band.set_visible(False)
        else:
            self._band.set_visible(True)
            self._band.set_bounds(-0.55, band[0] - 0.45, 1.1, band[1] - band[0] + 0.9)
        flag = "  ⚠ findings conflict" if result.conflicts else ""
        self._title.set_text(f"{result.label.capitalize()}"
                             + (f" — vertebrae ≈ {result.vertebrae}" if result.vertebrae and band else "") + flag)
        self.state.update(result=result, syndrome=result.syndrome, vertebrae=result.vertebrae,
                          consistent=result.consistent)
        findings = "; ".join(result.findings) or "no abnormal findings"
        alt = (f"Body map with the findings marked ({findings}) and a vertebral column beside it"
               + (f" with vertebrae {result.vertebrae} shaded" if band else "") + f". Conclusion: {result.summary}")
        return Rendered(alt=alt, html=result.to_html())

    def _vertebral_band(self, result: Localisation) -> tuple[int, int] | None:
        names = self._vnames
        v = result.vertebrae
        if result.syndrome == "none" or not v or v == "several":
            return None
        if v == "L2–sacrum":
            return names.index("L2"), len(names) - 1
        if "foramen" in v or "foramina" in v:
            if v.startswith("sacral"):
                return len(names) - 1, len(names) - 1
            parts = v.split(" foramen")[0].split("–")
            a = parts[0] if parts[0] in names else "C1"
            b = parts[-1] if parts[-1] in names else a
            return names.index(a), names.index(b)
        a, _, b = v.partition("–")
        b = b or a
        if a in names and b in names:
            return names.index(a), names.index(b)
        return None


class TriageApp(FigureApp):
    """Sort the patients by pathway; the board marks each choice against the decision table."""

    figsize = (6.8, 5.2)
    title = "Triage — which pathway, how fast, and does this patient get dexamethasone?"
    clear_each_update = False
    _rect = (0.0, 0.0, 1.0, 0.9)

    def build_controls(self) -> dict[str, W.Widget]:
        opts = [("— choose —", None)] + [(CATEGORY_SHORT[c], c) for c in CATEGORIES]
        controls: dict[str, W.Widget] = {}
        for i, v in enumerate(vignettes(), 1):
            controls[v["id"]] = W.Dropdown(options=opts, value=None, description=f"Patient {i}",
                                           layout=W.Layout(width="18em"))
        controls["show_answers"] = W.Checkbox(value=False, description="Show the decision table's answers",
                                              indent=False)
        return controls

    @property
    def ui(self) -> W.Widget:
        cards = "".join(f"<li><b>Patient {i}.</b> {html.escape(v['text'])}</li>" for i, v in enumerate(vignettes(), 1))
        legend = "".join(f"<li><b>{CATEGORY_SHORT[c]}</b>: {html.escape(CATEGORY_LABELS[c])}</li>" for c in CATEGORIES)
        return W.VBox([W.HTML(f"<b>{self.title}</b><ol style='list-style:none;padding-left:0'>{cards}</ol>"
                              f"<p>Choices:</p><ul>{legend}</ul>"),
                       self.control_box(), self.figure, self.explanation])

    def setup(self, fig: Figure) -> None:
        self._vig = vignettes()
        self._answers = {v["id"]: triage(v["features"]) for v in self._vig}
        n = len(self._vig)
        xs = {c: 1.75 + 1.2 * k for k, c in enumerate(CATEGORIES)}
        self._xs = xs
        check_x = 6.55

        def draw(ax: Any) -> None:
            ax.set_xlim(0, 7.0)
            ax.set_ylim(n + 0.2, -1.6)
            ax.set_axis_off()
            for c, x in xs.items():
                ax.add_patch(Rectangle((x - 0.55, -0.5), 1.1, n, facecolor="#F4F4F4", edgecolor=PALETTE["grey"], lw=0.5))
                ax.text(x, -0.65, CATEGORY_SHORT[c].replace(" ", "\n", 1), ha="center", va="bottom", fontsize=8,
                        fontweight="bold")
            for i in range(n):
                ax.text(0.1, i, f"Patient {i + 1}", va="center", fontsize=8)
            ax.text(check_x, -0.65, "Check", ha="center", va="bottom", fontsize=8, fontweight="bold")

        fig.add_artist(Backdrop(render_bitmap(lambda bg: draw(bg.add_axes(self._rect)), self.figsize)))
        ax = fig.add_axes(self._rect)
        ax.set_xlim(0, 7.0)
        ax.set_ylim(n + 0.2, -1.6)
        ax.set_axis_off()
        ax.patch.set_alpha(0)
        self._chosen = ax.scatter([], [], s=90, marker="o", facecolor=PALETTE["blue"], edgecolor=PALETTE["black"],
                                  zorder=3)
        self._correct = ax.scatter([], [], s=260, marker="o", facecolor="none", edgecolor=PALETTE["bluish_green"],
                                   linewidth=2.2, zorder=2)
        self._marks = [ax.text(check_x, i, "", ha="center", va="center", fontsize=9) for i in range(n)]
        self._title = fig.text(0.01, 0.97, "", fontsize=9, fontweight="bold", va="top")

    def render(self, fig: Figure, show_answers: bool = False, **choices: str | None) -> Rendered:
        chosen_xy, correct_xy, rows = [], [], []
        score = answered = 0
        for i, v in enumerate(self._vig):
            choice = choices.get(v["id"])
            answer = self._answers[v["id"]]
            ok = choice == answer.category
            if choice is not None:
                answered += 1
                score += ok
                chosen_xy.append((self._xs[choice], i))
            if show_answers:
                correct_xy.append((self._xs[answer.category], i))
            mark = "" if choice is None else ("✔" if ok else "✘")
            self._marks[i].set_text(mark)
            self._marks[i].set_color(PALETTE["bluish_green"] if ok else PALETTE["vermillion"])
            if choice is not None or show_answers:
                verdict = "" if choice is None else (" ✔ agrees" if ok else " ✘ differs")
                steroid = "dexamethasone 16 mg" if answer.dexamethasone else "no dexamethasone"
                rows.append(
                    f"<li><b>Patient {i + 1}</b>{verdict}"
                    + (f" — your choice: {CATEGORY_LABELS[choice]}" if choice else "")
                    + (f"<br/>Decision table: <b>{CATEGORY_LABELS[answer.category]}</b> "
                       f"({html.escape('; '.join(answer.reasons))}). {html.escape(answer.coordinator)}. "
                       f"MRI: {html.escape(answer.mri)}. Steroids: {html.escape(answer.steroids)} "
                       f"(<b>{steroid}</b>). <i>{html.escape(v['lesson'])}</i>"
                       if show_answers or (choice is not None and not ok) else "") + "</li>")
        self._chosen.set_offsets(np.array(chosen_xy).reshape(-1, 2))
        self._correct.set_offsets(np.array(correct_xy).reshape(-1, 2))
        self._title.set_text(f"{score} of {answered} sorted as the decision table would ({len(self._vig)} patients)")
        self.state.update(score=score, answered=answered,
                          answers={k: a.category for k, a in self._answers.items()},
                          dexamethasone={k: a.dexamethasone for k, a in self._answers.items()})
        disclaimer = html.escape(_data()["disclaimer"])
        text = (f"<ol style='list-style:none;padding-left:0'>{''.join(rows)}</ol>" if rows else
                "<p>Choose a pathway for each patient.</p>")
        text += f"<p style='font-size:smaller'>{disclaimer}</p>"
        columns = ", ".join(CATEGORY_SHORT[c] for c in CATEGORIES)
        placed = "; ".join(f"patient {i + 1} in {CATEGORY_SHORT[choices[v['id']]]}"
                           + (" (agrees)" if choices[v["id"]] == self._answers[v["id"]].category else " (differs)")
                           for i, v in enumerate(self._vig) if choices.get(v["id"]) is not None)
        alt = (f"Sorting board with four columns ({columns}) and one row per patient. "
               f"{answered} of {len(self._vig)} patients placed, {score} agreeing with the decision table"
               + (f": {placed}" if placed else "")
               + ("; green rings show the table's answers." if show_answers else "."))
        return Rendered(alt=alt, html=text)
