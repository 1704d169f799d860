"""The module-04 interactives, all on the synthetic spine (subclasses of :class:`course.widgets.FigureApp`).

* :class:`CTWindowApp` — window/level presets (bone, soft tissue) and sliders on real HU;
* :class:`SequenceExplorer` — lesion type × sequence, with a sagittal view and an axial slice scroller;
* :class:`SpotTheLesion` — find the diseased level and name the diagnosis, with feedback;
* :class:`GradeTheESCC` — grade axial T2 images on the Bilsky scale, checked by :func:`course.calculators.escc`.

Every app can be driven headless: ``app.set(name=value)`` then read ``app.state`` and
``app.explanation.value``.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from course import calculators
from course.imaging.phantom import (
    CLASSIC_WINDOW,
    ESCC_GRADES,
    LEVELS,
    MODALITIES,
    SEQUENCES,
    T,
    Findings,
    Image,
    Phantom,
    escc_findings,
    level_centre,
    tissue_table,
    window,
    window_preset,
)
from course.plotting import PALETTE, Backdrop, bake_background, render_bitmap
from course.widgets import FigureApp, Rendered

#: Named teaching scenarios: label → findings.
SCENARIOS: dict[str, Findings] = {
    "Normal spine": Findings(),
    "Lytic metastasis": Findings(kind="lytic", extent=0.6),
    "Blastic metastasis": Findings(kind="blastic", extent=0.6),
    "Mixed metastasis": Findings(kind="mixed", extent=0.8),
    "Malignant collapse with epidural mass": Findings(kind="lytic", extent=1.0, collapse=0.4, pedicle="right", escc="2"),
    "Osteoporotic collapse": Findings(kind="osteoporotic", collapse=0.4),
    "Spondylodiscitis (infection)": Findings(kind="infection"),
    "Epidural abscess (infection)": Findings(kind="abscess", escc="2", cord_signal=True),
    "Cord compression with cord signal change": Findings(kind="lytic", extent=0.8, escc="3", cord_signal=True),
}

#: The abnormal tissue(s) of each kind, used to describe signal in words.
LESION_TISSUES: dict[str, tuple[str, ...]] = {
    "normal": (),
    "lytic": ("lytic",),
    "blastic": ("blastic",),
    "mixed": ("lytic", "blastic"),
    "infection": ("infected_disc", "infected_marrow"),
    "osteoporotic": ("fracture_oedema", "osteopenic_marrow"),
    "abscess": ("abscess", "abscess_rim", "infected_disc"),
}

KEY_POINTS: dict[str, str] = {
    "normal": "Adult marrow is brighter than the discs and muscle on T1 and dark on STIR; the cord sits in bright CSF on T2.",
    "lytic": "Marrow replacement: darker than disc and muscle on T1, bright on STIR, enhancing on fat-saturated T1+Gd; soft-tissue density on CT.",
    "blastic": ("Sclerotic bone: predominantly low on T1 and T2 and very dense (white) on CT; in patients STIR is "
                "variable and the lesion may enhance (the phantom draws it dark on every sequence)."),
    "mixed": "Lytic and sclerotic parts side by side: bright and dark foci on STIR, dense and destroyed bone on CT.",
    "infection": "Spondylodiscitis centres on the disc: the disc is bright on T2/STIR and both endplates are eroded, with oedema on both sides — metastases spare the disc.",
    "abscess": ("The differential of an epidural mass: an epidural abscess is a collection behind the infected disc "
                "— bright on T2 and STIR, with an enhancing rim and a non-enhancing centre on fat-saturated T1+Gd — "
                "whereas epidural tumour enhances solidly and grows from a diseased vertebral body."),
    "osteoporotic": "Benign collapse: a band of oedema under the endplate with normal fatty marrow elsewhere, a straight or retropulsed posterior wall, normal pedicles, no epidural mass.",
}

DIAGNOSES: dict[str, str] = {
    "metastasis_lytic": "Lytic metastasis",
    "metastasis_blastic": "Blastic (sclerotic) metastasis",
    "infection": "Spondylodiscitis (infection)",
    "osteoporotic": "Osteoporotic compression fracture",
    "normal": "No lesion",
}
_KIND_TO_DIAGNOSIS = {"lytic": "metastasis_lytic", "blastic": "metastasis_blastic", "mixed": "metastasis_lytic",
                      "infection": "infection", "osteoporotic": "osteoporotic", "normal": "normal",
                      "abscess": "infection"}

CHOOSE = "— choose —"


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------
def display_pixels(image: Image, center: float | None = None, width: float | None = None) -> np.ndarray:
    """Grey levels 0–1 for display: CT through a window (bone by default), MR as is."""
    if image.modality == "CT":
        c, w = window_preset("bone") if center is None or width is None else (center, width)
        return window(image.pixels, c, w)
    return np.clip(image.pixels, 0.0, 1.0)


_AXIS_LETTERS = (("R", "L"), ("A", "P"), ("I", "S"))  # patient −/+ x, y, z (DICOM LPS)


def _letter(v: Any) -> str:
    v = np.asarray(v, float)
    i = int(np.argmax(np.abs(v)))
    return _AXIS_LETTERS[i][int(v[i] > 0)]


def orientation_letters(image: Image) -> dict[str, str]:
    """The patient direction at each edge of ``image`` as displayed (row 0 at the top): ``left``, ``right``,
    ``top``, ``bottom`` → one of A/P/R/L/S/I. An axial slice reads R on the left (radiological convention)."""
    r, c = np.asarray(image.row_direction), np.asarray(image.col_direction)
    return {"left": _letter(-r), "right": _letter(r), "top": _letter(-c), "bottom": _letter(c)}


def scale_bar_mm(width_mm: float) -> int:
    """A round scale-bar length (mm) close to a fifth of the shown width."""
    target = width_mm / 5
    return min((5, 10, 20, 50, 100), key=lambda v: abs(np.log(v / target)))


_OUTLINE = None


def _stroke() -> list[Any]:
    global _OUTLINE
    if _OUTLINE is None:
        from matplotlib import patheffects

        _OUTLINE = [patheffects.withStroke(linewidth=2.2, foreground="black")]
    return _OUTLINE


def annotate(ax: Any, image: Image, fontsize: float | None = None) -> list[Any]:
    """Orientation letters at the four edges and a scale bar (bottom right) on an image shown with
    ``imshow`` in pixel coordinates (call after any zoom). Returns the artists it added."""
    from course.plotting import MIN_FONT_PT

    size = max(float(fontsize or 0), MIN_FONT_PT + 0.2)
    letters = orientation_letters(image)
    spots = {"left": (0.015, 0.5, "left", "center"), "right": (0.985, 0.5, "right", "center"),
             "top": (0.5, 0.985, "center", "top"), "bottom": (0.5, 0.015, "center", "bottom")}
    out = []
    for edge, (fx, fy, ha, va) in spots.items():
        out.append(ax.text(fx, fy, letters[edge], transform=ax.transAxes, ha=ha, va=va, fontsize=size,
                           fontweight="bold", color="white", path_effects=_stroke(), zorder=6))
    x0, x1 = sorted(ax.get_xlim())
    y_lo, y_hi = sorted(ax.get_ylim())
    width_mm = (x1 - x0) * image.spacing[1]
    length = scale_bar_mm(width_mm)
    px = length / image.spacing[1]
    right = x1 - 0.2 * (x1 - x0)
    yb = y_hi - 0.07 * (y_hi - y_lo)
    from matplotlib import patheffects

    line, = ax.plot([right - px, right], [yb, yb], color="white", lw=2.5, solid_capstyle="butt", zorder=6,
                    path_effects=[patheffects.withStroke(linewidth=4.5, foreground="black")])
    label = ax.text(right - px / 2, yb - 0.035 * min(x1 - x0, y_hi - y_lo), f"{length} mm", ha="center", va="bottom",
                    fontsize=size, color="white", path_effects=_stroke(), zorder=6)
    return out + [line, label]


class Overlay(Backdrop):
    """Orientation letters and a scale bar rasterised once and painted *over* an interactive's image
    (text is most of a redraw's cost). ``letters`` and ``scale_mm`` say what it shows (for tests and alt)."""

    def __init__(self, rgba: Any, letters: dict[str, str], scale_mm: int) -> None:
        super().__init__(rgba)
        self.letters, self.scale_mm = letters, scale_mm
        self.set_zorder(10)
        # Keep only the box that holds ink: compositing a whole-figure bitmap costs more than the letters.
        alpha = np.asarray(rgba)[..., 3]
        rows, cols = np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]
        if rows.size:
            self._crop = np.ascontiguousarray(np.asarray(rgba)[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1][::-1])
            self._at = (int(cols[0]), int(alpha.shape[0] - 1 - rows[-1]))
        else:
            self._crop, self._at = None, (0, 0)

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or self._crop is None:
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, self._at[0], self._at[1], self._crop)
        gc.restore()


