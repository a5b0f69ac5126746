"""Gait events of male_side.mp4 against its frame-by-frame hand annotation (no pose model
involved). The annotation gives, per stance, the first frame in contact (`contact`, or
`contact_alt` under a stricter reading) and the last frame with the toe down (`toe_off`,
`toe_off_alt`), each good to about one frame. Our events are fractional frames; tolerance: one
frame from either reading. The near leg (the runner's left, nearer the camera) must match at
every stance; the far leg, half hidden behind the near one, at three stances of four."""

import numpy as np
import pytest

from tests.analysis.videodata import annotation, measured_cadence_spm, report_of

pytestmark = pytest.mark.slow
FRAME = 1.0


@pytest.fixture(scope="module")
def report():
    return report_of("male_side.mp4")


def _frames(report, side, key):
    return np.array(
        [np.nan if t is None else t * report["fps"] for t in report["events"][side][key]]
    )


def _misses(found, stances, event):
    """The annotated stances with no detected event within FRAME of either reading."""
    found = found[np.isfinite(found)]
    near = [
        np.min(np.abs(found - s[reading]), initial=np.inf)
        for s in stances
        for reading in (event, f"{event}_alt")
    ]
    return [
        s["id"] for s, a, b in zip(stances, near[::2], near[1::2], strict=True) if min(a, b) > FRAME
    ]


def test_the_near_leg_is_the_runners_left(report):
    assert report["near_leg"] == "left"  # faces image-left: the left leg is nearer the camera


def test_every_near_leg_contact_within_a_frame(report):
    found = _frames(report, "left", "contact_s")
    assert _misses(found, annotation()["near_stances"], "contact") == []


def test_every_near_leg_toe_off_within_a_frame(report):
    found = _frames(report, "left", "toe_off_s")
    assert _misses(found, annotation()["near_stances"], "toe_off") == []


def test_three_of_four_far_leg_contacts_and_toe_offs_within_a_frame(report):
    far = annotation()["far_stances"]
    assert len(_misses(_frames(report, "right", "contact_s"), far, "contact")) <= 1
    assert len(_misses(_frames(report, "right", "toe_off_s"), far, "toe_off")) <= 1


def test_contact_time_is_a_human_one(report):
    """The annotation's contact times run 267-300 ms (median 300); a contact found late shows
    as a short one."""
    value = report["metrics"]["ground_contact_time_s"]["value"]
    assert 0.250 <= value <= 0.320


def test_cadence_still_matches_the_pixel_measurement(report):
    assert report["cadence_spm"] == pytest.approx(measured_cadence_spm(), abs=1.0)


def test_no_extra_contacts_between_the_annotated_ones(report):
    """One contact per stride per foot: between the first and last annotated near-leg
    contacts there are as many detected ones as strides."""
    near = annotation()["stride_check"]["near_contacts"]
    found = _frames(report, "left", "contact_s")
    inside = found[(found > near[0] - 1) & (found < near[-1] + 1)]
    strides = round((near[-1] - near[0]) / annotation()["stride_check"]["mean_stride_frames"])
    assert inside.size == strides + 1
