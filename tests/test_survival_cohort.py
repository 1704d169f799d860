"""The synthetic cohort of module 05a reproduces the published discrimination; the metrics are right."""

from __future__ import annotations

import numpy as np
import pytest

from course import survival_cohort as SC
from course.prognosis_scores import PUBLISHED_C_STATISTIC


@pytest.mark.parametrize("score", SC.SCORES)
def test_cohort_reproduces_published_c_statistic(score):
    """Schoenfeld 2022: NESMS 0.79, Tomita 0.69, Tokuhashi 0.67, SINS 0.54 — each within ±0.02."""
    cohort = SC.modern_cohort()
    c = SC.c_statistic(cohort.scores[score], cohort.alive_1y, SC.HIGHER_IS_BETTER[score])
    assert abs(c - PUBLISHED_C_STATISTIC[score]) <= 0.02, (score, c)


def test_targets_are_the_published_ones():
    assert SC.TARGET_C == PUBLISHED_C_STATISTIC


def test_cohort_is_deterministic_and_plausible():
    a = SC._simulate("modern", SC.N_MODERN, SC.SEED)
    b = SC.modern_cohort()
    assert np.array_equal(a.alive_1y, b.alive_1y)
    assert all(np.array_equal(a.scores[k], b.scores[k]) for k in SC.SCORES)
    assert b.n == 202 and 0.3 < b.survival < 0.7
    for name, (low, high) in SC.RANGES.items():
        assert b.scores[name].min() >= low and b.scores[name].max() <= high


def test_the_target_check_can_fail():
    """A cohort drawn with another seed and no tuning would miss the published c-statistics."""
    other = SC._simulate("modern", SC.N_MODERN, SC.SEED + 7, mixing={k: 0.0 for k in SC.SCORES})
    c = SC.c_statistic(other.scores["sins"], other.alive_1y, SC.HIGHER_IS_BETTER["sins"])
    assert abs(c - 0.54) > 0.02


@pytest.mark.parametrize("score,alive,expected", [
    ([3, 2, 1, 0], [1, 1, 0, 0], 1.0),        # perfect
    ([0, 1, 2, 3], [1, 1, 0, 0], 0.0),        # perfectly wrong
    ([1, 1, 1, 1], [1, 0, 1, 0], 0.5),        # all ties
    ([2, 1, 1, 0], [1, 1, 0, 0], 0.875),      # (1 + 1 + 1 + 0.5) / 4
])
def test_c_statistic_by_hand(score, alive, expected):
    assert SC.c_statistic(np.array(score), np.array(alive, dtype=bool)) == pytest.approx(expected)


def test_c_statistic_orientation_and_refusal():
    s, a = np.array([3, 2, 1, 0]), np.array([1, 1, 0, 0], dtype=bool)
    assert SC.c_statistic(s, a, higher_is_better=False) == 0.0
    with pytest.raises(ValueError, match="at least one death and one survivor"):
        SC.c_statistic(s, np.ones(4, dtype=bool))


def test_older_predictions_underestimate_modern_survival():
    """Addendum D.5: a score derived in an older era underestimates survival today; recalibration fixes it."""
    for score in ("nesms", "tomita", "tokuhashi"):
        old = SC.calibration(score)
        new = SC.calibration(score, recalibrated=True)
        gap_old = np.mean([r.observed - r.predicted for r in old])
        gap_new = np.mean([r.observed - r.predicted for r in new])
        assert gap_old > 0.05 and abs(gap_new) < abs(gap_old) / 2, score
        assert sum(r.n for r in old) == 202


def test_recalibration_does_not_change_discrimination():
    cohort = SC.modern_cohort()
    for score in SC.SCORES:
        p_old = SC.predicted_survival(score)
        p_new = SC.predicted_survival(score, recalibrated=True)
        c_old = SC.c_statistic(p_old, cohort.alive_1y)
        c_new = SC.c_statistic(p_new, cohort.alive_1y)
        assert c_old == pytest.approx(c_new)


def test_net_benefit_by_hand():
    p = np.array([0.9, 0.8, 0.2, 0.1])
    alive = np.array([1, 0, 1, 0], dtype=bool)
    # threshold 0.5: operate on the first two; 1 alive, 1 dead → 1/4 − 1/4 × 1 = 0
    assert SC.net_benefit(p, alive, 0.5) == pytest.approx(0.0)
    # threshold 0.25: 1/4 − 1/4 × (1/3)
    assert SC.net_benefit(p, alive, 0.25) == pytest.approx(0.25 - 0.25 / 3)
    with pytest.raises(ValueError, match="threshold"):
        SC.net_benefit(p, alive, 1.0)


def test_decision_curve_shapes():
    t = np.array([0.2, 0.4, 0.6])
    curve = SC.decision_curve("nesms", t)
    assert set(curve) == {"model", "all", "none"}
    assert np.all(curve["none"] == 0)
    assert curve["all"][0] > curve["all"][-1]
    # a discriminating score beats "operate on all" at a middling threshold; SINS does not beat it by much
    assert curve["model"][1] > curve["all"][1]


def test_unknown_score_refused():
    with pytest.raises(ValueError, match="name='sorg' is not accepted; accepted values: 'nesms'"):
        SC.predicted_survival("sorg")
