"""Sourced course data: loading, citations, and the facts the notebooks rely on."""

from __future__ import annotations

import pytest

from course import datasets, references


def test_every_source_key_resolves():
    pairs = datasets.check_sources()
    assert len(pairs) > 30


def test_every_dataset_record_is_sourced():
    for kind in ("primary", "regional"):
        for ds in datasets.distribution(kind):
            assert ds["source"], ds["id"]
            assert all(v > 0 for v in ds["values"].values())


def test_levels_count_and_sins_classes():
    lv = datasets.levels()
    assert [x.name for x in lv][:3] == ["Oc", "C1", "C2"]
    assert len(lv) == 1 + 33  # occiput + 33 vertebrae
    spine = datasets.load("spine")
    assert sum(r["count"] for r in spine["regions"]) == spine["totals"]["vertebrae"] == 33
    assert sum(r["spinal_nerve_pairs"] for r in spine["regions"]) == spine["totals"]["spinal_nerve_pairs"] == 31
    expected = {"Oc": 3, "C2": 3, "C3": 2, "C6": 2, "C7": 3, "T2": 3, "T3": 1, "T10": 1, "T11": 3, "L1": 3,
                "L2": 2, "L4": 2, "L5": 3, "S1": 3, "S2": 0, "S5": 0}
    for name, points in expected.items():
        assert datasets.level(name).sins_points == points, name
    assert datasets.level("co1").sins_location is None


def test_level_lookup_errors():
    with pytest.raises(ValueError, match="level.*accepted"):
        datasets.level("T13")


def test_region_notes_cover_every_level():
    for lv in datasets.levels():
        assert datasets.region_note(lv.name)
    assert "junction" in datasets.region_note("T12")
    assert "cauda equina" in datasets.region_note("L3")


def test_primary_distribution_sources_disagree():
    by_id = {d["id"]: d["values"] for d in datasets.distribution("primary")}
    assert by_id["source_document"]["lung"] == 31 and by_id["source_document"]["breast"] == 24
    assert by_id["statpearls"]["breast"] > by_id["statpearls"]["lung"]
    assert by_id["wang2019"]["lung"] == 36.5
    with pytest.raises(ValueError, match="kind"):
        datasets.distribution("hepatic")


def test_radiosensitivity_lists_disagree_and_agree():
    assert datasets.radiosensitivity("nsclc", "noms") == "radioresistant"
    assert datasets.radiosensitivity("nsclc", "ao") == "intermediate"
    assert datasets.radiosensitivity("breast", "ao") == "intermediate"
    agreed = datasets.load("radiosensitivity")["agreed"]
    for name in datasets.radiosensitivity_lists():
        for h in agreed["radiosensitive"]:
            assert datasets.radiosensitivity(h, name) == "radiosensitive"
        for h in agreed["radioresistant"]:
            assert datasets.radiosensitivity(h, name) == "radioresistant"
    with pytest.raises(ValueError, match="list_name"):
        datasets.radiosensitivity("breast", "who")


def test_sc24_is_a_trial_stratum_not_a_radiosensitivity_list():
    """M1: SC.24's randomisation strata are not offered as the O of NOMS (it excluded compression)."""
    assert set(datasets.radiosensitivity_lists()) == {"noms", "ao"}
    with pytest.raises(ValueError, match="list_name"):
        datasets.radiosensitivity("nsclc", "sc24")
    sc24 = datasets.trial_strata()["sc24"]
    assert "not a radiosensitivity list" in sc24["label"] and "excluded" in sc24["note"]
    with pytest.raises(ValueError, match="histology"):
        datasets.radiosensitivity("unicorn", "noms")


def test_neuro_tables():
    derm = {d["level"]: d["landmark"] for d in datasets.dermatomes()}
    assert "umbilicus" in derm["T10"] and "middle finger" in derm["C7"]
    myo = {m["level"]: m["muscle"] for m in datasets.myotomes()}
    assert len(myo) == 10 and "plantar" in myo["S1"]
    refl = {r["name"]: r for r in datasets.reflexes()}
    assert refl["patellar"]["roots"] == ["L3", "L4"] and "L2" in refl["patellar"]["alternative"]


def test_unknown_data_file():
    with pytest.raises(ValueError, match="name.*accepted"):
        datasets.load("nonexistent")


def test_references_and_bibliography():
    assert references.cite("batson1940").confidence == "V2"
    md = references.bibliography(["batson1940", "okabe_ito", "batson1940"])
    assert md.count("\n") == 1 and md.startswith("- **Batson, 1940.**")
    with pytest.raises(ValueError, match="key"):
        references.cite("nobody2099")
