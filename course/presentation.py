"""Module 03 — clinical presentation, neurological localisation and triage.

Public API
----------
* :func:`localise` — the localisation engine: from a sensory level, patchy dermatomal numbness, weak myotomes,
  reflex changes, saddle anaesthesia and sphincter signs, infer cord / conus / cauda equina / root, the likely
  segment and vertebral range, and explain every step in plain words (contradictions are reported, not hidden).
* :func:`segment_to_vertebrae` — the vertebral body behind a cord segment (approximate).
* :func:`triage` — the sourced decision table of ``course/data/presentation.yaml`` (NICE NG234-based).
* :func:`bedside_vertebra` — the classic bedside rule, which disagrees with the cadaver table by about a level.

This module is pure clinical logic: it imports neither ipywidgets nor matplotlib (``tests/test_pure_logic.py``).
The figures and the interactives (:class:`~course.presentation_apps.LocalisationApp`,
:class:`~course.presentation_apps.TriageApp`) live in :mod:`course.presentation_apps`.

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from course import datasets
from course.references import cite_text as _cite_text
from course.references import sources_line

#: Okabe–Ito vermillion (the same value as ``course.plotting.PALETTE["vermillion"]``), kept here so this
#: module stays free of matplotlib.
_ALERT = "#D55E00"

SEGMENTS: tuple[str, ...] = tuple(
    [f"C{i}" for i in range(1, 9)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)]
    + [f"S{i}" for i in range(1, 6)]
)
REFLEX_VALUES = ("normal", "brisk", "reduced", "absent")
PLANTAR_VALUES = ("flexor", "extensor", "absent")
SPHINCTER_VALUES = ("normal", "retention", "incontinence")
SYNDROMES = ("cord", "conus", "cauda_equina", "root", "none")
SYNDROME_LABELS = {
    "cord": "spinal cord compression",
    "conus": "conus medullaris lesion",
    "cauda_equina": "cauda equina compression",
    "root": "single nerve-root lesion (radiculopathy)",
    "none": "no localising neurological findings",
}
_ALIASES = {"knee": "patellar", "ankle": "achilles", "supinator": "brachioradialis", "babinski": "plantar"}
#: How far (in segments) a sensory level may lie below the lesion before we call it a second height.
SENSORY_LEVEL_SLACK = 3


def _seg(name: str, field_name: str) -> int:
    key = str(name).strip().upper()
    if key not in SEGMENTS:
        raise ValueError(f"{field_name}: {name!r} is not a cord segment; accepted: {list(SEGMENTS)}")
    return SEGMENTS.index(key)


def _data() -> dict[str, Any]:
    return datasets.load("presentation")


def _landmark(segment: str) -> str:
    for d in datasets.dermatomes():
        if d["level"] == segment:
            return f"{segment} ({d['landmark']})"
    return segment


def _reflex_table() -> dict[str, tuple[str, tuple[str, ...]]]:
    """lower-case reflex name → (display name, roots)."""
    return {r["name"].lower(): (r["name"], tuple(r["roots"])) for r in datasets.reflexes()}


def _muscle(segment: str) -> str:
    for m in datasets.myotomes():
        if m["level"] == segment:
            return m["muscle"]
    return segment


# ----------------------------------------------------------------------------------------------
# Cord segment → vertebra
# ----------------------------------------------------------------------------------------------
def _vertebra_names() -> list[str]:
    return [lv.name for lv in datasets.levels() if lv.name != "Oc"]


def segment_to_vertebrae(segment: str) -> tuple[str, str]:
    """The vertebral bodies (from, to) behind cord segment ``segment`` — an approximation.

    Thoracic segments T3–T12 lie about two vertebrae higher than their number (a cadaver study; see the
    ``cord_segment_vertebra`` reference), lower cervical and upper thoracic segments about one higher, the lumbar
    segments behind about T10–T12 and the sacral segments (the conus) behind about T12–L1. Individuals vary.

    Raises:
        ValueError: for an unknown segment, listing the accepted segments.
    """
    seg = SEGMENTS[_seg(segment, "segment")]
    names = _vertebra_names()
    for row in _data()["segment_to_vertebra"]:
        if seg in row["segments"]:
            if "vertebrae" in row:
                return row["vertebrae"][0], row["vertebrae"][1]
            pos = names.index("T1") if seg == "C8" else names.index(seg)
            top = names[pos + row["offset"]]
            bottom = names[pos + row["offset"] + 1] if row["offset"] < 0 else top
            return top, bottom
    raise ValueError(f"segment: {segment!r} has no mapping")  # pragma: no cover - table covers all


def _root_foramen(root: str) -> str:
    """The intervertebral foramen through which ``root`` leaves the canal."""
    names = _vertebra_names()
    if root.startswith("C"):
        n = int(root[1:])
        if n == 1:
            return "between occiput and C1"
        if n == 8:
            return "C7–T1 foramen"
        return f"C{n - 1}–C{n} foramen"
    if root.startswith("S"):
        return "sacral foramina"
    i = names.index(root)
    return f"{root}–{names[i + 1]} foramen"


def _span(a: str, b: str) -> str:
    return a if a == b else f"{a}–{b}"


# ----------------------------------------------------------------------------------------------
# The localisation engine
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Localisation:
    """The engine's answer: what is compressed, where, why — and what does not fit."""

    syndrome: str
    region: str
    segments: str
    vertebrae: str
    steps: tuple[str, ...]
    conflicts: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    source: tuple[str, ...] = ("asia2019", "neuro_exam_sources", "cord_segment_vertebra", "conus_level_sources")

    @property
    def consistent(self) -> bool:
        """True when one lesion explains every finding."""
        return not self.conflicts

    @property
    def neurological(self) -> bool:
        """Any neurological finding at all (in a person with cancer: the 24-hour MSCC pathway)."""
        return bool(self.findings)

    @property
    def label(self) -> str:
        return SYNDROME_LABELS[self.syndrome]

    @property
    def summary(self) -> str:
        """One plain sentence."""
        if self.syndrome == "none":
            return "No localising findings: the examination does not point to a level."
        where = f" at segment {self.segments}" if self.segments else ""
        vert = f", vertebral level about {self.vertebrae}" if self.vertebrae else ""
        text = f"Most likely {self.label}{where} ({self.region}){vert}."
        if self.conflicts:
            text += " Not all findings fit one lesion — see the warnings."
        return text

    def to_html(self) -> str:
        """Steps, conclusion and conflicts as HTML (symbols and words, never colour alone)."""
        steps = "".join(f"<li>{html.escape(s)}</li>" for s in self.steps)
        out = f"<p><b>Conclusion:</b> {html.escape(self.summary)}</p><p><b>Reasoning</b></p><ol>{steps}</ol>"
        if self.conflicts:
            items = "".join(f"<li>{html.escape(c)}</li>" for c in self.conflicts)
            out += (f"<div role='alert' style='border-left:4px solid {_ALERT};padding:4px 8px'>"
                    f"<b>⚠ Findings that do not fit a single lesion</b><ul>{items}</ul></div>")
        out += ("<p style='font-size:smaller'>Segment-to-vertebra offsets are approximate (cadaver data for T3–T12; "
                "textbook approximation elsewhere) and a sensory level can sit several segments below the lesion — "
                "which is one reason suspected compression needs MRI of the whole spine. "
                + html.escape(sources_line(self.source)) + "</p>")
        return out


