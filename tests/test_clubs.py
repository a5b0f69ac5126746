import pytest
from django.urls import reverse

from club.models import Club, Membership

pytestmark = pytest.mark.django_db


def test_creating_a_club_makes_the_creator_its_owner(client_for, personas):
    client = client_for(personas.outsider)
    response = client.post(reverse("club-create"), {"name": "Hill Harriers", "description": ""})
    club = Club.objects.get(name="Hill Harriers")
    assert response["Location"] == club.get_absolute_url()
    assert club.role_of(personas.outsider) == Membership.Role.OWNER


def test_two_clubs_with_one_name_get_distinct_slugs(personas):
    a = Club.create_with_owner(owner=personas.outsider, name="Hill Harriers")
    b = Club.create_with_owner(owner=personas.member, name="Hill Harriers")
    assert a.slug != b.slug


def test_join_by_code_adds_member(client_for, personas):
    client = client_for(personas.outsider)
    response = client.post(reverse("club-join"), {"code": personas.club.invite_code})
    assert response["Location"] == personas.club.get_invite_url()
    client.post(personas.club.get_invite_url())
    assert personas.club.role_of(personas.outsider) == Membership.Role.MEMBER


def test_join_accepts_a_pasted_invite_link(client_for, personas):
    client = client_for(personas.outsider)
    link = "http://example.org" + personas.club.get_invite_url()
    response = client.post(reverse("club-join"), {"code": link})
    assert response["Location"] == personas.club.get_invite_url()


def test_unknown_invite_code_says_so_and_joins_nothing(client_for, personas):
    client = client_for(personas.outsider)
    response = client.post(reverse("club-join"), {"code": "not-a-code"})
    assert "No club has that invite code" in response.content.decode()
    assert not Membership.objects.filter(user=personas.outsider).exists()
    assert client.get("/invite/not-a-code/").status_code == 404


def test_joining_twice_keeps_the_coach_role(personas):
    personas.club.join(personas.coach)
    assert personas.club.role_of(personas.coach) == Membership.Role.COACH


def test_invite_link_after_sign_in_returns_to_the_invite(client, personas):
    response = client.get(personas.club.get_invite_url())
    assert response.status_code == 302
    assert response["Location"].endswith("?next=" + personas.club.get_invite_url())


def test_member_leaves_club(client_for, personas):
    client = client_for(personas.member)
    response = client.post(reverse("club-leave", args=[personas.club.slug]))
    assert response.status_code == 302
    assert personas.club.role_of(personas.member) is None


def test_owner_cannot_leave(client_for, personas):
    client = client_for(personas.owner)
    client.post(reverse("club-leave", args=[personas.club.slug]))
    assert personas.club.role_of(personas.owner) == Membership.Role.OWNER


def test_owner_names_a_coach_and_back(client_for, personas):
    client = client_for(personas.owner)
    url = reverse("club-set-role", args=[personas.club.slug, personas.member.pk])
    client.post(url, {"role": "coach"})
    assert personas.club.role_of(personas.member) == Membership.Role.COACH
    client.post(url, {"role": "member"})
    assert personas.club.role_of(personas.member) == Membership.Role.MEMBER


@pytest.mark.parametrize("actor", ["coach", "member", "clubmate"])
def test_only_the_owner_changes_roles(client_for, personas, actor):
    client = client_for(getattr(personas, actor))
    client.post(
        reverse("club-set-role", args=[personas.club.slug, personas.clubmate.pk]), {"role": "coach"}
    )
    assert personas.club.role_of(personas.clubmate) == Membership.Role.MEMBER


def test_owner_role_cannot_be_taken_away(client_for, personas):
    client = client_for(personas.owner)
    client.post(
        reverse("club-set-role", args=[personas.club.slug, personas.owner.pk]), {"role": "member"}
    )
    assert personas.club.role_of(personas.owner) == Membership.Role.OWNER


def test_outsider_cannot_see_club_page(client_for, personas):
    response = client_for(personas.outsider).get(personas.club.get_absolute_url())
    assert response.status_code == 404


def test_club_page_lists_members_with_roles(client_for, personas):
    page = client_for(personas.clubmate).get(personas.club.get_absolute_url()).content.decode()
    for name in ["owner", "coach", "member", "clubmate"]:
        assert f'data-username="{name}"' in page
    assert "outsider" not in page


def test_a_person_can_coach_several_clubs(personas):
    other = Club.create_with_owner(owner=personas.outsider, name="Track Club")
    other.join(personas.coach)
    other.set_role(actor=personas.outsider, member=personas.coach, role="coach")
    roles = set(personas.coach.memberships.values_list("role", flat=True))
    assert roles == {"coach"} and personas.coach.memberships.count() == 2
