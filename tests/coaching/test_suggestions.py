"""A finished analysis suggests its findings' drills to the athlete's coaches."""

import pytest

from club.models import ClubActionError
from coaching import services
from coaching.models import Assignment, Suggestion
from tests.factories import finish_analysis

pytestmark = pytest.mark.django_db

OVERSTRIDE = {"overstride_pct_leg": 21.0, "trunk_lean_deg": 8.0, "cadence_spm": 176.0}


def test_an_overstride_finding_suggests_its_drills_to_the_coach(personas):
    analysis = finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get(coach=personas.coach, analysis=analysis)
    assert suggestion.finding_code == "overstride_pct_leg_high"
    assert {"pogo-hops", "foot-reactivity-push"} <= set(suggestion.drills)
    assert suggestion.athlete == personas.member and suggestion.status == "pending"


def test_a_clean_analysis_suggests_nothing(personas):
    finish_analysis(personas.member, {"trunk_lean_deg": 8.0, "cadence_spm": 176.0})
    assert not Suggestion.objects.exists()


def test_a_private_analysis_suggests_nothing_to_anyone(personas):
    finish_analysis(personas.member, OVERSTRIDE, visibility="private")
    assert not Suggestion.objects.exists()


def test_approving_makes_a_four_week_plan_with_a_refilm(personas):
    analysis = finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get()
    assignment = services.approve_suggestion(
        coach=personas.coach, suggestion=suggestion, plan=services.default_plan(suggestion)
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "approved" and suggestion.assignment == assignment
    assert assignment.athlete == personas.member and assignment.baseline == analysis
    assert (assignment.refilm_view, assignment.refilm_after_weeks) == ("side", 4)
    assert [i.drill.slug for i in assignment.items.all()] == suggestion.drills


def test_a_suggestion_is_approved_once(personas, client_for):
    finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get()
    client = client_for(personas.coach)
    client.post(f"/suggestions/{suggestion.pk}/approve/")
    client.post(f"/suggestions/{suggestion.pk}/approve/")
    assert Assignment.objects.count() == 1


def test_a_dismissed_suggestion_cannot_be_approved(personas):
    finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get()
    services.dismiss_suggestion(coach=personas.coach, suggestion=suggestion)
    with pytest.raises(ClubActionError):
        services.approve_suggestion(
            coach=personas.coach, suggestion=suggestion, plan=services.default_plan(suggestion)
        )


def test_another_coach_cannot_touch_a_suggestion(personas, client_for, other_coach):
    finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get()
    response = client_for(other_coach).post(f"/suggestions/{suggestion.pk}/approve/")
    assert response.status_code == 404 and not Assignment.objects.exists()


def test_editing_a_suggestion_prefills_the_assign_form(personas, client_for):
    finish_analysis(personas.member, OVERSTRIDE)
    suggestion = Suggestion.objects.get()
    html = client_for(personas.coach).get(f"/coach/assign/?suggestion={suggestion.pk}").content
    assert b'value="side" selected' in html and suggestion.message.encode() in html