def _region_of_segment(i: int) -> str:
    s = SEGMENTS[i]
    return {"C": "cervical cord", "T": "thoracic cord", "L": "lumbar enlargement of the lower cord",
            "S": "conus"}[s[0]]


def _region_of_root(root: str) -> str:
    return {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}[root[0]]


@dataclass
class _Finding:
    text: str
    kind: str  # umn | lmn | numb | weak
    segs: tuple[int, ...] = field(default_factory=tuple)


def _parse_reflexes(reflexes: Mapping[str, str] | None) -> list[_Finding]:
    table = _reflex_table()
    out: list[_Finding] = []
    for raw_name, raw_value in (reflexes or {}).items():
        key = _ALIASES.get(str(raw_name).strip().lower(), str(raw_name).strip().lower())
        if key not in table:
            raise ValueError(f"reflexes: {raw_name!r} is not a reflex; accepted: {sorted(table)} "
                             f"(aliases: {sorted(_ALIASES)})")
        name, roots = table[key]
        value = str(raw_value).strip().lower()
        segs = tuple(SEGMENTS.index(r) for r in roots)
        roots_txt = "–".join([roots[0], roots[-1]]) if len(roots) > 1 else roots[0]
        if key == "plantar":
            if value not in PLANTAR_VALUES:
                raise ValueError(f"reflexes['plantar']: {raw_value!r}; accepted: {list(PLANTAR_VALUES)}")
            if value == "extensor":
                out.append(_Finding("extensor plantar response (Babinski sign)", "umn", segs))
            continue
        if value not in REFLEX_VALUES:
            raise ValueError(f"reflexes[{raw_name!r}]: {raw_value!r}; accepted: {list(REFLEX_VALUES)}")
        if "abdominal" in key:
            if value in ("reduced", "absent"):
                out.append(_Finding(f"{value} {name} reflexes ({roots_txt})", "umn", segs))
            elif value == "brisk":
                raise ValueError(f"reflexes[{raw_name!r}]: superficial abdominal reflexes are normal, reduced or "
                                 "absent; accepted: ['normal', 'reduced', 'absent']")
            continue
        if value == "brisk":
            out.append(_Finding(f"brisk {name} reflex ({roots_txt})", "umn", segs))
        elif value in ("reduced", "absent"):
            out.append(_Finding(f"{value} {name} reflex ({roots_txt})", "lmn", segs))
    return out


