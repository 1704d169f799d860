"""Plotting helpers shared by every module: a colour-blind-safe palette and figures with alt text.

Every figure the course shows goes through :func:`figure_html` / :func:`show`, which render it as
an ``<img>`` element carrying an ``alt`` description, so screen-reader users get the same content.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import matplotlib

matplotlib.use("Agg")  # headless everywhere; notebooks display the PNG through HTML

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402
from PIL import Image  # noqa: E402

#: Okabe & Ito (2008) "Color Universal Design" palette, distinguishable with the common colour-vision
#: deficiencies. Wong B. Points of view: Color blindness. Nat Methods. 2011;8:441.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: The palette as an ordered cycle for categorical series (black last: it is reserved for text/outlines).
CYCLE: list[str] = [
    PALETTE["blue"],
    PALETTE["orange"],
    PALETTE["bluish_green"],
    PALETTE["vermillion"],
    PALETTE["sky_blue"],
    PALETTE["reddish_purple"],
    PALETTE["yellow"],
    PALETTE["grey"],
]

#: Figures are drawn for a 2x (HiDPI) display. A figure inch is shown as ``CSS_DPI`` CSS pixels and
#: rendered with ``SCALE`` image pixels per CSS pixel, so the PNG is ``DPI = CSS_DPI * SCALE`` dots per
#: inch and the ``<img>`` carries its CSS width (sharp on HiDPI screens, same size on others).
CSS_DPI = 120
SCALE = 2
DPI = CSS_DPI * SCALE
#: Width of a notebook's output area (CSS px) in a 1400-px-wide JupyterLab with the file browser
#: open; a wider figure is scaled down to fit (``max-width: 100%``), and so is its text.
OUTPUT_WIDTH_CSS = 1000
#: Smallest readable text, in CSS px at display size (checked by tests/test_figure_layout.py).
MIN_TEXT_CSS_PX = 13.0
#: The smallest font size (points) that meets ``MIN_TEXT_CSS_PX`` in a figure that is not scaled down.
MIN_FONT_PT = MIN_TEXT_CSS_PX * 72 / CSS_DPI
#: Background of every figure: opaque, so figures stay readable in JupyterLab's dark theme.
BACKGROUND = "#FFFFFF"

# Course-wide defaults: the palette as the colour cycle, readable sizes, no chart junk.
matplotlib.rcParams.update({
    "font.size": 9.0,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "figure.titlesize": 10.0,
    "figure.facecolor": BACKGROUND,
    "savefig.facecolor": BACKGROUND,
    "axes.prop_cycle": matplotlib.cycler(color=CYCLE),
})


def css_px(points: float, fig_width_in: float | None = None) -> float:
    """The size in CSS px at which text of ``points`` is shown (in a figure ``fig_width_in`` wide)."""
    shrink = 1.0
    if fig_width_in:
        shrink = min(1.0, OUTPUT_WIDTH_CSS / (fig_width_in * CSS_DPI))
    return points / 72 * CSS_DPI * shrink


def new_figure(width: float = 6.0, height: float = 3.5, layout: str | None = "constrained", **kwargs: Any) -> Figure:
    """Return a new matplotlib :class:`~matplotlib.figure.Figure` styled for the course.

    ``width`` × ``height`` are inches; a figure is shown ``width * CSS_DPI`` CSS px wide (at most
    ``OUTPUT_WIDTH_CSS``) and rendered at ``DPI`` (2x). The figure is *not* registered with pyplot's
    global state, so it never leaks between cells. ``layout=None`` skips the layout engine
    (interactives: it halves the redraw time).
    """
    kwargs.pop("dpi", None)  # one resolution for the whole course
    fig = Figure(figsize=(width, height), dpi=DPI, layout=layout, **kwargs)
    fig.set_facecolor(BACKGROUND)
    return fig


def style_axes(ax: Any) -> None:
    """Apply the course's quiet axis style (no top/right spines, palette cycle)."""
    ax.set_prop_cycle(color=CYCLE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def png_bytes(fig: Figure, dpi: float | None = None) -> bytes:
    """Render ``fig`` to PNG bytes (at the figure's own resolution, ``DPI`` for course figures)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, facecolor=BACKGROUND, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _check_alt(alt: str) -> None:
    if not alt or not alt.strip():
        raise ValueError("alt: every figure needs a non-empty alt text describing what it shows")


def png_size(png: bytes) -> tuple[int, int]:
    """``(width, height)`` in pixels, read from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("png: not PNG data")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


#: Inline style of every figure: its CSS size (set per image), never wider than the output area,
#: and an opaque white background with a little padding, so that dark themes frame it.
IMG_STYLE = "max-width:100%;height:auto;background:#FFFFFF;border-radius:2px"


def img_html(png: bytes, alt: str, scale: float = SCALE) -> str:
    """An ``<img>`` element holding PNG bytes, with ``alt`` (and ``title``) text.

    The PNG holds ``scale`` image pixels per CSS pixel (2x), so the element's width is set to
    ``png_width / scale`` CSS px.
    """
    _check_alt(alt)
    data = base64.b64encode(png).decode("ascii")
    text = html.escape(alt, quote=True)
    width, height = png_size(png)
    css_w, css_h = round(width / scale), round(height / scale)
    return (f'<img alt="{text}" title="{text}" width="{css_w}" height="{css_h}" '
            f'src="data:image/png;base64,{data}" style="width:{css_w}px;{IMG_STYLE}"/>')


#: Interactive frames are JPEG (quality 92, no chroma subsampling): at 2x a PNG takes 20–50 ms to
#: encode on the course machines, a JPEG 3–6 ms, and at this quality text edges look the same.
FRAME_QUALITY = 92


def frame_html(rgba: Any, alt: str, scale: float = SCALE) -> str:
    """An ``<img>`` holding an RGBA pixel buffer (an interactive's new frame) as a 2x JPEG."""
    _check_alt(alt)
    pixels = np.asarray(rgba)
    h, w = pixels.shape[:2]
    buf = io.BytesIO()
    # Read as RGBX: the JPEG encoder skips the (opaque) alpha byte, no RGB copy is made.
    Image.frombuffer("RGBX", (w, h), pixels, "raw", "RGBX", 0, 1).save(
        buf, format="jpeg", quality=FRAME_QUALITY, subsampling=0)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    text = html.escape(alt, quote=True)
    css_w, css_h = round(w / scale), round(h / scale)
    return (f'<img alt="{text}" title="{text}" width="{css_w}" height="{css_h}" '
            f'src="data:image/jpeg;base64,{data}" style="width:{css_w}px;{IMG_STYLE}"/>')


def canvas_frame_html(fig: Figure, alt: str) -> str:
    """Draw ``fig`` on its Agg canvas and return the frame as :func:`frame_html` (the fast route)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    out = frame_html(canvas.buffer_rgba(), alt, scale=fig.dpi / CSS_DPI)
    notify_rendered(fig, "frame")
    return out


def figure_html(fig: Figure, alt: str, dpi: float | None = None) -> str:
    """Return an ``<img>`` element holding ``fig`` as an embedded 2x PNG with ``alt`` text.

    Raises:
        ValueError: if ``alt`` is empty — every course figure must be described.
    """
    _check_alt(alt)
    dpi = dpi or fig.dpi
    out = img_html(png_bytes(fig, dpi=dpi), alt, scale=dpi / CSS_DPI)
    notify_rendered(fig, "figure")
    return out


def show(fig: Figure, alt: str) -> None:
    """Display ``fig`` in the notebook as an image with alt text, then release it."""
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt)))
    plt.close(fig)


# ----------------------------------------------------------------------------------------------
# Fast redraws for interactives
# ----------------------------------------------------------------------------------------------
# Text is the costly part of a matplotlib redraw (~40 ms for a plain figure on the 2-core CI
# machine). Interactives therefore draw their static parts (axes, labels, legends) once into a
# bitmap and redraw only the few artists that change, on top of it. Three tools, one mechanism:
# ``Backdrop`` (an artist painting a stored bitmap), ``render_bitmap`` (draw something once on a
# scratch figure) and ``bake_background`` (freeze what a figure shows now).
class Backdrop(Artist):
    """A pre-rendered RGBA bitmap painted straight onto the canvas (no resampling, no masking).

    The bitmap must have the figure's pixel size; it is drawn below everything else (zorder −10).
    """

    def __init__(self, rgba: Any) -> None:
        super().__init__()
        self.rgba = rgba
        #: The texts frozen into the bitmap (recorded only while layout checks run; see ``drawn_texts``).
        self.text_boxes: tuple[TextBox, ...] = tuple(getattr(rgba, "text_boxes", ()))
        self.set_zorder(-10)

    def draw(self, renderer: Any) -> None:
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self.rgba[::-1])
        gc.restore()


def render_bitmap(draw: Callable[[Figure], Any], size: tuple[float, float]) -> np.ndarray:
    """Call ``draw(fig)`` on a scratch figure of ``size`` inches and return its RGBA pixels."""
    fig = new_figure(*size, layout=None)
    FigureCanvasAgg(fig)
    draw(fig)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
    if not LAYOUT_HOOKS:
        return pixels
    bitmap = pixels.view(_Bitmap)
    bitmap.text_boxes = tuple(drawn_texts(fig))
    notify_rendered(fig, "bitmap")
    return bitmap


def bake_background(fig: Figure, hide: Sequence[Any] | None = None, exclude: Sequence[Any] = ()) -> Backdrop:
    """Freeze what ``fig`` shows now into a :class:`Backdrop` and hide the artists ``hide``.

    ``hide=None`` hides everything drawn so far (every child of every axes, figure legends and
    texts). Artists created afterwards are the only ones redrawn on each update. ``exclude`` lists
    dynamic artists that already exist: they are left out of the frozen picture (so their first
    state never shows through later states) and stay visible.
    """
    canvas = FigureCanvasAgg(fig)
    shown = [a.get_visible() for a in exclude]
    for artist in exclude:
        artist.set_visible(False)
    canvas.draw()
    background = np.asarray(canvas.buffer_rgba()).copy()
    boxes: tuple[TextBox, ...] = ()
    if LAYOUT_HOOKS:
        boxes = tuple(drawn_texts(fig, skip=exclude))
    for artist, visible in zip(exclude, shown):
        artist.set_visible(visible)
    if hide is None:
        hide = [c for ax in fig.axes for c in ax.get_children()] + list(fig.legends) + list(fig.texts)
    for artist in hide:
        artist.set_visible(False)
    backdrop = Backdrop(background)
    backdrop.text_boxes = boxes
    fig.add_artist(backdrop)
    return backdrop


@functools.lru_cache(maxsize=512)
def _text_bitmap(text: str, fontsize: float, color: str, dpi: int) -> np.ndarray:
    """The RGBA pixels of ``text`` alone, cropped to its ink box (transparent background)."""
    fig = Figure(figsize=(max(1.0, 0.12 * fontsize * len(text) / 10), 0.5), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    fig.patch.set_alpha(0)
    artist = fig.text(0, 0.5, text, fontsize=fontsize, color=color, va="center", ha="left")
    renderer = canvas.get_renderer()
    box = artist.get_window_extent(renderer)
    fig.set_size_inches(box.width / dpi + 0.1, box.height / dpi + 0.1)
    artist.set_position((0.05 / fig.get_figwidth(), 0.5))
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    cols = np.nonzero(rgba[..., 3].any(axis=0))[0]
    if cols.size == 0:
        return np.zeros((1, 1, 4), dtype=np.uint8)
    # Crop the sides to the ink, keep the full line height so every label centres the same way.
    return rgba[:, cols.min(): cols.max() + 1].copy()


class TextSprite(Artist):
    """A short label drawn as a cached bitmap: text rendering is most of an interactive's redraw cost,
    and a label that takes few distinct values (row names, counts) need only be rasterised once.

    The sprite is right- or left-aligned at axes-fraction ``x`` and vertically centred on data ``y``.
    """

    def __init__(self, ax: Any, x: float, y: float, text: str = "", fontsize: float = 8,
                 color: str = "#000000", ha: str = "right") -> None:
        super().__init__()
        self.ax, self.x, self.y, self.fontsize, self.color, self.ha = ax, x, y, fontsize, color, ha
        self.text = text
        self.set_zorder(3)

    def set_text(self, text: str) -> None:
        """Change the label (a text seen before is drawn from the cache)."""
        self.text = text
        self.stale = True

    def get_text(self) -> str:
        return self.text

    def _place(self, renderer: Any) -> tuple[np.ndarray, float, float]:
        rgba = _text_bitmap(self.text, self.fontsize, self.color, int(renderer.dpi))
        px = self.ax.transAxes.transform((self.x, 0))[0]
        py = self.ax.transData.transform((0, self.y))[1]
        h, w = rgba.shape[:2]
        x0 = px - w if self.ha == "right" else px
        return rgba, x0, py - h / 2

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        """The label's box in display pixels (for the layout checks)."""
        if renderer is None or not self.text:
            return Bbox.null()
        rgba, x0, y0 = self._place(renderer)
        rows = np.nonzero(rgba[..., 3].any(axis=1))[0]  # the bitmap keeps a full line height: use the ink
        if rows.size == 0:
            return Bbox.null()
        h = rgba.shape[0]
        # row 0 is the top of the bitmap; display y grows upwards
        return Bbox.from_extents(x0, y0 + h - 1 - rows.max(), x0 + rgba.shape[1], y0 + h - rows.min())

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.text:
            return
        rgba, x0, y0 = self._place(renderer)
        h = rgba.shape[0]
        py = y0 + h / 2
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(x0), round(py - h / 2), rgba[::-1])
        gc.restore()


