"""Usernames are normalised (NFKC) and a name that reads like an existing one is refused, on
sign-up and in the admin.

The reproduction: `corа` (with a Cyrillic а) registered beside `cora`."""

import pytest
from django.urls import reverse

from club.models import User
from club.usernames import skeleton
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-pass"


def _sign_up(client, username: str):
    return client.post(
        reverse("signup"), {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    )


@pytest.mark.parametrize(
    "lookalike",
    [
        "cor\u0430",  # Cyrillic а
        "\u0441ora",  # Cyrillic с
        "c\u03bfra",  # Greek omicron
        "c0ra",  # digit zero
        "Cora",
        "CORA",
        "cor\u00e1",  # a with an acute accent
        "cora\u0301",  # a followed by a combining acute (NFKC composes it)
        "\uff43\uff4f\uff52\uff41",  # fullwidth letters (NFKC folds them)
        "\U0001d41c\U0001d428\U0001d42b\U0001d41a",  # mathematical bold
    ],
)
def test_a_name_that_reads_like_an_existing_one_is_refused_at_sign_up(client, lookalike):
    UserFactory(username="cora")
    response = _sign_up(client, lookalike)
    assert response.status_code == 200
    assert User.objects.count() == 1, f"{lookalike!r} registered beside cora"


def test_the_refusal_says_why(client):
    UserFactory(username="cora")
    page = _sign_up(client, "cor\u0430").content.decode()
    assert "looks the same as an existing member" in page


@pytest.mark.parametrize("distinct", ["coral", "cara", "core", "ora", "\u0436\u0435\u043d\u044f"])
def test_names_that_read_differently_still_register(client, distinct):
    UserFactory(username="cora")
    assert _sign_up(client, distinct).status_code == 302
    assert User.objects.filter(username=distinct).exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("mia", "rnia"),
        ("will", "vvill"),
        ("lan", "Ian"),
        ("ilya", "\u0456lya"),
        ("sam", "\u0455am"),
    ],
)
def test_skeletons_join_names_a_reader_would_confuse(first, second):
    assert skeleton(first) == skeleton(second)


def test_a_name_is_stored_in_its_nfkc_form(client):
    _sign_up(client, "\uff4e\uff49\uff41")  # fullwidth "nia"
    assert User.objects.filter(username="nia").exists()


def test_the_admin_refuses_a_lookalike_too(client):
    UserFactory(username="cora")
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:club_user_add"),
        {
            "username": "cor\u0430",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(username="cor\u0430").exists()
    assert "looks the same as an existing member" in response.content.decode()
    renamed = client.post(
        reverse("admin:club_user_change", args=[admin.pk]),
        {"username": "C0RA", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"},
    )
    assert "looks the same as an existing member" in renamed.content.decode()
    admin.refresh_from_db()
    assert admin.username == "boss"


def test_the_skeleton_is_kept_on_every_save():
    user = UserFactory(username="cora")
    assert user.username_skeleton == "cora"
    user.username = "c\u043ere"
    user.save(update_fields=["username"])
    user.refresh_from_db()
    assert user.username_skeleton == "core"
