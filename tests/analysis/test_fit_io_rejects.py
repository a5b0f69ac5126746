"""What is not an importable activity is rejected with a reason; a cut file keeps its start."""

import gzip

import pytest

from analysis.fit_io import FitRejected, read_fit
from tests.analysis.fitdata import fit_bytes


@pytest.mark.parametrize(
    "name,kind", [("Settings.fit", "settings"), ("WorkoutRepeatSteps.fit", "workout")]
)
def test_non_activity_fit_files_are_rejected_by_type(name, kind):
    with pytest.raises(FitRejected, match=f"FIT {kind} file, not an activity"):
        read_fit(fit_bytes(name))


def test_corrupt_header_is_rejected():
    with pytest.raises(FitRejected, match="header is corrupt"):
        read_fit(fit_bytes("activity-settings-corruptheader.fit"))


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        (b"just some text, not a watch file", "not a FIT file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "not a FIT file"),
        (gzip.compress(b"hello"), "not a FIT file"),
        (b"\x1f\x8b\x08\x00broken", "gzip file is damaged"),
    ],
)
def test_non_fit_input_is_rejected_with_a_reason(data, reason):
    with pytest.raises(FitRejected, match=reason):
        read_fit(data)


def test_truncated_activity_keeps_records_read_before_the_cut():
    run = read_fit(fit_bytes("activity-unexpected-eof.fit"))
    assert run.partial and len(run.records) == 14
    assert "ends early after 14 records" in run.warnings[0]


def test_cutting_a_good_file_in_half_keeps_the_first_half():
    data = fit_bytes("activity-small-fenix2-run.fit")
    whole = read_fit(data)
    half = read_fit(data[: len(data) // 2])
    assert half.partial and 0 < len(half.records) < len(whole.records)
    n = len(half.records)
    assert (half.records.timestamp_s == whole.records.timestamp_s[:n]).all()
