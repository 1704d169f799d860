"""A synthetic cohort for "which score would you trust?" (module 05a), and the three ways to judge a score.

**The patients are invented.** The generator makes a cohort the size of the prospective comparison
of Schoenfeld et al. (2022) — 202 patients, outcome alive at one year — in which four scores order
the patients as well as they did there: c-statistic NESMS 0.79, Tomita 0.69, Tokuhashi 0.67, SINS
0.54 (each reproduced within ±0.02; a test checks it). Nothing else about the real cohort is copied:
the score distributions, the survival proportion and the calibration are illustrations.

Pure and deterministic (numpy only; a fixed seed): no widgets, no plotting.

* :func:`c_statistic` — the probability that of a random pair (one who died within the year, one who
  survived) the score ranks the one who died as worse (ties count one half).
* :func:`calibration` — predicted against observed 1-year survival, per score value.
* :func:`net_benefit` / :func:`decision_curve` — decision-curve analysis of "offer surgery when the
  predicted 1-year survival is at least p_t", against "operate on everyone" and "on no one".

Predictions come from a synthetic **older** cohort (lower survival, as before modern systemic
therapy): applied to the modern cohort they underestimate survival (the point of addendum D.5);
:func:`predicted_survival` with ``recalibrated=True`` refits them on the modern cohort instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np

__all__ = [
    "SCORES", "SCORE_LABELS", "TARGET_C", "Cohort", "modern_cohort", "older_cohort", "c_statistic",
    "predicted_survival", "calibration", "net_benefit", "decision_curve", "CalibrationRow", "SEED",
]

#: Published c-statistics for 1-year survival (Schoenfeld et al., 2022) [V2].
TARGET_C: Final[dict[str, float]] = {"nesms": 0.79, "tomita": 0.69, "tokuhashi": 0.67, "sins": 0.54}
SCORES: Final[tuple[str, ...]] = tuple(TARGET_C)
SCORE_LABELS: Final[dict[str, str]] = {"nesms": "NESMS", "tomita": "Tomita", "tokuhashi": "revised Tokuhashi",
                                       "sins": "SINS"}
#: Score ranges, and whether a higher value means a better prognosis.
RANGES: Final[dict[str, tuple[int, int]]] = {"nesms": (0, 3), "tomita": (2, 10), "tokuhashi": (0, 15), "sins": (0, 18)}
HIGHER_IS_BETTER: Final[dict[str, bool]] = {"nesms": True, "tomita": False, "tokuhashi": True, "sins": False}
#: Share of patients at each value of the score (illustrative, not from the paper).
_SHARES: Final[dict[str, list[float]]] = {
    "nesms": [0.15, 0.25, 0.35, 0.25],
    "tomita": [0.06, 0.08, 0.12, 0.14, 0.16, 0.15, 0.12, 0.10, 0.07],
    "tokuhashi": [0.01, 0.02, 0.03, 0.05, 0.07, 0.09, 0.11, 0.12, 0.12, 0.11, 0.09, 0.07, 0.05, 0.03, 0.02, 0.01],
    "sins": [0.02, 0.03, 0.04, 0.06, 0.07, 0.08, 0.09, 0.10, 0.10, 0.09, 0.08, 0.07, 0.05, 0.04, 0.03, 0.02,
             0.01, 0.01, 0.01],
}
SEED: Final[int] = 2022
N_MODERN: Final[int] = 202
N_OLDER: Final[int] = 800
#: Log-odds of surviving one year for an average patient: modern cohort vs older cohort.
_INTERCEPT: Final[dict[str, float]] = {"modern": 0.2, "older": -0.9}
_SLOPE: Final[float] = 3.0


@dataclass(frozen=True)
class Cohort:
    """Synthetic patients: ``alive_1y`` (bool array) and one integer array per score."""

    name: str
    alive_1y: np.ndarray
    scores: dict[str, np.ndarray]
    mixing: dict[str, float]     # per score: 0 = sees the true prognosis, π/2 = pure noise

    @property
    def n(self) -> int:
        return int(self.alive_1y.size)

    @property
    def survival(self) -> float:
        """Observed share alive at one year."""
        return float(self.alive_1y.mean())


def c_statistic(score: np.ndarray, alive: np.ndarray, higher_is_better: bool = True) -> float:
    """Harrell's c for a binary outcome: P(the patient who died has the worse score), ties ½.

    >>> c_statistic(np.array([3, 2, 1, 0]), np.array([True, True, False, False]))
    1.0
    """
    score = np.asarray(score, dtype=float)
    alive = np.asarray(alive, dtype=bool)
    if score.shape != alive.shape or alive.all() or not alive.any():
        raise ValueError("score, alive: need equal-length arrays with at least one death and one survivor")
    s = score if higher_is_better else -score
    a, d = s[alive][:, None], s[~alive][None, :]
    return float(((a > d).sum() + 0.5 * (a == d).sum()) / (a.size * d.size))


def _discretise(latent: np.ndarray, name: str) -> np.ndarray:
    """Latent prognosis (higher = better) → score values by the score's illustrative shares."""
    low, high = RANGES[name]
    shares = np.asarray(_SHARES[name], dtype=float)
    edges = np.quantile(latent, np.cumsum(shares / shares.sum())[:-1])
    level = np.searchsorted(edges, latent, side="right")           # 0 = worst prognosis
    return (low + level if HIGHER_IS_BETTER[name] else high - level).astype(int)


def _mix(prognosis: np.ndarray, noise: np.ndarray, angle: float) -> np.ndarray:
    """What a score 'sees': the true prognosis mixed with noise; angle 0 = all signal, π/2 = all noise."""
    return np.cos(angle) * prognosis + np.sin(angle) * noise


