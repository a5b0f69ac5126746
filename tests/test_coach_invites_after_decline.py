"""A decline is an answer: the coach may not invite the same athlete again for 30 days, may
not re-send a pending invitation, and sends at most 20 invitations a day.

The reproduction: a declined coach invitation could be re-sent without end, each one a new
notification to the athlete."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from club.models import ClubActionError, CoachLink, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _declined(coach, athlete) -> CoachLink:
    link = CoachLink.invite(coach=coach, athlete=athlete)
    link.respond(accept=False)
    return link


def test_after_a_decline_the_same_coach_cannot_ask_again_for_thirty_days(personas, lone_coach):
    link = _declined(lone_coach, personas.outsider)
    with pytest.raises(ClubActionError, match="declined your invitation; you can ask again from"):
        CoachLink.invite(coach=lone_coach, athlete=personas.outsider)
    link.refresh_from_db()
    assert link.status == CoachLink.Status.DECLINED


def test_thirty_days_after_a_decline_one_new_invitation_may_go(personas, lone_coach):
    link = _declined(lone_coach, personas.outsider)
    link.responded_at = timezone.now() - CoachLink.QUIET_AFTER_DECLINE - datetime.timedelta(1)
    link.save(update_fields=["responded_at"])
    assert CoachLink.invite(coach=lone_coach, athlete=personas.outsider).status == "invited"


def test_a_pending_invitation_is_not_sent_twice(personas, lone_coach):
    CoachLink.invite(coach=lone_coach, athlete=personas.outsider)
    with pytest.raises(ClubActionError, match="they have not answered yet"):
        CoachLink.invite(coach=lone_coach, athlete=personas.outsider)


def test_a_coach_sends_at_most_twenty_invitations_a_day(personas, lone_coach):
    for i in range(CoachLink.INVITES_PER_DAY):
        CoachLink.invite(coach=lone_coach, athlete=UserFactory(username=f"runner{i:02d}"))
    with pytest.raises(ClubActionError, match="20 invitations in the last day"):
        CoachLink.invite(coach=lone_coach, athlete=personas.outsider)
    assert not CoachLink.objects.filter(athlete=personas.outsider).exists()


def test_re_sending_after_a_decline_through_the_api_and_the_page_says_why(
    personas, lone_coach, client_for
):
    _declined(lone_coach, personas.outsider)
    told_before = Notification.objects.filter(recipient=personas.outsider).count()
    api = APIClient()
    api.force_authenticate(lone_coach)
    response = api.post("/api/coach-links/", {"athlete": "outsider"})
    assert response.status_code in (400, 403) and "declined" in str(response.json())
    page = client_for(lone_coach).post(
        reverse("coach-invite"), {"username": "outsider"}, follow=True
    )
    assert "declined your invitation" in page.content.decode()
    assert Notification.objects.filter(recipient=personas.outsider).count() == told_before
