"""Module 05 — classification and scoring: calculator panels, the NOMS decision explorer and teaching figures.

* :class:`SinsPanel`, :class:`TokuhashiPanel`, :class:`TomitaPanel` — one dropdown/slider per component,
  a bar per component (points out of the component's maximum) and the total on a band gauge;
* :class:`NomsExplorer` — the learner's N, O, M and S inputs drawn as a path through the framework
  to the decision, with the published radiosensitivity lists to choose from;
* static teaching figures (compartments, ESCC grades, radiosensitivity lists, KPS↔ECOG mappings).

The logic they show lives in :mod:`course.scoring` and :mod:`course.calculators` (pure modules); component
maxima and band limits are read from the calculators' tables, never typed here.

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, Polygon, Rectangle

from course import calculators, datasets
from course.anatomy import compartment_figure  # re-exported: module 05 recaps the compartments
from course.plotting import PALETTE, bake_background, new_figure, style_axes
from course.scoring import (DECISION_LABELS, ESCC_DESCRIPTIONS, ESCC_GRADES, TOKUHASHI_SITES, Component,
                            _levels, _points, classify_everywhere, histology_choices, label, noms_path,
                            reference_keys)
from course.references import sources_line
from course.widgets import FigureApp, Rendered



class ScorePanel(FigureApp):
    """A score calculator: one control per component, a bar per component and a total gauge.

    Subclasses set :attr:`components`, :attr:`calculator`, :attr:`band_field` and :attr:`band_colours`.
    The maximum of each component and the band of each total are computed once by evaluating the
    calculator over every combination of the listed choices (cached per class).
    """

    clear_each_update = False
    figsize = (6.4, 3.3)
    components: tuple[Component, ...] = ()
    #: Result field holding the band (``category``, ``prognosis``, ``treatment_goal``).
    band_field: str = "category"
    #: Band code → colour (Okabe–Ito); the band name is also written on the gauge, never colour alone.
    band_colours: dict[str, str] = {}
    score_title: str = ""
    #: Name of the score in ``calculators.table_rows`` / ``calculators.REFERENCE_KEYS``.
    score_name: str = ""
    #: Names of the calculators' point-table and band constants (e.g. ``SINS_TABLE``, ``SINS_BANDS``).
    table_constant: str = ""
    bands_constant: str = ""

    # -- calculator wiring ---------------------------------------------------------------------
    @staticmethod
    def calculator(**kwargs: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def calculate(self, **values: Any) -> Any:
        """Call the calculator with the control values."""
        return type(self).calculator(**{c.argument: values[c.argument] for c in self.components})

    @classmethod
    def reference_table(cls) -> tuple[dict[str, int], dict[int, str]]:
        """(component key → maximum points, total → band), read from the calculators' tables."""
        table = getattr(calculators, cls.table_constant)
        maxima = {c.key: max(table[c.key].values()) for c in cls.components}
        bands = {t: b.label for b in getattr(calculators, cls.bands_constant) for t in range(b.low, b.high + 1)}
        return maxima, bands

    # -- FigureApp ------------------------------------------------------------------------------
    def build_controls(self) -> dict[str, W.Widget]:
        controls: dict[str, W.Widget] = {}
        style = {"description_width": "initial"}
        for c in self.components:
            if c.slider:
                values = [v for _, v in c.choices]
                controls[c.argument] = W.IntSlider(
                    value=values[0], min=min(values), max=max(values), step=values[1] - values[0],
                    description=c.label, style=style, continuous_update=False,
                )
            else:
                controls[c.argument] = W.Dropdown(options=list(c.choices), value=c.choices[0][1],
                                                  description=c.label, style=style)
        return controls

    def setup(self, fig: Figure) -> None:
        maxima, bands = self.reference_table()
        self._maxima, self._bands = maxima, bands
        n = len(self.components)
        y = np.arange(n)
        # Static parts, drawn once and baked into a background image.
        ax = fig.add_axes((0.40, 0.36, 0.52, 0.54))
        style_axes(ax)
        static: list[Any] = list(ax.barh(y, [maxima[c.key] for c in self.components], color="#E6E6E6",
                                         edgecolor=PALETTE["grey"], height=0.6))
        ax.set_yticks(y)
        ax.set_yticklabels([c.label for c in self.components], fontsize=8)
        ax.set_ylim(n - 0.5, -0.5)
        top = max(maxima.values())
        ax.set_xlim(0, top + 1.6)
        ax.set_xticks(range(0, top + 1))
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("points (grey = maximum of the component)", fontsize=8)
        g = fig.add_axes((0.40, 0.08, 0.52, 0.09))  # total gauge: the bands, coloured and labelled
        lo, hi = min(bands), max(bands)
        runs: list[tuple[int, int, str]] = []
        for total in range(lo, hi + 1):
            if runs and runs[-1][2] == bands[total]:
                runs[-1] = (runs[-1][0], total, bands[total])
            else:
                runs.append((total, total, bands[total]))
        for a, b, band in runs:
            static.append(g.axvspan(a - 0.5, b + 0.5, color=self.band_colours.get(band, PALETTE["grey"]),
                                    alpha=0.45, lw=0))
            static.append(g.text((a + b) / 2, 0.5, f"{a}–{b}" if a != b else f"{a}", ha="center", va="center",
                                 fontsize=8))
        g.set_xlim(lo - 0.5, hi + 0.5)
        g.set_ylim(0, 1)
        g.axis("off")
        bake_background(fig, static)
        ax.axis("off")
        # Dynamic parts, redrawn on every update.
        self._bars = ax.barh(y, np.zeros(n), color=PALETTE["blue"], height=0.6)
        self._values = [ax.text(maxima[c.key] + 0.15, yi, "", va="center", fontsize=9)
                        for c, yi in zip(self.components, y)]
        self._title = fig.text(0.40, 0.93, "", fontsize=10)
        (self._marker,) = g.plot([lo], [1.15], marker="v", color=PALETTE["black"], markersize=10,
                                 clip_on=False, ls="none")
        self._gauge_label = fig.text(0.02, 0.14, "", fontsize=8.5, va="center")
        self._runs = runs

    def render(self, fig: Figure, **values: Any) -> Rendered:
        try:
            result = self.calculate(**values)
        except ValueError as exc:
            self.state.update(result=None, error=str(exc))
            for bar in self._bars:
                bar.set_width(0)
            self._title.set_text(f"{self.score_title}: input not accepted")
            return Rendered(alt=f"{self.score_title}: the inputs were not accepted ({exc}).",
                            html=f"<p><b>Not accepted:</b> {html.escape(str(exc))}</p>")
        points = _points(result)
        band = getattr(result, self.band_field)
        for bar, text, comp in zip(self._bars, self._values, self.components):
            p = points[comp.key]
            bar.set_width(p)
            text.set_text(f"{p} / {self._maxima[comp.key]}")
        self._marker.set_xdata([result.total])
        self._title.set_text(f"{self.score_title} = {result.total}")
        self._gauge_label.set_text(f"total {result.total}:\n" + textwrap.fill(label(band), 30))
        self.state.update(result=result, total=result.total, band=band, points=points, error=None)
        parts = ", ".join(f"{c.label.lower()} {points[c.key]}" for c in self.components)
        alt = (f"Bar chart of the {self.score_title} components: {parts}; total {result.total} of "
               f"{max(self._bands)}, in the band '{label(band)}'.")
        return Rendered(alt=alt, html=self._table_html(values, result, points, band))

    def _table_html(self, values: dict[str, Any], result: Any, points: dict[str, int], band: str) -> str:
        rows = []
        for c in self.components:
            chosen = next((lab for lab, v in c.choices if v == values[c.argument]), str(values[c.argument]))
            rows.append(f"<tr><td>{html.escape(c.label)}</td><td>{html.escape(str(chosen))}</td>"
                        f"<td style='text-align:right'>{points[c.key]} / {self._maxima[c.key]}</td></tr>")
        rows.append(f"<tr><td><b>Total</b></td><td><b>{html.escape(label(band))}</b></td>"
                    f"<td style='text-align:right'><b>{result.total}</b></td></tr>")
        extra = ""
        if getattr(result, "explanation", ""):
            extra += f"<p>{html.escape(result.explanation)}</p>"
        for caveat in getattr(result, "caveats", ()) or ():
            extra += f"<p><i>Note:</i> {html.escape(caveat)}</p>"
        if reference_keys(self.score_name):
            extra += f"<p style='font-size:smaller'>{html.escape(sources_line(reference_keys(self.score_name)))}</p>"
        return ("<table><tr><th>Component</th><th>Your input</th><th>Points</th></tr>"
                + "".join(rows) + "</table>" + extra)




