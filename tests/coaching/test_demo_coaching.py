"""The demo has a coaching story to look at, seeded once."""

import pytest
from django.core.management import call_command
from django.test import Client

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
