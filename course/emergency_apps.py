"""The “time is spine” interactive: a thin :class:`course.widgets.FigureApp` over :mod:`course.emergency`.

Native, labelled controls (dropdowns and check boxes, usable with Tab, arrows and Space); the figure's alt
text and the explanation change with every decision. Tests drive it with ``app.set(...)``.
"""

from __future__ import annotations

import html

import ipywidgets as W
from matplotlib.figure import Figure

from course import emergency as E
from course.plotting import PALETTE, TextSprite, style_axes
from course.widgets import BlitFigureApp, Rendered

VERDICT_WORDS = {
    "good": "✔ right",
    "ok": "✔ acceptable",
    "poor": "✘ a delay or a miss",
    "harm": "✘ can cause harm",
    "done": "✔ done",
    "missed": "✘ missed",
    "optional": "○ consider",
    "not needed": "○ not needed here",
}
ITEM_NAMES = {"call": "Who you called", "imaging": "Imaging", "steroid": "Steroids"}
_STATUS_COLOURS = (PALETTE["bluish_green"], PALETTE["sky_blue"], PALETTE["orange"], PALETTE["vermillion"])


def _wrap(label: str) -> str:
    """Break a status label onto two lines (at its comma, else at its middle word)."""
    if ", " in label:
        return label.replace(", ", ",\n", 1)
    words = label.split()
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


class TimeIsSpineApp(BlitFigureApp):
    """Make the pathway decisions for a presenting patient and watch the clock and the walking course."""

    title = "Time is spine — a teaching model of the first hours"
    figsize = (6.4, 3.3)
    #: The chart shows the first eight days; later events are named in the key and pinned to the right edge.
    span_hours = 192

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        wide = W.Layout(width="30em")

        def drop(kind: str, description: str, value: str) -> W.Dropdown:
            opts = [(label, key) for key, label in E.choices(kind).items()]
            return W.Dropdown(options=opts, value=value, description=description, style=style, layout=wide)

        controls: dict[str, W.Widget] = {
            "scenario": W.Dropdown(options=[(t, k) for k, t in E.scenarios().items()], value="breast_neuro",
                                   description="Patient", style=style, layout=wide),
            "call": drop("call", "First call", "coordinator"),
            "imaging": drop("imaging", "Imaging", "whole_spine_urgent"),
            "steroid": drop("steroid", "Steroids", "dex16_cover"),
        }
        defaults = {"workup": False}
        for key, label in E.choices("care").items():
            controls[key] = W.Checkbox(value=defaults.get(key, True), description=label, indent=False,
                                       layout=W.Layout(width="30em"))
        return controls

    def control_box(self) -> W.Widget:
        first = [self.controls[k] for k in ("scenario", "call", "imaging", "steroid")]
        care = [self.controls[k] for k in E.CARE_ITEMS]
        return W.VBox([*first, W.HTML("<b>Supportive care</b>"), W.VBox(care)])

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.22, right=0.97, top=0.8, bottom=0.25)  # as in the title sprite below
        ax = fig.add_subplot()
        style_axes(ax)
        labels = [s.label for s in E.statuses()]
        for i, colour in enumerate(_STATUS_COLOURS):
            ax.axhspan(i - 0.5, i + 0.5, color=colour, alpha=0.12, linewidth=0)
        ax.set_yticks(range(4), [_wrap(lab) for lab in labels], fontsize=9)
        ax.set_ylim(3.5, -0.5)
        ax.set_xlabel("hours from presentation", fontsize=9)
        ax.set_xlim(0, self.span_hours)
        ax.set_xticks(range(0, self.span_hours + 1, 24))
        ax.tick_params(axis="x", labelsize=9)
        self._clock = ax.axvspan(0, 24, color=PALETTE["grey"], alpha=0.15, linewidth=0)
        (self._line,) = ax.plot([], [], color=PALETTE["blue"], linewidth=2.5)
        self._marks = {name: ax.axvline(0, color=colour, linestyle=style_, linewidth=1.6)
                       for name, colour, style_ in (("mri", PALETTE["reddish_purple"], "--"),
                                                    ("treatment", PALETTE["black"], "-"))}
        (self._dot,) = ax.plot([], [], "o", color=PALETTE["black"], markersize=6)
        # The title changes only with the patient: a cached bitmap (text rendering is most of a redraw).
        left, right, top, bottom = 0.22, 0.97, 0.8, 0.25
        self._title = TextSprite(ax, (0.02 - left) / (right - left), -0.5 - (0.955 - top) / (top - bottom) * 4, "",
                                 fontsize=9, ha="left")
        ax.add_artist(self._title)
        fig.text(0.02, 0.885, f"Dashed: MRI. Solid: treatment. Shaded: imaging clock. Past {self.span_hours} h: "
                 "right edge.", fontsize=9, ha="left", va="center")
        fig.text(0.02, 0.04, "Teaching model: the rate of decline is illustrative, not measured.",
                 fontsize=9, ha="left", va="center", style="italic")
        self._ax = ax
        self.dynamic += [self._clock, self._line, *self._marks.values(), self._dot, self._title]

    def render(self, fig: Figure, scenario: str, call: str, imaging: str, steroid: str, **care: bool) -> Rendered:
        plan = E.Plan(scenario, call=call, imaging=imaging, steroid=steroid, **care)
        out = E.simulate(plan)
        edge = float(self.span_hours)
        kept = [(h, d - 0.5) for h, d in out.course if h <= edge]  # band i holds deficits from i to i + 1
        if out.treatment_hour > edge:
            kept.append((edge, E.simulate_deficit(out, edge) - 0.5))
        self._line.set_data([h for h, _ in kept], [d for _, d in kept])
        self._dot.set_data([min(out.treatment_hour, edge)], [kept[-1][1]])
        self._marks["mri"].set_xdata([min(out.mri_hour, edge)] * 2)
        self._marks["treatment"].set_xdata([min(out.treatment_hour, edge)] * 2)
        clock = E.clocks()["neuro_mri_hours"] if out.scenario.neuro else E.clocks()["pain_mri_hours"]
        if not out.scenario.on_pathway:
            clock = E.clocks()["ces_mri_hours"]
        self._clock.set_width(clock)
        self._title.set_text(out.scenario.title)
        met = sum(c.met for c in out.clocks)
        self.state.update(
            outcome=out,
            status_at_treatment=out.status_at_treatment.id,
            treatment_hour=out.treatment_hour,
            mri_hour=out.mri_hour,
            clocks_met=met,
            clocks_total=len(out.clocks),
            harms=[c.item for c in out.harms],
        )
        alt = (f"Teaching-model chart for the patient '{out.scenario.title}'. An illustrative line shows walking "
               f"over {out.treatment_hour:g} hours: {out.status_at_presentation.label} at presentation, "
               f"{out.status_at_treatment.label} when treatment starts. MRI at hour {out.mri_hour:g}, "
               f"treatment from hour {out.treatment_hour:g}; the shaded band is the {clock:g}-hour imaging "
               f"clock. Dexamethasone: {self.controls['steroid'].label}. "
               f"{met} of {len(out.clocks)} pathway clocks met.")
        return Rendered(alt=alt, html=explanation_html(out))


