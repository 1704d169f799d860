"""Module 01 — spinal anatomy and the epidemiology of spinal metastases.

Static figures and interactives used by ``notebooks/01_anatomy_and_epidemiology.ipynb``, over the pure model
:mod:`course.anatomy_model` (re-exported here, so ``A.level_info`` etc. keep working).
Every number comes from the sourced data files (``course/data/spine.yaml``, ``epidemiology.yaml``)
through :mod:`course.datasets`; nothing clinical is typed here.

Public API
----------
* :func:`level_info` — everything the course says about one vertebral level (region, SINS location
  class, what lies in the canal there, blood-supply landmarks, typical lesion sites).
* :func:`neural_content` — cord, conus or cauda equina behind a vertebral level.
* :func:`primary_table`, :func:`leading_primaries` — the primary-cancer datasets, side by side.
* Figures: :func:`spine_figure`, :func:`vertebra_figure`, :func:`compartment_figure`,
  :func:`regional_figure`, :func:`prevalence_figure` (each returns ``(fig, alt)``).
* Interactives: :class:`SpineExplorer`, :class:`PrimaryDistributionApp`.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

import ipywidgets as W
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, Polygon, Rectangle

from course import datasets
from course.anatomy_model import (
    PRIMARY_LABELS,
    REGIONS,
    SINS_CLASSES,
    LevelInfo,
    _idx,
    _label,
    compression_syndrome,
    leading_primaries,
    level_info,
    multiplicity_table,
    neural_content,
    primary_table,
    regions_table,
    show_markdown,
    vascular_notes,
)
from course.references import author_years, cite_text, sources_line
from course.plotting import CYCLE, PALETTE, Backdrop, TextSprite, new_figure, render_bitmap, style_axes
from course.widgets import FigureApp, Rendered

#: The pure model (course.anatomy_model) is re-exported as part of this module's API.
__all__ = [
    "PRIMARY_LABELS",
    "REGIONS",
    "SINS_CLASSES",
    "LevelInfo",
    "compression_syndrome",
    "leading_primaries",
    "level_info",
    "multiplicity_table",
    "neural_content",
    "primary_table",
    "regions_table",
    "show_markdown",
    "vascular_notes",
    "spine_figure",
    "vertebra_figure",
    "compartment_figure",
    "regional_figure",
    "prevalence_figure",
    "SpineExplorer",
    "PrimaryDistributionApp",
    "REGION_COLOURS",
    "SINS_COLOURS",
]

REGION_COLOURS = {
    "occiput": PALETTE["grey"],
    "cervical": PALETTE["sky_blue"],
    "thoracic": PALETTE["orange"],
    "lumbar": PALETTE["bluish_green"],
    "sacral": PALETTE["reddish_purple"],
    "coccygeal": PALETTE["yellow"],
}
SINS_COLOURS = {
    "junctional": PALETTE["vermillion"],
    "mobile": PALETTE["orange"],
    "semirigid": PALETTE["sky_blue"],
    "rigid": PALETTE["blue"],
    None: "#DDDDDD",
}

# ----------------------------------------------------------------------------------------------
# The spine diagram (shared by the static figure and the explorer)
# ----------------------------------------------------------------------------------------------
_WIDTH = {"occiput": 1.6, "cervical": 0.9, "thoracic": 1.1, "lumbar": 1.45, "sacral": 1.3, "coccygeal": 0.5}


def _y(i: int) -> float:
    return -float(i)


def _draw_spine(ax: Any) -> dict[str, Any]:
    """Draw the column (one box per level), the cord, conus and cauda equina. Returns the artists."""
    ax.set_xlim(-3.2, 5.6)
    ax.set_ylim(-34.2, 1.0)
    ax.set_axis_off()
    boxes = {}
    for lv in datasets.levels():
        w = _WIDTH[lv.region] * (1.0 - 0.5 * max(0, lv.index - 29) / 4 if lv.region == "sacral" else 1.0)
        box = Rectangle((-w / 2, _y(lv.index) - 0.38), w, 0.76, linewidth=0.6, edgecolor=PALETTE["black"],
                        facecolor=REGION_COLOURS[lv.region])
        ax.add_patch(box)
        boxes[lv.name] = box
        if lv.name in ("Oc", "C1", "C7", "T1", "T12", "L1", "L5", "S1", "Co1") or lv.index % 2 == 0 and lv.region != "coccygeal":
            ax.text(-w / 2 - 0.15, _y(lv.index), lv.name, ha="right", va="center", fontsize=8)
    # cord (behind the column, drawn to the right as in a lateral view), ending at the L1–L2 disc
    conus_y = _y(_idx("L1")) - 0.5
    ax.plot([1.1, 1.1], [_y(0) - 0.2, conus_y + 0.6], color=PALETTE["black"], lw=2.2, solid_capstyle="round")
    ax.add_patch(Polygon([[0.98, conus_y + 0.6], [1.22, conus_y + 0.6], [1.1, conus_y]], closed=True,
                         color=PALETTE["black"]))
    for dx in (-0.12, -0.04, 0.04, 0.12):
        ax.plot([1.1 + dx / 3, 1.1 + dx], [conus_y, _y(_idx("S2"))], color=PALETTE["black"], lw=0.5)
    ax.text(1.35, _y(_idx("C4")), "spinal cord", fontsize=8, va="center")
    ax.text(1.35, conus_y, "conus (≈ L1–L2 disc)", fontsize=8, va="center")
    ax.text(1.35, _y(_idx("L4")), "cauda equina", fontsize=8, va="center")
    # blood-supply landmarks
    t4, t9, t8, l1 = (_y(_idx(n)) for n in ("T4", "T9", "T8", "L1"))
    ax.plot([2.9, 2.9], [t4 + 0.4, t9 - 0.4], color=PALETTE["vermillion"], lw=3)
    ax.text(3.05, (t4 + t9) / 2, "watershed\n(≈ T4–T9)", fontsize=8, va="center", color=PALETTE["black"])
    ax.plot([2.55, 2.55], [t8 + 0.4, l1 - 0.4], color=PALETTE["blue"], lw=3, linestyle=(0, (2, 1)))
    ax.text(2.7, _y(_idx("T11")) - 0.6, "Adamkiewicz origin\n(T8–L1 in ≈ 89%)", fontsize=8, va="center")
    return {"boxes": boxes}


def _colour(lv: datasets.Level, colour_by: str) -> str:
    return REGION_COLOURS[lv.region] if colour_by == "region" else SINS_COLOURS[lv.sins_location]


def _legend_handles(colour_by: str) -> list[Rectangle]:
    if colour_by == "region":
        items = [(r, REGION_COLOURS[r]) for r in REGIONS]
    else:
        pts = datasets.load("spine")["sins_location"]["points"]
        items = [(f"{c} ({pts[c]})", SINS_COLOURS[c]) for c in SINS_CLASSES] + [("coccyx (no SINS)", SINS_COLOURS[None])]
    return [Rectangle((0, 0), 1, 1, facecolor=c, edgecolor=PALETTE["black"], label=lab) for lab, c in items]


def spine_figure(colour_by: str = "region") -> tuple[Figure, str]:
    """The whole column from occiput to coccyx, coloured by ``region`` or ``sins`` location class.

    Raises:
        ValueError: for another ``colour_by``.
    """
    if colour_by not in ("region", "sins"):
        raise ValueError(f"colour_by: {colour_by!r}; accepted: ['region', 'sins']")
    fig = new_figure(5.0, 6.6, layout=None)
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.94))
    artists = _draw_spine(ax)
    for lv in datasets.levels():
        artists["boxes"][lv.name].set_facecolor(_colour(lv, colour_by))
    ax.legend(handles=_legend_handles(colour_by), loc="lower right", fontsize=8, frameon=False,
              title="SINS location (points)" if colour_by == "sins" else "Region", title_fontsize=8)
    totals = datasets.load("spine")["totals"]
    fig.suptitle(f"The vertebral column: {totals['vertebrae']} vertebrae, cord ending near L1–L2", fontsize=10)
    if colour_by == "region":
        alt = ("Diagram of the vertebral column from the occiput to the coccyx, one box per vertebra coloured by "
               "region: 7 cervical, 12 thoracic, 5 lumbar, 5 fused sacral and 4 coccygeal. A black line for the "
               "spinal cord runs down behind the column and ends in the conus at about the L1–L2 disc; thin lines "
               "below it are the cauda equina. Brackets mark the mid-thoracic watershed (about T4–T9) and the usual "
               "origin range of the artery of Adamkiewicz (T8–L1).")
    else:
        alt = ("The same column coloured by SINS location class: junctional (occiput–C2, C7–T2, T11–L1, L5–S1; 3 "
               "points), mobile (C3–C6 and L2–L4; 2 points), semirigid (T3–T10; 1 point), rigid (S2–S5; 0 points); "
               "the coccyx is outside SINS.")
    return fig, alt


# ----------------------------------------------------------------------------------------------
# Parts of a vertebra (axial view)
# ----------------------------------------------------------------------------------------------
def vertebra_figure(show_lesions: bool = True) -> tuple[Figure, str]:
    """Schematic axial view of a thoracic vertebra with the parts named and typical lesion sites marked."""
    fig = new_figure(6.2, 4.6, layout=None)
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
    ax.set_xlim(-6.5, 6.5)
    ax.set_ylim(-5.4, 4.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    bone = "#E8E3D3"
    edge = PALETTE["black"]
    # body (anterior = top of the picture)
    ax.add_patch(Ellipse((0, 2.4), 5.0, 3.6, facecolor=bone, edgecolor=edge, lw=1.2))
    # pedicles
    for s in (-1, 1):
        ax.add_patch(Rectangle((s * 1.55 - 0.45, -0.4), 0.9, 1.4, facecolor=bone, edgecolor=edge, lw=1.2))
        # transverse process and facet
        ax.add_patch(Polygon([[s * 1.9, -0.2], [s * 4.6, 0.2], [s * 4.6, -0.6], [s * 1.9, -1.0]], closed=True,
                             facecolor=bone, edgecolor=edge, lw=1.2))
        ax.add_patch(Circle((s * 2.1, -1.45), 0.45, facecolor="#CFC6AA", edgecolor=edge, lw=1.0))
        # lamina
        ax.add_patch(Polygon([[s * 1.95, -1.0], [s * 0.35, -3.0], [s * 0.35, -3.6], [s * 2.1, -1.6]], closed=True,
                             facecolor=bone, edgecolor=edge, lw=1.2))
    # spinous process
    ax.add_patch(Polygon([[-0.35, -3.0], [0.35, -3.0], [0.2, -5.0], [-0.2, -5.0]], closed=True,
                         facecolor=bone, edgecolor=edge, lw=1.2))
    # canal, epidural fat/veins, dura and cord
    ax.add_patch(Circle((0, -1.05), 1.45, facecolor="white", edgecolor=edge, lw=0.8))
    ax.add_patch(Circle((0, -1.05), 1.45, facecolor=PALETTE["yellow"], alpha=0.35, lw=0))
    ax.add_patch(Circle((0, -1.05), 1.1, facecolor="white", edgecolor=PALETTE["blue"], lw=1.2, linestyle="--"))
    ax.add_patch(Ellipse((0, -1.05), 1.4, 1.05, facecolor=PALETTE["grey"], edgecolor=edge, lw=0.8))
    labels = [
        ((0, 2.6), (-5.8, 3.0), "vertebral body"),
        ((1.55, 0.4), (4.4, 2.6), "pedicle"),
        ((-1.2, -2.4), (-5.8, -3.3), "lamina"),
        ((-2.1, -1.45), (-5.8, -1.6), "facet joint"),
        ((3.8, -0.1), (4.3, -1.6), "transverse process"),
        ((0.1, -4.4), (2.2, -4.9), "spinous process"),
        ((1.25, -0.55), (3.3, 0.9), "epidural space"),
        ((0.9, -1.55), (3.1, -2.9), "dura (thecal sac)"),
        ((0.0, -1.05), (-5.8, 0.3), "spinal cord in the canal"),
    ]
    for xy, xytext, text in labels:
        ax.annotate(text, xy=xy, xytext=xytext, fontsize=8, arrowprops=dict(arrowstyle="-", lw=0.6, color=edge),
                    va="center")
    if show_lesions:
        ax.add_patch(Circle((0.9, 2.2), 0.7, facecolor=PALETTE["vermillion"], edgecolor=edge, lw=0.8, hatch="///"))
        ax.add_patch(Circle((-1.55, 0.35), 0.35, facecolor=PALETTE["vermillion"], edgecolor=edge, lw=0.8, hatch="///"))
        ax.annotate("", xy=(0.3, 0.0), xytext=(0.6, 1.5),
                    arrowprops=dict(arrowstyle="-|>", lw=1.4, color=PALETTE["vermillion"]))
        ax.text(-6.3, 4.55, "Hatched red: typical metastasis sites (body first, then pedicle);\narrow: epidural growth "
                "backwards onto the cord", fontsize=8, va="top")
    fig.suptitle("Parts of a vertebra (axial view, front at the top)", fontsize=10)
    alt = ("Schematic cross-section of a thoracic vertebra seen from above, front at the top. The large oval vertebral "
           "body is in front; two pedicles connect it to the laminae, which meet behind in the spinous process; "
           "transverse processes stick out sideways and the facet joints sit where pedicle and lamina meet. The canal "
           "in the middle holds the spinal cord inside the dura; the yellow ring between dura and bone is the "
           "epidural space (fat and veins).")
    if show_lesions:
        alt += (" Hatched red circles mark the usual sites of metastases — the vertebral body and the pedicle — and a "
                "red arrow shows tumour growing backwards from the body into the epidural space towards the cord.")
    return fig, alt


# ----------------------------------------------------------------------------------------------
# Epidemiology figures
# ----------------------------------------------------------------------------------------------
def compartment_figure() -> tuple[Figure, str]:
    """Where metastases sit relative to dura and cord: extradural, intradural-extramedullary, intramedullary."""
    comp = datasets.epidemiology()["compartment"]
    names = {"extradural": "Extradural", "intradural_extramedullary": "Intradural\nextramedullary",
             "intramedullary": "Intramedullary"}
    fig = new_figure(6.0, 2.6)
    ax = fig.add_subplot()
    style_axes(ax)
    keys = list(comp["values"])
    for i, k in enumerate(keys):
        lo, hi = comp["values"][k]
        ax.barh(i, hi, color=CYCLE[i], edgecolor=PALETTE["black"], height=0.55)
        ax.text(hi + 1.5, i, f"{lo}–{hi}%", va="center", fontsize=8)
    ax.set_yticks(range(len(keys)), [names.get(k, k) for k in keys], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel("% of spinal metastases (upper end of the quoted range)")
    ax.set_title("Most metastases are outside the dura (Medscape, Tse)", fontsize=9)
    v = comp["values"]
    alt = (f"Horizontal bar chart of where spinal metastases sit: extradural {v['extradural'][0]}–{v['extradural'][1]}%, "
           f"intradural extramedullary {v['intradural_extramedullary'][0]}–{v['intradural_extramedullary'][1]}%, "
           f"intramedullary {v['intramedullary'][0]}–{v['intramedullary'][1]}%.")
    return fig, alt


def regional_figure() -> tuple[Figure, str]:
    """Cervical/thoracic/lumbar share of symptomatic lesions in each dataset (ranges where given)."""
    data = datasets.distribution("regional")
    regions = ["cervical", "thoracic", "lumbar"]
    fig = new_figure(6.4, 3.0)
    ax = fig.add_subplot()
    style_axes(ax)
    n = len(data)
    width = 0.8 / n
    hatches = ["", "//", "..", "xx"]
    parts = []
    for j, d in enumerate(data):
        xs = [i - 0.4 + width * (j + 0.5) for i in range(len(regions))]
        vals = [d["values"][r] for r in regions]
        ax.bar(xs, vals, width=width, color=CYCLE[j], edgecolor=PALETTE["black"], hatch=hatches[j % 4],
               label=d["label"])
        if "ranges" in d:
            lo = [d["values"][r] - d["ranges"][r][0] for r in regions]
            hi = [d["ranges"][r][1] - d["values"][r] for r in regions]
            ax.errorbar(xs, vals, yerr=[lo, hi], fmt="none", ecolor=PALETTE["black"], capsize=3, lw=1)
        parts.append(f"{d['label']}: " + ", ".join(f"{r} {d['values'][r]:g}%" for r in regions))
    ax.set_xticks(range(len(regions)), [r.capitalize() for r in regions])
    ax.set_ylabel("% of symptomatic lesions / MSCC")
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    ax.set_ylim(0, 100)
    ax.set_title("Thoracic spine first in every source; the smaller shares differ", fontsize=9)
    alt = ("Grouped bar chart of the share of symptomatic spinal metastases or cord compressions by region in four "
           "sources. " + "; ".join(parts) + ". Rades and Schild give ranges (cervical under 10, thoracic 60–80, "
           "lumbar 15–30%), drawn as error bars around the midpoints.")
    return fig, alt


def prevalence_figure() -> tuple[Figure, str]:
    """The quoted ranges for how many cancer patients have spinal metastases or MSCC, source by source."""
    rows = datasets.epidemiology()["prevalence"]
    fig = new_figure(8.0, 0.62 * len(rows) + 1.0)
    ax = fig.add_subplot()
    style_axes(ax)
    labels, parts = [], []
    for i, r in enumerate(rows):
        hi = r["high"]
        lo = r["low"] if r["low"] is not None else 0
        colour = PALETTE["blue"] if "mscc" not in r["id"] else PALETTE["vermillion"]
        style = "-" if r["low"] is not None else ":"
        ax.plot([lo, hi], [i, i], color=colour, lw=5 if r["low"] is not None else 2.5, linestyle=style,
                solid_capstyle="butt")
        ax.plot([hi], [i], marker="|", color=PALETTE["black"], markersize=10)
        text = f"{r['low']}–{hi}%" if r["low"] is not None and r["low"] != hi else (
            f"≈{hi}%" if r["low"] == hi else f"up to {hi}%")
        sep = "\n" if hi >= 60 else "  "  # long labels on the right-hand bars wrap instead of running off
        ax.text(hi + 1.5, i, f"{text}{sep}({author_years(r['source'])})", va="center", fontsize=8)
        labels.append(textwrap.fill(r["statement"], 44) + "\n" + cite_text(r["source"]))
        parts.append(f"{r['statement']}: {text}")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 135)
    ax.set_xlabel("%\nblue: spinal metastases; red: cord compression; dotted: 'up to'")
    ax.set_title("How common? Each source counts a different thing", fontsize=9)
    alt = "Range chart of quoted frequencies. " + "; ".join(parts) + "."
    return fig, alt


# ----------------------------------------------------------------------------------------------
# Interactives
# ----------------------------------------------------------------------------------------------
def _background(colour_by: str, size: tuple[float, float], rect: tuple[float, float, float, float]) -> Any:
    """Render the static spine drawing once to an RGBA array (text is the costly part of a redraw)."""

    def draw(fig: Figure) -> None:
        ax = fig.add_axes(rect)
        artists = _draw_spine(ax)
        for lv in datasets.levels():
            artists["boxes"][lv.name].set_facecolor(_colour(lv, colour_by))
        ax.legend(handles=_legend_handles(colour_by), loc="lower right", fontsize=8, frameon=False,
                  title_fontsize=8, title="SINS location (points)" if colour_by == "sins" else "Region")

    return render_bitmap(draw, size)


class SpineExplorer(FigureApp):
    """Choose a level: the diagram highlights it and the panel names its region, SINS class and risks.

    The column, labels and legend are drawn once per colour scheme into a bitmap; an update only moves
    the highlight, the arrow and the title (about 20 ms instead of about 90 ms).
    """

    figsize = (5.0, 6.6)
    title = "Spine explorer — choose a vertebral level"
    clear_each_update = False
    _rect = (0.0, 0.0, 1.0, 0.95)

    def build_controls(self) -> dict[str, W.Widget]:
        names = [lv.name for lv in datasets.levels()]
        return {
            "level": W.Dropdown(options=names, value="T12", description="Level", layout=W.Layout(width="11em")),
            "colour_by": W.ToggleButtons(options=[("Region", "region"), ("SINS location class", "sins")],
                                         value="region", description="Colour by"),
        }

    def setup(self, fig: Figure) -> None:
        self._backgrounds = {c: _background(c, self.figsize, self._rect) for c in ("region", "sins")}
        self._image = Backdrop(self._backgrounds["region"])
        fig.add_artist(self._image)
        ax = fig.add_axes(self._rect)
        ax.set_xlim(-3.2, 5.6)
        ax.set_ylim(-34.2, 1.0)
        ax.set_axis_off()
        ax.patch.set_alpha(0.0)
        self._ax = ax
        self._box = Rectangle((0, 0), 1, 0.76, fill=False, linewidth=2.5, edgecolor=PALETTE["black"])
        ax.add_patch(self._box)
        self._marker = ax.annotate("", xy=(-1.0, 0), xytext=(-2.6, 0), fontsize=8, fontweight="bold",
                                   va="center", arrowprops=dict(arrowstyle="-|>", lw=1.5, color=PALETTE["black"]))
        self._title = fig.suptitle("", fontsize=10)

    def render(self, fig: Figure, level: str = "T12", colour_by: str = "region") -> Rendered:
        info = level_info(level)
        lv = datasets.level(level)
        self._image.rgba = self._backgrounds[colour_by]
        w = _WIDTH[lv.region] * (1.0 - 0.5 * max(0, lv.index - 29) / 4 if lv.region == "sacral" else 1.0)
        y = _y(lv.index)
        self._box.set_bounds(-w / 2, y - 0.38, w, 0.76)
        self._marker.xy = (-w / 2 - 0.05, y)
        self._marker.set_position((-3.1, y))
        self._marker.set_text(lv.name)
        sins_txt = "no SINS class" if info.sins_location is None else f"SINS {info.sins_location} ({info.sins_points})"
        self._title.set_text(f"{lv.name}: {info.region}, {sins_txt}")
        self.state.update(level=lv.name, region=info.region, sins_location=info.sins_location,
                          sins_points=info.sins_points, neural_content=info.neural_content, info=info,
                          colour_by=colour_by)
        alt = (f"Diagram of the vertebral column coloured by {'region' if colour_by == 'region' else 'SINS location class'}"
               f" with {lv.name} highlighted by an arrow: {info.region} region, {sins_txt}; behind it lies the "
               f"{info.neural_content}.")
        return Rendered(alt=alt, html=info.to_html())


class PrimaryDistributionApp(FigureApp):
    """Which primary cancers cause spinal metastases — switch sources and watch the ranking change."""

    figsize = (6.4, 3.8)
    title = "Primary cancers behind spinal metastases — three sources"
    clear_each_update = False

    def build_controls(self) -> dict[str, W.Widget]:
        _, data = primary_table()
        options = [(d["label"].split(" (")[0], d["id"]) for d in data] + [("All side by side", "all")]
        return {
            "source": W.ToggleButtons(options=options, value=data[0]["id"], description="Source"),
            "order": W.ToggleButtons(options=[("Largest first", "ranked"), ("Fixed order", "fixed")],
                                     value="ranked", description="Order"),
        }

    def setup(self, fig: Figure) -> None:
        self._cats, self._data = primary_table()
        n = len(self._cats)
        hatches = ["", "//", ".."]
        margins = dict(left=0.34, right=0.97, top=0.9, bottom=0.14)

        def frame(ax: Any) -> None:
            ax.set_xlim(0, 40)
            ax.set_ylim(n - 0.5, -0.5)

        def static(with_legend: bool) -> Any:
            def draw(bg: Figure) -> None:
                bg.subplots_adjust(**margins)
                ax = bg.add_subplot()
                style_axes(ax)
                frame(ax)
                ax.set_yticks([])
                ax.set_xticks([0, 10, 20, 30, 40])
                ax.set_xlabel("% of spinal metastases")
                if with_legend:
                    handles = [Rectangle((0, 0), 1, 1, facecolor=CYCLE[j], edgecolor=PALETTE["black"],
                                         hatch=hatches[j % 3], label=d["label"]) for j, d in enumerate(self._data)]
                    ax.legend(handles=handles, fontsize=8, frameon=False, loc="lower right")
            return render_bitmap(draw, self.figsize)

        # Axis frame, ticks, label and legend are painted once (text is the costly part of a redraw);
        # the bars and the row labels are updated on a transparent axes on top.
        self._backdrops = {"single": static(False), "all": static(True)}
        self._backdrop = Backdrop(self._backdrops["single"])
        fig.add_artist(self._backdrop)
        fig.subplots_adjust(**margins)
        ax = fig.add_subplot()
        frame(ax)
        ax.set_axis_off()
        ax.patch.set_alpha(0)
        self._ax = ax
        self._bars: list[list[Rectangle]] = []
        for j, d in enumerate(self._data):
            rects = ax.barh(range(n), [0.0] * n, height=0.8, color=CYCLE[j], edgecolor=PALETTE["black"],
                            hatch=hatches[j % 3], label=d["label"])
            self._bars.append(list(rects))
        # One label per row, left of the axis, carrying the value in single-source view.
        # Row labels as cached bitmaps: they take few distinct values, and text is the costly part.
        self._row_labels = [TextSprite(ax, -0.01, i, "", fontsize=8) for i in range(n)]
        for sprite in self._row_labels:
            fig.add_artist(sprite)
        self._title = ax.set_title("", fontsize=9)

    def _order(self, source: str, order: str) -> list[str]:
        if order == "fixed":
            return list(self._cats)
        if source == "all":
            def score(c: str) -> float:
                vals = [float(d["values"][c]) for d in self._data if c in d["values"]]
                return sum(vals) / len(self._data)
        else:
            chosen = next(d for d in self._data if d["id"] == source)

            def score(c: str) -> float:
                return float(chosen["values"].get(c, -1.0))
        return sorted(self._cats, key=lambda c: (-score(c), self._cats.index(c)))

    def render(self, fig: Figure, source: str = "source_document", order: str = "ranked") -> Rendered:
        cats = self._order(source, order)
        shown = [j for j, d in enumerate(self._data) if source in ("all", d["id"])]
        k = len(shown)
        h = 0.8 / k
        for j, d in enumerate(self._data):
            visible = j in shown
            slot = shown.index(j) if visible else 0
            for c, rect in zip(self._cats, self._bars[j]):
                rect.set_visible(visible)
                if visible:
                    value = d["values"].get(c)
                    rect.set_y(cats.index(c) - 0.4 + slot * h)
                    rect.set_height(h * 0.95)
                    rect.set_width(0.0 if value is None else float(value))
        for i, c in enumerate(cats):
            if k == 1:
                value = self._data[shown[0]]["values"].get(c)
                suffix = " (not reported)" if value is None else f"  {float(value):g}%"
            else:
                reported = sum(c in d["values"] for d in self._data)
                suffix = f" ({reported}/{len(self._data)})"
            self._row_labels[i].set_text(_label(c) + suffix)
        self._backdrop.rgba = self._backdrops["all" if source == "all" else "single"]
        # model results
        leaders = {d["id"]: leading_primaries(d["id"], 3) for d in self._data}
        firsts = {i: lead[0][0] for i, lead in leaders.items()}
        self.state.update(source=source, order=cats, leaders=leaders, first_by_source=firsts)
        if source == "all":
            self._title.set_text("Three sources, three rankings")
            listing = "; ".join(
                f"{d['label']}: " + ", ".join(f"{_label(c).lower()} {v:g}%" for c, v in leaders[d['id']])
                for d in self._data)
            disagree = sorted({_label(v) for v in firsts.values()})
            text = (f"<p>The first-ranked primary differs between sources: <b>{' vs '.join(disagree)}</b>. "
                    f"Top three — {html.escape(listing)}.</p>"
                    "<p>The cohorts differ (a hospital page with no named study, a US review, 1,196 Chinese "
                    "patients in whom one in six had no known primary), so the figures cannot be compared one to "
                    "one. None of the lists sums to 100%: the rest are other or unlisted primaries.</p>")
            alt = ("Grouped horizontal bars of primary-cancer shares in three sources, "
                   + ("largest first. " if order == "ranked" else "in a fixed order. ") + listing + ".")
        else:
            d = next(x for x in self._data if x["id"] == source)
            lead = leaders[source]
            total = sum(float(v) for v in d["values"].values())
            others = [x for x in self._data if x["id"] != source and firsts[x["id"]] != firsts[source]]
            contrast = "".join(
                f" {html.escape(x['label'])} instead puts <b>{_label(firsts[x['id']]).lower()}</b> first." for x in others)
            self._title.set_text(f"{d['label']}: {_label(lead[0][0]).lower()} first")
            text = (f"<p><b>{html.escape(d['label'])}</b>: " + ", ".join(
                f"{_label(c).lower()} {v:g}%" for c, v in lead) + f" lead. {contrast}</p>"
                f"<p>The listed categories add up to {total:g}%; the remaining {100 - total:g}% are other primaries. "
                f"{html.escape(d.get('note', ''))} <span style='font-size:smaller'>"
                f"{html.escape(sources_line(d['source']))}</span></p>")
            values = d["values"]
            alt = (f"Horizontal bars of the share of spinal metastases by primary cancer according to {d['label']}, "
                   + ("largest first, from the top: " if order == "ranked" else "in a fixed order, from the top: ")
                   + ", ".join(f"{_label(c).lower()} {float(values[c]):g}%" for c in cats if c in values) + ".")
        return Rendered(alt=alt, html=text)
