"""Leaderboard at scale: a club of 1,000 members and 50,000 analyses, ours beside a naive
per-member computation.

    .venv/bin/python bench/leaderboard.py [--members 1000] [--analyses 50000] [--repeat 3]

Seeds a fresh SQLite database in a temporary folder (or the one DATABASE_URL names; the club it
makes is deleted again) with analyses spread over 26 weeks, then prints for the 8-week period:

- ours: `club.life.leaderboard.club_boards` plus rendering the board partial; wall seconds (best of
  --repeat) and the number of SQL queries, which must not grow with the club;
- naive: one query per member for their analyses, ranked with the same rule;

and checks that both give the same order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from analysis.models import VideoAnalysis  # noqa: E402
from club.life.leaderboard import PERIODS_WEEKS, club_boards  # noqa: E402
from club.life.ranking import Sample, improvement_board  # noqa: E402
from club.models import Club, Membership, User  # noqa: E402

WEEKS = 8


def seed(members: int, analyses: int) -> Club:
    club = Club.objects.create(name="Bench club", slug=f"bench-{random.getrandbits(32):x}")
    users = User.objects.bulk_create(
        User(username=f"{club.slug}-{i}", first_name=f"Runner {i:04d}") for i in range(members)
    )
    Membership.objects.bulk_create(Membership(club=club, user=u) for u in users)
    # created_at is spread over the past 26 weeks: bulk_create must not stamp "now".
    VideoAnalysis._meta.get_field("created_at").auto_now_add = False
    rng, now = random.Random(7), timezone.now()
    rows = [_analysis(rng, users[i % members], now) for i in range(analyses)]
    VideoAnalysis.objects.bulk_create(rows, batch_size=2000)
    return club


def _analysis(rng: random.Random, owner: User, now: object) -> VideoAnalysis:
    score = round(rng.uniform(40, 95), 1)
    over = round(rng.uniform(2, 20), 1)
    report = {"metrics": {"overstride_pct_leg": {"value": over}}, "score": score}
    when = now - dt.timedelta(minutes=rng.randrange(26 * 7 * 24 * 60))
    view = "side" if rng.random() < 0.8 else "rear"
    return VideoAnalysis(
        owner=owner, clip="", view=view, score=score, quality="good", report=report, created_at=when
    )


def ours(club: Club) -> list[int]:
    boards = club_boards(club, weeks=WEEKS)
    render_to_string(
        "club/partials/leaderboard.html",
        {"club": club, "boards": boards, "periods": PERIODS_WEEKS},
    )
    return [row["member_id"] for row in boards.form_rows]


def naive(club: Club) -> list[int]:
    start = timezone.now() - dt.timedelta(weeks=WEEKS)
    names, samples = {}, []
    for membership in club.memberships.select_related("user"):
        user = membership.user
        names[user.pk] = user.first_name
        for a in VideoAnalysis.objects.filter(owner=user, quality__in=("good", "fair")):
            samples.append(Sample(user.pk, a.view, a.created_at, a.score))
    board = improvement_board(samples, members=names, start=start)
    return [entry.member_id for _, entry in board.ranked]


def measure(fn: Callable[[Club], list[int]], club: Club, repeat: int) -> tuple[float, int, list]:
    best, queries, result = float("inf"), 0, []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = fn(club)
            best = min(best, time.perf_counter() - started)
        queries = len(captured)
    return best, queries, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--analyses", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    club = seed(args.members, args.analyses)
    print(
        f"seeded {args.members} members, {args.analyses} analyses in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    try:
        report(club, args.repeat)
    finally:
        User.objects.filter(memberships__club=club).delete()
        club.delete()


def report(club: Club, repeat: int) -> None:
    ours_s, ours_q, ours_order = measure(ours, club, repeat)
    naive_s, naive_q, naive_order = measure(naive, club, repeat)
    print(f"{'':<28}{'seconds':>10}{'queries':>10}")
    print(f"{'naive, per member':<28}{naive_s:>10.3f}{naive_q:>10}")
    print(f"{'ours, boards + render':<28}{ours_s:>10.3f}{ours_q:>10}")
    print(
        f"speed-up {naive_s / ours_s:.1f}x; same order: {ours_order == naive_order}; "
        f"ranked {len(ours_order)} of {club.memberships.count()}"
    )


if __name__ == "__main__":
    main()