def explanation_html(out: E.Outcome) -> str:
    """The explanation panel: notice, patient, clock, verdicts and the published outcomes."""
    esc = html.escape
    parts = [f'<p role="note" style="border-left:4px solid {PALETTE["orange"]};padding:4px 8px">'
             f"<b>{esc(E.TEACHING_MODEL_NOTICE)}</b></p>",
             f"<p><b>Patient.</b> {esc(out.scenario.stem)}</p>"]
    parts.append("<p><b>The clock</b></p><ul>" + "".join(
        f"<li>hour {e.hour:g}: {esc(e.label)}</li>" for e in out.events) + "</ul>")
    parts.append("<p><b>Pathway clocks</b></p><ul>" + "".join(
        f"<li>{'✔ met' if c.met else '✘ missed'} — {esc(c.name)}: {c.actual_hours:g} h</li>" for c in out.clocks)
        + "</ul>")
    care_labels = E.choices("care")
    rows = []
    for c in out.checks:
        name = ITEM_NAMES.get(c.item) or care_labels[c.item]
        rows.append(f"<li><b>{VERDICT_WORDS[c.verdict]}</b> — {esc(name)}. {esc(c.message)}</li>")
    parts.append("<p><b>Your decisions</b></p><ul>" + "".join(rows) + "</ul>")
    status = out.status_at_treatment
    if out.published:
        parts.append(f"<p><b>Published outcomes for people treated when they {esc(status.label)}</b> "
                     "(walking before treatment predicts walking after it):</p><ul>"
                     + "".join(f"<li>{esc(p.text())}</li>" for p in out.published) + "</ul>")
    parts += [f"<p>{esc(n)}</p>" for n in out.notes]
    return "".join(parts)
