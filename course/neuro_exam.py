"""Tables for module 03b (the neurological examination): MRC grades, key muscles, key sensory points,
reflexes and the upper- versus lower-motor-neurone picture, as HTML for the notebook.

Pure presentation over ``course/data/isncsci_exam.yaml`` and ``course/data/neuro.yaml``; no widgets,
no plotting. Every table names its source in author–year form.
"""

from __future__ import annotations

import html
from typing import Iterable, Sequence

from course import datasets
from course.references import author_years

__all__ = ["mrc_table_html", "key_muscles_html", "key_points_html", "reflexes_html", "umn_lmn_html",
           "classification_text"]


def _author_year(keys: Iterable[str]) -> str:
    """ "Rupp et al., 2021" for each key (the course's one citation renderer)."""
    return author_years(keys)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], caption: str) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(str(c))}</td>" for c in row)
                   + "</tr>" for row in rows)
    return (f"<table><caption style='caption-side:bottom;text-align:left'>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _data() -> dict:
    return datasets.load("isncsci_exam")


def mrc_table_html() -> str:
    """The MRC (Medical Research Council) muscle power scale, 0–5."""
    mrc = _data()["mrc_grades"]
    return _table(["Grade", "What you see"], [(g["grade"], g["meaning"]) for g in mrc["grades"]],
                  f"MRC power scale ({_author_year(mrc['source'])}); ISNCSCI adds NT, not testable.")


def key_muscles_html() -> str:
    """The ten ISNCSCI key muscles of each side."""
    d = _data()
    return _table(["Level", "Movement tested", "Muscle"],
                  [(m["level"], m["action"], m["muscle"]) for m in d["key_muscles"]],
                  f"ISNCSCI key muscles ({_author_year(['rupp2021_isncsci'])}).")


def key_points_html() -> str:
    """The 28 ISNCSCI key sensory points of each side."""
    d = _data()
    return _table(["Level", "Key sensory point"], [(p["level"], p["point"]) for p in d["key_sensory_points"]],
                  f"ISNCSCI key sensory points ({_author_year(['rupp2021_isncsci'])}); each is scored for light "
                  "touch and pin prick: 2 normal, 1 altered, 0 absent, NT not testable.")


def reflexes_html() -> str:
    """Deep tendon and superficial reflexes with their roots (alternatives where sources differ)."""
    neuro = datasets.load("neuro")
    rows = []
    for r in neuro["reflexes"]:
        roots = "–".join(r["roots"]) if len(r["roots"]) <= 2 else ", ".join(r["roots"])
        rows.append((r["name"], roots, r.get("alternative", "")))
    return _table(["Reflex", "Roots", "Other sources say"], rows,
                  f"Reflex roots ({_author_year(['neuro_exam_sources'])}); the sources disagree by a root "
                  "for several reflexes.")


UMN_LMN = (
    ("Tone", "increased (spastic), after the acute phase", "reduced (flaccid)"),
    ("Tendon reflexes", "brisk below the lesion", "reduced or absent in the affected roots"),
    ("Clonus", "may be present (ankle: rhythmic beats after a brisk dorsiflexion)", "absent"),
    ("Plantar response", "extensor (upgoing)", "flexor or absent"),
    ("Wasting and fasciculation", "little", "wasting later; fasciculation possible"),
    ("Typical lesion in spinal metastasis", "compression of the cord, above the conus",
     "cauda equina or nerve roots, below the conus"),
)


def umn_lmn_html() -> str:
    """Upper versus lower motor neurone signs (with the spinal-shock caveat in the caption)."""
    return _table(["Sign", "Upper motor neurone (cord)", "Lower motor neurone (cauda equina, roots)"],
                  UMN_LMN, "In the first days after an acute cord lesion ('spinal shock') tone and reflexes "
                           "below it can be lost, mimicking a lower-motor-neurone picture.")


def classification_text(result) -> str:
    """The five plain-language steps of an ISNCSCI classification, one per line."""
    return "\n".join(result.explanation)
