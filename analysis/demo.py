"""Demo form history for `make run`: a few weeks of analyses per demo member, so the club's
leaderboard has something to rank. Reports are built by the real scoring from metric values;
they have no clip (the pages say so)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from analysis.core.video.video_report import report_from_values
from analysis.models import VideoAnalysis
from club.models import User, Visibility

# username -> [(weeks ago, view, {metric: value})]
HISTORY = {
    "mia": [
        (10, "side", {"cadence_spm": 158.0, "overstride_pct_leg": 18.0, "trunk_lean_deg": 3.0}),
        (5, "side", {"cadence_spm": 166.0, "overstride_pct_leg": 12.0, "trunk_lean_deg": 6.0}),
        (1, "side", {"cadence_spm": 174.0, "overstride_pct_leg": 7.0, "trunk_lean_deg": 7.0}),
    ],
    "max": [
        (7, "side", {"cadence_spm": 171.0, "overstride_pct_leg": 9.0, "trunk_lean_deg": 8.0}),
        (2, "side", {"cadence_spm": 172.0, "overstride_pct_leg": 8.5, "trunk_lean_deg": 8.0}),
    ],
    "olivia": [
        (6, "rear", {"pelvic_drop_deg": 9.0}),
        (1, "rear", {"pelvic_drop_deg": 6.5}),
    ],
    "sam": [(3, "side", {"cadence_spm": 164.0, "overstride_pct_leg": 14.0})],
}


def report_from(values: dict[str, float], *, view: str) -> dict:
    """A demo report judged and scored like a real one (see report_from_values)."""
    return {**report_from_values(values, view=view), "demo": True}


@transaction.atomic
def seed_demo_analyses() -> int:
    """Once per member: anyone who already has analyses is left alone."""
    made = 0
    for username, history in HISTORY.items():
        owner = User.objects.filter(username=username).first()
        if owner is None or VideoAnalysis.objects.filter(owner=owner).exists():
            continue
        for weeks_ago, view, values in history:
            analysis = VideoAnalysis(
                owner=owner, clip_name="(demo, no clip)", visibility=Visibility.COACHES
            )
            analysis.fill_from_report(report_from(values, view=view))
            analysis.save()
            when = timezone.now() - dt.timedelta(weeks=weeks_ago)
            VideoAnalysis.objects.filter(pk=analysis.pk).update(created_at=when)
            made += 1
    return made
