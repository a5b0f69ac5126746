"""Shared personas: a club with its owner, a coach, a member and a clubmate, and an outsider."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.test import Client

from club.models import Club, User
from tests.factories import PASSWORD, ClubFactory, MembershipFactory, UserFactory


@dataclass
class Personas:
    club: Club
    owner: User
    coach: User
    member: User
    clubmate: User
    outsider: User


def make_personas() -> Personas:
    club = ClubFactory(name="Riverside", slug="riverside")
    people = {}
    for name, role in [
        ("owner", "owner"),
        ("coach", "coach"),
        ("member", "member"),
        ("clubmate", "member"),
    ]:
        people[name] = MembershipFactory(club=club, user=UserFactory(username=name), role=role).user
    return Personas(club=club, outsider=UserFactory(username="outsider"), **people)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Folders decide the markers, so `-m "not browser"` and friends select by kind. Browser
    tests run last: Playwright's sync API keeps an event loop on the main thread until the
    session ends, and code that bridges sync to async (async_to_sync) refuses to run beside it."""
    items.sort(key=lambda item: "browser" in item.path.parts)
    for item in items:
        parts = item.path.parts
        if "browser" in parts:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.integration)
        elif "integration" in parts:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Hashing at full strength costs a third of a second per user. Browser tests keep it: the
    live server in its own process must verify the same hashes."""
    if request.node.get_closest_marker("browser") is None:
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache_keys(settings: object) -> None:
    """The cache is the real Redis: each test gets keys of its own, so sign-in failures counted
    by one test (or an earlier run) never throttle another."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def other_coach(personas: Personas) -> User:
    """Coaches a different club: sees nothing of Riverside's members."""
    return MembershipFactory(user=UserFactory(username="other_coach"), role="coach").user


@pytest.fixture
def lone_coach(personas: Personas) -> User:
    """Calls themselves a coach but has no club and no athlete: sees no one."""
    return UserFactory(username="lone_coach")


@pytest.fixture
def pose_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real MediaPipe output, computed once per distinct clip in the test session."""
    from analysis.core.video import video_report
    from tests.analysis.videodata import cached_extract_pose

    monkeypatch.setattr(video_report, "extract_pose", cached_extract_pose)
