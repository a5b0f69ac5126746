"""The coach's video room in real Chromium, as the issue's acceptance runs it: an analysis of
male_side.mp4 plays at a quarter speed; the coach steps to the third initial contact (the
skeleton's foot is on the belt there, where the hand annotation says a stance is), pins a
comment with an angle at the knee, and the athlete's open page shows it at once; then the clip
plays side by side with its mirror image's analysis, both stepped together; a ranged request
for the clip answers 206. At 1280 px and at 390 px (a phone: nothing wider than the screen,
the controls big enough for a thumb), the console and the web log stay clean. Screenshots are
kept in test-artifacts/."""

from __future__ import annotations

import math

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.analysis.videodata import analyse_stored, annotation, clip, mirrored_male_side
from tests.browser.conftest import in_thread, sign_in, wait_live
from tests.browser.test_csp_in_browser import RECORD_VIOLATIONS
from tests.servers import ARTIFACTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESK = {"viewport": {"width": 1280, "height": 900}}
W, H, FPS = 720, 1280, 30.0


@pytest.fixture
def clips(personas):
    """male_side.mp4 and its mirror image, analysed as uploads are (pose and all)."""
    return in_thread(
        lambda: (
            analyse_stored(personas.member, clip("male_side.mp4")),
            analyse_stored(personas.member, mirrored_male_side()),
        )
    )


@pytest.fixture
def open_page(browser, asgi_server):
    """Pages in contexts of their own, each recording what its console says."""
    made = []

    def make(user, options) -> Page:
        context = browser.new_context(**options)
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.console_lines = []
        page.on("console", lambda m: page.console_lines.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.console_lines.append(f"pageerror: {e}"))
        sign_in(page, asgi_server, user)
        made.append(context)
        return page

    yield make
    for context in made:
        context.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _clean(page: Page) -> None:
    assert page.console_lines == [], page.console_lines
    assert page.evaluate("window.__csp") == []
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def _web_log(asgi_server, since: int) -> str:
    with open(asgi_server.process.log_path) as log:
        log.seek(since)
        return log.read()


def _log_size(asgi_server) -> int:
    with open(asgi_server.process.log_path) as log:
        return len(log.read())


def _third_contact(report: dict) -> tuple[str, int]:
    """(foot, frame) of the third initial contact of either foot, on the rule the room and
    the keyframes use: the first frame in contact."""
    contacts = sorted(
        (t, side) for side in ("left", "right") for t in report["events"][side]["contact_s"]
    )
    t, side = contacts[2]
    return side, math.ceil(t * FPS - 1e-6)


def _point(track: dict, frame: int, joint: str) -> tuple[float, float]:
    i = track["joints"].index(joint)
    values = track["frames"][frame]
    return values[3 * i] / 1000, values[3 * i + 1] / 1000


def _angle_px(a, vertex, b) -> float:
    ax, ay = (a[0] - vertex[0]) * W, (a[1] - vertex[1]) * H
    bx, by = (b[0] - vertex[0]) * W, (b[1] - vertex[1]) * H
    turn = abs(math.degrees(math.atan2(by, bx) - math.atan2(ay, ax))) % 360
    return 360 - turn if turn > 180 else turn


def _on_the_belt(track: dict, frame: int, foot: str) -> None:
    """The foot is in a stance the hand annotation marks (near leg = the runner's left), and
    the skeleton's foot sits at its belt level (the top 5 % of its heights across the clip)."""
    stances = annotation()["near_stances" if foot == "left" else "far_stances"]
    assert any(s["contact"] - 1 <= frame <= s["toe_off"] for s in stances), frame
    lowest = [
        max(_point(track, f, f"{foot}_heel")[1], _point(track, f, f"{foot}_toe")[1])
        for f in range(len(track["frames"]))
        if track["frames"][f] is not None
        and track["frames"][f][3 * track["joints"].index(f"{foot}_heel")] is not None
    ]
    here = max(_point(track, frame, f"{foot}_heel")[1], _point(track, frame, f"{foot}_toe")[1])
    assert here >= np.percentile(lowest, 95) - 0.02, (here, np.percentile(lowest, 95))


def _open_room(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("[data-room]")).to_have_attribute("data-ready", "1")
    page.wait_for_function("() => document.querySelector('[data-room] video').readyState >= 2")


