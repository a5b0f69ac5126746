"""One access helper per coaching object type. Each starts from what the requester may see;
anything else does not exist (404), so ids leak nothing."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from analysis.access import get_analysis_for_user
from analysis.models import VideoAnalysis
from club.access import can_comment, first_or_404, get_run_for_user
from club.models import CoachLink, Run, User
from coaching.models import Assignment, Drill, Suggestion


def get_drill_for_user(user: User, slug: str) -> Drill:
    return first_or_404(Drill.objects.visible_to(user).filter(slug=slug), "No such drill.")


def get_own_drill(user: User, slug: str) -> Drill:
    """A drill the user may change: one they wrote. Seeded drills belong to no one."""
    mine = Drill.objects.filter(author=user) if user.is_authenticated else Drill.objects.none()
    return first_or_404(mine.filter(slug=slug), "No such drill of yours.")


def get_assignment_for_user(user: User, assignment_id: int) -> Assignment:
    visible = Assignment.objects.visible_to(user).select_related("coach", "athlete", "baseline")
    return first_or_404(visible.filter(pk=assignment_id), "No such assignment.")


def get_suggestion_for_coach(user: User, suggestion_id: int) -> Suggestion:
    mine = Suggestion.objects.for_coach(user).select_related("analysis", "athlete")
    return first_or_404(mine.filter(pk=suggestion_id), "No such suggestion.")


def get_thread_target(user: User, kind: str, object_id: int) -> VideoAnalysis | Run:
    """An item whose feedback thread the user takes part in: its owner, or a coach of the
    owner who may see it. Clubmates who can see a shared item do not see its coaching."""
    if kind == "analysis":
        target: VideoAnalysis | Run = get_analysis_for_user(user, object_id)
    elif kind == "run":
        target = get_run_for_user(user, object_id)
    else:
        raise Http404("No such item.")
    if not can_comment(user, target):
        raise Http404("No such item.")
    return target


def get_link_invitation(user: User, link_id: int) -> CoachLink:
    """A coaching invitation addressed to the user."""
    mine = CoachLink.objects.filter(athlete_id=user.pk if user.is_authenticated else None)
    return first_or_404(mine.filter(pk=link_id).select_related("coach"), "No such invitation.")


def get_coach_link(user: User, link_id: int) -> CoachLink:
    """A link the user is part of, as coach or athlete (either may end it)."""
    links = CoachLink.objects.none()
    if user.is_authenticated:
        links = CoachLink.objects.filter(Q(coach_id=user.pk) | Q(athlete_id=user.pk))
    return first_or_404(
        links.filter(pk=link_id).select_related("coach", "athlete"), "No such coaching link."
    )
