"""The FigureApp base class, plotting helpers and the start-page widget check, driven headless."""

from __future__ import annotations

import ipywidgets as W
import pytest

from course.plotting import (CYCLE, DPI, PALETTE, Backdrop, TextSprite, bake_background, figure_html, new_figure,
                             png_bytes, render_bitmap)
from course.start import WidgetCheck
from course.widgets import BlitFigureApp, FigureApp, Rendered


class Counter(FigureApp):
    def build_controls(self):
        return {"n": W.IntSlider(value=1, min=0, max=5), "label": W.Text(value="x")}

    def render(self, fig, n, label):
        self.calls = getattr(self, "calls", 0) + 1
        ax = fig.add_subplot()
        ax.bar(range(n), range(n))
        self.state["n"] = n
        return Rendered(alt=f"{n} bars labelled {label}", html=f"<p>{label}:{n}</p>")


def test_widget_change_triggers_one_redraw():
    app = Counter()
    assert app.calls == 1
    app.controls["n"].value = 3  # what a learner's slider move does
    assert app.calls == 2 and app.state["n"] == 3
    assert 'alt="3 bars labelled x"' in app.figure.value
    assert app.explanation.value == "<p>x:3</p>"


def test_set_redraws_once_for_several_controls():
    app = Counter()
    app.set(n=4, label="y")
    assert app.calls == 2
    assert app.explanation.value == "<p>y:4</p>"
    assert len(app.stats.durations) == 2


def test_set_unknown_control():
    with pytest.raises(ValueError, match="accepted"):
        Counter().set(m=1)


def test_figure_html_requires_alt():
    fig = new_figure()
    with pytest.raises(ValueError, match="alt"):
        figure_html(fig, " ")
    html = figure_html(fig, 'a "quoted" alt')
    assert html.startswith("<img") and "&quot;quoted&quot;" in html and "base64," in html


def test_palette_is_okabe_ito():
    assert PALETTE["vermillion"] == "#D55E00" and PALETTE["blue"] == "#0072B2"
    assert len(set(CYCLE)) == len(CYCLE)


def test_widget_check_follows_slider():
    app = WidgetCheck()
    before = app.figure.value
    app.controls["count"].value = 20
    assert app.state["shaded"] == 20
    assert "first 20 are shaded" in app.state["alt"]
    assert app.figure.value != before
    assert "20 of 24" in app.explanation.value


class Dot(BlitFigureApp):
    def build_controls(self):
        return {"x": W.FloatSlider(value=0.2, min=0, max=1)}

    def setup(self, fig):
        ax = fig.add_subplot()
        ax.set_xlim(0, 1)
        ax.set_title("static title")
        (self.point,) = ax.plot([0.2], [0.5], "o")
        self.dynamic.append(self.point)

    def render(self, fig, x):
        self.point.set_data([x], [0.5])
        return Rendered(alt=f"dot at {x:.1f}" if x < 0.95 else "")


def test_blit_app_redraws_only_the_dynamic_artist():
    app = Dot()
    first = app.figure.value
    app.set(x=0.8)
    assert app.figure.value != first and 'alt="dot at 0.8"' in app.figure.value
    with pytest.raises(ValueError, match="alt"):
        app.set(x=1.0)  # an empty alt text is refused, as for every figure


def test_bake_background_freezes_static_artists():
    fig = new_figure(layout=None)
    ax = fig.add_subplot()
    text = ax.text(0.5, 0.5, "static")
    backdrop = bake_background(fig)
    assert not text.get_visible()
    assert isinstance(backdrop, Backdrop) and backdrop in fig.artists
    assert backdrop.rgba.shape[:2] == (int(fig.bbox.height), int(fig.bbox.width))
    before = png_bytes(fig)
    ax.plot([0, 1], [0, 1])  # a dynamic artist drawn over the frozen picture
    assert png_bytes(fig) != before


def test_render_bitmap_size():
    rgba = render_bitmap(lambda f: f.add_subplot().plot([1, 2]), (2.0, 1.0))
    assert rgba.shape == (1 * DPI, 2 * DPI, 4)


def test_text_sprite_draws_its_label_and_follows_set_text():
    fig = new_figure(3.0, 1.5, layout=None)
    ax = fig.add_subplot()
    ax.set_ylim(1.5, -0.5)
    fig.subplots_adjust(left=0.5)
    ax.set_axis_off()
    sprite = TextSprite(ax, -0.02, 0, "")
    fig.add_artist(sprite)
    blank = png_bytes(fig)
    sprite.set_text("Lung  31%")
    first = png_bytes(fig)
    sprite.set_text("Breast  24%")
    assert blank != first != png_bytes(fig) and sprite.get_text() == "Breast  24%"
    sprite.set_text("Lung  31%")
    assert png_bytes(fig) == first  # the cached bitmap gives the same picture again


def test_figures_are_rendered_at_2x_with_css_size():
    """The PNG has SCALE pixels per CSS pixel and the <img> says its CSS width (sharp on HiDPI)."""
    import base64
    import re

    from course.plotting import CSS_DPI, SCALE, png_size

    fig = new_figure(6.0, 3.0)
    html = figure_html(fig, "blank")
    w, h = png_size(base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)))
    assert (w, h) == (6 * CSS_DPI * SCALE, 3 * CSS_DPI * SCALE)
    assert f'width="{6 * CSS_DPI}"' in html and f"width:{6 * CSS_DPI}px" in html
    assert "max-width:100%" in html and "background:#FFFFFF" in html  # opaque on a dark theme


def test_blit_app_image_is_2x():
    from course.plotting import CSS_DPI

    app = Dot()
    assert f'width="{round(6.0 * CSS_DPI)}"' in app.figure.value


def test_text_sprite_scales_with_resolution():
    """The cached label bitmap is rasterised at the renderer's resolution (2x for course figures)."""
    from course.plotting import _text_bitmap

    low, high = _text_bitmap("Lung", 8, "#000000", 100), _text_bitmap("Lung", 8, "#000000", 200)
    assert abs(high.shape[1] / low.shape[1] - 2) < 0.2
