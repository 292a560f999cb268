"""Real-browser tests: the key flows work in Chromium (that each page and state renders with
no exception, light and dark, is tested with axe-core in ``test_a11y.py``, one load each).

Every action is followed by an ``expect`` on what it changes (a heading, a card, the URL):
the test waits for the outcome, not for a guessed time. A click on a map point is tested in
``test_map.py`` (the deck's first frame waited for, one click per point).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, close_page, new_page, open_app, wait_for_app

pytestmark = pytest.mark.browser


def test_map_canvas_and_card_from_table(page: Page, app_url: str):
    """The map draws on a canvas; clicking a table row opens that organization's card."""
    open_app(page, f"{app_url}/organizations")
    expect(page.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible()
    expect(page.get_by_text("Choose an organization above")).to_be_visible()
    table = page.locator("[data-testid=stDataFrame]").first
    table.scroll_into_view_if_needed()
    # The first data row sits below the header row; its left edge is the selection column
    # (``click`` waits until the table is visible and its box stable).
    table.click(position={"x": 12, "y": 35 + 18})
    card = page.locator(".st-key-org_card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading").first).to_have_text("National Neutropenia Network")
    expect(card.locator("a[href='tel:+18102295797']")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "organizations-card.png", full_page=True)


def test_zip_search_and_share_link(page: Page, app_url: str, browser):
    """Typing a ZIP lists the nearest organization first; the URL reproduces the view."""
    open_app(page, f"{app_url}/organizations")
    box = page.get_by_role("textbox", name="ZIP, postal code or city")
    box.fill("48116")
    box.press("Enter")
    near = page.get_by_role("heading", name=re.compile("Near 48116 Brighton"))
    wait_for_app(page, near)
    expect(page.get_by_text(re.compile("Searching near"))).to_be_visible()
    expect(page.locator("[data-testid=stHtml] ol li").first).to_contain_text(
        "National Neutropenia Network"
    )
    expect(page).to_have_url(re.compile(r"[?&]place=48116"))
    shared = page.url
    other = new_page(browser)
    open_app(other, shared)
    expect(other.get_by_role("textbox", name="ZIP, postal code or city")).to_have_value("48116")
    expect(other.get_by_role("heading", name=re.compile("Near 48116 Brighton"))).to_be_visible()
    expect(other.locator("[data-testid=stHtml] ol li").first).to_contain_text(
        "National Neutropenia Network"
    )
    other.screenshot(path=ARTIFACTS / "organizations-near-48116.png", full_page=True)
    close_page(other)


def test_subtype_comparison_from_a_shared_link(page: Page, app_url: str):
    """A link opened in a fresh session shows the compared forms and keeps them in the URL;
    going to another page drops them and keeps the sidebar's own (the searched place)."""
    open_app(page, f"{app_url}/subtypes?form=cyclic&form=autoimmune&diff=1&place=48116")
    header = page.locator("[data-testid=stMarkdownContainer] table thead th")
    expect(header).to_have_text(["Attribute", "Cyclic", "Autoimmune"])
    expect(page.get_by_role("switch", name="Show only rows that differ")).to_be_checked()
    expect(page).to_have_url(re.compile(r"form=Cyclic&form=Autoimmune.*diff=true"))
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    page.get_by_role("link", name="Organizations").click()
    expect(page.get_by_role("heading", name=re.compile("Near 48116 Brighton"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/organizations\?(?!.*(form|diff)=).*place=48116"))
