"""Every typed number and text has its range: just outside is refused with a reason on the
page and over the API, just inside is kept."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Assignment, Drill, DrillSession
from tests.coaching.helpers import assign_one

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def plan(**values) -> dict:
    today = timezone.localdate()
    fields = {"athlete_id": None, "drills": ["pogo-hops"], "starts_on": today.isoformat()}
    return {**fields, "ends_on": (today + dt.timedelta(weeks=4)).isoformat(), **values}


@pytest.mark.parametrize(
    "field,bad,good",
    [
        ("sessions_per_week", 0, 1),
        ("sessions_per_week", 15, 14),
        ("refilm_after_weeks", 0, 1),
        ("refilm_after_weeks", 53, 52),
        ("note", "x" * 2001, "x" * 2000),
        ("athlete_id", 2**31, None),
        ("drills", ["pogo-hops"] * 21, ["pogo-hops"] * 20),
    ],
)
def test_plan_values_out_of_range_are_refused_over_the_api(personas, field, bad, good):
    api = api_for(personas.coach)
    values = plan(athlete_id=personas.member.pk, refilm_view="side")
    response = api.post("/api/assignments/", {**values, field: bad}, format="json")
    assert response.status_code in (400, 404) and not Assignment.objects.exists()
    if good is not None:
        response = api.post("/api/assignments/", {**values, field: good}, format="json")
        assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "field,bad,good",
    [
        ("sets_done", 0, 1),
        ("sets_done", 101, 100),
        ("minutes_done", 0, 1),
        ("minutes_done", 601, 600),
        ("effort", 0, 1),
        ("effort", 11, 10),
        ("note", "x" * 2001, "x" * 2000),
    ],
)
def test_session_values_out_of_range_are_refused_on_page_and_api(
    personas, client_for, field, bad, good
):
    assignment = assign_one(personas.coach, personas.member, days_ago=2)
    day = {"done_on": timezone.localdate().isoformat()}
    url = f"/api/assignments/{assignment.pk}/sessions/"
    api = api_for(personas.member)
    assert api.post(url, {**day, field: bad}, format="json").status_code == 400
    page = client_for(personas.member).post(
        f"/assignments/{assignment.pk}/sessions/", {**day, field: bad}, follow=True
    )
    assert "Session logged" not in page.content.decode()
    assert not DrillSession.objects.exists()
    assert api.post(url, {**day, field: good}, format="json").status_code == 201


DRILL = {
    "name": "Calf raises",
    "category": "mobility",
    "purpose": "Stronger calves.",
    "dose": "3 x 12",
    "steps": ["Rise onto the toes"],
}


@pytest.mark.parametrize(
    "field,bad",
    [
        ("steps", []),
        ("steps", ["step"] * 31),
        ("steps", ["x" * 301]),
        ("steps", [{"nested": "object"}]),
        ("stages", [["slow", 0]]),
        ("stages", [["slow", 3601]]),
        ("stages", [["slow"]]),
        ("stages", ["slow"]),
        ("stages", [["slow", 60]] * 21),
        ("targets", ["made_up_metric"]),
        ("targets", "cadence_spm"),
        ("purpose", "x" * 2001),
    ],
)
def test_a_drills_parts_out_of_shape_are_refused_over_the_api(personas, field, bad):
    before = Drill.objects.count()
    response = api_for(personas.coach).post("/api/drills/", {**DRILL, field: bad}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Drill.objects.count() == before


@pytest.mark.parametrize(
    "steps,message",
    [("\n".join(["a step"] * 31), "At most 30 steps"), ("x" * 301, "under 300 characters")],
)
def test_a_drills_steps_out_of_range_are_refused_on_the_page(personas, client_for, steps, message):
    before = Drill.objects.count()
    form = {**DRILL, "steps_text": steps}
    response = client_for(personas.coach).post("/drills/new/", form)
    assert response.status_code == 200 and message in response.content.decode()
    assert Drill.objects.count() == before


@pytest.mark.parametrize(
    "url,field,limit",
    [("/runs/new/", "notes", 2000), ("/clubs/new/", "description", 2000)],
)
def test_long_texts_are_refused_on_the_page(personas, client_for, url, field, limit):
    fields = {"date": "2026-06-01", "distance_km": "5", "duration": "0:25:00", "name": "New"}
    response = client_for(personas.member).post(url, {**fields, field: "x" * (limit + 1)})
    assert response.status_code == 200
    assert f"at most {limit} characters" in response.content.decode()
