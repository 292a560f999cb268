"""Browser Back and Forward step through pages and searches the way people expect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_app, wait_for_app

pytestmark = pytest.mark.browser

PLACE_BOX = "ZIP, postal code or city"


def test_back_and_forward_undo_and_redo_a_search(page: Page, app_url: str):
    """Overview → Organizations → search Detroit; Back clears the search, Back again is the
    Overview with a clean URL; Forward twice brings the search back."""
    open_app(page, app_url)
    page.get_by_role("link", name="Organizations").first.click()
    box = page.get_by_role("textbox", name=PLACE_BOX)
    wait_for_app(page, page.get_by_role("heading", name="Support organizations"))
    box.fill("Detroit, MI")
    box.press("Enter")
    near = page.get_by_role("heading", name=re.compile("Near Detroit"))
    wait_for_app(page, near)
    expect(page).to_have_url(re.compile(r"[?&]place=Detroit"))

    # Back and Forward rerun the app from the URL: wait on what the page shows, not on a run.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/organizations$"))
    expect(page.get_by_role("textbox", name=PLACE_BOX)).to_have_value("")
    expect(near).to_have_count(0)

    page.go_back()
    expect(page.locator("h1").first).to_contain_text("Neutropenia, General")
    expect(page).not_to_have_url(re.compile("place="))

    page.go_forward()
    expect(page).to_have_url(re.compile(r"/organizations$"))
    page.go_forward()
    expect(page).to_have_url(re.compile(r"place=Detroit"))
    expect(page.get_by_role("textbox", name=PLACE_BOX)).to_have_value("Detroit, MI")
    expect(page.get_by_role("heading", name=re.compile("Near Detroit"))).to_be_visible()