def localise(
    *,
    sensory_level: str | None = None,
    numb_dermatomes: Iterable[str] = (),
    weak_myotomes: Iterable[str] = (),
    reflexes: Mapping[str, str] | None = None,
    saddle_anaesthesia: bool = False,
    sphincter: str = "normal",
) -> Localisation:
    """Infer where a lesion is from the neurological examination, explaining each step.

    Args:
        sensory_level: the highest dermatome with reduced sensation when sensation is reduced everywhere below
            it on both sides (a *level*, e.g. ``"T10"`` at the umbilicus), or ``None``.
        numb_dermatomes: patchy numbness confined to these dermatomes (e.g. ``["C6"]`` for the thumb).
        weak_myotomes: roots whose key muscle is weak (ASIA key muscles: C5–T1, L2–S1).
        reflexes: reflex name → ``normal | brisk | reduced | absent`` (plantar: ``flexor | extensor | absent``;
            abdominal: ``normal | reduced | absent``). ``knee``/``ankle``/``supinator`` are accepted aliases.
        saddle_anaesthesia: numbness of the perineum, buttocks and inner thighs (S2–S4/S5).
        sphincter: ``normal``, ``retention`` or ``incontinence`` (bladder or bowel).

    Returns:
        A :class:`Localisation`. Findings that one lesion cannot explain are listed in ``conflicts``.

    Raises:
        ValueError: for an unknown segment, myotome, reflex, value or sphincter state (listing accepted values).
    """
    # ---- validate --------------------------------------------------------------------------
    s_idx = None if sensory_level in (None, "", "none") else _seg(sensory_level, "sensory_level")
    numb = sorted({_seg(d, "numb_dermatomes") for d in numb_dermatomes})
    myo_levels = [m["level"] for m in datasets.myotomes()]
    weak = []
    for m in weak_myotomes:
        key = str(m).strip().upper()
        if key not in myo_levels:
            raise ValueError(f"weak_myotomes: {m!r} is not a key-muscle root; accepted: {myo_levels}")
        weak.append(SEGMENTS.index(key))
    weak = sorted(set(weak))
    if sphincter not in SPHINCTER_VALUES:
        raise ValueError(f"sphincter: {sphincter!r}; accepted: {list(SPHINCTER_VALUES)}")
    refl = _parse_reflexes(reflexes)
    umn = [f for f in refl if f.kind == "umn"]
    lmn = [f for f in refl if f.kind == "lmn"]
    sacral = bool(saddle_anaesthesia) or sphincter != "normal"

    findings: list[str] = []
    if s_idx is not None:
        findings.append(f"sensory level at {_landmark(SEGMENTS[s_idx])}")
    findings += [f"numbness in {_landmark(SEGMENTS[i])}" for i in numb]
    findings += [f"weak {_muscle(SEGMENTS[i])} ({SEGMENTS[i]})" for i in weak]
    findings += [f.text for f in refl]
    if saddle_anaesthesia:
        findings.append("saddle anaesthesia (S2–S4/5)")
    if sphincter != "normal":
        findings.append(f"urinary or faecal {sphincter}")

    steps: list[str] = []
    conflicts: list[str] = []

    if not findings:
        return Localisation("none", "—", "", "", (
            "No sensory level, weakness, reflex change or sphincter sign was recorded, so nothing localises. "
            "Pain alone does not give a level: with a cancer history, suspicious pain still needs MRI "
            "(see the triage table).",), (), ())

    # ---- step 1: describe the signs by type ----------------------------------------------------
    if s_idx is not None:
        steps.append(f"A sensory level at {_landmark(SEGMENTS[s_idx])} means sensation is reduced below a line on "
                     "both sides. Only the spinal cord carries every dermatome below a point, so this is a cord "
                     f"sign: the lesion is at or above the {SEGMENTS[s_idx]} segment.")
    if umn:
        steps.append("Upper-motor-neurone signs: " + ", ".join(f.text for f in umn) + ". They mean the pathway "
                     "from the brain is interrupted above the segments of these reflexes — in the cord, not in "
                     "the roots or cauda equina.")
    if lmn:
        steps.append("Lower-motor-neurone signs: " + ", ".join(f.text for f in lmn) + ". A reflex is lost when its "
                     "own segment, root or nerve is damaged; this marks a height.")
    if numb:
        steps.append("Patchy numbness confined to " + ", ".join(_landmark(SEGMENTS[i]) for i in numb)
                     + " follows a dermatome, the territory of a single root.")
    if weak:
        steps.append("Weakness of " + ", ".join(f"{_muscle(SEGMENTS[i])} ({SEGMENTS[i]})" for i in weak)
                     + ": at the level of a lesion weakness is segmental; below a cord lesion it is "
                     "upper-motor-neurone (spastic) weakness.")
    if sacral:
        steps.append("Saddle anaesthesia and/or sphincter disturbance mean the lowest sacral segments or roots "
                     "(S2–S5) are affected — the conus or the cauda equina, or the cord above them.")

    lower_umn = all(SEGMENTS[f.segs[0]][0] in "LS" for f in umn)
    no_high_level = s_idx is None or s_idx >= SEGMENTS.index("L1")
    lmn_sacral = [f for f in lmn if min(f.segs) >= SEGMENTS.index("L5")]
    upper_findings = [i for i in numb + weak if i < SEGMENTS.index("L1")]

    # ---- conus: sacral signs with mixed upper- and lower-motor-neurone signs in the legs --------
    if sacral and umn and lower_umn and no_high_level and not upper_findings:
        steps.append("Sacral signs combined with upper-motor-neurone signs in the legs (and no sensory level on "
                     "the trunk) fit a lesion of the conus medullaris or the segments just above it, where both "
                     "the cord and the roots around it are squeezed.")
        if lmn_sacral:
            steps.append("The " + ", ".join(f.text for f in lmn_sacral) + " fits too: those segments sit in "
                         "the conus itself.")
        v = segment_to_vertebrae("S1")
        steps.append(f"The conus lies behind about {_span(*v)} (it usually ends at the L1–L2 disc).")
        return Localisation("conus", "conus / thoracolumbar junction", "S1–S5 (± lower lumbar)", _span(*v),
                            tuple(steps), tuple(conflicts), tuple(findings))

    # ---- cord --------------------------------------------------------------------------------
    if s_idx is not None or umn:
        bound = min((min(f.segs) for f in umn), default=len(SEGMENTS))  # lesion must be above this
        bound_txt = min(umn, key=lambda f: min(f.segs)).text if umn else ""
        upper_limit = s_idx if s_idx is not None else bound - 1
        upper_limit = min(upper_limit, bound - 1)
        if s_idx is not None and umn and bound <= s_idx:
            # an UMN sign at or above the sensory level: the lesion must be higher than the level suggests
            gap = s_idx - (bound - 1)
            msg = (f"The {bound_txt} means the lesion is above {SEGMENTS[bound]}, yet the sensory level is at "
                   f"{SEGMENTS[s_idx]}.")
            if gap > SENSORY_LEVEL_SLACK:
                conflicts.append(msg + " A sensory level can lie below the lesion, but this gap is large: consider a "
                                 "higher lesion or two lesions (more than half of patients have several levels "
                                 "involved).")
            else:
                steps.append(msg + " Sensory levels often sit a few segments below the compression, so the "
                             "lesion is probably a little higher than the level.")
        # segmental (height-marking) findings
        marks: list[tuple[int, str]] = [(min(f.segs), f.text) for f in lmn]
        marks += [(i, f"numbness in {SEGMENTS[i]}") for i in numb]
        marks += [(i, f"weak {SEGMENTS[i]} muscles") for i in weak]
        above = [(i, t) for i, t in marks if i <= upper_limit]
        below = [(i, t) for i, t in marks if i > upper_limit]
        lesion = upper_limit
        if above:
            top = min(i for i, _ in above)
            if s_idx is not None and s_idx - top > SENSORY_LEVEL_SLACK:
                texts = ", ".join(t for i, t in above if s_idx - i > SENSORY_LEVEL_SLACK)
                conflicts.append(f"{texts[0].upper() + texts[1:]} point to {SEGMENTS[top]}, well above the "
                                 f"{SEGMENTS[s_idx]} sensory level. One cord lesion at {SEGMENTS[top]} would usually "
                                 "give a sensory level near that height; two lesions at different heights are "
                                 "possible and common. Image the whole spine.")
            else:
                steps.append("Segmental signs (" + ", ".join(t for _, t in above) + f") mark the height: the "
                             f"lesion is at about the {SEGMENTS[top]} segment.")
            lesion = top
        weak_below = [(i, t) for i, t in below if t.startswith("weak")]
        lmn_below = [(i, t) for i, t in below if not t.startswith("weak")]
        if weak_below:
            steps.append("Weakness below the lesion (" + ", ".join(t for _, t in weak_below) + ") is the expected "
                         "upper-motor-neurone weakness of cord compression.")
        if lmn_below:
            conflicts.append("Lost reflexes or dermatomal numbness below a cord lesion ("
                             + ", ".join(t for _, t in lmn_below) + ") do not come from that lesion: think of "
                             "spinal shock in an acute complete lesion, a second lesion lower down (conus or cauda "
                             "equina), or a neuropathy.")
        if sacral:
            steps.append("Bladder, bowel or saddle involvement with a cord lesion is common and is a late, serious "
                         "sign.")
        seg_name = SEGMENTS[lesion]
        if s_idx is None and not above:
            top_v = "C1"
            bottom_v = segment_to_vertebrae(SEGMENTS[max(lesion, 0)])[1]
            steps.append(f"With upper-motor-neurone signs alone the lesion can be anywhere above the {SEGMENTS[bound]} "
                         f"segment — from the upper cervical cord down to about the {bottom_v} vertebra.")
            return Localisation("cord", "cord, height not determined", f"above {SEGMENTS[bound]}",
                                _span(top_v, bottom_v), tuple(steps), tuple(conflicts), tuple(findings))
        v_top, v_bottom = segment_to_vertebrae(seg_name)
        if conflicts and above and s_idx is not None:
            v_bottom = segment_to_vertebrae(SEGMENTS[s_idx])[1]
            seg_txt = f"{seg_name} and/or {SEGMENTS[s_idx]}"
        else:
            seg_txt = seg_name
        steps.append(f"Cord segments lie higher than the vertebrae of the same number: the {seg_name} segment sits "
                     f"behind about the {_span(*segment_to_vertebrae(seg_name))} vertebra"
                     f"{'e' if '–' in _span(*segment_to_vertebrae(seg_name)) else ''} (an approximation; "
                     "thoracic segments are about two vertebrae higher).")
        region = _region_of_segment(lesion)
        if seg_txt != seg_name:
            region = f"{region} and {_region_of_segment(s_idx)}"
        return Localisation("cord", region, seg_txt, _span(v_top, v_bottom),
                            tuple(steps), tuple(conflicts), tuple(findings))

    # ---- no cord signs: cauda equina or roots -------------------------------------------------
    l2 = SEGMENTS.index("L2")
    marks = [(f.segs, f.text) for f in lmn] + [((i,), f"numbness in {SEGMENTS[i]}") for i in numb] \
        + [((i,), f"weak {SEGMENTS[i]} muscles") for i in weak]
    if sacral:
        high = [t for segs, t in marks if max(segs) < l2]
        steps.append("No upper-motor-neurone signs and no sensory level on the trunk: the cord is probably not "
                     "involved. Sacral signs with lower-motor-neurone findings in the legs fit compression of the "
                     "cauda equina — the bundle of lumbar and sacral roots below the conus.")
        if high:
            conflicts.append("Findings in the arms or trunk (" + ", ".join(high) + ") cannot come from the cauda "
                             "equina: there must be a second, higher problem.")
        steps.append("The cauda equina fills the canal from about the L2 vertebra down (the cord usually ends at "
                     "the L1–L2 disc). A lesion of the conus alone can look similar; the urgency is the same.")
        return Localisation("cauda_equina", "lumbosacral", "roots L2–S5", "L2–sacrum", tuple(steps),
                            tuple(conflicts), tuple(findings))

    sets = [set(segs) for segs, _ in marks]
    common = set.intersection(*sets) if sets else set()
    union = sorted(set().union(*sets))
    if common:
        root = SEGMENTS[min(common)] if len(common) == 1 else None
        roots = sorted(common)
        name = root or " or ".join(SEGMENTS[i] for i in roots)
        steps.append("All the findings share one root (" + name + "), with no cord signs: a radiculopathy — the root "
                     "is compressed as it leaves the canal.")
        first = SEGMENTS[roots[0]]
        steps.append(f"The {first} root leaves through the {_root_foramen(first)}"
                     + (" (cervical roots exit above the vertebra of the same number)." if first[0] == "C"
                        else " (below the vertebra of the same number)."))
        steps.append("Check the legs: a cervical cord lesion at the same height would add brisk reflexes and "
                     "extensor plantars below it.")
        return Localisation("root", _region_of_root(first), name, _root_foramen(first), tuple(steps),
                            tuple(conflicts), tuple(findings))
    if union and min(union) >= l2:
        steps.append("Several lumbosacral roots are involved (" + ", ".join(SEGMENTS[i] for i in union) + ") without "
                     "cord signs: an incomplete cauda equina picture — watch for saddle and sphincter symptoms.")
        return Localisation("cauda_equina", "lumbosacral", "roots " + _span(SEGMENTS[union[0]], SEGMENTS[union[-1]]),
                            "L2–sacrum", tuple(steps), tuple(conflicts), tuple(findings))
    if union and union[-1] - union[0] <= 1:
        a, b = SEGMENTS[union[0]], SEGMENTS[union[-1]]
        steps.append(f"The findings involve two adjacent roots ({a} and {b}): one foraminal or lateral mass can "
                     "press on both.")
        return Localisation("root", _region_of_root(a), f"{a}–{b}", f"{_root_foramen(a)} to {_root_foramen(b)}",
                            tuple(steps), tuple(conflicts), tuple(findings))
    conflicts.append("The root findings (" + ", ".join(t for _, t in marks) + ") point to roots too far apart for "
                     "one lesion: several lesions, a plexus or peripheral-nerve problem, or a recording error.")
    first = SEGMENTS[union[0]]
    return Localisation("root", _region_of_root(first), ", ".join(SEGMENTS[i] for i in union), "several",
                        tuple(steps), tuple(conflicts), tuple(findings))


