"""Every redirect that takes an address from the request stays on this site: an attacker's
link (`?next=https://evil.example`) lands the member on our dashboard, not on a look-alike."""

import pytest
from django.urls import reverse

from club.redirects import safe_next
from tests.coaching.helpers import assign_one

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " https://evil.example",
]


def _sign_up(client, next_url: str):
    return client.post(
        reverse("signup") + "?next=" + next_url.replace("#", "%23"),
        {
            "username": "newbie",
            "password1": "a-long-and-unusual-pass",
            "password2": "a-long-and-unusual-pass",
        },
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_up_never_sends_the_new_member_off_site(client, target):
    response = _sign_up(client, target)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_sign_up_still_returns_to_a_page_of_ours(client, personas):
    response = _sign_up(client, personas.club.get_invite_url())
    assert response["Location"] == personas.club.get_invite_url()


@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_a_drill_session_never_redirects_off_site(personas, client_for, target):
    assignment = assign_one(personas.coach, personas.member)
    response = client_for(personas.member).post(
        reverse("session-log", args=[assignment.pk]),
        {"done_on": assignment.starts_on.isoformat(), "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == assignment.get_absolute_url()


def test_logging_a_drill_session_returns_to_the_to_do_list(personas, client_for):
    assignment = assign_one(personas.coach, personas.member)
    response = client_for(personas.member).post(
        reverse("session-log", args=[assignment.pk]),
        {"done_on": assignment.starts_on.isoformat(), "next": reverse("todo")},
    )
    assert response["Location"] == reverse("todo")


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_sends_the_member_off_site(client, personas, password, target):
    response = client.post(
        reverse("login") + "?next=" + target, {"username": "member", "password": password}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_referer_from_elsewhere_is_not_followed(rf):
    request = rf.post("/feed/1/kudos/", HTTP_REFERER="https://evil.example/x")
    assert safe_next(request, request.META["HTTP_REFERER"], "dashboard") == reverse("dashboard")
    own = "http://testserver/clubs/riverside/"
    assert safe_next(request, own, "dashboard") == own
