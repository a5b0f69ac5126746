"""Form-improvement ranking: pure functions over plain rows (no database).

Rule: a member is ranked over a period when they have at least two analyses of adequate
quality of one view, the latest inside the period and a baseline that is the last one before
the period starts (or, failing that, the first inside it). Improvement = latest score minus
baseline score. A change smaller than the measured minimal detectable change (MDC95, see
analysis.core.metrics.SCORE_REPEATABILITY) is "steady": it never gains a rank. Improvers
come first (largest gain first), then the steady, then those who fell; ties break on the
number of analyses (more first), then by name so the order is stable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from analysis.core.metrics import SCORE_MDC


@dataclass(frozen=True)
class Sample:
    """One finished analysis, reduced to what ranking needs."""

    member_id: int
    view: str
    at: dt.datetime
    score: float | None
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    member_id: int
    view: str
    baseline: float
    latest: float
    analyses: int
    noise: float

    @property
    def change(self) -> float:
        return round(self.latest - self.baseline, 1)

    @property
    def trend(self) -> str:
        if abs(self.change) < self.noise:
            return "steady"
        return "improving" if self.change > 0 else "declining"


@dataclass(frozen=True)
class Missing:
    member_id: int
    need: str


@dataclass(frozen=True)
class Board:
    ranked: list[tuple[int | None, Entry]]  # (rank, entry); steady and declining have no rank
    missing: list[Missing]


def improvement_board(
    samples: Iterable[Sample],
    *,
    members: dict[int, str],
    start: dt.datetime,
    value: Callable[[Sample], float | None] = lambda s: s.score,
    noise: float = SCORE_MDC,
) -> Board:
    """Rank `members` (id -> name) on the change of `value` over the period from `start`.
    `value` picks what improves (the form score, or a metric turned so larger is better)."""
    by_member: dict[int, dict[str, list[Sample]]] = defaultdict(lambda: defaultdict(list))
    for sample in samples:
        if sample.member_id in members and value(sample) is not None:
            by_member[sample.member_id][sample.view].append(sample)
    entries, missing = [], []
    for member_id in members:
        entry = _best_view(by_member.get(member_id, {}), start, value, noise, member_id)
        if isinstance(entry, Entry):
            entries.append(entry)
        else:
            missing.append(Missing(member_id, entry))
    return Board(ranked=_ordered(entries, members), missing=missing)


def _best_view(
    views: dict[str, list[Sample]],
    start: dt.datetime,
    value: Callable[[Sample], float | None],
    noise: float,
    member_id: int,
) -> Entry | str:
    """The member's entry on the view with the most analyses, or what they still need."""
    candidates = []
    for view, samples in views.items():
        samples.sort(key=lambda s: s.at)
        inside = [s for s in samples if s.at >= start]
        before = [s for s in samples if s.at < start]
        if not inside:
            continue
        baseline = before[-1] if before else inside[0]
        latest = inside[-1]
        if latest is baseline:
            continue
        count = len(inside) + (1 if before else 0)
        candidates.append(Entry(member_id, view, value(baseline), value(latest), count, noise))
    if candidates:
        return max(candidates, key=lambda e: (e.analyses, e.view == "side"))
    return _need(views, start)


def _need(views: dict[str, list[Sample]], start: dt.datetime) -> str:
    if not views:
        return "two analyses of one view: one now and one in a few weeks"
    if any(s.at >= start for samples in views.values() for s in samples):
        return "one more analysis of the same view, a few weeks after the first"
    return "a new analysis of the same view within the period"


def _ordered(entries: list[Entry], members: dict[int, str]) -> list[tuple[int | None, Entry]]:
    order = {"improving": 0, "steady": 1, "declining": 2}
    entries.sort(
        key=lambda e: (
            order[e.trend],
            -e.change if e.trend != "steady" else 0,
            -e.analyses,
            members[e.member_id].lower(),
        )
    )
    ranked, rank = [], 0
    for position, entry in enumerate(entries, start=1):
        if entry.trend == "improving":
            previous = ranked[-1][1] if ranked else None
            same = previous is not None and (previous.change, previous.analyses) == (
                entry.change,
                entry.analyses,
            )
            rank = rank if same else position
            ranked.append((rank, entry))
        else:
            ranked.append((None, entry))
    return ranked


def closeness(value: float | None, *, good: tuple[float, float]) -> float | None:
    """How far inside (0) or outside (negative distance) a good band a value is: larger is
    better, so a metric moving toward its band counts as improving."""
    if value is None:
        return None
    low, high = good
    return -max(low - value, 0.0, value - high)
