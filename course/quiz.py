"""Self-check questions with immediate feedback.

Question banks live in ``course/questions/<notebook-stem>.yaml`` (format in docs/CONVENTIONS.md).
Six kinds of question:

* ``single``   — one correct option; every option carries its own explanation;
* ``multiple`` — any number of correct options; the answer must match the set exactly;
* ``numeric``  — a number within a tolerance, optionally with a unit (``"14.4 Gy"`` or ``14.4``);
* ``case``     — a short scenario answered in several steps, each itself one of the kinds above;
* ``key_feature`` — a short case, then the few critical decisions ("key features"), each a single- or
  multiple-answer choice, scored with **partial credit** (a feature earns 0–1; the item scores their sum);
* ``script_concordance`` — a case, then one or more judgements "if you were thinking of X and then
  learn Y, X becomes …" on a −2…+2 scale, scored against a **panel's distribution** (aggregate
  scoring: credit = panel votes for the chosen answer ÷ votes for the modal answer). The key is
  provisional until a real expert panel has answered (:data:`PROVISIONAL_PANEL`); these items are
  self-checks only, never graded.

Each question names the learning objective it tests and its ``level`` (:data:`LEVELS`: recall,
application or reasoning; defined in docs/CONVENTIONS.md, "Question levels"). :class:`SelfCheck` is the widget: a
column of native check boxes whose labels wrap (:class:`ChoiceGroup`; a choose-one question clears
the other boxes), a text box and a button, so it is usable by keyboard in JupyterLab (Tab to each
option, Space to tick, Enter on the button; arrow keys are JupyterLab's, they move between cells).
Options appear in an order shuffled per learner (:func:`option_order`, from the learner id in the
progress file); an empty answer gets a prompt, never a verdict or the key. Every Check is recorded
in the learner's own progress file (:mod:`course.progress`); :func:`quiz` ends with "Review what I
got wrong" (:class:`ReviewPanel`) and module 00 shows :class:`ProgressPanel`. Headless:
``sc.answer(value); sc.submit(); sc.feedback.value``.

These are *formative* self-checks; the graded questions live only in the instructors' nbgrader
course and are different items.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

import ipywidgets as W
import yaml

from course.plotting import PALETTE

#: The prompt shown when Check is pressed before anything was chosen (never a verdict, never the key).
CHOOSE_FIRST = "Choose an answer first."
TICK_FIRST = "Choose an answer first: tick every option you think is right."

QUESTION_TYPES = ("single", "multiple", "numeric", "case", "key_feature", "script_concordance")

#: The cognitive level of a self-check item (docs/CONVENTIONS.md, "Question levels").
LEVELS = ("recall", "application", "reasoning")

#: Whether the loader refuses an item without ``level``. An unknown level is always refused; a
#: missing one is refused once every bank carries levels (then this becomes True).
LEVEL_REQUIRED = True

#: The Likert scale of a script-concordance judgement: value → label, per kind of hypothesis.
SCT_SCALES: dict[str, dict[int, str]] = {
    "appropriateness": {
        -2: "much less appropriate (ruled out)",
        -1: "less appropriate",
        0: "neither more nor less appropriate",
        1: "more appropriate",
        2: "much more appropriate (indicated)",
    },
    "likelihood": {
        -2: "much less likely (ruled out)",
        -1: "less likely",
        0: "neither more nor less likely",
        1: "more likely",
        2: "much more likely (almost certain)",
    },
}

#: Who answered the script-concordance items for now, shown with every such item's feedback.
PROVISIONAL_PANEL = (
    "Provisional key. The panel distribution was set by the course's authors, reasoning from the cited "
    "evidence; it is not yet the answers of practising clinicians. It will be replaced when a real expert "
    "panel (spinal surgeons, clinical oncologists, palliative-care physicians) has answered these items."
)


# ----------------------------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One answer option with the explanation shown when it is chosen (or missed)."""

    text: str
    correct: bool = False
    explanation: str = ""


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer."""

    correct: bool
    message: str
    explanation: str = ""
    #: Partial credit earned and available (key-feature and script-concordance items), else None.
    score: float | None = None
    out_of: float | None = None
    #: False when there was nothing to check: the learner is prompted, never given a verdict or the key.
    answered: bool = True

    def to_html(self) -> str:
        """Feedback as HTML: a symbol and a word, never colour alone."""
        if not self.answered:
            return (f'<div role="status" aria-live="polite" style="border-left:4px solid {PALETTE["blue"]};'
                    f'padding:4px 8px;margin:4px 0"><b>ℹ {render_text(self.message)}</b></div>')
        colour = PALETTE["bluish_green"] if self.correct else PALETTE["vermillion"]
        mark = "✔ Correct" if self.correct else "✘ Not quite"
        if self.score is not None and not self.correct:
            colour = PALETTE["orange"] if self.score > 0 else colour
            mark = f"◐ Partly right: {_fmt(round(self.score, 2))} of {_fmt(self.out_of or 0)}" if self.score > 0 \
                else f"✘ Not quite: 0 of {_fmt(self.out_of or 0)}"
        body = f"<div>{render_text(self.message)}</div>" if self.message else ""
        if self.explanation:
            body += f"<div>{render_text(self.explanation)}</div>"
        return (
            f'<div role="status" aria-live="polite" style="border-left:4px solid {colour};'
            f'padding:4px 8px;margin:4px 0"><b style="color:{colour}">{mark}</b>{body}</div>'
        )


@dataclass(frozen=True)
class Question:
    """Fields common to every question."""

    id: str
    prompt: str
    objective: str = ""
    explanation: str = ""
    source: tuple[str, ...] = ()
    level: str = ""

    kind = "question"

    def check(self, answer: Any) -> Feedback:  # pragma: no cover - abstract
        raise NotImplementedError


def option_index(question: "SingleChoice | MultipleChoice", answer: Any) -> int:
    """Index of ``answer`` (an option index or its exact text) among ``question``'s options.

    Raises:
        ValueError: naming ``answer`` and listing the accepted indices and texts.
    """
    texts = [o.text for o in question.options]
    if isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < len(texts):
        return answer
    if isinstance(answer, str) and answer in texts:
        return texts.index(answer)
    raise ValueError(
        f"answer: {answer!r} is not an option of {question.id}; accepted: indices 0–{len(texts) - 1} or {texts}"
    )


@dataclass(frozen=True)
class SingleChoice(Question):
    """Exactly one correct option."""

    options: tuple[Option, ...] = ()
    kind = "single"

    def _index(self, answer: Any) -> int:
        return option_index(self, answer)

    def check(self, answer: Any) -> Feedback:
        if answer is None:
            return Feedback(False, CHOOSE_FIRST, answered=False)
        option = self.options[self._index(answer)]
        return Feedback(option.correct, option.explanation, self.explanation)


@dataclass(frozen=True)
class MultipleChoice(Question):
    """Any number of correct options; the chosen set must match exactly."""

    options: tuple[Option, ...] = ()
    #: In a key feature: the most options a learner may tick (0 = the number of correct options).
    max_choices: int = 0
    kind = "multiple"

    def _index(self, answer: Any) -> int:
        return option_index(self, answer)

    def check(self, answer: Any) -> Feedback:
        if answer is None:
            answer = ()
        if isinstance(answer, (str, int)):
            answer = (answer,)
        chosen = {self._index(a) for a in answer}
        if not chosen:
            return Feedback(False, TICK_FIRST, answered=False)
        wrong = [
            o
            for i, o in enumerate(self.options)
            if (i in chosen) != o.correct
        ]
        if not wrong:
            return Feedback(True, "All options judged correctly.", self.explanation)
        lines = []
        for o in wrong:
            verb = "should not be ticked" if o.correct is False else "should be ticked"
            lines.append(f"• *{o.text}* {verb}: {o.explanation}")
        return Feedback(False, "\n".join(lines), self.explanation)


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Numeric(Question):
    """A number within ``tolerance`` of ``answer``; a unit, if given, must match ``unit``."""

    answer: float = 0.0
    tolerance: float = 0.0
    unit: str = ""
    kind = "numeric"

    def parse(self, answer: Any) -> tuple[float, str]:
        """Split ``"14.4 Gy"`` into ``(14.4, "Gy")``; plain numbers have no unit."""
        if isinstance(answer, bool):
            raise ValueError(f"answer: expected a number, got {answer!r}")
        if isinstance(answer, (int, float)):
            return float(answer), ""
        if isinstance(answer, str):
            m = _NUMBER.match(answer)
            if m:
                return float(m.group(1).replace(",", ".")), m.group(2)
        raise ValueError(f"answer: expected a number such as 12 or '12 {self.unit}'.strip(), got {answer!r}")

    def check(self, answer: Any) -> Feedback:
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            return Feedback(False, "Type a number first.", answered=False)
        try:
            value, unit = self.parse(answer)
        except ValueError:
            return Feedback(False, f"“{answer}” is not a number. Type digits, e.g. 12.5{' ' + self.unit if self.unit else ''}.",
                            answered=False)
        if not math.isfinite(value):
            return Feedback(False, "Type a finite number.", answered=False)
        if unit and self.unit and unit.lower() != self.unit.lower():
            return Feedback(False, f"The answer is expected in {self.unit}, not {unit}.")
        ok = abs(value - self.answer) <= self.tolerance + 1e-12
        if ok:
            return Feedback(True, f"{_fmt(self.answer)} {self.unit}".strip() + ".", self.explanation)
        direction = "high" if value > self.answer else "low"
        return Feedback(False, f"{_fmt(value)} is too {direction}.", self.explanation)


@dataclass(frozen=True)
class Case(Question):
    """A scenario answered in steps; correct when every step is."""

    steps: tuple[Question, ...] = ()
    kind = "case"

    def check(self, answer: Any) -> Feedback:
        """``answer`` maps step id → answer (or is a sequence in step order)."""
        if isinstance(answer, dict):
            answers = [answer.get(s.id) for s in self.steps]
        else:
            answers = list(answer or [])
            answers += [None] * (len(self.steps) - len(answers))
        results = [s.check(a) for s, a in zip(self.steps, answers)]
        n_ok = sum(r.correct for r in results)
        return Feedback(n_ok == len(self.steps), f"{n_ok} of {len(self.steps)} steps correct.", self.explanation)


def _answers_in_order(steps: Sequence[Question], answer: Any) -> list[Any]:
    """``answer`` as a list in step order: from a mapping step id → answer, or a sequence."""
    if isinstance(answer, dict):
        return [answer.get(s.id) for s in steps]
    answers = list(answer or [])
    return answers + [None] * (len(steps) - len(answers))


@dataclass(frozen=True)
class KeyFeature(Question):
    """A short case, then its few critical decisions, each scored 0–1 (partial credit).

    A single-answer feature earns 1 when right. A multiple-answer feature earns the share of its
    correct options that were ticked, and 0 when more options than ``max_choices`` are ticked (so
    ticking everything earns nothing, the usual key-feature rule).
    """

    features: tuple[Question, ...] = ()
    kind = "key_feature"

    def feature_credit(self, feature: Question, answer: Any) -> tuple[float, Feedback]:
        """Credit (0–1) and feedback of one feature."""
        fb = feature.check(answer)
        if isinstance(feature, MultipleChoice):
            given = () if answer is None else ((answer,) if isinstance(answer, (str, int)) else answer)
            chosen = {feature._index(a) for a in given}
            right = {i for i, o in enumerate(feature.options) if o.correct}
            limit = feature.max_choices or len(right)
            credit = 0.0 if len(chosen) > limit else len(chosen & right) / len(right)
            return credit, fb
        return (1.0 if fb.correct else 0.0), fb

    def check(self, answer: Any) -> Feedback:
        """``answer`` maps feature id → answer (or is a sequence in feature order)."""
        answers = _answers_in_order(self.features, answer)
        credits = [self.feature_credit(f, a)[0] for f, a in zip(self.features, answers)]
        total = sum(credits)
        lines = [f"Decision {i + 1}: {_fmt(round(c, 2))} of 1" for i, c in enumerate(credits)]
        return Feedback(total == len(self.features),
                        f"{_fmt(round(total, 2))} of {len(self.features)} key decisions. " + "; ".join(lines) + ".",
                        self.explanation, score=total, out_of=float(len(self.features)))


@dataclass(frozen=True)
class Judgement:
    """One script-concordance judgement: a hypothesis, new information, and the panel's votes."""

    id: str
    hypothesis: str
    new_information: str
    panel: dict[int, int]
    explanation: str
    scale: str = "appropriateness"

    @property
    def modal(self) -> int:
        """The panel's most frequent answer(s)' vote count."""
        return max(self.panel.values())

    def credit(self, value: int) -> float:
        """Aggregate scoring: votes for ``value`` ÷ votes for the modal answer."""
        return self.panel.get(value, 0) / self.modal

    def labels(self) -> dict[int, str]:
        return SCT_SCALES[self.scale]