class SinsPanel(ScorePanel):
    """SINS calculator (Fisher 2010): the level sets the location class; five more components."""

    title = "SINS — Spinal Instability Neoplastic Score"
    score_title = "SINS"
    score_name, table_constant, bands_constant = "sins", "SINS_TABLE", "SINS_BANDS"
    band_field = "category"
    band_colours = {"stable": PALETTE["bluish_green"], "potentially_unstable": PALETTE["yellow"],
                    "unstable": PALETTE["vermillion"]}
    components = (
        Component("level", "location", "Location (level)", _levels()),
        Component("pain", "pain", "Pain", (
            ("mechanical (worse with movement/loading, eased lying down)", "mechanical"),
            ("occasional, not mechanical", "occasional_nonmechanical"),
            ("pain-free lesion", "pain_free"))),
        Component("bone_lesion", "bone_lesion", "Bone lesion", (
            ("lytic", "lytic"), ("mixed lytic/blastic", "mixed"), ("blastic", "blastic"))),
        Component("alignment", "alignment", "Alignment", (
            ("normal", "normal"), ("de novo deformity (kyphosis/scoliosis)", "de_novo_deformity"),
            ("subluxation / translation", "subluxation_translation"))),
        Component("collapse", "collapse", "Body collapse", (
            ("none of the below", "none"), ("no collapse, > 50% of body involved", "no_collapse_gt50_involved"),
            ("< 50% collapse", "lt50"), ("> 50% collapse", "gt50"))),
        Component("posterolateral", "posterolateral", "Posterolateral", (
            ("none", "none"), ("unilateral", "unilateral"), ("bilateral", "bilateral"))),
    )

    @staticmethod
    def calculator(**kwargs: Any) -> Any:
        return calculators.sins(**kwargs)

    def build_controls(self) -> dict[str, W.Widget]:
        controls = super().build_controls()
        controls["level"].value = "T8"
        return controls


