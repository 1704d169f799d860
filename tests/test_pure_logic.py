"""Pure clinical logic and teaching models import neither ipywidgets nor matplotlib.

Each module is imported in a fresh interpreter, which then reports whether either library was loaded.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

PURE = [
    "course.emergency",
    "course.presentation",     # triage, localise, the two segment rules (modules 03, 08)
    "course.anatomy_model",    # levels, neural content, compression syndromes, epidemiology tables (module 01)
    "course.venous",           # the venous-pressure teaching model (module 02)
    "course.imaging.phantom",  # the imaging phantom and its ESCC reading (module 04)
    "course.prognosis_scores", # new Katagiri, NESMS, Rades 2-month score (module 05a)
    "course.survival_cohort",  # the synthetic cohort, c, calibration, decision curves (module 05a)
    "course.isncsci",          # the ISNCSCI 2019 classification, presets, per-student worksheets (module 03b)
    "course.neuro_exam",       # the examination tables of module 03b
    "course.vocabulary",       # closed vocabularies of primary sites and histologies (calculators)
    "course.calculators",      # the scores (modules 05, 05a, 08)
    "course.scoring",          # NOMS path, intermediate-histology convention, breakdowns (module 05)
    "course.treatment",        # steroid schedules and safety, fractionation by prognosis, surgery (module 06)
    "course.complications",    # calcium, complications, hypercalcaemia treatment, rehabilitation plan (module 07)
    "course.cases",            # the capstone solver (module 08)
    "course.case_decisions",   # the capstone decision path, branching (module 08)
]


def _loaded(module: str) -> list[str]:
    code = (f"import sys; import {module}; "
            "print(','.join(m for m in ('ipywidgets', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return [m for m in done.stdout.strip().split(",") if m]


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_widgets_or_plotting(module):
    assert _loaded(module) == []


def test_the_check_can_fail():
    """An interactive module does load them, so the check above would catch a stray import."""
    assert set(_loaded("course.emergency_apps")) == {"ipywidgets", "matplotlib"}
    assert set(_loaded("course.presentation_apps")) == {"ipywidgets", "matplotlib"}
