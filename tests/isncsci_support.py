"""Shared helpers for the ISNCSCI tests: the Praxis exam format ↔ the course's interface."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from course.isncsci import KEY_MUSCLE_LEVELS, KEY_SENSORY_LEVELS

DATA = Path(__file__).parent / "data" / "isncsci"
#: The published test exams (``specs/2019.json`` of github.com/praxis-isncsci/algorithm) are not committed:
#: the repository vendors no third-party files. Point ISNCSCI_SPECS at a copy to run them.
TEST_EXAMS = Path(os.environ["ISNCSCI_SPECS"]) if os.environ.get("ISNCSCI_SPECS") else None

_YES_NO = {"Yes": True, "No": False, "NT": "NT"}


def _key(level: str) -> str:
    return level.lower().replace("-", "_")


def _score(value: str) -> Any:
    return "NT" if value == "NT" else int(value)


def load_test_exams() -> list[dict]:
    if TEST_EXAMS is None or not TEST_EXAMS.is_file():
        return []
    return json.loads(TEST_EXAMS.read_text(encoding="utf-8"))


def covered(case: dict) -> bool:
    """True when every input of the published case is expressible in the course's interface."""
    if "rightLowestNonKeyMuscleWithMotorFunction" in case or "leftLowestNonKeyMuscleWithMotorFunction" in case:
        return False
    for level in KEY_SENSORY_LEVELS:
        for side in ("Right", "Left"):
            for kind in ("Touch", "Prick"):
                if case[f"{_key(level)}{side}{kind}"] not in ("0", "1", "2", "NT"):
                    return False
    for level in KEY_MUSCLE_LEVELS:
        for side in ("Right", "Left"):
            if case[f"{_key(level)}{side}Motor"] not in ("0", "1", "2", "3", "4", "5", "NT"):
                return False
    return case["analContraction"] in _YES_NO and case["analSensation"] in _YES_NO


def to_kwargs(case: dict) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    for side in ("Right", "Left"):
        s = side.lower()
        kw[f"motor_{s}"] = {m: _score(case[f"{_key(m)}{side}Motor"]) for m in KEY_MUSCLE_LEVELS}
        kw[f"light_touch_{s}"] = {p: _score(case[f"{_key(p)}{side}Touch"]) for p in KEY_SENSORY_LEVELS}
        kw[f"pin_prick_{s}"] = {p: _score(case[f"{_key(p)}{side}Prick"]) for p in KEY_SENSORY_LEVELS}
    kw["voluntary_anal_contraction"] = _YES_NO[case["analContraction"]]
    kw["deep_anal_pressure"] = _YES_NO[case["analSensation"]]
    return kw


def to_praxis(kw: dict[str, Any]) -> dict:
    """The course's keyword arguments as the reference implementation's ``Exam`` object."""
    def v(x: Any) -> str:
        return "NT" if x == "NT" else str(x)

    def b(x: Any) -> str:
        return "NT" if x == "NT" else ("Yes" if x else "No")

    exam: dict[str, Any] = {}
    for s in ("right", "left"):
        exam[s] = {
            "motor": {m: v(kw[f"motor_{s}"][m]) for m in KEY_MUSCLE_LEVELS},
            "lightTouch": {p.replace("-", "_"): v(kw[f"light_touch_{s}"][p]) for p in KEY_SENSORY_LEVELS},
            "pinPrick": {p.replace("-", "_"): v(kw[f"pin_prick_{s}"][p]) for p in KEY_SENSORY_LEVELS},
        }
    exam["voluntaryAnalContraction"] = b(kw["voluntary_anal_contraction"])
    exam["deepAnalPressure"] = b(kw["deep_anal_pressure"])
    return exam


def _levels(text: str) -> Any:
    vals = [None if t == "NA" else t.replace("S4_5", "S4-5") for t in text.split(",")]
    return vals[0] if len(vals) == 1 else tuple(vals)


def _total(text: str) -> Any:
    return None if text == "ND" else int(text)


