"""Bad configuration fails loudly; the production profile passes the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str, redis_broker_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("raw,expected", [("1", True), ("yes", True), ("off", False), ("", False)])
def test_env_bool_reads_common_spellings(raw, expected):
    assert env_bool("X", not expected, environ={"X": raw}) is expected


def test_env_bool_rejects_typos():
    with pytest.raises(ImproperlyConfigured, match="X='ture' is not a boolean"):
        env_bool("X", False, environ={"X": "ture"})


def test_env_int_rejects_words_and_values_below_minimum():
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 1, environ={"N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 1, minimum=1, environ={"N": "0"})


def test_required_string_must_be_set():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        env_str("SECRET_KEY", environ={})


def test_list_and_choice():
    assert env_list("H", [], environ={"H": "a.org, b.org,"}) == ["a.org", "b.org"]
    with pytest.raises(ImproperlyConfigured, match="not one of"):
        env_choice("P", "embedded", ("embedded", "production"), environ={"P": "prod"})


def test_unix_socket_urls_are_spelled_for_celery():
    assert redis_broker_url("unix:///v/redis.sock") == "redis+socket:///v/redis.sock"
    assert redis_broker_url("redis://h:6379/0") == "redis://h:6379/0"


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "RUNCLUB_PROFILE": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "runclub.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_profile_passes_deploy_check():
    result = _manage(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = _manage({**PRODUCTION, "SECRET_KEY": ""}, "check")
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_bad_debug_value_stops_start_up():
    result = _manage({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr


def test_embedded_secret_key_is_generated_once(tmp_path):
    env = {"RUNCLUB_VAR_DIR": str(tmp_path)}
    _manage(env, "check")
    first = (tmp_path / "secret_key").read_text()
    _manage(env, "check")
    assert (tmp_path / "secret_key").read_text() == first and len(first) >= 50


def test_uploads_live_under_var_and_not_in_static():
    from django.conf import settings

    assert Path(settings.MEDIA_ROOT).is_relative_to(settings.VAR_DIR)
    assert not getattr(settings, "MEDIA_URL", "").strip("/")
    assert all(Path(settings.MEDIA_ROOT) != Path(d) for d in settings.STATICFILES_DIRS)
