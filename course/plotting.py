"""Plotting helpers shared by every module: a colour-blind-safe palette and figures with alt text.

Every figure the course shows goes through :func:`figure_html` / :func:`show`, which render it as
an ``<img>`` element carrying an ``alt`` description, so screen-reader users get the same content.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless everywhere; notebooks display the PNG through HTML

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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

#: Default resolution: small PNGs keep widget updates fast and notebooks light.
DPI = 80


def new_figure(width: float = 6.0, height: float = 3.5, layout: str | None = "constrained", **kwargs: Any) -> Figure:
    """Return a new matplotlib :class:`~matplotlib.figure.Figure` styled for the course.

    The figure is *not* registered with pyplot's global state, so it never leaks between cells.
    ``layout=None`` skips the layout engine (interactives: it halves the redraw time).
    """
    fig = Figure(figsize=(width, height), dpi=DPI, layout=layout, **kwargs)
    fig.set_facecolor("white")
    return fig


def style_axes(ax: Any) -> None:
    """Apply the course's quiet axis style (no top/right spines, palette cycle)."""
    ax.set_prop_cycle(color=CYCLE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """Render ``fig`` to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def figure_html(fig: Figure, alt: str, dpi: int = DPI) -> str:
    """Return an ``<img>`` element holding ``fig`` as an embedded PNG with ``alt`` text.

    Raises:
        ValueError: if ``alt`` is empty — every course figure must be described.
    """
    if not alt or not alt.strip():
        raise ValueError("alt: every figure needs a non-empty alt text describing what it shows")
    data = base64.b64encode(png_bytes(fig, dpi=dpi)).decode("ascii")
    return (
        f'<img alt="{html.escape(alt, quote=True)}" title="{html.escape(alt, quote=True)}" '
        f'src="data:image/png;base64,{data}" style="max-width:100%"/>'
    )


def show(fig: Figure, alt: str) -> None:
    """Display ``fig`` in the notebook as an image with alt text, then release it."""
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt)))
    plt.close(fig)
