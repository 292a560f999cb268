"""On a 390 px phone: no page scrolls sideways, and the tab names the chosen disorder.

Screenshots go to ``tests/artifacts/`` so a person can look at what the test measured.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    close_page,
    new_page,
    start_app,
    stop_app,
    wait_for_app,
)
from tests.conftest import BUNDLED_DATA, PROJECT_ROOT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIDEWAYS = """() => [document.scrollingElement, document.querySelector('[data-testid=stMain]')]
    .filter(Boolean).map(el => el.scrollWidth - el.clientWidth)"""
"""How far the page, and Streamlit's main area (the element that scrolls), scroll sideways."""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = new_page(browser, viewport=PHONE)
    yield page
    close_page(page)


@pytest.mark.parametrize(
    ("path", "shows"),
    [
        ("subtypes", "compare the forms"),
        ("conditions", "Genetic and related conditions"),
        ("take_away", "Take it with you"),
        ("", "Neutropenia, General"),  # the Overview is the default page, served at the root
    ],
)
def test_no_page_scrolls_sideways_at_390_px(phone: Page, app_url: str, path: str, shows: str):
    """The Subtypes table (about 650 px wide) scrolls inside its own box; the page, with the
    fever notice, stays put. The other pages of this helper's scope are checked the same way."""
    phone.goto(f"{app_url}/{path}")
    wait_for_app(phone)
    expect(phone.locator("h1").first).to_contain_text(shows)
    if path == "subtypes":
        box = phone.locator(".st-key-comparison_box")
        expect(box.locator("table")).to_be_visible()
        box.scroll_into_view_if_needed()
        assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the box itself scrolls"
    assert phone.evaluate(SIDEWAYS) == [0, 0]
    phone.screenshot(path=ARTIFACTS / f"phone-390-{path or 'overview'}.png")


def test_the_list_layout_keeps_each_rows_name_in_view(phone: Page, app_url: str):
    """Chosen on a phone, the list layout shows a row's name above every form's statement."""
    phone.goto(f"{app_url}/subtypes")
    wait_for_app(phone)
    phone.get_by_text("List, form by form", exact=True).click()
    wait_for_app(phone)
    heading = phone.get_by_role("heading", name="Typical age at onset")
    expect(heading).to_be_visible()
    expect(phone.locator(".st-key-comparison_box")).to_have_count(0)
    assert phone.evaluate(SIDEWAYS) == [0, 0]
    heading.scroll_into_view_if_needed()
    phone.screenshot(path=ARTIFACTS / "phone-390-subtypes-list.png")


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory) -> Iterator[str]:
    """A server on the bundled data plus a second report (Kostmann disease)."""
    data = tmp_path_factory.mktemp("two") / "data"
    shutil.copytree(BUNDLED_DATA, data)
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "kostmann_disease.txt", data / "reports")
    process, base = start_app(data_dir=data)
    yield base
    stop_app(process)


def test_the_tab_title_follows_the_chosen_disorder(browser: Browser, two_reports: str):
    """With two reports, the browser tab names the page and the disorder being read."""
    page = new_page(browser)
    page.goto(f"{two_reports}/subtypes?disorder=kostmann-disease")
    wait_for_app(page)
    expect(page).to_have_title("Subtypes · Kostmann Disease · Neutropenia Resource Explorer")
    page.goto(f"{two_reports}/")
    wait_for_app(page)
    expect(page).to_have_title(re.compile(r"^Overview · Neutropenia, General · "))
    close_page(page)


def test_the_drawer_closes_when_a_page_is_chosen(phone: Page, app_url: str):
    """At 390 px the sidebar is a drawer over the page: choosing a page there closes it, so
    the new page is not hidden behind it."""
    phone.goto(f"{app_url}/")
    wait_for_app(phone)
    sidebar = phone.locator("[data-testid=stSidebar]")
    phone.locator("[data-testid=stExpandSidebarButton]").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_role("link", name="Subtypes").click()
    wait_for_app(phone)
    expect(phone.locator("h1").first).to_contain_text("compare the forms")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(phone.locator("h1").first).to_be_in_viewport()
    phone.screenshot(path=ARTIFACTS / "phone-390-after-navigation.png")
