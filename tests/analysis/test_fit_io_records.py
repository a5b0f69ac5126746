"""Per-record values from our reader against the record CSVs published with the corpus."""

import math

import numpy as np
import pytest

from analysis.fit_io import read_fit
from tests.analysis.fitdata import csv_rows, csv_time_s, fit_bytes, number

SEMICIRCLE_DEG = 180 / 2**31


def _by_time(run):
    return {round(t): i for i, t in enumerate(run.records.timestamp_s)}


def _candidates(run):
    """Records by whole second; a few seconds hold two records, and the CSV may list those
    in another order, so a CSV row must match one of the records of its second."""
    found: dict[int, list[int]] = {}
    for i, t in enumerate(run.records.timestamp_s):
        found.setdefault(round(t), []).append(i)
    return found


def _row_matches(r, i, row, previous) -> bool:
    lat = number(row["position_lat"])
    # The CSV's exporter repeats the last position where the watch had no fix; we keep NaN.
    carried = previous is not None and lat == number(previous["position_lat"])
    lat_ok = _close(r.lat_deg[i], lat * SEMICIRCLE_DEG if lat is not None else None, 1e-9) or (
        carried and not math.isfinite(r.lat_deg[i])
    )
    return lat_ok and (
        _close(r.heart_rate_bpm[i], number(row["heart_rate"]), 0)
        and _close(r.speed_mps[i], number(row["speed"]), 1e-3)
        and _close(r.distance_m[i], number(row["distance"]), 1e-2)
        and _close(r.altitude_m[i], number(row["altitude"]), 1e-2)
    )


def _close(ours: float, theirs: float | None, tol: float) -> bool:
    if theirs is None:
        return not math.isfinite(ours)
    return abs(ours - theirs) <= tol


@pytest.mark.parametrize(
    "name",
    [
        "garmin-fenix-5-run",
        "garmin-fenix-5-walk",
        "garmin-fenix-5-bike",
        "garmin-edge-500-activity",
    ],
)
def test_every_record_matches_its_csv(name):
    run = read_fit(fit_bytes(f"{name}.fit"))
    rows, seconds = csv_rows(f"{name}-records.csv"), _candidates(run)
    assert len(rows) == len(run.records)
    for k, row in enumerate(rows):
        at = seconds[round(csv_time_s(row["timestamp"]))]
        previous = rows[k - 1] if k else None
        assert any(_row_matches(run.records, i, row, previous) for i in at), row


def test_running_cadence_is_steps_per_minute_with_the_fraction():
    run = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    rows, index = csv_rows("garmin-fenix-5-run-records.csv"), _by_time(run)
    for row in rows:
        spm = run.records.cadence_spm[index[round(csv_time_s(row["timestamp"]))]]
        # The CSV holds FIT's whole strides/min per leg; ours adds the fraction and doubles it.
        assert math.floor(spm / 2 + 1e-9) == int(row["cadence"])
    odd = [v for v in run.records.cadence_spm if np.isfinite(v) and round(v) % 2 == 1]
    assert odd, "fractional_cadence ignored: every steps/min value is even"
    assert run.segments[0].avg_cadence == pytest.approx(2 * (83 + 0.671875))


def test_cycling_cadence_is_rpm_and_never_steps():
    run = read_fit(fit_bytes("garmin-edge-500-activity.fit"))
    rows, index = csv_rows("garmin-edge-500-activity-records.csv"), _by_time(run)
    assert not np.isfinite(run.records.cadence_spm).any()
    for row in rows[::50]:
        expected = number(row["cadence"])
        assert _close(
            run.records.cadence_rpm[index[round(csv_time_s(row["timestamp"]))]], expected, 0.01
        )


def test_compressed_timestamps_and_speeds_match_their_csv():
    run = read_fit(fit_bytes("compressed-speed-distance.fit"))
    index = _by_time(run)
    for row in csv_rows("compressed-speed-distance-records.csv"):
        i = index[round(csv_time_s(row["Timestamp"]))]
        assert _close(run.records.speed_mps[i], number(row["Speed [m/s]"]), 1e-3)
        assert _close(run.records.distance_m[i], number(row["Distance [m]"]), 1e-3)
        assert _close(run.records.heart_rate_bpm[i], number(row["Heart Rate [bpm]"]), 0)


def test_running_dynamics_are_kept_in_their_units():
    r = read_fit(fit_bytes("activity-small-fenix2-run.fit")).records
    assert 50 < np.nanmedian(r.vertical_oscillation_mm) < 150
    assert 150 < np.nanmedian(r.stance_time_ms) < 400
    fenix5 = read_fit(fit_bytes("garmin-fenix-5-run.fit")).records
    assert 500 < np.nanmedian(fenix5.step_length_mm) < 2000
    assert 3 < np.nanmedian(fenix5.vertical_ratio_pct) < 15
    assert 40 < np.nanmedian(fenix5.stance_time_balance_pct) < 60


def test_developer_fields_are_kept_by_application_and_name():
    r = read_fit(fit_bytes("developer-types-sample.fit")).records
    assert ("Stryd", "Form Power") in r.developer
    assert r.developer_units[("Stryd", "Form Power")] == "Watts"
    assert 30 < np.nanmedian(r.developer[("Stryd", "Form Power")]) < 200
    assert ("Stryd", "Leg Spring Stiffness") in r.developer


def test_a_run_without_cadence_or_gps_still_reads():
    run = read_fit(fit_bytes("2013-02-06-12-11-14.fit"))
    assert len(run.records) == 590 and not np.isfinite(run.records.cadence_spm).any()


def test_device_and_local_time_offset():
    run = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    assert (run.device.manufacturer, run.device.product, run.device.serial) == (
        "garmin",
        "fenix5",
        3945849289,
    )
    assert run.local_offset_s == -7 * 3600  # PDT, from activity.local_timestamp


def test_member_time_zone_is_the_fallback_for_local_time():
    run = read_fit(fit_bytes("developer-types-sample.fit"), fallback_tz="Europe/Paris")
    assert run.local_offset_s == 3600  # January: CET
    assert read_fit(fit_bytes("developer-types-sample.fit")).local_offset_s is None


def test_gzipped_file_reads_the_same():
    import gzip

    plain = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    zipped = read_fit(gzip.compress(fit_bytes("garmin-fenix-5-run.fit")))
    assert np.array_equal(plain.records.timestamp_s, zipped.records.timestamp_s)
