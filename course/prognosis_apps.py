"""Interactives of module 05a: "which score would you trust?" and the prognosis-conversation exercise.

Thin layers over pure code: the cohort, c-statistic, calibration and decision curves are in
:mod:`course.survival_cohort`; the exercise text is sourced data in ``course/data/prognosis_conversation.yaml``.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from course import datasets
from course import survival_cohort as SC
from course.plotting import PALETTE, TextSprite, style_axes
from course.quiz import render_text
from course.references import author_year
from course.widgets import BlitFigureApp, Rendered

__all__ = ["WhichScoreApp", "ConversationExercise", "SYNTHETIC_NOTICE", "conversation", "points_table"]

SYNTHETIC_NOTICE = (
    "Synthetic cohort: 202 invented patients, generated so that each score discriminates as it did in the "
    f"prospective comparison ({author_year('schoenfeld2022_nesms')}). Calibration and decision curves are "
    "illustrations."
)
_FONT = 10
_THRESHOLDS = np.round(np.arange(0.10, 0.81, 0.01), 2)
_WHY_SINS = (
    "SINS measures mechanical instability, not how long a patient will live: its c of 0.54 for 1-year "
    f"survival is close to a coin toss, as expected ({author_year('schoenfeld2022_nesms')}). Use it to ask for a "
    "surgical opinion about stability, never to estimate survival."
)


class WhichScoreApp(BlitFigureApp):
    """Compare four scores on one synthetic cohort: discrimination, calibration, decision curve.

    Axes, labels and the reference lines are drawn once; each update redraws only the score's curves,
    the threshold marker and two labels (:class:`course.widgets.BlitFigureApp`).
    """

    title = "Which score would you trust? — one synthetic cohort, three ways to judge a score"
    figsize = (7.8, 3.1)

    def build_controls(self) -> dict[str, W.Widget]:
        style = {"description_width": "initial"}
        return {
            "score": W.ToggleButtons(options=[(SC.SCORE_LABELS[k], k) for k in SC.SCORES], value="nesms",
                                     description="Score", style=style,
                                     tooltips=[f"Judge {SC.SCORE_LABELS[k]}" for k in SC.SCORES]),
            "recalibrated": W.Dropdown(options=[("from an older cohort, as published", False),
                                                ("recalibrated to this cohort", True)], value=False,
                                       description="Predicted survival", style=style, layout=W.Layout(width="26em")),
            "threshold": W.IntSlider(value=30, min=10, max=80, step=5, description="Operate if predicted 1-year "
                                     "survival is at least (%)", style=style, layout=W.Layout(width="34em"),
                                     continuous_update=False),
        }

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.075, right=0.985, top=0.76, bottom=0.16, wspace=0.38)
        self._roc, self._cal, self._dca = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
        for ax in (self._roc, self._cal, self._dca):
            style_axes(ax)
            ax.tick_params(labelsize=_FONT)
        grey = dict(color=PALETTE["grey"], linestyle=":", linewidth=1.4)
        self._roc.plot([0, 1], [0, 1], **grey)
        self._roc.set(xlim=(0, 1), ylim=(0, 1.02))
        self._roc.set_xlabel("1 − specificity", fontsize=_FONT)
        self._roc.set_ylabel("sensitivity", fontsize=_FONT)
        self._roc.set_title("Discrimination", fontsize=_FONT, loc="left")
        self._cal.plot([0, 1], [0, 1], **grey)
        self._cal.set(xlim=(0, 1), ylim=(0, 1.02))
        self._cal.set_xlabel("predicted 1-year survival", fontsize=_FONT)
        self._cal.set_ylabel("observed", fontsize=_FONT)
        self._cal.set_title("Calibration", fontsize=_FONT, loc="left")
        curve = SC.decision_curve("nesms", _THRESHOLDS)
        self._dca.plot(_THRESHOLDS, curve["all"], color=PALETTE["vermillion"], linestyle="--", linewidth=1.6)
        self._dca.plot(_THRESHOLDS, curve["none"], color=PALETTE["black"], linewidth=1.0)
        self._dca.set(xlim=(0.1, 0.8), ylim=(-0.08, 0.55))
        self._dca.set_xlabel("threshold", fontsize=_FONT)
        self._dca.set_ylabel("net benefit", fontsize=_FONT)
        self._dca.set_title("Decision curve", fontsize=_FONT, loc="left")
        self._dca.text(0.79, -0.072, "operate on no one", fontsize=_FONT - 1, color=PALETTE["black"], ha="right",
                       va="bottom")
        self._dca.text(0.12, 0.47, "operate on all (dashed)", fontsize=_FONT - 1, color=PALETTE["vermillion"])
        fig.text(0.01, 0.955, "Synthetic cohort of 202 invented patients (not real data)", fontsize=_FONT,
                 style="italic", ha="left", va="center")
        blue = PALETTE["blue"]
        (self._roc_line,) = self._roc.plot([], [], color=blue, linewidth=2.2, drawstyle="default")
        (self._cal_line,) = self._cal.plot([], [], "o-", color=blue, linewidth=2.0, markersize=7)
        (self._dca_line,) = self._dca.plot([], [], color=blue, linewidth=2.2)
        self._marker = self._dca.axvline(0.3, color=PALETTE["reddish_purple"], linewidth=1.4)
        (self._dot,) = self._dca.plot([], [], "o", color=blue, markersize=7)
        self._c_text = TextSprite(self._roc, 0.97, 0.12, "", fontsize=_FONT, color=blue)
        self._roc.add_artist(self._c_text)
        self._headline = TextSprite(self._roc, 0.0, 1.27, "", fontsize=_FONT, ha="left")
        self._roc.add_artist(self._headline)
        self.dynamic += [self._roc_line, self._cal_line, self._dca_line, self._marker, self._dot, self._c_text,
                         self._headline]

    def render(self, fig: Figure, score: str, recalibrated: bool, threshold: int) -> Rendered:
        cohort = SC.modern_cohort()
        label = SC.SCORE_LABELS[score]
        c, one_minus_spec, sensitivity = _discrimination(score)
        self._roc_line.set_data(one_minus_spec, sensitivity)
        self._c_text.set_text(f"c = {c:.2f}")
        rows, curve, predicted = _judged(score, recalibrated)
        self._cal_line.set_data([r.predicted for r in rows], [r.observed for r in rows])
        self._dca_line.set_data(_THRESHOLDS, curve["model"])
        t = threshold / 100
        i = int(np.argmin(np.abs(_THRESHOLDS - t)))
        nb, nb_all = float(curve["model"][i]), float(curve["all"][i])
        self._marker.set_xdata([t, t])
        self._dot.set_data([t], [nb])
        self._headline.set_text(f"{label}: c {c:.2f} (published {SC.TARGET_C[score]:.2f})")
        gap = float(np.mean([r.observed - r.predicted for r in rows]))
        operated = int((predicted >= t).sum())
        verdict = _verdict(score, c, gap, nb, nb_all)
        self.state.update(score=score, c=c, calibration=rows, mean_gap=gap, net_benefit=nb,
                          net_benefit_all=nb_all, operated=operated, threshold=t, verdict=verdict)
        where = "an older cohort" if not recalibrated else "this cohort (recalibrated)"
        alt = (f"Three panels for {label} on a synthetic cohort of 202 patients. Discrimination: ROC curve, "
               f"c-statistic {c:.2f}. Calibration, with predictions from {where}: observed 1-year survival is "
               f"on average {_points(gap)} {'above' if gap >= 0 else 'below'} the "
               f"prediction across {len(rows)} groups. Decision curve at a threshold of {threshold}%: net benefit "
               f"{nb:.2f} with the score, {nb_all:.2f} operating on everyone, 0 operating on no one; "
               f"{operated} of {cohort.n} patients would be offered surgery.")
        return Rendered(alt=alt, html=_explanation(label, c, rows, gap, threshold, nb, nb_all, operated, verdict,
                                                   score))


def _points(gap: float) -> str:
    n = round(abs(gap) * 100)
    return f"{n} percentage point{'' if n == 1 else 's'}"


@lru_cache(maxsize=None)
def _discrimination(score: str) -> tuple[float, np.ndarray, np.ndarray]:
    cohort = SC.modern_cohort()
    x, alive, better = cohort.scores[score], cohort.alive_1y, SC.HIGHER_IS_BETTER[score]
    return (SC.c_statistic(x, alive, better), *_roc(x, alive, better))


@lru_cache(maxsize=None)
def _judged(score: str, recalibrated: bool) -> tuple[list[SC.CalibrationRow], dict[str, np.ndarray], np.ndarray]:
    return (SC.calibration(score, recalibrated=recalibrated),
            SC.decision_curve(score, _THRESHOLDS, recalibrated=recalibrated),
            SC.predicted_survival(score, recalibrated=recalibrated))


def _roc(x: np.ndarray, alive: np.ndarray, higher_is_better: bool) -> tuple[np.ndarray, np.ndarray]:
    """ROC for predicting survival: sweep the cut-off over the score's values."""
    s = x if higher_is_better else -x
    cuts = np.unique(s)[::-1]
    sensitivity = [0.0] + [float((s[alive] >= k).mean()) for k in cuts]
    one_minus_spec = [0.0] + [float((s[~alive] >= k).mean()) for k in cuts]
    return np.array(one_minus_spec), np.array(sensitivity)