def likert_value(answer: Any) -> int:
    """A −2…+2 answer from an int or its label / signed text ("+1", "-2").

    Raises:
        ValueError: naming ``answer`` and listing the accepted values.
    """
    if isinstance(answer, int) and not isinstance(answer, bool) and -2 <= answer <= 2:
        return answer
    if isinstance(answer, str):
        text = answer.strip()
        for scale in SCT_SCALES.values():
            for value, label in scale.items():
                if text == label or text == _signed(value):
                    return value
        if re.fullmatch(r"[-+]?[0-2]", text):
            return int(text)
    raise ValueError(f"answer: {answer!r} is not accepted; accepted: -2, -1, 0, +1, +2 (or their labels)")


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


@dataclass(frozen=True)
class ScriptConcordance(Question):
    """A case, then judgements under uncertainty scored against a (provisional) panel."""

    judgements: tuple[Judgement, ...] = ()
    panel_note: str = PROVISIONAL_PANEL
    kind = "script_concordance"

    def check(self, answer: Any) -> Feedback:
        """``answer`` maps judgement id → −2…+2 (or is a sequence in order); None earns 0."""
        if isinstance(answer, dict):
            answers = [answer.get(j.id) for j in self.judgements]
        else:
            answers = list(answer or []) + [None] * len(self.judgements)
        lines, total = [], 0.0
        for i, (j, a) in enumerate(zip(self.judgements, answers)):
            if a is None:
                lines.append(f"Judgement {i + 1}: no answer (0).")
                continue
            value = likert_value(a)
            credit = j.credit(value)
            total += credit
            votes = ", ".join(f"{_signed(v)}: {n}" for v, n in sorted(j.panel.items()))
            lines.append(f"Judgement {i + 1}: you chose {_signed(value)} ({j.labels()[value]}), "
                         f"credit {_fmt(round(credit, 2))}. Panel votes {votes}. {j.explanation}")
        n = len(self.judgements)
        return Feedback(total == n, "\n".join(lines), f"{self.explanation}\n*{self.panel_note}*".strip(),
                        score=total, out_of=float(n))


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Bank:
    """The self-check questions of one notebook, with its learning objectives."""

    module: str
    objectives: dict[str, str]
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def get(self, qid: str) -> Question:
        """Return question ``qid``; unknown ids raise ``ValueError`` listing the accepted ids."""
        for q in self.questions:
            if q.id == qid:
                return q
        raise ValueError(f"qid: {qid!r} is not in bank {self.module}; accepted: {[q.id for q in self.questions]}")

    def by_objective(self) -> dict[str, list[str]]:
        """Objective id → ids of the questions that test it."""
        out: dict[str, list[str]] = {o: [] for o in self.objectives}
        for q in self.questions:
            out.setdefault(q.objective, []).append(q.id)
        return out


