"""Coaching writes that span models and refresh open pages: assign, log, comment, suggest."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from analysis import room
from analysis.core.video import marks
from analysis.models import FILMED_VIEWS, VideoAnalysis
from club.access import can_comment, thread_people
from club.events import publish
from club.models import (
    Club,
    ClubActionError,
    CoachLink,
    Notification,
    Run,
    User,
    coaches_see,
)
from club.services import notify, refresh_region
from coaching.events import SessionLogged
from coaching.models import (
    Assignment,
    AssignmentItem,
    Comment,
    Drill,
    DrillSession,
    Suggestion,
    schedule_errors,
)


def refresh_inbox(coach_ids: list[int]) -> None:
    refresh_region(coach_ids, region="inbox", url=reverse("coach-inbox") + "?part=inbox")


def refresh_todo(athlete_ids: list[int]) -> None:
    refresh_region(athlete_ids, region="todo", url=reverse("todo") + "?part=todo")


@dataclass
class Plan:
    """What a coach fills in to assign: drills with doses, the schedule and a note."""

    drills: list[Drill]
    starts_on: dt.date
    ends_on: dt.date
    sessions_per_week: int = 3
    doses: dict[str, str] = field(default_factory=dict)
    title: str = ""
    note: str = ""
    refilm_after_weeks: int | None = None
    refilm_view: str = ""
    baseline: VideoAnalysis | None = None


def athletes_in_club(coach: User, club: Club) -> list[User]:
    """Everyone a coach may assign to in one club: its members, if the coach coaches it."""
    if not club.is_coached_by(coach):
        raise ClubActionError(f"You do not coach {club.name}.")
    return list(User.objects.athletes_of(coach).filter(memberships__club=club).distinct())


@transaction.atomic
def assign(
    *, coach: User, athletes: Iterable[User], plan: Plan, club: Club | None = None
) -> list[Assignment]:
    """One assignment per athlete (sharing a batch), each told at once on their open pages."""
    athletes = list(athletes)
    _check_plan(coach, athletes, plan)
    first: Assignment | None = None
    made = []
    for athlete in athletes:
        assignment = _create_assignment(coach, athlete, plan, club, first)
        first = first or assignment
        made.append(assignment)
        notify(
            athlete,
            kind=Notification.Kind.DRILL,
            title=f"New from {coach.display_name}: {assignment.title}",
            body=plan.note,
            link=assignment.get_absolute_url(),
        )
    refresh_todo([a.pk for a in athletes])
    refresh_inbox([coach.pk])
    return made


def _check_plan(coach: User, athletes: list[User], plan: Plan) -> None:
    if not athletes:
        raise ClubActionError("Choose at least one athlete.")
    if not plan.drills:
        raise ClubActionError("Choose at least one drill.")
    errors = schedule_errors(plan.starts_on, plan.ends_on, today=timezone.localdate())
    if errors:
        raise ClubActionError(next(iter(errors.values())))
    coached = set(
        User.objects.athletes_of(coach)
        .filter(pk__in=[a.pk for a in athletes])
        .values_list("pk", flat=True)
    )
    stranger = next((a for a in athletes if a.pk not in coached), None)
    if stranger is not None:
        raise ClubActionError(f"You do not coach {stranger.display_name}.")


def _create_assignment(
    coach: User, athlete: User, plan: Plan, club: Club | None, first: Assignment | None
) -> Assignment:
    assignment = Assignment.objects.create(
        coach=coach,
        athlete=athlete,
        club=club,
        batch=first.batch if first else uuid.uuid4(),
        title=(plan.title or ", ".join(d.name for d in plan.drills))[:120],
        note=plan.note,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        sessions_per_week=plan.sessions_per_week,
        refilm_after_weeks=plan.refilm_after_weeks,
        refilm_view=plan.refilm_view,
        baseline=plan.baseline if plan.baseline and plan.baseline.owner_id == athlete.pk else None,
    )
    AssignmentItem.objects.bulk_create(
        AssignmentItem(assignment=assignment, drill=d, dose=plan.doses.get(d.slug, ""), position=i)
        for i, d in enumerate(plan.drills)
    )
    return assignment


@transaction.atomic
def log_session(*, athlete: User, assignment: Assignment, **values: object) -> DrillSession:
    """The athlete ticks a session off; their coach's inbox hears of it."""
    if assignment.athlete_id != athlete.pk:
        raise ClubActionError("Only the athlete can log sessions of their assignment.")
    if assignment.cancelled_at is not None:
        raise ClubActionError("This assignment was cancelled.")
    session = DrillSession(assignment=assignment, **values)
    _check_session_date(assignment, session.done_on)
    session.full_clean()
    session.save()
    publish(SessionLogged(session))
    # The coach who gave the plan hears of it only while they still coach the athlete.
    if User.objects.is_coach_of(assignment.coach, athlete):
        notify(
            assignment.coach,
            kind=Notification.Kind.DRILL,
            title=f"{athlete.display_name} did {assignment.title}",
            body=session.note,
            link=assignment.get_absolute_url(),
        )
        refresh_inbox([assignment.coach_id])
    refresh_todo([athlete.pk])
    return session


