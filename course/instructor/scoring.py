"""Score one graded item from its spec (data) and the student's recorded values — in the grader.

Item kinds (declared by ``grading/tools/nbbuild.py``, read from the hidden region of each test
cell): ``single``, ``multiple`` (all or nothing), ``numeric`` (with a tolerance), ``case`` (numeric,
on the student's own patient: the expected value is computed here from the secret and the student
id of the collected path), ``key_feature`` (partial credit), ``script_concordance`` (aggregate
panel scoring) and ``code`` (the checks run here; the student's functions are called in a sandbox
through :mod:`course.instructor.coderun`). ``written`` items are graded by hand.

The rules reproduce the old in-kernel hidden tests exactly for honest answers (a letter is
stripped and upper-cased, a set of letters may be any collection of letters, a number may be a
numeric string), so that scores did not change when grading moved out of the kernel.
"""

from __future__ import annotations

import builtins
import math
from dataclasses import dataclass
from typing import Any, Callable

from course.instructor.plaindata import Callable as CallableMarker
from course.instructor.plaindata import Missing, Opaque

KINDS = ("single", "multiple", "numeric", "case", "key_feature", "script_concordance", "code")


@dataclass
class Verdict:
    score: float
    max_score: float
    message: str


def _missing(name: str) -> str:
    return f"{name} was not defined when the notebook ran (no answer recorded)"


def _letter(value: Any, letters: str) -> str | None:
    if type(value) is not str:
        return None
    s = value.strip().upper()
    return s if len(s) == 1 and s in letters else None


def _letters(value: Any, letters: str) -> set[str] | None:
    if isinstance(value, Opaque) or not isinstance(value, (str, list, tuple, set, frozenset, dict)):
        return None
    chosen = {str(x).strip().upper() for x in value}
    return chosen if chosen and chosen <= set(letters) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if number == number else None


def _round(x: float) -> float:
    return round(x + 0.0, 6)


def score_single(spec: dict, values: dict) -> Verdict:
    name, points = spec["names"][0], float(spec["points"])
    v = values.get(name, Missing())
    if isinstance(v, Missing):
        return Verdict(0, points, _missing(name))
    letter = _letter(v, spec["letters"])
    if letter is None:
        return Verdict(0, points, f"{name} is not one letter out of {', '.join(spec['letters'])}")
    return Verdict(points, points, "Correct.") if letter == spec["answer"] else \
        Verdict(0, points, "Not the expected answer.")


def score_multiple(spec: dict, values: dict) -> Verdict:
    name, points = spec["names"][0], float(spec["points"])
    v = values.get(name, Missing())
    if isinstance(v, Missing):
        return Verdict(0, points, _missing(name))
    chosen = _letters(v, spec["letters"])
    if chosen is None:
        return Verdict(0, points, f"{name} is not a set of letters out of {', '.join(spec['letters'])}")
    if "".join(sorted(chosen)) == spec["answer"]:
        return Verdict(points, points, "Correct.")
    return Verdict(0, points, "Not the expected set of letters (all or nothing).")


def _numeric(name: str, v: Any, expected: float, tolerance: float, points: float) -> Verdict:
    if isinstance(v, Missing):
        return Verdict(0, points, _missing(name))
    number = _number(v)
    if number is None:
        return Verdict(0, points, f"{name} is not a number")
    if abs(number - expected) <= tolerance:
        return Verdict(points, points, "Correct (within the tolerance).")
    return Verdict(0, points, "Not within the tolerance of the expected value.")


def score_numeric(spec: dict, values: dict) -> Verdict:
    name = spec["names"][0]
    return _numeric(name, values.get(name, Missing()), float(spec["answer"]), float(spec["tolerance"]),
                    float(spec["points"]))


def expected_case(spec: dict, student: str, release_key: str) -> float:
    """The expected answer of a case item for ``student`` (needs the assignment's release key,
    which the grader derives from the secret)."""
    from course.instructor import variants

    patient = variants.draw(spec["spec"], key=release_key, assignment=spec["assignment"],
                            template=spec["template"], student=student)
    return float(eval(spec["expected"], {"__builtins__": builtins, "math": math}, {"_p": patient}))  # noqa: S307


def score_case(spec: dict, values: dict, *, student: str, release_key: str) -> Verdict:
    name = spec["names"][0]
    verdict = _numeric(name, values.get(name, Missing()), expected_case(spec, student, release_key),
                       float(spec["tolerance"]), float(spec["points"]))
    if verdict.score == 0 and "tolerance" in verdict.message:
        verdict.message = "Not the expected value for your patient (within the tolerance)."
    return verdict


