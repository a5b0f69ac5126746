"""The video room on the report page and the side-by-side page, as the server renders them:
who gets which parts, what the script is told (frame rate, events, where the pose is), what an
analysis without a pose or a clip gets instead, and the metrics listed between two clips."""

import numpy as np
import pytest
from django.core.files.base import ContentFile

from analysis import room
from analysis.core import metrics as registry
from analysis.core.video import pose_track
from analysis.models import PoseTrack
from tests.analysis.videodata import clip
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory, form_report

pytestmark = pytest.mark.django_db

EVENTS = {"left": {"contact_s": [0.532, 1.245], "toe_off_s": [0.791, None]}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _with_clip(owner, values=None, *, pose=True, view="side"):
    made = VideoAnalysisFactory(
        owner=owner,
        clip=None,
        view=view,
        report=form_report(values or {"trunk_lean_deg": 8.0}, view=view),
    )
    made.report.update(fps=30.0, frames=360, duration_s=12.0, events=EVENTS, near_leg="left")
    made.save()
    made.clip.save("clip.mp4", ContentFile(clip("male_side.mp4").read_bytes()))
    if pose:
        track = pose_track.encode(
            t_s=np.arange(4) / 30,
            landmarks=np.full((4, 33, 4), 0.5),
            fps=30.0,
            width=720,
            height=1280,
            events=EVENTS,
            near_leg="left",
        )
        PoseTrack.store(made, track)
    return made


def _page(client, analysis) -> str:
    response = client.get(analysis.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_plays_the_clip_with_its_pose_and_events(personas, client_for):
    analysis = _with_clip(personas.member)
    page = _page(client_for(personas.coach), analysis)
    assert 'id="video-room"' in page
    assert f'src="/form/{analysis.pk}/clip/"' in page
    assert f'data-pose-url="/api/analyses/{analysis.pk}/pose/"' in page
    assert 'data-fps="30.000000"' in page and 'data-frames="360"' in page
    assert "&quot;midstance_s&quot;:[0.661,null]" in page  # events with midstance, for the script
    for name in ("Next initial contact", "Next midstance", "Next toe-off", "Previous frame"):
        assert f'aria-label="{name}"' in page
    assert "js/room.js" in page and "style=" not in page  # no style attributes: the CSP


def test_only_the_athlete_and_coaches_get_the_pin_form(personas, client_for):
    analysis = _with_clip(personas.member)
    analysis.visibility = "club"
    analysis.save(update_fields=["visibility"])
    for user, pins in [(personas.member, True), (personas.coach, True), (personas.clubmate, False)]:
        page = _page(client_for(user), analysis)
        assert 'id="video-room"' in page
        assert ("data-mark-form" in page) is pins, user.username


def test_an_analysis_without_a_stored_pose_plays_the_plain_clip(personas, client_for):
    analysis = _with_clip(personas.member, pose=False)
    page = _page(client_for(personas.member), analysis)
    assert 'id="video-room"' in page and "data-pose-url" not in page
    assert "No skeleton for this clip" in page


def test_an_analysis_without_a_clip_has_no_room(personas, client_for):
    no_clip = VideoAnalysisFactory(owner=personas.member, clip="")
    assert 'id="video-room"' not in _page(client_for(personas.member), no_clip)


def test_the_charts_tell_the_room_where_their_time_axis_lies(personas, client_for):
    analysis = _with_clip(personas.member)
    analysis.report["series"] = {"t_s": [0.0, 6.0, 11.967], "trunk_lean_deg": [5.0, 6.0, 7.0]}
    analysis.save(update_fields=["report"])
    page = _page(client_for(personas.member), analysis)
    assert 'data-chart-t0="0.000" data-chart-t1="11.967"' in page
    assert 'data-chart-left="32" data-chart-right="632"' in page


def test_keyframes_open_full_size(personas, client_for):
    analysis = _with_clip(personas.member)
    analysis.keyframe_dir.mkdir(parents=True)
    (analysis.keyframe_dir / "contact.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    page = _page(client_for(personas.member), analysis)
    url = f"/form/{analysis.pk}/keyframe/contact/"
    assert f'<a class="keyframe-link" href="{url}" data-lightbox><img src="{url}"' in page
    assert "data-lightbox-dialog" in page and "js/lightbox.js" in page


def _compare(client, a, b):
    return client.get(f"/form/compare/?a={a.pk}&b={b.pk}")


def test_two_clips_of_one_member_play_side_by_side_with_what_differs(personas, client_for):
    before = _with_clip(personas.member, {"overstride_pct_leg": 18.0, "trunk_lean_deg": 8.0})
    after = _with_clip(personas.member, {"overstride_pct_leg": 8.0, "trunk_lean_deg": 8.2})
    response = _compare(client_for(personas.coach), before, after)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("data-player ") == 2 and "js/beside.js" in page
    assert 'data-action="stride"' in page
    assert 'data-metric="overstride_pct_leg"' in page  # 10 % leg apart, beyond its noise
    assert 'data-metric="trunk_lean_deg"' not in page  # 0.2 deg: within it


def test_an_athlete_beside_another_who_shares_with_the_viewer(personas, client_for):
    mine = _with_clip(personas.clubmate)
    theirs = _with_clip(personas.member)
    theirs.visibility = "club"
    theirs.save(update_fields=["visibility"])
    assert _compare(client_for(personas.clubmate), mine, theirs).status_code == 200
    theirs.visibility = "coaches"
    theirs.save(update_fields=["visibility"])
    assert _compare(client_for(personas.clubmate), mine, theirs).status_code == 404


def test_clips_of_different_views_are_shown_but_not_compared(personas, client_for):
    side = _with_clip(personas.member)
    rear = _with_clip(personas.member, {"pelvic_drop_deg": 9.0}, view="rear")
    page = _compare(client_for(personas.member), side, rear).content.decode()
    assert "not filmed from the same side" in page and "data-metric=" not in page


def test_without_two_analyses_the_page_offers_them(personas, client_for):
    analysis = _with_clip(personas.member)
    for query in ("", f"?a={analysis.pk}", "?a=x&b=99999999999999999999"):
        response = client_for(personas.member).get("/form/compare/" + query)
        assert response.status_code == 200, query
        assert f'<option value="{analysis.pk}"' in response.content.decode()
        assert "data-beside" not in response.content.decode()


def test_the_refilm_page_and_the_report_open_side_by_side(personas, client_for):
    before = _with_clip(personas.member, {"overstride_pct_leg": 18.0})
    assignment = assign_one(personas.coach, personas.member, "pogo-hops", refilm_view="side")
    assignment.baseline = before
    assignment.save(update_fields=["baseline"])
    after = _with_clip(personas.member, {"overstride_pct_leg": 8.0})
    link = f"/form/compare/?a={before.pk}&amp;b={after.pk}"
    assert link in client_for(personas.coach).get(assignment.get_absolute_url()).content.decode()
    assert link in _page(client_for(personas.member), after)


def test_differences_are_ranked_against_each_metrics_noise(personas):
    left = VideoAnalysisFactory(
        owner=personas.member, report=form_report({"cadence_spm": 160.0, "trunk_lean_deg": 4.0})
    )
    right = VideoAnalysisFactory(
        owner=personas.member, report=form_report({"cadence_spm": 175.0, "trunk_lean_deg": 12.0})
    )
    rows, why = room.differences(left, right)
    assert why == "" and {r.name for r in rows} == {"cadence_spm", "trunk_lean_deg"}
    ratios = [abs(r.difference) / r.mdc for r in rows]
    assert ratios == sorted(ratios, reverse=True)
    cadence = next(r for r in rows if r.name == "cadence_spm")
    assert cadence.difference == 15.0 and cadence.mdc == round(registry.mdc95("cadence_spm"), 1)
