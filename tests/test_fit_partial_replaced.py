"""The complete file of an activity replaces its earlier partial import: the same run (id,
title, notes, visibility, comments, feed entry) gets the complete figures and original, and
the partial original is deleted once that is committed. Anything else stays a duplicate."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from analysis import job_runner
from analysis.core.fit.fit_io import read_fit
from analysis.fit_import import import_fit_bytes
from analysis.models import Job
from club.models import FeedItem, Run
from coaching.models import Comment
from tests.analysis import fitwriter as w
from tests.analysis.fitdata import FIT_DIR, fit_bytes

pytestmark = pytest.mark.django_db
FENIX = "garmin-fenix-5-run.fit"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _import(user, data, name="run.fit"):
    return import_fit_bytes(owner=user, data=data, filename=name)


def _cut(data: bytes) -> bytes:
    return data[: int(len(data) * 0.5)]  # 12 of the 21 records, no session


def _settled_partial(personas):
    """The member imports a cut file, names it, shares it, and the coach comments on it."""
    run = _import(personas.member, _cut(fit_bytes(FENIX)), "cut.fit").run
    assert run.status == "partial"
    run.title, run.notes, run.visibility, run.perceived_effort = "Hill reps", "legs", "club", 7
    run.save()
    Comment.objects.create(author=personas.coach, run=run, body="Good cadence")
    return run


def test_the_complete_file_replaces_the_partial_import_keeping_the_members_settings(
    personas, django_capture_on_commit_callbacks
):
    partial = _settled_partial(personas)
    partial_file = Path(partial.original.path)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = _import(personas.member, fit_bytes(FENIX), "complete.fit")
    run = Run.objects.get()
    assert outcome.status == "replaced" and outcome.as_json()["status"] == "replaced"
    assert outcome.warnings[0].startswith(
        f"replaced the partial import of this activity (run {run.pk})"
    )
    assert run.pk == partial.pk and run.status == "imported"
    assert (run.title, run.notes, run.visibility, run.perceived_effort) == (
        "Hill reps",
        "legs",
        "club",
        7,
    )
    assert run.distance_m == pytest.approx(157.56) and run.original_name == "complete.fit"
    assert run.file_sha256 == hashlib.sha256(fit_bytes(FENIX)).hexdigest()
    assert Path(run.original.path).read_bytes() == fit_bytes(FENIX)
    assert not partial_file.exists()
    assert Comment.objects.get().run_id == run.pk
    assert FeedItem.objects.filter(run=run).count() == 1


def test_the_corpus_truncated_file_is_replaced_by_its_complete_version(personas):
    partial = _import(personas.member, fit_bytes("activity-unexpected-eof.fit")).run
    read = read_fit(fit_bytes("activity-unexpected-eof.fit"))
    start = w.fit_time(read.start.timestamp())
    complete = w.fit_file(
        w.file_id(serial=read.device.serial),
        *(w.record(start + s, cadence=85, distance_cm=300 * s) for s in range(120)),
        w.session(start, 120, "running", distance_cm=36_000),
    )
    outcome = _import(personas.member, complete, "complete.fit")
    assert outcome.status == "replaced" and outcome.run.pk == partial.pk
    assert outcome.run.distance_m == 360 and outcome.run.status == "imported"


def test_starts_a_second_apart_are_the_same_activity(personas):
    """A cut file starts at its first record; the complete one at its session's start."""
    t0 = w.fit_time(1_700_000_000)
    records = [w.record(t0 + 1 + s, cadence=85, distance_cm=300 * s) for s in range(60)]
    partial = _import(personas.member, w.fit_file(w.file_id(), *records)[:-200]).run
    complete = w.fit_file(w.file_id(), *records, w.session(t0, 61, "running"))
    outcome = _import(personas.member, complete)
    assert (partial.status, outcome.status, outcome.run.pk) == ("partial", "replaced", partial.pk)
    assert outcome.run.start_utc.timestamp() == 1_700_000_000


def test_a_partial_file_after_the_complete_one_is_a_duplicate(personas):
    complete = _import(personas.member, fit_bytes(FENIX)).run
    again = _import(personas.member, _cut(fit_bytes(FENIX)), "cut.fit")
    assert again.status == "duplicate" and again.run.pk == complete.pk
    assert Run.objects.get().status == "imported" and Run.objects.get().distance_m == pytest.approx(
        157.56
    )


def test_the_same_partial_file_twice_is_a_duplicate(personas):
    first = _import(personas.member, _cut(fit_bytes(FENIX))).run
    again = _import(personas.member, _cut(fit_bytes(FENIX)))
    assert again.status == "duplicate" and again.run.pk == first.pk


def test_another_members_partial_import_is_left_alone(personas):
    theirs = _import(personas.clubmate, _cut(fit_bytes(FENIX))).run
    mine = _import(personas.member, fit_bytes(FENIX))
    assert mine.status == "imported" and Run.objects.get(pk=theirs.pk).status == "partial"


def test_the_web_upload_row_says_it_replaced_the_partial_import(
    personas, client_for, django_capture_on_commit_callbacks
):
    partial = _import(personas.member, _cut(fit_bytes(FENIX))).run
    client = client_for(personas.member)
    with open(FIT_DIR / FENIX, "rb") as handle, django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("run-upload"), {"file": handle}, HTTP_HX_REQUEST="true")
    job = Job.objects.get(kind="fit.import")
    with django_capture_on_commit_callbacks(execute=True):
        job_runner.execute(job.pk, worker="test@host:1")
    row = client.get(reverse("job-row", args=[job.pk])).content.decode()
    assert "replaced the partial import" in row
    assert reverse("run-detail", args=[partial.pk]) in row