def score_key_feature(spec: dict, values: dict) -> Verdict:
    points, features = float(spec["points"]), spec["features"]
    each = points / len(features)
    total, notes = 0.0, []
    for f in features:
        v = values.get(f["name"], Missing())
        if isinstance(v, Missing):
            notes.append(_missing(f["name"]))
            continue
        if f["multiple"]:
            chosen = _letters(v, f["letters"])
            if chosen is None:
                notes.append(f"{f['name']}: not a set of letters")
                continue
            if len(chosen) > f["max_choices"]:
                notes.append(f"{f['name']}: more than {f['max_choices']} chosen, no credit")
                continue
            total += each * len(chosen & set(f["answer"])) / len(f["answer"])
        else:
            letter = _letter(v, f["letters"])
            if letter is None:
                notes.append(f"{f['name']}: not one letter")
                continue
            total += each if letter == f["answer"] else 0.0
    total = _round(min(total, points))
    return Verdict(total, points, f"{total:g} of {points:g} points." + ("" if not notes else " " + "; ".join(notes)))


def score_script_concordance(spec: dict, values: dict) -> Verdict:
    points, judgements = float(spec["points"]), spec["judgements"]
    each = points / len(judgements)
    total, notes = 0.0, []
    for j in judgements:
        v = values.get(j["name"], Missing())
        if isinstance(v, Missing):
            notes.append(_missing(j["name"]))
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or not -2 <= v <= 2:
            notes.append(f"{j['name']}: not a whole number from -2 to 2")
            continue
        panel = {int(k): int(n) for k, n in j["panel"].items()}
        total += each * panel.get(int(v), 0) / max(panel.values())
    total = _round(min(total, points))
    return Verdict(total, points, f"{total:g} of {points:g} points (panel scoring)."
                   + ("" if not notes else " " + "; ".join(notes)))


class TrustedVariants:
    """``variants`` as the checks see it: ``grading_case`` draws the patient of the collected
    path's student with the grader's key (the checks may not pass another id)."""

    def __init__(self, student: str, release_key: Callable[[], str]) -> None:
        self._student, self._release_key = student, release_key

    def grading_case(self, template_spec, *, assignment: str, template: str, student: str | None = None):
        from course.instructor import variants

        return variants.draw(template_spec, key=self._release_key(assignment), assignment=assignment,
                             template=template, student=self._student)

    def __getattr__(self, name: str) -> Any:
        from course.instructor import variants

        if name in ("draw", "Patient", "student_from_path"):
            return getattr(variants, name)
        raise AttributeError(f"variants.{name} is not available to the grader's checks")


def score_code(spec: dict, values: dict, proxy: Callable[[str], Any], *, student: str = "",
               release_key: Callable[[str], str] | None = None) -> Verdict:
    """Run the item's checks here, on the recorded values; ``proxy(name)`` stands for a function."""
    import importlib

    from course import calculators

    points = float(spec["points"])
    ns: dict[str, Any] = {"__builtins__": builtins, "calculators": calculators, "math": math,
                          "variants": TrustedVariants(student, release_key or (lambda a: ""))}
    for module in spec.get("modules", []):
        ns[module] = importlib.import_module(f"course.{module}")
    for name in spec["names"]:
        v = values.get(name, Missing())
        if isinstance(v, Missing):
            return Verdict(0, points, _missing(name))
        ns[name] = proxy(name) if isinstance(v, CallableMarker) else v
    code = spec.get("visible", "") + "\n" + spec.get("hidden", "")
    try:
        exec(compile(code, f"<checks of {spec['id']}>", "exec"), ns)  # noqa: S102 - instructor's checks
    except AssertionError:
        return Verdict(0, points, "Your answer did not pass the checks.")
    except Exception as err:  # noqa: BLE001
        from course.instructor.coderun import SandboxFailure, StudentCodeError

        if isinstance(err, SandboxFailure):
            return Verdict(0, points, f"Your code could not be run: {err}.")
        name = str(err) if isinstance(err, StudentCodeError) else type(err).__name__
        return Verdict(0, points, f"Your answer did not pass the checks ({name} raised).")
    return Verdict(points, points, "Correct: passed every check.")


def score(spec: dict, values: dict, *, student: str, release_key: Callable[[str], str],
          proxy: Callable[[str], Any]) -> Verdict:
    """``release_key(assignment)`` gives the key the grader derives from the secret."""
    kind = spec.get("kind")
    if kind == "single":
        return score_single(spec, values)
    if kind == "multiple":
        return score_multiple(spec, values)
    if kind == "numeric":
        return score_numeric(spec, values)
    if kind == "case":
        return score_case(spec, values, student=student, release_key=release_key(spec["assignment"]))
    if kind == "key_feature":
        return score_key_feature(spec, values)
    if kind == "script_concordance":
        return score_script_concordance(spec, values)
    if kind == "code":
        return score_code(spec, values, proxy, student=student, release_key=release_key)
    raise ValueError(f"unknown item kind {kind!r}; known: {', '.join(KINDS)}")
