"""Who coaches whom: club coaches, one-to-one links, and nobody by accident."""

import pytest

from analysis.models import VideoAnalysis
from club.models import ClubActionError, CoachLink, User
from tests.factories import VideoAnalysisFactory

pytestmark = pytest.mark.django_db


def test_a_club_coach_coaches_every_member_but_not_themselves(personas):
    athletes = set(User.objects.athletes_of(personas.coach))
    assert athletes == {personas.owner, personas.member, personas.clubmate}


def test_an_athlete_sees_the_coaches_of_their_clubs(personas):
    assert list(User.objects.coaches_of(personas.member)) == [personas.coach]


def test_a_coach_with_no_club_and_no_link_coaches_no_one(personas, lone_coach):
    assert not User.objects.athletes_of(lone_coach).exists()
    assert not User.objects.is_coach_of(lone_coach, personas.member)


def test_a_coach_of_another_club_coaches_no_one_here(personas, other_coach):
    assert not User.objects.is_coach_of(other_coach, personas.member)
    assert other_coach not in User.objects.coaches_of(personas.member)


def test_an_invitation_gives_nothing_until_accepted(personas, lone_coach):
    link = CoachLink.invite(coach=lone_coach, athlete=personas.outsider)
    assert not User.objects.is_coach_of(lone_coach, personas.outsider)
    link.respond(accept=True)
    assert list(User.objects.athletes_of(lone_coach)) == [personas.outsider]
    assert list(User.objects.coaches_of(personas.outsider)) == [lone_coach]


def test_a_declined_or_ended_link_gives_nothing(personas, lone_coach):
    declined = CoachLink.invite(coach=lone_coach, athlete=personas.outsider)
    declined.respond(accept=False)
    ended = CoachLink.invite(coach=lone_coach, athlete=personas.member)
    ended.respond(accept=True)
    ended.end()
    assert not User.objects.athletes_of(lone_coach).exists()


def test_an_answered_invitation_cannot_be_answered_again(personas, lone_coach):
    link = CoachLink.invite(coach=lone_coach, athlete=personas.outsider)
    link.respond(accept=False)
    with pytest.raises(ClubActionError):
        link.respond(accept=True)


def test_nobody_coaches_themselves(personas):
    with pytest.raises(ClubActionError):
        CoachLink.invite(coach=personas.member, athlete=personas.member)


def test_a_linked_coach_sees_the_athletes_shared_runs_but_not_private_ones(personas, lone_coach):
    shared = VideoAnalysisFactory(owner=personas.outsider, visibility="coaches")
    VideoAnalysisFactory(owner=personas.outsider, visibility="private")
    CoachLink.invite(coach=lone_coach, athlete=personas.outsider).respond(accept=True)
    assert list(VideoAnalysis.objects.visible_to(lone_coach)) == [shared]
