"""Clips uploaded for form analysis: probe first, a video-queue job, a stored report, pushes."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis import job_runner
from analysis.models import Job, VideoAnalysis
from club.models import Notification
from tests.analysis.videodata import clip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def test_a_file_that_is_not_a_video_is_refused_and_nothing_kept(client_for, personas, media):
    fake = SimpleUploadedFile("run.mp4", b"this is not a video", content_type="video/mp4")
    response = client_for(personas.member).post(reverse("analysis-upload"), {"clip": fake})
    assert response.status_code == 400 and "not a video file" in response.content.decode()
    assert not VideoAnalysis.objects.exists() and not Job.objects.exists()
    assert not any(Path(media).rglob("*.mp4"))


@pytest.fixture
def analysed(client_for, personas, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(
        "side.mp4", clip("male_side.mp4").read_bytes(), content_type="video/mp4"
    )
    with django_capture_on_commit_callbacks(execute=False):
        client_for(personas.member).post(reverse("analysis-upload"), {"clip": upload})
    analysis = VideoAnalysis.objects.get(owner=personas.member)
    assert analysis.job.queue == "video" and analysis.job.state == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        job_runner.execute(analysis.job.pk, worker="test@host:1")
    analysis.refresh_from_db()
    return analysis


@pytest.mark.slow
def test_clip_is_analysed_stored_and_announced(analysed, personas, client_for):
    assert analysed.job.state == "done" and analysed.view == "side"
    assert analysed.cadence_spm == pytest.approx(168.9, abs=2)
    assert analysed.job.progress_done == analysed.job.progress_total == 360
    told = set(
        Notification.objects.filter(kind="analysis").values_list("recipient__username", flat=True)
    )
    assert told == {"member", "coach"}
    page = client_for(personas.coach).get(analysed.get_absolute_url()).content.decode()
    assert 'data-metric="trunk_lean_deg"' in page and 'id="score"' in page
    assert 'id="keyframes"' in page and "/keyframe/contact/" in page
    for viewer, status in [("member", 200), ("coach", 200), ("clubmate", 404), ("outsider", 404)]:
        response = client_for(getattr(personas, viewer)).get(
            reverse("analysis-clip", args=[analysed.pk])
        )
        assert response.status_code == status, viewer


@pytest.mark.slow
def test_cli_with_user_stores_the_analysis(personas, capsys):
    import json

    from django.core.management import call_command

    call_command("analyze_video", str(clip("male_side.mp4")), "--user", "member", "--json")
    report = json.loads(capsys.readouterr().out)
    stored = VideoAnalysis.objects.get(pk=report["analysis_id"])
    assert stored.owner == personas.member and stored.job.state == "done"
    assert report["status"] == "done" and report["cadence_spm"] == stored.cadence_spm


def test_cli_rejects_a_non_video_with_its_reason(personas, capsys, tmp_path):
    import json

    from django.core.management import call_command

    fake = tmp_path / "clip.mp4"
    fake.write_text("not a video")
    call_command("analyze_video", str(fake), "--user", "member", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "status": "rejected",
        "error": "not a video file we can read (we take MP4, QuickTime, WebM, Matroska, AVI)",
    }
    assert not VideoAnalysis.objects.exists()


def test_api_refuses_a_non_video_and_lists_only_visible_analyses(personas, media):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas.member)
    fake = SimpleUploadedFile("run.mp4", b"not a video", content_type="video/mp4")
    response = client.post("/api/analyses/upload/", {"clip": fake}, format="multipart")
    assert response.status_code == 400 and "not a video file" in response.json()["clip"][0]
    assert client.get("/api/analyses/").json()["results"] == []


@pytest.mark.slow
def test_api_upload_queues_an_analysis_the_coach_can_read(personas, media):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas.member)
    with clip("male_side.mp4").open("rb") as handle:
        response = client.post(
            "/api/analyses/upload/", {"clip": handle, "view": "side"}, format="multipart"
        )
    assert response.status_code == 202 and response.json()["state"] == "queued"
    coach = APIClient()
    coach.force_authenticate(personas.coach)
    assert [a["id"] for a in coach.get("/api/analyses/").json()["results"]] == [
        response.json()["id"]
    ]
    outsider = APIClient()
    outsider.force_authenticate(personas.outsider)
    assert outsider.get(f"/api/analyses/{response.json()['id']}/").status_code == 404


@pytest.mark.slow
def test_a_second_analysis_of_the_same_view_shows_before_and_after(analysed, client_for, personas):
    from django.core.management import call_command

    call_command("analyze_video", str(clip("male_side.mp4")), "--user", "member", "--json")
    later = VideoAnalysis.objects.exclude(pk=analysed.pk).get()
    assert later.previous_of_same_view(later.owner) == analysed
    rows = {row["name"]: row for row in later.compare_with(analysed)}
    assert rows["cadence_spm"]["change"] == pytest.approx(0, abs=0.5)  # the same clip twice
    page = client_for(personas.member).get(later.get_absolute_url()).content.decode()
    assert 'id="before-after"' in page and 'id="metric-charts"' in page and 'class="line"' in page


def test_clip_limits_come_from_settings(client_for, personas, settings, media):
    settings.VIDEO_MAX_DURATION_S = 5
    upload = SimpleUploadedFile(
        "side.mp4", clip("male_side.mp4").read_bytes(), content_type="video/mp4"
    )
    response = client_for(personas.member).post(reverse("analysis-upload"), {"clip": upload})
    assert (
        response.status_code == 400 and "lasts 12 s; the limit is 5 s" in response.content.decode()
    )
    assert not VideoAnalysis.objects.exists()
