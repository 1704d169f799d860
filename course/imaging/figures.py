"""Static figures and tables of module 04 (each figure comes with its alt text).

* :func:`collapse_figure` — malignant vs osteoporotic collapse;
* :func:`disc_figure` — metastasis spares the disc, infection centres on it;
* :func:`regions_figure` — cervical, thoracic and lumbar anatomy; the conus and the cauda equina;
* :func:`escc_atlas` — one axial T2 image per Bilsky grade (at T9, or below the conus at L3);
* :func:`modalities_markdown`, :func:`signal_markdown`, :func:`tags_markdown` — tables;
* :func:`bibliography_markdown` — the module's references (from the course bibliography).
"""

from __future__ import annotations

import textwrap
from typing import Any, Iterable

from IPython.display import Markdown, display
from matplotlib.figure import Figure

from course import calculators
from course.imaging.dicom_io import Series
from course.imaging.exercises import annotate, display_pixels
from course.imaging.phantom import (
    ESCC_BELOW_CONUS,
    ESCC_GRADES,
    SEQUENCES,
    Findings,
    Phantom,
    data,
    level_centre,
    neural_content,
    tissue_table,
)
from course.plotting import figure_html, new_figure, show
from course.references import author_years, bibliography, cite

MALIGNANT = Findings(kind="lytic", extent=1.0, collapse=0.4, pedicle="both", escc="2")
OSTEOPOROTIC = Findings(kind="osteoporotic", collapse=0.4)
INFECTION = Findings(kind="infection")
METASTASIS = Findings(kind="lytic", extent=0.9, escc="1b")


