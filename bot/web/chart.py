"""The overview's chart as geometry for an inline SVG (no script, no style attribute): per
interactive step a line for "gestart" and a dashed one for "afgerond", over the days measured.
Days the domain left out (``None``, see ``dialogen.facilitation.dashboard.history_points``) are
passed over: the line joins the shown values, which tells nothing about the day between; the table
beside the chart lists the same values, with "–" for a day not shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dialogen.facilitation.dashboard import StepHistory

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# Okabe-Ito colours: told apart with colour blindness, contrast >= 3:1 on white.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8F6A00", "#56B4E9", "#000000")


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dashed: bool
    segments: tuple[str, ...]  # SVG points attributes, one per unbroken run
    dots: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    y_ticks: tuple[tuple[float, str], ...]  # (y, label)
    x_ticks: tuple[tuple[float, str], ...]  # (x, label)
    baseline: float
    left: int
    right: float
    empty: bool


def chart(history: tuple[StepHistory, ...]) -> Chart:
    days = sorted({p.day for h in history for p in h.points})
    values = [
        v for h in history for p in h.points for v in (p.started, p.completed) if v is not None
    ]
    top = _nice(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        if len(days) < 2:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - days[0]).days / max((days[-1] - days[0]).days, 1)

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / top)

    lines = []
    for index, step in enumerate(h for h in history if h.points):
        colour = COLOURS[index % len(COLOURS)]
        for dashed, label, pick in (
            (False, f"{step.name}: gestart", lambda p: p.started),
            (True, f"{step.name}: afgerond", lambda p: p.completed),
        ):
            runs: list[list[tuple[float, float]]] = [[]]
            for point in step.points:
                value = pick(point)
                if value is not None:  # a day not shown is passed over, the line goes on
                    runs[-1].append((round(x(point.day), 1), round(y(value), 1)))
            dots = tuple(xy for run in runs for xy in run)
            if dots:
                segments = tuple(
                    " ".join(f"{a},{b}" for a, b in run) for run in runs if len(run) > 1
                )
                lines.append(Line(label, colour, dashed, segments, dots))
    x_ticks: list[tuple[float, str]] = []
    if days:
        x_ticks.append((x(days[0]), f"{days[0].day}-{days[0].month}"))
        if len(days) > 1:
            x_ticks.append((x(days[-1]), f"{days[-1].day}-{days[-1].month}"))
    return Chart(
        WIDTH,
        HEIGHT,
        tuple(lines),
        tuple((y(v), str(v)) for v in (0, top // 2, top)),
        tuple(x_ticks),
        TOP + plot_h,
        LEFT,
        WIDTH - RIGHT,
        not lines,
    )


def _nice(value: int) -> int:
    """A round top for the axis, at least 10."""
    top = 10
    while top < value:
        top = top * 5 // 2 if str(top)[0] == "2" else top * 2
    return top