# ----------------------------------------------------------------------------------------------
# Triage
# ----------------------------------------------------------------------------------------------
CATEGORIES = ("emergency", "cauda_equina", "urgent", "routine")
CATEGORY_LABELS = {
    "emergency": "MSCC emergency — coordinator now, MRI within 24 hours",
    "cauda_equina": "No cancer: cauda equina or spinal emergency — emergency MRI, no steroid",
    "urgent": "Spinal metastases pain — advice within 24 hours, MRI within a week",
    "routine": "Not urgent — routine care with safety-netting",
}
#: Short names for the sorting board.
CATEGORY_SHORT = {"emergency": "MSCC now", "cauda_equina": "Spinal emergency", "urgent": "Within a week",
                  "routine": "Routine"}
PATHWAYS = ("mscc", "ces", "spinal", "none")
#: Features that place a person on the MSCC pathway (past, current or suspected cancer).
CANCER_FEATURES = ("cancer_history", "suspected_cancer", "lymphoma_suspected")
#: Neurological symptoms and signs (NICE's list, addendum A.4).
NEURO_FEATURES = ("radicular_pain", "bilateral_radicular_pain", "limb_weakness", "walking_difficulty",
                  "sensory_change", "sphincter_dysfunction", "saddle_anaesthesia")


@dataclass(frozen=True)
class TriageResult:
    """The decision-table row that applies, with its actions and the reasons."""

    category: str
    rule_id: str
    label: str
    pathway: str
    coordinator: str
    mri: str
    steroids: str
    dexamethasone: bool
    other: str
    reasons: tuple[str, ...]
    footnotes: tuple[str, ...]
    source: tuple[str, ...]

    @property
    def summary(self) -> str:
        """The actions in one paragraph of plain text."""
        return f"{self.label}. {self.coordinator}. {self.mri}. {self.steroids}. {self.other}"


