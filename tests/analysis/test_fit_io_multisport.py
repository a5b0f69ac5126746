"""Chained files are read whole; each session is a segment; cadence never mixes sports."""

import numpy as np

from analysis.core.fit.fit_io import read_fit
from analysis.core.runs.run_summary import summarise_run
from tests.analysis import fitwriter as w
from tests.analysis.fitdata import fit_bytes

T0 = w.fit_time(1_700_000_000)  # 2023-11-14T22:13:20Z


def _triathlon():
    return read_fit(fit_bytes("sample_mulitple_header.fit"))


def test_triathlon_chain_is_read_as_five_segments():
    """Four chained FIT files: the activity, then three files of swim heart-rate messages."""
    run = _triathlon()
    assert [(s.sport, s.sub_sport) for s in run.segments] == [
        ("swimming", "open_water"),
        ("transition", "generic"),
        ("cycling", "generic"),
        ("transition", "generic"),
        ("running", "generic"),
    ]
    assert [s.record_stop - s.record_start for s in run.segments] == [349, 38, 854, 14, 518]
    assert run.segments[0].record_start == 0 and run.segments[-1].record_stop == len(run.records)
    for a, b in zip(run.segments[:-1], run.segments[1:], strict=True):
        assert a.record_stop == b.record_start
    assert not run.partial and run.warnings == []
    assert run.start.isoformat() == "2018-05-27T07:33:01+00:00" and run.local_offset_s == 7200


def test_records_sit_in_their_session_window():
    run = _triathlon()
    t = run.records.timestamp_s
    assert np.all(np.diff(t) >= 0)
    for i, s in enumerate(run.segments):
        inside = t[s.record_start : s.record_stop]
        assert inside.min() >= s.start.timestamp()
        assert inside.max() <= s.start.timestamp() + s.elapsed_s + 1
        assert (run.records.segment_index[s.record_start : s.record_stop] == i).all()


def test_only_the_run_has_steps_and_only_the_ride_has_rpm():
    run = _triathlon()
    spm, rpm = run.records.cadence_spm, run.records.cadence_rpm
    for s in run.segments:
        part = slice(s.record_start, s.record_stop)
        assert np.isfinite(spm[part]).any() == (s.sport == "running"), s.sport
        assert np.isfinite(rpm[part]).any() == (s.sport == "cycling"), s.sport
    assert not (np.isfinite(spm) & np.isfinite(rpm)).any()
    assert [s.cadence_unit for s in run.segments] == [None, None, "rpm", None, "spm"]
    running, cycling = run.segments[4], run.segments[2]
    assert running.avg_cadence == 2 * (83 + 0.515625)  # avg_running_cadence + fraction, doubled
    assert cycling.avg_cadence == 85 + 0.5  # rpm: not doubled
    assert 150 < np.nanmedian(spm[running.record_start : running.record_stop]) < 185


def test_rides_report_no_steps_per_minute():
    for name in ("sample-activity.fit", "garmin-edge-500-activity.fit"):
        run = read_fit(fit_bytes(name))
        assert [s.sport for s in run.segments] == ["cycling"]
        assert np.isnan(run.records.cadence_spm).all()
        assert np.isfinite(run.records.cadence_rpm).any()


def test_headline_figures_come_from_the_run_alone():
    run = _triathlon()
    summary = summarise_run(run)
    running = run.segments[4]
    assert summary.sport == "running" and summary.distance_m == running.distance_m
    assert 150 < summary.avg_cadence_spm < 185  # a bike's ~85 rpm would drag it far below
    ride = summarise_run(read_fit(fit_bytes("sample-activity.fit")))
    assert ride.sport == "cycling" and ride.avg_cadence_spm is None


def test_a_run_then_a_ride_split_exactly_at_the_session_start():
    data = w.fit_file(
        w.file_id(),
        *(w.record(T0 + s, cadence=85) for s in range(10)),
        *(w.record(T0 + s, cadence=90) for s in range(10, 20)),
        w.session(T0, 10, "running"),
        w.session(T0 + 10, 10, "cycling"),
    )
    run = read_fit(data)
    assert [(s.sport, s.record_start, s.record_stop) for s in run.segments] == [
        ("running", 0, 10),
        ("cycling", 10, 20),
    ]
    assert (run.records.cadence_spm[:10] == 170).all() and np.isnan(
        run.records.cadence_spm[10:]
    ).all()
    assert (run.records.cadence_rpm[10:] == 90).all() and np.isnan(
        run.records.cadence_rpm[:10]
    ).all()
    assert run.segments[0].avg_cadence == 160 and run.segments[1].avg_cadence == 80


def test_records_out_of_order_are_sorted_with_their_developer_values():
    """Two chained files, the later one holding the earlier records: sorted by time, and each
    developer value stays with its record."""
    later = [w.developer_record(T0 + s, 100 + s) for s in (5, 6, 7)]
    earlier = [w.developer_record(T0 + s, 100 + s) for s in (0, 1, 2)]
    describe = [w.developer_data_id(), w.field_description(0, "Form Power", "Watts")]
    chained = w.fit_file(w.file_id(), *describe, *later) + w.fit_file(
        *describe, *earlier, w.session(T0, 8, "running")
    )
    run = read_fit(chained)
    t = run.records.timestamp_s - run.records.timestamp_s[0]
    assert list(t) == [0, 1, 2, 5, 6, 7]
    power = run.records.developer[("Garmin", "Form Power")]
    assert list(power) == [100, 101, 102, 105, 106, 107]
