"""API tokens: several per member, named, listed and revocable (profile page and API); only a
digest is stored; a password change revokes them all.

The reproduction: a token survived a password change and could not be revoked."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from club.models import ApiToken
from club.models.tokens import digest_of

pytestmark = pytest.mark.django_db


def _key(password: str, name: str | None = None, username: str = "member") -> str:
    data = {"username": username, "password": password, **({"name": name} if name else {})}
    response = APIClient().post("/api/token/", data)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _with(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def _refused(key: str) -> bool:
    response = _with(key).get("/api/me/")
    return response.status_code in (401, 403) and "revoked" in response.json()["detail"]


def test_each_sign_in_makes_a_named_token_and_only_its_digest_is_kept(personas, password):
    first, second = _key(password, "watch sync"), _key(password)
    assert first != second
    assert _with(first).get("/api/me/").json()["username"] == "member"
    rows = ApiToken.objects.filter(user=personas.member)
    assert sorted(rows.values_list("name", flat=True)) == ["API sign-in", "watch sync"]
    assert {r.digest for r in rows} == {digest_of(first), digest_of(second)}
    assert not ApiToken.objects.filter(digest__in=[first, second]).exists()


def test_tokens_are_listed_without_their_keys_and_revoked_by_delete(personas, password):
    key = _key(password, "laptop script")
    listed = _with(key).get("/api/tokens/").json()["results"]
    assert [(t["name"], t["prefix"]) for t in listed] == [("laptop script", key[:6])]
    assert "token" not in listed[0] and key not in str(listed)
    assert _with(key).delete(f"/api/tokens/{listed[0]['id']}/").status_code == 204
    assert _refused(key)


def test_a_token_made_through_the_api_shows_its_key_once(personas, password):
    client = _with(_key(password))
    made = client.post("/api/tokens/", {"name": "phone"}).json()
    assert _with(made["token"]).get("/api/me/").status_code == 200
    again = client.get("/api/tokens/").json()["results"]
    assert all("token" not in t for t in again)


def test_nobody_revokes_another_members_token(personas, password, client_for):
    theirs = ApiToken.issue(user=personas.clubmate, name="theirs")[0]
    response = _with(_key(password)).delete(f"/api/tokens/{theirs.pk}/")
    assert response.status_code == 404 and ApiToken.objects.filter(pk=theirs.pk).exists()
    page = client_for(personas.member).post(reverse("token-revoke", args=[theirs.pk]))
    assert page.status_code == 404 and ApiToken.objects.filter(pk=theirs.pk).exists()


def test_a_password_change_on_the_page_revokes_every_token(personas, password, client):
    keys = [_key(password), _key(password)]
    client.force_login(personas.member)
    new = "another-long-and-unusual-pass"
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert all(_refused(k) for k in keys)
    assert "API tokens you had are revoked" in client.get(response["Location"]).content.decode()


def test_any_password_change_revokes_the_tokens(personas, password):
    key = _key(password)
    personas.member.set_password("set-by-an-admin-0042")
    personas.member.save()
    assert _refused(key)


def test_saving_a_member_without_a_new_password_keeps_the_tokens(personas, password):
    key = _key(password)
    personas.member.first_name = "Renamed"
    personas.member.save()
    assert _with(key).get("/api/me/").status_code == 200


def test_the_profile_lists_makes_and_revokes_tokens(personas, client_for):
    client = client_for(personas.member)
    made = client.post(reverse("token-create"), {"name": "garmin bridge"})
    key = made.context["new_key"]
    assert key in made.content.decode() and _with(key).get("/api/me/").status_code == 200
    page = client.get(reverse("profile")).content.decode()
    assert "garmin bridge" in page and key not in page and key[:6] in page
    token = ApiToken.objects.get(user=personas.member)
    client.post(reverse("token-revoke", args=[token.pk]))
    assert _refused(key)


def test_a_member_keeps_at_most_twenty_tokens_and_loses_the_longest_unused(personas):
    oldest = ApiToken.issue(user=personas.member, name="oldest")[0]
    for i in range(ApiToken.MAX_PER_USER):
        ApiToken.issue(user=personas.member, name=f"t{i}")
    names = set(ApiToken.objects.filter(user=personas.member).values_list("name", flat=True))
    assert len(names) == ApiToken.MAX_PER_USER and oldest.name not in names
