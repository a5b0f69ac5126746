"""The side-by-side page of the video room. Views do HTTP only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from analysis import room
from analysis.access import get_analysis_for_user
from analysis.core import metrics as registry
from club.bounds import MAX_ID


@login_required
def analysis_compare(request: HttpRequest) -> HttpResponse:
    """Two analyses the viewer may see now (`?a=ID&b=ID`), played side by side and stepped
    together stride by stride, with the metrics that differ beyond their measured noise.
    Without two ids, the page offers the analyses to choose from."""
    ids = [_id(request.GET.get(key, "")) for key in ("a", "b")]
    context: dict = {
        "choices": room.choices_for(request.user),
        "sides": [("a", "Left", ids[0]), ("b", "Right", ids[1])],
    }
    if None not in ids:
        left, right = (get_analysis_for_user(request.user, pk) for pk in ids)
        rows, why = room.differences(left, right)
        context.update(
            players=[(room.player(left), left, "left"), (room.player(right), right, "right")],
            pair=(left, right),
            differences=rows,
            not_comparable=why,
            score_difference=_score_difference(left, right) if not why else None,
            score_mdc=registry.SCORE_MDC,
        )
    return render(request, "analysis/compare.html", context)


def _id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _score_difference(left: object, right: object) -> float | None:
    """Right minus left form score, when both have one and it is beyond the score's MDC."""
    if left.score is None or right.score is None:
        return None
    change = right.score - left.score
    return round(change, 1) if abs(change) > registry.SCORE_MDC else 0.0