def features() -> dict[str, str]:
    """The closed vocabulary of triage features (id → description)."""
    return dict(_data()["features"])


def rules() -> list[dict[str, Any]]:
    """The decision-table rows, in the order they are checked."""
    return sorted(_data()["triage_rules"], key=lambda r: r["rank"])


def _matches(rule: Mapping[str, Any], chosen: set[str]) -> list[str] | None:
    """The features that make ``rule`` apply, or ``None`` when it does not."""
    hits = [f for f in rule.get("when_any", []) if f in chosen]
    if rule.get("when_any") and not hits:
        return None
    if not set(rule.get("requires_all", [])) <= chosen:
        return None
    if rule.get("requires_any") and not set(rule["requires_any"]) & chosen:
        return None
    if set(rule.get("excludes_any", [])) & chosen:
        return None
    return hits


def triage(present: Iterable[str]) -> TriageResult:
    """Apply the decision table of ``presentation.yaml`` to the set of ``present`` features.

    The MSCC pathway (and dexamethasone) is for people with past, current or suspected cancer; without
    cancer, neurological features lead to the cauda equina / spinal pathway and never to a steroid.

    Raises:
        ValueError: for a feature outside the vocabulary, listing the accepted ids.
    """
    if isinstance(present, str):
        raise ValueError(f"present: give a list of feature ids, not the string {present!r}; "
                         f"accepted: {sorted(features())}")
    vocab = features()
    chosen = set()
    for f in present:
        if f not in vocab:
            raise ValueError(f"present: {f!r} is not a triage feature; accepted: {sorted(vocab)}")
        chosen.add(f)
    for rule in rules():
        hits = _matches(rule, chosen)
        if hits is None:
            continue
        reasons = tuple(vocab[h] for h in hits) or ("no feature suggesting spinal metastasis or cord compression",)
        context = [vocab[f] for f in CANCER_FEATURES if f in chosen]
        if rule["pathway"] != "none" or rule.get("excludes_any"):
            reasons += tuple(context) if context else ("no known or suspected cancer",)
        return TriageResult(rule["category"], rule["id"], rule["label"], rule["pathway"], rule["coordinator"],
                            rule["mri"], rule["steroids"], bool(rule["dexamethasone"]), rule["other"], reasons,
                            tuple(rule.get("footnotes", [])), tuple(rule["source"]))
    raise AssertionError("the decision table has no default row")  # pragma: no cover


