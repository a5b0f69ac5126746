"""A coach's drawing on one frame of a clip: a line (two points) or an angle (three, the middle
one its vertex), in fractions of the frame's width and height. Plain Python, no Django.

The angle is measured here, in pixels of the frame's true shape: on a 720 x 1280 portrait clip
a fraction across is 720 px and a fraction down 1280, so measuring in fractions would bend every
angle that is not square to the frame. A line's angle is read from the vertical (a shin, a
trunk), 0 to 90 degrees; an angle's between its two arms, 0 to 180.
"""

from __future__ import annotations

import math

POINTS = {"line": 2, "angle": 3}
_NEEDS = {
    "line": "A line has 2 points",
    "angle": "An angle has 3 points, the middle one at the joint",
}
DECIMALS = 4  # a ten-thousandth of the frame: finer than any finger or mouse places a point


class BadDrawing(ValueError):
    """The drawing is not one this module can measure; the message says why."""


def parse(value: object) -> dict:
    """A drawing as stored: {"kind": "line" | "angle", "points": [[x, y], ...]}, each point
    inside the frame (0 to 1), rounded. Raises BadDrawing with a reason a person can act on."""
    if not isinstance(value, dict):
        raise BadDrawing("A drawing is a line or an angle: a kind and its points.")
    kind, points = value.get("kind"), value.get("points")
    if kind not in POINTS:
        raise BadDrawing("Draw a line (two points) or an angle (three points).")
    if not isinstance(points, list) or len(points) != POINTS[kind]:
        raise BadDrawing(f"{_NEEDS[kind]}.")
    return {"kind": kind, "points": [_point(p) for p in points]}


def _point(value: object) -> list[float]:
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise BadDrawing("Each point is a pair of numbers: across and down the frame.")
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        raise BadDrawing("Each point is a pair of numbers: across and down the frame.") from None
    if not (math.isfinite(x) and math.isfinite(y) and 0 <= x <= 1 and 0 <= y <= 1):
        raise BadDrawing("Every point must lie on the picture.")
    return [round(x, DECIMALS), round(y, DECIMALS)]


def measure_deg(*, drawing: dict, width_px: int, height_px: int) -> float:
    """The drawing's angle in degrees, to a tenth: a line's from the vertical, an angle's at
    its vertex. `drawing` as :func:`parse` gives it; the frame's size in pixels."""
    px = [(x * width_px, y * height_px) for x, y in drawing["points"]]
    if drawing["kind"] == "line":
        (ax, ay), (bx, by) = px
        if ax == bx and ay == by:
            raise BadDrawing("The line's two points are the same point.")
        return round(math.degrees(math.atan2(abs(bx - ax), abs(by - ay))), 1)
    a, vertex, b = px
    arms = [(a[0] - vertex[0], a[1] - vertex[1]), (b[0] - vertex[0], b[1] - vertex[1])]
    if any(dx == 0 and dy == 0 for dx, dy in arms):
        raise BadDrawing("An angle's arms must leave its vertex.")
    turn = math.atan2(arms[1][1], arms[1][0]) - math.atan2(arms[0][1], arms[0][0])
    deg = abs(math.degrees(turn)) % 360
    return round(360 - deg if deg > 180 else deg, 1)
