"""Property tests of the triage decision table (C1, M8 of the clinical review 2026-12)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from course import presentation as P

# Written without the new module constants so that the first property also runs (and fails) on the table as it
# stood before the correction (checked: main's table gave 16 mg for ['spinal_pain', 'radicular_pain']).
_NON_CANCER = sorted(set(P.features()) - {"cancer_history", "suspected_cancer", "lymphoma_suspected"})
_ALL = sorted(P.features())


@settings(max_examples=300, deadline=None)
@given(st.sets(st.sampled_from(_NON_CANCER)))
def test_a_patient_without_cancer_is_never_given_dexamethasone(present):
    r = P.triage(present)
    assert "16 mg" not in r.steroids, (sorted(present), r.rule_id)
    assert not getattr(r, "dexamethasone") and getattr(r, "pathway") != "mscc"


@settings(max_examples=300, deadline=None)
@given(st.sets(st.sampled_from(_ALL)))
def test_dexamethasone_only_with_cancer_and_neurology_and_never_before_a_lymphoma_biopsy(present):
    r = P.triage(present)
    if r.dexamethasone:
        assert present & {"cancer_history", "suspected_cancer"}
        assert present & set(P.NEURO_FEATURES)
        assert "lymphoma_suspected" not in present


@settings(max_examples=300, deadline=None)
@given(st.sets(st.sampled_from(_ALL)))
def test_neurology_with_cancer_is_always_the_24_hour_mscc_row(present):
    r = P.triage(present)
    if present & set(P.CANCER_FEATURES) and present & set(P.NEURO_FEATURES):
        assert r.category == "emergency" and "24 hours" in r.mri and "immediately" in r.coordinator