# ----------------------------------------------------------------------------------------------
# Loading and validation
# ----------------------------------------------------------------------------------------------
def _options(raw: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise ValueError(f"{where}.options: expected a list of at least two options")
    out = []
    for i, o in enumerate(raw):
        if not isinstance(o, dict) or "text" not in o:
            raise ValueError(f"{where}.options[{i}]: expected a mapping with 'text', 'explanation', optional 'correct'")
        if not str(o.get("explanation", "")).strip():
            raise ValueError(f"{where}.options[{i}]: every option needs an explanation")
        out.append(Option(str(o["text"]), bool(o.get("correct", False)), str(o["explanation"])))
    return tuple(out)


def _level(raw: dict[str, Any], where: str, inherited: str, require: bool) -> str:
    """The item's ``level``: one of :data:`LEVELS`; a step inherits its item's level."""
    if "level" not in raw:
        if inherited:
            return inherited
        if require:
            raise ValueError(f"{where}.level: missing; accepted: {list(LEVELS)}")
        return ""
    level = raw["level"]
    if level not in LEVELS:
        raise ValueError(f"{where}.level: {level!r} is not accepted; accepted: {list(LEVELS)}")
    return str(level)


def _parse_steps(raw_steps: Any, where: str, field_name: str, common: dict[str, Any],
                 kinds: Sequence[str]) -> tuple[Question, ...]:
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValueError(f"{where}.{field_name}: expected a non-empty list")
    steps = []
    for i, s in enumerate(raw_steps):
        if isinstance(s, dict) and s.get("type") not in kinds:
            raise ValueError(f"{where}.{field_name}[{i}].type: {s.get('type')!r} is not accepted here; "
                             f"accepted: {list(kinds)}")
        steps.append(parse_question(s, f"{where}.{field_name}[{i}]", objective=common["objective"],
                                    level=common["level"], require_level=False))
    if len({s.id for s in steps}) != len(steps):
        raise ValueError(f"{where}.{field_name}: ids must be unique")
    return tuple(steps)


def _judgements(raw: Any, where: str) -> tuple[Judgement, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}.judgements: expected a non-empty list")
    out = []
    for i, j in enumerate(raw):
        at = f"{where}.judgements[{i}]"
        if not isinstance(j, dict):
            raise ValueError(f"{at}: expected a mapping with id, hypothesis, new_information, panel, explanation")
        for key in ("id", "hypothesis", "new_information", "explanation"):
            if not str(j.get(key, "")).strip():
                raise ValueError(f"{at}.{key}: missing")
        scale = j.get("scale", "appropriateness")
        if scale not in SCT_SCALES:
            raise ValueError(f"{at}.scale: {scale!r} is not accepted; accepted: {list(SCT_SCALES)}")
        panel = j.get("panel")
        if not isinstance(panel, dict) or not panel:
            raise ValueError(f"{at}.panel: expected a mapping answer (-2…2) → number of panel votes")
        votes: dict[int, int] = {}
        for k, v in panel.items():
            if isinstance(k, bool) or not isinstance(k, int) or not -2 <= k <= 2:
                raise ValueError(f"{at}.panel: key {k!r} is not accepted; accepted: -2, -1, 0, 1, 2")
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"{at}.panel[{k}]: expected a vote count ≥ 0, got {v!r}")
            votes[k] = v
        if sum(votes.values()) == 0:
            raise ValueError(f"{at}.panel: the panel cast no votes")
        out.append(Judgement(str(j["id"]), str(j["hypothesis"]), str(j["new_information"]), votes,
                             str(j["explanation"]), str(scale)))
    if len({j.id for j in out}) != len(out):
        raise ValueError(f"{where}.judgements: ids must be unique")
    return tuple(out)


