"""Item analysis from the nbgrader gradebook: which questions work and which do not.

For every graded item (nbgrader grade cell) of an assignment:

* **difficulty** ``p`` = mean score / max score (the proportion of the marks obtained; high = easy);
* **discrimination index** ``D`` = (mean score of the upper 27% of students by total − mean score of
  the lower 27%) / max score (Kelley's upper–lower index; ranges −1…1);
* **point-biserial** ``r_pb`` = corrected item–total correlation (item score vs total *minus the
  item*), reported alongside ``D`` because it uses every student.

Flags: ``p`` < 0.20 too hard, ``p`` > 0.95 too easy, ``D`` < 0.20 weak discrimination, ``D`` < 0
"check the key" (better students do worse). With fewer than ~20 students the numbers are
noisy; read them as hints. Written items that are not graded yet count as 0 and are counted in
``ungraded``. Outputs in ``reports/<assignment>/item-analysis/``: ``items.csv``, ``scores.csv``,
``items.png`` (difficulty and discrimination per item) and ``histogram.png`` (total scores).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

UPPER_LOWER = 0.27


@dataclass
class ItemStats:
    item: str
    max_score: float
    n: int
    mean: float
    difficulty: float
    discrimination: float
    point_biserial: float
    ungraded: int
    flag: str


def _flag(p: float, d: float) -> str:
    flags = []
    if p < 0.20:
        flags.append("too hard")
    if p > 0.95:
        flags.append("too easy")
    if d < 0:
        flags.append("negative discrimination: check the key")
    elif d < 0.20:
        flags.append("weak discrimination")
    return "; ".join(flags)


def analyse(matrix: np.ndarray, max_scores: np.ndarray, items: list[str],
            ungraded: list[int] | None = None) -> list[ItemStats]:
    """Item statistics of a students × items score matrix."""
    n_students = matrix.shape[0]
    totals = matrix.sum(axis=1)
    order = np.argsort(totals, kind="stable")
    k = max(1, int(round(UPPER_LOWER * n_students))) if n_students else 0
    lower, upper = order[:k], order[n_students - k:]
    out = []
    for j, name in enumerate(items):
        col = matrix[:, j]
        mx = float(max_scores[j]) or 1.0
        mean = float(col.mean()) if n_students else math.nan
        p = mean / mx
        d = float((col[upper].mean() - col[lower].mean()) / mx) if k else math.nan
        rest = totals - col
        if n_students > 2 and col.std() > 0 and rest.std() > 0:
            r = float(np.corrcoef(col, rest)[0, 1])
        else:
            r = math.nan
        waiting = (ungraded or [0] * len(items))[j]
        flag = "not graded yet" if n_students and waiting == n_students else _flag(p, d)
        out.append(ItemStats(name, mx, n_students, mean, p, d, r, waiting, flag))
    return out


def gradebook_matrix(course, assignment: str):
    """(students, items, max_scores, matrix, ungraded counts) from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        subs = sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id)
        items: list[str] = []
        maxes: dict[str, float] = {}
        rows: dict[str, dict[str, float]] = {}
        ungraded: dict[str, int] = {}
        for sub in subs:
            row = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    key = g.name if len(sub.notebooks) == 1 else f"{nb.name}/{g.name}"
                    if key not in maxes:
                        items.append(key)
                        maxes[key] = float(g.max_score)
                    row[key] = float(g.score)
                    if g.needs_manual_grade and g.manual_score is None:
                        ungraded[key] = ungraded.get(key, 0) + 1
            rows[sub.student.id] = row
    students = list(rows)
    matrix = np.array([[rows[s].get(i, 0.0) for i in items] for s in students], dtype=float).reshape(
        len(students), len(items))
    return students, items, np.array([maxes[i] for i in items]), matrix, [ungraded.get(i, 0) for i in items]


def write_report(course, assignment: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    students, items, maxes, matrix, ungraded = gradebook_matrix(course, assignment)
    stats = analyse(matrix, maxes, items, ungraded)
    folder = Path(course.root) / "reports" / assignment / "item-analysis"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "items.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["item", "max_score", "n", "mean", "difficulty", "discrimination_upper_lower_27",
                    "point_biserial_corrected", "ungraded", "flag"])
        for s in stats:
            w.writerow([s.item, f"{s.max_score:g}", s.n, f"{s.mean:.3f}", f"{s.difficulty:.3f}",
                        f"{s.discrimination:.3f}", "" if math.isnan(s.point_biserial) else f"{s.point_biserial:.3f}",
                        s.ungraded, s.flag])
    totals = matrix.sum(axis=1) if len(students) else np.zeros(0)
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", *items, "total", "max_total"])
        for i, s in enumerate(students):
            w.writerow([s, *[f"{x:g}" for x in matrix[i]], f"{totals[i]:g}", f"{maxes.sum():g}"])

    from course.plotting import PALETTE

    colours = list(PALETTE.values()) if isinstance(PALETTE, dict) else list(PALETTE)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    x = np.arange(len(items))
    axes[0].bar(x, [s.difficulty for s in stats], color=colours[2 % len(colours)])
    axes[0].axhline(0.2, color="grey", ls=":")
    axes[0].axhline(0.95, color="grey", ls=":")
    axes[0].set(title="Difficulty (share of marks obtained)", ylim=(0, 1.05), xticks=x)
    axes[0].set_xticklabels(items, rotation=45, ha="right")
    axes[1].bar(x, [s.discrimination for s in stats], color=colours[1 % len(colours)])
    axes[1].axhline(0.2, color="grey", ls=":")
    axes[1].axhline(0, color="black", lw=0.8)
    axes[1].set(title="Discrimination (upper − lower 27%)", ylim=(-1, 1), xticks=x)
    axes[1].set_xticklabels(items, rotation=45, ha="right")
    fig.suptitle(f"{assignment}: item analysis ({len(students)} students)")
    fig.tight_layout()
    fig.savefig(folder / "items.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.6))
    top = float(maxes.sum()) if len(maxes) else 1.0
    ax.hist(totals, bins=np.linspace(0, top, min(int(top), 20) + 1) if top >= 1 else 10,
            color=colours[3 % len(colours)], edgecolor="white")
    ax.set(title=f"{assignment}: total scores", xlabel=f"score (max {top:g})", ylabel="students")
    fig.tight_layout()
    fig.savefig(folder / "histogram.png", dpi=110)
    plt.close(fig)
    return folder
