"""One access helper per coaching object type. Each starts from what the requester may see;
anything else does not exist (404), so ids leak nothing."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from analysis.access import get_analysis_for_user
from analysis.models import VideoAnalysis
from club.access import can_comment, get_run_for_user
from club.models import CoachLink, Run, User
from coaching.models import Assignment, Drill, Suggestion


def get_drill_for_user(user: User, slug: str) -> Drill:
    drill = Drill.objects.visible_to(user).filter(slug=slug).first()
    if drill is None:
        raise Http404("No such drill.")
    return drill


def get_own_drill(user: User, slug: str) -> Drill:
    """A drill the user may change: one they wrote. Seeded drills belong to no one."""
    drill = Drill.objects.filter(author=user, slug=slug).first() if user.is_authenticated else None
    if drill is None:
        raise Http404("No such drill of yours.")
    return drill


def get_assignment_for_user(user: User, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.visible_to(user)
        .select_related("coach", "athlete", "baseline")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


def get_suggestion_for_coach(user: User, suggestion_id: int) -> Suggestion:
    suggestion = (
        Suggestion.objects.for_coach(user)
        .select_related("analysis", "athlete")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise Http404("No such suggestion.")
    return suggestion


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
    link = None
    if user.is_authenticated:
        link = CoachLink.objects.filter(athlete=user, pk=link_id).select_related("coach").first()
    if link is None:
        raise Http404("No such invitation.")
    return link


def get_coach_link(user: User, link_id: int) -> CoachLink:
    """A link the user is part of, as coach or athlete (either may end it)."""
    link = None
    if user.is_authenticated:
        mine = Q(coach_id=user.pk) | Q(athlete_id=user.pk)
        link = CoachLink.objects.filter(mine, pk=link_id).select_related("coach", "athlete").first()
    if link is None:
        raise Http404("No such coaching link.")
    return link