def annotation_overlay(fig: Figure, ax: Any, image: Image) -> Overlay:
    """Freeze :func:`annotate` for ``image`` shown in ``ax`` (current limits) into an :class:`Overlay` on ``fig``."""
    holder: dict[str, Any] = {}

    def draw(scratch: Figure) -> None:
        scratch.patch.set_alpha(0.0)
        sax = scratch.add_axes(ax.get_position().bounds)
        sax.set_axis_off()
        sax.imshow(np.zeros(image.pixels.shape), alpha=0.0)
        sax.set_xlim(ax.get_xlim())
        sax.set_ylim(ax.get_ylim())
        holder["artists"] = annotate(sax, image)

    rgba = render_bitmap(draw, tuple(fig.get_size_inches()))
    x0, x1 = sorted(ax.get_xlim())
    overlay = Overlay(rgba, orientation_letters(image), scale_bar_mm((x1 - x0) * image.spacing[1]))
    fig.add_artist(overlay)
    return overlay


def signal_word(tissue: str, modality: str) -> str:
    """How ``tissue`` looks on ``modality`` compared with normal marrow (words, for text and alt)."""
    table = tissue_table()
    key = "hu" if modality == "CT" else SEQUENCES[modality]
    v, ref = table[tissue][key], table["marrow"][key]
    if modality == "CT":
        if v > ref + 300:
            return "much denser than normal bone"
        if v < ref - 100:
            return "less dense than normal bone (bone destroyed)"
        return "close to normal bone density"
    if v <= 0.12:
        return "very dark (almost no signal)"
    if v > ref + 0.25:
        return "brighter than normal marrow"
    if v < ref - 0.25:
        return "darker than normal marrow"
    return "close to normal marrow"


