"""Module 06 — treatment interactives: the dexamethasone explorer, the LQ/BED/EQD2 explorer, the cord-limit
check and the schedules figure.

* :class:`SteroidExplorer` plots the regimens of :func:`course.treatment.steroid_schedule` side by side.
* :class:`LqExplorer` — the linear-quadratic curve and the BED/EQD2 of a schedule for the tumour (α/β 10) and
  the cord (α/β 2, 0.87, 3 or 4: the sources disagree), computed by :func:`course.calculators.bed_eqd2`.
* :class:`CordCheckExplorer` — a thecal-sac point maximum against the Sahgal 2013 limits
  (:func:`course.calculators.cord_pmax_check`), and the EQD2 of the five limits, which is flat only at the
  α/β the limits were derived with.

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import textwrap

import html
import math
from functools import lru_cache
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from course import calculators, datasets
from course.plotting import CYCLE, PALETTE, bake_background, new_figure, style_axes
from course.treatment import (Schedule, SteroidRegimen, Taper, cord_alpha_beta_choices, cord_limits_eqd2, regimen,
                              rt_schedules, steroid_regimens, steroid_schedule)
from course.widgets import FigureApp, Rendered


class SteroidExplorer(FigureApp):
    """Daily (log scale) and cumulative dexamethasone for the chosen regimens.

    The full-dose days and the taper of regimens whose schedule the sources leave open (marked
    ``illustrative``) follow the controls; the regimens a trial specified keep their own.
    """

    title = "Dexamethasone schedules: daily and cumulative dose"
    figsize = (7.2, 4.2)
    clear_each_update = False
    MAX_DAY = 24

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        regs = steroid_regimens()
        return {
            "regimens": W.SelectMultiple(options=[(r.label, r.id) for r in regs.values()],
                                         value=("source_document", "nice_ng234", "sorensen1994"),
                                         rows=5, description="regimens", style=style, layout=W.Layout(width="44em")),
            "full_dose_days": W.IntSlider(value=3, min=1, max=7, description="full-dose days (illustrative)",
                                          style=style, continuous_update=False),
            "taper_kind": W.Dropdown(options=[("halve every few days", "halving"), ("linear to zero", "linear")],
                                     value="halving", description="illustrative taper", style=style),
            "taper_days": W.IntSlider(value=14, min=4, max=14, description="taper length (days)", style=style,
                                      continuous_update=False),
            "step_days": W.IntSlider(value=3, min=1, max=5, description="halving step (days)", style=style,
                                     continuous_update=False),
        }

    def schedules(self, **v: Any) -> list[Schedule]:
        """The schedules drawn for the control values ``v``."""
        taper = Taper(v["taper_kind"], int(v["taper_days"]), int(v["step_days"]))
        out = []
        for rid in v["regimens"]:
            reg = regimen(rid)
            out.append(steroid_schedule(
                reg, full_dose_days=v["full_dose_days"] if "full_dose_days" in reg.illustrative else None,
                taper=taper if "taper" in reg.illustrative else None, days=self.MAX_DAY))
        return out

    def setup(self, fig: Figure) -> None:
        ax1 = fig.add_axes((0.09, 0.56, 0.60, 0.36))
        ax2 = fig.add_axes((0.09, 0.11, 0.60, 0.36), sharex=ax1)
        for ax in (ax1, ax2):
            style_axes(ax)
            ax.grid(alpha=0.3)
        ax1.set_yscale("log")
        ax1.set_ylim(0.3, 300)
        ax1.set_ylabel("mg per day\n(log scale)", fontsize=8)
        ax2.set_yscale("log")
        ax2.set_ylim(8, 1200)
        ax2.set_ylabel("cumulative mg\n(log scale)", fontsize=8)
        ax2.set_xlabel("day", fontsize=8)
        ax1.set_xlim(0.5, self.MAX_DAY + 0.5)
        ax1.tick_params(labelsize=8, labelbottom=False)
        ax2.tick_params(labelsize=8)
        markers = ["o", "s", "^", "D", "v"]
        regs = list(steroid_regimens().values())
        legend_lines = [ax1.plot([], [], color=CYCLE[i % len(CYCLE)], marker=markers[i % 5], ms=4,
                                 label=textwrap.fill(reg.label.split(":")[0], 24))[0]
                        for i, reg in enumerate(regs)]
        fig.legend(handles=legend_lines, loc="center left", bbox_to_anchor=(0.71, 0.5), fontsize=8, frameon=False)
        bake_background(fig)
        self._daily = {}
        self._cum = {}
        for i, reg in enumerate(regs):
            style = dict(color=CYCLE[i % len(CYCLE)], marker=markers[i % 5], ms=4, lw=1.5)
            (self._daily[reg.id],) = ax1.plot([], [], drawstyle="steps-mid", **style)
            (self._cum[reg.id],) = ax2.plot([], [], **style)

    def render(self, fig: Figure, **v: Any) -> Rendered:
        scheds = {s.regimen.id: s for s in self.schedules(**v)}
        for rid in self._daily:
            s = scheds.get(rid)
            for line, y in ((self._daily[rid], None if s is None else s.daily),
                            (self._cum[rid], None if s is None else s.cumulative)):
                line.set_visible(s is not None)
                if s is not None:
                    shown = np.where(y > 0, y, np.nan) if line is self._daily[rid] else y
                    line.set_data(s.day, shown)
        self.state.update(schedules=scheds)
        rows = "".join(
            f"<tr><td>{html.escape(s.regimen.label)}</td><td>{s.daily[0]:g}</td><td>{s.regimen.daily_mg:g}</td>"
            f"<td>{s.last_dose_day}</td><td>{s.total_mg:g}</td><td>{html.escape(self._illustrative(s.regimen, v))}</td></tr>"
            for s in scheds.values())
        table = ("<table><tr><th>Regimen</th><th>Day 1 (mg)</th><th>Full daily (mg)</th><th>Last dose day</th>"
                 "<th>Cumulative (mg)</th><th>Illustrative parts</th></tr>" + rows + "</table>")
        alt = "Dexamethasone schedules. " + "; ".join(
            f"{s.regimen.label.split(':')[0]}: {s.daily[0]:g} mg on day 1, {s.regimen.daily_mg:g} mg/day full dose, "
            f"last dose on day {s.last_dose_day}, cumulative {s.total_mg:g} mg" for s in scheds.values()) \
            if scheds else "Dexamethasone schedules: no regimen selected."
        return Rendered(alt=alt, html=table)

    @staticmethod
    def _illustrative(reg: SteroidRegimen, v: dict[str, Any]) -> str:
        parts = []
        if "full_dose_days" in reg.illustrative:
            parts.append(f"{v['full_dose_days']} full-dose days")
        if "taper" in reg.illustrative:
            parts.append(Taper(v["taper_kind"], int(v["taper_days"]), int(v["step_days"])).describe())
        if "taper_shape" in reg.illustrative:
            parts.append(f"shape of the taper ({reg.taper.describe()})")
        if "bolus_on_day_1" in reg.illustrative:
            parts.append("bolus added to day 1")
        return ", ".join(parts) or "none"



def schedules_figure(cord_alpha_beta: float = 2) -> tuple[Figure, str]:
    """EQD2 (tumour α/β 10 and cord α/β) of the common schedules; the source document's range marked."""
    scheds = list(rt_schedules().values())
    rng = datasets.load("treatment")["radiotherapy"]["source_document_range"]
    fig = new_figure(6.6, 3.6)
    ax = fig.add_subplot()
    style_axes(ax)
    y = np.arange(len(scheds))
    tum = [calculators.bed_eqd2(total_dose_gy=s["total_gy"], fractions=s["fractions"], alpha_beta_gy=10)
           .by_alpha_beta[10].EQD2 for s in scheds]
    cord = [calculators.bed_eqd2(total_dose_gy=s["total_gy"], fractions=s["fractions"], alpha_beta_gy=cord_alpha_beta)
            .by_alpha_beta[cord_alpha_beta].EQD2 for s in scheds]
    ax.barh(y - 0.2, tum, height=0.38, color=PALETTE["blue"], label="EQD2, α/β 10 (tumour)")
    ax.barh(y + 0.2, cord, height=0.38, color=PALETTE["orange"], hatch="//",
            label=f"EQD2, α/β {cord_alpha_beta:g} (late tissue / cord, if it received the full dose)")
    for yi, t in zip(y, tum):
        ax.text(t + 1, yi - 0.2, f"{t:.1f}", va="center", fontsize=8)
    lo = [i for i, s in enumerate(scheds) if (s["total_gy"], s["fractions"]) ==
          (rng["low"]["total_gy"], rng["low"]["fractions"])]
    hi = [i for i, s in enumerate(scheds) if (s["total_gy"], s["fractions"]) ==
          (rng["high"]["total_gy"], rng["high"]["fractions"])]
    if lo and hi:
        ax.axhspan(min(lo + hi) - 0.5, max(lo + hi) + 0.5, color=PALETTE["yellow"], alpha=0.25, lw=0)
        ax.text(118, (min(lo + hi) + max(lo + hi)) / 2,
                "source document:\n30–40 Gy over 2–4 weeks", ha="right", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([s["label"] for s in scheds], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 120)
    ax.set_xlabel("EQD2 (Gy)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    ax.set_title("Common palliative and stereotactic schedules in 2-Gy equivalents", fontsize=10, loc="left")
    alt = ("Horizontal bars of EQD2 for common spine radiotherapy schedules, tumour α/β 10 then "
           f"α/β {cord_alpha_beta:g}: " + "; ".join(f"{s['label']}: {t:.1f} and {c:.1f} Gy"
                                                   for s, t, c in zip(scheds, tum, cord))
           + ". The source document's 30–40 Gy over 2–4 weeks spans 30 Gy/10 to 40 Gy/20 (shaded).")
    return fig, alt


@lru_cache(maxsize=16)
def _lq_curve(alpha_beta: float, d_max: float = 25.0, points: int = 50) -> np.ndarray:
    """EQD2 of one fraction of d Gy for d in linspace(0.5, d_max, points) (from the calculator)."""
    return np.array([calculators.bed_eqd2(total_dose_gy=float(x), fractions=1, alpha_beta_gy=alpha_beta)
                     .by_alpha_beta[alpha_beta].EQD2 for x in np.linspace(0.5, d_max, points)])


class LqExplorer(FigureApp):
    """Linear-quadratic explorer: EQD2 per fraction against dose per fraction for tumour and cord α/β,
    and the BED/EQD2 of the chosen schedule (numbers from :func:`course.calculators.bed_eqd2`)."""

    title = "BED / EQD2 explorer (linear-quadratic model)"
    figsize = (7.2, 3.4)
    clear_each_update = False
    D_MAX = 25.0

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        preset = W.Dropdown(options=[("custom", "custom")] + [(s["label"], sid) for sid, s in rt_schedules().items()],
                            value="30x10", description="schedule", style=style)
        controls = {
            "preset": preset,
            "dose_per_fraction": W.FloatSlider(value=3.0, min=0.5, max=24.0, step=0.5, description="dose/fraction (Gy)",
                                               style=style, continuous_update=False),
            "fractions": W.IntSlider(value=10, min=1, max=30, description="fractions", style=style,
                                     continuous_update=False),
            "cord_alpha_beta": W.Dropdown(options=cord_alpha_beta_choices(), value=2.0, description="cord α/β",
                                          style=style),
        }
        preset.observe(self._apply_preset, names="value")
        return controls

    def _apply_preset(self, change: dict[str, Any]) -> None:
        s = rt_schedules().get(change["new"])
        if s is None:
            return
        previous, self._suspended = self._suspended, True
        try:
            self.controls["fractions"].value = int(s["fractions"])
            self.controls["dose_per_fraction"].value = float(s["total_gy"]) / int(s["fractions"])
        finally:
            self._suspended = previous

    Y_MAX_BARS = 200.0

    def setup(self, fig: Figure) -> None:
        ax = fig.add_axes((0.08, 0.15, 0.42, 0.72))
        style_axes(ax)
        ax.set_xlim(0, self.D_MAX)
        ax.set_ylim(0, 240)
        ax.set_xlabel("dose per fraction d (Gy)", fontsize=8)
        ax.set_ylabel("EQD2 of one fraction (Gy)", fontsize=8)
        ax.set_title("LQ curve: d(d + α/β)/(2 + α/β)", fontsize=9, loc="left")
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        self._d = np.linspace(0.5, self.D_MAX, 50)
        ax.plot(self._d, _lq_curve(10.0), color=PALETTE["blue"], lw=2, label="tumour, α/β 10")
        ax.plot([], [], color=PALETTE["orange"], lw=2, ls="--", label="cord, α/β as chosen")
        ax.legend(fontsize=8, loc="upper left", frameon=False)
        b = fig.add_axes((0.62, 0.15, 0.34, 0.72))
        style_axes(b)
        b.tick_params(labelsize=8)
        b.set_xlim(-0.6, 3.6)
        b.set_ylim(0, self.Y_MAX_BARS)
        b.set_xticks([0, 1, 2, 3])
        b.set_xticklabels(["BED\nα/β 10", "EQD2\nα/β 10", "BED\ncord", "EQD2\ncord"], fontsize=8)
        b.set_ylabel("Gy (bars cut at 200)", fontsize=8)
        b.grid(alpha=0.3, axis="y")
        bake_background(fig)
        (self._cord,) = ax.plot([], [], color=PALETTE["orange"], lw=2, ls="--")
        (self._mt,) = ax.plot([], [], "o", color=PALETTE["blue"], ms=7)
        (self._mc,) = ax.plot([], [], "s", color=PALETTE["orange"], ms=7)
        self._bars = b.bar([0, 1, 2, 3], [0, 0, 0, 0], width=0.7,
                           color=[PALETTE["blue"], PALETTE["blue"], PALETTE["orange"], PALETTE["orange"]])
        for bar, hatch in zip(self._bars, ("", "..", "//", "xx")):
            bar.set_hatch(hatch)
        self._bar_texts = [b.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in range(4)]
        self._title = fig.text(0.62, 0.93, "", fontsize=9)
        self._cord_ab: float | None = None

    def render(self, fig: Figure, **v: Any) -> Rendered:
        n, d, ab = int(v["fractions"]), float(v["dose_per_fraction"]), float(v["cord_alpha_beta"])
        total = round(n * d, 4)
        if ab != self._cord_ab:
            self._cord.set_data(self._d, _lq_curve(ab))
            self._cord_ab = ab
        r = calculators.bed_eqd2(total_dose_gy=total, fractions=n, alpha_beta_gy=[10, ab])
        one = calculators.bed_eqd2(total_dose_gy=d, fractions=1, alpha_beta_gy=[10, ab])
        self._mt.set_data([d], [one.by_alpha_beta[10].EQD2])
        self._mc.set_data([d], [one.by_alpha_beta[ab].EQD2])
        vals = [r.by_alpha_beta[10].BED, r.by_alpha_beta[10].EQD2, r.by_alpha_beta[ab].BED, r.by_alpha_beta[ab].EQD2]
        for bar, txt, val in zip(self._bars, self._bar_texts, vals):
            shown = min(val, self.Y_MAX_BARS)
            bar.set_height(shown)
            txt.set_position((bar.get_x() + bar.get_width() / 2, min(shown, self.Y_MAX_BARS - 12)))
            txt.set_text(f"{val:.1f}" + (" ↑" if val > self.Y_MAX_BARS else ""))
        preset = next((s for s in rt_schedules().values()
                       if s["fractions"] == n and math.isclose(s["total_gy"], total)), None)
        name = preset["label"] if preset else "custom schedule"
        self._title.set_text(f"{total:g} Gy in {n} × {d:g} Gy ({name})")
        self.state.update(result=r, total_gy=total, fractions=n, cord_alpha_beta=ab, preset=preset)
        rng = datasets.load("treatment")["radiotherapy"]["source_document_range"]
        in_range = (rng["low"]["total_gy"] <= total <= rng["high"]["total_gy"]
                    and rng["low"]["fractions"] <= n <= rng["high"]["fractions"])
        extra = ""
        if preset:
            extra += f"<p>Evidence: {html.escape(preset['evidence'])}.</p>"
        if in_range:
            extra += ("<p>This lies within the source document's '30–40 Gy over 2–4 weeks' for conventional "
                      "radiotherapy.</p>")
        alt = (f"Left: LQ curves of EQD2 per fraction against dose per fraction for α/β 10 and cord α/β {ab:g}, "
               f"marked at {d:g} Gy. Right: bars for {total:g} Gy in {n} fractions — BED10 {vals[0]:.2f}, "
               f"EQD2(10) {vals[1]:.2f}, BED(cord) {vals[2]:.2f}, EQD2(cord) {vals[3]:.2f} Gy.")
        return Rendered(alt=alt, html=f"<p>{html.escape(r.explanation)}</p>{extra}"
                        "<p style='font-size:smaller'>The cord values assume the cord received the full "
                        "prescribed dose — true for conventional fields, not for stereotactic plans, which keep the "
                        "cord dose far below the target's.</p>")


class CordCheckExplorer(FigureApp):
    """A thecal-sac point maximum against the Sahgal 2013 limits, and the limits' EQD2 at a chosen α/β."""

    title = "Spinal cord (thecal sac) point-maximum check for SBRT"
    figsize = (7.2, 3.3)
    clear_each_update = False

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        return {
            "fractions": W.IntSlider(value=1, min=1, max=5, description="fractions", style=style,
                                     continuous_update=False),
            "pmax_gy": W.FloatSlider(value=12.0, min=4.0, max=30.0, step=0.1, description="cord Pmax (Gy, total)",
                                     style=style, continuous_update=False),
            "alpha_beta": W.Dropdown(options=cord_alpha_beta_choices(), value=2.0, description="α/β for the EQD2 panel",
                                     style=style),
        }

    def setup(self, fig: Figure) -> None:
        limits = calculators.SAHGAL_PMAX
        ax = fig.add_axes((0.08, 0.15, 0.40, 0.72))
        style_axes(ax)
        ns = list(limits)
        ax.bar(ns, [limits[n] for n in ns], color="#DDDDDD", edgecolor=PALETTE["grey"], label="Sahgal 2013 limit")
        for n in ns:
            ax.text(n, limits[n] - 0.6, f"{limits[n]:g}", ha="center", va="top", fontsize=8)
        for lim in datasets.load("treatment")["radiotherapy"]["single_fraction_cord_limits"]:
            if lim["low"] != lim["high"]:
                ax.plot([0.62, 0.62], [lim["low"], lim["high"]], color=PALETTE["reddish_purple"], lw=4,
                        label=lim["label"])
            elif "QUANTEC" in lim["label"]:
                ax.plot([1.38], [lim["low"]], "D", color=PALETTE["bluish_green"], ms=5, label=lim["label"])
        ax.set_xticks(ns)
        ax.set_xlim(0.4, 5.6)
        ax.set_ylim(0, 32)
        ax.set_xlabel("fractions", fontsize=8)
        ax.set_ylabel("thecal-sac Pmax (Gy)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=8, loc="upper left", frameon=False)
        b = fig.add_axes((0.60, 0.15, 0.36, 0.72))
        style_axes(b)
        b.set_xticks(ns)
        b.set_xlim(0.5, 5.5)
        b.set_ylim(0, 70)
        b.set_xlabel("fractions", fontsize=8)
        b.set_ylabel("EQD2 of the limit (Gy)", fontsize=8)
        b.tick_params(labelsize=8)
        b.grid(alpha=0.3)
        bake_background(fig)
        self._over = ax.plot([], [], "X", color=PALETTE["vermillion"], ms=11)[0]
        self._ok = ax.plot([], [], "o", color=PALETTE["bluish_green"], ms=10, mec=PALETTE["black"])[0]
        # Above the left panel (over the bars it collided with their limit labels and the legend).
        self._ptext = fig.text(0.08, 0.90, "", fontsize=9, fontweight="bold")
        (self._eqd2,) = b.plot(ns, [0] * 5, "o-", color=PALETTE["orange"], lw=2)
        self._eqd2_texts = [b.text(n, 0, "", ha="center", va="bottom", fontsize=8) for n in ns]
        self._btitle = fig.text(0.60, 0.90, "", fontsize=9)
        self._ab = None

    def render(self, fig: Figure, **v: Any) -> Rendered:
        n, dose, ab = int(v["fractions"]), float(v["pmax_gy"]), float(v["alpha_beta"])
        res = calculators.cord_pmax_check(dose_gy=dose, fractions=n)
        self._ok.set_data([n] if res.within_limit else [], [dose] if res.within_limit else [])
        self._over.set_data([] if res.within_limit else [n], [] if res.within_limit else [dose])
        self._ptext.set_text(f"{dose:g} Gy in {n} fraction{'s' if n > 1 else ''}: "
                             f"{'within' if res.within_limit else 'over'} the limit")
        if ab != self._ab:
            eq = cord_limits_eqd2(ab)
            self._eqd2.set_ydata(list(eq.values()))
            for t, (k, val) in zip(self._eqd2_texts, eq.items()):
                t.set_position((k, val + 1.5))
                t.set_text(f"{val:.1f}")
            spread = max(eq.values()) - min(eq.values())
            self._btitle.set_text(f"α/β {ab:g}: spread {spread:.1f} Gy")
            self._ab, self._eq = ab, eq
        spread = max(self._eq.values()) - min(self._eq.values())
        self.state.update(result=res, limits_eqd2=self._eq, spread=spread)
        alt = (f"Left: Sahgal 2013 thecal-sac limits for 1–5 fractions (12.4, 17, 20.3, 23, 25.3 Gy) with "
               f"QUANTEC 13 Gy and HyTEC 12.4–14 Gy for one fraction; the chosen {dose:g} Gy in {n} fraction(s) is "
               f"{'within' if res.within_limit else 'over'} the {res.limit_gy:g} Gy limit. Right: EQD2 of the five "
               f"limits at α/β {ab:g}: " + ", ".join(f"{val:.1f}" for val in self._eq.values())
               + f" Gy (spread {spread:.1f} Gy).")
        verdict = "✔ within" if res.within_limit else "✘ over"
        return Rendered(alt=alt, html=(f"<p><b>{verdict}</b> — {html.escape(res.explanation)}.</p>"
                                       + "".join(f"<p><i>Note:</i> {html.escape(c)}.</p>" for c in res.caveats)))



__all__ = ["SteroidExplorer", "schedules_figure", "LqExplorer", "CordCheckExplorer"]
