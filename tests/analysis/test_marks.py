"""A coach's line or angle on a frame is measured in the frame's true shape: a right angle in
pixels of a portrait clip reads 90 degrees though its fractions are not square."""

import math
import re

import pytest

from analysis.core.video import marks

W, H = 720, 1280


def _fractions(*pixels: tuple[float, float]) -> list[list[float]]:
    return [[x / W, y / H] for x, y in pixels]


def test_a_right_angle_in_pixels_reads_90_degrees_on_a_portrait_frame():
    # Vertex at (360, 640), one arm 200 px up, the other 200 px right: square in pixels, but
    # 0.156 of the height against 0.278 of the width in fractions.
    drawing = marks.parse(
        {"kind": "angle", "points": _fractions((360, 440), (360, 640), (560, 640))}
    )
    assert marks.measure_deg(drawing=drawing, width_px=W, height_px=H) == pytest.approx(90, abs=0.1)
    naive = math.degrees(math.atan2(200 / H, 200 / W))  # what fractions would have given
    assert abs(naive - 45) > 10


def test_a_straight_leg_is_180_and_a_folded_one_near_0():
    straight = marks.parse(
        {"kind": "angle", "points": _fractions((100, 100), (100, 300), (100, 500))}
    )
    folded = marks.parse(
        {"kind": "angle", "points": _fractions((100, 100), (100, 300), (102, 100))}
    )
    assert marks.measure_deg(drawing=straight, width_px=W, height_px=H) == 180.0
    assert marks.measure_deg(drawing=folded, width_px=W, height_px=H) < 1.0


def test_the_angle_does_not_depend_on_the_order_of_its_arms():
    one = marks.parse({"kind": "angle", "points": _fractions((300, 200), (350, 500), (500, 700))})
    other = marks.parse({"kind": "angle", "points": _fractions((500, 700), (350, 500), (300, 200))})
    assert marks.measure_deg(drawing=one, width_px=W, height_px=H) == marks.measure_deg(
        drawing=other, width_px=W, height_px=H
    )


@pytest.mark.parametrize(
    ("end", "expected"),
    [((400, 900), 0.0), ((500, 500), 90.0), ((500, 400), 45.0), ((300, 600), 45.0)],
)
def test_a_line_is_read_from_the_vertical(end, expected):
    drawing = marks.parse({"kind": "line", "points": _fractions((400, 500), end)})
    assert marks.measure_deg(drawing=drawing, width_px=W, height_px=H) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a knee", "a kind and its points"),
        ({"kind": "circle", "points": [[0, 0], [1, 1]]}, "a line (two points) or an angle"),
        ({"kind": "angle", "points": [[0.1, 0.1], [0.2, 0.2]]}, "An angle has 3 points"),
        ({"kind": "line", "points": [[0.1, 0.1], [0.2, 1.2]]}, "on the picture"),
        ({"kind": "line", "points": [[0.1, 0.1], [0.2, float("nan")]]}, "on the picture"),
        ({"kind": "line", "points": [[0.1, 0.1], [0.2]]}, "a pair of numbers"),
        ({"kind": "line", "points": [[0.1, 0.1], ["x", 0.2]]}, "a pair of numbers"),
        ({"kind": "line", "points": "0.1,0.2"}, "A line has 2 points"),
    ],
)
def test_a_drawing_that_cannot_be_measured_is_refused_with_why(value, reason):
    with pytest.raises(marks.BadDrawing, match=re.escape(reason)):
        marks.parse(value)


def test_points_on_top_of_each_other_are_refused():
    line = marks.parse({"kind": "line", "points": [[0.5, 0.5], [0.5, 0.5]]})
    with pytest.raises(marks.BadDrawing, match="same point"):
        marks.measure_deg(drawing=line, width_px=W, height_px=H)
    angle = marks.parse({"kind": "angle", "points": [[0.5, 0.5], [0.5, 0.5], [0.7, 0.7]]})
    with pytest.raises(marks.BadDrawing, match="leave its vertex"):
        marks.measure_deg(drawing=angle, width_px=W, height_px=H)


def test_points_are_kept_to_a_ten_thousandth():
    drawing = marks.parse({"kind": "line", "points": [[0.123456, 0.5], [0.2, 0.654321]]})
    assert drawing["points"] == [[0.1235, 0.5], [0.2, 0.6543]]
