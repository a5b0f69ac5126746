"""The sanity checks never touch a real, undamaged file: not one record, not one value.

The corpus holds the things that look like damage and are not: GPS settling 30 m ahead in a
second (activity-small-fenix2-run), records sharing a timestamp 8-9 m apart (2013-02-06,
sample-activity), an hour-long ride pause (garmin-edge-500), distance carried on across a
triathlon's sessions, a clock counting from power-on (compressed-speed-distance).
"""

import math

import numpy as np
import pytest

from analysis.core.fit.fit_io import FitRejected, read_fit
from tests.analysis.fitdata import corpus, csv_rows, fit_bytes, number

NOT_ACTIVITIES = {"Settings.fit", "WorkoutRepeatSteps.fit", "activity-settings-corruptheader.fit"}
WITH_CSV = ["garmin-fenix-5-run", "garmin-fenix-5-walk", "garmin-fenix-5-bike"]


@pytest.mark.parametrize("name", [n for n in corpus() if n not in NOT_ACTIVITIES])
def test_nothing_is_dropped_from_a_real_file(name):
    run = read_fit(fit_bytes(name))
    assert run.dropped == {}
    assert not [w for w in run.warnings if w.startswith(("dropped", "ignored", "kept the first"))]


def test_the_files_that_are_not_activities_are_still_rejected_for_that():
    for name in NOT_ACTIVITIES:
        with pytest.raises(FitRejected):
            read_fit(fit_bytes(name))


@pytest.mark.parametrize("name", [*WITH_CSV, "garmin-edge-500-activity"])
def test_every_distance_and_speed_of_the_csv_is_still_there(name):
    """Per value, against the record CSV: a value the CSV has, we have (none set to NaN)."""
    records = read_fit(fit_bytes(f"{name}.fit")).records
    rows = csv_rows(f"{name}-records.csv")
    assert len(rows) == len(records)
    for column, ours in (("distance", records.distance_m), ("speed", records.speed_mps)):
        theirs = np.array([number(row[column]) or math.nan for row in rows])
        had = np.isfinite(theirs) & (theirs != 0)
        assert np.isfinite(ours[had]).all(), column