def vignettes() -> list[dict[str, Any]]:
    """The triage teaching patients."""
    return list(_data()["vignettes"])


# ----------------------------------------------------------------------------------------------
# Citations in text (author–year) and Markdown for the notebook
# ----------------------------------------------------------------------------------------------
def cite_text(keys: Iterable[str]) -> str:
    """Author–year citations in text, e.g. ``(NICE, 2023; GIRFT, 2023)`` (:func:`course.references.cite_text`)."""
    return _cite_text(list(keys))


_M_NOTE = "*(background knowledge, not checked against the guideline text)*"


def pain_patterns_markdown() -> str:
    """The pain patterns as a Markdown list, each with its teaching point and sources."""
    return "\n".join(
        f"- **{p['name']}** — {p['description']} *{p['teaching']}*"
        + ("" if p.get("verified", True) else f" {_M_NOTE}")
        + f" {cite_text(p['source'])}"
        for p in _data()["pain_patterns"])


def regional_pictures_markdown() -> str:
    """The cervical, thoracic and lumbar pictures as a Markdown list with sources."""
    return "\n".join(
        f"- **{r['region'].capitalize()}**: " + "; ".join(r["features"]) + f". {r['extra']} {cite_text(r['source'])}"
        for r in _data()["by_region"])


def red_flags_markdown() -> str:
    """The red flags as a Markdown list (NICE's list of features suggesting spinal metastases or MSCC)."""
    return "\n".join(
        f"- {f['text']}" + ("" if f.get("verified", True) else f" {_M_NOTE}") + f" {cite_text(f['source'])}"
        for f in _data()["red_flags"])