#: Primary sites offered in the Tokuhashi panel (lower-case names passed to the calculator). Sites


class TokuhashiPanel(ScorePanel):
    """Revised Tokuhashi score (2005): six items, total 0–15, three prognosis bands."""

    title = "Revised Tokuhashi score (2005)"
    score_title = "Revised Tokuhashi"
    score_name, table_constant, bands_constant = "revised_tokuhashi", "TOKUHASHI_TABLE", "TOKUHASHI_BANDS"
    band_field = "prognosis"
    band_colours = {"<6 months": PALETTE["vermillion"], ">=6 months": PALETTE["yellow"],
                    ">=1 year": PALETTE["bluish_green"]}
    components = (
        Component("kps", "kps", "General condition (KPS %)",
                  tuple((str(k), k) for k in range(10, 101, 10)), slider=True),
        Component("extraspinal_bone_mets", "extraspinal_bone_mets", "Extraspinal bone foci",
                  tuple((str(k), k) for k in range(0, 6)), slider=True),
        Component("vertebral_body_mets", "vertebral_body_mets", "Vertebral-body metastases",
                  tuple((str(k), k) for k in range(1, 6)), slider=True),
        Component("major_organ_mets", "major_organ_mets", "Major internal organ metastases", (
            ("none", "none"), ("removable", "removable"), ("unremovable", "unremovable"))),
        Component("primary_site", "primary_site", "Primary site", tuple((s, s) for s in TOKUHASHI_SITES)),
        Component("frankel", "frankel", "Palsy (Frankel grade)", tuple((g, g) for g in "EDCBA")),
    )

    @staticmethod
    def calculator(**kwargs: Any) -> Any:
        return calculators.revised_tokuhashi(**kwargs)

    def build_controls(self) -> dict[str, W.Widget]:
        controls = super().build_controls()
        controls["kps"].value = 70
        controls["extraspinal_bone_mets"].value = 1
        return controls