def parse_question(raw: dict[str, Any], where: str = "question", objective: str = "",
                   level: str = "", require_level: bool | None = None) -> Question:
    """Build a :class:`Question` from its YAML mapping, validating it.

    ``level`` is inherited by steps and features from their item; ``require_level`` (default
    :data:`LEVEL_REQUIRED`) refuses a top-level item without one.

    Raises:
        ValueError: naming the faulty field.
    """
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping")
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise ValueError(f"{where}.type: {kind!r} is not accepted; accepted: {list(QUESTION_TYPES)}")
    for key in ("id", "prompt"):
        if not str(raw.get(key, "")).strip():
            raise ValueError(f"{where}.{key}: missing")
    src = raw.get("source", ())
    require = LEVEL_REQUIRED if require_level is None else require_level
    common = dict(
        id=str(raw["id"]),
        prompt=str(raw["prompt"]),
        objective=str(raw.get("objective", objective)),
        explanation=str(raw.get("explanation", "")),
        source=tuple([src] if isinstance(src, str) else src),
        level=_level(raw, f"{where}[{raw['id']}]", level, require),
    )
    where = f"{where}[{raw['id']}]"
    if kind == "single":
        opts = _options(raw.get("options"), where)
        if sum(o.correct for o in opts) != 1:
            raise ValueError(f"{where}.options: a single-answer question needs exactly one correct option")
        return SingleChoice(**common, options=opts)
    if kind == "multiple":
        opts = _options(raw.get("options"), where)
        if not any(o.correct for o in opts):
            raise ValueError(f"{where}.options: a multiple-answer question needs at least one correct option")
        max_choices = raw.get("max_choices", 0)
        if isinstance(max_choices, bool) or not isinstance(max_choices, int) or not 0 <= max_choices <= len(opts):
            raise ValueError(f"{where}.max_choices: expected an integer 0–{len(opts)}")
        return MultipleChoice(**common, options=opts, max_choices=max_choices)
    if kind == "numeric":
        try:
            answer = float(raw["answer"])
            tolerance = float(raw.get("tolerance", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}.answer/tolerance: numbers required") from exc
        if tolerance < 0:
            raise ValueError(f"{where}.tolerance: must be ≥ 0")
        if not common["explanation"].strip():
            raise ValueError(f"{where}.explanation: a numeric question needs an explanation")
        return Numeric(**common, answer=answer, tolerance=tolerance, unit=str(raw.get("unit", "")))
    if kind == "key_feature":
        features = _parse_steps(raw.get("features"), where, "features", common, ("single", "multiple"))
        if not 1 <= len(features) <= 5:
            raise ValueError(f"{where}.features: a key-feature item tests 1–5 critical decisions, "
                             f"got {len(features)}")
        return KeyFeature(**common, features=features)
    if kind == "script_concordance":
        return ScriptConcordance(**common, judgements=_judgements(raw.get("judgements"), where))
    steps_raw = raw.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        raise ValueError(f"{where}.steps: a case needs a list of steps")
    for i, s in enumerate(steps_raw):
        if isinstance(s, dict) and s.get("type") in ("case", "key_feature", "script_concordance"):
            raise ValueError(f"{where}.steps[{i}]: cases cannot be nested")
    steps = _parse_steps(steps_raw, where, "steps", common, ("single", "multiple", "numeric"))
    return Case(**common, steps=steps)


def parse_bank(raw: dict[str, Any], name: str = "bank", require_level: bool | None = None) -> Bank:
    """Build and validate a :class:`Bank` from its YAML mapping (see :func:`parse_question`)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: expected a mapping with module, objectives, questions")
    objectives = raw.get("objectives")
    if not isinstance(objectives, dict) or not objectives:
        raise ValueError(f"{name}.objectives: expected a mapping O1: text, …")
    questions = tuple(parse_question(q, f"{name}.questions[{i}]", require_level=require_level)
                      for i, q in enumerate(raw.get("questions") or []))
    ids = [q.id for q in questions]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"{name}.questions: duplicate ids {dup}")
    for q in questions:
        if q.objective not in objectives:
            raise ValueError(
                f"{name}.questions[{q.id}].objective: {q.objective!r} is not an objective; accepted: {list(objectives)}"
            )
    return Bank(str(raw.get("module", name)), {str(k): str(v) for k, v in objectives.items()}, questions)


def bank_names() -> list[str]:
    """Names of every question bank shipped with the course."""
    root = resources.files("course") / "questions"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=None)
def load_bank(module: str) -> Bank:
    """Load the bank ``course/questions/<module>.yaml``.

    Raises:
        ValueError: for an unknown module (listing the accepted names) or an invalid bank.
    """
    names = bank_names()
    if module not in names:
        raise ValueError(f"module: no question bank {module!r}; accepted: {names}")
    text = (resources.files("course") / "questions" / f"{module}.yaml").read_text(encoding="utf-8")
    return parse_bank(yaml.safe_load(text), module)


# ----------------------------------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------------------------------
def render_text(text: str) -> str:
    """A small, predictable Markdown subset → HTML: **bold**, *italic*, `code`, line breaks.

    Everything else is escaped; ``$…$`` is left for MathJax (the widgets use HTMLMath).
    """
    out = html.escape(text, quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)
    return out.replace("\n", "<br/>")


#: Styles of the quiz widgets: option labels and buttons wrap (never cut with "…"), focus is visible.
QUIZ_CSS = """<style>
.spine-quiz .widget-checkbox, .spine-quiz .spine-option {height:auto !important; width:auto !important;
  max-width:100%; line-height:1.45;}
.spine-quiz .widget-checkbox label, .spine-quiz .widget-checkbox span, .spine-quiz .widget-label-basic {
  white-space:normal !important; overflow:visible !important; text-overflow:clip !important;
  height:auto !important; line-height:1.45 !important; max-width:100%;}
.spine-quiz .widget-checkbox input {flex:none; margin:0.2em 0.5em 0 0; align-self:flex-start;}
.spine-quiz .widget-checkbox label.widget-label-basic {display:flex; align-items:flex-start; cursor:pointer;}
.spine-quiz button.widget-button {height:auto; min-height:var(--jp-widgets-inline-height, 28px);
  white-space:normal; max-width:100%;}
.spine-quiz input:focus-visible, .spine-quiz button:focus-visible {outline:2px solid #0072B2; outline-offset:2px;}
.spine-quiz .widget-htmlmath, .spine-quiz .widget-html {max-width:100%; white-space:normal;}
</style>"""


def _css() -> W.HTML:
    return W.HTML(QUIZ_CSS, layout=W.Layout(height="0px", margin="0", overflow="hidden"))


def option_order(n: int, key: str, learner: str | None = None) -> list[int]:
    """A deterministic shuffle of ``range(n)`` for this learner and item ``key``.

    The same learner always sees the same order (it is derived from the learner id kept in the
    progress file, :func:`course.progress.learner_id`); different learners see different orders.
    """
    import hashlib
    import random

    if learner is None:
        from course import progress

        learner = progress.learner_id()
    seed = int.from_bytes(hashlib.sha256(f"{learner}\0{key}".encode()).digest()[:8], "big")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return order


class ChoiceGroup:
    """Options as a column of native check boxes whose labels wrap.

    ``exclusive=True`` makes it a single choice (ticking one clears the others). Native inputs are
    reached with Tab and ticked with Space, in JupyterLab's command mode too (arrow keys there move
    between cells, so the course never relies on them). ``values[i]`` is the value of option ``i``;
    ``order`` is the display order (indices into ``labels``).
    """

    def __init__(self, labels: Sequence[str], values: Sequence[Any] | None = None, exclusive: bool = True,
                 order: Sequence[int] | None = None, name: str = "") -> None:
        self.labels = list(labels)
        self.values = list(values) if values is not None else list(range(len(self.labels)))
        self.options = list(zip(self.labels, self.values))
        self.exclusive = exclusive
        self.order = list(order) if order is not None else list(range(len(self.labels)))
        self._busy = False
        self.boxes = [W.Checkbox(value=False, description=t, indent=False,
                                 layout=W.Layout(width="auto", max_width="100%")) for t in self.labels]
        for i, box in enumerate(self.boxes):
            box.add_class("spine-option")
            box.observe(lambda ch, i=i: self._changed(i, ch["new"]), names="value")
        self.widget = W.VBox([self.boxes[i] for i in self.order], layout=W.Layout(width="100%"))
        self.widget.add_class("spine-choices")
        if name:
            self.widget.add_class(name)

    def _changed(self, i: int, new: bool) -> None:
        if not (self.exclusive and new) or self._busy:
            return
        self._busy = True
        try:
            for j, box in enumerate(self.boxes):
                if j != i:
                    box.value = False
        finally:
            self._busy = False

    @property
    def chosen(self) -> list[int]:
        """Indices (in ``labels`` order) of the ticked options."""
        return [i for i, b in enumerate(self.boxes) if b.value]

    @property
    def value(self) -> Any:
        """The value of the ticked option (None if none), or the list of values when not exclusive."""
        if self.exclusive:
            return self.values[self.chosen[0]] if self.chosen else None
        return [self.values[i] for i in self.chosen]

    @value.setter
    def value(self, new: Any) -> None:
        wanted = {new} if self.exclusive else set(new or ())
        self._busy = True
        try:
            for i, box in enumerate(self.boxes):
                box.value = self.values[i] in wanted if new is not None else False
        finally:
            self._busy = False


class SelfCheck:
    """An immediate-feedback widget for one single/multiple/numeric question.

    Options are shown in an order shuffled for this learner (:func:`option_order`); answers are
    always given and returned as indices into the bank's order. Each Check press is recorded in
    the learner's progress file when ``module`` is given.

    Headless use (tests)::

        sc = SelfCheck(question)
        sc.answer(1)          # option index or text; a list for multiple; a number or "12 Gy" for numeric
        fb = sc.submit()      # -> Feedback; sc.feedback.value holds the HTML shown to the learner
    """

    def __init__(self, question: Question, number: str = "", module: str = "", record: bool = True,
                 learner: str | None = None) -> None:
        if isinstance(question, (Case, KeyFeature, ScriptConcordance)):
            raise ValueError("question: use CaseCheck, KeyFeatureCheck or ScriptConcordanceCheck (make_check() picks) "
                             "for case, key-feature and script-concordance items")
        self.question = question
        self.module = module
        self.record = record and bool(module)
        self.learner = learner
        self.on_result: list[Any] = []
        self.last: Feedback | None = None
        label = f"{number} " if number else ""
        self.prompt = W.HTMLMath(f"<b>{html.escape(label)}</b>{render_text(question.prompt)}")
        self.input = self._build_input()
        self.button = W.Button(description="Check", button_style="", tooltip="Check my answer",
                               layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.submit())
        self.feedback = W.HTMLMath()
        self.answer_key = W.HTMLMath(answer_key_html(question), layout=W.Layout(display="none"))
        self.answer_key.add_class("spine-answer")
        self.ui = W.VBox([_css(), self.prompt, self.input, self.button, self.feedback, self.answer_key],
                         layout=W.Layout(border="1px solid #ccc", padding="6px", margin="6px 0"))
        self.ui.add_class("spine-quiz")

    def _build_input(self) -> W.Widget:
        q = self.question
        if isinstance(q, (SingleChoice, MultipleChoice)):
            key = f"{self.module}/{q.id}" if self.module else q.id
            learner = self.learner if self.learner is not None or self.module else "anonymous"
            order = option_order(len(q.options), key, learner)
            self._choices = ChoiceGroup([o.text for o in q.options], exclusive=isinstance(q, SingleChoice),
                                        order=order)
            self._boxes = self._choices.boxes
            hint = "Choose one." if isinstance(q, SingleChoice) else "Tick every option that applies."
            return W.VBox([W.HTML(f'<span style="color:#555">{hint}</span>'), self._choices.widget])
        assert isinstance(q, Numeric)
        self._text = W.Text(placeholder=f"number{' in ' + q.unit if q.unit else ''}", continuous_update=False,
                            description="Your answer", style={"description_width": "initial"},
                            layout=W.Layout(width="20em"))
        unit = W.Label(q.unit) if q.unit else W.Label("")
        return W.HBox([self._text, unit])

    @property
    def display_order(self) -> list[int]:
        """Bank indices of the options in the order this learner sees them."""
        return list(self._choices.order)

    def answer(self, value: Any) -> "SelfCheck":
        """Set the learner's answer programmatically (as a learner would by clicking/typing)."""
        q = self.question
        if isinstance(q, SingleChoice):
            self._choices.value = q._index(value)
        elif isinstance(q, MultipleChoice):
            vals = [value] if isinstance(value, (str, int)) else list(value)
            self._choices.value = [q._index(v) for v in vals]
        else:
            self._text.value = str(value)
        return self

    def current(self) -> Any:
        """The answer currently entered in the widget (option indices in the bank's order)."""
        q = self.question
        if isinstance(q, (SingleChoice, MultipleChoice)):
            return self._choices.value
        return self._text.value

    def submit(self) -> Feedback:
        """Check the current answer, show the feedback and record it."""
        self.last = self.question.check(self.current())
        self.feedback.value = self.last.to_html()
        if self.last.answered and self.record:
            _record(self.module, self.question, self.last)
        for callback in self.on_result:
            callback(self)
        return self.last

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


def _record(module: str, question: Question, fb: Feedback) -> None:
    from course import progress

    progress.record(module, question.id, question.objective, fb.correct, fb.score, fb.out_of)


def answer_key_html(question: Question) -> str:
    """The answer and every explanation, for the static course site ("Show the answer")."""
    parts: list[str] = []

    def one(q: Question, head: str = "") -> None:
        if head:
            parts.append(f"<p><b>{html.escape(head)}</b></p>")
        if isinstance(q, (SingleChoice, MultipleChoice)):
            items = "".join(
                f"<li>{'✔ <b>' if o.correct else '✘ '}{render_text(o.text)}{'</b>' if o.correct else ''}"
                f" — {render_text(o.explanation)}</li>" for o in q.options)
            parts.append(f"<ul>{items}</ul>")
        elif isinstance(q, Numeric):
            parts.append(f"<p>Answer: <b>{_fmt(q.answer)} {html.escape(q.unit)}</b></p>")
        if q.explanation:
            parts.append(f"<p>{render_text(q.explanation)}</p>")

    if isinstance(question, Case):
        for i, st in enumerate(question.steps):
            one(st, f"Step {i + 1}")
    elif isinstance(question, KeyFeature):
        for i, f in enumerate(question.features):
            one(f, f"Decision {i + 1}")
    elif isinstance(question, ScriptConcordance):
        for i, j in enumerate(question.judgements):
            votes = ", ".join(f"{_signed(v)}: {n}" for v, n in sorted(j.panel.items()))
            parts.append(f"<p><b>Judgement {i + 1}.</b> Panel votes {votes}. {render_text(j.explanation)}</p>")
        parts.append(f"<p><i>{html.escape(question.panel_note)}</i></p>")
    else:
        one(question)
    return "<div><b>Answer and explanations</b>" + "".join(parts) + "</div>"


class CaseCheck:
    """A case: the scenario, then one :class:`SelfCheck` per step, each with its own feedback."""

    def __init__(self, case: Case, number: str = "", module: str = "", learner: str | None = None) -> None:
        self.question = case
        self.module = module
        label = f"{number} " if number else ""
        self.prompt = W.HTMLMath(f"<b>{html.escape(label)}Case.</b> {render_text(case.prompt)}")
        self.steps = [SelfCheck(s, number=f"Step {i + 1}.", module=f"{module}/{case.id}" if module else "",
                                record=False, learner=learner) for i, s in enumerate(case.steps)]
        for st in self.steps:
            st.answer_key.layout.display = "none"
            st.answer_key.remove_class("spine-answer")
            st.on_result.append(lambda _s: self._step_checked())
        self.answer_key = W.HTMLMath(answer_key_html(case), layout=W.Layout(display="none"))
        self.answer_key.add_class("spine-answer")
        self.ui = W.VBox([self.prompt] + [s.ui for s in self.steps] + [self.answer_key],
                         layout=W.Layout(border="2px solid #999", padding="6px", margin="6px 0"))
        self.ui.add_class("spine-quiz")

    def _step_checked(self) -> None:
        if self.module and all(s.last is not None and s.last.answered for s in self.steps):
            _record(self.module, self.question, self.question.check({s.question.id: s.current() for s in self.steps}))

    def answer(self, step_id: str, value: Any) -> "CaseCheck":
        """Answer one step by its id."""
        ids = [s.question.id for s in self.steps]
        if step_id not in ids:
            raise ValueError(f"step_id: {step_id!r} is not a step of {self.question.id}; accepted: {ids}")
        self.steps[ids.index(step_id)].answer(value)
        return self

    def submit(self) -> Feedback:
        """Check every step (each shows its own feedback) and return the overall verdict."""
        for s in self.steps:
            s.submit()
        return self.question.check({s.question.id: s.current() for s in self.steps})

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


class KeyFeatureCheck:
    """A key-feature item: the case, its critical decisions, one button, partial-credit feedback.

    Headless: ``kf.answer("f1", 0).answer("f2", [1, 3]); kf.submit(); kf.feedback.value``.
    """

    def __init__(self, item: KeyFeature, number: str = "", module: str = "", learner: str | None = None) -> None:
        self.question = item
        self.module = module
        label = f"{number} " if number else ""
        self.prompt = W.HTMLMath(f"<b>{html.escape(label)}Case — key decisions.</b> {render_text(item.prompt)}")
        self.features = [SelfCheck(f, number=f"Decision {i + 1}.", module=f"{module}/{item.id}" if module else "",
                                   record=False, learner=learner) for i, f in enumerate(item.features)]
        for f in self.features:
            f.button.layout.display = "none"  # one button checks every decision together
            f.answer_key.remove_class("spine-answer")
        self.button = W.Button(description="Check my decisions", tooltip="Check every decision of this case",
                               layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.submit())
        self.feedback = W.HTMLMath()
        self.answer_key = W.HTMLMath(answer_key_html(item), layout=W.Layout(display="none"))
        self.answer_key.add_class("spine-answer")
        self.last: Feedback | None = None
        self.ui = W.VBox([self.prompt] + [f.ui for f in self.features] + [self.button, self.feedback, self.answer_key],
                         layout=W.Layout(border="2px solid #999", padding="6px", margin="6px 0"))
        self.ui.add_class("spine-quiz")

    def answer(self, feature_id: str, value: Any) -> "KeyFeatureCheck":
        """Answer one decision by its id."""
        ids = [f.question.id for f in self.features]
        if feature_id not in ids:
            raise ValueError(f"feature_id: {feature_id!r} is not a decision of {self.question.id}; accepted: {ids}")
        self.features[ids.index(feature_id)].answer(value)
        return self

    def submit(self) -> Feedback:
        """Check every decision (each shows its feedback) and show the partial-credit total.

        With no decision answered the learner is prompted instead (no verdict, no key).
        """
        answers = {f.question.id: f.current() for f in self.features}
        if all(a is None or a == [] for a in answers.values()):
            self.last = Feedback(False, "Answer the decisions first.", answered=False)
            self.feedback.value = self.last.to_html()
            return self.last
        for f in self.features:
            f.submit()
        self.last = self.question.check(answers)
        self.feedback.value = self.last.to_html()
        if self.module:
            _record(self.module, self.question, self.last)
        return self.last

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


class ScriptConcordanceCheck:
    """A script-concordance item: the case, then each judgement as a labelled −2…+2 choice group.

    Headless: ``sct.answer("j1", 1); sct.submit(); sct.feedback.value``. The feedback always shows
    the panel's votes and says that the key is provisional (:data:`PROVISIONAL_PANEL`). The scale
    keeps its natural order (−2 to +2): it is not shuffled.
    """

    def __init__(self, item: ScriptConcordance, number: str = "", module: str = "",
                 learner: str | None = None) -> None:
        self.question = item
        self.module = module
        label = f"{number} " if number else ""
        self.prompt = W.HTMLMath(f"<b>{html.escape(label)}Reasoning under uncertainty.</b> "
                                 f"{render_text(item.prompt)}")
        rows: list[W.Widget] = []
        self._radios: dict[str, ChoiceGroup] = {}
        for i, j in enumerate(item.judgements):
            text = (f"<b>Judgement {i + 1}.</b> If you were thinking of: <i>{render_text(j.hypothesis)}</i><br/>"
                    f"…and then you learn: <i>{render_text(j.new_information)}</i><br/>This becomes (choose one):")
            labels = j.labels()
            group = ChoiceGroup([f"{_signed(v)}  {lab}" for v, lab in labels.items()], list(labels), exclusive=True)
            self._radios[j.id] = group
            rows += [W.HTMLMath(text), group.widget]
        self.button = W.Button(description="Compare with the panel", tooltip="Compare my judgements with the panel",
                               layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.submit())
        self.feedback = W.HTMLMath()
        self.answer_key = W.HTMLMath(answer_key_html(item), layout=W.Layout(display="none"))
        self.answer_key.add_class("spine-answer")
        self.last: Feedback | None = None
        self.ui = W.VBox([_css(), self.prompt] + rows + [self.button, self.feedback, self.answer_key],
                         layout=W.Layout(border="2px solid #999", padding="6px", margin="6px 0"))
        self.ui.add_class("spine-quiz")

    def answer(self, judgement_id: str, value: Any) -> "ScriptConcordanceCheck":
        """Set one judgement (−2…+2, or its label)."""
        if judgement_id not in self._radios:
            raise ValueError(f"judgement_id: {judgement_id!r} is not a judgement of {self.question.id}; "
                             f"accepted: {list(self._radios)}")
        self._radios[judgement_id].value = likert_value(value)
        return self

    def submit(self) -> Feedback:
        """Compare with the panel; with no judgement made the learner is prompted instead."""
        answers = {k: r.value for k, r in self._radios.items()}
        if all(v is None for v in answers.values()):
            self.last = Feedback(False, "Choose a position on the scale first.", answered=False)
        else:
            self.last = self.question.check(answers)
            if self.module:
                _record(self.module, self.question, self.last)
        self.feedback.value = self.last.to_html()
        return self.last

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)


