"""Organization cards in a real browser: a moved, a closed and an unverified organization each
show their status, source and checked date; a closed one offers no call or directions link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from explorer.config import data_dir
from explorer.pipeline import build_catalog
from tests.browser.conftest import ARTIFACTS, open_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def by_status() -> dict[str, str]:
    """The id of one bundled organization per contact status (from data/curated)."""
    organizations = build_catalog(data_dir()).organizations
    return {org.status.status: org.id for org in reversed(organizations)}


def open_card(page: Page, app_url: str, org_id: str, name: str):
    """Open an organization's card from a link (as a shared link would) and screenshot it."""
    open_app(page, f"{app_url}/organizations?place=Detroit%2C+MI&org={org_id}")
    card = page.locator(".st-key-org_card")
    expect(card).to_be_visible()
    card.screenshot(path=ARTIFACTS / f"card-{name}.png")
    return card


def test_moved_registry_card(page: Page, app_url: str, by_status: dict[str, str]):
    """Current (Boston) details first with source and date; the report's Seattle details below,
    not as links."""
    card = open_card(page, app_url, by_status["moved"], "moved")
    expect(card.get_by_role("heading").first).to_have_text(
        "Severe Chronic Neutropenia International Registry"
    )
    expect(card).to_contain_text("Moved: the details below are the current ones")
    expect(card).to_contain_text("checked 2026-12-01")
    expect(card.locator("a[href='https://scnir-neutropenia.uw.edu']").first).to_be_visible()
    expect(card.locator("a[href='tel:+16179191574']")).to_have_count(1)
    expect(card.locator("a[href='tel:+16179191574']")).not_to_have_attribute("target", "_blank")
    expect(card.locator("a[href='tel:+12065439749']")).to_have_count(0)
    card.get_by_text("Listed in the report as").click()
    expect(card).to_contain_text("Seattle, WA 98101")
    expect(card).to_contain_text("+1 206-543-9749")
    expect(card.locator("a[href^='tel:+1206']")).to_have_count(0)


def test_closed_association_card(page: Page, app_url: str, by_status: dict[str, str]):
    """Marked closed with its source and checked date; no tel: link, no directions."""
    card = open_card(page, app_url, by_status["closed"], "closed")
    expect(card).to_contain_text("Closed.")
    expect(card).to_contain_text("checked 2026-12-01")
    expect(card.locator("a[href='https://neutropenia.ca/']").first).to_be_visible()
    expect(card).to_contain_text("+1 204-489-8454")
    expect(card.locator("a[href^='tel:']")).to_have_count(0)
    expect(card.get_by_text("Directions")).to_have_count(0)
    expect(card.locator("a[href*='openstreetmap']")).to_have_count(0)


def test_unverified_card(page: Page, app_url: str, by_status: dict[str, str]):
    """Says plainly it is not verified, names the report by title and its retrieval date, and
    keeps the file and line as a small source detail; its valid phone is a call link with no
    target, so a phone opens the dialler in place instead of a new blank tab."""
    card = open_card(page, app_url, by_status["unverified"], "unverified")
    expect(card).to_contain_text("Not verified.")
    expect(card).to_contain_text("“Neutropenia, General” (retrieved 2026-11-25)")
    expect(card).to_contain_text("reports/neutropenia_general.txt:")
    expect(card.locator("a[href^='tel:+']").first).to_be_visible()
    expect(card.locator("a[href^='tel:'][target]")).to_have_count(0)  # dials in place
    expect(card).not_to_contain_text("Closed.")
