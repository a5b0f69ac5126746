"""Geometry for the small SVG charts on run pages: numbers in, coordinates out.

The templates draw the SVG; nothing here builds markup, so nothing here needs escaping.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD = 640, 220, 32
PLOT_RIGHT = WIDTH - 8  # where the x axis ends in the drawing
# A line never has more points than this, whatever series it is given: imports thin their
# series to 1,000 points (run_summary.SERIES_POINTS), and a 640-wide chart shows no more;
# runs stored before that bound are thinned here, so their page stays small too.
MAX_LINE_POINTS = 2000
Scale = Callable[[float], float]
Label = Callable[[float], str]


@dataclass
class Chart:
    path: str = ""
    band: tuple[float, float] | None = None  # y of the top edge, height
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    bars: list[tuple[float, float, float, float, str]] = field(default_factory=list)
    points: list[tuple[float, float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def empty(self) -> bool:
        return not (self.path or self.bars or self.points)


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _scale(lo: float, hi: float, a: float, b: float) -> Scale:
    span = (hi - lo) or 1.0
    return lambda v: a + (v - lo) * (b - a) / span


def line_chart(
    *,
    xs: Sequence[float],
    ys: Sequence[float | None],
    band: tuple[float, float] | None = None,
    x_label: Label = lambda v: f"{v:.0f}",
    y_pad: float = 5.0,
) -> Chart:
    """A line with gaps where y is missing, and an optional shaded band (e.g. the target)."""
    step = math.ceil(len(xs) / MAX_LINE_POINTS) if xs else 1
    xs, ys = xs[::step], ys[::step]
    values = _finite(ys) + (list(band) if band else [])
    if not values or not xs:
        return Chart()
    lo, hi = min(values) - y_pad, max(values) + y_pad
    sx = _scale(xs[0], xs[-1], PAD, PLOT_RIGHT)
    sy = _scale(lo, hi, HEIGHT - PAD, 8)
    chart = Chart(
        path=_path(xs, ys, sx, sy), y_ticks=_ticks(lo, hi, sy), x_ticks=_x_ticks(xs, sx, x_label)
    )
    if band:
        chart.band = (sy(band[1]), sy(band[0]) - sy(band[1]))
    return chart


def _path(xs: Sequence[float], ys: Sequence[float | None], sx: Scale, sy: Scale) -> str:
    parts, pen_down = [], False
    for x, y in zip(xs, ys, strict=False):
        if y is None or not math.isfinite(y):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{sx(x):.1f} {sy(y):.1f}")
        pen_down = True
    return " ".join(parts)


def _ticks(lo: float, hi: float, sy: Scale, count: int = 4) -> list[tuple[float, str]]:
    step = (hi - lo) / count
    return [(sy(lo + i * step), f"{lo + i * step:.0f}") for i in range(count + 1)]


def _x_ticks(xs: Sequence[float], sx: Scale, label: Label) -> list[tuple[float, str]]:
    n = 5
    return [
        (sx(xs[0] + i * (xs[-1] - xs[0]) / n), label(xs[0] + i * (xs[-1] - xs[0]) / n))
        for i in range(n + 1)
    ]


def bar_chart(
    *,
    edges: Sequence[float],
    heights: Sequence[float],
    highlight: tuple[float, float] | None = None,
) -> Chart:
    """A histogram: bar i spans edges[i]..edges[i+1]; bars centred in `highlight` are marked."""
    if not heights or max(heights) <= 0:
        return Chart()
    sx = _scale(edges[0], edges[-1], PAD, PLOT_RIGHT)
    sy = _scale(0, max(heights), HEIGHT - PAD, 8)
    bars = []
    for left, right, h in zip(edges[:-1], edges[1:], heights, strict=False):
        centre = (left + right) / 2
        inside = highlight is not None and highlight[0] <= centre <= highlight[1]
        bars.append(
            (
                sx(left) + 1,
                sy(h),
                sx(right) - sx(left) - 2,
                sy(0) - sy(h),
                "in" if inside else "out",
            )
        )
    ticks = [(sx(e), f"{e:.0f}") for e in edges[:: max(1, len(edges) // 8)]]
    return Chart(bars=bars, x_ticks=ticks, y_ticks=[])


def trend_chart(
    *, labels: Sequence[str], ys: Sequence[float | None], band: tuple[float, float] | None = None
) -> Chart:
    """Dots joined by a line, one per run, oldest left."""
    xs = list(range(len(ys)))
    chart = line_chart(xs=xs or [0], ys=ys, band=band, x_label=lambda v: "")
    if chart.empty:
        return chart
    values = _finite(ys) + (list(band) if band else [])
    sx = _scale(0, max(len(ys) - 1, 1), PAD, PLOT_RIGHT)
    sy = _scale(min(values) - 5, max(values) + 5, HEIGHT - PAD, 8)
    chart.points = [
        (sx(i), sy(y), label)
        for i, (y, label) in enumerate(zip(ys, labels, strict=False))
        if y is not None
    ]
    chart.x_ticks = []
    return chart
