"""Interactives of the start page: a widget check the learner (and the browser test) can move."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from course.plotting import PALETTE, style_axes
from course.widgets import FigureApp, Rendered


class WidgetCheck(FigureApp):
    """A slider that sets how many vertebrae of a 24-segment presacral column are shaded.

    If the learner moves the slider and the picture and sentence change, the kernel and the
    widget front-end are talking to each other — every other interactive will work too.
    """

    figsize = (6.0, 1.6)
    title = "Widget check: move the slider"
    clear_each_update = False

    def build_controls(self) -> dict[str, W.Widget]:
        return {
            "count": W.IntSlider(value=3, min=0, max=24, step=1, description="Vertebrae",
                                 continuous_update=False, style={"description_width": "initial"}),
        }

    def setup(self, fig: Figure) -> None:
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.25, top=0.95)
        self._ax = ax = fig.add_subplot()
        style_axes(ax)
        self._bars = ax.bar(np.arange(24), np.ones(24), color=PALETTE["grey"], edgecolor="white")
        ax.set_xticks([0, 7, 19], ["C1", "T1", "L1"])
        ax.set_yticks([])
        ax.set_xlim(-0.6, 23.6)
        ax.spines["left"].set_visible(False)

    def render(self, fig: Figure, count: int = 0, **_: Any) -> Rendered:
        for i, bar in enumerate(self._bars):
            bar.set_color(PALETTE["blue"] if i < count else PALETTE["grey"])
        self.state["shaded"] = count
        alt = f"A row of 24 presacral vertebrae from C1 to L5; the first {count} are shaded blue."
        return Rendered(alt=alt, html=f"<p>{count} of 24 presacral vertebrae shaded. "
                        "If this number follows the slider, widgets work.</p>")