def test_the_acceptance_walk_of_the_video_room(open_page, asgi_server, personas, clips):
    side, mirrored = clips
    since = _log_size(asgi_server)
    url = f"{asgi_server.url}{side.get_absolute_url()}"
    athlete = open_page(personas.member, PHONE)
    _open_room(athlete, url)
    wait_live(athlete)
    athlete.evaluate("window.__noReload = true")

    coach = open_page(personas.coach, DESK)
    _open_room(coach, url)
    room = coach.locator("[data-room]")
    video = room.locator("video")

    # Play at a quarter of the speed.
    room.get_by_role("button", name="¼×").click()
    expect(room.get_by_role("button", name="¼×")).to_have_attribute("aria-pressed", "true")
    room.get_by_role("button", name="Play").click()
    coach.wait_for_timeout(2000)
    room.get_by_role("button", name="Pause").click()
    assert video.evaluate("v => v.playbackRate") == 0.25
    played = video.evaluate("v => v.currentTime")
    assert 0.2 < played < 0.9, played  # 2 s at 1/4 speed: about half a second of the clip

    # To the start, then to the third initial contact of either foot.
    room.locator("[data-scrub]").fill("0")
    expect(room).to_have_attribute("data-frame", "0")
    for _ in range(3):
        room.get_by_role("button", name="Next initial contact").click()
    foot, frame = _third_contact(side.report)
    expect(room).to_have_attribute("data-frame", str(frame))
    expect(room.locator("[data-readout-event]")).to_contain_text(f"{foot} foot initial contact")
    assert math.floor(video.evaluate("v => v.currentTime") * FPS) == frame
    track = coach.request.get(f"{asgi_server.url}/api/analyses/{side.pk}/pose/").json()
    _on_the_belt(track, frame, foot)
    coach.keyboard.press("ArrowRight")
    expect(room).to_have_attribute("data-frame", str(frame + 1))
    coach.keyboard.press("ArrowLeft")
    expect(room).to_have_attribute("data-frame", str(frame))

    # An angle at the knee of the landing leg: hip, knee, ankle, pinned with a comment.
    hip, knee, ankle = (_point(track, frame, f"{foot}_{j}") for j in ("hip", "knee", "ankle"))
    room.get_by_label("an angle").check()
    stage = room.locator(".player-stage").bounding_box()
    for x, y in (hip, knee, ankle):
        coach.mouse.click(stage["x"] + x * stage["width"], stage["y"] + y * stage["height"])
    room.locator("[data-mark-form] textarea").fill("Knee almost straight as the foot lands")
    room.get_by_role("button", name="Pin at").click()
    status = room.locator(".mark-status")
    expect(status).to_contain_text(f"Pinned at 0:{frame / FPS:05.2f}, angle ")
    measured = float(status.text_content().split("angle ")[1].rstrip("°."))
    assert measured == pytest.approx(_angle_px(hip, knee, ankle), abs=2.0)
    _shot(coach, "video-room-1280")

    # The charts follow the playhead, and a click on one seeks there.
    chart = coach.locator("#metric-charts svg.chart").first
    line = chart.locator("line.playhead")
    t0, t1 = side.report["series"]["t_s"][0], side.report["series"]["t_s"][-1]
    assert float(line.get_attribute("x1")) == pytest.approx(
        32 + 600 * (frame / FPS - t0) / (t1 - t0), abs=1
    )
    box = chart.bounding_box()
    chart.click(position={"x": box["width"] * 332 / 640, "y": box["height"] / 2})
    middle = math.floor((t0 + (t1 - t0) * 300 / 600) * FPS)
    coach.wait_for_function(
        f"Math.abs(document.querySelector('[data-room]').dataset.frame - {middle}) <= 1"
    )
    assert float(line.get_attribute("x1")) == pytest.approx(332, abs=2)

    # The athlete's open page: the pin arrives live; a tap seeks there and shows the drawing.
    pin = athlete.locator("[data-room] .pin")
    expect(pin).to_have_count(1)
    pin.tap()
    expect(athlete.locator("[data-room]")).to_have_attribute("data-frame", str(frame))
    caption = athlete.locator("[data-mark-caption]")
    expect(caption).to_contain_text("Knee almost straight")
    expect(caption).to_contain_text(f"{measured:.1f}°")
    assert athlete.evaluate("window.__noReload") is True
    athlete.locator("[data-room]").scroll_into_view_if_needed()
    _shot(athlete, "video-room-390")

    # Side by side with the mirror image's analysis, stepped together.
    room.get_by_role("link", name="Side by side with…").click()
    coach.select_option("#pick-b", str(mirrored.pk))
    coach.get_by_role("button", name="Show side by side").click()
    beside = coach.locator("[data-beside]")
    expect(beside).to_have_attribute("data-ready", "1")
    expect(beside).to_have_attribute("data-stride", "1")
    readouts = beside.locator("[data-side-readout]")
    expect(readouts.nth(0)).to_contain_text("initial contact")
    expect(readouts.nth(1)).to_contain_text("initial contact")
    players = beside.locator("[data-player]")
    start = [int(players.nth(i).get_attribute("data-frame")) for i in range(2)]
    beside.get_by_role("button", name="stride ›").click()
    beside.get_by_role("button", name="stride ›").click()
    expect(beside).to_have_attribute("data-stride", "3")
    moved = [int(players.nth(i).get_attribute("data-frame")) for i in range(2)]
    # Two strides of about 21 frames each (169 steps/min at 30 frames/s), on both sides.
    assert all(36 <= after - before <= 50 for before, after in zip(start, moved, strict=True))
    coach.keyboard.press("ArrowRight")
    expect(players.nth(0)).to_have_attribute("data-frame", str(moved[0] + 1))
    _shot(coach, "side-by-side-1280")

    # The clip itself, asked for in part, as players do.
    ranged = coach.request.get(
        f"{asgi_server.url}/form/{side.pk}/clip/", headers={"Range": "bytes=0-1023"}
    )
    assert ranged.status == 206 and len(ranged.body()) == 1024
    assert ranged.headers["content-range"].startswith("bytes 0-1023/")

    for page in (coach, athlete):
        _clean(page)
    log = _web_log(asgi_server, since)
    assert "Traceback" not in log and "Warning" not in log, log[-2000:]


