"""Coaching events reach open pages over the real channels_redis layer: an assignment and a
comment reach the athlete, a logged session reaches the coach, and no one else hears them."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from coaching import services
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def _messages(socket: WebsocketCommunicator, count: int) -> str:
    """At least `count` pushes, plus any that follow within a second (feeds refresh too)."""
    got = [await socket.receive_from(timeout=5) for _ in range(count)]
    while not await socket.receive_nothing(timeout=1):
        got.append(await socket.receive_from(timeout=5))
    return "".join(got)


def test_an_assignment_reaches_the_athletes_open_page_only(personas):
    cookies = session_cookie(personas.member), session_cookie(personas.clubmate)

    async def scenario():
        athlete, clubmate = live_socket(cookies[0]), live_socket(cookies[1])
        await open_live(athlete), await open_live(clubmate)
        await database_sync_to_async(assign_one)(personas.coach, personas.member, "pogo-hops")
        pushed = await _messages(athlete, 2)
        assert "New from" in pushed and "Pogo hops" in pushed
        assert 'id="refresh-todo"' in pushed and 'hx-get="/todo/?part=todo"' in pushed
        assert await clubmate.receive_nothing(timeout=1)
        await athlete.disconnect()
        await clubmate.disconnect()

    async_to_sync(scenario)()


def test_a_logged_session_refreshes_the_coachs_inbox(personas):
    assignment = assign_one(personas.coach, personas.member)
    cookie = session_cookie(personas.coach)

    async def scenario():
        coach = live_socket(cookie)
        await open_live(coach)
        await database_sync_to_async(services.log_session)(
            athlete=personas.member, assignment=assignment, done_on=assignment.starts_on
        )
        pushed = await _messages(coach, 2)
        assert "did" in pushed and 'id="refresh-inbox"' in pushed
        await coach.disconnect()

    async_to_sync(scenario)()


def test_a_coach_comment_reaches_the_athlete_and_refreshes_the_thread(personas):
    analysis = VideoAnalysisFactory(owner=personas.member)
    cookie = session_cookie(personas.member)

    async def scenario():
        athlete = live_socket(cookie)
        await open_live(athlete)
        await database_sync_to_async(services.comment)(
            author=personas.coach, target=analysis, body="Great arm carriage"
        )
        pushed = await _messages(athlete, 2)
        assert "Great arm carriage" in pushed
        assert f'id="refresh-feedback-analysis-{analysis.pk}"' in pushed
        await athlete.disconnect()

    async_to_sync(scenario)()
