"""Module 01 — the pure model of spinal anatomy and of the epidemiology tables (no widgets, no plotting).

* :func:`level_info` — everything the course says about one vertebral level (region, SINS location class, what
  lies in the canal there, blood-supply landmarks, typical lesion sites).
* :func:`neural_content`, :func:`compression_syndrome` — cord, conus or cauda equina behind a level, and the
  picture its compression gives.
* :func:`primary_table`, :func:`leading_primaries` — the primary-cancer datasets, side by side.
* :func:`regions_table`, :func:`multiplicity_table` — Markdown built from the data files.

Every number comes from the sourced data files through :mod:`course.datasets`. This module imports neither
ipywidgets nor matplotlib (``tests/test_pure_logic.py``); :mod:`course.anatomy` re-exports it and adds the figures
and the interactives.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from course import datasets
from course.references import cite_text, sources_line

REGIONS = ("occiput", "cervical", "thoracic", "lumbar", "sacral", "coccygeal")
SINS_CLASSES = ("junctional", "mobile", "semirigid", "rigid")

#: Colours: one per region and one per SINS class (Okabe–Ito; never the only cue — labels are drawn too).

PRIMARY_LABELS = {
    "lung": "Lung",
    "breast": "Breast",
    "prostate": "Prostate",
    "kidney": "Kidney",
    "gastrointestinal": "Gastrointestinal",
    "liver_biliary": "Liver / biliary",
    "lymphoma": "Lymphoma",
    "melanoma": "Melanoma",
    "thyroid": "Thyroid",
    "unknown": "Unknown primary",
}


# ----------------------------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------------------------
def _idx(name: str) -> int:
    return datasets.level(name).index


def neural_content(name: str) -> str:
    """What normally lies in the canal behind vertebral level ``name`` in an adult.

    Uses the conus level of ``spine.yaml`` (mode at the L1–L2 disc, lowest normal about mid-L2):
    cord down to T12, conus at L1 (sometimes T12 or L2), cauda equina from L2, sacral roots in the
    sacral canal and the filum terminale behind the coccyx.

    Raises:
        ValueError: for an unknown level (listing the accepted levels).
    """
    i = _idx(name)
    if i <= _idx("T11"):
        return "spinal cord"
    if i == _idx("T12"):
        return "lower spinal cord (lumbar and sacral segments); the conus begins here in some people"
    if i == _idx("L1"):
        return "conus medullaris (the cord usually ends at the L1–L2 disc)"
    if i == _idx("L2"):
        return "cauda equina (in a minority the conus still reaches the upper half of L2)"
    if i <= _idx("L5"):
        return "cauda equina (lumbar and sacral nerve roots in the thecal sac)"
    if i <= _idx("S5"):
        return "sacral nerve roots (the thecal sac usually ends near S2)"
    return "no neural tissue of note (filum terminale attaches here)"


def compression_syndrome(name: str) -> str:
    """The compression syndrome an epidural mass at vertebral level ``name`` tends to produce."""
    i = _idx(name)
    if i <= _idx("T11"):
        return "spinal cord compression (upper-motor-neurone signs below the lesion, a sensory level)"
    if i <= _idx("L1"):
        return "conus or mixed cord/cauda equina picture (early bladder and saddle signs)"
    if i <= _idx("S5"):
        return "cauda equina or root compression (lower-motor-neurone signs, saddle anaesthesia)"
    return "no cord or cauda equina at risk"


@dataclass(frozen=True)
class LevelInfo:
    """What the course teaches about one vertebral level."""

    name: str
    region: str
    sins_location: str | None
    sins_points: int | None
    neural_content: str
    compression: str
    region_note: str
    lesion_sites: str
    vascular_notes: tuple[str, ...]
    source: tuple[str, ...]

    def to_html(self) -> str:
        """A short HTML card for the explorer."""
        if self.sins_location is None:
            sins = "outside the SINS location classes (coccyx)"
        else:
            sins = f"<b>{self.sins_location}</b> ({self.sins_points} SINS location points)"
        vasc = "".join(f"<li>{html.escape(v)}</li>" for v in self.vascular_notes)
        vasc_html = f"<li>Blood supply: <ul>{vasc}</ul></li>" if vasc else ""
        return (
            f"<p><b>{self.name}</b> — {self.region} region</p><ul>"
            f"<li>SINS location class: {sins}</li>"
            f"<li>In the canal: {html.escape(self.neural_content)}</li>"
            f"<li>Compression here gives: {html.escape(self.compression)}</li>"
            f"<li>{html.escape(self.region_note)}</li>"
            f"<li>Typical lesion sites: {html.escape(self.lesion_sites)}</li>{vasc_html}</ul>"
            f"<p style='font-size:smaller'>{html.escape(sources_line(self.source))}</p>"
        )


def vascular_notes(name: str) -> tuple[str, ...]:
    """Blood-supply landmarks that apply at level ``name`` (watershed, Adamkiewicz origin range)."""
    i = _idx(name)
    out = []
    if _idx("T4") <= i <= _idx("T9"):
        out.append("mid-thoracic watershed of the cord's blood supply (about T4–T9)")
    if _idx("T8") <= i <= _idx("L1"):
        out.append("within the usual origin range of the artery of Adamkiewicz (T8–L1 in about 89%, most often T9–T12)")
    return tuple(out)


def level_info(name: str) -> LevelInfo:
    """Everything the explorer shows for vertebral level ``name`` (e.g. ``"T12"``, case-insensitive).

    Raises:
        ValueError: for an unknown level, listing the accepted levels.
    """
    lv = datasets.level(name)
    spine = datasets.load("spine")
    sources = ["grays_anatomy", "fisher2010_sins", "conus_level_sources", "statpearls_spinal_mets", "medscape_tse"]
    vasc = vascular_notes(lv.name)
    if vasc:
        sources.append("blood_supply_reviews")
    return LevelInfo(
        name=lv.name,
        region=lv.region,
        sins_location=lv.sins_location,
        sins_points=lv.sins_points,
        neural_content=neural_content(lv.name),
        compression=compression_syndrome(lv.name),
        region_note=datasets.region_note(lv.name),
        lesion_sites=spine["lesion_sites"]["statement"],
        vascular_notes=vasc,
        source=tuple(sources),
    )


def primary_table() -> tuple[list[str], list[dict[str, Any]]]:
    """The primary-cancer datasets: (all categories in a fixed teaching order, the datasets)."""
    data = datasets.distribution("primary")
    cats: list[str] = [c for c in PRIMARY_LABELS if any(c in d["values"] for d in data)]
    for d in data:  # categories the label table does not know yet
        cats += [c for c in d["values"] if c not in cats]
    return cats, data


def leading_primaries(dataset_id: str, n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` most frequent primaries in one dataset, largest first (``unknown`` excluded).

    Raises:
        ValueError: for an unknown dataset id, listing the accepted ids.
    """
    _, data = primary_table()
    ids = [d["id"] for d in data]
    if dataset_id not in ids:
        raise ValueError(f"dataset_id: {dataset_id!r}; accepted: {ids}")
    values = data[ids.index(dataset_id)]["values"]
    ranked = sorted(((k, float(v)) for k, v in values.items() if k != "unknown"), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:n]


