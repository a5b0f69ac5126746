"""What a coach sees of an athlete is decided when they look, from who coaches whom now and
what the athlete shares now. Each test shares, then revokes, then looks, over pages and API."""

import pytest
from rest_framework.test import APIClient

from analysis.models import Job
from club.models import CoachLink, Notification
from coaching import services
from coaching.models import Suggestion
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory, finish_analysis, form_report

pytestmark = pytest.mark.django_db

OVERSTRIDE = {"overstride_pct_leg": 21.0, "trunk_lean_deg": 8.0, "cadence_spm": 176.0}


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def make_private(client, analysis) -> None:
    """The athlete narrows an analysis as they would, from its page."""
    response = client.post(f"/form/{analysis.pk}/visibility/", {"visibility": "private"})
    assert response.status_code == 302


@pytest.fixture
def refilmed(personas):
    """A plan from a shared baseline, and the shared re-film that followed it."""
    before = VideoAnalysisFactory(
        owner=personas.member, report=form_report({"overstride_pct_leg": 20.0})
    )
    assignment = assign_one(
        personas.coach, personas.member, refilm_after_weeks=4, refilm_view="side", baseline=before
    )
    after = VideoAnalysisFactory(
        owner=personas.member, report=form_report({"overstride_pct_leg": 9.5})
    )
    return assignment, before, after


def _shown(client, user, assignment) -> tuple[bool, dict]:
    """Whether the page shows the re-film numbers, and what the API says of them."""
    page = client.get(assignment.get_absolute_url()).content.decode()
    body = api_for(user).get(f"/api/assignments/{assignment.pk}/").json()
    return 'id="refilm-comparison"' in page and "9.5" in page, body["refilm"]


@pytest.mark.parametrize("which", ["after", "before"])
def test_refilm_numbers_leave_the_coachs_assignment_page_once_made_private(
    refilmed, personas, client_for, which
):
    assignment, before, after = refilmed
    coach = client_for(personas.coach)
    page_shows, api = _shown(coach, personas.coach, assignment)
    assert page_shows and api["metrics"][0]["after"] == 9.5

    make_private(client_for(personas.member), {"after": after, "before": before}[which])

    page_shows, api = _shown(coach, personas.coach, assignment)
    assert not page_shows
    assert api["metrics"] == [] and api[which] is None
    # The athlete still sees their own numbers.
    assert _shown(client_for(personas.member), personas.member, assignment)[0]


def test_a_coach_who_left_the_club_no_longer_reads_session_notes(personas, client_for):
    assignment = assign_one(personas.coach, personas.member, days_ago=2)
    services.log_session(
        athlete=personas.member, assignment=assignment, done_on=assignment.starts_on, note="sore"
    )
    coach = client_for(personas.coach)
    assert "sore" in coach.get(assignment.get_absolute_url()).content.decode()

    personas.club.leave(personas.coach)

    assert coach.get(assignment.get_absolute_url()).status_code == 404
    api = api_for(personas.coach)
    assert api.get(f"/api/assignments/{assignment.pk}/").status_code == 404
    assert api.get(f"/api/assignments/{assignment.pk}/sessions/").status_code == 404
    assert api.get("/api/assignments/").json()["count"] == 0
    assert client_for(personas.member).get(assignment.get_absolute_url()).status_code == 200


def _stop_coaching(personas, how: str) -> None:
    if how == "left the club":
        personas.club.leave(personas.coach)
    elif how == "lost the coach role":
        personas.club.set_role(actor=personas.owner, member=personas.coach, role="member")
    else:
        personas.club.leave(personas.member)
        CoachLink.objects.get(coach=personas.coach, athlete=personas.member).end()


@pytest.mark.parametrize("how", ["left the club", "lost the coach role", "ended the link"])
def test_a_former_coach_is_not_told_of_new_sessions(personas, client_for, how):
    if how == "ended the link":
        services.invite_athlete(coach=personas.coach, athlete=personas.member).respond(accept=True)
    assignment = assign_one(personas.coach, personas.member, days_ago=3)
    services.log_session(
        athlete=personas.member, assignment=assignment, done_on=assignment.starts_on, note="one"
    )
    assert Notification.objects.filter(recipient=personas.coach, kind="drill").count() == 1

    _stop_coaching(personas, how)
    response = client_for(personas.member).post(
        f"/assignments/{assignment.pk}/sessions/",
        {"done_on": assignment.starts_on.isoformat(), "note": "two, after you left"},
    )

    assert response.status_code == 302 and assignment.sessions.count() == 2
    told = Notification.objects.filter(recipient=personas.coach, kind="drill")
    assert [n.body for n in told] == ["one"]
    assert client_for(personas.coach).get(assignment.get_absolute_url()).status_code == 404


def test_the_analysis_page_compares_a_coach_only_against_what_they_may_see(personas, client_for):
    earlier = finish_analysis(personas.member, {"overstride_pct_leg": 20.0})
    later = finish_analysis(personas.member, {"overstride_pct_leg": 9.5})
    Job.objects.update(state=Job.State.DONE)
    coach = client_for(personas.coach)
    assert 'id="before-after"' in coach.get(later.get_absolute_url()).content.decode()

    make_private(client_for(personas.member), earlier)

    assert 'id="before-after"' not in coach.get(later.get_absolute_url()).content.decode()
    mine = client_for(personas.member).get(later.get_absolute_url()).content.decode()
    assert 'id="before-after"' in mine


def test_suggestions_of_an_analysis_made_private_leave_the_coachs_inbox(personas, client_for):
    analysis = finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get(coach=personas.coach)
    coach = client_for(personas.coach)
    assert f'data-suggestion="{suggestion.pk}"' in coach.get("/coach/").content.decode()

    make_private(client_for(personas.member), analysis)

    assert f'data-suggestion="{suggestion.pk}"' not in coach.get("/coach/").content.decode()
    assert api_for(personas.coach).get("/api/suggestions/").json()["count"] == 0
    assert coach.post(f"/suggestions/{suggestion.pk}/approve/").status_code == 404
    response = api_for(personas.coach).post(f"/api/suggestions/{suggestion.pk}/approve/")
    assert response.status_code == 404
    assert not Suggestion.objects.filter(status="approved").exists()


def test_an_athletes_reply_on_an_item_made_private_tells_no_coach(personas, client_for):
    analysis = finish_analysis(personas.member, OVERSTRIDE)
    services.comment(author=personas.coach, target=analysis, body="Shorter steps?")
    make_private(client_for(personas.member), analysis)

    client_for(personas.member).post(f"/feedback/analysis/{analysis.pk}/", {"body": "for me"})

    assert analysis.comments.count() == 2
    assert not Notification.objects.filter(recipient=personas.coach, kind="comment").exists()
