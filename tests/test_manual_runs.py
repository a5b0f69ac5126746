import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from club.models import Run

pytestmark = pytest.mark.django_db


def test_logging_a_run_by_hand_stores_it_in_my_time_zone(client_for, personas):
    personas.member.time_zone = "Europe/Berlin"
    personas.member.save()
    response = client_for(personas.member).post(
        reverse("run-new"),
        {
            "date": "2026-06-01",
            "start_time": "07:30",
            "distance_km": "10.5",
            "duration": "0:52:30",
            "perceived_effort": "6",
            "notes": "windy",
            "visibility": "coaches",
        },
    )
    run = Run.objects.get(owner=personas.member)
    assert response["Location"] == run.get_absolute_url()
    assert run.start_utc.isoformat() == "2026-06-01T05:30:00+00:00"
    assert run.start_local.isoformat() == "2026-06-01T07:30:00+02:00"
    assert (run.distance_m, run.moving_time_s, run.perceived_effort) == (10500, 3150, 6)
    assert run.pace_s_per_km == pytest.approx(300)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("duration", "0:00:05", "between 30 seconds and 48 hours"),
        ("distance_km", "-3", "greater than or equal to 0.01"),
        ("perceived_effort", "11", "less than or equal to 10"),
        ("date", "2999-01-01", "in the future"),
    ],
)
def test_bad_manual_input_is_refused_with_a_reason(client_for, personas, field, value, message):
    data = {
        "date": "2026-06-01",
        "distance_km": "5",
        "duration": "0:25:00",
        "visibility": "coaches",
    }
    response = client_for(personas.member).post(reverse("run-new"), {**data, field: value})
    assert message in response.content.decode()
    assert not Run.objects.exists()


def test_manual_run_over_the_api(personas):
    client = APIClient()
    client.force_authenticate(personas.member)
    response = client.post(
        "/api/runs/",
        {"date": "2026-06-01", "distance_km": "5", "duration": "00:25:00"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["distance_m"] == 5000
    bad = client.post(
        "/api/runs/",
        {"date": "2026-06-01", "distance_km": "5", "duration": "0:00:01"},
        format="json",
    )
    assert bad.status_code == 400 and "duration" in bad.json()
