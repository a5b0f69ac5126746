"""Before and after only between analyses one may compare: the same view, both of adequate
capture quality, "after" later than "before"; a change counts only beyond the measured MDC."""

import datetime as dt

import pytest
from django.utils import timezone

from analysis.core import metrics as registry
from analysis.models import VideoAnalysis, comparable_pair
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory, form_report

pytestmark = pytest.mark.django_db


def _at(analysis, days_ago):
    when = timezone.now() - dt.timedelta(days=days_ago)
    VideoAnalysis.objects.filter(pk=analysis.pk).update(created_at=when)
    analysis.refresh_from_db()
    return analysis


def _made(owner, days_ago, values, **kwargs):
    return _at(VideoAnalysisFactory(owner=owner, report=form_report(values), **kwargs), days_ago)


def test_the_previous_analysis_skips_poor_captures_other_views_and_later_ones(personas):
    me = personas.member
    good = _made(me, 20, {"trunk_lean_deg": 8.0})
    _made(me, 15, {"trunk_lean_deg": 8.0}, quality="poor")
    _made(me, 12, {"pelvic_drop_deg": 4.0}, view="rear")
    now = _made(me, 10, {"trunk_lean_deg": 9.0})
    _made(me, 5, {"trunk_lean_deg": 9.0})
    assert now.previous_of_same_view(me) == good


def test_no_comparison_across_views_qualities_or_backwards_in_time(personas):
    me = personas.member
    early = _made(me, 20, {"overstride_pct_leg": 20.0})
    late = _made(me, 2, {"overstride_pct_leg": 10.0})
    rear = _made(me, 1, {"pelvic_drop_deg": 4.0}, view="rear")
    poor = _made(me, 1, {"overstride_pct_leg": 12.0}, quality="poor")
    assert comparable_pair(early, late) and late.compare_with(early)
    assert early.compare_with(late) == []  # "after" older than "before"
    assert rear.compare_with(early) == [] and poor.compare_with(early) == []


def test_rows_carry_labels_and_tell_real_change_from_noise(personas):
    me = personas.member
    mdc = registry.mdc95("overstride_pct_leg")
    before = _made(me, 20, {"overstride_pct_leg": 20.0, "trunk_lean_deg": 8.0})
    after = _made(me, 2, {"overstride_pct_leg": 20.0 - 2 * mdc, "trunk_lean_deg": 8.2})
    rows = {r["name"]: r for r in after.compare_with(before)}
    assert rows["overstride_pct_leg"]["label"] == "Heel landing ahead of the hip"
    assert rows["overstride_pct_leg"]["real"] and not rows["trunk_lean_deg"]["real"]


def test_a_refilm_is_never_older_than_its_baseline(personas):
    me = personas.member
    older = _made(me, 30, {"overstride_pct_leg": 12.0})
    baseline = _made(me, 10, {"overstride_pct_leg": 20.0})
    assignment = assign_one(
        personas.coach, me, refilm_after_weeks=2, refilm_view="side", baseline=baseline
    )
    assignment.starts_on = (timezone.now() - dt.timedelta(days=40)).date()
    assignment.save(update_fields=["starts_on"])
    assert assignment.refilm_analysis(me) is None  # `older` predates the baseline
    assert older.pk != baseline.pk
    later = _made(me, 1, {"overstride_pct_leg": 9.0})
    _made(me, 0, {"overstride_pct_leg": 8.0}, quality="poor")
    assert assignment.refilm_analysis(me) == later
