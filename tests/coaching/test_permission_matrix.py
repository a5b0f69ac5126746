"""Who may see and change coaching items, over pages and the API, for every role:
the athlete, a clubmate, the athlete's coach, a coach of another club, a coach with no club,
and an outsider. Anyone not allowed gets a 404 (or an empty list): ids leak nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Comment, DrillSession, Suggestion
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory

pytestmark = pytest.mark.django_db

ROLES = ["member", "clubmate", "coach", "other_coach", "lone_coach", "outsider"]
SEES = {"member", "coach"}


@pytest.fixture
def world(personas, other_coach, lone_coach):
    analysis = VideoAnalysisFactory(owner=personas.member, visibility="club")
    suggestion = Suggestion.objects.create(
        analysis=analysis,
        coach=personas.coach,
        athlete=personas.member,
        finding_code="overstride_pct_leg_high",
        severity="poor",
        message="Lands far ahead of the hips",
        drills=["pogo-hops"],
    )
    people = {r: getattr(personas, r, None) for r in ROLES}
    people.update(other_coach=other_coach, lone_coach=lone_coach)
    return {
        "people": people,
        "assignment": assign_one(personas.coach, personas.member),
        "analysis": analysis,
        "suggestion": suggestion,
    }


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_assignment_page(world, client_for, role):
    response = client_for(world["people"][role]).get(world["assignment"].get_absolute_url())
    assert response.status_code == (200 if role in SEES else 404)


@pytest.mark.parametrize("role", ROLES)
def test_assignment_api_list_and_detail(world, role):
    client, pk = _api(world["people"][role]), world["assignment"].pk
    listed = [a["id"] for a in client.get("/api/assignments/").json()["results"]]
    assert listed == ([pk] if role in SEES else [])
    assert client.get(f"/api/assignments/{pk}/").status_code == (200 if role in SEES else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_athlete_logs_a_session(world, role):
    client, pk = _api(world["people"][role]), world["assignment"].pk
    response = client.post(f"/api/assignments/{pk}/sessions/", {"done_on": timezone.localdate()})
    expected = {"member": 201, "coach": 400}.get(role, 404)
    assert response.status_code == expected
    assert DrillSession.objects.count() == (1 if role == "member" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_giving_coach_cancels(world, client_for, role):
    pk = world["assignment"].pk
    response = client_for(world["people"][role]).post(f"/assignments/{pk}/cancel/")
    assert response.status_code == (302 if role == "coach" else 404)
    world["assignment"].refresh_from_db()
    assert (world["assignment"].cancelled_at is not None) == (role == "coach")


@pytest.mark.parametrize("role", ROLES)
def test_feedback_thread_page_and_api(world, client_for, role):
    pk, user = world["analysis"].pk, world["people"][role]
    expected = 200 if role in SEES else 404
    assert client_for(user).get(f"/feedback/analysis/{pk}/").status_code == expected
    assert _api(user).get(f"/api/feedback/?analysis={pk}").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_feedback_post(world, role):
    response = _api(world["people"][role]).post(
        "/api/feedback/", {"analysis": world["analysis"].pk, "body": "Looks good"}
    )
    assert response.status_code == (201 if role in SEES else 404)
    assert Comment.objects.count() == (1 if role in SEES else 0)


@pytest.mark.parametrize("role", ROLES)
def test_suggestions_belong_to_their_coach(world, role):
    client, pk = _api(world["people"][role]), world["suggestion"].pk
    listed = [s["id"] for s in client.get("/api/suggestions/").json()["results"]]
    assert listed == ([pk] if role == "coach" else [])
    response = client.post(f"/api/suggestions/{pk}/approve/")
    assert response.status_code == (201 if role == "coach" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_athletes_coach_assigns_over_the_api(world, role):
    today = timezone.localdate()
    response = _api(world["people"][role]).post(
        "/api/assignments/",
        {
            "athlete_id": world["people"]["member"].pk,
            "drills": ["pogo-hops"],
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=14),
        },
        format="json",
    )
    assert response.status_code == (201 if role == "coach" else 404)


@pytest.mark.parametrize("role", ["clubmate", "other_coach", "lone_coach", "outsider"])
def test_the_coach_inbox_of_others_shows_nothing_of_the_member(world, client_for, role):
    html = client_for(world["people"][role]).get("/coach/").content.decode()
    assert world["suggestion"].message not in html
    assert f'data-athlete="{world["people"]["member"].pk}"' not in html
