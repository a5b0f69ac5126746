import pytest
from django.urls import reverse

from club.models import User

pytestmark = pytest.mark.django_db


def test_signup_creates_user_and_signs_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "first_name": "New",
            "email": "n@example.org",
            "password1": "a-long-and-unusual-pass",
            "password2": "a-long-and-unusual-pass",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="newbie").exists()
    assert client.get(reverse("dashboard")).context["user"].username == "newbie"


def test_signup_with_mismatched_passwords_creates_nobody(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "password1": "a-long-and-unusual-pass",
            "password2": "other-pass-123",
        },
    )
    assert response.status_code == 200
    assert "password fields didn" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_signin_with_right_password_reaches_dashboard(client, personas, password):
    response = client.post(reverse("login"), {"username": "member", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_signin_with_wrong_password_is_refused(client, personas):
    response = client.post(reverse("login"), {"username": "member", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signout_requires_post_and_ends_session(client_for, personas):
    client = client_for(personas.member)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("profile")).status_code == 302  # back to sign-in


def test_password_change_takes_the_new_password(client, personas, password):
    client.force_login(personas.member)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "brand-new-secret-77",
            "new_password2": "brand-new-secret-77",
        },
    )
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.check_password("brand-new-secret-77")


def test_profile_rejects_unknown_time_zone_and_keeps_old_values(client_for, personas):
    client = client_for(personas.member)
    response = client.post(
        reverse("profile"), {"time_zone": "Mars/Olympus", "units": "metric", "height_cm": "170"}
    )
    assert response.status_code == 200
    assert "not a known time zone" in response.content.decode()
    personas.member.refresh_from_db()
    assert personas.member.height_cm is None and personas.member.time_zone == "UTC"


def test_profile_saves_body_measures(client_for, personas):
    client = client_for(personas.member)
    client.post(
        reverse("profile"),
        {
            "time_zone": "Europe/London",
            "units": "metric",
            "height_cm": "170",
            "leg_length_cm": "88",
            "sex": "f",
            "default_visibility": "coaches",
            "show_on_leaderboards": "on",
        },
    )
    personas.member.refresh_from_db()
    assert (personas.member.height_cm, personas.member.leg_length_cm) == (170, 88)


def test_pages_require_sign_in(client):
    for name in ["profile", "club-create", "club-join", "notifications"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