def _verdict(score: str, c: float, gap: float, nb: float, nb_all: float) -> str:
    if score == "sins":
        return _WHY_SINS
    quality = "strong" if c > 0.8 else "acceptable to good" if c >= 0.7 else "modest" if c >= 0.6 else "weak"
    text = f"Discrimination is {quality} (c {c:.2f}: about {round(c * 10)} in 10 random pairs ordered correctly)."
    if abs(gap) >= 0.05:
        text += (f" Calibration is off: patients lived {'longer' if gap > 0 else 'shorter'} than predicted, by about "
                 f"{_points(gap)} on average — the score ranks patients but its numbers need updating.")
    else:
        text += " Calibration is good: predicted and observed survival agree."
    better = nb - nb_all
    text += (f" At this threshold the score beats operating on everyone by {better:.2f} net benefit."
             if better > 0.005 else " At this threshold the score adds nothing over operating on everyone.")
    return text


def _explanation(label: str, c: float, rows: list[SC.CalibrationRow], gap: float, threshold: int, nb: float,
                 nb_all: float, operated: int, verdict: str, score: str) -> str:
    esc = html.escape
    table = "".join(
        f"<tr><td>{r.values[0]}{'–' + str(r.values[1]) if r.values[1] != r.values[0] else ''}</td><td>{r.n}</td>"
        f"<td>{r.predicted:.0%}</td><td>{r.observed:.0%}</td></tr>" for r in rows)
    return (
        f'<p role="note" style="border-left:4px solid {PALETTE["orange"]};padding:4px 8px">'
        f"<b>{esc(SYNTHETIC_NOTICE)}</b></p>"
        f"<p><b>{esc(label)}.</b> {esc(verdict)}</p>"
        f"<table><caption>Calibration groups ({esc(label)} values)</caption><tr><th scope='col'>values</th>"
        f"<th scope='col'>patients</th><th scope='col'>predicted</th><th scope='col'>observed</th></tr>{table}</table>"
        f"<p>Threshold {threshold}%: {operated} of 202 patients would be offered surgery; net benefit {nb:.2f} "
        f"(operate on all: {nb_all:.2f}; on no one: 0). The threshold is a clinical choice, not a property of the "
        f"score.</p>"
    )