# ----------------------------------------------------------------------------------------------
# Layout checks (tests/test_figure_layout.py): what text a figure draws, and where
# ----------------------------------------------------------------------------------------------
#: Callbacks ``hook(fig, stage)`` called after a figure is rendered for a student ("figure", "frame")
#: or frozen into a bitmap ("bitmap"). Empty in normal use; the layout test registers one.
LAYOUT_HOOKS: list[Callable[[Figure, str], None]] = []


def notify_rendered(fig: Figure, stage: str) -> None:
    """Tell the layout hooks that ``fig`` was just rendered (``stage``: "figure", "frame" or "bitmap")."""
    for hook in LAYOUT_HOOKS:
        hook(fig, stage)


class _Bitmap(np.ndarray):
    """RGBA pixels that remember which texts were drawn into them (only while layout checks run)."""

    text_boxes: tuple = ()

    def __array_finalize__(self, obj: Any) -> None:
        self.text_boxes = getattr(obj, "text_boxes", ())


@dataclass(frozen=True)
class TextBox:
    """One drawn text: its string, its box in image pixels and its font size in points."""

    text: str
    box: Bbox
    fontsize: float
    clipped_by: Bbox | None = None  # the clip box, where the text is clipped to one


def drawn_texts(fig: Figure, skip: Sequence[Any] = ()) -> list[TextBox]:
    """Every text ``fig`` draws now, with matplotlib's own extents (``get_window_extent``).

    The figure is drawn once, recording each :class:`~matplotlib.text.Text` and :class:`TextSprite`
    as it is drawn (so tick labels outside the view, hidden or empty texts are left out); animated
    artists (blitted interactives) are drawn too; texts frozen into a :class:`Backdrop` are added
    from the backdrop's record. ``skip`` lists artists to leave out.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    skipped = {id(a) for a in skip}
    boxes: list[TextBox] = []
    text_draw, sprite_draw = Text.draw, TextSprite.draw

    def record_text(self: Text, renderer: Any) -> Any:
        if self.get_visible() and self.get_text().strip() and id(self) not in skipped:
            clip = self.clipbox if self.get_clip_on() and self.clipbox is not None else None
            # Text's own extent: for an annotation, the text without its arrow
            boxes.append(TextBox(self.get_text(), Text.get_window_extent(self, renderer).frozen(),
                                 float(self.get_fontsize()), clip.frozen() if clip is not None else None))
        return text_draw(self, renderer)

    def record_sprite(self: TextSprite, renderer: Any) -> Any:
        if self.get_visible() and self.text.strip() and id(self) not in skipped:
            boxes.append(TextBox(self.text, self.get_window_extent(renderer).frozen(), float(self.fontsize)))
        return sprite_draw(self, renderer)

    animated = [a for a in fig.findobj() if a.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    Text.draw, TextSprite.draw = record_text, record_sprite  # type: ignore[method-assign]
    try:
        canvas.draw()
    finally:
        Text.draw, TextSprite.draw = text_draw, sprite_draw  # type: ignore[method-assign]
        for artist in animated:
            artist.set_animated(True)
    for backdrop in fig.findobj(Backdrop):
        if backdrop.get_visible():
            boxes.extend(backdrop.text_boxes)
    return boxes


def layout_problems(fig: Figure, boxes: Sequence[TextBox] | None = None, tolerance_px: float = SCALE) -> list[str]:
    """What is wrong with the text of ``fig`` as a student would see it (an empty list if nothing).

    * text outside the figure (cut off at the edge), or clipped by its axes;
    * a label truncated with "…";
    * two text boxes that overlap by more than ``tolerance_px`` in both directions;
    * text smaller than ``MIN_TEXT_CSS_PX`` at display size (the figure scaled to the output area).
    """
    if boxes is None:
        boxes = drawn_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    fig_w_in = fig.get_figwidth()
    problems = []
    unique: list[TextBox] = []
    for b in boxes:
        if any(b.text == u.text and _same_place(b.box, u.box) for u in unique):
            continue  # the same label drawn again over itself (frozen and live, or highlighted in bold)
        unique.append(b)
    for b in unique:
        label = repr(b.text if len(b.text) <= 40 else b.text[:37] + "...")
        x0, y0, x1, y1 = b.box.x0, b.box.y0, b.box.x1, b.box.y1
        if x0 < -1 or y0 < -1 or x1 > width + 1 or y1 > height + 1:
            problems.append(f"{label} runs off the figure (box {x0:.0f},{y0:.0f}–{x1:.0f},{y1:.0f} in "
                            f"{width:.0f}×{height:.0f} px)")
        elif b.clipped_by is not None and not _inside(b.box, b.clipped_by, tolerance_px):
            problems.append(f"{label} is clipped by its axes")
        if "…" in b.text:
            problems.append(f"{label} is truncated with '…'")
        size = css_px(b.fontsize, fig_w_in)
        if size < MIN_TEXT_CSS_PX - 0.05:
            problems.append(f"{label} is {size:.1f} CSS px at display size (< {MIN_TEXT_CSS_PX:g}; "
                            f"{b.fontsize:g} pt in a {fig_w_in:g}-inch figure)")
    for i, a in enumerate(unique):
        for b in unique[i + 1:]:
            dx = min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0)
            dy = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
            if dx > tolerance_px and dy > tolerance_px:
                problems.append(f"{a.text[:30]!r} overlaps {b.text[:30]!r} by {dx:.0f}×{dy:.0f} px")
    return problems


def _same_place(a: Bbox, b: Bbox) -> bool:
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.y1, b.y1) - max(a.y0, b.y0)
    smaller = min(a.width * a.height, b.width * b.height)
    return dx > 0 and dy > 0 and dx * dy >= 0.5 * smaller


def _inside(box: Bbox, outer: Bbox, tol: float) -> bool:
    return (box.x0 >= outer.x0 - tol and box.y0 >= outer.y0 - tol
            and box.x1 <= outer.x1 + tol and box.y1 <= outer.y1 + tol)
