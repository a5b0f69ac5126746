"""Physically impossible values are dropped by read_fit, each with a warning naming the field
and how many records lost it; possible ones, however odd, are kept. Files from the writer."""

import numpy as np
import pytest

from analysis.core.fit import sanity
from analysis.core.fit.fit_io import read_fit
from analysis.core.runs.run_summary import summarise_run
from tests.analysis import fitwriter as w

UNIX_T0 = 1_700_000_000
T0 = w.fit_time(UNIX_T0)
FORTY_THOUSAND_KM_CM = 4_000_000_000


def _run(*distances_cm: int, sport: str = "running", **extra) -> bytes:
    """One record a second with these distances, speed 3 m/s, cadence 85 per leg."""
    records = [
        w.record(T0 + s, cadence=85, distance_cm=d, speed_mmps=3000, **extra)
        for s, d in enumerate(distances_cm)
    ]
    return w.fit_file(w.file_id(), w.sport(sport), *records)


def _steady(n: int, *, start_cm: int = 0) -> list[int]:
    return [start_cm + 300 * s for s in range(n)]


def test_distance_flipping_between_zero_and_forty_thousand_km_is_dropped():
    run = read_fit(_run(*[0 if s % 2 == 0 else FORTY_THOUSAND_KM_CM for s in range(12)]))
    assert run.dropped == {"distance": 6}
    assert run.warnings[0] == (
        "dropped the distance of 6 records: it jumped further than running allows (12.5 m/s)"
    )
    assert np.nanmax(run.records.distance_m) == 0 and run.segments[0].distance_m == 0
    assert summarise_run(run).details["splits"] == []


def test_one_damaged_distance_mid_run_is_dropped_and_the_rest_kept():
    distances = _steady(60)
    distances[30] += 2**24  # a flipped bit: 168 km ahead for one record
    run = read_fit(_run(*distances))
    assert run.dropped == {"distance": 1} and np.isnan(run.records.distance_m[30])
    assert np.isfinite(np.delete(run.records.distance_m, 30)).all()
    assert run.segments[0].distance_m == pytest.approx(177.0)


def test_a_distance_going_back_is_dropped_and_named():
    distances = _steady(60)
    distances[40] = 500  # back to 5 m
    run = read_fit(_run(*distances))
    assert run.dropped == {"distance": 1}
    assert "dropped the distance of 1 record: it went back" in run.warnings


def test_both_reasons_are_counted_in_one_warning():
    distances = _steady(60)
    distances[20] = 500
    distances[40] += 2**24
    run = read_fit(_run(*distances))
    assert run.dropped == {"distance": 2}
    assert (
        "dropped the distance of 2 records: 1 went back, 1 jumped further than running allows "
        "(12.5 m/s)" in run.warnings
    )


def test_a_damaged_first_distance_does_not_take_the_run_with_it():
    distances = _steady(60)
    distances[0] = FORTY_THOUSAND_KM_CM  # the chain starts at 0, not at the first value
    run = read_fit(_run(*distances))
    assert run.dropped == {"distance": 1} and run.segments[0].distance_m == pytest.approx(177.0)


def test_gps_settling_thirty_metres_ahead_in_a_second_is_kept():
    """activity-small-fenix2-run.fit does this in its 9th second; the slack allows it."""
    distances = _steady(30)
    distances[9:] = [d + 3000 for d in distances[9:]]
    assert read_fit(_run(*distances)).dropped == {}


def test_speed_is_judged_by_the_sport():
    fast = [w.record(T0 + s, distance_cm=1500 * s, speed_mmps=15_000) for s in range(20)]
    on_foot = read_fit(w.fit_file(w.file_id(), w.sport("running"), *fast))
    assert on_foot.dropped == {"speed": 20} and np.isnan(on_foot.records.speed_mps).all()
    assert (
        "dropped the speed of 20 records: faster than running allows (12.5 m/s)" in on_foot.warnings
    )
    on_a_bike = read_fit(w.fit_file(w.file_id(), w.sport("cycling"), *fast))
    assert on_a_bike.dropped == {} and (on_a_bike.records.speed_mps == 15).all()