class TomitaPanel(ScorePanel):
    """Tomita score (2001): three factors, total 2–10, four strategy bands."""

    title = "Tomita score (2001)"
    score_title = "Tomita"
    score_name, table_constant, bands_constant = "tomita", "TOMITA_TABLE", "TOMITA_BANDS"
    band_field = "treatment_goal"
    band_colours = {"wide_or_marginal_excision": PALETTE["bluish_green"],
                    "marginal_or_intralesional_excision": PALETTE["sky_blue"],
                    "palliative_surgery": PALETTE["yellow"],
                    "nonoperative_supportive_care": PALETTE["vermillion"]}
    components = (
        Component("primary_growth", "primary_growth", "Primary tumour growth", (
            ("slow (e.g. breast, thyroid, prostate)", "slow"), ("moderate (e.g. kidney, uterus)", "moderate"),
            ("rapid (e.g. lung, stomach, unknown primary)", "rapid"))),
        Component("visceral_mets", "visceral_mets", "Visceral metastases", (
            ("none", "none"), ("treatable", "treatable"), ("untreatable", "untreatable"))),
        Component("bone_mets", "bone_mets", "Bone metastases (incl. spine)", (
            ("solitary or isolated", "solitary"), ("multiple", "multiple"))),
    )

    @staticmethod
    def calculator(**kwargs: Any) -> Any:
        return calculators.tomita(**kwargs)



