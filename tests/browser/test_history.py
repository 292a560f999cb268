"""Browser Back and Forward step through pages and searches the way people expect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_app, open_list, wait_for_app

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


def test_an_old_link_reads_as_streamlits_and_back_undoes_a_change(page: Page, app_url: str):
    """A link shared before (``country=US``, ``closed=1``, ``radius=50``) opens with those
    filters, its URL now in Streamlit's format; a changed filter is one Back away, and Back
    returns to the link's values (a radius back at "any distance" leaves the URL)."""
    open_app(page, f"{app_url}/organizations?place=48116&radius=50&country=US&closed=1")
    expect(page).to_have_url(re.compile(r"[?&]country=United\+States(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]closed=true(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]radius=50(&|$)"))
    closed = page.get_by_role("switch", name="Show closed organizations")
    expect(closed).to_be_checked()
    wait_for_app(page, page.get_by_role("heading", name=re.compile("Near 48116")))

    page.locator("[data-testid=stSidebar]").get_by_text("Show closed organizations").click()
    expect(page).not_to_have_url(re.compile("closed="))
    expect(closed).not_to_be_checked()
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]closed=true(&|$)"))
    expect(closed).to_be_checked()

    wait_for_app(page)
    radius = page.get_by_role("combobox", name=re.compile("Within"))
    open_list(radius)
    page.get_by_role("option", name="any distance").click()
    expect(page).not_to_have_url(re.compile("radius="))
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]radius=50(&|$)"))
    expect(radius).to_have_value("50")
