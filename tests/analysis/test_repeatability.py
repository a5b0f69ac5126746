"""The form score repeats: the two halves of male_side.mp4 (one runner, one minute apart in
the original recording, six seconds each) score within 3 points, windows shifted by half a
second within 2, and no verdict flips between them unless one side calls it borderline.
bench/repeatability.py measures the full table (SEM, MDC95) these goals come from."""

import pytest

from tests.analysis.videodata import analysed, clip, window

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parts")
    source = clip("male_side.mp4")
    cuts = {"first": (0, 180), "second": (180, 360), "w0": (0, 330), "w05": (15, 345)}
    return {
        name: analysed(window(source, folder / f"{name}.mp4", first=a, stop=b))
        for name, (a, b) in cuts.items()
    }


def test_the_halves_score_within_3_points(parts):
    first, second = parts["first"], parts["second"]
    assert first["status"] == second["status"] == "done"
    assert abs(first["score"] - second["score"]) <= 3.0


def test_windows_half_a_second_apart_score_within_2_points(parts):
    assert abs(parts["w0"]["score"] - parts["w05"]["score"]) <= 2.0


@pytest.mark.parametrize("pair", [("first", "second"), ("w0", "w05")])
def test_no_verdict_flips_outside_borderline(parts, pair):
    a, b = (parts[name]["metrics"] for name in pair)
    for key in a.keys() & b.keys():
        bands = {a[key].get("band"), b[key].get("band")}
        assert len(bands) == 1 or "borderline" in bands, key