def _label(cat: str) -> str:
    return PRIMARY_LABELS.get(cat, cat.replace("_", " ").capitalize())


# ----------------------------------------------------------------------------------------------
# Tables for the notebook (Markdown built from the data files, so no number is typed twice)
# ----------------------------------------------------------------------------------------------
def regions_table() -> str:
    """Markdown table: region, vertebrae, spinal-nerve pairs, SINS location classes present."""
    spine = datasets.load("spine")
    rows = ["| Region | Vertebrae | Levels | Spinal-nerve pairs | SINS location classes |", "|---|---|---|---|---|"]
    for r in spine["regions"]:
        classes = sorted({lv.sins_location or "none (outside SINS)" for lv in datasets.levels() if lv.region == r["name"]},
                         key=lambda c: (SINS_CLASSES + ("none (outside SINS)",)).index(c))
        note = f" ({r['note']})" if r.get("note") else ""
        rows.append(f"| {r['name'].capitalize()} | {r['count']}{note} | {r['first']}–{r['last']} | "
                    f"{r['spinal_nerve_pairs']} | {', '.join(classes)} |")
    t = spine["totals"]
    rows.append(f"| **Total** | **{t['vertebrae']}** ({t['presacral_articulating']} presacral, articulating) | | "
                f"**{t['spinal_nerve_pairs']}** | |")
    return "\n".join(rows) + "\n\n" + sources_line(spine["source"])


def multiplicity_table() -> str:
    """Markdown list of the multiplicity statements, each with its source keys."""
    items = datasets.epidemiology()["multiplicity"]
    return "\n".join(f"- {m['statement']}: **{m['value']}** {cite_text(m['source'])}" for m in items)


def show_markdown(text: str) -> None:
    """Display a Markdown string in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(text))
