import pytest
from rest_framework.test import APIClient

from club.models import ApiToken, Membership
from tests.factories import ClubFactory, NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_anonymous_gets_401_or_403(personas):
    assert APIClient().get("/api/clubs/").status_code in (401, 403)


def test_token_authentication(personas, password):
    response = APIClient().post("/api/token/", {"username": "member", "password": password})
    token = response.json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/").json()["username"] == "member"
    assert ApiToken.objects.filter(user=personas.member).exists()


def test_club_list_is_scoped_to_my_clubs(api_for, personas):
    ClubFactory(name="Elsewhere")
    names = [c["name"] for c in api_for(personas.member).get("/api/clubs/").json()["results"]]
    assert names == ["Riverside"]
    assert api_for(personas.outsider).get("/api/clubs/").json()["results"] == []


def test_outsider_cannot_read_club_detail(api_for, personas):
    assert api_for(personas.outsider).get(f"/api/clubs/{personas.club.pk}/").status_code == 404


def test_create_join_leave_over_api(api_for, personas):
    client = api_for(personas.outsider)
    created = client.post("/api/clubs/", {"name": "API Club"}).json()
    assert created["my_role"] == "owner"
    joined = client.post("/api/clubs/join/", {"invite_code": personas.club.invite_code})
    assert joined.json()["my_role"] == "member"
    assert client.post(f"/api/clubs/{personas.club.pk}/leave/").status_code == 204
    assert personas.club.role_of(personas.outsider) is None


def test_join_with_bad_code_is_404_and_changes_nothing(api_for, personas):
    response = api_for(personas.outsider).post("/api/clubs/join/", {"invite_code": "nope"})
    assert response.status_code == 404
    assert not Membership.objects.filter(user=personas.outsider).exists()


def test_role_change_only_by_owner(api_for, personas):
    url = f"/api/clubs/{personas.club.pk}/role/"
    body = {"user_id": personas.clubmate.pk, "role": "coach"}
    assert api_for(personas.coach).post(url, body).status_code == 403
    assert api_for(personas.owner).post(url, body).json()["role"] == "coach"


def test_notifications_api_is_scoped_and_marks_read(api_for, personas):
    mine = NotificationFactory(recipient=personas.member)
    theirs = NotificationFactory(recipient=personas.clubmate)
    client = api_for(personas.member)
    assert [n["id"] for n in client.get("/api/notifications/").json()["results"]] == [mine.pk]
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/notifications/{mine.pk}/read/").json()["read_at"] is not None


def test_me_patch_validates(api_for, personas):
    client = api_for(personas.member)
    assert client.patch("/api/me/", {"height_cm": 20}, format="json").status_code == 400
    assert client.patch("/api/me/", {"height_cm": 171}, format="json").json()["height_cm"] == 171


def test_openapi_schema_lists_the_api(api_for, personas):
    response = api_for(personas.member).get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"]
    assert "/api/clubs/" in paths and "/api/notifications/" in paths


def test_api_docs_page_uses_only_local_assets(api_for, personas, client):
    client.force_login(personas.member)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn." not in page and "/static/" in page
