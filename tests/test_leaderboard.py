"""The club leaderboard from stored analyses: who is ranked, in what order, in how many
queries, and what it shows (numbers only)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from analysis.models import VideoAnalysis
from club.life.leaderboard import club_boards
from coaching import services
from tests.coaching.helpers import assign_one
from tests.factories import MembershipFactory, UserFactory, VideoAnalysisFactory, form_report

pytestmark = pytest.mark.django_db


def _analysis(owner, weeks_ago, score, *, quality="good", view="side", **extra):
    made = VideoAnalysisFactory(owner=owner, view=view, score=score, quality=quality, **extra)
    at = timezone.now() - dt.timedelta(weeks=weeks_ago)
    VideoAnalysis.objects.filter(pk=made.pk).update(created_at=at)
    return made


def test_the_order_follows_the_improvement_rule(personas):
    _analysis(personas.member, 9, 50), _analysis(personas.member, 1, 75)
    _analysis(personas.clubmate, 6, 60), _analysis(personas.clubmate, 1, 70)
    _analysis(personas.owner, 6, 60), _analysis(personas.owner, 1, 62)
    rows = club_boards(personas.club, weeks=8).form_rows
    assert [(r["rank"], r["member_id"], r["trend"]) for r in rows] == [
        (1, personas.member.pk, "improving"),
        (2, personas.clubmate.pk, "improving"),
        (None, personas.owner.pk, "steady"),
    ]


def test_poor_quality_clips_do_not_count(personas):
    _analysis(personas.member, 6, 40, quality="poor"), _analysis(personas.member, 1, 90)
    boards = club_boards(personas.club, weeks=8)
    assert boards.form_rows == []
    need = {m["name"]: m["need"] for m in boards.missing_rows}[personas.member.first_name]
    assert "one more analysis" in need


def test_a_member_who_opted_out_is_not_on_the_board(personas):
    personas.member.show_on_leaderboards = False
    personas.member.save()
    _analysis(personas.member, 6, 40), _analysis(personas.member, 1, 90)
    boards = club_boards(personas.club, weeks=8)
    assert personas.member.pk not in boards.names


def test_other_clubs_members_never_appear(personas):
    stranger = MembershipFactory(user=UserFactory()).user
    _analysis(stranger, 6, 10), _analysis(stranger, 1, 90)
    assert club_boards(personas.club, weeks=8).form_rows == []


def test_the_query_count_does_not_grow_with_the_club(personas):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            club_boards(personas.club, weeks=8)
        return len(queries)

    small = count()
    for _ in range(15):
        member = MembershipFactory(club=personas.club, user=UserFactory()).user
        _analysis(member, 10, 50), _analysis(member, 4, 60), _analysis(member, 1, 70)
    assert count() == small


def test_per_metric_boards_reward_moving_toward_the_band(personas):
    _analysis(personas.member, 6, 60, report=form_report({"overstride_pct_leg": 20.0}))
    _analysis(personas.member, 1, 80, report=form_report({"overstride_pct_leg": 9.0}))
    tables = {name: rows for name, _, rows in club_boards(personas.club, weeks=8).metric_tables}
    assert tables["overstride_pct_leg"][0]["trend"] == "improving"


def test_the_club_page_and_api_show_scores_not_media(personas, client_for):
    clip = _analysis(personas.member, 6, 50, visibility="private")
    _analysis(personas.member, 1, 75, visibility="private")
    page = client_for(personas.clubmate).get("/clubs/riverside/").content.decode()
    assert f'data-member="{personas.member.pk}"' in page and f"/form/{clip.pk}/" not in page
    api = APIClient()
    api.force_authenticate(personas.clubmate)
    body = api.get(f"/api/clubs/{personas.club.pk}/leaderboard/?period=8w").json()
    assert body["form"][0]["member_id"] == personas.member.pk and body["period_weeks"] == 8
    assert "/form/" not in str(body)


def test_an_outsider_gets_no_leaderboard(personas, client_for):
    assert client_for(personas.outsider).get("/clubs/riverside/leaderboard/").status_code == 404
    api = APIClient()
    api.force_authenticate(personas.outsider)
    assert api.get(f"/api/clubs/{personas.club.pk}/leaderboard/").status_code == 404


def test_the_adherence_board_counts_sessions_scheduled_in_the_period(personas):
    daily = assign_one(personas.coach, personas.member, per_week=7, days_ago=3)
    for days_ago in (3, 2):
        services.log_session(
            athlete=personas.member,
            assignment=daily,
            done_on=timezone.localdate() - dt.timedelta(days=days_ago),
        )
    rows = club_boards(personas.club, weeks=4).adherence
    assert [(r["member_id"], r["done"], r["due"], r["pct"]) for r in rows] == [
        (personas.member.pk, 2, 4, 50)
    ]
