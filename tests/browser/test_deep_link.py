"""A deep link as a fresh server's very first request: the app's own frame, from the start.

Streamlit 1.67 runs such a request as a legacy ``pages/`` app (``st.navigation`` has not run
yet in the process). The page must still show the app's navigation and its state from the
link, and Streamlit's legacy page list ("app, organizations, overview, subtypes") must never
appear, not even for a moment.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    close_page,
    new_page,
    open_app,
    start_app,
    stop_app,
    wait_for_app,
)

pytestmark = pytest.mark.browser

RECORD_NAVIGATION = """
window.__sidebarNavSeen = [];
new MutationObserver(() => {
  for (const nav of document.querySelectorAll('[data-testid=stSidebarNav]')) {
    window.__sidebarNavSeen.push(nav.innerText.slice(0, 200));
  }
}).observe(document, {childList: true, subtree: true});
"""
"""Records every moment Streamlit's own sidebar page list is in the document."""


def test_deep_link_as_first_request_never_shows_legacy_navigation(browser: Browser):
    """First request /organizations?place=48116: results near 48116, our links, no legacy list."""
    process, base = start_app()
    try:
        page = new_page(browser)
        page.add_init_script(RECORD_NAVIGATION)
        page.goto(f"{base}/organizations?place=48116")
        wait_for_app(page, page.get_by_role("heading", name=re.compile("Near 48116 Brighton")))
        sidebar = page.locator("[data-testid=stSidebar]")
        for title in ("Overview", "Subtypes", "Organizations"):
            expect(sidebar.get_by_role("link", name=title)).to_be_visible()
        expect(sidebar.get_by_role("link", name=re.compile("^app$"))).to_have_count(0)
        assert page.evaluate("window.__sidebarNavSeen") == []
        page.screenshot(path=ARTIFACTS / "deep-link-first-request.png", full_page=True)
        sidebar.get_by_role("link", name="Subtypes").click()
        expect(page.locator("h1").first).to_contain_text("compare the forms")
        wait_for_app(page)
        assert page.evaluate("window.__sidebarNavSeen") == []
        close_page(page)
    finally:
        stop_app(process)


def test_a_changed_comparison_writes_streamlits_link(page: Page, app_url: str):
    """Picking forms and the differences switch writes them to the URL as Streamlit spells
    them (labels, ``true``); a switch back at its default leaves the URL."""
    open_app(page, f"{app_url}/subtypes")
    expect(page).not_to_have_url(re.compile("(form|row|diff)="))
    forms = page.get_by_role("combobox", name=re.compile("Forms to compare"))
    expect(forms).to_be_visible()
    page.get_by_role("button", name=re.compile("Remove Idiopathic")).click()
    expect(page).to_have_url(re.compile(r"form=Congenital&form=Cyclic&form=Autoimmune(&|$)"))
    wait_for_app(page)
    differ = page.get_by_test_id("stCheckbox").get_by_text("Show only rows that differ")
    differ.click()
    expect(page).to_have_url(re.compile(r"[?&]diff=true(&|$)"))
    wait_for_app(page)
    differ.click()
    expect(page).not_to_have_url(re.compile("diff="))
    expect(page).to_have_url(re.compile(r"form=Congenital&form=Cyclic&form=Autoimmune(&|$)"))