def test_on_a_phone_the_room_fits_and_its_controls_are_for_thumbs(
    open_page, asgi_server, personas, clips
):
    side, mirrored = clips
    phone = open_page(personas.member, PHONE)
    _open_room(phone, f"{asgi_server.url}{side.get_absolute_url()}")
    room = phone.locator("[data-room]")
    room.scroll_into_view_if_needed()
    phone.evaluate("document.querySelector('[data-room]').scrollIntoView({block: 'start'})")
    play = room.get_by_role("button", name="Play")
    box = play.bounding_box()
    assert box["height"] >= 44 and box["y"] + box["height"] <= 844  # on the first screen
    for name in ("Next frame", "Next initial contact", "Next toe-off"):
        assert room.get_by_role("button", name=name).bounding_box()["height"] >= 40
    room.get_by_role("button", name="Next frame").tap()
    expect(room).to_have_attribute("data-frame", "1")
    room.get_by_role("button", name="Next toe-off").tap()
    assert int(room.get_attribute("data-frame")) > 1
    _shot(phone, "video-room-390-controls")

    # Keyframes: a strip to swipe, each opening full size.
    first = phone.locator("#keyframes .keyframe-link").first
    first.scroll_into_view_if_needed()
    first.tap()
    dialog = phone.locator("[data-lightbox-dialog]")
    expect(dialog).to_be_visible()
    phone.wait_for_function(
        "() => document.querySelector('[data-lightbox-dialog] img').naturalWidth > 0"
    )
    _shot(phone, "keyframe-full-size-390")
    dialog.get_by_role("button", name="Close").tap()
    expect(dialog).to_be_hidden()

    phone.goto(f"{asgi_server.url}/form/compare/?a={side.pk}&b={mirrored.pk}")
    expect(phone.locator("[data-beside]")).to_have_attribute("data-ready", "1")
    phone.locator("[data-beside]").get_by_role("button", name="stride ›").tap()
    expect(phone.locator("[data-beside]")).to_have_attribute("data-stride", "2")
    _shot(phone, "side-by-side-390")
    _clean(phone)


@pytest.fixture
def side_clip(personas):
    return in_thread(lambda: analyse_stored(personas.member, clip("male_side.mp4")))


def test_without_frame_callbacks_stepping_still_lands_on_each_frame(
    browser, asgi_server, personas, side_clip
):
    """Browsers without requestVideoFrameCallback follow the current time after each seek."""
    context = browser.new_context(**DESK)
    context.add_init_script("delete HTMLVideoElement.prototype.requestVideoFrameCallback;")
    page = context.new_page()
    sign_in(page, asgi_server, personas.member)
    _open_room(page, f"{asgi_server.url}{side_clip.get_absolute_url()}")
    assert page.evaluate("'requestVideoFrameCallback' in HTMLVideoElement.prototype") is False
    room = page.locator("[data-room]")
    room.get_by_role("button", name="Next initial contact").click()
    first = math.ceil(
        min(
            side_clip.report["events"]["left"]["contact_s"]
            + side_clip.report["events"]["right"]["contact_s"]
        )
        * FPS
        - 1e-6
    )
    expect(room).to_have_attribute("data-frame", str(first))
    for step in range(1, 4):
        room.get_by_role("button", name="Next frame").click()
        expect(room).to_have_attribute("data-frame", str(first + step))
        page.wait_for_function("() => !document.querySelector('[data-room] video').seeking")
        assert (
            math.floor(room.locator("video").evaluate("v => v.currentTime") * FPS) == first + step
        )
    context.close()