def _image_axes(fig: Figure, rect: tuple[float, float, float, float], shape: tuple[int, int], title: str = ""):  # type: ignore[no-untyped-def]
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    art = ax.imshow(np.zeros(shape), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    # A plain text rather than ax.set_title: matplotlib re-places titles on every draw by measuring
    # the axes' tight bounding box, which cost a third of each update here.
    ttl = ax.text(0.5, 1.01, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=8)
    return ax, art, ttl


def _level_labels(ax, image: Image, every: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Write the level names (e.g. T7…T11) beside the bodies shown on a sagittal image (pixel coordinates)."""
    z0 = image.origin[2]
    rows = image.pixels.shape[0]
    for lv in LEVELS[::every]:
        row = (z0 - level_centre(lv)) / image.spacing[0]
        if 4 <= row <= rows - 5:  # only the levels in view
            ax.text(-2, row, lv, ha="right", va="center", fontsize=8)


# ----------------------------------------------------------------------------------------------
# 1. CT windowing
# ----------------------------------------------------------------------------------------------
class CTWindowApp(FigureApp):
    """CT of the phantom in real HU: choose a preset or move the window centre and width."""

    figsize = (6.4, 3.3)
    title = "CT windowing — the same Hounsfield units, different greys"
    clear_each_update = False
    findings = Findings(kind="lytic", extent=0.8, collapse=0.2, pedicle="right", escc="2")
    _markers = ("fat", "csf", "marrow", "blastic", "cortex")
    _short = {"fat": "fat", "csf": "water/CSF; soft tissue just above", "marrow": "marrow", "blastic": "sclerosis",
              "cortex": "cortex"}

    def build_controls(self) -> dict[str, W.Widget]:
        c, w = window_preset("bone")
        return {
            "preset": W.ToggleButtons(options=[("Bone", "bone"), ("Soft tissue", "soft_tissue"), ("Custom", "custom")],
                                      value="bone", description="Preset"),
            "center": W.IntSlider(value=int(c), min=-400, max=1200, step=10, description="Centre (HU)",
                                  continuous_update=False),
            "width": W.IntSlider(value=int(w), min=50, max=3000, step=10, description="Width (HU)",
                                 continuous_update=False),
            "plane": W.ToggleButtons(options=[("Axial", "axial"), ("Sagittal", "sagittal")], value="axial",
                                     description="Plane"),
        }

    def setup(self, fig: Figure) -> None:
        ph = Phantom(self.findings)
        self._images = {"axial": ph.axial("CT"), "sagittal": ph.sagittal("CT")}
        self._ax, self._art, self._ttl = _image_axes(fig, (0.0, 0.02, 0.5, 0.88), (144, 128))
        # Orientation letters and scale bar for each plane (shown in turn), frozen into overlays.
        self._marks: dict[str, list[Any]] = {}
        for plane, img in self._images.items():
            rows, cols = img.pixels.shape
            self._ax.set_xlim(-0.5, cols - 0.5)
            self._ax.set_ylim(rows - 0.5, -0.5)
            self._marks[plane] = [annotation_overlay(fig, self._ax, img)]
        ax = fig.add_axes((0.6, 0.16, 0.36, 0.72))
        hu = np.linspace(-1100, 1500, 400)
        self._ramp_hu = hu
        # The grey ramp is a strip along the bottom, so the static markers and labels above it can be
        # frozen into a backdrop (text is most of a redraw's cost) while ramp and curve stay live.
        self._ramp = ax.imshow(np.zeros((1, hu.size)), cmap="gray", vmin=0, vmax=1, aspect="auto",
                               extent=(hu[0], hu[-1], 0, 0.1))
        self._curve, = ax.plot(hu, np.zeros_like(hu), color=PALETTE["vermillion"], lw=1.5)
        table = tissue_table()
        static: list[Any] = []
        for t in self._markers:
            v = table[t]["hu"]
            static.append(ax.axvline(v, color=PALETTE["sky_blue"], lw=0.8))
            left = t == "fat"  # fat sits 100 HU below water: its label goes on the other side of its line
            static.append(ax.text(v - 25 if left else v + 25, 0.97, self._short[t], rotation=90, fontsize=8,
                                  ha="right" if left else "left", va="top",
                                  color=PALETTE["blue"], bbox=dict(facecolor="white", edgecolor="none", pad=0.5)))
        ax.set_xlim(hu[0], hu[-1])
        ax.set_ylim(0, 1)
        ax.set_xlabel("Hounsfield units", fontsize=8)
        ax.set_ylabel("grey level (strip: the greys shown)", fontsize=8)
        ax.tick_params(labelsize=8)
        static += [ax.patch, ax.xaxis, ax.yaxis, *ax.spines.values()]
        marks = [a for group in self._marks.values() for a in group]
        bake_background(fig, hide=static, exclude=[self._ramp, self._curve, self._art, self._ttl, *marks])

    def set(self, **values: Any) -> "CTWindowApp":
        if ("center" in values or "width" in values) and "preset" not in values:
            values["preset"] = "custom"
        super().set(**values)
        return self

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._suspended:
            return
        owner = change.get("owner")
        if owner is self.controls["preset"] and change["new"] != "custom":
            c, w = window_preset(change["new"])
            self.set_quietly(center=int(c), width=int(w))
        elif owner in (self.controls["center"], self.controls["width"]) and self.controls["preset"].value != "custom":
            self.set_quietly(preset="custom")
        self.update()

    def render(self, fig: Figure, preset: str = "bone", center: int = 400, width: int = 1800,
               plane: str = "axial") -> Rendered:
        if preset != "custom":
            c, w = window_preset(preset)
            self.set_quietly(center=int(c), width=int(w))
        else:
            c, w = float(center), float(width)
        img = self._images[plane]
        grey = window(img.pixels, c, w)
        self._art.set_data(grey)
        self._art.set_extent((-0.5, grey.shape[1] - 0.5, grey.shape[0] - 0.5, -0.5))
        self._ax.set_xlim(-0.5, grey.shape[1] - 0.5)
        self._ax.set_ylim(grey.shape[0] - 0.5, -0.5)
        for name, group in self._marks.items():
            for artist in group:
                artist.set_visible(name == plane)
        self._ttl.set_text(f"CT {plane}, C {c:g} / W {w:g}")
        ramp = window(self._ramp_hu, c, w)
        self._ramp.set_data(ramp[None, :])
        self._curve.set_ydata(ramp)
        lo, hi = c - w / 2, c + w / 2
        table = tissue_table()
        seen = {name: table[name] for name in ("fat", "csf", "cord", "epidural_tumour", "lytic", "marrow", "cortex")}
        black = [v["label"] for v in seen.values() if v["hu"] <= lo]
        white = [v["label"] for v in seen.values() if v["hu"] >= hi]
        grey_t = [v["label"] for v in seen.values() if lo < v["hu"] < hi]
        tumour_vs_fat = abs(window(table["epidural_tumour"]["hu"], c, w) - window(table["epidural_fat"]["hu"], c, w))
        cortex_vs_marrow = abs(window(table["cortex"]["hu"], c, w) - window(table["marrow"]["hu"], c, w))
        self.state.update(center=c, width=w, preset=preset, plane=plane, black=black, white=white, grey=grey_t,
                          soft_tissue_contrast=float(tumour_vs_fat), bone_contrast=float(cortex_vs_marrow))
        advice = []
        if cortex_vs_marrow > 0.3:
            advice.append("cortex stands out from marrow: look for the destroyed posterior wall and pedicle")
        else:
            advice.append("cortex and marrow are both white: bone detail is lost")
        if tumour_vs_fat > 0.2:
            advice.append("the epidural tumour stands out against epidural fat, but tumour and cord have almost "
                          "the same CT number — MRI is needed to see the cord")
        else:
            advice.append("epidural tumour, fat and cord are squeezed into nearly one grey: soft tissue is hidden")
        text = (f"<p>Window <b>centre {c:g} HU, width {w:g} HU</b>: values from {lo:g} to {hi:g} HU are spread over "
                f"the greys; below is black, above is white.</p>"
                f"<ul><li>Black: {html.escape(', '.join(black) or 'none of the listed tissues')}</li>"
                f"<li>Grey: {html.escape(', '.join(grey_t) or 'none of the listed tissues')}</li>"
                f"<li>White: {html.escape(', '.join(white) or 'none of the listed tissues')}</li></ul>"
                f"<p>{html.escape('; '.join(advice))}. The numbers are the phantom's illustrative values.</p>")
        alt = (f"CT {plane} image of the synthetic spine with {self.findings.describe()}, shown with window centre "
               f"{c:g} HU and width {w:g} HU; beside it, the grey level assigned to each Hounsfield unit. "
               + "; ".join(advice) + ".")
        return Rendered(alt=alt, html=text)


# ----------------------------------------------------------------------------------------------
# 2. Sequence explorer with slice scroller
# ----------------------------------------------------------------------------------------------
class SequenceExplorer(FigureApp):
    """Choose a lesion and a sequence; scroll the axial slice through the spine."""

    figsize = (6.4, 3.6)
    title = "Sequence explorer — one lesion, six ways of looking at it"
    clear_each_update = False

    def build_controls(self) -> dict[str, W.Widget]:
        return {
            "scenario": W.Dropdown(options=list(SCENARIOS), value="Lytic metastasis", description="Lesion",
                                   layout=W.Layout(width="24em")),
            "sequence": W.ToggleButtons(options=list(MODALITIES), value="T1", description="Sequence"),
            "z_mm": W.IntSlider(value=0, min=-64, max=64, step=2, description="Axial z (mm)",
                                continuous_update=False),
            "x_mm": W.IntSlider(value=0, min=-16, max=16, step=2, description="Sagittal x (mm)",
                                continuous_update=False),
        }

    def setup(self, fig: Figure) -> None:
        self._sag_ax, self._sag, self._sag_t = _image_axes(fig, (0.06, 0.02, 0.44, 0.88), (144, 128))
        self._line = self._sag_ax.axhline(72, color=PALETTE["orange"], lw=1)
        self._levels_drawn = False
        self._ax_ax, self._ax, self._ax_t = _image_axes(fig, (0.53, 0.1, 0.45, 0.8), (128, 128))
        ph = Phantom()
        self._marks = [annotation_overlay(fig, self._sag_ax, ph.sagittal("T1")),
                       annotation_overlay(fig, self._ax_ax, ph.axial("T1"))]

    def render(self, fig: Figure, scenario: str = "Lytic metastasis", sequence: str = "T1", z_mm: int = 0,
               x_mm: int = 0) -> Rendered:
        f = SCENARIOS[scenario]
        ph = Phantom(f)
        sag = ph.sagittal(sequence, x=float(x_mm))
        axi = ph.axial(sequence, z=float(z_mm))
        self._sag.set_data(display_pixels(sag))
        self._ax.set_data(display_pixels(axi))
        if not self._levels_drawn:
            # The level names never change: freeze them into a backdrop (text dominates redraw time).
            before = set(self._sag_ax.texts)
            _level_labels(self._sag_ax, sag)
            labels = [t for t in self._sag_ax.texts if t not in before]
            bake_background(fig, hide=labels, exclude=[self._sag, self._ax, self._line, self._sag_t, self._ax_t,
                                                       *self._marks])
            self._levels_drawn = True
        self._line.set_ydata([(sag.origin[2] - z_mm) / sag.spacing[0]] * 2)
        self._sag_t.set_text(f"Sagittal {sequence}, x = {x_mm} mm")
        level = min(LEVELS, key=lambda lv: abs(level_centre(lv) - z_mm))
        self._ax_t.set_text(f"Axial {sequence}, z = {z_mm} mm (near {level})")
        tissues = LESION_TISSUES[f.kind]
        words = {t: signal_word(t, sequence) for t in tissues}
        seq_note = ""
        if sequence != "CT":
            seq_note = next(s["teaches"] for s in _sequences() if s["name"] == sequence)
        else:
            seq_note = "CT (bone window): cortex and sclerosis are white; destroyed bone has soft-tissue density."
        found = {t for t in tissues if (sag.labels == T[t]).any() or (axi.labels == T[t]).any()}
        self.state.update(scenario=scenario, findings=f, sequence=sequence, signal=words,
                          lesion_in_view=bool(found), axial_level=level)
        rows = "".join(f"<li>{html.escape(tissue_table()[t]['label'])}: {html.escape(w)}</li>" for t, w in words.items())
        text = (f"<p><b>{html.escape(scenario)}</b> — {html.escape(KEY_POINTS[f.kind])}</p>"
                + (f"<p>On <b>{html.escape(sequence)}</b>:</p><ul>{rows}</ul>" if rows else "")
                + f"<p><i>{html.escape(sequence)}:</i> {html.escape(seq_note)}</p>")
        alt = (f"Sagittal {sequence} image at x = {x_mm} mm and axial {sequence} image at z = {z_mm} mm (near {level}) "
               f"of the synthetic spine with {f.describe()}. "
               + " ".join(f"The {tissue_table()[t]['label']} is {w}." for t, w in words.items()))
        return Rendered(alt=alt, html=text)


def _sequences() -> list[dict[str, Any]]:
    from course.imaging.phantom import data

    return list(data()["sequences"]["items"])


# ----------------------------------------------------------------------------------------------
# 3. Spot the lesion
# ----------------------------------------------------------------------------------------------
#: Levels a learner can name in "Spot the lesion" (the sagittal view shows T7–T11).
SPOT_LEVELS: tuple[str, ...] = CLASSIC_WINDOW


def spot_cases(n: int = 6, seed: int = 4) -> list[Findings]:
    """``n`` deterministic practice cases in T7–T10: a random level and diagnosis each (seeded)."""
    rng = np.random.default_rng(seed)
    pool = ["lytic", "blastic", "infection", "osteoporotic", "lytic", "mixed"]
    kinds = [pool[i % len(pool)] for i in rng.permutation(len(pool))][:n]
    while len(kinds) < n:
        kinds.append(str(rng.choice(pool)))
    cases = []
    for i, kind in enumerate(kinds):
        level = str(rng.choice(SPOT_LEVELS[:-1]))
        kw: dict[str, Any] = {}
        if kind == "osteoporotic":
            kw["collapse"] = 0.35
        elif kind in ("lytic", "mixed") and i % 2:
            kw.update(collapse=0.3, escc="1b")
        cases.append(Findings(kind=kind, level=level, extent=0.6, seed=seed + i, **kw))
    return cases


class SpotTheLesion(FigureApp):
    """A sagittal image of a practice case: find the level and name the diagnosis."""

    figsize = (6.4, 3.6)
    title = "Spot the lesion — which level, and what is it?"
    clear_each_update = False
    sequences = ("T1", "STIR", "T2", "T1+Gd FS", "CT")

    def __init__(self, cases: list[Findings] | None = None) -> None:
        self.cases = cases or spot_cases()
        super().__init__()

    def build_controls(self) -> dict[str, W.Widget]:
        return {
            "case": W.Dropdown(options=[(f"Case {i + 1}", i) for i in range(len(self.cases))], value=0,
                               description="Case", layout=W.Layout(width="12em")),
            "left": W.ToggleButtons(options=list(self.sequences), value="T1", description="Left"),
            "right": W.ToggleButtons(options=list(self.sequences), value="STIR", description="Right"),
            "level": W.Dropdown(options=[CHOOSE, *SPOT_LEVELS], value=CHOOSE, description="Level",
                                layout=W.Layout(width="14em")),
            "diagnosis": W.Dropdown(options=[(CHOOSE, CHOOSE)] + [(v, k) for k, v in DIAGNOSES.items()],
                                    value=CHOOSE, description="Diagnosis", layout=W.Layout(width="26em")),
        }

    def setup(self, fig: Figure) -> None:
        self._panels = [_image_axes(fig, (0.05 + 0.5 * i, 0.02, 0.44, 0.88), (144, 128)) for i in range(2)]
        sample = Phantom().sagittal("T1", centre_z=level_centre("T9"))
        self._marks = [annotation_overlay(fig, ax, sample) for ax, _, _ in self._panels]
        self._labelled = False

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._suspended:
            return
        if change.get("owner") is self.controls["case"]:
            self.set_quietly(level=CHOOSE, diagnosis=CHOOSE)
        self.update()

    def set(self, **values: Any) -> "SpotTheLesion":
        if "case" in values:
            values.setdefault("level", CHOOSE)
            values.setdefault("diagnosis", CHOOSE)
        super().set(**values)
        return self

    def answer_key(self, case: int) -> tuple[set[str], str]:
        """Accepted levels and the diagnosis key for ``case``."""
        f = self.cases[case]
        levels = {f.level}
        if f.kind == "infection":
            levels.add(LEVELS[LEVELS.index(f.level) + 1])
        return levels, _KIND_TO_DIAGNOSIS[f.kind]

    def render(self, fig: Figure, case: int = 0, left: str = "T1", right: str = "STIR", level: str = CHOOSE,
               diagnosis: str = CHOOSE) -> Rendered:
        f = self.cases[case]
        ph = Phantom(f)
        for (ax, art, ttl), seq in zip(self._panels, (left, right)):
            img = ph.sagittal(seq, centre_z=level_centre("T9"))  # always the T7–T11 window
            art.set_data(display_pixels(img))
            ttl.set_text(f"Case {case + 1}: sagittal {seq}")
            if not self._labelled:
                _level_labels(ax, img)
        self._labelled = True
        levels, key = self.answer_key(case)
        self.state.update(case=case, answer_levels=levels, answer_diagnosis=key)
        feedback = ""
        correct = None
        if level != CHOOSE and diagnosis != CHOOSE:
            level_ok = level in levels
            dx_ok = diagnosis == key
            correct = level_ok and dx_ok
            where = " and ".join(sorted(levels, key=LEVELS.index))
            parts = [
                ("✔ Level correct" if level_ok else f"✘ Level: the abnormal vertebra is {where}") + ".",
                ("✔ Diagnosis correct" if dx_ok else f"✘ Diagnosis: this is {DIAGNOSES[key].lower()}") + ".",
                KEY_POINTS[f.kind],
            ]
            if f.kind == "mixed":
                parts.append("(A mixed lytic–blastic deposit: 'lytic metastasis' is accepted.)")
            feedback = " ".join(parts)
            colour = PALETTE["bluish_green"] if correct else PALETTE["vermillion"]
            text = (f'<div role="status" style="border-left:4px solid {colour};padding:4px 8px">'
                    f"{html.escape(feedback)}</div>")
        else:
            text = "<p>Choose a level and a diagnosis; switch sequences to compare T1 with STIR, T2 and CT.</p>"
        self.state.update(correct=correct, feedback=feedback)
        alt = (f"Practice case {case + 1}: two sagittal images ({left} and {right}) of the synthetic thoracic spine "
               f"T7 to T11 with one abnormal region for the learner to find."
               + (f" Answer: {f.describe()}." if correct is not None else ""))
        return Rendered(alt=alt, html=text)


# ----------------------------------------------------------------------------------------------
# 4. Grade the ESCC
# ----------------------------------------------------------------------------------------------
def escc_cases(seed: int = 4) -> list[Findings]:
    """One axial case per Bilsky grade, in a shuffled (seeded) order, with varied bone disease."""
    rng = np.random.default_rng(seed)
    order = [ESCC_GRADES[i] for i in rng.permutation(len(ESCC_GRADES))]
    kinds = ["lytic", "mixed", "lytic", "blastic", "lytic", "mixed"]
    sides = ["right", "none", "left", "none", "both", "right"]
    return [Findings(kind=kinds[i], extent=0.7, pedicle=sides[i] if kinds[i] != "blastic" else "none",
                     escc=g, seed=seed + i) for i, g in enumerate(order)]


class GradeTheESCC(FigureApp):
    """Axial T2 at the level of worst compression: choose the Bilsky grade."""

    figsize = (4.2, 3.7)
    title = "Grade the epidural spinal cord compression (Bilsky / ESCC)"
    clear_each_update = False

    def __init__(self, cases: list[Findings] | None = None) -> None:
        self.cases = cases or escc_cases()
        self._views: dict[int, Image] = {}  # computed when first shown
        super().__init__()

    def view(self, case: int) -> Image:
        """The axial T2 image of ``case``."""
        if case not in self._views:
            self._views[case] = Phantom(self.cases[case]).escc_view()
        return self._views[case]

    def build_controls(self) -> dict[str, W.Widget]:
        return {
            "case": W.Dropdown(options=[(f"Image {i + 1}", i) for i in range(len(self.cases))], value=0,
                               description="Image", layout=W.Layout(width="12em")),
            "grade": W.ToggleButtons(options=[CHOOSE, *ESCC_GRADES], value=CHOOSE, description="Grade",
                                     style={"button_width": "4.5em"}),
            "outline": W.Checkbox(value=False, description="Outline cord and tumour", indent=False),
        }

    def setup(self, fig: Figure) -> None:
        self._ax, self._art, self._ttl = _image_axes(fig, (0.02, 0.02, 0.96, 0.88), (128, 128))
        self._marks = [annotation_overlay(fig, self._ax, self.view(0))]
        self._contours: list[Any] = []

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._suspended:
            return
        if change.get("owner") is self.controls["case"]:
            self.set_quietly(grade=CHOOSE)
        self.update()

    def set(self, **values: Any) -> "GradeTheESCC":
        if "case" in values:
            values.setdefault("grade", CHOOSE)
        super().set(**values)
        return self

    def render(self, fig: Figure, case: int = 0, grade: str = CHOOSE, outline: bool = False) -> Rendered:
        img = self.view(case)
        truth = self.cases[case].escc
        self._art.set_data(display_pixels(img))
        self._ttl.set_text(f"Image {case + 1}: axial T2 (zoomed on the canal)")
        for c in self._contours:
            c.remove()
        self._contours = []
        if outline:
            for tissue, colour in (("cord", PALETTE["sky_blue"]), ("epidural_tumour", PALETTE["orange"])):
                mask = img.mask(tissue).astype(float)
                if mask.any():
                    cs = self._ax.contour(mask, levels=[0.5], colors=[colour], linewidths=1.2)
                    self._contours.append(cs)
        found = escc_findings(img)
        from_image = calculators.escc(**found)
        result = calculators.escc(grade=truth)
        self.state.update(case=case, truth=truth, findings=found, grade_from_image=from_image.grade,
                          high_grade=result.high_grade)
        correct = None
        if grade == CHOOSE:
            text = ("<p>Look at the thecal sac (bright CSF, thin dark dura) and the cord (grey, in the middle). "
                    "Is there epidural tumour? Does it deform the sac, touch the cord, compress it — and is CSF "
                    "still visible around the cord?</p>")
        else:
            correct = grade == truth
            chosen = calculators.escc(grade=grade)
            seen = "; ".join(f"{k.replace('_', ' ')}: {'yes' if v else 'no'}" for k, v in found.items())
            colour = PALETTE["bluish_green"] if correct else PALETTE["vermillion"]
            verdict = "✔ Correct." if correct else f"✘ Not quite: grade {grade} means {chosen.definition.lower()}."
            text = (f'<div role="status" style="border-left:4px solid {colour};padding:4px 8px">'
                    f"<b>{html.escape(verdict)}</b><br/>On this image — {html.escape(seen)}.<br/>"
                    f"{html.escape(result.explanation)}.</div>")
        self.state["correct"] = correct
        outlined = " Outlines mark the cord and the epidural tumour." if outline else ""
        alt = (f"Axial T2-weighted image {case + 1} of the synthetic spine, zoomed on the spinal canal at the level "
               f"of a vertebral metastasis, for grading epidural compression.{outlined}"
               + (f" It shows ESCC grade {truth}: {result.definition.lower()}." if correct is not None else ""))
        return Rendered(alt=alt, html=text)
