"""What the coaching pages show, read from the database in a few queries. Read-only."""

from __future__ import annotations

import datetime as dt
from itertools import groupby, islice

from django.db.models import Prefetch
from django.utils import timezone

from analysis.core.metrics import SCORE_MDC
from analysis.models import VideoAnalysis
from club.models import CoachLink, User
from coaching.models import Adherence, Assignment, AssignmentItem, DrillSession, Suggestion

RECENT = dt.timedelta(days=14)


def _with_items(assignments: object) -> object:
    items = AssignmentItem.objects.select_related("drill")
    return assignments.select_related("coach", "athlete").prefetch_related(
        Prefetch("items", queryset=items), "sessions"
    )


def _adherence(assignment: Assignment, today: dt.date) -> Adherence:
    # Counted from the prefetched sessions: one query for the whole page, not one per row.
    done = sum(1 for s in assignment.sessions.all() if s.done_on <= today)
    return Adherence(done=done, due=assignment.due_by(today))


def athlete_todo(athlete: User, *, today: dt.date) -> dict:
    assignments = list(_with_items(Assignment.objects.filter(athlete=athlete).open(today)))
    rows = [{"assignment": a, "adherence": _adherence(a, today)} for a in assignments]
    for row in rows:
        a = row["assignment"]
        row["refilm_due"] = bool(a.refilm_due_on and a.refilm_due_on <= today)
    return {
        "rows": rows,
        "overall": _overall(Assignment.objects.filter(athlete=athlete), today),
        "invitations": CoachLink.objects.filter(athlete=athlete, status="invited").select_related(
            "coach"
        ),
        "coaches": User.objects.coaches_of(athlete).order_by("username"),
        "links": CoachLink.objects.filter(athlete=athlete, status="accepted").select_related(
            "coach"
        ),
        "today": today,
    }


def _with_sessions(assignments: object) -> object:
    return assignments.filter(cancelled_at__isnull=True).prefetch_related("sessions")


def _overall(assignments: object, today: dt.date) -> Adherence:
    return sum((_adherence(a, today) for a in _with_sessions(assignments)), Adherence(0, 0))


def coach_inbox(coach: User, *, today: dt.date) -> dict:
    athletes = User.objects.athletes_of(coach)
    since = timezone.now() - RECENT
    given = Assignment.objects.filter(coach=coach, athlete__in=athletes)
    current = [
        (a, _adherence(a, today)) for a in _with_items(given.current(today).order_by("ends_on"))
    ]
    return {
        "athletes": _athlete_rows(coach, athletes, today),
        "suggestions": Suggestion.objects.for_coach(coach)
        .pending()
        .select_related("analysis", "athlete")[:50],
        "planned_by_others": Suggestion.objects.for_coach(coach)
        .filter(status=Suggestion.Status.PLANNED, decided_at__gte=since)
        .select_related("athlete", "assignment__coach")[:20],
        "analyses": VideoAnalysis.objects.visible_to(coach)
        .filter(owner__in=athletes, created_at__gte=since)
        .exclude(view="")
        .select_related("owner")[:30],
        "sessions": DrillSession.objects.filter(
            assignment__in=given, created_at__gte=since
        ).select_related("assignment__athlete")[:30],
        "missed": [(a, adh) for a, adh in current if adh.missed > 0],
        "drops": score_drops(coach, athletes),
    }


def _athlete_rows(coach: User, athletes: object, today: dt.date) -> list[dict]:
    by_athlete: dict[int, Adherence] = {}
    for a in _with_sessions(Assignment.objects.filter(coach=coach)):
        by_athlete[a.athlete_id] = by_athlete.get(a.athlete_id, Adherence(0, 0)) + _adherence(
            a, today
        )
    return [
        {"athlete": u, "adherence": by_athlete.get(u.pk)} for u in athletes.order_by("username")
    ]


def score_drops(coach: User, athletes: object) -> list[dict]:
    """Athletes whose latest form score of a view fell by more than the measured minimal
    detectable change (SCORE_MDC) since the one before it: comparable analyses only (the same
    rule as the leaderboard), from what the coach may see."""
    scored = (
        VideoAnalysis.objects.visible_to(coach)
        .comparable()
        .filter(owner__in=athletes)
        .select_related("owner")
        .order_by("owner_id", "view", "-created_at")
    )
    drops = []
    for _, group in groupby(scored, key=lambda a: (a.owner_id, a.view)):
        latest, *rest = islice(group, 2)
        before = rest[0] if rest else None
        if before is not None and latest.score < before.score - SCORE_MDC:
            drops.append(
                {"latest": latest, "before": before, "change": latest.score - before.score}
            )
    return drops


def refilm_comparison(assignment: Assignment, viewer: User) -> dict:
    """Before and after of the re-film, for the metrics the drills target, from the analyses
    `viewer` may see now: one made private since drops out of its coach's view."""
    after = assignment.refilm_analysis(viewer)
    before = assignment.baseline_for(viewer) if after is not None else None
    rows = []
    if before is not None and after is not None:
        targets = assignment.targets
        rows = [r for r in after.compare_with(before) if r["name"] in targets]
    return {"before": before, "after": after, "comparison": rows}


def assignment_context(assignment: Assignment, *, viewer: User, today: dt.date) -> dict:
    return {
        "assignment": assignment,
        "items": assignment.items.select_related("drill"),
        "sessions": assignment.sessions.all(),
        "adherence": assignment.adherence(today),
        **refilm_comparison(assignment, viewer),
        "score_mdc": SCORE_MDC,
        "refilm_due": bool(assignment.refilm_due_on and assignment.refilm_due_on <= today),
    }