def test_a_timestamp_going_back_drops_its_record():
    records = [w.record(T0 + s, distance_cm=300 * s) for s in range(20)]
    records[12] = w.record(T0 - 5000, distance_cm=3600)  # 83 minutes before the start
    run = read_fit(w.fit_file(w.file_id(), w.sport("running"), *records))
    assert len(run.records) == 19 and run.dropped == {"timestamp": 1}
    assert run.start.timestamp() == UNIX_T0
    assert "dropped 1 record whose timestamp goes back" in run.warnings


def test_a_last_timestamp_leaping_years_ahead_drops_its_record():
    records = [w.record(T0 + s, distance_cm=300 * s) for s in range(20)]
    records.append(w.record(T0 + 20 + 2**31, distance_cm=6000))  # a high bit flipped: 68 years
    run = read_fit(w.fit_file(w.file_id(), w.sport("running"), *records))
    assert len(run.records) == 20 and run.dropped == {"timestamp": 1}
    assert run.segments[0].elapsed_s == 19
    assert (
        "dropped 1 record whose timestamp lies more than a day away from the rest of the activity"
        in run.warnings
    )


def test_a_two_day_pause_inside_its_session_is_kept():
    two_days = 2 * 86_400
    records = [w.record(T0 + s, distance_cm=300 * s) for s in range(10)]
    records += [w.record(T0 + two_days + s, distance_cm=3000 + 300 * s) for s in range(10)]
    session = w.session(T0, two_days + 10, "running", distance_cm=6000)
    run = read_fit(w.fit_file(w.file_id(), *records, session))
    assert len(run.records) == 20 and run.dropped == {}


def test_times_restarting_in_a_chained_file_are_kept():
    first = w.fit_file(
        w.file_id(), *(w.record(T0 + 100 + s, distance_cm=300 * s) for s in range(5))
    )
    second = w.fit_file(*(w.record(T0 + s, distance_cm=300 * s) for s in range(5)))
    run = read_fit(first + second)
    assert len(run.records) == 10 and "timestamp" not in run.dropped


def test_a_session_claiming_an_impossible_distance_is_measured_on_its_records():
    records = [w.record(T0 + s, cadence=85, distance_cm=300 * s) for s in range(60)]
    claim = w.session(T0, 60, "running", distance_cm=FORTY_THOUSAND_KM_CM)
    run = read_fit(w.fit_file(w.file_id(), *records, claim))
    assert run.dropped == {"total_distance": 1}
    assert run.segments[0].distance_m == pytest.approx(177.0)
    assert summarise_run(run).distance_m == pytest.approx(177.0)


def test_a_lap_claiming_an_impossible_distance_loses_it():
    records = [w.record(T0 + s, cadence=85, distance_cm=300 * s) for s in range(60)]
    lap = w.lap(T0, 60, distance_cm=FORTY_THOUSAND_KM_CM)
    run = read_fit(w.fit_file(w.file_id(), *records, lap, w.session(T0, 60, "running")))
    assert run.laps[0].distance_m is None and run.dropped == {"total_distance": 1}
    assert "ignored the distance of 1 lap: longer than possible in its time" in run.warnings


def test_a_session_starting_years_away_does_not_date_the_run():
    records = [w.record(T0 + s, cadence=85, distance_cm=300 * s) for s in range(60)]
    far = w.session(T0 + 2**28, 60, "running")  # 8.5 years on
    run = read_fit(w.fit_file(w.file_id(), w.sport("running"), *records, far))
    assert run.start.timestamp() == UNIX_T0 and run.dropped == {"start_time": 1}


@pytest.mark.parametrize(
    "sport,limit", [("running", 12.5), ("walking", 12.5), ("cycling", 40.0), ("generic", 343.0)]
)
def test_speed_limits_by_sport(sport, limit):
    assert sanity.max_speed_mps(sport) == limit
