"""The pose the video room draws is stored with the analysis by the video job and served by
`GET /api/analyses/{id}/pose/`: access-checked, gzipped, tagged and revalidated on every use,
in the member's export, and a clear 404 for analyses without one. The skeleton it carries sits
where the hand annotation of male_side.mp4 puts the joints."""

import gzip
import io
import json
import math
import zipfile

import numpy as np
import pytest
from django.urls import reverse

from analysis.core.video import pose_track
from analysis.models import PoseTrack
from tests.analysis.videodata import analyse_stored, annotation, clip
from tests.factories import VideoAnalysisFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def analysis(personas):
    return analyse_stored(personas.member, clip("male_side.mp4"))


def _pose(client, analysis, **headers):
    return client.get(f"/api/analyses/{analysis.pk}/pose/", headers=headers)


def _json(response) -> dict:
    body = response.content
    return json.loads(gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body)


def test_the_video_job_stores_the_pose_with_the_report(analysis):
    stored = PoseTrack.objects.get(analysis=analysis)
    track = stored.track()
    assert (track["fps"], track["width"], track["height"]) == (30.0, 720, 1280)
    assert track["frame_count"] == len(track["frames"]) == len(track["t_ms"]) == 360
    assert track["near_leg"] == analysis.report["near_leg"]
    for side in ("left", "right"):
        assert track["events"][side]["contact_s"] == analysis.report["events"][side]["contact_s"]
        assert track["events"][side]["toe_off_s"] == analysis.report["events"][side]["toe_off_s"]
    assert "_pose_track" not in analysis.report


def test_the_skeleton_sits_where_the_annotator_put_the_joints(analysis):
    """At the 8 annotated near-leg contacts: MediaPipe's ankle, knee and ear against the hand
    annotation, in pixels of the 720 x 1280 frame (measured: medians 8, 15 and 5 px). A
    skeleton drawn in the wrong units (square ones, say) would be off by 100 px or more."""
    _, points = pose_track.decode(PoseTrack.objects.get(analysis=analysis).track())
    joint = pose_track.JOINTS_INDEX
    errors: dict[str, list[float]] = {}
    for stance in annotation()["near_stances"]:
        for name in ("ankle", "knee", "ear"):
            x, y = stance["contact_points"][name]
            px, py = points[stance["contact"], joint[f"left_{name}"], :2] * [720, 1280]
            errors.setdefault(name, []).append(math.hypot(px - x, py - y))
    assert np.median(errors["ankle"]) < 15 and np.median(errors["knee"]) < 25
    assert np.median(errors["ear"]) < 12


def test_the_endpoint_sends_the_stored_bytes_gzipped_with_a_tag(analysis, personas, client_for):
    response = _pose(client_for(personas.coach), analysis, **{"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "private, no-cache"
    assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
    assert response.content == bytes(PoseTrack.objects.get(analysis=analysis).gzipped)
    assert _json(response)["frame_count"] == 360


def test_a_current_copy_is_revalidated_with_a_304(analysis, personas, client_for):
    client = client_for(personas.member)
    etag = _pose(client, analysis, **{"Accept-Encoding": "gzip"})["ETag"]
    again = _pose(client, analysis, **{"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_a_client_without_gzip_gets_plain_json_under_its_own_tag(analysis, personas, client_for):
    client = client_for(personas.member)
    plain = _pose(client, analysis, **{"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain and _json(plain)["format"] == "runclub-pose"
    zipped = _pose(client, analysis, **{"Accept-Encoding": "gzip"})
    assert plain["ETag"] != zipped["ETag"]


def test_only_those_who_may_see_the_analysis_get_its_pose(analysis, personas, client_for):
    for user, status in [
        (personas.member, 200),
        (personas.coach, 200),
        (personas.clubmate, 404),
        (personas.outsider, 404),
    ]:
        assert _pose(client_for(user), analysis).status_code == status, user.username
    analysis.visibility = "private"
    analysis.save(update_fields=["visibility"])
    assert _pose(client_for(personas.coach), analysis).status_code == 404


def test_an_analysis_made_before_poses_were_kept_answers_a_clear_404(personas, client_for):
    old = VideoAnalysisFactory(owner=personas.member)
    response = _pose(client_for(personas.member), old)
    assert response.status_code == 404
    assert "no stored pose" in response.json()["detail"]


def test_the_pose_is_in_the_members_export(analysis, personas, client_for):
    response = client_for(personas.member).get(reverse("account-export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    name = f"analyses/{analysis.pk}/pose.json"
    assert json.loads(archive.read(name))["frame_count"] == 360
    rows = json.loads(archive.read("analyses.json"))
    assert name in next(r for r in rows if r["id"] == analysis.pk)["files"]