def _panel(fig: Figure, n_rows: int, n_cols: int, i: int, image: Any, title: str,
           rows: tuple[int, int] | None = None) -> Any:
    """One image panel: greys, optional zoom on ``rows``, title, orientation letters and a scale bar."""
    ax = fig.add_subplot(n_rows, n_cols, i)
    ax.imshow(display_pixels(image), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    if rows is not None:
        ax.set_ylim(rows[1], rows[0])
    ax.set_title(title, fontsize=8)
    ax.set_axis_off()
    annotate(ax, image)
    return ax


def collapse_figure() -> tuple[Figure, str]:
    """Malignant (top) vs osteoporotic (bottom) collapse of T9: sagittal T1, sagittal STIR, axial T1."""
    fig = new_figure(6.4, 4.6)
    for r, (f, name) in enumerate(((MALIGNANT, "Malignant"), (OSTEOPOROTIC, "Osteoporotic"))):
        ph = Phantom(f)
        for c, seq in enumerate(("T1", "STIR")):
            _panel(fig, 2, 3, 3 * r + c + 1, ph.sagittal(seq), f"{name}: sagittal {seq}", rows=(30, 115))
        _panel(fig, 2, 3, 3 * r + 3, ph.axial("T1"), f"{name}: axial T1 through T9")
    alt = ("Two rows of images of a collapsed T9 vertebra in the synthetic spine. Top row, malignant collapse: the "
           "whole body is dark on T1 and bright on STIR, its posterior border bulges convexly into the canal, an "
           "epidural mass presses on the cord, and on the axial image both pedicles are replaced by tumour. Bottom "
           "row, osteoporotic collapse: the body is wedged anteriorly, only a band under the upper endplate is dark "
           "on T1 and bright on STIR while the rest keeps normal bright fatty marrow, a small bone fragment is pushed "
           "back at the posterior-superior corner, and the pedicles and canal are normal.")
    return fig, alt


def disc_figure() -> tuple[Figure, str]:
    """Metastatic collapse (top) vs spondylodiscitis (bottom): sagittal T1, STIR and T1+Gd FS."""
    fig = new_figure(6.4, 4.4)
    for r, (f, name) in enumerate(((METASTASIS, "Metastasis"), (INFECTION, "Infection"))):
        ph = Phantom(f)
        for c, seq in enumerate(("T1", "STIR", "T1+Gd FS")):
            _panel(fig, 2, 3, 3 * r + c + 1, ph.sagittal(seq), f"{name}: {seq}", rows=(40, 125))
    alt = ("Two rows of sagittal images. Top row, a metastasis in T9: the vertebral body is abnormal (dark on T1, bright "
           "on STIR and after contrast with fat saturation) but the discs above and below keep their normal signal and "
           "height. Bottom row, spondylodiscitis at T9–T10: the disc itself is abnormal — dark on T1, bright on STIR, "
           "enhancing — its endplates are eroded, oedema spreads into both neighbouring vertebrae and a small "
           "paravertebral soft-tissue collar surrounds the disc.")
    return fig, alt


REGION_LEVELS = ("C5", "T9", "L1", "L3")
_REGION_TITLES = {"C5": "C5: wide triangular canal,\nbroad flat cord", "T9": "T9: small round canal,\nround cord",
                  "L1": "L1: the conus, roots\ngathering around it", "L3": "L3: cauda equina roots\nin CSF, no cord"}


def regions_figure() -> tuple[Figure, str]:
    """Normal anatomy by region: zoomed axial T2 at C5, T9, L1 and L3; sagittal T2 of the neck and of the
    thoracolumbar junction (where the cord ends)."""
    fig = new_figure(6.4, 5.6)
    for i, lv in enumerate(REGION_LEVELS):
        _panel(fig, 2, 4, i + 1, Phantom(Findings(level=lv)).escc_view(), _REGION_TITLES[lv])
    neck = Phantom(Findings(level="C5")).sagittal("T2")
    _panel(fig, 2, 2, 3, neck, "Sagittal T2, C3–T1")
    junction = Phantom(Findings(level="L1")).sagittal("T2", centre_z=(level_centre("T12") + level_centre("L2")) / 2)
    _panel(fig, 2, 2, 4, junction, "Sagittal T2, T11–L3: the cord ends")
    alt = ("Normal anatomy of the synthetic spine by region. Top row, axial T2 images zoomed on the canal: at C5 a "
           "small, wide vertebral body, a wide triangular canal and a broad, flattened cord with a thin rim of bright "
           "CSF; at T9 a larger body, a small round canal and a round cord in the middle of the CSF; at L1 the "
           "tapering tip of the cord (the conus) with small nerve roots gathered around it; at L3 a large body, a "
           "triangular canal and no cord — only a cluster of small dark dots, the cauda equina nerve roots, lying in "
           "the back of the bright CSF. Bottom row, midline sagittal T2 images: the neck, with short vertebral bodies "
           "and the cord running through; and the thoracolumbar junction, where the cord narrows into the conus and "
           "ends at about the L1–L2 disc, with thin nerve roots continuing downwards in the CSF.")
    return fig, alt


#: Short titles of the grades read for the cauda equina (below the conus).
_ROOT_DEFINITIONS = {"1b": "Thecal sac deformed, roots not touched", "1c": "Sac deformed, roots touched, not crowded",
                     "2": "Roots compressed, CSF still visible", "3": "Roots compressed, no CSF visible"}


def escc_atlas(level: str = "T9") -> tuple[Figure, str]:
    """One zoomed axial T2 image per Bilsky grade at ``level``, labelled with the calculator's definition
    (below the conus the definitions are read for the nerve roots, see :data:`ESCC_BELOW_CONUS`)."""
    roots = neural_content(level) == "cauda_equina"
    fig = new_figure(7.6, 6.4)
    for i, g in enumerate(ESCC_GRADES):
        img = Phantom(Findings(kind="lytic", level=level, extent=0.7, escc=g)).escc_view()
        ax = _panel(fig, 2, 3, i + 1, img, "")
        definition = _ROOT_DEFINITIONS.get(g, "") if roots else ""
        definition = definition or calculators.escc(grade=g).definition
        ax.set_title(f"Grade {g}\n" + textwrap.fill(definition, 30), fontsize=8)
    if roots:
        alt = (f"Six axial T2 images of the lumbar canal at {level}, below the end of the cord, one per Bilsky grade "
               "applied to the thecal sac and cauda equina. Grade 0: no epidural tumour; small dark nerve roots float in "
               "the back of the bright CSF. 1a: a thin tumour rim in the anterior epidural fat, the sac intact. 1b: the "
               "tumour indents the front of the sac but does not reach the roots. 1c: the tumour touches the front "
               "roots without crowding them. 2: the roots are pushed back and crowded together, with CSF still visible "
               "beside them. 3: the roots are squeezed into one clump and no CSF is left. " + ESCC_BELOW_CONUS)
        return fig, alt
    alt = ("Six axial T2 images of the spinal canal at a vertebral metastasis, one per Bilsky grade. Grade 0: no "
           "epidural tumour. 1a: a thin tumour rim in the anterior epidural fat without touching the thecal sac. 1b: "
           "the tumour indents the front of the bright CSF-filled sac but does not reach the cord. 1c: the tumour "
           "touches the cord without deforming it. 2: the cord is flattened and pushed back, with CSF still visible "
           "around it. 3: the cord is compressed and no CSF is left around it.")
    return fig, alt


ABSCESS = Findings(kind="abscess", level="T9", escc="2", cord_signal=True)
EPIDURAL_TUMOUR = Findings(kind="lytic", level="T9", extent=0.9, escc="2", cord_signal=True)


def abscess_figure() -> tuple[Figure, str]:
    """Epidural tumour (top) vs epidural abscess (bottom): sagittal T2, sagittal T1+Gd FS, axial T1+Gd FS."""
    fig = new_figure(6.4, 4.6)
    for r, (f, name) in enumerate(((EPIDURAL_TUMOUR, "Tumour"), (ABSCESS, "Abscess"))):
        ph = Phantom(f)
        _panel(fig, 2, 3, 3 * r + 1, ph.sagittal("T2"), f"{name}: sagittal T2", rows=(30, 115))
        _panel(fig, 2, 3, 3 * r + 2, ph.sagittal("T1+Gd FS"), f"{name}: T1+Gd FS", rows=(30, 115))
        _panel(fig, 2, 3, 3 * r + 3, ph.axial("T1+Gd FS", size=128, fov=48.0, centre=(0.0, 3.0)),
               f"{name}: axial T1+Gd FS")
    alt = ("Two rows of MR images comparing two causes of epidural cord compression at T9 in the synthetic spine. Top "
           "row, a metastasis: the T9 body is replaced by tumour and a solid mass grows from its back into the canal, "
           "enhancing uniformly after contrast; the compressed cord shows a bright patch of oedema on T2. Bottom row, "
           "an epidural abscess: the T9–T10 disc is infected and bright, and behind it a long collection in the "
           "epidural space is bright on T2; after contrast only its rim enhances while the pus in the centre stays "
           "dark, and the cord above it is compressed and bright on T2.")
    return fig, alt


def screening_figure() -> tuple[Figure, str]:
    """The sagittal whole-spine screening view (T1 and STIR) with a deposit in T4 and level names."""
    from course.imaging.exercises import _level_labels

    ph = Phantom(Findings(kind="lytic", level="T4", extent=0.8, escc="1b"))
    fig = new_figure(5.2, 9.6)
    for i, seq in enumerate(("T1", "STIR")):
        img = ph.whole_spine(seq)
        ax = _panel(fig, 1, 2, i + 1, img, f"Whole spine, sagittal {seq}")
        _level_labels(ax, img, every=2)
    alt = ("Two tall midline sagittal MR images of the whole synthetic spine from C3 to L5, T1 on the left and STIR on "
           "the right, with every other level named. One vertebral body high in the thoracic spine, T4, is dark on T1 "
           "and bright on STIR, with a little tumour behind it in the canal; all the other bodies keep normal marrow "
           "signal. Screening the whole spine at once is what finds such a deposit away from the painful level.")
    return fig, alt


def _makers() -> dict[str, Any]:
    return {"collapse": collapse_figure, "disc": disc_figure, "regions": regions_figure, "escc_atlas": escc_atlas,
            "escc_atlas_lumbar": lambda: escc_atlas("L3"), "abscess": abscess_figure, "screening": screening_figure}


def show_figure(which: str) -> None:
    """Display one of the module's figures by name: ``collapse``, ``disc``, ``regions``, ``escc_atlas``,
    ``escc_atlas_lumbar``, ``abscess`` (epidural tumour vs abscess) or ``screening`` (sagittal whole spine)."""
    makers = _makers()
    if which not in makers:
        raise ValueError(f"which: {which!r}; accepted: {sorted(makers)}")
    fig, alt = makers[which]()
    show(fig, alt)


def figure_as_html(which: str) -> str:
    """The ``<img>`` HTML of a figure (for tests)."""
    fig, alt = _makers()[which]()
    return figure_html(fig, alt)


# ----------------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------------
def _refs(record: dict[str, Any]) -> list[str]:
    src = record.get("source", [])
    return list([src] if isinstance(src, str) else src)


def modalities_markdown() -> str:
    """The comparison table of imaging tests, each row citing its sources author–year."""
    rows = ["| Test | Shows best | Radiation | Availability | Limits and contraindications | Sources |",
            "|---|---|---|---|---|---|"]
    for m in data()["modalities"]:
        nums = author_years(_refs(m))
        rows.append(f"| **{m['name']}** | {m['shows_best']} | {m['radiation']} | {m['availability']} | "
                    f"{m['contraindications']} | {nums} |")
    return "\n".join(rows)


def _word(v: float, ref: float) -> str:
    if v <= 0.12:
        return "very dark"
    if v >= 0.8:
        return "bright"
    if v > ref + 0.25:
        return "brighter than marrow"
    if v < ref - 0.25:
        return "darker than marrow"
    return "like marrow"


def signal_markdown(tissues: Iterable[str] = ("marrow", "disc", "csf", "fat", "lytic", "blastic", "infected_disc",
                                              "fracture_oedema", "epidural_tumour")) -> str:
    """Tissue × modality in words (and HU for CT), from the phantom's illustrative table."""
    table = tissue_table()
    heads = ["CT (HU)", *SEQUENCES]
    rows = ["| Tissue | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for t in tissues:
        cells = [f"{table[t]['hu']:+d}"]
        for key in SEQUENCES.values():
            cells.append(_word(table[t][key], table["marrow"][key]))
        rows.append(f"| {table[t]['label']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def tags_markdown(series: Series, index: int = 0) -> str:
    """The tags of one slice of a series read back from disk, as a Markdown table."""
    rows = ["| DICOM tag | Value |", "|---|---|"]
    for k, v in series.tags(index).items():
        rows.append(f"| {k} | {v} |")
    return "\n".join(rows)


def show_markdown(text: str) -> None:
    """Display Markdown text in a notebook."""
    display(Markdown(text))


# ----------------------------------------------------------------------------------------------
# References
# ----------------------------------------------------------------------------------------------
MODULE_KEYS = ("source_document", "statpearls_spinal_mets", "nice_ng234", "shah2011_imaging", "jung2003_collapse",
               "bilsky2010_escc", "radiopaedia_escc", "radiopaedia_hu", "radiopaedia_ct_windowing", "dicom_ps33",
               "conus_level_sources", "nice_qs56", "nice_cg75", "panjabi1991_cervical", "panjabi1991_thoracic",
               "panjabi1992_lumbar", "grays_anatomy", "bernstein2004_pulse_sequences", "barrett2004_ct_artefacts")


def module_reference_keys() -> list[str]:
    """The module's reference keys, in citation order (every key used by the data file included)."""
    keys = list(MODULE_KEYS)
    for m in data()["modalities"]:
        for k in _refs(m):
            if k not in keys:
                keys.append(k)
    return keys


def resolve(key: str) -> tuple[str, str]:
    """``(citation, confidence)`` of ``key`` in the course bibliography.

    Raises:
        ValueError: for an unknown key.
    """
    ref = cite(key)
    return ref.citation, ref.confidence


def bibliography_markdown() -> str:
    """The reference list of module 04: alphabetical, author–year (:func:`course.references.bibliography`)."""
    return bibliography(module_reference_keys())