def _simulate(era: str, n: int, seed: int, mixing: dict[str, float] | None = None) -> Cohort:
    rng = np.random.default_rng(seed)
    prognosis = rng.standard_normal(n)
    alive = rng.random(n) < 1 / (1 + np.exp(-(_INTERCEPT[era] + _SLOPE * prognosis)))
    noise = {name: rng.standard_normal(n) for name in SCORES}
    angles = dict(mixing) if mixing else {}
    scores = {}
    for name in SCORES:
        if name not in angles:
            angles[name] = _tune(prognosis, noise[name], alive, name)
        scores[name] = _discretise(_mix(prognosis, noise[name], angles[name]), name)
    return Cohort(era, alive, scores, angles)


def _tune(prognosis: np.ndarray, noise: np.ndarray, alive: np.ndarray, name: str) -> float:
    """The mixing angle whose score reaches the published c on this draw (deterministic grid search,
    coarse then fine).

    Angles beyond π/2 let the chance correlation of the noise with the outcome be cancelled, so a
    score that barely predicts survival (SINS) can be matched on a small cohort too.
    """
    def gap(angle: float) -> float:
        c = c_statistic(_discretise(_mix(prognosis, noise, angle), name), alive, HIGHER_IS_BETTER[name])
        return abs(c - TARGET_C[name])

    coarse = np.linspace(0.0, 0.7 * np.pi, 141)
    best = float(min(coarse, key=gap))
    step = coarse[1] - coarse[0]
    fine = np.linspace(max(0.0, best - step), best + step, 81)
    return float(min(fine, key=lambda a: (gap(a), abs(a - best))))


@lru_cache(maxsize=None)
def modern_cohort() -> Cohort:
    """The synthetic validation cohort (202 patients), tuned to the published c-statistics."""
    return _simulate("modern", N_MODERN, SEED)


@lru_cache(maxsize=None)
def older_cohort() -> Cohort:
    """A synthetic older derivation cohort (800 patients, lower survival, scores as discriminating)."""
    return _simulate("older", N_OLDER, SEED + 1)


def _logistic_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of a one-variable logistic regression (Newton's method)."""
    X = np.column_stack([np.ones_like(x, dtype=float), x.astype(float)])
    beta = np.zeros(2)
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ beta))
        w = p * (1 - p)
        step = np.linalg.solve(X.T @ (X * w[:, None]) + 1e-9 * np.eye(2), X.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return float(beta[0]), float(beta[1])


@lru_cache(maxsize=None)
def _model(name: str, recalibrated: bool) -> tuple[float, float]:
    cohort = modern_cohort() if recalibrated else older_cohort()
    return _logistic_fit(cohort.scores[name], cohort.alive_1y.astype(float))


def predicted_survival(name: str, values: np.ndarray | None = None, *, recalibrated: bool = False) -> np.ndarray:
    """Predicted probability of being alive at one year for each score value.

    The model is a logistic regression of 1-year survival on the score, fitted on the older cohort
    (``recalibrated=False``, as a published score is used) or on the modern cohort itself.

    Raises:
        ValueError: for an unknown score name (accepted: :data:`SCORES`).
    """
    if name not in SCORES:
        raise ValueError(f"name={name!r} is not accepted; accepted values: {', '.join(map(repr, SCORES))}")
    a, b = _model(name, recalibrated)
    x = modern_cohort().scores[name] if values is None else np.asarray(values, dtype=float)
    return 1 / (1 + np.exp(-(a + b * x)))


@dataclass(frozen=True)
class CalibrationRow:
    """One group of the calibration plot."""

    values: tuple[int, int]      # the score values pooled in this group
    n: int
    predicted: float             # mean predicted 1-year survival
    observed: float              # observed share alive at one year


def calibration(name: str, *, recalibrated: bool = False, groups: int = 4) -> list[CalibrationRow]:
    """Predicted against observed 1-year survival in the modern cohort, in ``groups`` groups of score values."""
    cohort = modern_cohort()
    x = cohort.scores[name]
    p = predicted_survival(name, recalibrated=recalibrated)
    order = np.unique(x)
    chunks = [c for c in np.array_split(order, min(groups, order.size)) if c.size]
    rows = []
    for chunk in chunks:
        mask = np.isin(x, chunk)
        if mask.sum() == 0:
            continue
        rows.append(CalibrationRow((int(chunk.min()), int(chunk.max())), int(mask.sum()),
                                   float(p[mask].mean()), float(cohort.alive_1y[mask].mean())))
    return rows


def net_benefit(predicted: np.ndarray, alive: np.ndarray, threshold: float) -> float:
    """Net benefit of operating when the predicted 1-year survival is ≥ ``threshold``.

    NB = (operated and alive at a year)/n − (operated and dead within a year)/n × p_t / (1 − p_t):
    the threshold says how many futile operations one worthwhile operation is worth.
    """
    if not 0 < threshold < 1:
        raise ValueError(f"threshold={threshold!r} is not accepted; accepted values: a probability 0 < p < 1")
    treat = np.asarray(predicted) >= threshold
    alive = np.asarray(alive, dtype=bool)
    n = alive.size
    return float((treat & alive).sum() / n - (treat & ~alive).sum() / n * threshold / (1 - threshold))


def decision_curve(name: str, thresholds: np.ndarray, *, recalibrated: bool = False) -> dict[str, np.ndarray]:
    """Net benefit over ``thresholds`` for the score, "operate on all" and "operate on none"."""
    cohort = modern_cohort()
    p = predicted_survival(name, recalibrated=recalibrated)
    t = np.asarray(thresholds, dtype=float)
    prevalence = cohort.survival
    return {
        "model": np.array([net_benefit(p, cohort.alive_1y, x) for x in t]),
        "all": prevalence - (1 - prevalence) * t / (1 - t),
        "none": np.zeros_like(t),
    }
