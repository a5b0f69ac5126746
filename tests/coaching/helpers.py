"""Small builders shared by the coaching tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from club.models import User
from coaching import services
from coaching.models import Assignment, Drill


def plan(
    *slugs: str, days_ago: int = 0, weeks: int = 4, per_week: int = 3, **extra
) -> services.Plan:
    starts = timezone.localdate() - dt.timedelta(days=days_ago)
    return services.Plan(
        drills=[Drill.objects.get(slug=s) for s in slugs or ("pogo-hops",)],
        starts_on=starts,
        ends_on=starts + dt.timedelta(weeks=weeks),
        sessions_per_week=per_week,
        **extra,
    )


def assign_one(coach: User, athlete: User, *slugs: str, **kwargs) -> Assignment:
    (assignment,) = services.assign(coach=coach, athletes=[athlete], plan=plan(*slugs, **kwargs))
    return assignment
