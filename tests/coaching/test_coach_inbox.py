"""The coach inbox: what waits, what was done, what was missed, whose form fell."""

import pytest
from django.utils import timezone

from analysis.core.metrics import SCORE_MDC
from coaching import services
from coaching.inbox import coach_inbox
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory, form_report

pytestmark = pytest.mark.django_db


def _inbox(coach):
    return coach_inbox(coach, today=timezone.localdate())


def test_sessions_done_and_missed_show(personas):
    behind = assign_one(personas.coach, personas.member, per_week=7, days_ago=3)
    on_track = assign_one(personas.coach, personas.clubmate, per_week=1, days_ago=0)
    services.log_session(athlete=personas.clubmate, assignment=on_track, done_on=on_track.starts_on)
    inbox = _inbox(personas.coach)
    assert [s.assignment for s in inbox["sessions"]] == [on_track]
    assert [(a, adh.missed) for a, adh in inbox["missed"]] == [(behind, 4)]


def test_a_score_drop_beyond_the_noise_is_flagged_and_a_small_one_is_not(personas):
    VideoAnalysisFactory(owner=personas.member, report=form_report({"trunk_lean_deg": 8.0}))
    VideoAnalysisFactory(
        owner=personas.member,
        report=form_report({"trunk_lean_deg": 8.0, "overstride_pct_leg": 20.0}),
    )
    VideoAnalysisFactory(owner=personas.clubmate, score=80.0)
    VideoAnalysisFactory(owner=personas.clubmate, score=80.0 - SCORE_MDC / 2)  # within noise
    drops = _inbox(personas.coach)["drops"]
    assert [d["latest"].owner for d in drops] == [personas.member]
    assert drops[0]["change"] == pytest.approx(drops[0]["latest"].score - drops[0]["before"].score)
    assert drops[0]["change"] < -SCORE_MDC


def test_a_poor_capture_is_never_compared(personas):
    """The board leaves poor clips out; so does the inbox, or the two would disagree."""
    VideoAnalysisFactory(owner=personas.member, score=95.0)
    VideoAnalysisFactory(owner=personas.member, score=40.0, quality="poor")
    assert _inbox(personas.coach)["drops"] == []


def test_different_views_are_not_compared(personas):
    VideoAnalysisFactory(owner=personas.member, view="side", score=90.0)
    VideoAnalysisFactory(owner=personas.member, view="rear", score=40.0)
    assert _inbox(personas.coach)["drops"] == []


def test_a_coach_with_no_athletes_gets_an_empty_inbox_page(personas, client_for, lone_coach):
    VideoAnalysisFactory(owner=personas.member)
    html = client_for(lone_coach).get("/coach/").content.decode()
    assert "You coach no one yet" in html and personas.member.display_name not in html


def test_the_inbox_partial_is_served_to_htmx(personas, client_for):
    response = client_for(personas.coach).get("/coach/?part=inbox", HTTP_HX_REQUEST="true")
    assert response.content.decode().startswith('<div id="inbox"')
    assert "HX-Request" in response["Vary"]
