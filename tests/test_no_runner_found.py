"""A clip with no runner in it (a test pattern made here) is refused as "no runner found"
with the reason: no score, no coach notification, no feed item, no suggestion."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from analysis import job_runner
from analysis.models import VideoAnalysis
from club.models import FeedItem, Notification
from coaching.models import Suggestion
from tests.analysis.videodata import analysed, pattern_clip

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def pattern(tmp_path):
    return pattern_clip(tmp_path / "testsrc.mp4")


def test_the_analysis_says_no_runner_found_and_why(pattern):
    report = analysed(pattern)
    assert report["status"] == "no_runner"
    assert report["reason"] == "no person was found in any frame of the clip"
    assert report["score"] is None and report["metrics"] == {} and report["findings"] == []
    assert report["view"] == "" and report["next_time"]


def test_an_upload_ends_as_no_runner_found_and_tells_only_the_owner(
    pattern, client_for, personas, django_capture_on_commit_callbacks, pose_cache
):
    upload = SimpleUploadedFile("pattern.mp4", pattern.read_bytes(), content_type="video/mp4")
    with django_capture_on_commit_callbacks(execute=False):
        client_for(personas.member).post(reverse("analysis-upload"), {"clip": upload})
    analysis = VideoAnalysis.objects.get(owner=personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_runner.execute(analysis.job.pk, worker="test@host:1")
    analysis.refresh_from_db()
    assert job.state == "done" and job.result["status"] == "no_runner"
    assert analysis.score is None and analysis.view == "" and not analysis.is_comparable
    told = Notification.objects.filter(kind="analysis")
    assert [(n.recipient, n.title) for n in told] == [
        (personas.member, "No runner found in your clip")
    ]
    assert not FeedItem.objects.exists() and not Suggestion.objects.exists()
    page = client_for(personas.member).get(analysis.get_absolute_url()).content.decode()
    assert "No runner found" in page and "No person was found in any frame" in page
    assert 'id="score"' not in page and 'id="metrics"' not in page
    listing = client_for(personas.member).get(reverse("analysis-list")).content.decode()
    assert "no runner found" in listing


def test_the_command_refuses_it_too(pattern, capsys, pose_cache):
    call_command("analyze_video", str(pattern), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "no_runner" and "no person" in report["reason"]
