"""Plotting helpers shared by every module: a colour-blind-safe palette and figures with alt text.

Every figure the course shows goes through :func:`figure_html` / :func:`show`, which render it as
an ``<img>`` element carrying an ``alt`` description, so screen-reader users get the same content.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from typing import Any, Callable, Sequence

import matplotlib

matplotlib.use("Agg")  # headless everywhere; notebooks display the PNG through HTML

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
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
    Image.frombuffer("RGBA", (w, h), pixels, "raw", "RGBA", 0, 1).convert("RGB").save(
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
    return frame_html(canvas.buffer_rgba(), alt, scale=fig.dpi / CSS_DPI)


def figure_html(fig: Figure, alt: str, dpi: float | None = None) -> str:
    """Return an ``<img>`` element holding ``fig`` as an embedded 2x PNG with ``alt`` text.

    Raises:
        ValueError: if ``alt`` is empty — every course figure must be described.
    """
    _check_alt(alt)
    dpi = dpi or fig.dpi
    return img_html(png_bytes(fig, dpi=dpi), alt, scale=dpi / CSS_DPI)


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
    return np.asarray(fig.canvas.buffer_rgba()).copy()


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
    for artist, visible in zip(exclude, shown):
        artist.set_visible(visible)
    if hide is None:
        hide = [c for ax in fig.axes for c in ax.get_children()] + list(fig.legends) + list(fig.texts)
    for artist in hide:
        artist.set_visible(False)
    backdrop = Backdrop(background)
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

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.text:
            return
        rgba = _text_bitmap(self.text, self.fontsize, self.color, int(renderer.dpi))
        px = self.ax.transAxes.transform((self.x, 0))[0]
        py = self.ax.transData.transform((0, self.y))[1]
        h, w = rgba.shape[:2]
        x0 = px - w if self.ha == "right" else px
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(x0), round(py - h / 2), rgba[::-1])
        gc.restore()
