"""Module 03 — clinical presentation, neurological localisation and triage.

Public API
----------
* :func:`localise` — the localisation engine: from a sensory level, patchy dermatomal numbness, weak myotomes,
  reflex changes, saddle anaesthesia and sphincter signs, infer cord / conus / cauda equina / root, the likely
  segment and vertebral range, and explain every step in plain words (contradictions are reported, not hidden).
* :func:`segment_to_vertebrae` — the vertebral body behind a cord segment (approximate).
* :func:`triage` — the sourced decision table of ``course/data/presentation.yaml`` (NICE NG234-based).
* Figures: :func:`dermatome_figure`, :func:`segment_figure` (each returns ``(fig, alt)``).
* Interactives: :class:`LocalisationApp` (body map), :class:`TriageApp` (sorting patients by urgency).

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, Polygon, Rectangle

from course import datasets
from course.plotting import PALETTE, Backdrop, new_figure, render_bitmap
from course.references import sources_line
from course.widgets import FigureApp, Rendered

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
            out += (f"<div role='alert' style='border-left:4px solid {PALETTE['vermillion']};padding:4px 8px'>"
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
CATEGORIES = ("emergency", "urgent", "routine")
CATEGORY_LABELS = {
    "emergency": "Within 24 hours — whole-spine MRI + dexamethasone",
    "urgent": "Within a week — whole-spine MRI",
    "routine": "Routine",
}


@dataclass(frozen=True)
class TriageResult:
    """The decision-table row that applies, with its actions and the reasons."""

    category: str
    rule_id: str
    label: str
    mri: str
    steroids: str
    other: str
    reasons: tuple[str, ...]
    unverified: tuple[str, ...]
    source: tuple[str, ...]


def features() -> dict[str, str]:
    """The closed vocabulary of triage features (id → description)."""
    return dict(_data()["features"])


def triage(present: Iterable[str]) -> TriageResult:
    """Apply the decision table of ``presentation.yaml`` to the set of ``present`` features.

    Raises:
        ValueError: for a feature outside the vocabulary, listing the accepted ids.
    """
    vocab = features()
    chosen = set()
    for f in present:
        if f not in vocab:
            raise ValueError(f"present: {f!r} is not a triage feature; accepted: {sorted(vocab)}")
        chosen.add(f)
    for rule in sorted(_data()["triage_rules"], key=lambda r: r["rank"]):
        hits = [f for f in rule.get("when_any", []) if f in chosen]
        if rule.get("when_any") and not hits:
            continue
        if not set(rule.get("requires_all", [])) <= chosen:
            continue
        if rule.get("requires_any") and not set(rule["requires_any"]) & chosen:
            continue
        if hits:
            reasons = tuple(f"{vocab[h]}" for h in hits)
        else:
            reasons = ("no feature suggesting spinal metastasis or cord compression",)
        return TriageResult(rule["category"], rule["id"], rule["label"], rule["mri"], rule["steroids"],
                            rule["other"], reasons, tuple(rule.get("unverified_parts", [])), tuple(rule["source"]))
    raise AssertionError("the decision table has no default row")  # pragma: no cover


def vignettes() -> list[dict[str, Any]]:
    """The triage teaching patients."""
    return list(_data()["vignettes"])


_CG75_NOTE = "*(unverified: recalled from NICE CG75, not re-read in NG234)*"


def pain_patterns_markdown() -> str:
    """The pain patterns as a Markdown list, each with its teaching point, sources and verification flag."""
    return "\n".join(
        f"- **{p['name']}** — {p['description']} *{p['teaching']}*"
        + ("" if p.get("verified", True) else f" {_CG75_NOTE}")
        + f" [{', '.join(p['source'])}]"
        for p in _data()["pain_patterns"])


def regional_pictures_markdown() -> str:
    """The cervical, thoracic and lumbar pictures as a Markdown list with sources."""
    return "\n".join(
        f"- **{r['region'].capitalize()}**: " + "; ".join(r["features"]) + f". {r['extra']} [{', '.join(r['source'])}]"
        for r in _data()["by_region"])


def red_flags_markdown() -> str:
    """The red flags as a Markdown list; wording not re-read in NG234 is marked."""
    return "\n".join(
        f"- {f['text']}" + ("" if f.get("verified", True) else " *(wording from NICE CG75, not re-read in NG234)*")
        for f in _data()["red_flags"])


def decision_table_markdown() -> str:
    """The decision table as Markdown, with verified and unverified parts marked."""
    rows = ["| Order | If… | Category | MRI | Steroids | Not verified in the guideline text |", "|---|---|---|---|---|---|"]
    vocab = features()
    for r in sorted(_data()["triage_rules"], key=lambda r: r["rank"]):
        cond = " or ".join(vocab[f].lower() for f in r.get("when_any", [])) or "none of the above"
        if r.get("requires_all"):
            cond += " — and " + " and ".join(vocab[f].lower() for f in r["requires_all"])
        if r.get("requires_any"):
            cond += " — in someone with " + " or ".join(vocab[f].lower() for f in r["requires_any"])
        unv = "; ".join(r.get("unverified_parts", [])) or "—"
        rows.append(f"| {r['rank']} | {cond} | **{CATEGORY_LABELS[r['category']]}** | {r['mri']} | {r['steroids']} | "
                    f"{unv} |")
    return "\n".join(rows) + f"\n\n*{_data()['disclaimer']}* " + sources_line(["nice_ng234", "nice_qs56", "nice_cg75"])


# ----------------------------------------------------------------------------------------------
# Body map drawing
# ----------------------------------------------------------------------------------------------
#: Where each dermatome landmark is drawn on the front-view body map (x, y in map units; figure-left arm/leg).
DERMATOME_XY = {
    "C4": (4.1, 16.7), "C5": (2.75, 15.0), "C6": (1.35, 9.7), "C7": (1.65, 9.05), "C8": (2.05, 9.45),
    "T1": (2.45, 12.2), "T4": (4.3, 15.0), "T6": (5.0, 14.0), "T10": (5.0, 11.8), "T12": (4.3, 9.7),
    "L3": (4.55, 5.2), "L4": (4.3, 2.0), "L5": (4.15, 0.55), "S1": (3.55, 0.55), "S3": (5.0, 8.75),
}
#: Where each key muscle is drawn (figure-right arm/leg).
MYOTOME_XY = {
    "C5": (7.2, 14.0), "C6": (8.0, 11.2), "C7": (7.55, 14.8), "C8": (8.35, 9.7), "T1": (7.9, 9.35),
    "L2": (5.8, 8.3), "L3": (5.75, 6.6), "L4": (5.95, 2.6), "L5": (6.15, 0.6), "S1": (6.55, 2.0),
}
REFLEX_XY = {"biceps": (2.75, 13.3), "brachioradialis": (2.2, 11.3), "triceps": (3.15, 14.2), "patellar": (4.2, 5.0),
             "achilles": (4.05, 1.2), "plantar": (3.9, 0.1)}
TRUNK_Y = {"C4": 16.6, "T4": 15.0, "T6": 14.0, "T10": 11.8, "T12": 9.7}


def _draw_body(ax: Any, labels: bool) -> None:
    skin, edge = "#F2E6D8", PALETTE["black"]
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.6, 20.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(Circle((5, 18.7), 1.1, facecolor=skin, edgecolor=edge, lw=0.8))
    ax.add_patch(Polygon([[4.4, 17.6], [5.6, 17.6], [5.6, 17.0], [4.4, 17.0]], facecolor=skin, edgecolor=edge, lw=0.8))
    ax.add_patch(Polygon([[3.1, 17.0], [6.9, 17.0], [6.5, 9.2], [3.5, 9.2]], facecolor=skin, edgecolor=edge, lw=0.8))
    for sx in (-1, 1):
        x0 = 5 + sx * 1.85
        ax.add_patch(Polygon([[x0, 16.9], [x0 + sx * 0.75, 16.6], [5 + sx * 3.4, 9.6], [5 + sx * 2.9, 9.4]],
                             facecolor=skin, edgecolor=edge, lw=0.8))
        ax.add_patch(Ellipse((5 + sx * 3.45, 9.2), 0.9, 1.2, facecolor=skin, edgecolor=edge, lw=0.8))
        ax.add_patch(Polygon([[5 + sx * 0.1, 9.2], [5 + sx * 1.5, 9.2], [5 + sx * 1.2, 0.9], [5 + sx * 0.5, 0.9]],
                             facecolor=skin, edgecolor=edge, lw=0.8))
        ax.add_patch(Ellipse((5 + sx * 1.1, 0.5), 1.4, 0.6, facecolor=skin, edgecolor=edge, lw=0.8))
    ax.text(0.1, 19.8, "Dermatomes (circles)\nreflexes (triangles)", fontsize=6.5, va="top")
    ax.text(9.9, 19.8, "Key muscles\n(squares)", fontsize=6.5, va="top", ha="right")
    if labels:
        for seg, (x, y) in DERMATOME_XY.items():
            ax.text(x - 0.35, y, seg, fontsize=6, ha="right", va="center")
        for seg, (x, y) in MYOTOME_XY.items():
            ax.text(x + 0.3, y, seg, fontsize=6, ha="left", va="center")


def dermatome_figure() -> tuple[Figure, str]:
    """A front-view body map with the dermatome landmarks and key muscles used in this course."""
    fig = new_figure(4.4, 6.0, layout=None)
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
    _draw_body(ax, labels=True)
    ax.scatter(*zip(*DERMATOME_XY.values()), s=40, facecolor="white", edgecolor=PALETTE["black"], zorder=3)
    ax.scatter(*zip(*MYOTOME_XY.values()), s=36, marker="s", facecolor="white", edgecolor=PALETTE["blue"], zorder=3)
    for seg, y in TRUNK_Y.items():
        ax.plot([3.3, 6.7], [y, y], color=PALETTE["grey"], lw=0.6, linestyle=":")
    fig.suptitle("Dermatome landmarks and key muscles", fontsize=10)
    derm = "; ".join(f"{d['level']} {d['landmark']}" for d in datasets.dermatomes())
    myo = "; ".join(f"{m['level']} {m['muscle']}" for m in datasets.myotomes())
    alt = ("Front view of a standing body. Circles on the left arm, trunk and left leg mark dermatome landmarks: "
           + derm + ". Squares on the right arm and leg mark key muscles: " + myo + ".")
    return fig, alt


def segment_figure() -> tuple[Figure, str]:
    """Cord segments beside the vertebrae: the cord is shorter, so segments lie higher than their vertebra."""
    fig = new_figure(6.0, 4.2, layout=None)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
    names = _vertebra_names()[: _vertebra_names().index("S1") + 1]
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(-0.2, 3.4)
    ax.set_axis_off()
    for i, n in enumerate(names):
        ax.add_patch(Rectangle((i - 0.4, 2.2), 0.8, 0.7, facecolor="#E8E3D3", edgecolor=PALETTE["black"], lw=0.5))
        if i % 2 == 0 or n in ("C7", "T12", "L1"):
            ax.text(i, 3.05, n, ha="center", fontsize=6, rotation=90, va="bottom")
    ax.text(-0.5, 2.55, "vertebrae", fontsize=7, ha="right", va="center", rotation=90)
    shown = ["C4", "C8", "T4", "T8", "T10", "T12", "L3", "S3"]
    pos = {n: i for i, n in enumerate(names)}
    for k, seg in enumerate(shown):
        top, bottom = segment_to_vertebrae(seg)
        x = (pos[top] + pos[bottom]) / 2
        y = 1.1 if k % 2 else 0.55
        ax.plot([x, x], [y + 0.2, 2.2], color=PALETTE["blue"], lw=0.8)
        ax.text(x, y, f"{seg} segment\n≈ {_span(top, bottom)}", fontsize=6.5, ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor=PALETTE["blue"], lw=0.6))
    ax.plot([0, pos["L1"] + 0.5], [1.95, 1.95], color=PALETTE["black"], lw=2.5)
    ax.text(pos["L1"] + 0.7, 1.95, "conus ≈ L1–L2", fontsize=7, va="center")
    fig.suptitle("Cord segments lie higher than the vertebrae of the same number (approximate)", fontsize=9)
    alt = ("A row of vertebrae from C1 to S1 with the spinal cord drawn below it, ending near L1–L2. Labels show "
           "where selected cord segments lie: " + "; ".join(f"{s} segment behind about {_span(*segment_to_vertebrae(s))}"
                                                           for s in shown) + ".")
    return fig, alt


# ----------------------------------------------------------------------------------------------
# Interactives
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


class LocalisationApp(FigureApp):
    """Body map: set the examination findings; the course infers the lesion and explains why."""

    figsize = (6.0, 5.0)
    title = "Body map — set the findings, read the localisation"
    clear_each_update = False
    _body_rect = (0.0, 0.0, 0.62, 0.92)
    _col_rect = (0.66, 0.03, 0.32, 0.87)

    def build_controls(self) -> dict[str, W.Widget]:
        derm = [("none", None)] + [(f"{d['level']} — {d['landmark'][:28]}", d["level"]) for d in datasets.dermatomes()]
        reflex = list(REFLEX_VALUES)
        small = W.Layout(width="15em")
        return {
            "sensory_level": W.Dropdown(options=derm, value=None, description="Sensory level", layout=W.Layout(width="22em")),
            "numb_dermatomes": W.SelectMultiple(options=[d["level"] for d in datasets.dermatomes()], value=(),
                                                description="Patchy numb", rows=4, layout=W.Layout(width="12em")),
            "weak_myotomes": W.SelectMultiple(options=[(f"{m['level']} {m['muscle'][:22]}", m["level"])
                                                       for m in datasets.myotomes()], value=(),
                                              description="Weak", rows=4, layout=W.Layout(width="22em")),
            "biceps": W.Dropdown(options=reflex, value="normal", description="Biceps", layout=small),
            "brachioradialis": W.Dropdown(options=reflex, value="normal", description="Supinator", layout=small),
            "triceps": W.Dropdown(options=reflex, value="normal", description="Triceps", layout=small),
            "patellar": W.Dropdown(options=reflex, value="normal", description="Knee", layout=small),
            "achilles": W.Dropdown(options=reflex, value="normal", description="Ankle", layout=small),
            "plantar": W.Dropdown(options=list(PLANTAR_VALUES), value="flexor", description="Plantar", layout=small),
            "saddle": W.Checkbox(value=False, description="Saddle anaesthesia", indent=False),
            "sphincter": W.Dropdown(options=list(SPHINCTER_VALUES), value="normal", description="Sphincter",
                                    layout=small),
        }

    def setup(self, fig: Figure) -> None:
        self.preset = W.Dropdown(options=["(choose a textbook pattern)"] + list(PRESETS),
                                 value="(choose a textbook pattern)", description="Preset",
                                 layout=W.Layout(width="30em"))
        self.preset.observe(lambda ch: self.load_preset(ch["new"]) if ch["new"] in PRESETS else None, names="value")
        names = _vertebra_names()[: _vertebra_names().index("S2") + 1]
        self._vnames = names

        def draw_column(ax: Any) -> None:
            ax.set_xlim(-1.6, 2.6)
            ax.set_ylim(len(names) + 0.2, -1.0)
            ax.set_axis_off()
            for i, n in enumerate(names):
                ax.add_patch(Rectangle((-0.45, i - 0.4), 0.9, 0.8, facecolor="#E8E3D3", edgecolor=PALETTE["black"],
                                       lw=0.5))
                if i % 2 == 0 or n in ("C7", "T12", "L1"):
                    ax.text(-0.6, i, n, fontsize=6, ha="right", va="center")
            c = names.index("L1") + 0.5
            ax.plot([0.75, 0.75], [-0.5, c], color=PALETTE["black"], lw=2)
            for dx in (-0.1, 0.0, 0.1):
                ax.plot([0.75, 0.75 + dx], [c, len(names) - 0.5], color=PALETTE["black"], lw=0.5)
            ax.text(0.95, c, "conus", fontsize=6, va="center")
            ax.text(0.0, -0.9, "Vertebrae", fontsize=7, ha="center")

        def draw_static(bg: Figure) -> None:
            _draw_body(bg.add_axes(self._body_rect), labels=True)
            draw_column(bg.add_axes(self._col_rect))

        fig.add_artist(Backdrop(render_bitmap(draw_static, self.figsize)))
        body = fig.add_axes(self._body_rect)
        body.set_xlim(0, 10)
        body.set_ylim(-0.6, 20.2)
        body.set_aspect("equal")
        body.set_axis_off()
        body.patch.set_alpha(0)
        col = fig.add_axes(self._col_rect)
        col.set_xlim(-1.6, 2.6)
        col.set_ylim(len(names) + 0.2, -1.0)
        col.set_axis_off()
        col.patch.set_alpha(0)
        self._derm_keys = list(DERMATOME_XY)
        self._myo_keys = list(MYOTOME_XY)
        self._refl_keys = list(REFLEX_XY)
        self._derm = body.scatter(*zip(*DERMATOME_XY.values()), s=42, facecolor="white", edgecolor=PALETTE["black"],
                                  zorder=3)
        self._myo = body.scatter(*zip(*MYOTOME_XY.values()), s=38, marker="s", facecolor="white",
                                 edgecolor=PALETTE["blue"], zorder=3)
        self._brisk = body.scatter([], [], s=50, marker="^", facecolor=PALETTE["orange"], edgecolor=PALETTE["black"],
                                   zorder=4)
        self._lost = body.scatter([], [], s=50, marker="v", facecolor=PALETTE["sky_blue"], edgecolor=PALETTE["black"],
                                  zorder=4)
        (self._level_line,) = body.plot([3.2, 6.8], [0, 0], color=PALETTE["vermillion"], lw=2.0, linestyle="--")
        self._saddle = Ellipse((5.0, 8.7), 1.6, 0.9, facecolor=PALETTE["vermillion"], alpha=0.6, hatch="xx",
                               edgecolor=PALETTE["black"], zorder=2)
        body.add_patch(self._saddle)
        self._band = Rectangle((-0.55, 0), 1.1, 1, facecolor=PALETTE["vermillion"], alpha=0.45, hatch="///",
                               edgecolor=PALETTE["black"], lw=1.2)
        col.add_patch(self._band)
        self._title = fig.text(0.01, 0.97, "", fontsize=9, fontweight="bold", va="top")

    def load_preset(self, name: str) -> None:
        """Set every control to a textbook pattern (see :data:`PRESETS`)."""
        if name not in PRESETS:
            raise ValueError(f"name: {name!r}; accepted: {list(PRESETS)}")
        self.set(**PRESETS[name])

    def control_box(self) -> W.Widget:
        return W.VBox([self.preset, super().control_box()])

    def render(self, fig: Figure, sensory_level: str | None = None, numb_dermatomes: Sequence[str] = (),
               weak_myotomes: Sequence[str] = (), biceps: str = "normal", brachioradialis: str = "normal",
               triceps: str = "normal", patellar: str = "normal", achilles: str = "normal", plantar: str = "flexor",
               saddle: bool = False, sphincter: str = "normal") -> Rendered:
        reflexes = dict(biceps=biceps, brachioradialis=brachioradialis, triceps=triceps, patellar=patellar,
                        achilles=achilles, plantar=plantar)
        result = localise(sensory_level=sensory_level, numb_dermatomes=numb_dermatomes, weak_myotomes=weak_myotomes,
                          reflexes=reflexes, saddle_anaesthesia=saddle, sphincter=sphincter)
        numb_fill = PALETTE["vermillion"]
        s_idx = None if sensory_level is None else SEGMENTS.index(sensory_level)
        colours = []
        for seg in self._derm_keys:
            i = SEGMENTS.index(seg)
            numb = seg in numb_dermatomes or (s_idx is not None and i >= s_idx) or (saddle and seg == "S3")
            colours.append(numb_fill if numb else "white")
        self._derm.set_facecolor(colours)
        self._myo.set_facecolor([PALETTE["blue"] if m in weak_myotomes else "white" for m in self._myo_keys])
        brisk = [REFLEX_XY[k] for k, v in reflexes.items() if v in ("brisk", "extensor")]
        lost = [REFLEX_XY[k] for k, v in reflexes.items() if v in ("reduced", "absent")]
        self._brisk.set_offsets(np.array(brisk).reshape(-1, 2))
        self._lost.set_offsets(np.array(lost).reshape(-1, 2))
        if sensory_level in TRUNK_Y:
            self._level_line.set_ydata([TRUNK_Y[sensory_level]] * 2)
            self._level_line.set_visible(True)
        else:
            self._level_line.set_visible(False)
        self._saddle.set_visible(bool(saddle))
        band = self._vertebral_band(result)
        if band is None:
            self._band.set_visible(False)
        else:
            self._band.set_visible(True)
            self._band.set_bounds(-0.55, band[0] - 0.45, 1.1, band[1] - band[0] + 0.9)
        flag = "  ⚠ findings conflict" if result.conflicts else ""
        self._title.set_text(f"{result.label.capitalize()}"
                             + (f" — vertebrae ≈ {result.vertebrae}" if result.vertebrae and band else "") + flag)
        self.state.update(result=result, syndrome=result.syndrome, vertebrae=result.vertebrae,
                          consistent=result.consistent)
        findings = "; ".join(result.findings) or "no abnormal findings"
        alt = (f"Body map with the findings marked ({findings}) and a vertebral column beside it"
               + (f" with vertebrae {result.vertebrae} shaded" if band else "") + f". Conclusion: {result.summary}")
        return Rendered(alt=alt, html=result.to_html())

    def _vertebral_band(self, result: Localisation) -> tuple[int, int] | None:
        names = self._vnames
        v = result.vertebrae
        if result.syndrome == "none" or not v or v == "several":
            return None
        if v == "L2–sacrum":
            return names.index("L2"), len(names) - 1
        if "foramen" in v or "foramina" in v:
            if v.startswith("sacral"):
                return len(names) - 1, len(names) - 1
            parts = v.split(" foramen")[0].split("–")
            a = parts[0] if parts[0] in names else "C1"
            b = parts[-1] if parts[-1] in names else a
            return names.index(a), names.index(b)
        a, _, b = v.partition("–")
        b = b or a
        if a in names and b in names:
            return names.index(a), names.index(b)
        return None


class TriageApp(FigureApp):
    """Sort the patients by urgency; the board marks each choice against the decision table."""

    figsize = (6.8, 4.0)
    title = "Triage — who needs whole-spine MRI within 24 hours and steroids?"
    clear_each_update = False
    _rect = (0.0, 0.0, 1.0, 0.9)

    def build_controls(self) -> dict[str, W.Widget]:
        opts = [("— choose —", None)] + [(CATEGORY_LABELS[c].split(" — ")[0], c) for c in CATEGORIES]
        controls: dict[str, W.Widget] = {}
        for i, v in enumerate(vignettes(), 1):
            controls[v["id"]] = W.Dropdown(options=opts, value=None, description=f"Patient {i}",
                                           layout=W.Layout(width="18em"))
        controls["show_answers"] = W.Checkbox(value=False, description="Show the decision table's answers",
                                              indent=False)
        return controls

    @property
    def ui(self) -> W.Widget:
        cards = "".join(f"<li><b>Patient {i}.</b> {html.escape(v['text'])}</li>" for i, v in enumerate(vignettes(), 1))
        return W.VBox([W.HTML(f"<b>{self.title}</b><ol style='list-style:none;padding-left:0'>{cards}</ol>"),
                       self.control_box(), self.figure, self.explanation])

    def setup(self, fig: Figure) -> None:
        self._vig = vignettes()
        self._answers = {v["id"]: triage(v["features"]) for v in self._vig}
        n = len(self._vig)
        xs = {c: 1.6 + 1.55 * k for k, c in enumerate(CATEGORIES)}
        self._xs = xs

        def draw(ax: Any) -> None:
            ax.set_xlim(0, 7.0)
            ax.set_ylim(n + 0.2, -1.2)
            ax.set_axis_off()
            headers = {"emergency": "Within 24 h\nMRI + steroids", "urgent": "MRI within\na week", "routine": "Routine"}
            for c, x in xs.items():
                ax.add_patch(Rectangle((x - 0.7, -0.5), 1.4, n, facecolor="#F4F4F4", edgecolor=PALETTE["grey"], lw=0.5))
                ax.text(x, -0.65, headers[c], ha="center", va="bottom", fontsize=7.5, fontweight="bold")
            for i in range(n):
                ax.text(0.1, i, f"Patient {i + 1}", va="center", fontsize=7.5)
            ax.text(6.25, -0.65, "Check", ha="center", va="bottom", fontsize=7.5, fontweight="bold")

        fig.add_artist(Backdrop(render_bitmap(lambda bg: draw(bg.add_axes(self._rect)), self.figsize)))
        ax = fig.add_axes(self._rect)
        ax.set_xlim(0, 7.0)
        ax.set_ylim(n + 0.2, -1.2)
        ax.set_axis_off()
        ax.patch.set_alpha(0)
        self._chosen = ax.scatter([], [], s=90, marker="o", facecolor=PALETTE["blue"], edgecolor=PALETTE["black"],
                                  zorder=3)
        self._correct = ax.scatter([], [], s=260, marker="o", facecolor="none", edgecolor=PALETTE["bluish_green"],
                                   linewidth=2.2, zorder=2)
        self._marks = [ax.text(6.25, i, "", ha="center", va="center", fontsize=9) for i in range(n)]
        self._title = fig.text(0.01, 0.97, "", fontsize=9, fontweight="bold", va="top")

    def render(self, fig: Figure, show_answers: bool = False, **choices: str | None) -> Rendered:
        chosen_xy, correct_xy, rows = [], [], []
        score = answered = 0
        for i, v in enumerate(self._vig):
            choice = choices.get(v["id"])
            answer = self._answers[v["id"]]
            ok = choice == answer.category
            if choice is not None:
                answered += 1
                score += ok
                chosen_xy.append((self._xs[choice], i))
            if show_answers:
                correct_xy.append((self._xs[answer.category], i))
            mark = "" if choice is None else ("✔" if ok else "✘")
            self._marks[i].set_text(mark)
            self._marks[i].set_color(PALETTE["bluish_green"] if ok else PALETTE["vermillion"])
            if choice is not None or show_answers:
                verdict = "" if choice is None else (" ✔ agrees" if ok else " ✘ differs")
                rows.append(
                    f"<li><b>Patient {i + 1}</b>{verdict}"
                    + (f" — your choice: {CATEGORY_LABELS[choice]}" if choice else "")
                    + (f"<br/>Decision table: <b>{CATEGORY_LABELS[answer.category]}</b> "
                       f"(rule {answer.rule_id}: {html.escape('; '.join(answer.reasons))}). "
                       f"MRI: {html.escape(answer.mri)}. Steroids: {html.escape(answer.steroids)}."
                       if show_answers or (choice is not None and not ok) else "") + "</li>")
        self._chosen.set_offsets(np.array(chosen_xy).reshape(-1, 2))
        self._correct.set_offsets(np.array(correct_xy).reshape(-1, 2))
        self._title.set_text(f"{score} of {answered} sorted as the decision table would ({len(self._vig)} patients)")
        self.state.update(score=score, answered=answered,
                          answers={k: a.category for k, a in self._answers.items()})
        disclaimer = html.escape(_data()["disclaimer"])
        text = (f"<ol style='list-style:none;padding-left:0'>{''.join(rows)}</ol>" if rows else
                "<p>Choose a category for each patient.</p>")
        text += f"<p style='font-size:smaller'>{disclaimer}</p>"
        alt = (f"Sorting board with three columns — within 24 hours, within a week, routine — and one row per patient. "
               f"{answered} patients placed, {score} agreeing with the decision table"
               + ("; green rings show the table's answers." if show_answers else "."))
        return Rendered(alt=alt, html=text)
