"""Every coach of an athlete gets a copy of a finding's suggestion; approving one copy makes the
one plan and settles the others, whichever coach is first, even when both approve at once."""

import threading

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from club.models import ClubActionError
from coaching import services
from coaching.models import Assignment, Suggestion
from tests.factories import MembershipFactory, UserFactory, finish_analysis

OVERSTRIDE = {"overstride_pct_leg": 21.0, "trunk_lean_deg": 8.0, "cadence_spm": 176.0}


@pytest.fixture
def two_copies(personas):
    """The club's two coaches, each with their copy of one overstride finding."""
    second = UserFactory(username="second_coach", first_name="Sol")
    MembershipFactory(club=personas.club, user=second, role="coach")
    finish_analysis(personas.member, OVERSTRIDE)
    copies = {s.coach: s for s in Suggestion.objects.filter(finding_code="overstride_pct_leg_high")}
    assert set(copies) == {personas.coach, second}
    return copies


def approve(coach, suggestion) -> Assignment:
    plan = services.default_plan(suggestion)
    return services.approve_suggestion(coach=coach, suggestion=suggestion, plan=plan)


@pytest.mark.django_db
@pytest.mark.parametrize("first_index", [0, 1])
def test_the_first_approval_plans_once_and_the_other_coach_sees_who(
    two_copies, client_for, first_index
):
    first, second = sorted(two_copies, key=lambda c: c.pk)[:: 1 if first_index == 0 else -1]
    made = approve(first, two_copies[first])

    with pytest.raises(ClubActionError, match=f"{first.display_name} already planned this"):
        approve(second, two_copies[second])

    assert list(Assignment.objects.all()) == [made]
    theirs = Suggestion.objects.get(pk=two_copies[second].pk)
    assert (theirs.status, theirs.planned_by, theirs.assignment) == ("planned", first, made)
    inbox = client_for(second).get("/coach/").content.decode()
    assert f"Planned by {first.display_name}" in inbox
    api = APIClient()
    api.force_authenticate(second)
    listed = api.get("/api/suggestions/").json()["results"]
    assert [(s["status"], s["planned_by"]) for s in listed] == [("planned", first.username)]
    response = api.post(f"/api/suggestions/{theirs.pk}/approve/")
    assert response.status_code == 400 and "already planned" in response.json()[0]


@pytest.mark.django_db
def test_dismissing_ones_copy_leaves_the_other_coachs_waiting(two_copies, personas):
    services.dismiss_suggestion(coach=personas.coach, suggestion=two_copies[personas.coach])
    others = [c for c in two_copies if c != personas.coach]
    assert Suggestion.objects.get(pk=two_copies[others[0]].pk).status == "pending"


def _approve_in_thread(coach, suggestion, started: threading.Event, results: list) -> None:
    try:
        started.set()
        results.append(approve(coach, suggestion))
    except ClubActionError as exc:
        results.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("holder_index", [0, 1])
def test_two_coaches_approving_at_once_make_one_plan(two_copies, holder_index):
    """One coach's approval is in flight (its transaction open, locks held) when the other
    approves: the second waits for the first to commit and is then told who planned it."""
    holder, other = sorted(two_copies, key=lambda c: c.pk)[:: 1 if holder_index == 0 else -1]

    started, results = threading.Event(), []
    with transaction.atomic():
        made = approve(holder, two_copies[holder])
        racer = threading.Thread(
            target=_approve_in_thread, args=(other, two_copies[other], started, results)
        )
        racer.start()
        started.wait(5)
        racer.join(0.5)  # blocked on the row locks while this transaction is open
        assert racer.is_alive() and results == []
    racer.join(10)

    assert not racer.is_alive()
    assert isinstance(results[0], ClubActionError) and "already planned" in str(results[0])
    assert list(Assignment.objects.all()) == [made]
