"""Importing FIT files for a member: stored runs, duplicates, rejections, the CLI contract."""

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from analysis import job_runner
from analysis.core.runs.cadence import personal_target_spm
from analysis.fit_import import import_fit_bytes
from analysis.models import Job
from club.models import Run
from tests.analysis.fitdata import FIT_DIR, fit_bytes

pytestmark = pytest.mark.django_db
CLI_KEYS = {
    "file",
    "status",
    "run_id",
    "sport",
    "start_time",
    "start_local",
    "distance_m",
    "moving_time_s",
    "avg_cadence_spm",
    "time_in_target_pct",
    "target_spm",
    "segments",
    "running_dynamics",
    "warnings",
    "error",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _import(user, name="garmin-fenix-5-run.fit", data=None):
    return import_fit_bytes(owner=user, data=data or fit_bytes(name), filename=name)


def test_import_stores_the_run_and_its_original_under_a_server_name(personas, media):
    outcome = _import(personas.member)
    run = outcome.run
    assert outcome.status == "imported" and run.owner == personas.member
    assert (run.sport, run.source, run.device_serial) == ("running", "fit", 3945849289)
    assert run.start_utc.isoformat() == "2017-06-11T14:34:09+00:00"
    assert run.start_local.isoformat() == "2017-06-11T07:34:09-07:00"
    stored = Path(run.original.path)
    assert stored.is_relative_to(media) and "garmin" not in stored.name
    assert stored.read_bytes() == fit_bytes("garmin-fenix-5-run.fit")


def test_headline_numbers_of_the_fenix_run(personas):
    run = _import(personas.member).run
    assert run.distance_m == pytest.approx(157.56)
    assert run.moving_time_s == pytest.approx(55, abs=2)
    assert 165 < run.avg_cadence_spm < 180
    assert run.summary["running_dynamics"]["vertical_oscillation_mm"]["mean"] == pytest.approx(
        76.6, abs=1
    )


def test_same_bytes_twice_is_a_duplicate_naming_the_first(personas):
    first = _import(personas.member).run
    again = _import(personas.member)
    assert again.status == "duplicate" and again.run.pk == first.pk
    assert f"run {first.pk}" in again.warnings[0]
    assert Run.objects.count() == 1


def test_same_device_and_start_with_other_bytes_is_a_duplicate(personas):
    first = _import(personas.member).run
    zipped = gzip.compress(fit_bytes("garmin-fenix-5-run.fit"))
    again = _import(personas.member, name="copy.fit.gz", data=zipped)
    assert again.status == "duplicate" and again.run.pk == first.pk


def test_another_member_may_import_the_same_file(personas):
    _import(personas.member)
    assert _import(personas.clubmate).status == "imported"


def test_rejected_file_stores_nothing(personas, media):
    outcome = _import(personas.member, name="Settings.fit")
    assert (outcome.status, outcome.run) == ("rejected", None)
    assert "not an activity" in outcome.error
    assert not Run.objects.exists() and not any(Path(media).rglob("*.fit"))


def test_truncated_file_imports_as_partial_with_its_warning(personas):
    outcome = _import(personas.member, name="activity-unexpected-eof.fit")
    assert outcome.status == "partial" and outcome.run.status == "partial"
    assert "ends early" in outcome.run.warnings[0]


def test_member_height_personalises_the_target(personas):
    personas.member.height_cm = 155
    personas.member.save()
    run = _import(personas.member, name="activity-small-fenix2-run.fit").run
    assert run.target_low_spm > 170


def test_cli_json_contract_over_a_folder(personas, tmp_path, capsys):
    folder = tmp_path / "export"
    (folder / "2017").mkdir(parents=True)
    (folder / "2017" / "run.FIT").write_bytes(fit_bytes("garmin-fenix-5-run.fit"))
    (folder / "ride.fit.gz").write_bytes(gzip.compress(fit_bytes("garmin-fenix-5-bike.fit")))
    (folder / "settings.fit").write_bytes(fit_bytes("Settings.fit"))
    (folder / "notes.txt").write_text("not a FIT file, and not picked up")
    call_command("import_fit", str(folder), "--user", "member", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [set(line) for line in lines] == [CLI_KEYS] * 3
    by_name = {Path(line["file"]).name: line for line in lines}
    run = by_name["run.FIT"]
    assert (run["status"], run["sport"], run["start_time"]) == (
        "imported",
        "running",
        "2017-06-11T14:34:09+00:00",
    )
    speed = run["distance_m"] / run["moving_time_s"]  # 2.86 m/s: a touch under the reference 3.0
    assert run["target_spm"] == list(personal_target_spm(speed_mps=speed)) == [169, 179]
    assert run["segments"][0]["cadence_unit"] == "spm"
    ride = by_name["ride.fit.gz"]
    assert ride["avg_cadence_spm"] is None and ride["segments"][0]["cadence_unit"] == "rpm"
    assert by_name["settings.fit"]["status"] == "rejected" and by_name["settings.fit"]["error"]


def test_cli_imports_the_whole_corpus_without_raising(personas, capsys):
    call_command("import_fit", str(FIT_DIR), "--user", "member", "--json")
    statuses = [json.loads(line)["status"] for line in capsys.readouterr().out.splitlines()]
    assert len(statuses) == len(list(FIT_DIR.glob("*.fit")))
    assert set(statuses) <= {"imported", "partial", "rejected"} and statuses.count("rejected") == 3


def test_cli_plain_output_is_a_table(personas, capsys):
    call_command("import_fit", str(FIT_DIR / "garmin-fenix-5-run.fit"), "--user", "member")
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["status", "run", "start"]
    assert "1 imported" in out


def test_web_upload_becomes_a_job_that_imports_once(
    client_for, personas, media, django_capture_on_commit_callbacks
):
    client = client_for(personas.member)
    with open(FIT_DIR / "garmin-fenix-5-run.fit", "rb") as handle:
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(reverse("run-upload"), {"file": handle}, HTTP_HX_REQUEST="true")
    job = Job.objects.get(kind="fit.import")
    assert f'id="job-{job.pk}"' in response.content.decode() and job.state == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        job_runner.execute(job.pk, worker="test@host:1")
    job.refresh_from_db()
    assert job.state == "done" and job.result["status"] == "imported"
    assert Run.objects.get(pk=job.result["run_id"]).owner == personas.member
    assert not any((Path(media) / "incoming").glob("*"))  # the stash is cleaned up


def test_web_upload_of_nothing_is_refused(client_for, personas):
    response = client_for(personas.member).post(reverse("run-upload"), {})
    assert response.status_code == 400 and not Job.objects.exists()


def test_run_page_shows_charts_and_splits(client_for, personas):
    run = _import(personas.member, name="activity-small-fenix2-run.fit").run
    page = client_for(personas.member).get(run.get_absolute_url()).content.decode()
    assert 'class="band"' in page and 'class="line"' in page  # cadence over time with target band
    assert "bar bar-in" in page and 'id="splits"' in page and "Vertical oscillation" in page


def test_only_the_owner_downloads_the_original(client_for, personas):
    run = _import(personas.member).run
    assert (
        client_for(personas.member).get(reverse("run-original", args=[run.pk])).status_code == 200
    )
    assert client_for(personas.coach).get(reverse("run-original", args=[run.pk])).status_code == 404


def test_api_upload_returns_the_job(personas):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas.member)
    with open(FIT_DIR / "garmin-fenix-5-run.fit", "rb") as handle:
        response = client.post("/api/runs/upload/", {"file": handle}, format="multipart")
    assert response.status_code == 202 and response.json()["kind"] == "fit.import"
    job_runner.execute(response.json()["id"], worker="test@host:1")
    job = client.get(f"/api/jobs/{response.json()['id']}/").json()
    detail = client.get(f"/api/runs/{job['result']['run_id']}/").json()
    assert detail["sport"] == "running" and detail["series"]["cadence_spm"]
