"""Spinal metastases: an interactive course for medical students.

The package holds everything the notebooks use: sourced data tables (:mod:`course.data`),
validated clinical scores (:mod:`course.calculators`), the self-check engine (:mod:`course.quiz`),
plotting helpers (:mod:`course.plotting`), the interactive-widget base class (:mod:`course.widgets`)
and one module per subject for models and widgets.

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

__version__ = "0.1.0"

NOTICE = (
    "Educational use only — not for clinical decisions. The scores, doses and figures in this course "
    "are teaching material drawn from published sources; they do not replace clinical judgement, local "
    "protocols or the primary literature."
)

__all__ = ["NOTICE", "__version__"]