def _check_session_date(assignment: Assignment, done_on: dt.date) -> None:
    today = timezone.localdate()
    if done_on > today:
        raise ClubActionError("A session cannot be logged in the future.")
    if not assignment.starts_on <= done_on <= assignment.ends_on:
        raise ClubActionError(
            f"The date must fall within the assignment ({assignment.starts_on:%d %b} to "
            f"{assignment.ends_on:%d %b %Y})."
        )


@transaction.atomic
def comment(
    *,
    author: User,
    target: VideoAnalysis | Run,
    body: str,
    metric: str = "",
    keyframe: str = "",
    at_s: float | None = None,
    drawing: dict | None = None,
) -> Comment:
    """Add to an item's thread; everyone else in the thread is told and their pages refresh.
    A comment on an analysis may be pinned to a moment of its clip (`at_s`), with a line or
    an angle drawn on that frame, whose angle is measured here in the frame's true shape."""
    if not can_comment(author, target):
        raise ClubActionError("Only the athlete and their coaches can comment here.")
    body = body.strip()
    if not body:
        raise ClubActionError("Write something first.")
    field_name = "analysis" if isinstance(target, VideoAnalysis) else "run"
    pin = _pin(target, at_s, drawing)
    made = Comment.objects.create(
        author=author,
        body=body[:2000],
        metric=metric,
        keyframe=keyframe,
        **pin,
        **{field_name: target},
    )
    moment = f" at {room.clip_time(made.at_s)}" if made.is_pinned else ""
    for person in _listeners(made, target):
        notify(
            person,
            kind=Notification.Kind.COMMENT,
            title=f"{author.display_name} commented on {_label(target)}{moment}",
            body=body[:300],
            link=target.get_absolute_url() + "#feedback",
        )
    region, url = thread_region(target)
    refresh_region(list(thread_people(target)), region=region, url=url)
    return made


def _pin(target: VideoAnalysis | Run, at_s: float | None, drawing: dict | None) -> dict:
    """The pinned moment and drawing of a new comment, checked against the clip: a moment
    within it, a drawing only on a moment, its angle measured on the clip's own frame."""
    if at_s is None:
        if drawing:
            raise ClubActionError("Pin the comment to a moment of the clip to draw on it.")
        return {}
    if not isinstance(target, VideoAnalysis):
        raise ClubActionError("Only a comment on a clip can be pinned to a moment.")
    duration = room.clip_duration_s(target)
    if not (math.isfinite(at_s) and 0 <= at_s <= duration):
        raise ClubActionError(f"Pin the comment to a moment from 0 to {duration:.2f} s.")
    pin = {"at_s": round(float(at_s), 3)}
    if drawing:
        pin.update(_measured(target, drawing))
    return pin


def _measured(analysis: VideoAnalysis, drawing: dict) -> dict:
    size = room.frame_size(analysis)
    if size is None:
        raise ClubActionError("This clip can no longer be read, so nothing can be drawn on it.")
    try:
        parsed = marks.parse(drawing)
        angle = marks.measure_deg(drawing=parsed, width_px=size[0], height_px=size[1])
    except marks.BadDrawing as exc:
        raise ClubActionError(str(exc)) from None
    return {"drawing": parsed, "drawing_deg": angle}


def _listeners(made: Comment, target: VideoAnalysis | Run) -> list[User]:
    """A coach's comment goes to the athlete; the athlete's reply to the coaches in the thread
    (or to all their coaches when none has spoken yet)."""
    if made.author_id != target.owner_id:
        return [target.owner]
    coaches = User.objects.coaches_of(target.owner).filter(pk__in=thread_people(target))
    spoke = Comment.objects.on(target).exclude(author=target.owner).values("author_id")
    in_thread = coaches.filter(pk__in=spoke)
    return list(in_thread if in_thread.exists() else coaches)


def _label(target: VideoAnalysis | Run) -> str:
    if isinstance(target, VideoAnalysis):
        return f"your form analysis of {target.created_at:%d %b}"
    return f"your run of {target.start_local:%d %b}"


def thread_region(target: VideoAnalysis | Run) -> tuple[str, str]:
    kind = "analysis" if isinstance(target, VideoAnalysis) else "run"
    return f"feedback-{kind}-{target.pk}", reverse("feedback-thread", args=[kind, target.pk])


def suggest_from_analysis(analysis: VideoAnalysis) -> list[Suggestion]:
    """Each finding's drills, proposed to each coach who may see the analysis."""
    findings = (analysis.report or {}).get("findings") or []
    if not coaches_see(analysis.visibility) or not findings or not analysis.is_comparable:
        return []  # a poor capture's findings are no basis for a plan
    known = set(Drill.objects.filter(author__isnull=True).values_list("slug", flat=True))
    made = []
    for coach in User.objects.coaches_of(analysis.owner):
        for finding in findings:
            made.append(_suggest(analysis, coach, finding, known))
        refresh_inbox([coach.pk])
    return made


