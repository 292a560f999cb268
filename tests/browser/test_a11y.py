"""Accessibility in a real browser: axe-core on every page and state, and keyboard-only use.

axe-core comes from the ``axe-playwright-python`` wheel (no download at test time). Any
critical or serious violation fails the test; the rule ids and elements are in the message.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from explorer.config import data_dir
from explorer.pipeline import build_catalog
from tests.browser.conftest import (
    ARTIFACTS,
    axe_violations,
    centre_in_view,
    describe,
    open_app,
    wait_for_app,
    wait_until_drawn,
)

pytestmark = pytest.mark.browser

NNN = "national-neutropenia-network-5f5ed8c6"
STATES = {
    "overview": ("", "Neutropenia, General"),
    "subtypes": ("subtypes", "compare the forms"),
    "organizations": ("organizations", "Support organizations"),
    "near-a-zip-with-card": (f"organizations?place=48116&unit=mi&org={NNN}", "Support"),
    "unknown-place-and-no-match": ("organizations?place=Detriot&q=zzzz", "Support"),
    "filters-from-link": (
        "organizations?type=Patient+registry&country=US&radius=500&place=98101",
        "Support",
    ),
    "count-diary": ("count_diary", "Count diary"),
}
"""Each page and state: its path and a part of its first heading."""
MAX_TABS = 80
DARK_BACKGROUND = "rgb(11, 18, 32)"
"""``[theme.dark] backgroundColor`` in .streamlit/config.toml."""


@pytest.mark.parametrize(("path", "heading"), STATES.values(), ids=STATES.keys())
def test_each_page_renders_with_no_serious_axe_violation_light_or_dark(
    page: Page, app_url: str, path: str, heading: str
):
    """Each page and state renders its heading with no exception (a screenshot is kept) and
    no critical or serious axe-core violation: in the light theme, then, once the system
    switches to dark (as at sunset, without a reload), in the dark one, with captions, chips
    and links keeping their contrast."""
    open_app(page, f"{app_url}/{path}", page.locator("h1"))
    expect(page.locator("h1").first).to_contain_text(heading)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    wait_until_drawn(page)  # else the screenshot shows placeholders the scan cannot check
    shot = re.sub(r"\W+", "-", path).strip("-") or "overview"
    page.screenshot(path=ARTIFACTS / f"page-{shot}.png", full_page=True)
    light = axe_violations(page)
    page.emulate_media(color_scheme="dark")
    expect(page.locator("[data-testid=stApp]")).to_have_css("background-color", DARK_BACKGROUND)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    dark = axe_violations(page)
    assert not light, "light theme: " + describe(light)
    assert not dark, "dark theme: " + describe(dark)


def active(page: Page) -> dict:
    """What has keyboard focus: tag, role, accessible label, href."""
    return page.evaluate(
        """() => { const e = document.activeElement; return {tag: e.tagName,
        role: e.getAttribute('role'), label: e.getAttribute('aria-label') || e.textContent,
        href: e.getAttribute('href') || ''}; }"""
    )


def tab_until(page: Page, wanted) -> list[dict]:
    """Press Tab until ``wanted(focused)`` holds; return every element passed on the way."""
    passed = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = active(page)
        passed.append(focused)
        if wanted(focused):
            return passed
    raise AssertionError(f"not reached by keyboard in {MAX_TABS} tabs: {passed[-8:]}")


def test_keyboard_only_place_to_result_list_and_card_phone(page: Page, app_url: str):
    """Without a mouse: type a ZIP, Tab to the nearest organization's phone link in the list,
    then open its card with the picker and Tab to the card's phone link."""
    nearest = next(o for o in build_catalog(data_dir()).organizations if o.id == NNN)
    open_app(page, f"{app_url}/organizations")
    page.get_by_role("textbox", name="ZIP, postal code or city").focus()
    page.keyboard.type("48116")
    page.keyboard.press("Enter")
    wait_for_app(page, page.get_by_role("heading", name=re.compile("Near 48116")))
    passed = tab_until(page, lambda el: el["href"].startswith("tel:"))
    assert passed[-1]["href"] == "tel:+1-810-229-5797"
    assert not [el for el in passed if el["tag"] == "BODY"], "focus never falls off the page"
    list_link = page.locator("ol li a[href^='tel:']").first
    expect(list_link).to_be_focused()
    expect(page.locator("ol li a[href^='tel:'][target]")).to_have_count(0)  # dials in place
    tab_until(page, lambda el: el["label"] == "Show how to reach")
    # Focus scrolled the box into view at the screen's edge; centred (focus stays), its list
    # opens with room and no late scroll event closes it (conftest.open_list says why).
    centre_in_view(page.get_by_role("combobox", name="Show how to reach"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("listbox")).to_be_visible()  # the list is open before Home
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    card = page.locator(".st-key-org_card")
    expect(card.get_by_role("heading").first).to_have_text(nearest.name)
    wait_for_app(page)
    tab_until(page, lambda el: el["href"] == f"tel:{nearest.phones[0].number}")
    expect(card.locator(f"a[href='tel:{nearest.phones[0].number}']")).to_be_focused()
    expect(card.locator("a[href^='tel:'][target]")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "keyboard-card-phone.png", full_page=True)


def test_map_has_text_alternative_and_directory_lists_every_point(page: Page, app_url: str):
    """The map is a figure named by its text alternative; the list names every point on it
    (six: the closed association is left out of near-me results)."""
    open_app(page, f"{app_url}/organizations?place=48116")
    figure = page.get_by_role("figure", name=re.compile("Map of 6 organizations"))
    expect(figure).to_be_visible()
    expect(figure).to_have_attribute("aria-label", re.compile("tables below list every"))
    expect(page.locator("ol li")).to_have_count(6)
    expect(page.get_by_role("combobox", name="Show how to reach")).to_be_visible()
