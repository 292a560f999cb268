"""Citation jumps in Chromium: a marker leads to its reference, highlighted, and the
reference's ↑ link leads back to that same marker (the browser's Back button does not undo
a jump within a Streamlit page, so without it the reader is left in the reference list).

Screenshots go to ``tests/artifacts/`` so a person can look at what the test measured.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, expect

from tests.browser.conftest import (
    ARTIFACTS,
    axe_violations,
    close_page,
    describe,
    new_page,
    open_app,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TRANSPARENT = "rgba(0, 0, 0, 0)"
"""A text element's own background: what a non-target entry or marker has."""


def assert_highlighted(target: Locator, other: Locator) -> None:
    """``target`` looks different from ``other`` of its kind: the jump's landing place is seen."""
    expect(other).to_have_css("background-color", TRANSPARENT)
    expect(target).not_to_have_css("background-color", TRANSPARENT)
    assert target.evaluate("e => getComputedStyle(e).boxShadow") != "none"
    assert other.evaluate("e => getComputedStyle(e).boxShadow") == "none"


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_citation_jump_highlights_the_entry_and_leads_back_to_its_marker(
    browser: Browser, app_url: str, name: str, viewport: dict
):
    """Click a marker in the comparison's last column (off to the side at 390 px, inside the
    table's own scrolling box), see its reference in view and highlighted, click its back
    link, and see that very marker in view again (and highlighted); the page never scrolls
    sideways."""
    page = new_page(browser, viewport=viewport)
    try:
        open_app(page, f"{app_url}/subtypes", page.locator(".reference-entry"))
        marker = page.locator(".st-key-comparison_box td:last-child .citation-marker").nth(2)
        marker_id, target = marker.get_attribute("id"), marker.get_attribute("href")
        assert marker_id and target and target.startswith("#ref-")
        marker.click()

        entry = page.locator(target)
        expect(entry).to_be_in_viewport()
        other = page.locator(f".reference-entry:not({target})").first
        assert_highlighted(entry, other)
        page.screenshot(path=ARTIFACTS / f"citation-jump-{name}.png")
        violations = axe_violations(page)  # the highlight keeps text and links readable
        assert not violations, describe(violations)

        back = entry.locator(f'a[href="#{marker_id}"]')
        expect(back).to_have_count(1)
        back.click()
        expect(marker).to_be_in_viewport()
        expect(entry).not_to_be_in_viewport()
        assert_highlighted(marker, page.locator(f".citation-marker:not(#{marker_id})").first)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=ARTIFACTS / f"citation-back-{name}.png")
        assert not page.errors
    finally:
        close_page(page)
