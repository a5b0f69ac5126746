"""Per-record values from read_fit against the record CSVs published with the corpus.

The CSVs come from another FIT reader: Pacific local times ("... PDT 2017"), positions in
semicircles, cadence as FIT's raw whole per-leg value. Where a record lacks a field, that
exporter repeats the previous row's value; we keep NaN. Tolerances: times, heart rate,
positions and cadence exact; speed, distance and altitude to 1e-9 relative (float printing).
"""

import math

import numpy as np
import pytest

from analysis.core.fit.fit_io import RECORD_FIELDS, profile_units, read_fit
from tests.analysis.fitdata import csv_rows, csv_time_s, fit_bytes, number

SEMICIRCLE_DEG = 180 / 2**31
# CSV column -> (Records attribute, factor from the CSV's unit to ours)
CSV_COLUMNS = {
    "heart_rate": ("heart_rate_bpm", 1.0),
    "speed": ("speed_mps", 1.0),
    "distance": ("distance_m", 1.0),
    "altitude": ("altitude_m", 1.0),
    "position_lat": ("lat_deg", SEMICIRCLE_DEG),
    "position_long": ("lon_deg", SEMICIRCLE_DEG),
}


def _same(ours: float, theirs: float) -> bool:
    return abs(ours - theirs) <= 1e-9 * max(1.0, abs(theirs))


def _check_value(ours: float, row: dict, previous: dict | None, column: str, factor: float):
    theirs = number(row[column])
    if theirs is None:
        assert not math.isfinite(ours), (column, row)
    elif math.isfinite(ours):
        assert _same(ours, theirs * factor), (column, ours, row)
    else:  # the exporter carried the previous row's value into a record without one
        assert previous is not None and number(previous[column]) == theirs, (column, row)


def _per_leg_cadence(records, i: int) -> float:
    spm, rpm = records.cadence_spm[i], records.cadence_rpm[i]
    return spm / 2 if math.isfinite(spm) else rpm


@pytest.mark.parametrize(
    "name",
    [
        "garmin-fenix-5-run",
        "garmin-fenix-5-walk",
        "garmin-fenix-5-bike",
        "garmin-edge-500-activity",
    ],
)
def test_every_record_matches_its_csv_row_in_order(name):
    r = read_fit(fit_bytes(f"{name}.fit")).records
    rows = csv_rows(f"{name}-records.csv")
    assert len(rows) == len(r)
    for i, row in enumerate(rows):
        previous = rows[i - 1] if i else None
        assert r.timestamp_s[i] == csv_time_s(row["timestamp"]), row
        for column, (attribute, factor) in CSV_COLUMNS.items():
            _check_value(getattr(r, attribute)[i], row, previous, column, factor)
        # Ours carries the fraction (< 1 per leg) that the CSV's whole number drops.
        cadence, theirs = _per_leg_cadence(r, i), number(row["cadence"])
        if theirs is not None and math.isfinite(cadence):
            assert 0 <= cadence - theirs < 1, row
        else:
            _check_value(cadence, row, previous, "cadence", 1.0)


def test_running_cadence_is_twice_cadence_plus_fraction():
    run = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    spm = run.records.cadence_spm
    whole = np.array([number(row["cadence"]) for row in csv_rows("garmin-fenix-5-run-records.csv")])
    fraction = spm / 2 - whole
    assert set(np.unique(fraction)) <= {0.0, 0.5}  # FIT fractions are 1/128 steps; here halves
    odd = spm[np.isfinite(spm) & (spm % 2 == 1)]
    assert odd.size, "fractional_cadence ignored: every steps/min value is even"
    assert np.isnan(run.records.cadence_rpm).all()
    # session: avg_running_cadence 83, avg_fractional_cadence 0.671875 (86/128)
    assert run.segments[0].avg_cadence == pytest.approx(2 * (83 + 0.671875))
    assert run.segments[0].cadence_unit == "spm"


def test_walking_cadence_is_steps_per_minute_too():
    run = read_fit(fit_bytes("garmin-fenix-5-walk.fit"))
    assert run.segments[0].sport == "walking" and run.segments[0].cadence_unit == "spm"
    assert 100 < np.nanmedian(run.records.cadence_spm) < 130
    assert np.isnan(run.records.cadence_rpm).all()


def test_bike_cadence_is_rpm_and_never_steps():
    for name in ("garmin-edge-500-activity", "garmin-fenix-5-bike"):
        run = read_fit(fit_bytes(f"{name}.fit"))
        assert run.segments[0].cadence_unit == "rpm"
        assert np.isnan(run.records.cadence_spm).all()
    edge = read_fit(fit_bytes("garmin-edge-500-activity.fit"))
    assert edge.segments[0].avg_cadence == 88  # the session's avg_cadence, rpm as is
    assert np.nanmax(edge.records.cadence_rpm) < 200


def test_compressed_timestamps_and_speed_distance_match_their_csv():
    """An FR70 file: compressed timestamp headers, compressed speed/distance, and times counted
    from power-on. Its session starts at power-on second 17217864; the CSV leaves out the first
    record, which holds a time and nothing else."""
    run = read_fit(fit_bytes("compressed-speed-distance.fit"))
    r = run.records
    power_on_s = np.round(r.timestamp_s - run.segments[0].start.timestamp()) + 17217864
    index = {int(t): i for i, t in enumerate(power_on_s)}
    rows = csv_rows("compressed-speed-distance-records.csv")
    assert len(index) == len(r) == len(rows) + 1
    for row in rows:
        i = index[int(row["Timestamp"])]
        assert r.heart_rate_bpm[i] == number(row["Heart Rate [bpm]"])
        assert r.speed_mps[i] == pytest.approx(number(row["Speed [m/s]"]), abs=1e-9)
        assert r.distance_m[i] == pytest.approx(number(row["Distance [m]"]), abs=1e-9)
        whole = number(row["Cadence [rpm]"])  # per leg, despite the label: a run
        assert (whole is None and np.isnan(r.cadence_spm[i])) or r.cadence_spm[i] == 2 * whole