def _suggest(analysis: VideoAnalysis, coach: User, finding: dict, known: set[str]) -> Suggestion:
    suggestion, _ = Suggestion.objects.get_or_create(
        analysis=analysis,
        coach=coach,
        finding_code=finding["code"],
        defaults={
            "athlete": analysis.owner,
            "severity": finding.get("severity", ""),
            "message": finding.get("message", ""),
            "drills": [s for s in finding.get("drills", []) if s in known],
        },
    )
    return suggestion


@transaction.atomic
def approve_suggestion(*, coach: User, suggestion: Suggestion, plan: Plan) -> Assignment:
    """One click: the suggestion becomes an assignment to its athlete. Every coach of the
    athlete got a copy of the finding; approving one settles the others, so the athlete gets
    one plan. The copies are locked in one order, so two coaches approving at once wait for
    each other and the second is told who planned it."""
    copies = list(Suggestion.objects.copies_of(suggestion).select_for_update().order_by("pk"))
    mine = next((s for s in copies if s.pk == suggestion.pk), None)
    if mine is None or mine.coach_id != coach.pk:
        raise ClubActionError("This suggestion is not yours.")
    _refuse_if_settled(mine, copies)
    (assignment,) = assign(coach=coach, athletes=[mine.athlete], plan=plan)
    now = timezone.now()
    mine.status, mine.assignment, mine.decided_at = Suggestion.Status.APPROVED, assignment, now
    mine.save(update_fields=["status", "assignment", "decided_at"])
    others = [s for s in copies if s.pk != mine.pk and s.status == Suggestion.Status.PENDING]
    Suggestion.objects.filter(pk__in=[s.pk for s in others]).update(
        status=Suggestion.Status.PLANNED, assignment=assignment, decided_at=now
    )
    refresh_inbox([s.coach_id for s in others])
    return assignment


def _refuse_if_settled(mine: Suggestion, copies: list[Suggestion]) -> None:
    approved = next((s for s in copies if s.status == Suggestion.Status.APPROVED), None)
    if approved is not None and approved.pk != mine.pk:
        planner = User.objects.filter(pk=approved.coach_id).first()
        name = planner.display_name if planner else "Another coach"
        when = f" on {approved.decided_at:%d %b}" if approved.decided_at else ""
        raise ClubActionError(f"{name} already planned this{when}.")
    if mine.status != Suggestion.Status.PENDING:
        raise ClubActionError("This suggestion has already been handled.")


def default_plan(suggestion: Suggestion, *, today: dt.date | None = None) -> Plan:
    """A four-week plan of the suggested drills, three times a week, re-film at the end."""
    today = today or timezone.localdate()
    return Plan(
        drills=suggestion.drill_objects(),
        starts_on=today,
        ends_on=today + dt.timedelta(weeks=4),
        sessions_per_week=3,
        refilm_after_weeks=4,
        refilm_view=suggestion.analysis.view if suggestion.analysis.view in FILMED_VIEWS else "",
        baseline=suggestion.analysis,
    )


@transaction.atomic
def dismiss_suggestion(*, coach: User, suggestion: Suggestion) -> None:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.coach_id != coach.pk or suggestion.status != Suggestion.Status.PENDING:
        raise ClubActionError("This suggestion has already been handled.")
    suggestion.status, suggestion.decided_at = Suggestion.Status.DISMISSED, timezone.now()
    suggestion.save(update_fields=["status", "decided_at"])
    refresh_inbox([coach.pk])


def cancel_assignment(assignment: Assignment) -> None:
    """Stop the plan from today; logged sessions stay for the record."""
    assignment.cancelled_at = timezone.now()
    assignment.save(update_fields=["cancelled_at"])
    refresh_todo([assignment.athlete_id])


def invite_athlete(*, coach: User, athlete: User) -> CoachLink:
    """Offer one-to-one coaching; nothing is shared until the athlete accepts."""
    link = CoachLink.invite(coach=coach, athlete=athlete)
    notify(
        athlete,
        kind=Notification.Kind.CLUB,
        title=f"{coach.display_name} offers to coach you",
        link=reverse("todo") + f"#invitation-{link.pk}",
    )
    refresh_todo([athlete.pk])
    return link


def answer_invitation(*, link: CoachLink, accept: bool) -> None:
    link.respond(accept=accept)
    verb = "accepted" if accept else "declined"
    notify(
        link.coach,
        kind=Notification.Kind.CLUB,
        title=f"{link.athlete.display_name} {verb} your coaching invitation",
        link=reverse("coach-inbox"),
    )
    refresh_inbox([link.coach_id])