class NomsExplorer(FigureApp):
    """NOMS: the learner's N, O, M and S inputs drawn as a path through the framework to the decision.

    The decision, rationale and caveats come from :func:`course.calculators.noms`; the explorer adds
    the histology lookup in a chosen published list and draws the path. M is given as a SINS total:
    0–6 stable and 13–18 unstable are settled by the calculator; for 7–12 (indeterminate) the
    learner makes the call with the ``indeterminate_unstable`` toggle.
    """

    title = "NOMS decision explorer"
    figsize = (7.6, 3.6)
    clear_each_update = False

    COLUMNS = (("N", "Neurologic\n(ESCC)", ("low grade\n0, 1a, 1b, 1c*", "high grade\n2, 3")),
               ("O", "Oncologic\n(cEBRT response)", ("radiosensitive", "radioresistant")),
               ("M", "Mechanical\n(stability)", ("stable", "unstable")),
               ("S", "Systemic\n(tolerates surgery?)", ("yes", "no")))
    DECISIONS = ("cEBRT", "stabilization_then_cEBRT", "SRS", "stabilization_then_SRS",
                 "separation_surgery_then_SRS", "individualized")
    X = (0.07, 0.24, 0.41, 0.58)
    Y = (0.62, 0.30)
    XD = 0.86

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        lists = datasets.radiosensitivity_lists()
        return {
            "escc_grade": W.Dropdown(options=list(ESCC_GRADES), value="1b", description="N: ESCC grade", style=style),
            "histology": W.Dropdown(options=histology_choices(), value="renal", description="O: histology", style=style),
            "list_name": W.Dropdown(options=[(v["label"], k) for k, v in lists.items()], value="noms",
                                    description="radiosensitivity list", style=style,
                                    layout=W.Layout(width="30em")),
            "sins_total": W.IntSlider(value=5, min=0, max=18, description="M: SINS total", style=style,
                                      continuous_update=False),
            "indeterminate_unstable": W.ToggleButtons(options=[("stable", False), ("unstable", True)], value=False,
                                                      description="if SINS 7–12, judged", style=style),
            "tolerates_surgery": W.ToggleButtons(options=[("yes", True), ("no", False)], value=True,
                                                 description="S: fit for open surgery", style=style),
        }

    def setup(self, fig: Figure) -> None:
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        grey = dict(boxstyle="round,pad=0.4", fc="white", ec=PALETTE["grey"], lw=1)
        # Static: headers and every option in its unselected (grey) state, baked into the background.
        self._pos: dict[tuple[str, int], tuple[float, float, str]] = {}
        for (key, head, options), x in zip(self.COLUMNS, self.X):
            ax.text(x, 0.92, f"{key}\n{head}", ha="center", va="center", fontsize=8.5, fontweight="bold")
            for i, (opt, y) in enumerate(zip(options, self.Y)):
                self._pos[(key, i)] = (x, y, opt)
                ax.text(x, y, opt, ha="center", va="center", fontsize=8, color="#777777", bbox=grey)
        ax.text(self.XD, 0.95, "Decision", ha="center", va="center", fontsize=8.5, fontweight="bold")
        ys = np.linspace(0.83, 0.12, len(self.DECISIONS))
        self._decision_y = dict(zip(self.DECISIONS, ys))
        for d, y in zip(self.DECISIONS, ys):
            ax.text(self.XD, y, DECISION_LABELS[d], ha="center", va="center", fontsize=8, color="#777777",
                    bbox=dict(grey, pad=0.35))
        ax.text(0.01, 0.02, "* ESCC 1c: low grade by the binary rule used here; its management is disputed.",
                fontsize=8, color="#444444")
        bake_background(fig, list(ax.texts))
        # Dynamic: the path, one highlighted box per column, the decision (and 'individualised') box.
        (self._path,) = ax.plot([], [], color=PALETTE["blue"], lw=3, alpha=0.6, zorder=0, marker="o")
        on = dict(boxstyle="round,pad=0.4", fc="#CFE8F7", ec=PALETTE["black"], lw=2)
        self._chosen = {key: ax.text(x, 0, "", ha="center", va="center", fontsize=8, fontweight="bold", bbox=on)
                        for (key, _, _), x in zip(self.COLUMNS, self.X)}
        self._decision = ax.text(self.XD, 0, "", ha="center", va="center", fontsize=8, fontweight="bold",
                                 bbox=dict(on, pad=0.35, fc=PALETTE["orange"], lw=2.5))
        self._individualized = ax.text(self.XD, self._decision_y["individualized"],
                                       DECISION_LABELS["individualized"], ha="center", va="center", fontsize=8,
                                       fontweight="bold", bbox=dict(on, pad=0.35, fc="#F5DDB0", ls="--"))
        self._note = ax.text(0.33, 0.13, "", fontsize=8, ha="center", va="center", color="#333333")

    def render(self, fig: Figure, **v: Any) -> Rendered:
        path = noms_path(v["escc_grade"], v["histology"], v["list_name"], v["sins_total"],
                         bool(v["tolerates_surgery"]), bool(v["indeterminate_unstable"]))
        cls, rs, result, band = path.list_class, path.radiosensitivity, path.result, path.sins_band
        indeterminate = band == "potentially_unstable"
        self.controls["indeterminate_unstable"].disabled = not indeterminate
        chosen = {"N": int(path.high_grade), "O": int(rs == "radioresistant"),
                  "M": int(result.mechanically_unstable), "S": int(not v["tolerates_surgery"])}
        for key, box in self._chosen.items():
            x, y, text = self._pos[(key, chosen[key])]
            box.set_position((x, y))
            box.set_text(text + (" †" if key == "O" and path.by_convention else ""))
        self._decision.set_position((self.XD, self._decision_y[result.decision]))
        self._decision.set_text(DECISION_LABELS[result.decision])
        self._individualized.set_visible(result.individualized)
        xs = list(self.X) + [self.XD - 0.1]
        ys = [self.Y[chosen[k]] for k in ("N", "O", "M", "S")] + [self._decision_y[result.decision]]
        self._path.set_data(xs, ys)
        where = classify_everywhere(v["histology"])
        hist_label = dict((k, lab) for lab, k in histology_choices())[v["histology"]]
        other = path.alternative
        self._note.set_text(f"{hist_label}: " + ", ".join(f"{n.upper()} {c}" for n, c in where.items())
                            + f"\nSINS {v['sins_total']}: {label(band)}"
                            + (f"\n† course convention; as the other class: {DECISION_LABELS[other.decision]}"
                               if other else ""))
        self.state.update(decision=result.decision, individualized=result.individualized, radiosensitivity=rs,
                          list_class=cls, high_grade=path.high_grade, unstable=result.mechanically_unstable,
                          classes=where, result=result, by_convention=path.by_convention,
                          alternative_decision=other.decision if other else None)
        agree = len(set(where.values())) == 1
        list_label = datasets.radiosensitivity_lists()[v["list_name"]]["label"]
        o_row = f"<li><b>O</b>: {html.escape(hist_label)} is <i>{cls}</i> in the {html.escape(list_label)}"
        if other:
            o_row += (f". NOMS has no 'intermediate' branch. <b>Course convention</b> (not a source's rule): follow "
                      f"the NOMS list, which calls it {rs} → {html.escape(label(result.decision))}; "
                      f"treated as {'radioresistant' if rs == 'radiosensitive' else 'radiosensitive'} it would be "
                      f"{html.escape(label(other.decision))}. In practice the MDT decides")
        o_row += (". The lists agree." if agree else ". <b>The lists disagree</b>: "
                  + ", ".join(f"{n.upper()} {c}" for n, c in where.items()) + ".") + "</li>"
        rows = [
            f"<li><b>N</b>: ESCC {html.escape(v['escc_grade'])} → {'high' if path.high_grade else 'low'} grade"
            + (" (1c: the disputed grade — see the text)" if v["escc_grade"] == "1c" else "") + "</li>",
            o_row,
            f"<li><b>M</b>: SINS {v['sins_total']} ({html.escape(label(band))}) → "
            f"{'unstable' if result.mechanically_unstable else 'stable'}"
            + (" by your judgement (surgical consultation recommended)" if indeterminate else "") + "</li>",
            f"<li><b>S</b>: {'fit' if v['tolerates_surgery'] else 'not fit'} for open surgery</li>",
        ]
        notes = "".join(f"<li>{html.escape(c)}</li>" for c in result.caveats)
        html_out = (f"<p><b>Decision: {html.escape(label(result.decision))}"
                    + (" (individualised)" if result.individualized else "") + f"</b></p><ul>{''.join(rows)}</ul>"
                    f"<p>{html.escape(result.rationale)}</p>"
                    + (f"<p>Caveats:</p><ul>{notes}</ul>" if notes else ""))
        alt = (f"NOMS flow diagram. Path: ESCC {v['escc_grade']} ({'high' if path.high_grade else 'low'} grade), "
               f"{rs} ({hist_label}, {v['list_name'].upper()} list: {cls}"
               + (", by the course convention" if other else "") + "), "
               f"{'unstable' if result.mechanically_unstable else 'stable'} (SINS {v['sins_total']}), "
               f"{'fit' if v['tolerates_surgery'] else 'not fit'} for surgery; decision: {label(result.decision)}"
               + (" (individualised)" if result.individualized else "")
               + (f"; as the other class: {label(other.decision)}" if other else "") + ".")
        return Rendered(alt=alt, html=html_out)



