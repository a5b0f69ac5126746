"""Integration tests run against the machine's PostgreSQL and Redis. If either is missing they
fail: they are never skipped."""

import pytest
import redis
from django.conf import settings
from django.db import connection


@pytest.fixture(autouse=True)
def _real_services(request: pytest.FixtureRequest) -> None:
    assert connection.vendor == "postgresql", "integration tests need PostgreSQL: use `make test`"
    assert settings.REDIS_URL.startswith("redis://"), (
        "integration tests need REDIS_URL: use `make test`"
    )
    redis.Redis.from_url(settings.REDIS_URL).ping()
