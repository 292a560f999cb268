"""Real-browser tests: each page renders in Chromium with no exception, and the key flows work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, click_until_run, new_page, wait_for_app
from tests.browser.test_map import hover_until, settled_box

pytestmark = pytest.mark.browser

PAGES = [
    ("", "Neutropenia, General"),
    ("subtypes", "compare the forms"),
    ("organizations", "Support organizations"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_renders(page: Page, app_url: str, path: str, heading: str):
    """The page loads, shows its heading and no exception; a screenshot is kept."""
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text(heading)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / f"page-{path or 'overview'}.png", full_page=True)


def test_map_canvas_and_card_from_table(page: Page, app_url: str):
    """The map draws on a canvas; clicking a table row opens that organization's card."""
    page.goto(f"{app_url}/organizations")
    wait_for_app(page)
    expect(page.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible()
    table = page.locator("[data-testid=stDataFrame]").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    # The first data row sits below the header row; its left edge is the selection column.
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 18)
    wait_for_app(page)
    card = page.locator(".st-key-org_card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading").first).to_have_text("National Neutropenia Network")
    expect(card.locator("a[href='tel:+18102295797']")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "organizations-card.png", full_page=True)


def test_zip_search_and_share_link(page: Page, app_url: str, browser):
    """Typing a ZIP lists the nearest organization first; the URL reproduces the view."""
    page.goto(f"{app_url}/organizations")
    wait_for_app(page)
    box = page.get_by_role("textbox", name="ZIP, postal code or city")
    box.fill("48116")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile("Searching near"))).to_be_visible()
    near = page.get_by_role("heading", name=re.compile("Near 48116 Brighton"))
    expect(near).to_be_visible()
    expect(page.locator("[data-testid=stHtml] ol li").first).to_contain_text(
        "National Neutropenia Network"
    )
    shared = page.url
    assert "place=48116" in shared
    other = new_page(browser)
    other.goto(shared)
    wait_for_app(other)
    expect(other.get_by_role("textbox", name="ZIP, postal code or city")).to_have_value("48116")
    expect(other.get_by_role("heading", name=re.compile("Near 48116 Brighton"))).to_be_visible()
    expect(other.locator("[data-testid=stHtml] ol li").first).to_contain_text(
        "National Neutropenia Network"
    )
    other.screenshot(path=ARTIFACTS / "organizations-near-48116.png", full_page=True)
    other.context.close()


def test_subtype_comparison_from_a_shared_link(page: Page, app_url: str):
    """A link opened in a fresh session shows the compared forms and keeps them in the URL;
    going to another page drops them and keeps the sidebar's own (the searched place)."""
    page.goto(f"{app_url}/subtypes?form=cyclic&form=autoimmune&diff=1&place=48116")
    wait_for_app(page)
    header = page.locator("[data-testid=stMarkdownContainer] table thead th")
    expect(header).to_have_text(["Attribute", "Cyclic", "Autoimmune"])
    expect(page.get_by_role("switch", name="Show only rows that differ")).to_be_checked()
    assert "form=cyclic&form=autoimmune" in page.url and "diff=1" in page.url
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    page.get_by_role("link", name="Organizations").click()
    expect(page.get_by_role("heading", name=re.compile("Near 48116 Brighton"))).to_be_visible()
    wait_for_app(page)
    assert "place=48116" in page.url
    assert "form=" not in page.url and "diff=" not in page.url


def test_clicking_a_map_point_opens_its_card(page: Page, app_url: str):
    """A click on an organization's point opens its card (deck.gl picking in the browser).

    With a radius the map is centred on the searched place, and the organization placed
    by the same ZIP (0 km away) is drawn exactly at the centre of the map.
    """
    page.goto(f"{app_url}/organizations?place=48116&radius=25")
    wait_for_app(page)
    expect(page.get_by_text("Choose an organization above")).to_be_visible()
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    expect(canvas).to_be_visible()
    box = settled_box(page, canvas)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover_until(page, *centre, "National Neutropenia Network")  # deck.gl has drawn
    click_until_run(page, *centre)
    card = page.locator(".st-key-org_card")
    expect(card.get_by_role("heading").first).to_have_text("National Neutropenia Network")
    assert "org=" in page.url
    page.screenshot(path=ARTIFACTS / "organizations-map-click.png", full_page=True)
