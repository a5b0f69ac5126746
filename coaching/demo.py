"""Demo coaching for `make run`: Cora has given Mia a plan, and Mia has done part of it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from club.models import Club, Membership
from coaching.models import Assignment, AssignmentItem, Drill, DrillSession


@transaction.atomic
def seed_coaching(club: Club) -> None:
    """Only once: a demo that already has assignments is left as its users made it."""
    coach = club.memberships.filter(role=Membership.Role.COACH).first()
    athlete = club.memberships.filter(user__username="mia").first()
    if coach is None or athlete is None or Assignment.objects.filter(club=club).exists():
        return
    today = timezone.localdate()
    assignment = Assignment.objects.create(
        coach=coach.user,
        athlete=athlete.user,
        club=club,
        title="Land under your hips",
        note="Before your easy runs, fresh legs. Stop if anything pinches.",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=18),
        sessions_per_week=3,
        refilm_after_weeks=4,
        refilm_view="side",
    )
    for position, slug in enumerate(("pogo-hops", "hip-hinge")):
        drill = Drill.objects.get(slug=slug)
        AssignmentItem.objects.create(assignment=assignment, drill=drill, position=position)
    for days_ago, effort in ((9, 5), (6, 6), (2, 5)):
        DrillSession.objects.create(
            assignment=assignment, done_on=today - dt.timedelta(days=days_ago), effort=effort
        )