def decision_table_markdown() -> str:
    """The decision table as Markdown: condition, pathway, who to call, MRI and steroids, with footnotes."""
    rows = ["| Order | If… | Category | Call | MRI | Steroids |", "|---|---|---|---|---|---|"]
    vocab = features()
    notes: list[str] = []
    for r in rules():
        cond = " or ".join(vocab[f].lower() for f in r.get("when_any", [])) or "none of the above"
        if r.get("requires_all"):
            cond += " — and " + " and ".join(vocab[f].lower() for f in r["requires_all"])
        if r.get("requires_any"):
            cond += " — in someone with " + " or ".join(vocab[f].lower() for f in r["requires_any"])
        if r.get("excludes_any"):
            cond += " — with no known or suspected cancer"
        steroids = r["steroids"]
        for fn in r.get("footnotes", []):
            notes.append(fn)
            steroids += f" [{len(notes)}]"
        rows.append(f"| {r['rank']} | {cond} | **{CATEGORY_LABELS[r['category']]}** | {r['coordinator']} | "
                    f"{r['mri']} | {steroids} |")
    keys: list[str] = []
    for r in rules():
        keys += [k for k in r["source"] if k not in keys]
    out = "\n".join(rows)
    if notes:
        out += "\n\n" + "  \n".join(f"[{i}] {n}" for i, n in enumerate(notes, 1))
    return out + f"\n\n*{_data()['disclaimer']}* Sources: {cite_text(keys)[1:-1]}."


