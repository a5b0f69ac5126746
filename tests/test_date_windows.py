"""Typed dates stay within sane windows: refused with a reason, never a 500 further on."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from club.models import Run
from coaching.models import Assignment, Drill
from tests.coaching.helpers import assign_one

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def plan_fields(starts: str, ends: str) -> dict:
    return {"drills": ["pogo-hops"], "starts_on": starts, "ends_on": ends}


@pytest.mark.parametrize(
    "starts,ends,field,message",
    [
        ("9999-12-01", "9999-12-31", "starts_on", "A plan starts within a year of today"),
        ("0001-01-01", "0001-02-01", "starts_on", "A plan starts within a year of today"),
        ("today", "+400", "ends_on", "A plan lasts at most 52 weeks"),
        ("today", "-1", "ends_on", "must not be before the start date"),
    ],
)
def test_a_plan_outside_the_window_is_refused_with_a_reason(
    personas, client_for, starts, ends, field, message
):
    today = timezone.localdate()
    if starts == "today":
        starts, ends = today.isoformat(), (today + dt.timedelta(days=int(ends))).isoformat()
    page = client_for(personas.coach).post(
        "/coach/assign/",
        {
            **plan_fields(starts, ends),
            "athlete": personas.member.pk,
            "drills": [Drill.objects.get(slug="pogo-hops").pk],
            "sessions_per_week": 3,
        },
    )
    api = api_for(personas.coach).post(
        "/api/assignments/",
        {**plan_fields(starts, ends), "athlete_id": personas.member.pk},
        format="json",
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert api.status_code == 400 and message in api.json()[field][0]
    assert not Assignment.objects.exists()


def test_the_todo_page_survives_a_plan_stored_before_dates_were_bounded(personas, client_for):
    """The reproduction: a plan in year 9999 with a re-film made the to-do page a 500."""
    assignment = assign_one(personas.coach, personas.member, refilm_after_weeks=8)
    Assignment.objects.filter(pk=assignment.pk).update(
        starts_on=dt.date(9999, 12, 1), ends_on=dt.date(9999, 12, 31), refilm_view="side"
    )
    athlete = client_for(personas.member)
    assert athlete.get("/todo/").status_code == 200
    assert athlete.get(assignment.get_absolute_url()).status_code == 200
    assert client_for(personas.coach).get("/coach/").status_code == 200


@pytest.mark.parametrize(
    "date,zone,message",
    [
        ("0001-01-01", "Asia/Tokyo", "Give a date on or after 1 January 1900."),
        ("1899-12-31", "UTC", "Give a date on or after 1 January 1900."),
        ("9999-12-31", "America/Los_Angeles", "That date is in the future."),
    ],
)
def test_a_manual_run_outside_the_calendar_is_refused_with_a_reason(
    personas, client_for, date, zone, message
):
    """The reproduction: year 1 in Tokyo is before year 1 in UTC, which Python cannot hold."""
    personas.member.time_zone = zone
    personas.member.save()
    fields = {"date": date, "distance_km": "5", "duration": "0:25:00", "visibility": "coaches"}
    page = client_for(personas.member).post("/runs/new/", fields)
    api = api_for(personas.member).post("/api/runs/", fields, format="json")
    assert page.status_code == 200 and message in page.content.decode()
    assert api.status_code == 400 and api.json()["date"] == [message]
    assert not Run.objects.exists()


def test_a_run_on_the_first_day_of_1900_is_kept(personas, client_for):
    fields = {"date": "1900-01-01", "distance_km": "5", "duration": "0:25:00"}
    response = api_for(personas.member).post("/api/runs/", fields, format="json")
    assert response.status_code == 201, response.json()
    assert Run.objects.get().start_local.date() == dt.date(1900, 1, 1)


@pytest.mark.parametrize("done_on", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_session_dated_outside_its_plan_is_refused(personas, client_for, done_on):
    assignment = assign_one(personas.coach, personas.member, days_ago=3)
    api = api_for(personas.member).post(
        f"/api/assignments/{assignment.pk}/sessions/", {"done_on": done_on}, format="json"
    )
    page = client_for(personas.member).post(
        f"/assignments/{assignment.pk}/sessions/", {"done_on": done_on}, follow=True
    )
    assert api.status_code == 400
    assert "future" in str(api.json()) or "within the assignment" in str(api.json())
    assert page.status_code == 200 and not assignment.sessions.exists()