def make_check(question: Question, number: str = "", module: str = "", learner: str | None = None) -> Any:
    """The right widget for ``question`` (results recorded under ``module`` when given)."""
    if isinstance(question, Case):
        return CaseCheck(question, number, module=module, learner=learner)
    if isinstance(question, KeyFeature):
        return KeyFeatureCheck(question, number, module=module, learner=learner)
    if isinstance(question, ScriptConcordance):
        return ScriptConcordanceCheck(question, number, module=module, learner=learner)
    return SelfCheck(question, number, module=module, learner=learner)


class QuizSet(list):
    """The widgets :func:`quiz` displayed; shows nothing more when it is a cell's last value."""

    def _ipython_display_(self) -> None:  # no list of object reprs under the questions
        return None

    def _repr_html_(self) -> str:
        return ""


def self_check(module: str, qid: str, number: str = "") -> Any:
    """Display question ``qid`` of bank ``module`` and return its widget."""
    from IPython.display import display

    widget = make_check(load_bank(module).get(qid), number, module=module)
    display(widget.ui)
    return widget


def quiz(module: str, ids: Sequence[str] | None = None, review: bool = True) -> QuizSet:
    """Display several questions of ``module`` (all of them by default), numbered, then the
    "Review what I got wrong" control (:class:`ReviewPanel`)."""
    from IPython.display import display

    bank = load_bank(module)
    chosen: Iterable[Question] = bank.questions if ids is None else [bank.get(i) for i in ids]
    widgets = QuizSet(make_check(q, f"Q{i + 1}.", module=module) for i, q in enumerate(chosen))
    children = [w.ui for w in widgets]
    if review:
        children.append(ReviewPanel(module).ui)
    display(W.VBox(children))
    return widgets


