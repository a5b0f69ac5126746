"""Comments pinned to a moment of the clip, with a line or an angle drawn on that frame: made
from the video room or the API, the angle measured on the server in the clip's true shape,
refused with a reason beside the clip when they cannot be kept, told to the athlete with the
moment, and in the export."""

import io
import json
import zipfile

import numpy as np
import pytest
from django.core.files.base import ContentFile

from analysis.core.video import pose_track
from analysis.models import PoseTrack
from club.models import Notification
from coaching import services
from coaching.models import Comment
from tests.analysis.videodata import clip
from tests.factories import RunFactory, VideoAnalysisFactory

pytestmark = pytest.mark.django_db

# A right angle in pixels of a 720 x 1280 frame, its arms 144 px out and 144 px up each side
# of the vertex: 90 degrees measured in the frame's shape, 121 in fractions of the frame.
RIGHT_ANGLE = {"kind": "angle", "points": [[0.3, 0.3875], [0.5, 0.5], [0.7, 0.3875]]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def analysis(personas):
    made = VideoAnalysisFactory(owner=personas.member)
    made.report = {**made.report, "duration_s": 12.0, "fps": 30.0}
    made.save(update_fields=["report"])
    still = np.full((3, 33, 4), 0.5)
    track = pose_track.encode(
        t_s=np.arange(3) / 30,
        landmarks=still,
        fps=30.0,
        width=720,
        height=1280,
        events={},
        near_leg="left",
    )
    PoseTrack.store(made, track)
    return made


def _pin_from_room(client, analysis, **fields):
    body = {"mark": "1", "body": "Knee nearly straight", "at_s": "1.067", **fields}
    return client.post(f"/feedback/analysis/{analysis.pk}/", body, HTTP_HX_REQUEST="true")


def test_an_angle_pinned_from_the_room_is_measured_in_the_frames_true_shape(
    analysis, personas, client_for
):
    response = _pin_from_room(client_for(personas.coach), analysis, drawing=json.dumps(RIGHT_ANGLE))
    made = Comment.objects.get()
    assert (made.at_s, made.drawing_deg, made.drawing["kind"]) == (1.067, 90.0, "angle")
    page = response.content.decode()
    assert f'data-saved="{made.pk}"' in page and "Pinned at 0:01.07, angle 90.0°" in page
    assert 'data-at-s="1.067"' in page and "at 0:01.07 · angle 90.0°" in page


def test_the_athlete_is_told_of_the_moment(analysis, personas, client_for):
    _pin_from_room(client_for(personas.coach), analysis)
    told = Notification.objects.get(recipient=personas.member)
    assert told.title.endswith(" at 0:01.07") and told.link.endswith("#feedback")


def test_a_moment_past_the_end_of_the_clip_is_refused_beside_the_clip(
    analysis, personas, client_for
):
    response = _pin_from_room(client_for(personas.coach), analysis, at_s="12.5")
    assert not Comment.objects.exists()
    page = response.content.decode()
    assert 'class="mark-status small bad"' in page and "from 0 to 12.00 s" in page
    assert "errorlist" not in page  # the thread's own form stays clean


@pytest.mark.parametrize(
    ("drawing", "reason"),
    [
        ({"kind": "angle", "points": [[0.1, 0.1], [0.2, 0.2]]}, "An angle has 3 points"),
        ({"kind": "line", "points": [[0.1, 0.1], [0.2, 1.5]]}, "on the picture"),
        ({"kind": "line", "points": [[0.3, 0.3], [0.3, 0.3]]}, "same point"),
    ],
)
def test_a_drawing_that_cannot_be_measured_is_refused_with_why(
    analysis, personas, client_for, drawing, reason
):
    response = _pin_from_room(client_for(personas.coach), analysis, drawing=json.dumps(drawing))
    assert not Comment.objects.exists() and reason in response.content.decode()


def test_the_api_pins_a_drawing_and_lists_it_with_the_angle(analysis, personas, client_for):
    client = client_for(personas.coach)
    made = client.post(
        "/api/feedback/",
        {"analysis": analysis.pk, "body": "Here", "at_s": 3.4, "drawing": RIGHT_ANGLE},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["drawing_deg"] == 90.0 and made.json()["at_s"] == 3.4
    listed = client.get(f"/api/feedback/?analysis={analysis.pk}").json()
    assert listed[0]["drawing"] == RIGHT_ANGLE and listed[0]["drawing_deg"] == 90.0


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"drawing": RIGHT_ANGLE}, "Pin the comment to a moment"),
        ({"at_s": -1}, "greater than or equal to 0"),
        ({"at_s": 99.0}, "from 0 to 12.00 s"),
        ({"at_s": 1.0, "drawing": {"kind": "angle", "points": [[0, 0], [1, 1]]}}, "3 points"),
    ],
)
def test_the_api_refuses_what_cannot_be_pinned(analysis, personas, client_for, extra, reason):
    response = client_for(personas.coach).post(
        "/api/feedback/",
        {"analysis": analysis.pk, "body": "Here", **extra},
        content_type="application/json",
    )
    assert response.status_code == 400 and reason in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_a_run_cannot_be_pinned(personas, client_for):
    run = RunFactory(owner=personas.member)
    response = client_for(personas.coach).post(
        "/api/feedback/",
        {"run": run.pk, "body": "Nice", "at_s": 1.0},
        content_type="application/json",
    )
    assert response.status_code == 400 and "Only a comment on a clip" in response.content.decode()


def test_an_analysis_made_before_poses_were_kept_is_measured_from_its_clip(personas):
    old = VideoAnalysisFactory(owner=personas.member, clip=None)
    old.clip.save("clip.mp4", ContentFile(clip("male_side.mp4").read_bytes()))
    made = services.comment(
        author=personas.coach, target=old, body="Here", at_s=2.0, drawing=RIGHT_ANGLE
    )
    assert made.drawing_deg == 90.0


def test_without_a_readable_clip_a_moment_is_kept_but_nothing_is_drawn(personas):
    gone = VideoAnalysisFactory(owner=personas.member)  # its clip file is not on disk
    kept = services.comment(author=personas.coach, target=gone, body="Here", at_s=2.0)
    assert kept.at_s == 2.0 and kept.drawing is None
    with pytest.raises(services.ClubActionError, match="can no longer be read"):
        services.comment(
            author=personas.coach, target=gone, body="x", at_s=2.0, drawing=RIGHT_ANGLE
        )


def test_clubmates_who_see_the_analysis_cannot_pin_on_it(analysis, personas, client_for):
    analysis.visibility = "club"
    analysis.save(update_fields=["visibility"])
    response = _pin_from_room(client_for(personas.clubmate), analysis)
    assert response.status_code == 404 and not Comment.objects.exists()


def test_pinned_comments_are_in_both_sides_exports(analysis, personas, client_for):
    services.comment(
        author=personas.coach, target=analysis, body="Here", at_s=1.067, drawing=RIGHT_ANGLE
    )

    def export(user) -> zipfile.ZipFile:
        response = client_for(user).get("/accounts/export/")
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    analyses = json.loads(export(personas.member).read("analyses.json"))
    (pinned,) = next(a for a in analyses if a["id"] == analysis.pk)["feedback"]
    assert pinned["author__username"] == "coach" and pinned["at_s"] == 1.067
    assert pinned["drawing"] == RIGHT_ANGLE and pinned["drawing_deg"] == 90.0
    (written,) = json.loads(export(personas.coach).read("comments.json"))
    assert written["at_s"] == 1.067 and written["drawing_deg"] == 90.0
