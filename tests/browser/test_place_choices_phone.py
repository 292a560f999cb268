"""An ambiguous place on a 390 px phone: the same-named places are offered without pushing
the first result off the screen (eight full-width buttons used to put it two screens down).

Screenshots go to ``tests/artifacts/`` so a person can look at what the test measured.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from components.directory_filters import PLACE_BUTTONS
from tests.browser.conftest import ARTIFACTS, axe_violations, centre_in_view, describe, open_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SEARCH_LABEL = "Find organizations near: ZIP, postal code or city"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def first_result_reach(page: Page) -> float:
    """From the top of the search box to the bottom of the first numbered result, in px."""
    search_top = page.get_by_label(SEARCH_LABEL, exact=True).bounding_box()["y"]
    result = page.locator("ol li").first.bounding_box()
    return result["y"] + result["height"] - search_top


@pytest.mark.parametrize("name", ["Brighton", "Richmond"])
def test_same_named_places_leave_the_first_result_on_the_screen(
    phone: Page, app_url: str, name: str
):
    """Eight other Brightons (or Richmonds) are offered: the likeliest three as buttons, the
    rest behind one "more" button; the whole first result is within one screen height of
    the search box's top."""
    open_app(phone, f"{app_url}/organizations?place={name}", phone.locator("ol li"))
    expect(phone.get_by_text("Another place of that name?")).to_be_visible()
    assert first_result_reach(phone) < PHONE["height"], first_result_reach(phone)
    buttons = phone.locator(".st-key-other_places button")
    expect(buttons.filter(has_text=f"{name}, ")).to_have_count(PLACE_BUTTONS)
    expect(phone.get_by_role("button", name="5 more places")).to_be_visible()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    search = phone.get_by_label(SEARCH_LABEL, exact=True)
    search.evaluate("box => box.scrollIntoView({block: 'start'})")
    expect(phone.locator("ol li").first).to_be_in_viewport()
    phone.screenshot(path=ARTIFACTS / f"phone-390-place-{name}.png")


def test_a_place_behind_more_is_one_tap_further(phone: Page, app_url: str):
    """Brighton, Michigan (where the bundled report's organization is) is the sixth Brighton:
    tap "more", tap it, and the search is there, its organization first."""
    open_app(phone, f"{app_url}/organizations?place=Brighton", phone.locator("ol li"))
    expect(phone.locator("ol li").first).not_to_contain_text("National Neutropenia Network")
    michigan = phone.get_by_role("button", name="Brighton, Michigan, US", exact=True)
    expect(michigan).to_have_count(0)
    more = phone.get_by_role("button", name="5 more places")
    centre_in_view(more)  # a popover closes when the page scrolls: see conftest.open_list
    more.tap()
    expect(michigan).to_be_visible()
    phone.screenshot(path=ARTIFACTS / "phone-390-place-more.png")
    violations = axe_violations(phone)
    assert not violations, describe(violations)
    expect(michigan).to_be_in_viewport(ratio=1)  # reached without scrolling the popover away
    michigan.tap()
    expect(phone.get_by_label(SEARCH_LABEL, exact=True)).to_have_value("Brighton, Michigan, US")
    expect(phone.get_by_text("Searching near")).to_contain_text("Brighton, Michigan, US")
    expect(phone.locator("ol li").first).to_contain_text("National Neutropenia Network")
    expect(phone.get_by_text("Another place of that name?")).to_have_count(0)