class ReviewPanel:
    """"Review what I got wrong": the items of one module whose latest answer was not right, again.

    Headless: ``rp = ReviewPanel(module); rp.button.click(); rp.items`` (the widgets shown).
    """

    def __init__(self, module: str) -> None:
        self.module = module
        self.items: list[Any] = []
        self.button = W.Button(description="Review what I got wrong", tooltip="Show again the questions "
                               "whose last answer was not right", layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.show())
        self.status = W.HTML()
        self.area = W.VBox()
        self.ui = W.VBox([_css(), W.HTML("<b>Review</b>"), self.button, self.status, self.area],
                         layout=W.Layout(border="1px solid #ccc", padding="6px", margin="6px 0"))
        self.ui.add_class("spine-quiz")

    def show(self) -> list[Any]:
        from course import progress

        bank = load_bank(self.module)
        ids = {q.id for q in bank.questions}
        wrong = [q for q in progress.wrong(self.module) if q in ids]
        self.items = [make_check(bank.get(q), f"Again {i + 1}.", module=self.module) for i, q in enumerate(wrong)]
        self.area.children = [w.ui for w in self.items]
        if wrong:
            self.status.value = (f"<p role=\"status\">{len(wrong)} question{'s' if len(wrong) > 1 else ''} "
                                 "to try again.</p>")
        else:
            answered = len(progress.results(self.module))
            self.status.value = ('<p role="status">Nothing to review: every question you checked was right.</p>'
                                 if answered else '<p role="status">Nothing to review yet: check some answers '
                                 'first.</p>')
        return self.items


