"""Re-film loop: the next analysis of the view shows before and after for the targeted metrics."""

import pytest
from django.utils import timezone

from coaching.inbox import assignment_context
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory, form_report

pytestmark = pytest.mark.django_db


def test_before_and_after_cover_only_the_metrics_the_drills_target(personas, client_for):
    before = VideoAnalysisFactory(
        owner=personas.member,
        report=form_report({"overstride_pct_leg": 20.0, "elbow_angle_deg": 90.0}),
    )
    assignment = assign_one(
        personas.coach,
        personas.member,
        "pogo-hops",
        refilm_after_weeks=4,
        refilm_view="side",
        baseline=before,
    )
    after = VideoAnalysisFactory(
        owner=personas.member,
        report=form_report({"overstride_pct_leg": 9.5, "elbow_angle_deg": 80.0}),
    )
    context = assignment_context(assignment, viewer=personas.member, today=timezone.localdate())
    assert context["after"] == after
    assert [(r["name"], r["change"]) for r in context["comparison"]] == [
        ("overstride_pct_leg", -10.5)
    ]
    html = client_for(personas.member).get(assignment.get_absolute_url()).content.decode()
    assert 'id="refilm-comparison"' in html


def test_an_analysis_of_the_other_view_is_not_the_refilm(personas):
    before = VideoAnalysisFactory(owner=personas.member, view="side")
    assignment = assign_one(
        personas.coach, personas.member, refilm_after_weeks=2, refilm_view="side", baseline=before
    )
    VideoAnalysisFactory(owner=personas.member, view="rear")
    assert assignment.refilm_analysis(personas.member) is None