def vignettes_markdown() -> str:
    """Every triage vignette with the decision table's answer and its lesson (for after the exercise)."""
    out = []
    for i, v in enumerate(vignettes(), 1):
        r = triage(v["features"])
        steroid = "dexamethasone 16 mg" if r.dexamethasone else "no dexamethasone"
        out.append(f"{i}. {v['text']} → **{CATEGORY_LABELS[r.category]}**; {steroid}. {v['lesson']} "
                   f"{cite_text(v['source'])}")
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------
# Two rules for where a cord segment lies (a disagreement between sources)
# ----------------------------------------------------------------------------------------------
def bedside_vertebra(segment: str) -> str:
    """The vertebra given by the classic bedside rule for ``segment`` (C2–T12; an approximation).

    The bedside rule counts spinous processes: add 1 in the neck (the C*n* spine overlies segment C*n*+1),
    2 in the upper thoracic spine and 3 in the lower thoracic spine. Cadaver measurements of the vertebral
    bodies (:func:`segment_to_vertebrae`) give about two levels for T3–T12; the two rules disagree by about
    one level in the lower thoracic spine, and the course accepts either.

    Raises:
        ValueError: for a segment outside C2–T12, listing the accepted segments.
    """
    seg = SEGMENTS[_seg(segment, "segment")]
    accepted = [s for s in SEGMENTS if s[0] in "CT" and s not in ("C1",)]
    if seg not in accepted:
        raise ValueError(f"segment: the bedside rule covers {accepted[0]}–{accepted[-1]}, not {segment!r}; "
                         f"accepted: {accepted}")
    for row in _data()["bedside_rule"]:
        if seg in row["segments"]:
            names = _vertebra_names()
            pos = names.index("T1") if seg == "C8" else names.index(seg)
            return names[pos + row["offset"]]
    raise ValueError(f"segment: {segment!r} has no bedside mapping")  # pragma: no cover


def segment_rules_markdown(segments: Sequence[str] = ("C6", "T4", "T8", "T10", "T12")) -> str:
    """A table of the two rules side by side (cadaver bodies vs the bedside spinous-process rule)."""
    rows = ["| Cord segment | Cadaver study (vertebral body) | Bedside rule (spinous process) |", "|---|---|---|"]
    for s in segments:
        rows.append(f"| {s} | {_span(*segment_to_vertebrae(s))} | {bedside_vertebra(s)} |")
    return "\n".join(rows)


# ----------------------------------------------------------------------------------------------
# Textbook patterns for the body map (data; the interactive is in course.presentation_apps)
# ----------------------------------------------------------------------------------------------
PRESETS: dict[str, dict[str, Any]] = {
    "Thoracic cord: T10 level, brisk legs": dict(
        sensory_level="T10", numb_dermatomes=(), weak_myotomes=("L2", "L4"), biceps="normal",
        brachioradialis="normal", triceps="normal", patellar="brisk", achilles="brisk", plantar="extensor",
        saddle=False, sphincter="normal"),
    "Cauda equina: saddle, absent ankles, retention": dict(
        sensory_level=None, numb_dermatomes=("S1",), weak_myotomes=("S1",), biceps="normal",
        brachioradialis="normal", triceps="normal", patellar="normal", achilles="absent", plantar="flexor",
        saddle=True, sphincter="retention"),
    "C6 root: thumb, wrist extension, brachioradialis": dict(
        sensory_level=None, numb_dermatomes=("C6",), weak_myotomes=("C6",), biceps="normal",
        brachioradialis="reduced", triceps="normal", patellar="normal", achilles="normal", plantar="flexor",
        saddle=False, sphincter="normal"),
    "Contradictory: T10 level plus C6 signs": dict(
        sensory_level="T10", numb_dermatomes=("C6",), weak_myotomes=("C6",), biceps="normal",
        brachioradialis="normal", triceps="normal", patellar="brisk", achilles="brisk", plantar="extensor",
        saddle=False, sphincter="normal"),
    "Clear all": dict(
        sensory_level=None, numb_dermatomes=(), weak_myotomes=(), biceps="normal", brachioradialis="normal",
        triceps="normal", patellar="normal", achilles="normal", plantar="flexor", saddle=False, sphincter="normal"),
}
