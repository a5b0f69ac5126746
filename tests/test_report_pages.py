"""What a member and a coach read on a report page: every value with its interval, plain
labels only, and a poor capture that says what was not measured, why and how to film next
time, without a cadence in its header, an empty table or "nothing stands out"."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis import job_runner
from analysis.core import metrics as registry
from analysis.models import VideoAnalysis
from club.models import FeedItem
from coaching.models import Suggestion
from tests.analysis.videodata import clip

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _analysed(name, owner, client, capture):
    upload = SimpleUploadedFile(name, clip(name).read_bytes(), content_type="video/mp4")
    with capture(execute=False):
        client.post(reverse("analysis-upload"), {"clip": upload})
    analysis = VideoAnalysis.objects.filter(owner=owner).first()
    with capture(execute=True):
        job_runner.execute(analysis.job.pk, worker="test@host:1")
    analysis.refresh_from_db()
    return analysis


def _raw_keys(page):
    keys = {m.key for m in registry.METRICS}
    text = re.sub(r'data-metric="[^"]*"', "", page)  # attributes may carry keys; text may not
    return [k for k in keys if k in text]


def test_a_poor_rear_view_report_reads_in_plain_words(
    personas, client_for, django_capture_on_commit_callbacks, pose_cache
):
    member = client_for(personas.member)
    analysis = _analysed(
        "park_rear.mp4", personas.member, member, django_capture_on_commit_callbacks
    )
    assert analysis.view == "rear" and analysis.quality == "poor" and analysis.score is None
    # a poor capture is no accomplishment for the feed and no basis for suggested drills
    assert not FeedItem.objects.exists() and not Suggestion.objects.exists()
    page = member.get(analysis.get_absolute_url()).content.decode()
    assert _raw_keys(page) == []
    headline = page.split('id="headline"')[1].split("</section>")[0]
    assert "cadence" not in headline.lower() and "no form score" in headline
    assert "Nothing stands out" not in page and "too rough to judge form" in page
    assert 'id="capture"' in page and "Next time" in page
    assert "<table" not in page or "<td" in page.split('id="metrics"')[1].split("</section>")[0]
    assert 'id="not-measured"' in page  # what was not measured, and why


def test_a_side_view_report_shows_values_with_intervals_and_events_keyframes(
    personas, client_for, django_capture_on_commit_callbacks, pose_cache
):
    member = client_for(personas.member)
    analysis = _analysed(
        "male_side.mp4", personas.member, member, django_capture_on_commit_callbacks
    )
    page = client_for(personas.coach).get(analysis.get_absolute_url()).content.decode()
    assert _raw_keys(page) == []
    assert re.search(r"\d ± \d", page) and "steps/min" in page.split('id="headline"')[1]
    assert analysis.keyframe_names() == ["contact", "midstance", "toe_off"]
    assert "Toe-off: the last frame with the toe down" in page
    api = client_for(personas.coach).get(f"/api/analyses/{analysis.pk}/").json()
    knee = api["report"]["metrics"]["knee_flexion_stance_peak_deg"]
    assert {"value", "plus_minus", "interval", "strides", "confidence"} <= set(knee)
    assert api["report"]["events"]["left"]["contact_s"]
