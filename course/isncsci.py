"""ISNCSCI 2019 classification of a spinal cord injury examination.

**Educational use only — not for clinical decisions.**

:func:`isncsci` follows the interface contract of the clinical reference (section 13) and the rules of
the International Standards for Neurological Classification of Spinal Cord Injury, 2019 revision
(Rupp et al., 2021), as summarised in the addendum (section E.2):

* **sensory level** (each side): the most caudal dermatome with normal (2) light touch *and* pin
  prick, all dermatomes above it being normal;
* **motor level** (each side): the lowest key muscle graded at least 3 whose key muscles above are
  all 5; in a region without key muscles (C1–C4, T2–L1, S2–S5) the motor level is read from the
  sensory findings;
* **neurological level of injury (NLI)**: the most rostral segment with normal sensation on both
  sides and antigravity (≥ 3) motor function with normal function above it — in practice the most
  rostral of the four levels;
* **complete** when there is no sacral sparing (no light touch or pin prick at S4-5, no deep anal
  pressure, no voluntary anal contraction);
* **AIS** A–E, with the full C/D definition (motor incomplete through voluntary anal contraction,
  or sacral sensory sparing *with* motor function more than three levels below the motor level on
  either side; then fewer than half, or at least half, of the key muscles below the NLI graded ≥ 3);
* **zones of partial preservation** (only meaningful without sacral sparing on that side);
* **totals** (upper and lower extremity motor scores, light touch and pin prick).

"NT" (not testable) is accepted for every score and for both anal items. A result that "NT" leaves
undetermined holds **every possible value as a tuple**, in rostral-to-caudal order (for example the
sensory level ``("C5", "C6")`` when C6 was not testable after a normal C5, or ``("A", "B")``), and a
total that cannot be summed holds the tuple of every total it could have. Where "NT" leaves several
possibilities, the rules for combining them are those of the ISNCSCI 2019 reference algorithm of the
Praxis Spinal Cord Institute (Praxis Spinal Cord Institute, 2015), against whose published test
exams and implementation this module is tested (``tests/test_isncsci.py``); the code is written for
this course and shares none of the reference's source.

The 2019 "*"-flagged scores (impairment not due to the spinal cord injury) and the optional lowest
non-key muscle are outside the course's interface and are not accepted.

The module imports neither ipywidgets nor matplotlib; :mod:`course.isncsci_apps` draws the worksheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Mapping, Union

__all__ = [
    "isncsci", "IsncsciResult", "SENSORY_LEVELS", "KEY_SENSORY_LEVELS", "KEY_MUSCLE_LEVELS",
    "UPPER_KEY_MUSCLES", "LOWER_KEY_MUSCLES", "NT", "SOURCE", "normal_exam", "explain",
    "PRESETS", "preset", "WORKSHEET_SPEC", "worksheet_exam", "worksheet_text",
]

NT: Final = "NT"
SOURCE: Final = ("Rupp et al. (2021), International Standards for Neurological Classification of Spinal "
                 "Cord Injury, revised 2019; rules for 'NT' from the Praxis ISNCSCI reference algorithm.")

#: Every segment from C1 to S4-5, rostral to caudal (C1 has no key point; it is the level "above" C2).
SENSORY_LEVELS: Final = (
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8",
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
    "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4-5",
)
#: The 28 key sensory points of each side (the keys of a sensory mapping).
KEY_SENSORY_LEVELS: Final = SENSORY_LEVELS[1:]
UPPER_KEY_MUSCLES: Final = ("C5", "C6", "C7", "C8", "T1")
LOWER_KEY_MUSCLES: Final = ("L2", "L3", "L4", "L5", "S1")
#: The ten key muscle levels of each side (the keys of a motor mapping).
KEY_MUSCLE_LEVELS: Final = UPPER_KEY_MUSCLES + LOWER_KEY_MUSCLES

_IDX: Final = {name: i for i, name in enumerate(SENSORY_LEVELS)}
_S45: Final = _IDX["S4-5"]
_MOTOR_IDX: Final = {name: i for i, name in enumerate(KEY_MUSCLE_LEVELS)}

Level = str
Possible = Union[Any, tuple]


# --------------------------------------------------------------------------------------------------
# Input validation


def _check_mapping(name: str, value: Any, keys: tuple[str, ...], top: int) -> dict[str, int | None]:
    accepted = f"integers 0–{top} or \"NT\""
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping from the levels {keys[0]}…{keys[-1]} to {accepted}; "
                         f"got {type(value).__name__}")
    unknown = [k for k in value if k not in keys]
    if unknown:
        hint = ""
        if any(str(k).upper().replace("_", "-").replace("S45", "S4-5") in keys for k in unknown):
            hint = " (levels are spelled like \"C5\", \"T12\", \"S4-5\")"
        raise ValueError(f"{name} has unknown level(s) {unknown!r}{hint}; accepted levels: {', '.join(keys)}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise ValueError(f"{name} is missing level(s) {', '.join(missing)}; every one of "
                         f"{keys[0]}…{keys[-1]} needs a score ({accepted})")
    out: dict[str, int | None] = {}
    for k in keys:
        v = value[k]
        if v == NT and isinstance(v, str):
            out[k] = None
        elif isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= top:
            raise ValueError(f"{name}[{k!r}] = {v!r} is not a valid score; accepted: {accepted}")
        else:
            out[k] = int(v)
    return out


def _check_binary(name: str, value: Any) -> bool | None:
    if value == NT and isinstance(value, str):
        return None
    if isinstance(value, bool):
        return value
    raise ValueError(f"{name} = {value!r} is not valid; accepted: True, False or \"NT\"")


# --------------------------------------------------------------------------------------------------
# One side of the examination


@dataclass(frozen=True)
class _Side:
    motor: dict[str, int | None]
    light_touch: dict[str, int | None]
    pin_prick: dict[str, int | None]

    def sensory(self, level: str) -> tuple[int | None, int | None]:
        return self.light_touch[level], self.pin_prick[level]

    def muscle(self, level: str) -> int | None:
        return self.motor[level]


def _sensory_step(side: _Side, level_index: int) -> tuple[bool, bool]:
    """Look at the segment below ``level_index``: (may go on down, this level is a candidate)."""
    lt, pp = side.sensory(SENSORY_LEVELS[level_index + 1])
    if lt == 2 and pp == 2:
        return True, False
    if lt in (0, 1) or pp in (0, 1):
        return False, True
    return True, True            # not testable: the level below may be normal or not


def _sensory_level(side: _Side) -> list[str]:
    levels: list[str] = []
    for i in range(_S45):
        go_on, candidate = _sensory_step(side, i)
        if candidate:
            levels.append(SENSORY_LEVELS[i])
        if not go_on:
            return levels
    return levels + ["INT"]


def _weak(m: int | None) -> bool:
    return m is not None and m < 3


def _key_muscle_step(m: int | None, below: int | None) -> tuple[bool, bool]:
    """A key muscle followed by the next key muscle: (may go on down, this level is a candidate)."""
    go_on = m in (5, None) and not _weak(below)
    candidate = m in (3, 4, None) or below is None or _weak(below)
    return go_on, candidate


def _before_key_muscles(first: int | None) -> tuple[bool, bool]:
    """C4 before C5, or L1 before L2."""
    return not _weak(first), first is None or _weak(first)


def _last_key_muscle(side: _Side, level: str, m: int | None) -> tuple[bool, bool]:
    """T1 or S1: the motor level may only pass on if sensation is normal through the block below."""
    first = _IDX["C4"] if level == "T1" else _IDX["L1"]
    sens_go_on, sens_candidate = True, False
    for i in range(first, first + 6):
        go_on, candidate = _sensory_step(side, i)
        sens_go_on &= go_on
        sens_candidate |= candidate
    go_on = m not in (3, 4) and sens_go_on
    candidate = m is None or not (m == 5 and sens_go_on and not sens_candidate)
    return go_on, candidate


def _motor_level(side: _Side, vac: bool | None) -> list[str]:
    levels: list[str] = []
    i = 0
    while True:
        level = SENSORY_LEVELS[i]
        if level == "S4-5":
            if vac is True:
                levels.append("INT")
            else:
                if "S3" not in levels:
                    levels.append("S3")
                if vac is None:
                    levels.append("INT")
            return levels
        if level in ("C4", "L1"):
            go_on, candidate = _before_key_muscles(side.muscle("C5" if level == "C4" else "L2"))
        elif level in ("T1", "S1"):
            go_on, candidate = _last_key_muscle(side, level, side.muscle(level))
        elif level in _MOTOR_IDX:
            go_on, candidate = _key_muscle_step(side.muscle(level),
                                                side.muscle(KEY_MUSCLE_LEVELS[_MOTOR_IDX[level] + 1]))
        else:
            go_on, candidate = _sensory_step(side, i)
        if candidate:
            levels.append(level)
        if not go_on:
            return levels
        i += 1


def _neurological_level(right: _Side, left: _Side) -> list[str]:
    levels: list[str] = []
    for i in range(_S45):
        level = SENSORY_LEVELS[i]
        r_go, r_cand = _sensory_step(right, i)
        l_go, l_cand = _sensory_step(left, i)
        go_on, candidate = r_go and l_go, r_cand or l_cand
        if go_on and (_IDX["C4"] <= i <= _IDX["T1"] or _IDX["L1"] <= i <= _IDX["S1"]):
            steps = []
            for side in (right, left):
                if level in ("C4", "L1"):
                    steps.append(_before_key_muscles(side.muscle("C5" if level == "C4" else "L2")))
                elif level in ("T1", "S1"):
                    m = side.muscle(level)
                    steps.append(_key_muscle_step(m, m))
                else:
                    steps.append(_key_muscle_step(side.muscle(level),
                                                  side.muscle(KEY_MUSCLE_LEVELS[_MOTOR_IDX[level] + 1])))
            go_on = all(s[0] for s in steps)
            candidate = candidate or any(s[1] for s in steps)
        elif _IDX["C4"] <= i <= _IDX["T1"] or _IDX["L1"] <= i <= _IDX["S1"]:
            # sensation stops here; motor findings still decide whether this level is a candidate
            for side in (right, left):
                if level in ("C4", "L1"):
                    candidate |= _before_key_muscles(side.muscle("C5" if level == "C4" else "L2"))[1]
                elif level in ("T1", "S1"):
                    m = side.muscle(level)
                    candidate |= _key_muscle_step(m, m)[1]
                else:
                    candidate |= _key_muscle_step(
                        side.muscle(level), side.muscle(KEY_MUSCLE_LEVELS[_MOTOR_IDX[level] + 1]))[1]
        if candidate:
            levels.append(level)
        if not go_on:
            return levels
    return levels + ["INT"]


# --------------------------------------------------------------------------------------------------
# Completeness and AIS


def _sacral_values(right: _Side, left: _Side) -> list[int | None]:
    return [*right.sensory("S4-5"), *left.sensory("S4-5")]


def _complete(right: _Side, left: _Side, vac: bool | None, dap: bool | None) -> list[bool]:
    s45 = _sacral_values(right, left)
    if vac is False and dap is False and all(v == 0 for v in s45):
        return [True]
    if vac is not True and dap is not True and all(v in (0, None) for v in s45):
        return [True, False]
    return [False]


def _first_muscle_more_than_three_below(level: str) -> int:
    """Index into KEY_MUSCLE_LEVELS of the first key muscle more than three segments below ``level``."""
    return _first_key_muscle_from(_S45 if level == "INT" else _IDX[level] + 4)


def _first_key_muscle_from(segment_index: int) -> int:
    if _IDX["C2"] <= segment_index <= _IDX["C4"]:
        return 0
    if _IDX["C5"] <= segment_index <= _IDX["T1"]:
        return segment_index - _IDX["C5"]
    if _IDX["T2"] <= segment_index <= _IDX["L1"]:
        return 5
    if _IDX["L2"] <= segment_index <= _IDX["S1"]:
        return segment_index - _IDX["L2"] + 5
    return len(KEY_MUSCLE_LEVELS)


def _sensory_sparing_possible(right: _Side, left: _Side, dap: bool | None) -> bool:
    return dap is not False or any(v != 0 for v in _sacral_values(right, left))


def _motor_below_possible(side: _Side, motor_levels: list[str]) -> bool:
    """Could some key muscle more than three levels below (any candidate) motor level work?"""
    for level in motor_levels:
        for m in KEY_MUSCLE_LEVELS[_first_muscle_more_than_three_below(level):]:
            if side.muscle(m) != 0:
                return True
    return False


def _no_motor_below_possible(side: _Side, motor_levels: list[str]) -> bool:
    """Could every key muscle more than three levels below (some candidate) motor level be 0?"""
    for level in motor_levels:
        if all(side.muscle(m) in (0, None)
               for m in KEY_MUSCLE_LEVELS[_first_muscle_more_than_three_below(level):]):
            return True
    return False


def _ais(right: _Side, left: _Side, vac: bool | None, dap: bool | None, complete: list[bool],
         motor_right: list[str], motor_left: list[str], nli: list[str]) -> list[str]:
    if nli == ["INT"] and vac is True:
        return ["E"]
    grades: list[str] = []
    if True in complete:
        grades.append("A")
    sensory_sparing = _sensory_sparing_possible(right, left, dap)
    if (sensory_sparing and vac is not True and _no_motor_below_possible(right, motor_right)
            and _no_motor_below_possible(left, motor_left)):
        grades.append("B")
    motor_incomplete = vac is not False or (sensory_sparing and (
        _motor_below_possible(right, motor_right) or _motor_below_possible(left, motor_left)))
    if motor_incomplete:
        if _fewer_than_half_possible(right, left, nli):
            grades.append("C")
        if _at_least_half_possible(right, left, nli):
            grades.append("D")
    if vac is not False and "INT" in nli:
        grades.append("E")
    return grades


def _muscles_below(nli: str) -> tuple[str, ...]:
    return KEY_MUSCLE_LEVELS[_first_key_muscle_from((_S45 if nli == "INT" else _IDX[nli]) + 1):]


def _fewer_than_half_possible(right: _Side, left: _Side, nli: list[str]) -> bool:
    for level in nli:
        below = _muscles_below(level)
        could_be_weak = sum(side.muscle(m) is None or side.muscle(m) < 3
                            for m in below for side in (right, left))
        if could_be_weak > len(below):
            return True
    return False


def _at_least_half_possible(right: _Side, left: _Side, nli: list[str]) -> bool:
    for level in nli:
        if level == "INT":
            break
        below = _muscles_below(level)
        if not below:
            return True
        could_be_strong = sum(not _weak(side.muscle(m)) for m in below for side in (right, left))
        if could_be_strong >= len(below):
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Zones of partial preservation


def _sensory_zpp(side: _Side, dap: bool | None) -> list[str | None]:
    if dap is True or any(v not in (0, None) for v in side.sensory("S4-5")):
        return [None]
    zpp: list[str | None] = []
    if dap is None or (dap is False and None in side.sensory("S4-5")):
        zpp.append(None)
    for i in range(_IDX["S3"], 0, -1):
        level = SENSORY_LEVELS[i]
        values = side.sensory(level)
        if values == (0, 0):
            continue
        zpp.append(level)
        if any(v not in (0, None) for v in values):
            return _sorted_zpp(zpp)
    zpp.append("C1")
    return _sorted_zpp(zpp)


def _sorted_zpp(zpp: list[str | None]) -> list[str | None]:
    return sorted(zpp, key=lambda z: -1 if z is None else _IDX[z])


def _motor_zpp(side: _Side, vac: bool | None, motor_levels: list[str]) -> list[str | None]:
    if vac is True:
        return [None]
    zpp: list[str | None] = [None] if vac is None else []
    joined = ",".join(motor_levels)
    top = motor_levels[0]
    below_s1 = any(lv in ("S2", "S3", "INT") for lv in motor_levels)
    bottom = ("S3" if motor_levels[-1] == "INT" else motor_levels[-1]) if below_s1 else "S1"
    for i in range(_IDX[bottom], _IDX[top] - 1, -1):
        level = SENSORY_LEVELS[i]
        if level in _MOTOR_IDX:
            m = side.muscle(level)
            if m is not None and m > 0:
                zpp.append(level)
                break
            if m is None:
                zpp.append(level)
        elif level in joined:
            zpp.append(level)
    return _sorted_zpp(zpp)


# --------------------------------------------------------------------------------------------------
# Totals


def _total(values: list[int | None], top: int) -> Possible:
    known = sum(v for v in values if v is not None)
    unknown = sum(v is None for v in values)
    if not unknown:
        return known
    return tuple(range(known, known + top * unknown + 1))


def _add(*totals: Possible) -> Possible:
    if all(isinstance(t, int) for t in totals):
        return sum(totals)
    lo = sum(t if isinstance(t, int) else t[0] for t in totals)
    hi = sum(t if isinstance(t, int) else t[-1] for t in totals)
    return tuple(range(lo, hi + 1))


# --------------------------------------------------------------------------------------------------
# Public interface


@dataclass(frozen=True)
class IsncsciResult:
    """The classification. A field that "NT" leaves undetermined is a tuple of every possible value."""

    sensory_level_right: Possible
    sensory_level_left: Possible
    motor_level_right: Possible
    motor_level_left: Possible
    neurological_level: Possible
    complete: Possible
    ais: Possible
    sensory_zpp_right: Possible
    sensory_zpp_left: Possible
    motor_zpp_right: Possible
    motor_zpp_left: Possible
    upper_extremity_motor_right: Possible
    upper_extremity_motor_left: Possible
    lower_extremity_motor_right: Possible
    lower_extremity_motor_left: Possible
    motor_total_right: Possible
    motor_total_left: Possible
    upper_extremity_motor_total: Possible
    lower_extremity_motor_total: Possible
    motor_total: Possible
    light_touch_right: Possible
    light_touch_left: Possible
    pin_prick_right: Possible
    pin_prick_left: Possible
    light_touch_total: Possible
    pin_prick_total: Possible
    explanation: tuple[str, ...] = field(default=())
    source: str = SOURCE

    @property
    def determined(self) -> bool:
        """True when no classification field is left open by "NT"."""
        return not any(isinstance(getattr(self, f), tuple) for f in (
            "sensory_level_right", "sensory_level_left", "motor_level_right", "motor_level_left",
            "neurological_level", "complete", "ais", "sensory_zpp_right", "sensory_zpp_left",
            "motor_zpp_right", "motor_zpp_left"))


def _one_or_all(values: list) -> Possible:
    return values[0] if len(values) == 1 else tuple(values)


def isncsci(*, motor_right: Mapping[str, Any], motor_left: Mapping[str, Any],
            light_touch_right: Mapping[str, Any], light_touch_left: Mapping[str, Any],
            pin_prick_right: Mapping[str, Any], pin_prick_left: Mapping[str, Any],
            voluntary_anal_contraction: Any, deep_anal_pressure: Any) -> IsncsciResult:
    """Classify one ISNCSCI examination (keyword arguments only; see the module docstring).

    ``motor_*`` map the ten key muscle levels C5–T1 and L2–S1 to 0–5 or "NT"; ``light_touch_*`` and
    ``pin_prick_*`` map C2 … S3 and "S4-5" to 0–2 or "NT"; the two anal items are True, False or "NT".
    """
    right = _Side(_check_mapping("motor_right", motor_right, KEY_MUSCLE_LEVELS, 5),
                  _check_mapping("light_touch_right", light_touch_right, KEY_SENSORY_LEVELS, 2),
                  _check_mapping("pin_prick_right", pin_prick_right, KEY_SENSORY_LEVELS, 2))
    left = _Side(_check_mapping("motor_left", motor_left, KEY_MUSCLE_LEVELS, 5),
                 _check_mapping("light_touch_left", light_touch_left, KEY_SENSORY_LEVELS, 2),
                 _check_mapping("pin_prick_left", pin_prick_left, KEY_SENSORY_LEVELS, 2))
    vac = _check_binary("voluntary_anal_contraction", voluntary_anal_contraction)
    dap = _check_binary("deep_anal_pressure", deep_anal_pressure)

    sl_r, sl_l = _sensory_level(right), _sensory_level(left)
    ml_r, ml_l = _motor_level(right, vac), _motor_level(left, vac)
    nli = _neurological_level(right, left)
    complete = _complete(right, left, vac, dap)
    ais = _ais(right, left, vac, dap, complete, ml_r, ml_l, nli)

    def motor_totals(side: _Side) -> tuple[Possible, Possible, Possible]:
        upper = _total([side.muscle(m) for m in UPPER_KEY_MUSCLES], 5)
        lower = _total([side.muscle(m) for m in LOWER_KEY_MUSCLES], 5)
        return upper, lower, _add(upper, lower)

    ue_r, le_r, mt_r = motor_totals(right)
    ue_l, le_l, mt_l = motor_totals(left)
    lt_r = _total(list(right.light_touch.values()), 2)
    lt_l = _total(list(left.light_touch.values()), 2)
    pp_r = _total(list(right.pin_prick.values()), 2)
    pp_l = _total(list(left.pin_prick.values()), 2)

    fields = dict(
        sensory_level_right=_one_or_all(sl_r), sensory_level_left=_one_or_all(sl_l),
        motor_level_right=_one_or_all(ml_r), motor_level_left=_one_or_all(ml_l),
        neurological_level=_one_or_all(nli), complete=_one_or_all(complete), ais=_one_or_all(ais),
        sensory_zpp_right=_one_or_all(_sensory_zpp(right, dap)),
        sensory_zpp_left=_one_or_all(_sensory_zpp(left, dap)),
        motor_zpp_right=_one_or_all(_motor_zpp(right, vac, ml_r)),
        motor_zpp_left=_one_or_all(_motor_zpp(left, vac, ml_l)),
        upper_extremity_motor_right=ue_r, upper_extremity_motor_left=ue_l,
        lower_extremity_motor_right=le_r, lower_extremity_motor_left=le_l,
        motor_total_right=mt_r, motor_total_left=mt_l,
        upper_extremity_motor_total=_add(ue_r, ue_l), lower_extremity_motor_total=_add(le_r, le_l),
        motor_total=_add(mt_r, mt_l),
        light_touch_right=lt_r, light_touch_left=lt_l, pin_prick_right=pp_r, pin_prick_left=pp_l,
        light_touch_total=_add(lt_r, lt_l), pin_prick_total=_add(pp_r, pp_l),
    )
    return IsncsciResult(**fields, explanation=tuple(explain(fields, vac=vac, dap=dap)))


# --------------------------------------------------------------------------------------------------
# Plain-language explanation


def _say(value: Possible, none: str = "not applicable") -> str:
    def one(v: Any) -> str:
        if v is None:
            return none
        if v == "INT":
            return "intact"
        if v is True:
            return "complete"
        if v is False:
            return "incomplete"
        return str(v)
    if isinstance(value, tuple):
        return "one of " + ", ".join(one(v) for v in value) + " (\"NT\" leaves it open)"
    return one(value)


def explain(fields: Mapping[str, Any], *, vac: bool | None, dap: bool | None) -> list[str]:
    """Five plain sentences, one per step of the classification."""
    steps = [
        f"Step 1 — sensory levels: the lowest dermatome with normal light touch and pin prick, all "
        f"above it normal, is {_say(fields['sensory_level_right'])} on the right and "
        f"{_say(fields['sensory_level_left'])} on the left.",
        f"Step 2 — motor levels: the lowest key muscle graded at least 3 with every key muscle above it "
        f"graded 5 (or, where there is no key muscle, the sensory level) is "
        f"{_say(fields['motor_level_right'])} on the right and {_say(fields['motor_level_left'])} on "
        f"the left.",
        f"Step 3 — neurological level of injury: the most rostral of these four levels, "
        f"{_say(fields['neurological_level'])}.",
    ]
    sparing = []
    if vac is True:
        sparing.append("voluntary anal contraction is present")
    if dap is True:
        sparing.append("deep anal pressure is felt")
    comp = fields["complete"]
    if comp is True:
        steps.append("Step 4 — completeness: no light touch or pin prick at S4-5, no deep anal pressure and "
                     "no voluntary anal contraction, so the injury is complete.")
    elif comp is False:
        why = "; ".join(sparing) if sparing else "light touch or pin prick is preserved at S4-5"
        steps.append(f"Step 4 — completeness: there is sacral sparing ({why}), so the injury is incomplete.")
    else:
        steps.append("Step 4 — completeness: no sacral function was found, but an item was not testable, "
                     "so the injury may be complete or incomplete.")
    ais = fields["ais"]
    meaning = {
        "A": "complete: no sensory or motor function in S4-5",
        "B": "sensory incomplete: sacral sensation spared, no motor function more than three levels "
             "below the motor level on either side",
        "C": "motor incomplete: fewer than half of the key muscles below the neurological level are "
             "graded 3 or more",
        "D": "motor incomplete: at least half of the key muscles below the neurological level are "
             "graded 3 or more",
        "E": "normal sensation and power in every segment",
    }
    if isinstance(ais, tuple):
        steps.append(f"Step 5 — AIS grade: {_say(ais)}.")
    else:
        steps.append(f"Step 5 — AIS grade {ais} ({meaning[ais]}).")
    return steps


def normal_exam() -> dict[str, Any]:
    """Keyword arguments of a fully normal examination (a starting point for presets and tests)."""
    return dict(
        motor_right={m: 5 for m in KEY_MUSCLE_LEVELS}, motor_left={m: 5 for m in KEY_MUSCLE_LEVELS},
        light_touch_right={s: 2 for s in KEY_SENSORY_LEVELS}, light_touch_left={s: 2 for s in KEY_SENSORY_LEVELS},
        pin_prick_right={s: 2 for s in KEY_SENSORY_LEVELS}, pin_prick_left={s: 2 for s in KEY_SENSORY_LEVELS},
        voluntary_anal_contraction=True, deep_anal_pressure=True,
    )


# --------------------------------------------------------------------------------------------------
# Example examinations: the worksheet's presets and the graded per-student worksheets


def _exam_from_levels(*, sensory_right: str, sensory_left: str, motor_right: str, motor_left: str,
                      below_sensory: int, below_motor: Mapping[str, int] | int,
                      sacral_light_touch: int = 0, sacral_pin_prick: int = 0,
                      vac: bool = False, dap: bool = False) -> dict[str, Any]:
    """An exam normal down to the given levels, with fixed scores below them."""
    kw = normal_exam()
    for side, s_level, m_level in (("right", sensory_right, motor_right), ("left", sensory_left, motor_left)):
        cut = _IDX[s_level]
        for p in KEY_SENSORY_LEVELS:
            if _IDX[p] > cut:
                kw[f"light_touch_{side}"][p] = below_sensory
                kw[f"pin_prick_{side}"][p] = below_sensory
        kw[f"light_touch_{side}"]["S4-5"] = sacral_light_touch if cut < _S45 else 2
        kw[f"pin_prick_{side}"]["S4-5"] = sacral_pin_prick if cut < _S45 else 2
        for m in KEY_MUSCLE_LEVELS:
            if _IDX[m] > _IDX[m_level]:
                kw[f"motor_{side}"][m] = below_motor if isinstance(below_motor, int) else below_motor[m]
    kw["voluntary_anal_contraction"] = vac
    kw["deep_anal_pressure"] = dap
    return kw


def _t6_a() -> dict[str, Any]:
    return _exam_from_levels(sensory_right="T6", sensory_left="T6", motor_right="T6", motor_left="T6",
                             below_sensory=0, below_motor=0)


def _c5_c() -> dict[str, Any]:
    below = {"C6": 2, "C7": 1, "C8": 0, "T1": 0, "L2": 2, "L3": 1, "L4": 1, "L5": 0, "S1": 1}
    kw = _exam_from_levels(sensory_right="C5", sensory_left="C5", motor_right="C5", motor_left="C5",
                           below_sensory=1, below_motor=below, sacral_light_touch=1, sacral_pin_prick=0,
                           dap=True)
    for side in ("right", "left"):
        for p in KEY_SENSORY_LEVELS[KEY_SENSORY_LEVELS.index("T2"):KEY_SENSORY_LEVELS.index("S4-5")]:
            kw[f"pin_prick_{side}"][p] = 0
    return kw


def _cauda_equina() -> dict[str, Any]:
    kw = _exam_from_levels(sensory_right="L4", sensory_left="L4", motor_right="L4", motor_left="L4",
                           below_sensory=1, below_motor={"L5": 3, "S1": 2}, sacral_light_touch=1,
                           sacral_pin_prick=0, dap=True)
    for side in ("right", "left"):
        for p in ("S2", "S3"):
            kw[f"light_touch_{side}"][p] = 0
            kw[f"pin_prick_{side}"][p] = 0
    return kw


#: Preset examinations of the worksheet: label → (builder, one-line description).
PRESETS: Final = {
    "Normal examination": (normal_exam, "every key point and key muscle normal; sacral function present"),
    "T6 complete (AIS A)": (_t6_a, "normal to T6 on both sides, nothing below, no sacral sparing"),
    "C5 motor incomplete (AIS C)": (_c5_c, "normal to C5; weak, patchy function below; deep anal "
                                           "pressure felt; no voluntary anal contraction"),
    "Cauda equina pattern": (_cauda_equina, "normal to L4; weak L5 and S1; saddle (S2–S3) sensation lost; "
                                            "perianal touch altered; deep anal pressure felt"),
}


def preset(name: str) -> dict[str, Any]:
    """The keyword arguments of a preset examination (a fresh copy)."""
    if name not in PRESETS:
        raise ValueError(f"preset: {name!r}; accepted: {', '.join(PRESETS)}")
    return PRESETS[name][0]()


#: Parameter ranges of the graded per-student worksheet (``grading/tools/build_assignments.py``).
WORKSHEET_SPEC: Final = {
    "level": ["C4", "C5", "C6", "C7", "T1", "T4", "T6", "T8", "T10", "T12", "L2", "L3"],
    "left_lower_by": [0, 1, 2],
    "sacral": ["none", "deep_anal_pressure", "perianal_touch", "anal_contraction"],
    "distal_power": [0, 1, 2, 3, 4],
}


def worksheet_exam(*, level: str, left_lower_by: int, sacral: str, distal_power: int) -> dict[str, Any]:
    """A per-student worksheet: normal down to ``level`` on the right (lower on the left by
    ``left_lower_by`` segments), absent sensation below, sacral function as named, and every key
    muscle below the motor level graded ``distal_power`` (0 when there is no sacral sparing)."""
    for name, value, accepted in (("level", level, WORKSHEET_SPEC["level"]),
                                  ("left_lower_by", left_lower_by, WORKSHEET_SPEC["left_lower_by"]),
                                  ("sacral", sacral, WORKSHEET_SPEC["sacral"]),
                                  ("distal_power", distal_power, WORKSHEET_SPEC["distal_power"])):
        if value not in accepted or isinstance(value, bool):
            raise ValueError(f"{name}: {value!r}; accepted: {accepted}")
    left = SENSORY_LEVELS[_IDX[level] + left_lower_by]
    power = distal_power if sacral != "none" else 0
    kw = _exam_from_levels(sensory_right=level, sensory_left=left, motor_right=level, motor_left=left,
                           below_sensory=0, below_motor=power,
                           sacral_light_touch=1 if sacral == "perianal_touch" else 0,
                           vac=sacral == "anal_contraction", dap=sacral == "deep_anal_pressure")
    return kw


def worksheet_text(exam: Mapping[str, Any]) -> str:
    """A plain-text ISNCSCI worksheet of an exam (keyword arguments of :func:`isncsci`)."""
    def show(v: Any) -> str:
        return str(v)

    lines = ["Level  | R motor  R light-touch  R pin-prick | L pin-prick  L light-touch  L motor",
             "-------+------------------------------------+--------------------------------------"]
    for p in KEY_SENSORY_LEVELS:
        rm = show(exam["motor_right"][p]) if p in _MOTOR_IDX else "."
        lm = show(exam["motor_left"][p]) if p in _MOTOR_IDX else "."
        lines.append(f"{p:<6} | {rm:>7}  {show(exam['light_touch_right'][p]):>13}  "
                     f"{show(exam['pin_prick_right'][p]):>10} | {show(exam['pin_prick_left'][p]):>11}  "
                     f"{show(exam['light_touch_left'][p]):>13}  {lm:>7}")

    def yn(v: Any) -> str:
        return "not testable" if v == NT else ("yes" if v else "no")

    lines.append(f"Voluntary anal contraction: {yn(exam['voluntary_anal_contraction'])}; "
                 f"deep anal pressure: {yn(exam['deep_anal_pressure'])}.")
    return "\n".join(lines)