def test_power_on_times_are_placed_by_the_watch_clock():
    """The FR70 wrote times from power-on, but activity.local_timestamp is its wall clock:
    2012-02-13 12:21:03 at the end, 3887 s after the session start."""
    run = read_fit(fit_bytes("compressed-speed-distance.fit"))
    assert run.start.isoformat() == "2012-02-13T11:16:16+00:00"  # local time, zone unknown
    assert run.local_offset_s is None and "power-on" in run.warnings[0]
    toronto = read_fit(fit_bytes("compressed-speed-distance.fit"), fallback_tz="America/Toronto")
    assert toronto.start.isoformat() == "2012-02-13T16:16:16+00:00"
    assert toronto.local_offset_s == -5 * 3600
    assert np.diff(toronto.records.timestamp_s).min() > 0


def test_profile_units_are_the_ones_our_column_names_promise():
    assert profile_units() == RECORD_FIELDS
    assert {
        name: RECORD_FIELDS[name]
        for name in ("vertical_oscillation", "stance_time", "step_length", "vertical_ratio")
    } == {
        "vertical_oscillation": "mm",
        "stance_time": "ms",
        "step_length": "mm",
        "vertical_ratio": "percent",
    }
    assert RECORD_FIELDS["stance_time_balance"] == "percent"


def test_running_dynamics_are_kept_in_plausible_ranges():
    fenix5 = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    fenix2 = read_fit(fit_bytes("activity-small-fenix2-run.fit"))
    for run in (fenix5, fenix2):
        r = run.records
        assert run.has_running_dynamics
        assert 50 < np.nanmedian(r.vertical_oscillation_mm) < 150
        assert 150 < np.nanmedian(r.stance_time_ms) < 400
    r = fenix5.records
    assert 500 < np.nanmedian(r.step_length_mm) < 2000
    assert 3 < np.nanmedian(r.vertical_ratio_pct) < 15
    assert 40 < np.nanmedian(r.stance_time_balance_pct) < 60
    # record 5 of the Fenix 5, as fitparse scales it (raw / 10, / 100)
    assert (r.vertical_oscillation_mm[4], r.stance_time_ms[4], r.step_length_mm[4]) == (
        73.0,
        285.0,
        658.0,
    )
    assert r.vertical_ratio_pct[4] == pytest.approx(6.12)


def test_developer_fields_are_kept_by_application_and_name():
    """The file's developer_data_id names no app (application id all zeros, no manufacturer):
    the fields are the file maker's, Stryd."""
    r = read_fit(fit_bytes("developer-types-sample.fit")).records
    assert set(r.developer) == {
        ("Stryd", "Form Power"),
        ("Stryd", "Leg Spring Stiffness"),
        ("Stryd", "Distance"),
        ("Stryd", "Speed"),
    }
    assert r.developer_units[("Stryd", "Form Power")] == "Watts"
    assert r.developer_units[("Stryd", "Leg Spring Stiffness")] == "KN/m"
    for series in r.developer.values():
        assert series.shape == r.timestamp_s.shape and series.dtype == np.float64
    assert 30 < np.nanmedian(r.developer[("Stryd", "Form Power")]) < 200


def test_a_run_without_cadence_still_reads():
    run = read_fit(fit_bytes("2013-02-06-12-11-14.fit"))
    assert len(run.records) == 590 and run.segments[0].sport == "running"
    assert np.isnan(run.records.cadence_spm).all() and np.isnan(run.records.cadence_rpm).all()
    assert run.segments[0].avg_cadence is None and not run.partial


def test_device_and_local_time_offset():
    run = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    assert (run.device.manufacturer, run.device.product, run.device.serial) == (
        "garmin",
        "fenix5",
        3945849289,
    )
    assert run.start.isoformat() == "2017-06-11T14:34:09+00:00"
    assert run.local_offset_s == -25200  # PDT, from activity.local_timestamp
    # the file's own offset wins over the member's zone
    assert (
        read_fit(fit_bytes("garmin-fenix-5-run.fit"), fallback_tz="Asia/Tokyo").local_offset_s
        == -25200
    )


def test_member_time_zone_is_the_fallback_for_local_time():
    data = fit_bytes("developer-types-sample.fit")  # its activity has no local_timestamp
    assert read_fit(data).local_offset_s is None
    assert read_fit(data, fallback_tz="Europe/Paris").local_offset_s == 3600  # January: CET
    assert read_fit(data, fallback_tz="America/Los_Angeles").local_offset_s == -8 * 3600
    assert read_fit(data, fallback_tz="Not/AZone").local_offset_s is None


def test_laps_and_timer_pauses():
    run = read_fit(fit_bytes("compressed-speed-distance.fit"))
    assert len(run.laps) == 11 and [lap.distance_m for lap in run.laps[:3]] == [1000.0] * 3
    assert run.laps[0].record_start == 0
    assert all(
        a.record_stop == b.record_start for a, b in zip(run.laps[:-1], run.laps[1:], strict=True)
    )
    # timer stop_all at power-on second 17218545, start again at 17218655: 110 s
    ((stop, start),) = run.pauses
    assert start - stop == 110
    assert stop - run.segments[0].start.timestamp() == 17218545 - 17217864
