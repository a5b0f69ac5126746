"""The demo has a coaching story and a form history to look at, seeded once."""

import pytest
from django.core.management import call_command
from django.test import Client

from club.life.leaderboard import club_boards
from club.models import Club
from coaching.models import Assignment

pytestmark = pytest.mark.django_db


def test_the_demo_coach_has_a_plan_running_for_mia(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assignment = Assignment.objects.get()
    assert (assignment.coach.username, assignment.athlete.username) == ("cora", "mia")
    assert assignment.adherence().done == 3
    client = Client()
    client.login(username="cora", password="riverside-demo")
    assert "Land under your hips" in client.get("/coach/").content.decode()


def test_the_demo_club_leaderboard_ranks_mia_first(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    rows = club_boards(Club.objects.get(name="Riverside Runners"), weeks=8).form_rows
    assert [(r["rank"], r["name"]) for r in rows][0] == (1, "Mia Member")
    assert {r["name"]: r["trend"] for r in rows}["Max Member"] == "steady"
