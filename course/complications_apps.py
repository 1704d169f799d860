"""Module 07 interactives and figures: corrected calcium, the complication timeline, the rehabilitation plan.

Thin views over :mod:`course.complications` (pure logic). Educational use only.
"""

from __future__ import annotations

import textwrap
from typing import Any

import ipywidgets as W
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course import calculators
from course.complications import (_CA_MAX, _CA_MIN, FRANKEL_GRADES, PHASES, RT_CHOICES, STEROID_CHOICES,
                                  calcium_conventions, calcium_report, complications, complications_for,
                                  rehab_items, rehab_plan, steroid_side_effects)
from course.plotting import PALETTE, new_figure, style_axes
from course.widgets import BlitFigureApp, Rendered

#: Colours of successive severity bands (Okabe–Ito), with hatches so colour is not the only cue.
_BAND_COLOURS = (PALETTE["yellow"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["reddish_purple"])


_BAND_HATCH = ("", "//", "xx", "..")


def _draw_calcium_bands(ax: Any) -> None:
    """Draw the normal range and each convention's bands as rows on ``ax`` (y = row index)."""
    convs = calcium_conventions()
    rows = ["Calculator\n(teaching)"] + [c["short"] for c in convs]
    # row 0: the calculators' teaching convention (normal 2.2–2.6, severe ≥ 3.5)
    calc_bands = [(2.6, 3.5, "high"), (3.5, _CA_MAX, "severe")]
    ax.add_patch(Rectangle((2.2, -0.35), 0.4, 0.7, facecolor=PALETTE["sky_blue"], alpha=0.5, edgecolor="none"))
    ax.text(2.4, 0, "normal", ha="center", va="center", fontsize=8)
    for i, (lo, hi, lab) in enumerate(calc_bands):
        ax.add_patch(Rectangle((lo, -0.35), hi - lo, 0.7, facecolor=_BAND_COLOURS[i * 2], alpha=0.6,
                               hatch=_BAND_HATCH[i * 2], edgecolor="white", linewidth=0))
        ax.text((lo + hi) / 2, 0, lab, ha="center", va="center", fontsize=8)
    for r, conv in enumerate(convs, start=1):
        bands = conv["bands"]
        for i, band in enumerate(bands):
            hi = bands[i + 1]["from"] if i + 1 < len(bands) else _CA_MAX
            ax.add_patch(Rectangle((band["from"], r - 0.35), hi - band["from"], 0.7,
                                   facecolor=_BAND_COLOURS[i % 4], alpha=0.6, hatch=_BAND_HATCH[i % 4],
                                   edgecolor="white", linewidth=0))
            ax.text((band["from"] + hi) / 2, r, band["tag"], ha="center", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(_CA_MIN, _CA_MAX)
    ax.set_xlabel("corrected calcium (mmol/L)")


def plot_calcium_conventions(corrected_mmol_l: float | None = None) -> tuple[Figure, str]:
    """Figure comparing where each convention puts its cut-offs; returns ``(figure, alt text)``."""
    fig = new_figure(7.0, 2.8)
    ax = fig.add_subplot()
    style_axes(ax)
    _draw_calcium_bands(ax)
    if corrected_mmol_l is not None:
        ax.axvline(corrected_mmol_l, color=PALETTE["black"], linewidth=2)
    ax.set_title("Where sources put the hypercalcaemia cut-offs", fontsize=10)
    cuts = {c["short"]: ", ".join(f"{b['from']:g}" for b in c["bands"]) for c in calcium_conventions()}
    alt = ("Horizontal band chart of corrected calcium from 1.8 to 4.0 mmol/L. Row 1, the course calculator: "
           "normal 2.2–2.6, high above 2.6, severe from 3.5. "
           + " ".join(f"Row {k}: bands start at {v} mmol/L." for k, v in cuts.items())
           + " The cut-offs do not line up between sources.")
    return fig, alt


class CorrectedCalciumApp(BlitFigureApp):
    """Measured calcium and albumin sliders → corrected calcium, placed on every convention's bands."""

    title = "Corrected calcium explorer (Payne formula)"
    figsize = (7.0, 3.0)

    def build_controls(self) -> dict[str, W.Widget]:
        return {
            "calcium": W.FloatSlider(value=2.45, min=1.8, max=3.8, step=0.01, description="Ca (mmol/L)",
                                     continuous_update=False, readout_format=".2f",
                                     style={"description_width": "initial"}),
            "albumin": W.IntSlider(value=24, min=15, max=50, step=1, description="Albumin (g/L)",
                                   continuous_update=False, style={"description_width": "initial"}),
        }

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.2, right=0.97, top=0.86, bottom=0.2)
        ax = fig.add_subplot()
        style_axes(ax)
        _draw_calcium_bands(ax)
        self._ax = ax
        self._measured = ax.axvline(2.4, color=PALETTE["blue"], linestyle="--", linewidth=2)
        self._corrected = ax.axvline(2.4, color=PALETTE["black"], linewidth=2.5)
        self._arrow = ax.annotate("", xy=(2.4, -0.45), xytext=(2.4, -0.45), annotation_clip=False,
                                  arrowprops=dict(arrowstyle="->", color=PALETTE["black"], linewidth=1.5))
        self._title = ax.set_title("", fontsize=9)
        ax.legend([self._measured, self._corrected], ["measured (dashed)", "corrected (solid)"],
                  loc="lower left", fontsize=8, frameon=False)
        self.dynamic += [self._measured, self._corrected, self._arrow, self._title]

    def render(self, fig: Figure, calcium: float, albumin: int) -> Rendered:
        rep = calcium_report(calcium, albumin)
        shown = min(max(rep.corrected_mmol_l, _CA_MIN), _CA_MAX)
        self._measured.set_xdata([calcium, calcium])
        self._corrected.set_xdata([shown, shown])
        self._arrow.xy = (shown, -0.45)
        self._arrow.set_position((calcium, -0.45))
        self._title.set_text(f"measured {calcium:.2f} → corrected {rep.corrected_mmol_l:.2f} mmol/L "
                             f"(albumin {albumin} g/L)")
        self.state.update(corrected=rep.corrected_mmol_l, category=rep.category,
                          by_convention=rep.by_convention, hidden=rep.hidden_hypercalcaemia)
        alt = (f"Calcium band chart: the measured calcium {calcium:.2f} mmol/L (dashed line) is corrected "
               f"for albumin {albumin} g/L to {rep.corrected_mmol_l:.2f} mmol/L (solid line). "
               + " ".join(f"{c['short']}: {rep.by_convention[c['id']]}." for c in calcium_conventions()))
        items = "".join(f"<li><b>{c['short']}</b>: {rep.by_convention[c['id']]}</li>" for c in calcium_conventions())
        warn = ("<p><b>⚠ Hidden hypercalcaemia:</b> the measured value looks normal; the low albumin hides it.</p>"
                if rep.hidden_hypercalcaemia else "")
        calc = calculators.corrected_calcium(calcium_mmol_l=calcium, albumin_g_l=albumin)
        html = (f"<p>{calc.explanation}.</p>{warn}<ul>{items}</ul>"
                "<p><i>Cut-offs are conventions; use your laboratory's reference range. "
                "With paraproteins (myeloma) or acid–base disturbance, measure ionised calcium.</i></p>")
        return Rendered(alt=alt, html=html)


def plot_steroid_side_effects() -> tuple[Figure, str]:
    """Bar chart of the serious side-effect rates reported with 96 mg/day dexamethasone."""
    rows = steroid_side_effects()
    fig = new_figure(6.5, 2.4)
    ax = fig.add_subplot()
    style_axes(ax)
    colours = [PALETTE["vermillion"], PALETTE["orange"]]
    hatches = ["//", ".."]
    for i, r in enumerate(rows):
        ax.barh(i, r["percent"], color=colours[i % 2], hatch=hatches[i % 2], edgecolor="white")
        ax.text(r["percent"] + 0.5, i, f"{r['percent']:g}%: {r['short_outcome']}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), [f"{r['study']}\n96 mg regimen" for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 50)
    ax.set_xlabel("patients with the complication (%)")
    ax.set_title("High-dose dexamethasone: serious side effects reported", fontsize=10)
    alt = ("Horizontal bar chart. " + " ".join(
        f"{r['study']} ({r['regimen']}): {r['percent']:g}% {r['outcome']}." for r in rows)
        + " The two studies counted different outcomes, so the bars are not directly comparable.")
    return fig, alt


_CATEGORY_COLOURS = {
    "neurological": PALETTE["blue"], "structural": PALETTE["sky_blue"], "metabolic": PALETTE["bluish_green"],
    "steroids": PALETTE["vermillion"], "chemotherapy": PALETTE["reddish_purple"], "opioids": PALETTE["orange"],
    "radiotherapy": PALETTE["yellow"], "surgery": PALETTE["grey"], "immobility": PALETTE["black"],
    "bone agents": PALETTE["sky_blue"],
}


_FADED = "#EEEEEE"


def _short(name: str, n: int = 44) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


class ComplicationTimelineApp(BlitFigureApp):
    """Choose the treatments → the complications to watch for light up on a qualitative timeline."""

    title = "Complication timeline: what does this plan add?"
    figsize = (7.5, 4.6)

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        return {
            "steroids": W.Dropdown(options=list(STEROID_CHOICES), value="16 mg/day", description="Dexamethasone",
                                   style=style),
            "radiotherapy": W.Dropdown(options=list(RT_CHOICES), value="cEBRT", description="Radiotherapy",
                                       style=style),
            "opioids": W.Checkbox(value=True, description="Opioids", indent=False),
            "chemotherapy": W.Checkbox(value=False, description="Chemotherapy", indent=False),
            "surgery": W.Checkbox(value=False, description="Surgery", indent=False),
            "bone_agent": W.Checkbox(value=False, description="Denosumab / zoledronic acid", indent=False),
            "immobile": W.Checkbox(value=False, description="Bed-bound", indent=False),
            "cervical": W.Checkbox(value=False, description="Cervical lesion", indent=False),
        }

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.33, right=0.98, top=0.9, bottom=0.04)
        ax = fig.add_subplot()
        ax.set_xlim(0, len(PHASES))
        ax.set_xticks([i + 0.5 for i in range(len(PHASES))], list(PHASES), fontsize=8)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ("right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        for i in range(1, len(PHASES)):
            ax.axvline(i, color="#cccccc", linewidth=0.8)
        self._rows = complications()
        self._bars = []
        for y, c in enumerate(self._rows):
            a, b = c["phases"]
            hatch = "" if c["group"] == "disease" else "///"
            bar = Rectangle((a + 0.05, y - 0.35), b - a + 0.9, 0.7, facecolor=_FADED, hatch=hatch,
                            edgecolor="white", linewidth=0)
            ax.add_patch(bar)
            self._bars.append(bar)
        ax.set_ylim(len(self._rows) - 0.5, -0.5)
        ax.set_yticks(range(len(self._rows)), [c["short"] for c in self._rows], fontsize=8)
        ax.set_title("(timing phases are qualitative; hatched = treatment-related)", fontsize=8, pad=16)
        self._ax = ax
        self.dynamic += self._bars

    def render(self, fig: Figure, steroids: str, radiotherapy: str, opioids: bool, chemotherapy: bool,
               surgery: bool, immobile: bool, cervical: bool, bone_agent: bool = False) -> Rendered:
        chosen = complications_for(steroids=steroids, radiotherapy=radiotherapy, opioids=opioids,
                                   chemotherapy=chemotherapy, surgery=surgery, immobile=immobile,
                                   cervical=cervical, bone_agent=bone_agent)
        ids = {c["id"] for c in chosen}
        for c, bar in zip(self._rows, self._bars):
            on = c["id"] in ids
            bar.set_facecolor(_CATEGORY_COLOURS[c["category"]] if on else _FADED)
            bar.set_edgecolor("white" if on else "#DDDDDD")
        treatment = [c for c in chosen if c["group"] == "treatment"]
        self.state.update(ids=sorted(ids), n_treatment=len(treatment))
        notes = []
        effects = {r["id"]: r for r in steroid_side_effects()}
        if steroids == "96 mg/day":
            h, s = effects["heimdal"], effects["sorensen"]
            notes.append(f"High-dose dexamethasone: {h['percent']:g}% serious GI complications (Heimdal 1992); "
                         f"{s['percent']:g}% serious side effects (Sørensen 1994). Most units use 16 mg/day.")
        elif steroids == "16 mg/day":
            notes.append("16 mg/day with a taper is the mainstream regimen (NICE NG234; Heimdal 1992 "
                         "switched to it without losing ambulation).")
        if radiotherapy == "SBRT":
            limits = ", ".join(f"{calculators.cord_pmax_check(dose_gy=v, fractions=n).limit_gy:g} Gy/{n} fx"
                               for n, v in calculators.SAHGAL_PMAX.items())
            notes.append(f"SBRT: keep the thecal-sac point maximum within the Sahgal 2013 limits ({limits}) "
                         "— radiation myelopathy is late and rare when limits are respected. Watch for a "
                         "vertebral compression fracture in the months after (Sahgal 2013: 14% of segments).")
        if bone_agent:
            notes.append("Bone agents: dental review before starting; calcium and vitamin D with denosumab; "
                         "creatinine before each zoledronic acid dose.")
        if opioids:
            notes.append("Opioids: prescribe a regular laxative from the start (constipation does not wear off).")
        watch = "".join(f"<li><b>{c['name']}</b> — {c['watch']}</li>" for c in treatment)
        html = (f"<p>This plan adds <b>{len(treatment)}</b> treatment-related complications to the "
                f"{len(chosen) - len(treatment)} disease-related ones.</p>"
                + (f"<ul>{watch}</ul>" if watch else "")
                + "".join(f"<p>{n}</p>" for n in notes))
        alt = (f"Timeline chart with {len(self._rows)} complication rows across the phases "
               f"{', '.join(PHASES)}. Highlighted for this plan: "
               + "; ".join(f"{c['name']} ({PHASES[c['phases'][0]]} to {PHASES[c['phases'][1]]})" for c in chosen)
               + ".")
        return Rendered(alt=alt, html=html)


_DISCIPLINE_COLOURS = (PALETTE["blue"], PALETTE["orange"], PALETTE["bluish_green"], PALETTE["vermillion"],
                       PALETTE["sky_blue"], PALETTE["reddish_purple"], PALETTE["yellow"], PALETTE["grey"],
                       PALETTE["blue"], PALETTE["orange"])


class RehabPlanApp(BlitFigureApp):
    """Neurology, stability and fitness → the ordered rehabilitation plan (ranked checklist)."""

    title = "Rehabilitation planner (teaching checklist)"
    figsize = (7.5, 3.8)

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        return {
            "frankel": W.Dropdown(options=list(FRANKEL_GRADES), value="D", description="Frankel grade", style=style),
            "spine_unstable": W.Checkbox(value=False, description="Spine (possibly) unstable", indent=False),
            "stabilised": W.Checkbox(value=False, description="…already stabilised", indent=False),
            "kps": W.IntSlider(value=70, min=10, max=100, step=10, description="KPS", continuous_update=False,
                               style=style),
            "sphincter_dysfunction": W.Checkbox(value=False, description="Bladder/bowel dysfunction", indent=False),
            "short_prognosis": W.Checkbox(value=False, description="Expected survival < 6 months", indent=False),
        }

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.52, right=0.97, top=0.9, bottom=0.04)
        ax = fig.add_subplot()
        self._items = list(rehab_items().values())
        self._bars = []
        self._rank_text = []
        for y, item in enumerate(self._items):
            bar = Rectangle((0, y - 0.38), 1, 0.76, facecolor=_FADED, edgecolor="none")
            ax.add_patch(bar)
            self._bars.append(bar)
            self._rank_text.append(ax.text(0.5, y, "", ha="center", va="center", fontsize=8, fontweight="bold"))
        ax.set_xlim(0, 1)
        ax.set_ylim(len(self._items) - 0.5, -0.5)
        ax.set_yticks(range(len(self._items)), [textwrap.fill(i.label, 46) for i in self._items], fontsize=8)
        ax.set_xticks([])
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        self._title = ax.set_title("", fontsize=9, loc="right")
        self.dynamic += self._bars + self._rank_text + [self._title]

    def render(self, fig: Figure, frankel: str, spine_unstable: bool, stabilised: bool, kps: int,
               sphincter_dysfunction: bool, short_prognosis: bool) -> Rendered:
        plan = rehab_plan(frankel=frankel, spine_unstable=spine_unstable, stabilised=stabilised, kps=kps,
                          sphincter_dysfunction=sphincter_dysfunction, short_prognosis=short_prognosis)
        rank = {item.id: i + 1 for i, item in enumerate(plan.items)}
        for item, bar, txt in zip(self._items, self._bars, self._rank_text):
            if item.id in rank:
                r = rank[item.id]
                bar.set_facecolor(PALETTE["vermillion"] if r == 1 else PALETTE["sky_blue"])
                bar.set_hatch("//" if r == 1 else "")
                bar.set_width(1.0 - 0.06 * (r - 1))
                txt.set_text("focus" if r == 1 else f"#{r}")
                txt.set_x((1.0 - 0.06 * (r - 1)) / 2)
            else:
                bar.set_facecolor(_FADED)
                bar.set_hatch("")
                bar.set_width(1.0)
                txt.set_text("")
        self._title.set_text(f"Focus: {plan.focus.label}")
        self.state.update(focus=plan.focus.id, ids=list(plan.ids))
        alt = (f"Ranked checklist of {len(self._items)} rehabilitation items; the plan for Frankel {frankel}, "
               f"KPS {kps} ranks: " + "; ".join(f"{i + 1}. {it.label}" for i, it in enumerate(plan.items))
               + ". Items not in the plan are greyed.")
        lis = "".join(f"<li><b>{it.label}</b> ({it.discipline}): {it.why}</li>" for it in plan.items)
        html = f"<p>{plan.explanation}</p><ol>{lis}</ol>"
        return Rendered(alt=alt, html=html)


__all__ = ["plot_calcium_conventions", "CorrectedCalciumApp", "plot_steroid_side_effects", "ComplicationTimelineApp",
           "RehabPlanApp"]
