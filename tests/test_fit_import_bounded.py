"""Whatever a FIT file says, its import does bounded work and stores a bounded summary, through
the real path (parse, analytics, database write) and onto the run page.

The reproduction of issue 10: a ~300-byte file whose distance flips between 0 and 40,000 km
made 200,000 km splits (13-34 s of CPU, 28-55 MB stored, a 37 MB page). Work is bounded by
counts (splits, laps, sessions, series points), which these tests assert; no timing here.
"""

import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis import job_runner
from analysis.core.fit import fit_io
from analysis.core.runs import cadence, run_summary
from analysis.fit_import import import_fit_bytes
from analysis.models import Job
from club import charts
from tests.analysis import fitwriter as w
from tests.analysis.fitdata import fit_bytes

pytestmark = pytest.mark.django_db
T0 = w.fit_time(1_700_000_000)
FORTY_THOUSAND_KM_CM = 4_000_000_000
# Bits of garmin-fenix-5-run.fit that, flipped one at a time, broke the import before the
# checks: 18159 put 21,475 km into one record's distance (21,475 splits, 3.6 MB stored); 33027
# made a record 108 years late and the run 42,949 km long.
FLIPPED_BITS = {18159: "distance", 33027: "timestamp"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _stored_bytes(run) -> int:
    return len(json.dumps([run.summary, run.series, run.warnings]).encode())


def crafted_file() -> bytes:
    """The attack: a running file whose distance flips between 0 and 40,000 km each second."""
    flips = [0 if s % 2 == 0 else FORTY_THOUSAND_KM_CM for s in range(10)]
    records = [w.record(T0 + s, cadence=85, distance_cm=d) for s, d in enumerate(flips)]
    return w.fit_file(w.file_id(), w.sport("running"), *records)


def test_the_crafted_file_imports_small_with_a_warning_naming_the_distance(personas, client_for):
    data = crafted_file()
    assert len(data) < 400
    outcome = import_fit_bytes(owner=personas.member, data=data, filename="crafted.fit")
    run = outcome.run
    assert outcome.status == "imported" and run.distance_m == 0
    assert outcome.warnings[0].startswith("dropped the distance of 5 records")
    assert run.summary["dropped"] == {"distance": 5}
    assert len(run.summary["splits"]) <= 1 and _stored_bytes(run) < 10_000
    page = client_for(personas.member).get(run.get_absolute_url())
    assert page.status_code == 200 and len(page.content) < 60_000
    assert "dropped the distance of 5 records" in page.content.decode()


def test_the_web_upload_of_the_crafted_file_names_the_warning_on_its_row(
    personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.member)
    upload = SimpleUploadedFile("crafted.fit", crafted_file())
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("run-upload"), {"file": upload}, HTTP_HX_REQUEST="true")
    job = Job.objects.get(kind="fit.import")
    with django_capture_on_commit_callbacks(execute=True):
        job_runner.execute(job.pk, worker="test@host:1")
    row = client.get(reverse("job-row", args=[job.pk])).content.decode()
    assert "dropped the distance of 5 records: it jumped further than running allows" in row


@pytest.mark.parametrize("bit,field", FLIPPED_BITS.items())
def test_a_real_file_with_one_flipped_bit_stays_small(personas, bit, field):
    data = bytearray(fit_bytes("garmin-fenix-5-run.fit"))
    data[bit // 8] ^= 1 << (bit % 8)
    outcome = import_fit_bytes(owner=personas.member, data=bytes(data), filename="flipped.fit")
    run = outcome.run
    assert outcome.status in ("imported", "partial") and run.summary["dropped"] == {field: 1}
    assert run.distance_m == pytest.approx(157.56) and len(run.summary["splits"]) == 1
    assert _stored_bytes(run) < 20_000


def everything_at_its_bound() -> bytes:
    """A running day of 399.5 km at 10 m/s (200 splits of 2 km), 60 sessions, 300 laps, 40
    developer fields with long names, a record every 10 s with cadence and heart rate."""
    seconds, sessions, laps, fields = 39_950, 60, 300, 40
    describe = [w.developer_data_id(manufacturer=95)]
    describe += [
        w.field_description(n, f"Developer field {n:02d} xyz", "units") for n in range(fields)
    ]
    extra = {n: ("H", n) for n in range(fields)}
    first = w.message(20, {253: ("I", T0), 5: ("I", 0), 4: ("B", 90)}, developer=extra)
    records = [w.record(T0 + s, cadence=90, distance_cm=1000 * s) for s in range(10, seconds, 10)]
    session_s, lap_s = seconds // sessions, seconds // laps
    summary = [
        w.session(T0 + i * session_s, session_s, "running", distance_cm=1000 * session_s)
        for i in range(sessions)
    ]
    summary += [w.lap(T0 + i * lap_s, lap_s, distance_cm=1000 * lap_s) for i in range(laps)]
    return w.fit_file(w.file_id(), *describe, first, *records, *summary)


def test_a_file_at_every_bound_stays_under_the_summary_cap(personas):
    outcome = import_fit_bytes(
        owner=personas.member, data=everything_at_its_bound(), filename="big.fit"
    )
    run, details = outcome.run, outcome.run.summary
    assert outcome.status == "imported" and run.distance_m == pytest.approx(399_500, abs=1000)
    assert len(details["splits"]) == cadence.MAX_SPLITS and details["split_km"] == 2
    assert len(details["laps"]) == run_summary.MAX_LAPS
    assert len(details["segments"]) == run_summary.MAX_SEGMENTS
    assert len(details["developer"]) == fit_io.MAX_DEVELOPER_FIELDS
    assert len(run.series["t_s"]) <= run_summary.SERIES_POINTS
    assert "the file has 300 laps; the first 200 are shown" in run.warnings
    assert "the file has 60 sessions; the first 50 are listed" in run.warnings
    assert "kept the first 32 of the file's 40 developer fields" in run.warnings
    assert _stored_bytes(run) < run_summary.MAX_SUMMARY_BYTES


def test_a_summary_over_the_cap_is_refused_loudly(personas, monkeypatch, caplog):
    monkeypatch.setattr(run_summary, "MAX_SUMMARY_BYTES", 1000)
    with pytest.raises(run_summary.SummaryTooLarge):
        run_summary.summarise_run(fit_io.read_fit(fit_bytes("garmin-fenix-5-run.fit")))
    with caplog.at_level(logging.ERROR, logger="analysis.fit_import"):
        outcome = import_fit_bytes(
            owner=personas.member, data=fit_bytes("garmin-fenix-5-run.fit"), filename="run.fit"
        )
    assert outcome.status == "rejected" and "could not be summarised within bounds" in outcome.error
    assert caplog.records and caplog.records[0].exc_info is not None


def test_a_series_stored_before_the_bound_still_draws_a_small_line():
    xs = list(range(100_000))
    chart = charts.line_chart(xs=xs, ys=[170.0 + (x % 7) for x in xs])
    assert chart.path.count("L") + chart.path.count("M") <= charts.MAX_LINE_POINTS
