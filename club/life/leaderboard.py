"""A club's boards for a period, read in a fixed number of queries whatever the club's size.

Two queries fetch the samples (the analyses inside the period; the last one of each member and
view before it, picked by a window function in the database), one the members, two the drill
adherence. Ranking itself is pure (club.life.ranking).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from analysis.core import metrics as registry
from analysis.core.runs.cadence import personal_target_spm
from analysis.models import VideoAnalysis
from club.life.ranking import Board, Sample, closeness, improvement_board
from club.models import Club, Membership
from club.services import refresh_club_region
from coaching.models import Adherence, Assignment, DrillSession

PERIODS_WEEKS = (4, 8, 12)
ADEQUATE = VideoAnalysis.ADEQUATE_QUALITY


@dataclass
class Boards:
    club: Club
    weeks: int
    start: dt.datetime
    names: dict[int, str]
    form: Board
    metrics: dict[str, Board]
    adherence: list[dict]

    def rows(self, board: Board) -> list[dict]:
        """A board as template rows: scores and changes only, never links to clips."""
        return [
            {
                "rank": rank,
                "member_id": e.member_id,
                "name": self.names[e.member_id],
                "view": e.view,
                "baseline": round(e.baseline, 1),
                "latest": round(e.latest, 1),
                "change": e.change,
                "trend": e.trend,
                "analyses": e.analyses,
            }
            for rank, e in board.ranked
        ]

    score_mdc: float = registry.SCORE_MDC
    score_mdc_how: str = registry.SCORE_REPEATABILITY.how

    @property
    def form_rows(self) -> list[dict]:
        return self.rows(self.form)

    @property
    def missing_rows(self) -> list[dict]:
        return [{"name": self.names[m.member_id], "need": m.need} for m in self.form.missing]

    @property
    def metric_tables(self) -> list[tuple[str, str, list[dict]]]:
        return [
            (name, registry.REGISTRY[name].board, self.rows(board))
            for name, board in self.metrics.items()
            if board.ranked
        ]


def parse_period(raw: str | None) -> int:
    """'8w' or '8' -> 8; anything else -> the default of 8 weeks."""
    digits = (raw or "").lower().removesuffix("w")
    return int(digits) if digits.isdigit() and int(digits) in PERIODS_WEEKS else 8


def club_boards(club: Club, *, weeks: int, now: dt.datetime | None = None) -> Boards:
    start = (now or timezone.now()) - dt.timedelta(weeks=weeks)
    people = list(
        club.memberships.filter(user__show_on_leaderboards=True).values_list(
            "user_id", "user__first_name", "user__username", "user__height_cm"
        )
    )
    names = {pk: first or username for pk, first, username, _ in people}
    heights = {pk: height for pk, _, _, height in people}
    samples = _samples(club, start)
    return Boards(
        club=club,
        weeks=weeks,
        start=start,
        names=names,
        form=improvement_board(samples, members=names, start=start),
        metrics={m: _metric_board(m, samples, names, heights, start) for m in registry.BOARDS},
        adherence=_adherence_board(club, names, start.date(), (now or timezone.now()).date()),
    )


def _metric_board(
    metric: str, samples: list[Sample], names: dict, heights: dict, start: dt.datetime
) -> Board:
    spec = registry.REGISTRY[metric]

    def value(sample: Sample) -> float | None:
        good = spec.band.good
        if spec.personal and heights.get(sample.member_id):
            good = personal_target_spm(height_cm=heights[sample.member_id])
        return closeness(sample.metrics.get(metric), good=good)

    return improvement_board(
        samples, members=names, start=start, value=value, noise=registry.mdc95(metric)
    )


def _analyses(club: Club) -> object:
    members = Membership.objects.filter(club=club, user__show_on_leaderboards=True)
    fields = {m: KT(f"report__metrics__{m}__value") for m in registry.BOARDS}
    return (
        VideoAnalysis.objects.filter(
            owner_id__in=members.values("user_id"), score__isnull=False, quality__in=ADEQUATE
        )
        .exclude(view="")
        .values("owner_id", "view", "created_at", "score")
        .annotate(**fields)
    )


def _samples(club: Club, start: dt.datetime) -> list[Sample]:
    inside = _analyses(club).filter(created_at__gte=start)
    before = (
        _analyses(club)
        .filter(created_at__lt=start)
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("owner_id"), F("view")],
                order_by=F("created_at").desc(),
            )
        )
        .filter(newest=1)
    )
    return [_sample(row) for rows in (inside, before) for row in rows]


def _sample(row: dict) -> Sample:
    metrics = {m: float(row[m]) for m in registry.BOARDS if row.get(m) not in (None, "")}
    return Sample(row["owner_id"], row["view"], row["created_at"], row["score"], metrics)


def _adherence_board(
    club: Club, names: dict[int, str], start: dt.date, today: dt.date
) -> list[dict]:
    """Share of scheduled drill sessions done in the period, best first (members with none
    scheduled are left out: no plan is not a score)."""
    plans = Assignment.objects.filter(
        athlete_id__in=list(names), cancelled_at__isnull=True, ends_on__gte=start
    ).filter(starts_on__lte=today)
    due: Counter[int] = Counter()
    for plan in plans:
        due[plan.athlete_id] += _due_in(plan, start, today)
    done = Counter(
        DrillSession.objects.filter(
            assignment__in=plans, done_on__gte=start, done_on__lte=today
        ).values_list("assignment__athlete_id", flat=True)
    )
    totals = {m: Adherence(min(done[m], d), d) for m, d in due.items() if d}
    rows = [
        {"member_id": m, "name": names[m], "done": a.done, "due": a.due, "pct": int(a.pct)}
        for m, a in totals.items()
    ]
    return sorted(rows, key=lambda r: (-r["pct"], -r["done"], r["name"].lower()))


def _due_in(plan: object, start: dt.date, today: dt.date) -> int:
    before = plan.due_by(start - dt.timedelta(days=1)) if start > plan.starts_on else 0
    return plan.due_by(today) - before


def refresh_leaderboards(member_id: int) -> None:
    """A member's analysis landed: every open board of their clubs re-reads itself."""
    for pk, slug in Club.objects.filter(memberships__user_id=member_id).values_list("pk", "slug"):
        url = reverse("club-leaderboard", args=[slug])
        for weeks in PERIODS_WEEKS:
            refresh_club_region(
                pk, region=f"leaderboard-{pk}-{weeks}", url=f"{url}?period={weeks}w&part=board"
            )
