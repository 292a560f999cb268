"""Call, then keep going: a click (or tap) on a call link dials, and the page still answers.

What broke the tab (found with a six-line app in headless Chromium): a ``tel:`` link hands the
number to the operating system, and desktop Chromium first asks "Open xdg-open?" in a
tab-modal prompt. While that prompt is open the browser sends the tab no input at all (no
pointer, no key events: the page's scripts and its WebSocket keep running, and a reload stays
blocked). A person answers the prompt; headless Chromium never shows it, so the tab looked
dead. A hidden frame dialling instead is blocked the same way (the prompt belongs to the tab),
and ``target="_blank"`` only moves it to a new blank tab. A phone dials without asking, and so
does a desktop browser once told to always allow this site. These tests use a browser
profile with that choice remembered: they check that the click does ask the system to dial,
and that the session goes on afterwards (a new near-me search shows its results).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from components.text import TOUCH_TARGET_PX
from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, deck_canvas, wait_for_app

pytestmark = pytest.mark.browser

NNN_TEL = {"list": "tel:+1-810-229-5797", "card": "tel:+18102295797"}
"""The National Neutropenia Network's number (Brighton, MI, first near ZIP 48116), as the
result list and the card write it."""
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESK = {"viewport": {"width": 1280, "height": 900}}


def allowed_to_dial(profile: Path, origin: str) -> None:
    """A Chromium profile that remembers "always allow ``origin`` to open tel: links"
    (what a person ticks in the prompt), so the browser dials without a hidden prompt."""
    (profile / "Default").mkdir(parents=True)
    prefs = {"protocol_handler": {"allowed_origin_protocol_pairs": {origin: {"tel": True}}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(prefs), encoding="utf-8")


@pytest.fixture(scope="module", params=["desk", "phone"])
def dialling_browser(
    request: pytest.FixtureRequest,
    browser: Browser,
    app_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BrowserContext]:
    """A browser allowed to dial from the app, at desk size or as a 390 px touch phone:
    started once per size (a browser of its own, for its profile), shared by the tests."""
    profile = tmp_path_factory.mktemp(f"dialling-{request.param}")
    allowed_to_dial(profile, app_url)
    context: BrowserContext = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **(PHONE if request.param == "phone" else DESK),
    )
    context.size = request.param
    yield context
    context.close()


@pytest.fixture
def dialling_page(dialling_browser: BrowserContext) -> Iterator[Page]:
    """A new tab of the dialling browser: each test opens its own session."""
    page = dialling_browser.new_page()
    page.size = dialling_browser.size
    page.touch = page.size == "phone"
    yield page
    page.close()


def search(page: Page, place: str) -> None:
    box = page.get_by_label("Find organizations near: ZIP, postal code or city", exact=True)
    box.fill(place)
    box.press("Enter")
    wait_for_app(page)


@pytest.mark.parametrize("where", ["list", "card"])
def test_call_then_search_again(dialling_page: Page, app_url: str, where: str):
    """Near 48116, the National Neutropenia Network's call link (in the result list or on its
    card) asks the system to dial, is at least 44 px tall, and afterwards a search for another
    place still reruns the page and shows that place's results."""
    page = dialling_page
    url = f"{app_url}/organizations?place=48116"
    if where == "card":
        url += "&org=national-neutropenia-network-5f5ed8c6"
    page.goto(url)
    wait_for_app(page)
    # The map's first frame (deck.gl compiling its shaders, seconds of main-thread work when
    # WebGL is drawn in software) is waited for before the tap: under load, a tap made while
    # it ran reached the page 2-3 s late in a loop of 12, and once (1 of 5 gated runs) made
    # no call at all. A person taps a page that has settled.
    deck_canvas(page)
    scope = page.locator(".st-key-org_card" if where == "card" else "ol").first
    call = scope.locator(f"a[href='{NNN_TEL[where]}']").first
    expect(call).to_be_visible()
    expect(call).not_to_have_attribute("target", "_blank")
    call.scroll_into_view_if_needed()
    box = call.bounding_box()
    assert box is not None and box["height"] >= TOUCH_TARGET_PX, box
    page.screenshot(path=ARTIFACTS / f"call-link-{where}-{page.size}.png", full_page=False)
    with page.expect_request(lambda request: request.url.startswith("tel:")) as dialled:
        call.tap() if page.touch else call.click()
    assert dialled.value.url == NNN_TEL[where]
    assert page.url.startswith(f"{app_url}/organizations"), "the call must not leave the page"
    search(page, "Winnipeg, MB")
    expect(page.get_by_role("heading", name="Near Winnipeg")).to_be_visible()
    expect(page.get_by_text("Near Brighton")).to_have_count(0)
