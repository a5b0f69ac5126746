"""Every push reaches every open page, and a page shows the parts it has and ignores the rest
without an error: a member (at phone width) and a coach (at desktop width) walk the main pages
while each kind of push arrives, and the browser console stays empty, favicon included."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

from analysis.models import Job
from club.life.feed import refresh_feed
from club.life.leaderboard import refresh_leaderboards
from club.services import notify, push_to_user, refresh_region
from coaching.services import refresh_inbox, refresh_todo, thread_region
from tests.browser.conftest import in_thread, sign_in, wait_live
from tests.coaching.helpers import assign_one
from tests.factories import RunFactory, finish_analysis
from tests.servers import ARTIFACTS, LiveServer

pytestmark = pytest.mark.django_db(transaction=True)


class Console:
    """Everything the page would show a developer in red: console errors, uncaught
    exceptions, and same-origin responses of 400 and up (the favicon included)."""

    def __init__(self, page: Page, origin: str) -> None:
        self.problems: list[str] = []
        self.origin = origin
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Response) -> None:
        if response.url.startswith(self.origin) and response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")


def _pages(personas, run, analysis) -> list[str]:
    club = personas.club
    return [
        reverse("dashboard"),
        reverse("run-list"),
        reverse("run-detail", args=[run.pk]),
        reverse("analysis-list"),
        reverse("analysis-detail", args=[analysis.pk]),
        reverse("club-detail", args=[club.slug]),
        reverse("club-leaderboard", args=[club.slug]),
        reverse("todo"),
        reverse("coach-inbox"),
        reverse("profile"),
        reverse("notifications"),
    ]


def _push_everything(user, personas, run, analysis, job: Job, title: str) -> None:
    """One of each push the site sends, whichever page they are meant for."""
    notify(user, title=title)
    push_to_user(user.pk, "job.changed", job.pk)
    refresh_todo([user.pk])
    refresh_inbox([user.pk])
    for target in (analysis, run):
        region, url = thread_region(target)
        refresh_region([user.pk], region=region, url=url)
    refresh_feed(personas.club)
    refresh_leaderboards(personas.member.pk)


def _data(personas, user) -> tuple:
    run = RunFactory(owner=personas.member)
    analysis = finish_analysis(personas.member, {"trunk_lean_deg": 8.0})
    analysis.clip = ""  # the factory stores no file, and the report would ask for one
    analysis.save(update_fields=["clip"])
    assign_one(personas.coach, personas.member, "pogo-hops")
    return run, analysis, Job.objects.create(kind="video.analyse", owner=user, queue="video")


def _walk(browser: Browser, server: LiveServer, user, personas, width: int) -> None:
    run, analysis, job = in_thread(lambda: _data(personas, user))
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = Console(page, server.url)
    try:
        sign_in(page, server, user)
        for n, path in enumerate(_pages(personas, run, analysis)):
            page.goto(server.url + path)
            wait_live(page)
            title = f"Push {n} on {path}"
            in_thread(lambda t=title: _push_everything(user, personas, run, analysis, job, t))
            expect(page.locator(".toast").last).to_contain_text(title)
            page.wait_for_load_state("networkidle")  # the regions have re-read themselves
            _favicon_served(page, server)
            name = re.sub(r"\W+", "_", f"walk_{user.username}_{width}_{path}")
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            assert console.problems == [], f"on {path}: {console.problems}"
    finally:
        context.close()


def _favicon_served(page: Page, server: LiveServer) -> None:
    icon = page.locator("link[rel=icon]").get_attribute("href")
    for url in (server.url + icon, server.url + "/favicon.ico"):
        response = page.request.get(url)
        assert response.ok and response.headers["content-type"].startswith("image/"), url


def test_a_members_pages_show_every_push_without_a_console_error(browser, asgi_server, personas):
    _walk(browser, asgi_server, personas.member, personas, width=390)


def test_a_coachs_pages_show_every_push_without_a_console_error(browser, asgi_server, personas):
    _walk(browser, asgi_server, personas.coach, personas, width=1280)
