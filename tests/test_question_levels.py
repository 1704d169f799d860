"""Question levels across every self-check bank (docs/CONVENTIONS.md, "Question levels").

Targets over all self-check items (an item is a top-level question; a case counts once):
recall ≤ 40 %, reasoning ≥ 30 %; a reasoning item has a case stem (a patient) and asks for a
decision; in single-answer items with k options the correct option is the longest in at most
1/k + 0.1 of them.

Every target is strict: course-wide, for each bank listed in ``AT_TARGET``, and per item (every item
tagged ``reasoning`` passes both heuristics).
"""

from __future__ import annotations

import re

import pytest

from course.quiz import (
    LEVELS,
    Case,
    KeyFeature,
    Question,
    ScriptConcordance,
    SingleChoice,
    bank_names,
    load_bank,
    parse_question,
)

#: Banks already rebalanced, held to every target individually.
AT_TARGET = ("05a_prognosis", "03a_mscc_emergency", "03b_neurological_examination", "00_start_here",
             "01_anatomy_and_epidemiology", "02_spread_to_the_spine", "03_clinical_presentation",
             "04_imaging_and_diagnosis", "05_classification_and_scoring", "06_treatment",
             "07_complications_and_rehabilitation", "08_capstone_cases")

RECALL_MAX = 0.40
REASONING_MIN = 0.30

_PATIENT = re.compile(
    r"\b(\d{1,3}[- ]year[- ]old|(wo)?man|boy|girl|patient|person|he|she|his|her|mr|mrs|ms)\b", re.I)
_DECISION = re.compile(
    r"\b(what (would|should|do|will) you|which\b.*\b(next|first|now|best|most appropriate|offer|choose|order|"
    r"recommend|give|arrange|treatment|schedule|plan|manage|tell|say|do)|should (you|she|he|they|the team|we)|"
    r"(best|most appropriate|right|safest) (next )?(step|action|plan|option|choice|management|response|answer|"
    r"treatment|schedule|reply)|next step|decide|decision|choose|recommend|offer|arrange|manage|refer|"
    r"becomes|would you|do you (say|tell|do)|how (do|would|should) you)\b", re.I)


def all_items() -> list[tuple[str, Question]]:
    return [(name, q) for name in bank_names() for q in load_bank(name).questions]


def texts(q: Question) -> list[str]:
    """The prompt and every sub-prompt (steps, features, judgements)."""
    out = [q.prompt]
    for sub in getattr(q, "steps", ()) + getattr(q, "features", ()):
        out.append(sub.prompt)
    for j in getattr(q, "judgements", ()):
        out += [j.hypothesis, j.new_information]
    return out


def has_case_stem(q: Question) -> bool:
    return bool(_PATIENT.search(q.prompt))


def asks_for_decision(q: Question) -> bool:
    return isinstance(q, ScriptConcordance) or any(_DECISION.search(t) for t in texts(q))


def single_items(q: Question) -> list[SingleChoice]:
    subs = list(getattr(q, "steps", ())) + list(getattr(q, "features", ()))
    return [s for s in [q, *subs] if isinstance(s, SingleChoice)]


def longest_is_correct(q: SingleChoice) -> bool:
    lengths = [len(o.text) for o in q.options]
    right = next(i for i, o in enumerate(q.options) if o.correct)
    return all(lengths[right] > n for i, n in enumerate(lengths) if i != right)


def shares(items: list[Question]) -> dict[str, float]:
    n = len(items)
    return {level: sum(q.level == level for q in items) / n for level in LEVELS}


def longest_excess(items: list[Question]) -> tuple[int, float]:
    """(number of single items whose correct option is the longest, allowed number)."""
    singles = [s for q in items for s in single_items(q)]
    return (sum(longest_is_correct(s) for s in singles),
            sum(1 / len(s.options) + 0.1 for s in singles))


