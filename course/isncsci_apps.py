"""The interactive ISNCSCI worksheet of module 03b (a thin :class:`course.widgets.BlitFigureApp`).

The learner enters the motor grades (ten key muscles per side), the light-touch and pin-prick scores
(28 key points per side) and the two anal items, or starts from a preset; the course classifies the
examination with :func:`course.isncsci.isncsci` and explains each step in plain words. All clinical
logic lives in :mod:`course.isncsci`; this module only lays out controls and draws the grid.

Layout: a preset menu, then four tabs (motor; sensory C2–T6; sensory T7–S4-5; rectal examination).
Every score is a native dropdown (keyboard: Tab to move, arrows to choose) whose visible label names
the level and whose column header names the side and the test.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from course import isncsci as _isn
from course.plotting import PALETTE
from course.widgets import BlitFigureApp, Rendered

EDITED = "Your own entries"
MOTOR_OPTIONS = [(str(g), g) for g in range(5, -1, -1)] + [("NT", "NT")]
SENSORY_OPTIONS = [("2", 2), ("1", 1), ("0", 0), ("NT", "NT")]
ANAL_OPTIONS = [("yes", True), ("no", False), ("not testable", "NT")]

#: Rows of the grid, top to bottom: (label, kind, side).
ROWS = (("Right motor", "motor", "right"), ("Right light touch", "light_touch", "right"),
        ("Right pin prick", "pin_prick", "right"), ("Left pin prick", "pin_prick", "left"),
        ("Left light touch", "light_touch", "left"), ("Left motor", "motor", "left"))

# colour index: 0 normal, 1 altered / antigravity, 2 absent / below antigravity, 3 not testable, 4 no key muscle
_RGB = [np.array(to_rgb(c)) for c in ("#CDEBDD", PALETTE["yellow"], "#F2B89A", "#C8C8C8", "white")]


def _glyph(text: str, width: int, height: int, dpi: float) -> np.ndarray:
    """Coverage (0–1) of ``text`` centred in a ``width`` × ``height`` pixel cell, 9.5 pt."""
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=9.5, color="black")
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba(), dtype=float)[:height, :width, :3] / 255.0
    return 1.0 - rgba.mean(axis=2)


def control_name(kind: str, side: str, level: str) -> str:
    """The control's name, e.g. ``light_touch_right_S4-5`` → ``light_touch_right_S45``."""
    return f"{kind}_{side}_{level.replace('-', '')}"


def _colour_index(kind: str, value: Any) -> int:
    if value == _isn.NT:
        return 3
    if kind == "motor":
        return 0 if value == 5 else (1 if value >= 3 else 2)
    return {2: 0, 1: 1, 0: 2}[value]


class _Bitmap(Artist):
    """An RGBA uint8 bitmap painted at a pixel offset, without resampling (cheap to redraw)."""

    def __init__(self, rgba: np.ndarray, x0: int, y0: int) -> None:
        super().__init__()
        self.rgba, self.x0, self.y0 = rgba, x0, y0

    def draw(self, renderer: Any) -> None:
        gc = renderer.new_gc()
        renderer.draw_image(gc, self.x0, self.y0, self.rgba[::-1])
        gc.restore()


