"""Shapes the corpus lacks, written by tests/analysis/fitwriter.py: summary-only files, files
without sessions, clocks, pauses, developer app names."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from analysis.core.fit.fit_io import FitRejected, read_fit
from analysis.core.runs.run_summary import summarise_run
from tests.analysis import fitwriter as w
from tests.analysis.fitdata import fit_bytes

UNIX_T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
T0 = w.fit_time(UNIX_T0)


def _records(n: int, **kwargs) -> list[bytes]:
    return [w.record(T0 + s, distance_cm=300 * s, **kwargs) for s in range(n)]


def test_a_summary_without_records_imports_as_its_sessions():
    run = read_fit(w.fit_file(w.file_id(), w.session(T0, 600, "running", avg_cadence=85)))
    assert len(run.records) == 0 and run.records.cadence_spm.shape == (0,)
    (segment,) = run.segments
    assert (segment.sport, segment.record_start, segment.record_stop) == ("running", 0, 0)
    assert (segment.elapsed_s, segment.distance_m, segment.avg_cadence) == (600, 1000, 170)
    assert run.start.timestamp() == UNIX_T0 and run.warnings == []
    assert summarise_run(run).distance_m == 1000


def test_no_records_and_no_sessions_is_rejected():
    with pytest.raises(FitRejected, match="^no activity records in the file$"):
        read_fit(w.fit_file(w.file_id(), w.sport("running")))


def test_without_sessions_the_sport_message_names_the_one_segment():
    run = read_fit(w.fit_file(w.file_id(), w.sport("cycling"), *_records(5, cadence=90)))
    (segment,) = run.segments
    assert (segment.sport, segment.cadence_unit, segment.avg_cadence) == ("cycling", "rpm", None)
    assert (segment.record_start, segment.record_stop, segment.elapsed_s) == (0, 5, 4)
    assert segment.distance_m == 12 and segment.timer_s is None
    assert (run.records.cadence_rpm == 90).all() and np.isnan(run.records.cadence_spm).all()
    assert run.warnings == ["the file has no session summary; figures come from its records"]


def test_without_sessions_or_sport_the_segment_is_generic_and_has_no_cadence():
    run = read_fit(w.fit_file(w.file_id(), *_records(5, cadence=90)))
    assert [s.sport for s in run.segments] == ["generic"]
    assert np.isnan(run.records.cadence_spm).all() and np.isnan(run.records.cadence_rpm).all()
    assert run.start.timestamp() == UNIX_T0


def test_records_without_a_time_are_skipped_and_developer_values_stay_aligned():
    describe = [w.developer_data_id(manufacturer=95), w.field_description(0, "Form Power", "W")]
    data = w.fit_file(
        w.file_id(),
        *describe,
        w.developer_record(T0, 10),
        w.untimed_record(),
        w.developer_record(T0 + 1, 11),
        w.session(T0, 2, "running"),
    )
    run = read_fit(data)
    assert len(run.records) == 2
    assert list(run.records.developer[("Stryd", "Form Power")]) == [10, 11]
    assert run.records.developer_units == {("Stryd", "Form Power"): "W"}
    assert run.warnings == ["skipped 1 records without a usable time"]


@pytest.mark.parametrize(
    "app_id,manufacturer,expected",
    [
        (bytes(16), 95, "Stryd"),  # manufacturer_id 95: stryd
        (bytes(range(1, 17)), None, "app 01020304-0506-0708-090a-0b0c0d0e0f10"),
        (bytes(16), None, "Garmin"),  # nothing set: the file's maker (file_id: garmin)
    ],
)
def test_developer_app_names(app_id, manufacturer, expected):
    data = w.fit_file(
        w.file_id(),
        w.developer_data_id(app_id=app_id, manufacturer=manufacturer),
        w.field_description(0, "Power", "W"),
        w.developer_record(T0, 200),
    )
    assert list(read_fit(data).records.developer) == [(expected, "Power")]


def test_developer_definitions_do_not_leak_from_one_file_to_the_next():
    """fitparse keeps developer definitions in a module global; a file that uses developer
    field 0 without defining it must not borrow the previous file's Stryd definition."""
    assert read_fit(fit_bytes("developer-types-sample.fit")).records.developer
    undefined = w.fit_file(w.file_id(), w.developer_record(T0, 200))
    with pytest.raises(FitRejected, match="no activity records.*No such dev_data_index=0"):
        read_fit(undefined)


def test_parallel_reads_match_sequential_ones():
    names = ["developer-types-sample.fit", "garmin-fenix-5-run.fit", "sample_mulitple_header.fit"]
    sequential = [read_fit(fit_bytes(n)) for n in names]
    with ThreadPoolExecutor(max_workers=3) as pool:
        parallel = list(pool.map(read_fit, [fit_bytes(n) for n in names * 2]))
    for one, other in zip(sequential * 2, parallel, strict=True):
        assert np.array_equal(one.records.timestamp_s, other.records.timestamp_s)
        assert one.records.developer.keys() == other.records.developer.keys()


def test_times_from_power_on_without_a_wall_clock_are_flagged():
    relative_t0 = 1000  # seconds since power-on: far below 0x10000000
    data = w.fit_file(
        w.file_id(),
        *(w.record(relative_t0 + s) for s in range(3)),
        w.session(relative_t0, 3, "running"),
    )
    run = read_fit(data)
    assert run.warnings == [
        "the watch's clock was not set: the date and time of this run are not real"
    ]
    assert run.start.year == 1989 and run.local_offset_s is None


@pytest.mark.parametrize("local_minus_utc_s,expected", [(-10800, -10800), (-10799, -10800)])
def test_local_offset_from_the_activity_message(local_minus_utc_s, expected):
    end = T0 + 10
    data = w.fit_file(
        w.file_id(),
        *_records(10),
        w.session(T0, 10, "running"),
        w.activity(end, local=end + local_minus_utc_s),
    )
    run = read_fit(data, fallback_tz="Asia/Tokyo")
    assert run.local_offset_s == expected


def test_timer_pauses_pair_each_stop_with_the_next_start():
    data = w.fit_file(
        w.file_id(),
        w.event(T0, w.START),
        *_records(30),
        w.event(T0 + 10, w.STOP_ALL),
        w.event(T0 + 15, w.START),
        w.event(T0 + 20, w.STOP_ALL),
        w.event(T0 + 20, w.STOP_ALL),  # a repeated stop changes nothing
        w.event(T0 + 25, w.START),
        w.event(T0 + 29, w.STOP_ALL),  # the final stop has no start: not a pause
        w.session(T0, 30, "running"),
    )
    pauses = read_fit(data).pauses
    assert pauses == [(UNIX_T0 + 10, UNIX_T0 + 15), (UNIX_T0 + 20, UNIX_T0 + 25)]
