"""What a page missed while its socket was down comes with the reconnect, on every page: the
socket names the newest notification the page has shown (`?after=`), and the server's first
message brings toasts for the unread ones after it, the list items and the badge."""

import re

import pytest
from asgiref.sync import async_to_sync

from club.life.consumers import CATCH_UP_TOASTS
from club.models import Notification
from club.services import notify
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def _first_message(cookie: bytes, path: str) -> str:
    async def scenario() -> str:
        socket = live_socket(cookie, path=path)
        message = await open_live(socket)
        await socket.disconnect()
        return message

    return async_to_sync(scenario)()


def _toasted(html: str) -> list[str]:
    return re.findall(r'id="toast-(\d+)"', html)


def test_reconnect_brings_toasts_for_what_arrived_after_the_pages_newest(personas):
    seen = notify(personas.member, title="Seen before the drop")
    missed = [notify(personas.member, title=f"Missed {n}") for n in range(2)]
    missed_but_read = notify(personas.member, title="Read on the phone meanwhile")
    Notification.objects.filter(pk=missed_but_read.pk).mark_read()

    html = _first_message(session_cookie(personas.member), f"/ws/live/?after={seen.pk}")

    assert _toasted(html) == [str(n.pk) for n in missed]  # oldest first, read ones left out
    assert f'id="notification-{missed[0].pk}"' in html
    assert 'data-count="3"' in html  # the badge counts every unread one, the seen one too


def test_a_long_absence_shows_the_newest_few_and_counts_the_rest(personas):
    first = notify(personas.member, title="Before")
    for n in range(CATCH_UP_TOASTS + 3):
        notify(personas.member, title=f"While away {n}")

    html = _first_message(session_cookie(personas.member), f"/ws/live/?after={first.pk}")

    assert len(_toasted(html)) == CATCH_UP_TOASTS
    assert "3 more unread notifications" in html


@pytest.mark.parametrize("query", ["", "?after=", "?after=-1", "?after=1e9", "?after=1&after=2"])
def test_a_missing_or_odd_cursor_brings_the_badge_only(personas, query):
    notify(personas.member, title="Unread")
    html = _first_message(session_cookie(personas.member), f"/ws/live/{query}")
    assert _toasted(html) == [] and 'data-count="1"' in html


def test_nobody_elses_notifications_come_with_the_catch_up(personas):
    notify(personas.clubmate, title="For the clubmate")
    html = _first_message(session_cookie(personas.member), "/ws/live/?after=0")
    assert "For the clubmate" not in html and 'data-count="0"' in html
