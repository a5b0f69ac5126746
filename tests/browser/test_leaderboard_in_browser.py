"""A clubmate's open club page re-ranks the leaderboard when an analysis lands, no reload."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from analysis.models import VideoAnalysis
from tests.browser.conftest import sign_in, wait_live
from tests.factories import VideoAnalysisFactory, finish_analysis, form_report

pytestmark = pytest.mark.django_db(transaction=True)


def _finish_analysis(owner, values) -> None:
    try:
        finish_analysis(owner, values)
    finally:
        connection.close()  # this runs in its own thread, with its own connection


def test_the_leaderboard_updates_live_when_an_analysis_lands(page, asgi_server, personas):
    baseline = VideoAnalysisFactory(
        owner=personas.member, report=form_report({"overstride_pct_leg": 20.0})
    )
    VideoAnalysis.objects.filter(pk=baseline.pk).update(
        created_at=timezone.now() - dt.timedelta(weeks=10)
    )
    sign_in(page, asgi_server, personas.clubmate)
    page.goto(f"{asgi_server.url}/clubs/riverside/")
    wait_live(page)
    page.evaluate("window.__noReload = true")
    board = page.locator(f"#leaderboard-{personas.club.pk}-8")
    expect(board).to_contain_text("Nobody has two analyses")

    # As a worker would: from another thread (Playwright's loop owns this one) and its own
    # database connection, through the real Redis layer.
    worker = threading.Thread(
        target=_finish_analysis, args=(personas.member, {"overstride_pct_leg": 6.0})
    )
    worker.start()
    worker.join(timeout=30)

    row = board.locator(f'tr[data-member="{personas.member.pk}"]')
    latest = VideoAnalysis.objects.filter(owner=personas.member).order_by("-created_at").first()
    expect(row).to_contain_text(f"+{latest.score - baseline.score:.1f}")
    expect(page.locator(f"#feed-{personas.club.pk}")).to_contain_text("finished a form analysis")
    assert page.evaluate("window.__noReload") is True
