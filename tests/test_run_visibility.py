"""Who sees a run: the owner always, coaches unless private, clubmates when shared with clubs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from club.models import Run, User
from tests.factories import ClubFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _run(owner, visibility):
    return Run.objects.create(
        owner=owner,
        source="manual",
        start_utc=timezone.now(),
        distance_m=5000,
        moving_time_s=1500,
        visibility=visibility,
    )


@pytest.mark.parametrize(
    "visibility,expected",
    [
        ("private", {"member"}),
        ("coaches", {"member", "coach"}),
        ("club", {"member", "coach", "clubmate", "owner"}),
    ],
)
def test_run_visibility_matrix(personas, visibility, expected):
    run = _run(personas.member, visibility)
    viewers = {
        name
        for name in ["member", "coach", "clubmate", "owner", "outsider"]
        if Run.objects.visible_to(getattr(personas, name)).filter(pk=run.pk).exists()
    }
    assert viewers == expected


def test_a_coach_of_another_club_sees_nothing(personas):
    other = ClubFactory()
    coach_elsewhere = MembershipFactory(club=other, role="coach").user
    run = _run(personas.member, "coaches")
    assert not Run.objects.visible_to(coach_elsewhere).filter(pk=run.pk).exists()


def test_a_coach_with_no_club_sees_no_one(personas):
    lonely = UserFactory()
    _run(personas.member, "coaches")
    orphan = _run(UserFactory(), "coaches")  # an athlete with no club either
    assert list(Run.objects.visible_to(lonely)) == []
    assert not User.objects.athletes_of(lonely).exists()
    assert Run.objects.visible_to(lonely).filter(pk=orphan.pk).count() == 0


@pytest.mark.parametrize(
    "viewer,status", [("member", 200), ("coach", 200), ("clubmate", 404), ("outsider", 404)]
)
def test_run_page_follows_the_matrix(client_for, personas, viewer, status):
    run = _run(personas.member, "coaches")
    assert client_for(getattr(personas, viewer)).get(run.get_absolute_url()).status_code == status


@pytest.mark.parametrize("viewer", ["coach", "clubmate", "outsider"])
def test_only_the_owner_changes_or_deletes(client_for, personas, viewer):
    run = _run(personas.member, "club")
    client = client_for(getattr(personas, viewer))
    client.post(reverse("run-settings", args=[run.pk]), {"title": "hacked", "visibility": "club"})
    client.post(reverse("run-delete", args=[run.pk]))
    run.refresh_from_db()
    assert run.title == ""


def test_owner_can_make_a_run_private(client_for, personas):
    run = _run(personas.member, "club")
    client_for(personas.member).post(
        reverse("run-settings", args=[run.pk]), {"title": "Tempo", "visibility": "private"}
    )
    run.refresh_from_db()
    assert (run.title, run.visibility) == ("Tempo", "private")
    assert client_for(personas.coach).get(run.get_absolute_url()).status_code == 404


def test_api_lists_only_visible_runs(personas):
    from rest_framework.test import APIClient

    mine, hidden = _run(personas.member, "coaches"), _run(personas.member, "private")
    client = APIClient()
    client.force_authenticate(personas.coach)
    ids = [r["id"] for r in client.get("/api/runs/").json()["results"]]
    assert ids == [mine.pk] and hidden.pk not in ids
    assert client.patch(f"/api/runs/{mine.pk}/", {"title": "x"}, format="json").status_code == 403


def test_start_local_uses_the_owners_zone_when_the_run_has_no_offset(personas):
    personas.member.time_zone = "America/Los_Angeles"
    personas.member.save()
    run = Run.objects.create(
        owner=personas.member,
        source="manual",
        start_utc=dt.datetime(2024, 7, 1, 14, 0, tzinfo=dt.UTC),
    )
    assert run.start_local.hour == 7


@pytest.mark.parametrize(
    "viewer,status",
    [("member", 200), ("coach", 200), ("clubmate", 404), ("owner", 404), ("outsider", 404)],
)
def test_athlete_runs_page_is_for_the_athlete_and_their_coaches(
    client_for, personas, viewer, status
):
    shared, private = _run(personas.member, "coaches"), _run(personas.member, "private")
    response = client_for(getattr(personas, viewer)).get(f"/athletes/{personas.member.pk}/runs/")
    assert response.status_code == status
    if viewer == "coach":
        page = response.content.decode()
        assert f'data-run="{shared.pk}"' in page and f'data-run="{private.pk}"' not in page


def test_club_page_links_a_coach_to_each_athletes_runs(client_for, personas):
    page = client_for(personas.coach).get(personas.club.get_absolute_url()).content.decode()
    assert f"/athletes/{personas.member.pk}/runs/" in page
