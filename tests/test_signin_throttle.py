"""Failed sign-ins are throttled per account and per address, on the sign-in page, the admin's
and `POST /api/token/`, in the shared Redis cache.

The reproduction: 40 wrong passwords in 10 s on the sign-in page and on /api/token/, then the
right one worked."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from club import throttle

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 10
    settings.SIGNIN_FAILURES_PER_ADDRESS = 30
    settings.SIGNIN_WINDOW_S = 900


def _page(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _api(username: str, password: str, address: str = "127.0.0.1"):
    data = {"username": username, "password": password}
    return APIClient(REMOTE_ADDR=address).post("/api/token/", data)


def test_forty_wrong_passwords_on_the_page_then_the_right_one_is_refused(
    client, personas, password
):
    answers = [_page(client, "member", f"guess-{i}").status_code for i in range(40)]
    assert answers[:10] == [200] * 10 and set(answers[10:]) == {429}
    response = _page(client, "member", password)
    assert response.status_code == 429 and int(response["Retry-After"]) > 800
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_forty_wrong_passwords_on_the_token_endpoint_then_the_right_one_is_refused(
    personas, password
):
    answers = [_api("member", f"guess-{i}").status_code for i in range(40)]
    assert answers[:10] == [400] * 10 and set(answers[10:]) == {429}
    response = _api("member", password)
    assert response.status_code == 429 and "token" not in response.json()
    assert response.json()["detail"].startswith("Too many failed sign-ins")
    assert int(response["Retry-After"]) > 800


def test_the_account_is_throttled_from_every_address(personas, password):
    for i in range(10):
        _api("member", "wrong", address=f"10.0.0.{i}")
    assert _api("member", password, address="10.9.9.9").status_code == 429
    assert _api("clubmate", password, address="10.9.9.9").status_code == 200


def test_one_address_guessing_many_accounts_is_throttled_for_all_of_them(personas, password):
    for i in range(30):
        _api(f"nobody-{i}", "wrong", address="192.0.2.7")
    assert _api("member", password, address="192.0.2.7").status_code == 429
    assert _api("member", password, address="192.0.2.8").status_code == 200


def test_an_ipv6_client_counts_as_its_whole_64(personas, password):
    for i in range(30):
        _api(f"nobody-{i}", "wrong", address=f"2001:db8:1:2::{i:x}")
    assert _api("member", password, address="2001:db8:1:2:ffff::1").status_code == 429


def test_a_success_clears_the_account_count(client, personas, password):
    for _ in range(9):
        _page(client, "member", "wrong")
    assert _page(client, "member", password).status_code == 302
    Client().post(reverse("logout"))
    for _ in range(9):
        _page(Client(), "member", "wrong")
    assert _page(Client(), "member", password).status_code == 302


def test_the_admin_sign_in_is_throttled_and_says_so(client, personas):
    personas.owner.is_staff = True
    personas.owner.save(update_fields=["is_staff"])
    for _ in range(10):
        client.post("/admin/login/", {"username": "owner", "password": "wrong"})
    page = client.post("/admin/login/", {"username": "owner", "password": "wrong"})
    assert "Too many failed sign-ins" in page.content.decode()


def test_the_count_lives_in_the_redis_cache_in_both_run_modes():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    shown = subprocess.run(
        [sys.executable, "-c", "from config import settings as s; print(s.CACHES)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "RedisCache" in shown and "unix://" in shown and "redis.sock" in shown


def test_failures_counted_by_another_process_throttle_this_one(personas, password):
    """Two web processes share the count: a second Python process records the failures."""
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    script = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from club import throttle\n"
        "request = RequestFactory().post('/', REMOTE_ADDR='198.51.100.1')\n"
        "for _ in range(10): throttle.record_failure(request, 'member')\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "CACHE_PREFIX": prefix, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        timeout=60,
    )
    assert _api("member", password, address="203.0.113.5").status_code == 429


def test_the_message_names_the_wait():
    assert throttle.message(61) == (
        "Too many failed sign-ins for this account or from this address. Try again in 2 minutes."
    )


def test_the_api_says_once_when_to_try_again(personas):
    for i in range(10):
        _api("member", f"guess-{i}")
    detail = _api("member", "guess").json()["detail"]
    assert detail == throttle.message(900) and "Expected available" not in detail


def test_an_operator_can_lift_a_throttle(personas, password):
    from django.core.management import call_command

    for i in range(30):
        _api(f"nobody-{i}", "wrong", address="192.0.2.9")
    for _ in range(10):
        _api("member", "wrong", address="192.0.2.10")
    call_command("unlock_signin", "--address", "192.0.2.9", "--username", "member")
    assert _api("member", password, address="192.0.2.9").status_code == 200