# ------------------------------------------------------------------------------------------------
# Heuristics, and proof that they can fail
# ------------------------------------------------------------------------------------------------
def _q(prompt: str, **extra) -> Question:
    raw = {"id": "x", "type": "single", "prompt": prompt, "level": "reasoning",
           "options": [{"text": "a", "explanation": "e"}, {"text": "bb", "correct": True, "explanation": "e"}]}
    return parse_question(raw | extra)


@pytest.mark.parametrize("prompt,stem,decision", [
    ("A 64-year-old woman with breast cancer has back pain at night. What is the next step?", True, True),
    ("Her MRI shows ESCC grade 2. Which schedule would you offer?", True, True),
    ("How many vertebrae are there?", False, False),
    ("A 70-year-old man has a T10 metastasis. How many SINS points for location?", True, False),
    ("What is the best next step after an MRI?", False, True),
])
def test_heuristics(prompt, stem, decision):
    q = _q(prompt)
    assert has_case_stem(q) is stem
    assert asks_for_decision(q) is decision


def test_longest_rule_catches_a_biased_bank():
    biased = [_q("p", options=[{"text": "a", "explanation": "e"},
                               {"text": "the long correct answer", "correct": True, "explanation": "e"}])] * 5
    done, allowed = longest_excess(biased)
    assert done == 5 and done > allowed
    fair = [_q("p")] * 2 + [_q("p", options=[{"text": "the long wrong one", "explanation": "e"},
                                             {"text": "b", "correct": True, "explanation": "e"}])] * 3
    done, allowed = longest_excess(fair)
    assert done <= allowed


# ------------------------------------------------------------------------------------------------
# Strict: every item tagged reasoning is a case with a decision; rebalanced banks meet the targets
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", bank_names())
def test_reasoning_items_are_cases_asking_for_a_decision(name):
    bad = [q.id for q in load_bank(name).questions
           if q.level == "reasoning" and not (has_case_stem(q) and asks_for_decision(q))]
    assert not bad, f"{name}: items tagged reasoning without a patient stem or a decision: {bad}"


@pytest.mark.parametrize("name", [n for n in AT_TARGET if n in bank_names()])
def test_rebalanced_bank_meets_targets(name):
    items = list(load_bank(name).questions)
    assert all(q.level in LEVELS for q in items), "every item needs a level"
    share = shares(items)
    assert share["recall"] <= RECALL_MAX, share
    assert share["reasoning"] >= REASONING_MIN, share
    done, allowed = longest_excess(items)
    assert done <= allowed, f"correct option longest in {done} single items (allowed {allowed:.1f})"


# ------------------------------------------------------------------------------------------------
# Course-wide targets
# ------------------------------------------------------------------------------------------------

def test_every_item_has_a_level():
    missing = [f"{n}:{q.id}" for n, q in all_items() if q.level not in LEVELS]
    assert not missing, f"{len(missing)} items without a level, e.g. {missing[:8]}"


def test_course_wide_level_targets():
    items = [q for _, q in all_items()]
    share = shares(items)
    assert share["recall"] <= RECALL_MAX, f"recall {share['recall']:.0%} > {RECALL_MAX:.0%}"
    assert share["reasoning"] >= REASONING_MIN, f"reasoning {share['reasoning']:.0%} < {REASONING_MIN:.0%}"


def test_course_wide_correct_option_not_longest():
    done, allowed = longest_excess([q for _, q in all_items()])
    assert done <= allowed, f"correct option is the longest in {done} single items (allowed {allowed:.1f})"


def test_composite_items_count_once():
    """A case, key-feature or script-concordance item is one item however many steps it has."""
    kinds = {type(q) for _, q in all_items()}
    assert Case in kinds  # the capstone bank has cases
    for _, q in all_items():
        if isinstance(q, (Case, KeyFeature)):
            assert all(s.level == q.level for s in getattr(q, "steps", ()) + getattr(q, "features", ()))
