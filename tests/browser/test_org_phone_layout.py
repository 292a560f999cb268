"""The Organizations page on a 390 px phone: after a near-me search the first result is
within one screen of the search box, and "nothing within this distance" ends the list with
no empty table. Screenshots are saved for a person to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SEARCH_LABEL = "Find organizations near: ZIP, postal code or city"


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_first_result_is_within_a_screen_of_the_search_box(phone: Page, app_url: str):
    """Near 48116 the first numbered result starts less than one screen height below the
    top of the search box (it used to be about two screens down, under the map)."""
    phone.goto(f"{app_url}/organizations?place=48116")
    wait_for_app(phone)
    first = phone.locator("ol li").first
    expect(first).to_contain_text("National Neutropenia Network")
    search = phone.get_by_label(SEARCH_LABEL, exact=True)
    search_top = search.bounding_box()["y"]
    result = first.bounding_box()
    assert result["y"] + result["height"] - search_top < PHONE["height"], (search_top, result)
    search.evaluate("box => box.scrollIntoView({block: 'start'})")  # the search box on top
    expect(first).to_be_in_viewport()
    phone.screenshot(path=ARTIFACTS / "phone-near-48116.png")


def test_nothing_within_the_distance_has_no_empty_table(phone: Page, app_url: str):
    """Within 25 km of Honolulu: the sentence, then the map; no empty nearby table."""
    phone.goto(f"{app_url}/organizations?place=Honolulu%2C+HI&radius=25")
    wait_for_app(phone)
    expect(phone.get_by_text("No organization within this distance.")).to_be_visible()
    expect(phone.locator("[data-testid=stDeckGlJsonChart]")).to_be_visible()
    tables = phone.locator("[data-testid=stDataFrame]")
    expect(tables.first).to_be_visible()  # the national organizations' table
    sentence = phone.get_by_text("No organization within this distance.")
    sentence.evaluate("line => line.scrollIntoView({block: 'center'})")  # the app scrolls inside
    phone.screenshot(path=ARTIFACTS / "phone-nothing-near.png")
    near_header = phone.get_by_role("heading", name="Near Honolulu")
    everyone = phone.get_by_role("heading", name="Serve everyone, wherever you live")
    between = near_header.bounding_box()["y"], everyone.bounding_box()["y"]
    for index in range(tables.count()):
        top = tables.nth(index).bounding_box()["y"]
        assert not between[0] < top < between[1], "a table between the sentence and the next part"