#: course field → (Praxis expected-total key in the test file, Praxis result path, parser)
CLASSIFICATION_FIELDS = {
    "sensory_level_right": ("rightSensory", ("neurologicalLevels", "sensoryRight"), _levels),
    "sensory_level_left": ("leftSensory", ("neurologicalLevels", "sensoryLeft"), _levels),
    "motor_level_right": ("rightMotor", ("neurologicalLevels", "motorRight"), _levels),
    "motor_level_left": ("leftMotor", ("neurologicalLevels", "motorLeft"), _levels),
    "neurological_level": ("neurologicalLevelOfInjury", ("neurologicalLevelOfInjury",), _levels),
    "ais": ("asiaImpairmentScale", ("ASIAImpairmentScale",), _levels),
    "complete": ("injuryComplete", ("injuryComplete",),
                 lambda t: _levels(t.replace("C", "True").replace("I", "False"))),
    "sensory_zpp_right": ("rightSensoryZpp", ("zoneOfPartialPreservations", "sensoryRight"), _levels),
    "sensory_zpp_left": ("leftSensoryZpp", ("zoneOfPartialPreservations", "sensoryLeft"), _levels),
    "motor_zpp_right": ("rightMotorZpp", ("zoneOfPartialPreservations", "motorRight"), _levels),
    "motor_zpp_left": ("leftMotorZpp", ("zoneOfPartialPreservations", "motorLeft"), _levels),
}
TOTAL_FIELDS = {
    "upper_extremity_motor_right": ("rightUpperMotorTotal", ("right", "upperExtremity")),
    "upper_extremity_motor_left": ("leftUpperMotorTotal", ("left", "upperExtremity")),
    "lower_extremity_motor_right": ("rightLowerMotorTotal", ("right", "lowerExtremity")),
    "lower_extremity_motor_left": ("leftLowerMotorTotal", ("left", "lowerExtremity")),
    "motor_total_right": ("rightMotorTotal", ("right", "motor")),
    "motor_total_left": ("leftMotorTotal", ("left", "motor")),
    "light_touch_right": ("rightTouchTotal", ("right", "lightTouch")),
    "light_touch_left": ("leftTouchTotal", ("left", "lightTouch")),
    "pin_prick_right": ("rightPrickTotal", ("right", "pinPrick")),
    "pin_prick_left": ("leftPrickTotal", ("left", "pinPrick")),
    "upper_extremity_motor_total": ("upperMotorTotal", ("upperExtremity",)),
    "lower_extremity_motor_total": ("lowerMotorTotal", ("lowerExtremity",)),
    "light_touch_total": ("touchTotal", ("lightTouch",)),
    "pin_prick_total": ("prickTotal", ("pinPrick",)),
}


def parse_complete(text: str) -> Any:
    vals = [{"C": True, "I": False}[t] for t in text.split(",")]
    return vals[0] if len(vals) == 1 else tuple(vals)


def expected_from_case(case: dict) -> dict[str, Any]:
    exp = case["totals"]
    out = {}
    for name, (key, _path, parse) in CLASSIFICATION_FIELDS.items():
        out[name] = parse_complete(exp[key]) if name == "complete" else parse(exp[key])
    for name, (key, _path) in TOTAL_FIELDS.items():
        out[name] = _total(exp[key])
    return out


def expected_from_reference(result: dict) -> dict[str, Any]:
    cls, tot = result["classification"], result["totals"]
    out = {}
    for name, (_key, path, parse) in CLASSIFICATION_FIELDS.items():
        v = cls
        for p in path:
            v = v[p]
        out[name] = parse_complete(v) if name == "complete" else parse(v)
    for name, (_key, path) in TOTAL_FIELDS.items():
        v = tot
        for p in path:
            v = v[p]
        out[name] = _total(v)
    return out


def actual(result: Any) -> dict[str, Any]:
    """The course result in the comparable form: an undetermined total (a tuple) becomes None ("ND")."""
    out = {}
    for name in CLASSIFICATION_FIELDS:
        out[name] = getattr(result, name)
    for name in TOTAL_FIELDS:
        v = getattr(result, name)
        out[name] = None if isinstance(v, tuple) else v
    return out
