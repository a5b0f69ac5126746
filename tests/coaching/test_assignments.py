"""Assigning drills: to one athlete or a club, the schedule, and who may assign to whom."""

import datetime as dt

import pytest
from django.utils import timezone

from club.models import ClubActionError, Notification
from coaching import services
from coaching.models import Assignment, Drill
from tests.coaching.helpers import assign_one, plan

pytestmark = pytest.mark.django_db


def test_an_assignment_is_a_plan_of_drills_with_doses(personas):
    assignment = assign_one(personas.coach, personas.member, "pogo-hops", "hip-hinge")
    assert [i.drill.slug for i in assignment.items.all()] == ["pogo-hops", "hip-hinge"]
    assert assignment.title == "Pogo hops, Hip hinge"


def test_the_athlete_is_notified_with_a_link_to_it(personas):
    assignment = assign_one(personas.coach, personas.member)
    note = Notification.objects.get(recipient=personas.member, kind="drill")
    assert note.link == assignment.get_absolute_url()


def test_a_club_assignment_reaches_every_member_the_coach_coaches(personas):
    athletes = services.athletes_in_club(personas.coach, personas.club)
    made = services.assign(coach=personas.coach, athletes=athletes, plan=plan(), club=personas.club)
    assert {a.athlete for a in made} == {personas.owner, personas.member, personas.clubmate}
    assert len({a.batch for a in made}) == 1


def test_a_coach_cannot_assign_to_someone_they_do_not_coach(personas, other_coach):
    with pytest.raises(ClubActionError):
        assign_one(other_coach, personas.member)
    assert not Assignment.objects.exists()


def test_a_member_cannot_assign_to_a_clubmate(personas):
    with pytest.raises(ClubActionError):
        assign_one(personas.member, personas.clubmate)


def test_a_coach_of_another_club_cannot_assign_to_this_club(personas, other_coach):
    with pytest.raises(ClubActionError):
        services.athletes_in_club(other_coach, personas.club)


@pytest.mark.parametrize(
    ("per_week", "days_in", "due"),
    [(7, 1, 1), (7, 7, 7), (3, 1, 0), (3, 7, 3), (3, 14, 6), (2, 10, 2)],
)
def test_sessions_due_are_spread_evenly_over_the_weeks(personas, per_week, days_in, due):
    assignment = assign_one(
        personas.coach, personas.member, per_week=per_week, days_ago=days_in - 1
    )
    assert assignment.due_by(timezone.localdate()) == due


def test_nothing_is_due_after_the_end_beyond_the_plan(personas):
    assignment = assign_one(personas.coach, personas.member, per_week=3, weeks=1, days_ago=30)
    assert assignment.due_by(timezone.localdate()) == 3


def test_the_page_form_assigns_and_redirects_to_the_assignment(personas, client_for):
    today = timezone.localdate()
    response = client_for(personas.coach).post(
        "/coach/assign/",
        {
            "athlete": personas.member.pk,
            "drills": [_drill_pk("pogo-hops")],
            "starts_on": today,
            "ends_on": today + dt.timedelta(weeks=2),
            "sessions_per_week": 3,
            "note": "Before your easy runs",
        },
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert assignment.note == "Before your easy runs"


def test_the_form_offers_only_the_coachs_athletes(personas, client_for, other_coach):
    response = client_for(other_coach).post(
        "/coach/assign/",
        {"athlete": personas.member.pk, "drills": [_drill_pk("pogo-hops")], **_dates()},
    )
    assert response.status_code == 200 and not Assignment.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_an_end_before_the_start_is_refused_with_a_reason(personas, client_for):
    today = timezone.localdate()
    response = client_for(personas.coach).post(
        "/coach/assign/",
        {
            "athlete": personas.member.pk,
            "drills": [_drill_pk("pogo-hops")],
            "starts_on": today,
            "ends_on": today - dt.timedelta(days=1),
            "sessions_per_week": 3,
        },
    )
    assert "must not be before the start" in response.content.decode()
    assert not Assignment.objects.exists()


def _drill_pk(slug: str) -> int:
    return Drill.objects.get(slug=slug).pk


def _dates() -> dict:
    today = timezone.localdate()
    return {"starts_on": today, "ends_on": today + dt.timedelta(days=7), "sessions_per_week": 2}
