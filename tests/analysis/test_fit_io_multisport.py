"""Chained files are read whole; each session is a segment; cadence never mixes sports."""

import numpy as np

from analysis.fit_io import read_fit
from analysis.run_summary import summarise_run
from tests.analysis.fitdata import fit_bytes


def test_triathlon_is_read_as_five_segments():
    run = read_fit(fit_bytes("sample_mulitple_header.fit"))
    assert [s.sport for s in run.segments] == [
        "swimming",
        "transition",
        "cycling",
        "transition",
        "running",
    ]
    assert sum(s.record_stop - s.record_start for s in run.segments) == len(run.records)


def test_only_the_run_segment_has_steps_per_minute():
    run = read_fit(fit_bytes("sample_mulitple_header.fit"))
    spm = run.records.cadence_spm
    for segment in run.segments:
        has_steps = np.isfinite(spm[segment.record_start : segment.record_stop]).any()
        assert has_steps == (segment.sport == "running"), segment.sport
    bike = run.segments[2]
    assert np.isfinite(run.records.cadence_rpm[bike.record_start : bike.record_stop]).any()
    assert (bike.cadence_unit, run.segments[4].cadence_unit) == ("rpm", "spm")


def test_headline_figures_come_from_the_run_alone():
    run = read_fit(fit_bytes("sample_mulitple_header.fit"))
    summary = summarise_run(run)
    running = run.segments[4]
    segment_spm = run.records.cadence_spm[running.record_start : running.record_stop]
    assert summary.sport == "running"
    assert summary.distance_m == running.distance_m
    assert abs(summary.avg_cadence_spm - np.nanmean(segment_spm[segment_spm > 60])) < 1.0
    assert 150 < summary.avg_cadence_spm < 185  # a bike's ~85 rpm would drag it far below


def test_a_ride_reports_no_steps_per_minute():
    summary = summarise_run(read_fit(fit_bytes("sample-activity.fit")))
    assert summary.sport == "cycling"
    assert summary.avg_cadence_spm is None and summary.time_in_target_pct is None
