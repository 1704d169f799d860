"""The citation renderer (author–year) and the map from internal codes to human labels."""

from __future__ import annotations

import re

import pytest

from course import calculators as C
from course import datasets
from course.labels import kinds, label, labels, options
from course.references import (CONFIDENCE, CONFIDENCE_FOR_STUDENTS, author_year, bibliography,
                               bibliography_entries, cite_text, references, sources_line)


def test_author_year_examples():
    assert author_year("fisher2010_sins") == "Fisher et al., 2010"
    assert author_year("nice_ng234") in ("NICE, 2023", "NICE, 2023a")
    assert author_year("bauer1995") == "Bauer and Wedin, 1995"
    assert author_year("medscape_tse") == "Medscape (Tse), n.d."
    assert cite_text(["fisher2010_sins", "nice_cg75", "fisher2010_sins"]) == "(Fisher et al., 2010; NICE, 2008)"
    assert sources_line(["grays_anatomy"]) == "Source: Standring, 2020."
    assert sources_line([]) == ""


def test_unknown_key_is_refused():
    with pytest.raises(ValueError, match="unknown reference 'nope'"):
        author_year("nope")


def test_every_entry_has_authors_and_year_and_a_unique_label():
    refs = references()
    got = [author_year(k) for k in refs]
    assert len(set(got)) == len(got), "two references share one author–year label"
    for key, ref in refs.items():
        assert ref.authors and "_" not in ref.authors, key


def test_same_author_and_year_get_suffixes():
    from course.references import Reference, _make_labels

    refs = {k: Reference(k, "c", "V1", a, y) for k, a, y in
            [("b", "Smith", 2010), ("a", "Smith", 2010), ("c", "Smith", None), ("d", "Smith", None), ("e", "Jones", 2010)]}
    assert _make_labels(refs) == {"b": "Smith, 2010a", "a": "Smith, 2010b", "c": "Smith, n.d.-a",
                                  "d": "Smith, n.d.-b", "e": "Jones, 2010"}


def test_bibliography_is_alphabetical_author_year_without_keys():
    keys = ["nice_cg75", "bauer1995", "fisher2010_sins", "paget1889", "bauer1995"]
    text = bibliography(keys)
    lines = text.splitlines()
    assert len(lines) == 4
    assert [ln.split("**")[1] for ln in lines] == ["Bauer and Wedin, 1995.", "Fisher et al., 2010.",
                                                   "NICE, 2008.", "Paget, 1889."]
    for key in keys:
        assert key not in text
    assert "[V2]" not in text and "*[M]*" not in text
    assert CONFIDENCE_FOR_STUDENTS["M"] in text  # Paget is background knowledge
    assert set(CONFIDENCE_FOR_STUDENTS) == set(CONFIDENCE)
    assert bibliography_entries(["paget1889"])[0][2] == "background knowledge, not checked against the primary paper"


def test_student_facing_citations_do_not_mention_the_internal_reference():
    for key, ref in references().items():
        assert "clinical reference" not in ref.citation.lower() and "§" not in ref.citation, key


def test_label_examples_and_errors():
    assert label("noms_decision", "separation_surgery_then_SRS") == "Separation surgery, then stereotactic radiosurgery"
    assert label("sins_collapse", "gt50") == ">50% collapse"
    with pytest.raises(ValueError, match=r"sins_collapse: no label for 'gt60'; accepted codes: \['gt50'"):
        label("sins_collapse", "gt60")
    with pytest.raises(ValueError, match="kind: unknown label kind 'nope'; accepted"):
        label("nope", "x")
    assert options("sins_category")[1] == ("Potentially unstable", "potentially_unstable")


def test_labels_are_human():
    for kind in kinds():
        for code, text in labels(kind).items():
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), f"{kind}.{code}: label {text!r} looks like a code"


def test_every_calculator_vocabulary_has_labels():
    """A code added to the calculators or data without a label fails here, not in front of a student."""
    vocab = {
        "noms_decision": set(C.NOMS_DECISIONS) | {"individualized"},
        "noms_decision_short": set(C.NOMS_DECISIONS) | {"individualized"},
        "sins_component": set(C.SINS_TABLE),
        "sins_category": {b.label for b in C.SINS_BANDS},
        "tomita_component": set(C.TOMITA_TABLE),
        "tomita_goal": {b.label for b in C.TOMITA_BANDS},
        "tokuhashi_component": set(C.TOKUHASHI_TABLE),
        "prognosis": {b.label for b in C.TOKUHASHI_BANDS} | {b.label for b in C.BAUER_BANDS},
        "bauer_item": set(C.BAUER_ITEMS),
        "calcium_category": set(C.CALCIUM_CATEGORIES),
        "triage_rule": {r["id"] for r in datasets.load("presentation")["triage_rules"]},
        "triage_category": {r["category"] for r in datasets.load("presentation")["triage_rules"]},
        "radiosensitivity_list": set(datasets.load("radiosensitivity")["lists"]),
        "histology": set(datasets.load("radiosensitivity")["labels"]),
    }
    for component, values in C.SINS_TABLE.items():
        vocab[f"sins_{component}"] = set(values)
    for component, values in C.TOMITA_TABLE.items():
        vocab[f"tomita_{component}"] = set(values)
    for kind, codes in vocab.items():
        missing = codes - set(labels(kind))
        assert not missing, f"{kind}: no label for {sorted(missing)}"