_TABLE_TITLES = {
    "katagiri": f"New Katagiri score ({author_year('katagiri2014')}): points per item; higher is worse",
    "nesms": f"NESMS ({author_year('ghori2015_nesms')}; {author_year('schoenfeld2016_nesms')}): points per item; "
             "higher is better",
    "rades_two_month": f"Rades score for death within 2 months ({author_year('rades_bsc')}): points per item; "
                       "higher is worse",
}


def points_table(name: str) -> str:
    """A score's point table as an accessible HTML table (caption, header cells)."""
    from course.prognosis_scores import prognosis_table_rows

    rows = prognosis_table_rows(name)
    body, last = [], None
    for item, category, points in rows:
        shown = html.escape(item) if item != last else ""
        body.append(f"<tr><th scope='row'>{shown}</th><td>{html.escape(category)}</td><td>{points}</td></tr>")
        last = item
    return (f"<table><caption>{html.escape(_TABLE_TITLES[name])}</caption>"
            "<tr><th scope='col'>item</th><th scope='col'>category</th><th scope='col'>points</th></tr>"
            + "".join(body) + "</table>")


# ----------------------------------------------------------------------------------------------
# The conversation exercise
# ----------------------------------------------------------------------------------------------
def conversation() -> dict[str, Any]:
    """The exercise's scenario, model answer and self-rating checklist (sourced data)."""
    return datasets.load("prognosis_conversation")