class IsncsciWorksheet(BlitFigureApp):
    """Enter an examination and see its ISNCSCI classification, step by step."""

    title = "ISNCSCI worksheet"
    figsize = (6.8, 2.3)

    # -- controls -------------------------------------------------------------------------------
    def build_controls(self) -> dict[str, W.Widget]:
        controls: dict[str, W.Widget] = {
            "preset": W.Dropdown(options=[*_isn.PRESETS, EDITED], value="T6 complete (AIS A)",
                                 description="Start from", style={"description_width": "initial"},
                                 layout=W.Layout(width="330px")),
        }
        start = _isn.preset("T6 complete (AIS A)")
        small = {"description_width": "38px"}
        for side in ("right", "left"):
            for m in _isn.KEY_MUSCLE_LEVELS:
                controls[control_name("motor", side, m)] = W.Dropdown(
                    options=MOTOR_OPTIONS, value=start[f"motor_{side}"][m], description=m,
                    tooltip=f"{side.capitalize()} {m} key muscle, MRC grade", style=small,
                    layout=W.Layout(width="108px"))
        for side in ("right", "left"):
            for kind, word in (("light_touch", "light touch"), ("pin_prick", "pin prick")):
                for p in _isn.KEY_SENSORY_LEVELS:
                    controls[control_name(kind, side, p)] = W.Dropdown(
                        options=SENSORY_OPTIONS, value=start[f"{kind}_{side}"][p], description=p,
                        tooltip=f"{side.capitalize()} {word} at {p}", style=small,
                        layout=W.Layout(width="108px"))
        controls["voluntary_anal_contraction"] = W.Dropdown(
            options=ANAL_OPTIONS, value=start["voluntary_anal_contraction"],
            description="Voluntary anal contraction", style={"description_width": "210px"},
            layout=W.Layout(width="360px"))
        controls["deep_anal_pressure"] = W.Dropdown(
            options=ANAL_OPTIONS, value=start["deep_anal_pressure"], description="Deep anal pressure",
            style={"description_width": "210px"}, layout=W.Layout(width="360px"))
        self._applied_preset = "T6 complete (AIS A)"
        return controls

    def control_box(self) -> W.Widget:
        c = self.controls
        key_muscles = {row["level"]: row["action"] for row in _isn_data()["key_muscles"]}
        key_points = {row["level"]: row["point"] for row in _isn_data()["key_sensory_points"]}

        def header(*texts: str) -> list[W.Widget]:
            return [W.HTML(f"<b>{html.escape(t)}</b>") for t in texts]

        motor_cells: list[W.Widget] = header("Key muscle", "Right", "Left")
        for m in _isn.KEY_MUSCLE_LEVELS:
            motor_cells += [W.Label(f"{m} {key_muscles[m]}"), c[control_name("motor", "right", m)],
                            c[control_name("motor", "left", m)]]
        motor = W.GridBox(motor_cells, layout=W.Layout(grid_template_columns="300px 120px 120px",
                                                       grid_gap="2px 6px"))

        def sensory_grid(points: tuple[str, ...]) -> W.Widget:
            cells = header("Key sensory point", "Right light touch", "Right pin prick",
                           "Left pin prick", "Left light touch")
            for p in points:
                cells += [W.Label(f"{p} {key_points[p]}")] + [
                    c[control_name(kind, side, p)] for kind, side in
                    (("light_touch", "right"), ("pin_prick", "right"), ("pin_prick", "left"),
                     ("light_touch", "left"))]
            return W.GridBox(cells, layout=W.Layout(grid_template_columns="300px repeat(4, 120px)",
                                                    grid_gap="2px 6px"))

        split = _isn.KEY_SENSORY_LEVELS.index("T7")
        anal = W.VBox([c["voluntary_anal_contraction"], c["deep_anal_pressure"],
                       W.HTML("Score 2 normal, 1 altered, 0 absent; motor 0–5 (MRC); NT = not testable.")])
        tabs = W.Tab(children=[motor, sensory_grid(_isn.KEY_SENSORY_LEVELS[:split]),
                               sensory_grid(_isn.KEY_SENSORY_LEVELS[split:]), anal])
        for i, t in enumerate(("Motor (key muscles)", "Sensory C2–T6", "Sensory T7–S4-5", "Rectal examination")):
            tabs.set_title(i, t)
        return W.VBox([c["preset"], tabs])

    # -- helpers ---------------------------------------------------------------------------------
    def exam(self, values: dict[str, Any]) -> dict[str, Any]:
        """The calculator's keyword arguments from the control values."""
        kw: dict[str, Any] = {}
        for side in ("right", "left"):
            kw[f"motor_{side}"] = {m: values[control_name("motor", side, m)] for m in _isn.KEY_MUSCLE_LEVELS}
            for kind in ("light_touch", "pin_prick"):
                kw[f"{kind}_{side}"] = {p: values[control_name(kind, side, p)] for p in _isn.KEY_SENSORY_LEVELS}
        kw["voluntary_anal_contraction"] = values["voluntary_anal_contraction"]
        kw["deep_anal_pressure"] = values["deep_anal_pressure"]
        return kw

    def _apply_preset(self, name: str) -> None:
        kw = _isn.preset(name)
        updates: dict[str, Any] = {}
        for side in ("right", "left"):
            for m in _isn.KEY_MUSCLE_LEVELS:
                updates[control_name("motor", side, m)] = kw[f"motor_{side}"][m]
            for kind in ("light_touch", "pin_prick"):
                for p in _isn.KEY_SENSORY_LEVELS:
                    updates[control_name(kind, side, p)] = kw[f"{kind}_{side}"][p]
        updates["voluntary_anal_contraction"] = kw["voluntary_anal_contraction"]
        updates["deep_anal_pressure"] = kw["deep_anal_pressure"]
        self.set_quietly(**updates)

    # -- drawing -----------------------------------------------------------------------------------
    def setup(self, fig: Figure) -> None:
        n, rows = len(_isn.KEY_SENSORY_LEVELS), len(ROWS)
        fig_w, fig_h = fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi
        # The grid is one RGB bitmap placed pixel for pixel with figimage (no resampling): each cell's
        # colour with its score stamped in, one glyph bitmap per distinct score rasterised once.
        # Drawing 132 text artists instead would cost ~130 ms per update.
        self._cw, self._ch = int(0.79 * fig_w / n), int(0.75 * fig_h / rows)
        x0, y0 = int(0.20 * fig_w), int(0.23 * fig_h)
        ax = fig.add_axes((x0 / fig_w, y0 / fig_h, n * self._cw / fig_w, rows * self._ch / fig_h))
        self._ax = ax
        ax.set_xticks(range(n))
        ax.set_xticklabels(_isn.KEY_SENSORY_LEVELS, rotation=90, fontsize=9.5)
        ax.set_yticks(range(rows))
        ax.set_yticklabels([r[0] for r in ROWS], fontsize=9.5)
        ax.tick_params(length=0)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.patch.set_visible(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        self._glyphs = {t: _glyph(t, self._cw, self._ch, fig.dpi) for t in ("0", "1", "2", "3", "4", "5", "NT")}
        self._rgb = np.full((rows * self._ch, n * self._cw, 4), 255, dtype=np.uint8)
        self._painted: dict[tuple[int, int], Any] = {}
        self._image = _Bitmap(self._rgb, x0, y0)
        fig.add_artist(self._image)
        self._nli_line = ax.axvline(0, color=PALETTE["black"], lw=2.5)
        # The result (AIS grade, levels) is the first line of the explanation below the figure, and in
        # the alt text: no title text to redraw, and fewer pixels to encode per frame.
        self.dynamic.extend([self._image, self._nli_line])

    def _paint(self, exam: dict[str, Any]) -> None:
        cw, ch = self._cw, self._ch
        for r, (_label, kind, side) in enumerate(ROWS):
            scores = exam[f"{kind}_{side}"]
            for x, p in enumerate(_isn.KEY_SENSORY_LEVELS):
                v = scores[p] if (kind != "motor" or p in _isn.KEY_MUSCLE_LEVELS) else None
                if (r, x) in self._painted and self._painted[(r, x)] == v:
                    continue
                self._painted[(r, x)] = v
                cell = self._rgb[r * ch:(r + 1) * ch, x * cw:(x + 1) * cw]
                if v is None:
                    cell[..., :3] = 255
                    continue
                shade = _RGB[_colour_index(kind, v)] * (1.0 - self._glyphs[str(v)][..., None])
                cell[..., :3] = np.round(255 * shade).astype(np.uint8)
                cell[:1, :, :3] = 255          # white grid lines between cells
                cell[:, :1, :3] = 255

    def render(self, fig: Figure, **values: Any) -> Rendered:
        chosen = values["preset"]
        if chosen != self._applied_preset:
            if chosen != EDITED:
                self._apply_preset(chosen)
                values = self.values()
            self._applied_preset = chosen
        elif chosen != EDITED and self.exam(values) != _isn.preset(chosen):
            self.set_quietly(preset=EDITED)
            self._applied_preset = EDITED
            values = self.values()
        exam = self.exam(values)
        result = _isn.isncsci(**exam)
        self._paint(exam)
        nli = result.neurological_level
        first_nli = nli[0] if isinstance(nli, tuple) else nli
        if first_nli in ("INT", "C1"):
            self._nli_line.set_visible(False)
        else:
            self._nli_line.set_visible(True)
            x = _isn.KEY_SENSORY_LEVELS.index(first_nli) + 0.5
            self._nli_line.set_xdata([x, x])
        ais = _say(result.ais)
        self.state.update(result=result, exam=exam, ais=result.ais, neurological_level=nli,
                          preset=self._applied_preset)
        alt = (f"ISNCSCI grid of {'the ' + chosen.lower() if chosen != EDITED else 'your'} examination: "
               f"rows are right and left motor, light touch and pin prick; columns C2 to S4-5, coloured green "
               f"for normal, yellow for altered or grade 3–4, orange for absent or grade 0–2, grey for not testable. "
               f"Sensory level right {_say(result.sensory_level_right)}, left {_say(result.sensory_level_left)}; "
               f"motor level right {_say(result.motor_level_right)}, left {_say(result.motor_level_left)}; "
               f"neurological level {_say(nli)} (thick line below it); AIS {ais}. "
               f"Motor scores: upper limbs right {_say_total(result.upper_extremity_motor_right)}, "
               f"left {_say_total(result.upper_extremity_motor_left)} of 25; lower limbs right "
               f"{_say_total(result.lower_extremity_motor_right)}, left {_say_total(result.lower_extremity_motor_left)} "
               f"of 25. Light touch right {_say_total(result.light_touch_right)}, left "
               f"{_say_total(result.light_touch_left)}; pin prick right {_say_total(result.pin_prick_right)}, left "
               f"{_say_total(result.pin_prick_left)}, each of 56.")
        return Rendered(alt=alt, html=_explanation_html(result, chosen))


def _say(value: Any) -> str:
    if isinstance(value, tuple):
        return " or ".join("intact" if v == "INT" else ("n/a" if v is None else str(v)) for v in value)
    return "intact" if value == "INT" else ("n/a" if value is None else str(value))


def _explanation_html(result: Any, preset: str) -> str:
    steps = "".join(f"<li>{html.escape(s.split(' — ', 1)[-1])}</li>" for s in result.explanation)
    note = ""
    if preset in _isn.PRESETS:
        note = f"<p><i>{html.escape(preset)}:</i> {html.escape(_isn.PRESETS[preset][1])}.</p>"
    open_fields = "" if result.determined else (
        "<p>Some scores are <b>not testable</b>: where they could change a result, every possible value is "
        "listed.</p>")
    totals = (f"<p>Totals: upper-limb motor {_say_total(result.upper_extremity_motor_total)} / 50, lower-limb "
              f"motor {_say_total(result.lower_extremity_motor_total)} / 50, light touch "
              f"{_say_total(result.light_touch_total)} / 112, pin prick {_say_total(result.pin_prick_total)} / 112."
              "</p>")
    key = ("<p><small>Grid colours: green normal; yellow altered (1) or grade 3–4; orange absent (0) or grade "
           "0–2; grey not testable; the thick line runs below the neurological level.</small></p>")
    levels = (f"<p><b>AIS {html.escape(_say(result.ais))}</b> · neurological level "
              f"{html.escape(_say(result.neurological_level))} · sensory levels right "
              f"{html.escape(_say(result.sensory_level_right))}, left {html.escape(_say(result.sensory_level_left))} · "
              f"motor levels right {html.escape(_say(result.motor_level_right))}, left "
              f"{html.escape(_say(result.motor_level_left))}</p>")
    return f"{levels}{note}<ol>{steps}</ol>{open_fields}{totals}{key}"


def _say_total(value: Any) -> str:
    return f"{value[0]}–{value[-1]}" if isinstance(value, tuple) else str(value)


def _isn_data() -> dict[str, Any]:
    from course import datasets

    return datasets.load("isncsci_exam")
