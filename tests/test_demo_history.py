"""The demo form history follows the real rules: reports judged by the real scoring (values
with intervals), comparable analyses in time order, and a board and an inbox that agree."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from analysis.models import VideoAnalysis
from club.life.leaderboard import club_boards
from club.models import Club, User
from coaching.inbox import coach_inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("seed_demo")
    return Club.objects.get(name="Riverside Runners")


def test_demo_reports_carry_intervals_and_are_comparable(demo):
    analyses = VideoAnalysis.objects.all()
    assert analyses.count() >= 8
    for analysis in analyses:
        assert analysis.is_comparable and analysis.report["score_interval"]["plus_minus"] >= 0
        for m in analysis.report["metrics"].values():
            assert m["interval"][0] <= m["value"] <= m["interval"][1] and m["strides"] == 12


def test_each_demo_analysis_compares_only_with_an_earlier_one_of_its_view(demo):
    for analysis in VideoAnalysis.objects.all():
        before = analysis.previous_of_same_view(analysis.owner)
        if before is not None:
            assert before.created_at < analysis.created_at and before.view == analysis.view
            assert analysis.compare_with(before)


def test_the_board_and_the_inbox_agree_on_who_fell(demo):
    boards = club_boards(demo, weeks=12, now=timezone.now())
    fell = {row["name"] for row in boards.form_rows if row["trend"] == "declining"}
    coach = User.objects.get(username="cora")
    drops = {
        d["latest"].owner.display_name
        for d in coach_inbox(coach, today=timezone.localdate())["drops"]
    }
    names = {u.display_name: (u.first_name or u.username) for u in User.objects.all()}
    assert {names[d] for d in drops} <= fell