class ConversationExercise:
    """Write what you would say; only then see a model answer and rate yourself against a checklist.

    Headless: ``ex.write("…"); ex.reveal(); ex.rate(0, True); ex.summary.value``. The model answer and
    the checklist stay hidden until the learner has written at least ``min_words`` words, or has ticked
    "I have written or spoken my answer elsewhere".
    """

    min_words = 30

    def __init__(self) -> None:
        data = conversation()
        self.data = data
        self.scenario = W.HTML(f"<p><b>Scenario.</b> {render_text(data['scenario'])}</p>"
                               f"<p><b>Your task.</b> {render_text(data['task'])}</p>")
        self.answer = W.Textarea(placeholder="Write what you would say, in your own words…",
                                 description="Your answer", layout=W.Layout(width="95%", height="10em"),
                                 style={"description_width": "initial"})
        self.elsewhere = W.Checkbox(value=False, indent=False, description="I have written or spoken my answer "
                                    "elsewhere (on paper, or aloud with a partner)")
        self.button = W.Button(description="Show the model answer", tooltip="Show the model answer and the checklist",
                               layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.reveal())
        self.status = W.HTML('<p role="status">The model answer appears once you have written your answer.</p>')
        self.model = W.HTML("")
        self.checks = [W.Checkbox(value=False, indent=False, description=item["text"],
                                  layout=W.Layout(width="95%")) for item in data["checklist"]]
        for box in self.checks:
            box.observe(lambda _c: self._update_summary(), names="value")
        self.checklist = W.VBox([], layout=W.Layout(display="none"))
        self.summary = W.HTML("")
        self.revealed = False
        self.ui = W.VBox([self.scenario, self.answer, self.elsewhere, self.button, self.status, self.model,
                          self.checklist, self.summary],
                         layout=W.Layout(border="2px solid #999", padding="6px", margin="6px 0"))

    def words(self) -> int:
        return len(self.answer.value.split())

    def write(self, text: str) -> "ConversationExercise":
        """Type an answer (as the learner would)."""
        self.answer.value = text
        return self

    def reveal(self) -> bool:
        """Show the model answer and checklist if the learner has answered; return whether shown."""
        if not (self.words() >= self.min_words or self.elsewhere.value):
            self.status.value = (f'<p role="status">✘ Write your answer first: {self.words()} of at least '
                                 f"{self.min_words} words (or tick the box if you answered on paper or aloud).</p>")
            return False
        self.revealed = True
        d = self.data
        self.status.value = '<p role="status">✔ Compare your answer with the model answer, then rate yourself.</p>'
        self.model.value = (f"<p><b>A model answer</b> (one good way to say it; yours need not match word for "
                            f"word).</p><blockquote>{render_text(d['model_answer'])}</blockquote>"
                            f"<p><b>What not to say.</b></p><ul>"
                            + "".join(f"<li>{render_text(x)}</li>" for x in d["avoid"]) + "</ul>")
        self.checklist.children = [W.HTML("<p><b>Rate yourself</b>: tick what your answer did.</p>"), *self.checks]
        self.checklist.layout.display = "flex"
        self._update_summary()
        return True

    def rate(self, index: int, done: bool = True) -> "ConversationExercise":
        """Tick (or untick) checklist item ``index``."""
        if not 0 <= index < len(self.checks):
            raise ValueError(f"index={index!r} is not accepted; accepted values: 0–{len(self.checks) - 1}")
        self.checks[index].value = done
        return self

    def ticked(self) -> int:
        return sum(b.value for b in self.checks)

    def _update_summary(self) -> None:
        if not self.revealed:
            self.summary.value = ""
            return
        n, total = self.ticked(), len(self.checks)
        missed = [item for item, box in zip(self.data["checklist"], self.checks) if not box.value]
        tips = "".join(f"<li>{render_text(m['text'])} — see “{html.escape(m['section'])}”.</li>" for m in missed)
        self.summary.value = (f'<p role="status"><b>{n} of {total}</b> checklist points.</p>'
                              + (f"<p>To practise next:</p><ul>{tips}</ul>" if tips else "<p>All points covered.</p>"))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)
