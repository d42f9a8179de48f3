"""Bar charts as PNG (matplotlib's Agg backend: no display, no fonts downloaded). A hidden figure
("< 5") gets no bar, only its label with "< 5" beside it."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402 - after the backend is chosen
from matplotlib.figure import Figure  # noqa: E402

from dialogen.reporting.model import Chart  # noqa: E402

COLOUR = "#1f4e79"


@lru_cache(maxsize=512)  # Word and HTML of one report draw the same charts
def chart_png(chart: Chart, *, dpi: int = 110) -> bytes:
    bars = list(reversed(chart.bars))  # the first bar at the top
    height = 0.9 + 0.38 * max(1, len(bars))
    figure = Figure(figsize=(6.3, height), dpi=dpi)
    axes = figure.add_subplot()
    values = [b.value or 0.0 for b in bars]
    labels = [textwrap.shorten(b.label, 48, placeholder="…") for b in bars]
    positions = range(len(bars))
    axes.barh(list(positions), values, color=COLOUR, height=0.6)
    axes.set_yticks(list(positions), labels, fontsize=8)
    top = max(values) if values and max(values) > 0 else 1.0
    axes.set_xlim(0, top * 1.18)
    for y, bar in zip(positions, bars, strict=True):
        axes.text(
            (bar.value or 0.0) + top * 0.01, y, bar.text, va="center", fontsize=8, color="#222222"
        )
    axes.set_xlabel(chart.unit, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    plt.close("all")
    return out.getvalue()
