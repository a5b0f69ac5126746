"""No typed value gives a 500 or leaves a half-written row. Hypothesis feeds every form page and
every API endpoint that takes input a valid body with a few fields swapped for random or
boundary values: huge and negative numbers, NaN and infinity, dates in years 1 and 9999, very
long strings, NUL characters, nested JSON, wrong types, missing fields.

Each example runs in a transaction that is rolled back, so examples never see each other's
writes. After each, the test checks: the answer is not a 5xx (a view's exception propagates
and fails the example), and every row of our apps still passes its model's own validation and
every plan has its drills, so nothing out of range or half-made was stored.

Budget: 20 examples per body and 10 per query, derandomized (the same examples on every
run), no example database: about a minute for the whole file on two busy cores.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from club.models import CoachLink, FeedItem
from coaching.models import Assignment, Drill, Suggestion
from tests.coaching.helpers import assign_one
from tests.factories import RunFactory, UserFactory, finish_analysis

pytestmark = pytest.mark.django_db

BUDGET = settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUERY_BUDGET = settings(BUDGET, max_examples=10)  # reads write nothing: fewer paths to reach

MISSING = object()
EDGE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "NaN",
    "-inf",
    "Infinity",
    "1e999",
    "1e-999",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "2026-02-30",
    "99999999:00:00",
    "999999999 days, 0:00:00",
    "-0:25:00",
    "25:61:61",
    "\x00",
    "null",
    "<script>alert(1)</script>",
    "１２３",
    "9" * 5000,
    "x" * 100_000,
    "https://evil.example/",
    "//evil.example",
]
EDGE_NUMBERS = [0, -1, 1, 2**15, 2**31 - 1, 2**31, 2**63, -(2**63) - 1, 10**30]

scalars = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.sampled_from(EDGE_NUMBERS),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
RAW_JSON = ["[" * 5000, "[1, 2]", '"text"', "{", '{"a": NaN}', "null", "1e999", ""]


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Moving every date of a body together keeps their order (a plan still ends after it starts)
# and so reaches code that runs only on accepted dates: years 1 and 9999 included.
date_shifts = st.one_of(
    st.just(0), st.sampled_from([-800_000, 3_000_000]), st.integers(-800_000, 3_000_000)
)


def shift_dates(body: dict, days: int) -> dict:
    def moved(value: object) -> object:
        if not (isinstance(value, str) and DATE.match(value)):
            return value
        day = dt.date.fromisoformat(value).toordinal() + days
        return dt.date.fromordinal(min(max(day, 1), dt.date.max.toordinal())).isoformat()

    return {name: moved(value) for name, value in body.items()}


@st.composite
def bodies(draw: st.DrawFn, good: dict) -> dict:
    """A valid body with its dates moved together, and up to three fields swapped for odd
    values or left out."""
    body = shift_dates(good, draw(date_shifts))
    names = st.sampled_from(sorted(good) + ["unexpected"])
    for name in draw(st.lists(names, max_size=3, unique=True)):
        replacement = draw(st.one_of(st.just(MISSING), values))
        if replacement is MISSING:
            body.pop(name, None)
        else:
            body[name] = replacement
    return body


def form_value(value: object) -> str | list[str]:
    """What a browser could send for a value: text, or several texts for one name."""
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v) for v in value]
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value)


@dataclass
class World:
    """Everything the endpoints refer to: the personas and one of each object."""

    people: dict
    ids: dict = field(default_factory=dict)


@pytest.fixture
def world(personas) -> World:
    assignment = assign_one(personas.coach, personas.member, days_ago=2)
    analysis = finish_analysis(personas.member, {"overstride_pct_leg": 21.0})
    run = RunFactory(owner=personas.member)
    drill = Drill.objects.create(
        author=personas.coach, slug="coachs-own", name="Own", category="mobility",
        purpose="p", dose="3 x 10", steps=["one"],
    )  # fmt: skip
    invite = CoachLink.invite(coach=UserFactory(username="invitor"), athlete=personas.member)
    people = {n: getattr(personas, n) for n in ("owner", "coach", "member")}
    ids = {
        "assignment": assignment.pk,
        "analysis": analysis.pk,
        "run": run.pk,
        "drill": drill.slug,
        "drill_pk": drill.pk,
        "club": personas.club.pk,
        "slug": personas.club.slug,
        "code": personas.club.invite_code,
        "member": personas.member.pk,
        "feed": FeedItem.objects.filter(actor=personas.member).first().pk,
        "suggestion": Suggestion.objects.filter(coach=personas.coach).first().pk,
        "link": invite.pk,
    }
    return World(people=people, ids=ids)


# (actor, method, url, good body); "{name}" in a url or a body is filled from World.ids.
API = {
    "me": (
        "member",
        "PATCH",
        "/api/me/",
        {
            "first_name": "Mia",
            "email": "mia@example.org",
            "height_cm": 168,
            "leg_length_cm": 88,
            "sex": "f",
            "birth_year": 1990,
            "time_zone": "Asia/Tokyo",
            "units": "metric",
            "default_visibility": "coaches",
            "show_on_leaderboards": True,
        },
    ),
    "club create": ("member", "POST", "/api/clubs/", {"name": "Hill Club", "description": ""}),
    "club join": ("member", "POST", "/api/clubs/join/", {"invite_code": "{code}"}),
    "club role": (
        "owner",
        "POST",
        "/api/clubs/{club}/role/",
        {
            "user_id": "{member}",
            "role": "coach",
        },
    ),
    "run manual": (
        "member",
        "POST",
        "/api/runs/",
        {
            "date": "2026-06-01",
            "start_time": "07:30",
            "distance_km": "10.5",
            "duration": "0:52:30",
            "perceived_effort": 6,
            "title": "Easy",
            "notes": "windy",
            "visibility": "coaches",
        },
    ),
    "run edit": (
        "member",
        "PATCH",
        "/api/runs/{run}/",
        {
            "title": "Tempo",
            "visibility": "club",
            "perceived_effort": 7,
            "notes": "hot",
        },
    ),
    "run upload": ("member", "POST", "/api/runs/upload/", {"file": "not a file"}),
    "clip upload": ("member", "POST", "/api/analyses/upload/", {"view": "side"}),
    "analysis visibility": (
        "member",
        "POST",
        "/api/analyses/{analysis}/visibility/",
        {
            "visibility": "private",
        },
    ),
    "drill create": (
        "coach",
        "POST",
        "/api/drills/",
        {
            "name": "Calf raises",
            "category": "mobility",
            "purpose": "Calves.",
            "dose": "3 x 12",
            "steps": ["Rise", "Lower"],
            "stages": [["slow", 60]],
            "equipment": "step",
            "targets": ["cadence_spm"],
        },
    ),
    "drill edit": (
        "coach",
        "PATCH",
        "/api/drills/{drill}/",
        {
            "name": "Own drill",
            "steps": ["one", "two"],
            "stages": [],
            "targets": [],
        },
    ),
    "assign": (
        "coach",
        "POST",
        "/api/assignments/",
        {
            "athlete_id": "{member}",
            "drills": ["pogo-hops", "{drill}"],
            "dose": "2 x 20 s",
            "starts_on": "today",
            "ends_on": "in four weeks",
            "sessions_per_week": 3,
            "title": "Land under",
            "note": "Fresh legs",
            "refilm_after_weeks": 4,
            "refilm_view": "side",
        },
    ),
    "assign club": (
        "coach",
        "POST",
        "/api/assignments/",
        {
            "club_id": "{club}",
            "drills": ["pogo-hops"],
            "starts_on": "today",
            "ends_on": "in four weeks",
        },
    ),
    "session": (
        "member",
        "POST",
        "/api/assignments/{assignment}/sessions/",
        {
            "done_on": "today",
            "sets_done": 3,
            "minutes_done": 12,
            "effort": 6,
            "note": "ok",
        },
    ),
    "feedback": (
        "coach",
        "POST",
        "/api/feedback/",
        {
            "analysis": "{analysis}",
            "body": "Shorter steps",
            "metric": "overstride_pct_leg",
            "keyframe": "",
        },
    ),
    "feedback run": ("coach", "POST", "/api/feedback/", {"run": "{run}", "body": "Nice"}),
    "feedback pinned": (
        "coach",
        "POST",
        "/api/feedback/",
        {
            "analysis": "{analysis}",
            "body": "Knee",
            "at_s": 1.0,
            "drawing": {"kind": "angle", "points": [[0.3, 0.4], [0.5, 0.5], [0.7, 0.4]]},
        },
    ),
    "coach link": ("coach", "POST", "/api/coach-links/", {"athlete": "outsider"}),
    "token": (None, "POST", "/api/token/", {"username": "member", "password": "wrong"}),
}
API_QUERIES = {
    "runs": ("member", "/api/runs/", {"mine": "1", "limit": "10", "offset": "0"}),
    "notifications": ("member", "/api/notifications/", {"unread": "1", "limit": "5"}),
    "leaderboard": ("member", "/api/clubs/{club}/leaderboard/", {"period": "8w"}),
    "feedback thread": ("coach", "/api/feedback/", {"analysis": "{analysis}"}),
    "suggestions": ("coach", "/api/suggestions/", {"limit": "20", "offset": "1"}),
    "assignments": ("coach", "/api/assignments/", {"limit": "20"}),
}
PAGES = {
    "signup": (
        None,
        "/accounts/signup/",
        {
            "username": "newbie",
            "first_name": "New",
            "email": "new@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    ),
    "login": (None, "/accounts/login/", {"username": "member", "password": "wrong"}),
    "profile": (
        "member",
        "/accounts/profile/",
        {
            "first_name": "Mia",
            "height_cm": "168",
            "leg_length_cm": "88",
            "birth_year": "1990",
            "time_zone": "Europe/Berlin",
            "units": "metric",
            "default_visibility": "coaches",
            "show_on_leaderboards": "on",
            "sex": "f",
            "email": "m@example.org",
        },
    ),
    "password": (
        "member",
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "x",
            "new_password2": "y",
        },
    ),
    "club create": ("member", "/clubs/new/", {"name": "Hill Club", "description": "hills"}),
    "club join": ("member", "/clubs/join/", {"code": "{code}"}),
    "club role": ("owner", "/clubs/{slug}/members/{member}/role/", {"role": "coach"}),
    "announce": ("coach", "/clubs/{slug}/announce/", {"title": "Race", "body": "Sunday"}),
    "shout-out": ("coach", "/clubs/{slug}/shout-out/", {"text": "Well run"}),
    "feed comment": ("member", "/feed/{feed}/comments/", {"body": "Nice"}),
    "run new": (
        "member",
        "/runs/new/",
        {
            "date": "2026-06-01",
            "start_time": "07:30",
            "distance_km": "10.5",
            "duration": "0:52:30",
            "perceived_effort": "6",
            "title": "Easy",
            "notes": "windy",
            "visibility": "coaches",
        },
    ),
    "run settings": (
        "member",
        "/runs/{run}/settings/",
        {
            "title": "Tempo",
            "visibility": "club",
            "perceived_effort": "7",
            "notes": "hot",
        },
    ),
    "run upload": ("member", "/runs/upload/", {"file": "not a file"}),
    "clip upload": ("member", "/form/upload/", {"view": "side"}),
    "analysis visibility": ("member", "/form/{analysis}/visibility/", {"visibility": "club"}),
    "drill new": (
        "coach",
        "/drills/new/",
        {
            "name": "Calf raises",
            "category": "mobility",
            "purpose": "Calves.",
            "dose": "3 x 12",
            "equipment": "step",
            "targets": ["cadence_spm"],
            "steps_text": "Rise\nLower",
        },
    ),
    "drill edit": (
        "coach",
        "/drills/{drill}/edit/",
        {
            "name": "Own",
            "category": "technique",
            "purpose": "p",
            "dose": "1",
            "equipment": "none",
            "steps_text": "one",
        },
    ),
    "assign": (
        "coach",
        "/coach/assign/",
        {
            "athlete": "{member}",
            "drills": ["{drill_pk}"],
            "dose": "2 x 20 s",
            "starts_on": "today",
            "ends_on": "in four weeks",
            "sessions_per_week": "3",
            "title": "Land under",
            "note": "Fresh legs",
            "refilm_after_weeks": "4",
            "refilm_view": "side",
        },
    ),
    "assign suggestion": (
        "coach",
        "/coach/assign/",
        {
            "suggestion": "{suggestion}",
            "athlete": "{member}",
            "drills": ["{drill_pk}"],
            "starts_on": "today",
            "ends_on": "in four weeks",
            "sessions_per_week": "3",
        },
    ),
    "invite": ("coach", "/coach/invite/", {"username": "outsider"}),
    "session": (
        "member",
        "/assignments/{assignment}/sessions/",
        {
            "done_on": "today",
            "sets_done": "3",
            "minutes_done": "12",
            "effort": "6",
            "note": "ok",
        },
    ),
    "feedback": (
        "coach",
        "/feedback/analysis/{analysis}/",
        {
            "body": "Shorter steps",
            "metric": "overstride_pct_leg",
            "keyframe": "",
        },
    ),
    "feedback pinned": (
        "coach",
        "/feedback/analysis/{analysis}/",
        {
            "mark": "1",
            "body": "Knee",
            "at_s": "1.0",
            # A leading space: fill() would read a value in braces as an id to put in.
            "drawing": ' {{"kind": "line", "points": [[0.1, 0.2], [0.3, 0.4]]}}',
        },
    ),
    "link answer": ("member", "/coach/links/{link}/respond/", {"answer": "accept"}),
    "delete account": ("member", "/accounts/delete/", {"password": "wrong"}),
}
PAGE_QUERIES = {
    "club page": ("member", "/clubs/{slug}/", {"period": "8w"}),
    "leaderboard": ("member", "/clubs/{slug}/leaderboard/", {"period": "4w", "part": "board"}),
    "drills": ("member", "/drills/", {"category": "mobility"}),
    "assign form": ("coach", "/coach/assign/", {"suggestion": "{suggestion}", "athlete": "1"}),
    "join form": ("member", "/clubs/join/", {"code": "{code}"}),
    "inbox part": ("coach", "/coach/", {"part": "inbox"}),
    "side by side": ("coach", "/form/compare/", {"a": "{analysis}", "b": "{analysis}"}),
}


def fill(value: object, world: World) -> object:
    """Put the world's ids and today's dates into a good body."""
    today = timezone.localdate()
    dates = {"today": today, "in four weeks": today + dt.timedelta(weeks=4)}
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    if value in dates:
        return dates[value].isoformat()
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world.ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**world.ids)
    return value


def client(world: World, actor: str | None, *, api: bool) -> Client:
    made = APIClient() if api else Client()
    if actor is not None:
        made.force_login(world.people[actor])
    return made


OUR_APPS = ("club", "coaching", "analysis")
MODELS = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]
# Signing a test client in stamps last_login: that is not the request's write.
IGNORED = "last_login"


def fingerprint() -> dict[type, str]:
    """A hash of every table of our apps, in one query (PostgreSQL, as the suite runs)."""
    assert connection.vendor == "postgresql", "this test reads PostgreSQL's row hashes"
    quote = connection.ops.quote_name
    parts = [
        f"SELECT {i}, md5(coalesce(string_agg((to_jsonb(t) - '{IGNORED}')::text, '|' "
        f"ORDER BY t.{quote(m._meta.pk.column)}), '')) FROM {quote(m._meta.db_table)} t"
        for i, m in enumerate(MODELS)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {MODELS[i]: digest for i, digest in cursor.fetchall()}


def rows_of(model: type) -> dict[object, tuple]:
    columns = [f.attname for f in model._meta.concrete_fields if f.attname != IGNORED]
    return {row[0]: row for row in model.objects.values_list("pk", *columns)}


@dataclass
class Baseline:
    """The world before any example: every example is rolled back to exactly this."""

    digests: dict = field(default_factory=fingerprint)
    rows: dict = field(default_factory=lambda: {m: rows_of(m) for m in MODELS})

    def changed_rows(self) -> list:
        """The rows a request added or changed, as model instances."""
        changed = []
        for model, digest in fingerprint().items():
            if digest != self.digests[model]:
                before = self.rows[model]
                pks = [pk for pk, row in rows_of(model).items() if before.get(pk) != row]
                changed.extend(model.objects.filter(pk__in=pks))
        return changed


# Pages that show what a request stored, by the model it wrote: a value accepted must also
# display, for its owner and their coach (year 9999 used to pass the form and break /todo/).
READ_BACK = {
    "Assignment": [("member", "/todo/"), ("coach", "/coach/")],
    "DrillSession": [("member", "/todo/"), ("coach", "/coach/")],
    "Run": [("member", "/runs/"), ("coach", "/athletes/{member}/runs/")],
    "User": [("member", "/")],
    "Drill": [("coach", "/drills/")],
}


def in_rollback(world: World, baseline: Baseline, send: Callable[[], object]) -> None:
    """Send one request in a transaction that is rolled back, and check what it left."""
    with transaction.atomic():
        response = send()
        assert response.status_code < 500, response.status_code
        changed = baseline.changed_rows()
        if response.status_code >= 400:
            assert changed == [], f"a refused request wrote {changed}"
        for row in changed:  # nothing out of range or half-made was stored
            row.full_clean(validate_unique=False, validate_constraints=False)
        assert not Assignment.objects.filter(items__isnull=True).exists()
        if changed:
            read_back(world, response, changed)
        transaction.set_rollback(True)


def read_back(world: World, response: object, changed: list) -> None:
    wrote = {type(row).__name__ for row in changed}
    pages = {(actor, fill(url, world)) for name in wrote for actor, url in READ_BACK.get(name, [])}
    if response.get("Location", "").startswith("/"):
        pages |= {("member", response["Location"]), ("coach", response["Location"])}
    for actor, url in sorted(pages):
        status = client(world, actor, api=False).get(url).status_code
        assert status < 500, f"{url} as {actor}: {status}"


@pytest.mark.parametrize("name", sorted(API))
def test_no_api_body_gives_a_500(world, name):
    actor, method, url, good = API[name]

    baseline = Baseline()

    @BUDGET
    @given(body=st.one_of(bodies(fill(good, world)), st.sampled_from(RAW_JSON)))
    def check(body: object) -> None:
        raw = body if isinstance(body, str) else json.dumps(body)
        in_rollback(
            world,
            baseline,
            lambda: client(world, actor, api=True).generic(
                method, fill(url, world), raw, "application/json"
            ),
        )

    check()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_form_post_gives_a_500(world, name):
    actor, url, good = PAGES[name]

    baseline = Baseline()

    @BUDGET
    @given(body=bodies(fill(good, world)))
    def check(body: dict) -> None:
        data = {k: form_value(v) for k, v in body.items()}
        in_rollback(
            world, baseline, lambda: client(world, actor, api=False).post(fill(url, world), data)
        )

    check()


@pytest.mark.parametrize(
    "name,api", [(n, True) for n in sorted(API_QUERIES)] + [(n, False) for n in PAGE_QUERIES]
)
def test_no_query_gives_a_500(world, name, api):
    actor, url, good = (API_QUERIES if api else PAGE_QUERIES)[name]

    baseline = Baseline()

    @QUERY_BUDGET
    @given(query=bodies(fill(good, world)))
    def check(query: dict) -> None:
        params = {k: form_value(v) for k, v in query.items()}
        in_rollback(
            world,
            baseline,
            lambda: client(world, actor, api=api).get(
                fill(url, world), params, HTTP_HX_REQUEST="true"
            ),
        )

    check()