# ----------------------------------------------------------------------------------------------
# Static teaching figures
# ----------------------------------------------------------------------------------------------
def _draw_escc(ax: Any, grade: str) -> None:
    """Schematic axial slice (anterior at the top, as on MRI) for one ESCC grade."""
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.5, 2.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(Ellipse((0, 2.0), 2.8, 1.5, fc="#E6E6E6", ec=PALETTE["grey"]))  # vertebral body
    ax.add_patch(Ellipse((0.45, 2.0), 0.7, 0.5, fc=PALETTE["vermillion"], ec="none", alpha=0.8))  # bone lesion
    # Depth of the thecal-sac indentation, cord shape and sac radius per grade.
    indent = {"0": 0, "1a": 0, "1b": 0.35, "1c": 0.55, "2": 0.85, "3": 1.05}[grade]
    sac_r = 0.68 if grade == "3" else 1.0
    cord_h = {"2": 0.6, "3": 0.56}.get(grade, 0.9)
    cord_y = {"2": -0.2, "3": -0.45}.get(grade, 0.0)
    t = np.linspace(0, 2 * np.pi, 90)
    if grade == "3":  # the sac is filled by the flattened cord: no CSF left around it
        x, y = 0.75 * np.cos(t), cord_y + 0.28 * np.sin(t)
    else:
        x, y = sac_r * np.cos(t), sac_r * np.sin(t)
        y = np.where(y > 0, y - indent * y * (1 - x**2), y)  # dent from the front (top)
    ax.add_patch(Polygon(np.column_stack([x, y]), closed=True, fc=PALETTE["sky_blue"], ec=PALETTE["blue"], lw=1.2,
                         alpha=0.5))
    ax.add_patch(Ellipse((0, cord_y), {"2": 1.2, "3": 1.5}.get(grade, 0.9), cord_h, fc=PALETTE["yellow"],
                         ec=PALETTE["black"], lw=0.8))
    if grade != "0":
        top = 1.0 - indent
        ax.add_patch(Ellipse((0, (top + 1.3) / 2 + 0.05), 1.3, 1.3 - top + 0.1, fc=PALETTE["vermillion"],
                             ec="none", alpha=0.7))
    ax.set_title(f"{grade}: {ESCC_DESCRIPTIONS[grade]}", fontsize=8)