class ProgressPanel:
    """Module 00's progress summary across modules, with export and import of the record.

    Headless: ``pp = ProgressPanel(); pp.table.value``; ``pp.export_button.click(); pp.export_box.value``;
    ``pp.import_box.value = text; pp.import_button.click(); pp.status.value``.
    """

    def __init__(self) -> None:
        from course import progress

        self.table = W.HTML()
        self.refresh_button = W.Button(description="Refresh my progress", layout=W.Layout(width="auto"))
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.export_button = W.Button(description="Export my progress", tooltip="Show my progress as text to copy",
                                      layout=W.Layout(width="auto"))
        self.export_button.on_click(lambda _b: self.export())
        self.export_box = W.Textarea(description="Copy this text", style={"description_width": "initial"},
                                     layout=W.Layout(width="100%", height="4em", display="none"))
        self.download = W.HTML()
        self.import_box = W.Textarea(placeholder="Paste the text you exported earlier", description="Import",
                                     style={"description_width": "initial"}, layout=W.Layout(width="100%", height="4em"))
        self.import_button = W.Button(description="Import my progress", layout=W.Layout(width="auto"))
        self.import_button.on_click(lambda _b: self.do_import())
        self.status = W.HTML()
        where = html.escape(str(progress.path()))
        self.ui = W.VBox([_css(), self.table, self.refresh_button,
                          W.HTML(f"<p>Your answers are saved on this computer only, in <code>{where}</code>. "
                                 "On Binder the session is thrown away when you close it: export your progress "
                                 "first, and import it next time.</p>"),
                          W.HBox([self.export_button]), self.export_box, self.download,
                          self.import_box, self.import_button, self.status],
                         layout=W.Layout(border="1px solid #ccc", padding="6px", margin="6px 0"))
        self.ui.add_class("spine-quiz")
        self.refresh()

    def refresh(self) -> str:
        from course import progress
        from course.catalogue import MODULES

        titles = {m.stem: m.title for m in MODULES}
        rows = []
        total_answered = total_correct = 0
        for row in progress.summary():
            title = html.escape(titles.get(row["module"], row["module"][:2]))
            todo = ", ".join(row["not_mastered"]) if row["answered"] else "not started"
            rows.append(f"<tr><th scope=\"row\">{title}</th><td>{row['answered']} of {row['items']}</td>"
                        f"<td>{row['correct']}</td><td>{html.escape(todo)}</td></tr>")
            total_answered += row["answered"]
            total_correct += row["correct"]
        self.table.value = (
            f"<p><b>Your progress:</b> {total_answered} questions answered, {total_correct} right.</p>"
            "<table><caption>Self-check results by module</caption><thead><tr><th scope=\"col\">Module</th>"
            "<th scope=\"col\">Answered</th><th scope=\"col\">Right</th>"
            "<th scope=\"col\">Objectives not yet mastered</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        return self.table.value

    def export(self) -> str:
        import base64

        from course import progress

        text = progress.export_text()
        self.export_box.value = text
        self.export_box.layout.display = None
        data = base64.b64encode(text.encode("ascii")).decode("ascii")
        self.download.value = (f'<a download="spine-course-progress.txt" href="data:text/plain;base64,{data}">'
                               "Download my progress as a file</a>")
        return text

    def do_import(self) -> int:
        from course import progress

        try:
            n = progress.import_text(self.import_box.value)
        except ValueError as exc:
            self.status.value = f'<p role="status">✘ {html.escape(str(exc))}</p>'
            return 0
        self.status.value = f'<p role="status">✔ Imported {n} answers.</p>'
        self.refresh()
        return n


def progress_panel() -> ProgressPanel:
    """Display module 00's progress summary with export and import, and return it."""
    from IPython.display import display

    panel = ProgressPanel()
    display(panel.ui)
    return panel


def review(module: str) -> ReviewPanel:
    """Display the "Review what I got wrong" control of ``module`` and return it."""
    from IPython.display import display

    panel = ReviewPanel(module)
    display(panel.ui)
    return panel
