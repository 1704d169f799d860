"""ISNCSCI classification: the published test exams, a differential test and bad input.

* Every published test exam of the ISNCSCI 2019 reference algorithm (Praxis Spinal Cord Institute)
  whose inputs the course's interface covers is classified and compared field by field with its
  published expected result — when ``ISNCSCI_SPECS`` points at ``specs/2019.json`` (not committed: the
  repository vendors no third-party files; see ``tests/data/isncsci/README.md``).
* A differential test classifies ≥ 300 random exams (with "NT" values) with the course and with the
  reference implementation (npm package ``isncsci``, run under node). It is skipped when node, npm or
  the package cannot be had locally, unless ``REQUIRE_NODE=1`` (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from course import calculators
from course.isncsci import KEY_MUSCLE_LEVELS, KEY_SENSORY_LEVELS, isncsci, normal_exam
from isncsci_support import (DATA, actual, covered, expected_from_case, expected_from_reference,
                                   load_test_exams, to_kwargs, to_praxis)

REFERENCE_VERSION = "2.0.6"
CASES = load_test_exams()
COVERED = [c for c in CASES if covered(c)]


def _need_published_exams() -> None:
    if CASES:
        return
    reason = ("the published ISNCSCI 2019 test exams are not in the repository (no third-party files are "
              "committed); set ISNCSCI_SPECS to specs/2019.json of github.com/praxis-isncsci/algorithm")
    if os.environ.get("REQUIRE_ISNCSCI_SPECS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def test_most_published_exams_fall_within_the_interface():
    _need_published_exams()
    assert len(CASES) == 128
    # the rest use "*" scores (impairment not due to the injury) or a lowest non-key muscle
    assert len(COVERED) == 89
    assert any("NT" in json.dumps(to_kwargs(c)) for c in COVERED)


@pytest.mark.parametrize("case", COVERED or [None], ids=lambda c: f"exam-{c['id']}" if c else "published-exams")
def test_published_exam(case):
    _need_published_exams()
    result = calculators.isncsci(**to_kwargs(case))
    expected = expected_from_case(case)
    got = actual(result)
    assert {k: got[k] for k in expected} == expected


def test_undetermined_totals_hold_every_possible_total():
    kw = normal_exam()
    kw["motor_right"]["C5"] = "NT"
    kw["light_touch_left"]["T4"] = "NT"
    r = isncsci(**kw)
    assert r.upper_extremity_motor_right == tuple(range(20, 26))
    assert r.motor_total == tuple(range(95, 101))
    assert r.light_touch_left == (54, 55, 56)
    assert r.pin_prick_left == 56
    assert r.ais == "E" or isinstance(r.ais, tuple)


def test_a_normal_exam_is_ais_e_with_intact_levels():
    r = isncsci(**normal_exam())
    assert (r.sensory_level_right, r.motor_level_left, r.neurological_level, r.ais) == ("INT", "INT", "INT", "E")
    assert r.complete is False and r.motor_zpp_right is None and r.sensory_zpp_left is None
    assert r.motor_total == 100 and r.light_touch_total == 112 and r.determined


def _t6_complete():
    kw = normal_exam()
    below = KEY_SENSORY_LEVELS[KEY_SENSORY_LEVELS.index("T7"):]
    for s in ("right", "left"):
        for p in below:
            kw[f"light_touch_{s}"][p] = 0
            kw[f"pin_prick_{s}"][p] = 0
        for m in ("L2", "L3", "L4", "L5", "S1"):
            kw[f"motor_{s}"][m] = 0
    kw["voluntary_anal_contraction"] = False
    kw["deep_anal_pressure"] = False
    return kw


def test_t6_complete_injury():
    r = isncsci(**_t6_complete())
    assert (r.sensory_level_right, r.sensory_level_left) == ("T6", "T6")
    assert (r.motor_level_right, r.motor_level_left, r.neurological_level) == ("T6", "T6", "T6")
    assert r.complete is True and r.ais == "A"
    assert r.sensory_zpp_right == "T6" and r.motor_zpp_left == "T6"
    assert any("complete" in line for line in r.explanation)


def test_sacral_sensation_makes_it_b_and_distal_motor_makes_it_c_or_d():
    kw = _t6_complete()
    kw["deep_anal_pressure"] = True
    assert isncsci(**kw).ais == "B"
    kw["motor_left"]["L2"] = 1          # motor function more than three levels below T6
    assert isncsci(**kw).ais == "C"
    for m in ("L2", "L3", "L4", "L5", "S1"):
        kw["motor_left"][m] = 3
        kw["motor_right"][m] = 3 if m in ("L2", "L3") else 0
    assert isncsci(**kw).ais == "D"     # 7 of 10 key muscles below T6 graded ≥ 3
    kw["voluntary_anal_contraction"] = "NT"
    assert isinstance(isncsci(**kw).ais, str)


def test_nt_at_the_sacral_items_leaves_completeness_open():
    kw = _t6_complete()
    kw["deep_anal_pressure"] = "NT"
    r = isncsci(**kw)
    assert r.complete == (True, False)
    assert r.ais == ("A", "B")
    assert not r.determined


def test_result_is_frozen_and_has_the_contract_fields():
    r = isncsci(**normal_exam())
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.ais = "A"  # type: ignore[misc]
    names = {f.name for f in dataclasses.fields(r)}
    assert {"sensory_level_right", "sensory_level_left", "motor_level_right", "motor_level_left",
            "neurological_level", "complete", "ais", "sensory_zpp_right", "sensory_zpp_left",
            "motor_zpp_right", "motor_zpp_left"} <= names


@pytest.mark.parametrize("change, field", [
    (lambda kw: kw["motor_right"].pop("C5"), "motor_right"),
    (lambda kw: kw["light_touch_left"].pop("S4-5"), "light_touch_left"),
    (lambda kw: kw["motor_left"].__setitem__("C4", 5), "motor_left"),
    (lambda kw: kw["pin_prick_right"].__setitem__("S4_5", 2), "pin_prick_right"),
    (lambda kw: kw["motor_right"].__setitem__("C6", 6), "motor_right"),
    (lambda kw: kw["motor_right"].__setitem__("C6", -1), "motor_right"),
    (lambda kw: kw["motor_right"].__setitem__("C6", "4"), "motor_right"),
    (lambda kw: kw["motor_right"].__setitem__("C6", True), "motor_right"),
    (lambda kw: kw["motor_right"].__setitem__("C6", "0*"), "motor_right"),
    (lambda kw: kw["light_touch_right"].__setitem__("T4", 3), "light_touch_right"),
    (lambda kw: kw["light_touch_right"].__setitem__("T4", "nt"), "light_touch_right"),
    (lambda kw: kw.__setitem__("voluntary_anal_contraction", "yes"), "voluntary_anal_contraction"),
    (lambda kw: kw.__setitem__("deep_anal_pressure", 1), "deep_anal_pressure"),
    (lambda kw: kw.__setitem__("pin_prick_left", [2] * 28), "pin_prick_left"),
])
def test_impossible_input_is_refused_with_the_field_named(change, field):
    kw = normal_exam()
    change(kw)
    with pytest.raises(ValueError, match=field):
        isncsci(**kw)


def test_missing_or_unknown_argument_is_refused():
    kw = normal_exam()
    del kw["deep_anal_pressure"]
    with pytest.raises(TypeError):
        isncsci(**kw)
    with pytest.raises(TypeError):
        isncsci(**normal_exam(), lowest_non_key_muscle="C8")


def test_the_logic_is_pure():
    tree = ast.parse((Path(__file__).parents[1] / "course" / "isncsci.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"ipywidgets", "matplotlib", "IPython"}


# ---------------------------------------------------------------------------------------------------
# Differential test against the reference implementation


def _random_exam(rng: random.Random) -> dict:
    """A random exam shaped like real injuries: normal above a level, patchy below, NT sprinkled in."""
    nt_rate = rng.choice([0.0, 0.03, 0.1, 0.3])
    kw = normal_exam()
    for s in ("right", "left"):
        cut = rng.randrange(len(KEY_SENSORY_LEVELS) + 1)
        for kind in ("light_touch", "pin_prick"):
            for i, p in enumerate(KEY_SENSORY_LEVELS):
                v = 2 if i < cut + rng.choice([-1, 0, 0, 1]) else rng.choice([0, 0, 1, 2])
                kw[f"{kind}_{s}"][p] = "NT" if rng.random() < nt_rate else v
        mcut = rng.randrange(len(KEY_MUSCLE_LEVELS) + 1)
        for i, m in enumerate(KEY_MUSCLE_LEVELS):
            v = 5 if i < mcut else rng.choice([0, 0, 1, 2, 3, 4, 5])
            kw[f"motor_{s}"][m] = "NT" if rng.random() < nt_rate else v
    kw["voluntary_anal_contraction"] = rng.choice([True, False, False, "NT"])
    kw["deep_anal_pressure"] = rng.choice([True, False, False, "NT"])
    return kw


def _uniform_exam(rng: random.Random) -> dict:
    kw = normal_exam()
    for s in ("right", "left"):
        for kind in ("light_touch", "pin_prick"):
            kw[f"{kind}_{s}"] = {p: rng.choice([0, 1, 2, 2, 2, "NT"]) for p in KEY_SENSORY_LEVELS}
        kw[f"motor_{s}"] = {m: rng.choice([0, 1, 2, 3, 4, 5, 5, 5, "NT"]) for m in KEY_MUSCLE_LEVELS}
    kw["voluntary_anal_contraction"] = rng.choice([True, False, "NT"])
    kw["deep_anal_pressure"] = rng.choice([True, False, "NT"])
    return kw


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_NODE") == "1":
        pytest.fail(f"REQUIRE_NODE=1 but the reference implementation is unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def reference_node_modules() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are needed for the differential test against the reference implementation")
    cache = Path(os.environ.get("ISNCSCI_NPM_CACHE",
                                Path.home() / ".cache" / "spinal-course" / f"isncsci-{REFERENCE_VERSION}"))
    modules = cache / "node_modules"
    package_json = modules / "isncsci" / "package.json"
    if not package_json.exists():
        cache.mkdir(parents=True, exist_ok=True)
        try:
            proc = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(cache),
                                   f"isncsci@{REFERENCE_VERSION}"], capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            _unavailable("npm install isncsci timed out")
        if proc.returncode != 0 or not package_json.exists():
            _unavailable(f"npm install isncsci@{REFERENCE_VERSION} failed: {proc.stderr.strip()[-300:]}")
    assert json.loads(package_json.read_text())["version"] == REFERENCE_VERSION
    return modules


def _reference(modules: Path, exams: list[dict]) -> list[dict]:
    proc = subprocess.run(["node", str(DATA / "run_reference.js"), str(modules)],
                          input=json.dumps([to_praxis(kw) for kw in exams]),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def test_reference_runner_classifies_a_t6_complete_injury(reference_node_modules):
    """The runner works: the reference says what the textbook says of a T6 complete injury."""
    kw = normal_exam()
    below = KEY_SENSORY_LEVELS[KEY_SENSORY_LEVELS.index("T7"):]
    for side in ("right", "left"):
        for lvl in below:
            kw[f"light_touch_{side}"][lvl] = 0
            kw[f"pin_prick_{side}"][lvl] = 0
        for m in ("L2", "L3", "L4", "L5", "S1"):
            kw[f"motor_{side}"][m] = 0
    kw["voluntary_anal_contraction"] = False
    kw["deep_anal_pressure"] = False
    [ref] = _reference(reference_node_modules, [kw])
    got = expected_from_reference(ref)
    assert got["ais"] == "A" and got["neurological_level"] == "T6"
    assert got == {k: actual(isncsci(**kw))[k] for k in got}


@pytest.mark.parametrize("kind", ["injury-shaped", "uniform"])
def test_differential_against_the_reference_implementation(reference_node_modules, kind):
    rng = random.Random(20191 if kind == "injury-shaped" else 20192)
    make = _random_exam if kind == "injury-shaped" else _uniform_exam
    exams = [make(rng) for _ in range(400)]
    assert sum("NT" in json.dumps(kw) for kw in exams) >= 150
    refs = _reference(reference_node_modules, exams)
    mismatches = []
    for i, (kw, ref) in enumerate(zip(exams, refs)):
        got, want = actual(isncsci(**kw)), expected_from_reference(ref)
        if got != want:
            mismatches.append((i, {k: (got[k], want[k]) for k in want if got[k] != want[k]}))
    assert not mismatches, f"{len(mismatches)} of {len(exams)} differ, first: {mismatches[:3]}"


# ---------------------------------------------------------------------------------------------------
# The per-student worksheets of the graded assignment a03b_examination


def test_every_graded_worksheet_has_one_answer_and_the_grades_vary():
    import itertools

    from course.isncsci import WORKSHEET_SPEC, worksheet_exam, worksheet_text

    grades, levels = set(), set()
    for combo in itertools.product(*WORKSHEET_SPEC.values()):
        params = dict(zip(WORKSHEET_SPEC, combo))
        exam = worksheet_exam(**params)
        r = isncsci(**exam)
        assert isinstance(r.ais, str) and isinstance(r.neurological_level, str), params
        assert isinstance(r.lower_extremity_motor_total, int)
        assert r.neurological_level == params["level"]      # the right side is the more rostral
        grades.add(r.ais)
        levels.add(r.neurological_level)
        assert "NT" not in worksheet_text(exam)
    assert grades == {"A", "B", "C", "D"} and len(levels) == len(WORKSHEET_SPEC["level"])


def test_worksheet_parameters_are_checked():
    from course.isncsci import worksheet_exam

    with pytest.raises(ValueError, match="level"):
        worksheet_exam(level="T13", left_lower_by=0, sacral="none", distal_power=0)
    with pytest.raises(ValueError, match="sacral"):
        worksheet_exam(level="T6", left_lower_by=0, sacral="some", distal_power=0)