def escc_grades_figure() -> tuple[Figure, str]:
    """The six ESCC grades as schematic axial slices."""
    fig = new_figure(7.6, 2.6)
    axes = fig.subplots(1, 6)
    for ax, g in zip(axes, ESCC_GRADES):
        _draw_escc(ax, g)
    fig.suptitle("ESCC (Bilsky) grades on axial T2 MRI — schematic; tumour orange, CSF blue, cord yellow", fontsize=9)
    alt = ("Six schematic axial slices, anterior at the top: grade 0 tumour only in the vertebral body; 1a epidural "
           "tumour touching the thecal sac without deforming it; 1b the sac indented but the cord untouched; 1c the "
           "sac indented down to the cord; 2 the cord flattened with CSF still visible around it; 3 the cord "
           "compressed with no CSF visible. Tumour orange, CSF blue, cord yellow.")
    return fig, alt


def radiosensitivity_figure() -> tuple[Figure, str]:
    """Histology × list grid: each cell coloured and lettered S (sensitive), R (resistant), I (intermediate)."""
    lists = datasets.radiosensitivity_lists()
    labels = datasets.load("radiosensitivity")["labels"]
    hist = list(labels)
    colours = {"radiosensitive": PALETTE["bluish_green"], "radioresistant": PALETTE["vermillion"],
               "intermediate": PALETTE["yellow"]}
    letters = {"radiosensitive": "S", "radioresistant": "R", "intermediate": "I"}
    fig = new_figure(6.0, 4.4)
    ax = fig.add_subplot()
    disagreements = []
    for j, name in enumerate(lists):
        for i, h in enumerate(hist):
            cls = datasets.radiosensitivity(h, name)
            ax.add_patch(Rectangle((j, i), 0.95, 0.9, fc=colours[cls], alpha=0.55, ec="white"))
            ax.text(j + 0.475, i + 0.45, letters[cls], ha="center", va="center", fontsize=9, fontweight="bold")
    agreed: dict[str, list[str]] = {"radiosensitive": [], "radioresistant": []}
    for i, h in enumerate(hist):
        classes = {datasets.radiosensitivity(h, n) for n in lists}
        if len(classes) > 1:
            disagreements.append(labels[h])
        elif classes <= set(agreed):
            agreed[classes.pop()].append(labels[h])
    ax.set_xlim(0, len(lists))
    ax.set_ylim(len(hist), 0)
    ax.set_xticks([j + 0.475 for j in range(len(lists))])
    ax.set_xticklabels([n.upper() for n in lists], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.45 for i in range(len(hist))])
    ax.set_yticklabels([labels[h] for h in hist], fontsize=8)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.tick_params(length=0)
    ax.set_xlabel("S radiosensitive · R radioresistant · I intermediate / not classified", fontsize=8)
    alt = (f"Grid of {len(hist)} histologies against the {' and '.join(n.upper() for n in lists)} "
           f"radiosensitivity lists, each cell lettered S, R or I. The lists disagree on {len(disagreements)} "
           f"histologies: {', '.join(disagreements)}. Both call {', '.join(agreed['radiosensitive'])} radiosensitive and "
           f"{', '.join(agreed['radioresistant'])} radioresistant.")
    return fig, alt


