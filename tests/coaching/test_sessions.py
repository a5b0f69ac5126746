"""The athlete logs sessions; adherence follows; bad logs change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from club.models import ClubActionError, Notification
from coaching import services
from coaching.models import DrillSession
from tests.coaching.helpers import assign_one

pytestmark = pytest.mark.django_db


def _log(athlete, assignment, days_ago: int = 0, **values):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return services.log_session(athlete=athlete, assignment=assignment, done_on=day, **values)


def test_adherence_is_the_share_of_scheduled_sessions_done(personas):
    assignment = assign_one(personas.coach, personas.member, per_week=7, days_ago=3)
    _log(personas.member, assignment, days_ago=3)
    _log(personas.member, assignment, days_ago=1, sets_done=3, effort=6)
    adherence = assignment.adherence()
    assert (adherence.done, adherence.due, adherence.pct, adherence.missed) == (2, 4, 50.0, 2)


def test_the_coach_hears_of_each_session(personas):
    assignment = assign_one(personas.coach, personas.member)
    _log(personas.member, assignment, note="felt springy")
    note = Notification.objects.get(recipient=personas.coach, kind="drill")
    assert "did" in note.title and note.body == "felt springy"


def test_only_the_athlete_logs_their_sessions(personas):
    assignment = assign_one(personas.coach, personas.member)
    for someone in (personas.coach, personas.clubmate):
        with pytest.raises(ClubActionError):
            _log(someone, assignment)
    assert not DrillSession.objects.exists()


def test_a_session_in_the_future_is_refused(personas):
    assignment = assign_one(personas.coach, personas.member)
    with pytest.raises(ClubActionError, match="future"):
        _log(personas.member, assignment, days_ago=-1)


def test_a_session_before_the_plan_started_is_refused(personas):
    assignment = assign_one(personas.coach, personas.member)
    with pytest.raises(ClubActionError, match="within the assignment"):
        _log(personas.member, assignment, days_ago=2)


def test_an_effort_out_of_range_is_refused_and_nothing_is_stored(personas):
    assignment = assign_one(personas.coach, personas.member)
    with pytest.raises(ValidationError):
        _log(personas.member, assignment, effort=11)
    assert not DrillSession.objects.exists()
    assert not Notification.objects.filter(recipient=personas.coach).exists()


def test_the_done_today_button_logs_and_returns_to_the_list(personas, client_for):
    assignment = assign_one(personas.coach, personas.member)
    response = client_for(personas.member).post(
        f"/assignments/{assignment.pk}/sessions/",
        {"done_on": timezone.localdate().isoformat(), "next": "/todo/"},
    )
    assert response.status_code == 302 and response["Location"] == "/todo/"
    assert assignment.sessions.count() == 1


def test_a_bad_log_from_the_page_gives_a_message_not_an_error(personas, client_for):
    assignment = assign_one(personas.coach, personas.member)
    client = client_for(personas.member)
    response = client.post(
        f"/assignments/{assignment.pk}/sessions/", {"done_on": "2001-01-01"}, follow=True
    )
    assert response.status_code == 200 and "within the assignment" in response.content.decode()
    assert not assignment.sessions.exists()


def test_a_cancelled_assignment_takes_no_more_sessions(personas):
    assignment = assign_one(personas.coach, personas.member)
    services.cancel_assignment(assignment)
    with pytest.raises(ClubActionError, match="cancelled"):
        _log(personas.member, assignment)
