"""Malformed, too deep or wrongly shaped JSON bodies get a 400 with a JSON error, nothing else."""

import json

import pytest
from rest_framework.test import APIClient

from coaching.models import Drill

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(personas) -> APIClient:
    client = APIClient()
    client.force_authenticate(personas.coach)
    return client


def post_raw(api: APIClient, body: str, url: str = "/api/drills/"):
    return api.generic("POST", url, body, content_type="application/json")


@pytest.mark.parametrize(
    "body,says",
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 20 levels"),
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nested deeper than 20 levels"),
        ('{"name": ' + "[" * 25 + "]" * 25 + "}", "nested deeper than 20 levels"),
        ('{"name": "unterminated', "JSON parse error"),
        ('{"name": NaN}', "JSON parse error"),
        ("[1, 2, 3]", "must be a JSON object"),
        ('"just a string"', "must be a JSON object"),
        (b"\xff\xfe{}", "JSON parse error"),
    ],
)
def test_a_bad_json_body_is_a_400_with_a_json_error(api, body, says):
    """The reproduction: 100,000 nested brackets answered 500 (RecursionError)."""
    before = Drill.objects.count()
    response = post_raw(api, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert says in response.json()["detail"]
    assert Drill.objects.count() == before


@pytest.mark.parametrize(
    "url", ["/api/assignments/", "/api/runs/", "/api/feedback/", "/api/coach-links/", "/api/me/"]
)
def test_every_json_endpoint_refuses_deep_nesting(api, url):
    method = "PATCH" if url == "/api/me/" else "POST"
    response = api.generic(method, url, "[" * 50_000, content_type="application/json")
    assert response.status_code == 400 and "nested deeper" in response.json()["detail"]


def test_a_drill_with_stages_nested_as_they_should_be_is_kept(api):
    drill = {
        "name": "Calf raises",
        "category": "mobility",
        "purpose": "Stronger calves.",
        "dose": "3 x 12",
        "steps": ["Rise onto the toes", "Lower slowly"],
        "stages": [["slow", 60], ["fast", 30]],
        "targets": ["cadence_spm"],
    }
    response = post_raw(api, json.dumps(drill))
    assert response.status_code == 201, response.json()
    assert Drill.objects.get(slug=response.json()["slug"]).stages == [["slow", 60], ["fast", 30]]