def kps_ecog_figure(mappings: dict[str, dict[int, tuple[int, int]]] | None = None) -> tuple[Figure, str]:
    """The KPS range matched to each ECOG grade, one bar per published mapping.

    ``mappings``: name → {ECOG grade → (lowest KPS, highest KPS)}; by default the three mappings held
    in ``calculators.KPS_ECOG_MAPPINGS`` (named "mapping A", "mapping B", "mapping C").
    """
    if mappings is None:
        mappings = {f"mapping {k}": v["ranges"] for k, v in calculators.KPS_ECOG_MAPPINGS.items()}
    fig = new_figure(6.4, 3.2)
    ax = fig.add_subplot()
    style_axes(ax)
    names = list(mappings)
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["bluish_green"], PALETTE["reddish_purple"]]
    markers = ["o", "s", "^", "D"]
    h = 0.8 / max(len(names), 1)
    for k, name in enumerate(names):
        for ecog, (lo, hi) in mappings[name].items():
            y = ecog - 0.4 + h * (k + 0.5)
            ax.plot([lo, hi], [y, y], color=colours[k % 4], lw=4, marker=markers[k % 4], ms=5,
                    label=name if ecog == min(mappings[name]) else None)
    ax.set_yticks(range(0, 6))
    ax.set_ylabel("ECOG grade")
    ax.set_xlabel("Karnofsky performance status (%)")
    ax.set_xlim(-3, 103)
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="lower left", frameon=False)
    ax.set_title("One ECOG grade, several KPS ranges: no official conversion", fontsize=10, loc="left")
    parts = [f"{name}: " + "; ".join(f"ECOG {e}: {lo}–{hi}" for e, (lo, hi) in mappings[name].items())
             for name in names]
    alt = ("Horizontal bars of the KPS range matched to each ECOG grade by each published mapping, one marker "
           "shape per mapping. " + " | ".join(parts))
    return fig, alt


__all__ = [
    "ScorePanel", "SinsPanel", "TokuhashiPanel", "TomitaPanel", "NomsExplorer", "compartment_figure",
    "escc_grades_figure", "radiosensitivity_figure", "kps_ecog_figure",
]
