"""Real-browser tests of the Genetic conditions page: the gene filter, the side-by-side of
SCN1 and cyclic neutropenia, a copied link, and the way in from the Subtypes page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    close_page,
    disallowed_links,
    injected_elements,
    new_page,
    open_app,
    open_list,
    wait_for_app,
)

pytestmark = pytest.mark.browser

SCN1_NAME = "Neutropenia, severe congenital, 1, autosomal dominant (OMIM:202700)"
CYCLIC_NAME = "Cyclic neutropenia (OMIM:162800)"


def choose(page: Page, label: str, text: str) -> None:
    """Type into a select box or multiselect and take the suggestion that names ``text``.

    The list opens where it fits on screen (:func:`open_list`), so reaching the option
    never scrolls the page (which would close the list); the caller then waits on what the
    choice changes on the page (``expect``), never on a guessed time.
    """
    box = page.get_by_role("combobox", name=label)
    open_list(box)
    box.fill(text)
    option = page.get_by_role("option").filter(has_text=text).first
    expect(option).to_be_in_viewport(ratio=1)
    option.click()
    page.locator("h1").first.click()  # close the list (Escape would clear a select box)


def feature_row(page: Page, feature: str):
    return page.locator("[data-testid=stMarkdownContainer] table tbody tr").filter(
        has=page.locator("td", has_text=re.compile(f"^{re.escape(feature)}$"))
    )


def test_gene_filter(page: Page, app_url: str):
    """Choosing ELANE lists its four conditions and puts the gene in the URL."""
    open_app(page, f"{app_url}/conditions")
    expect(page.get_by_text(re.compile(r"Showing (\d+) of \1 conditions"))).to_be_visible()
    choose(page, "Gene", "ELANE")
    expect(page.get_by_text(re.compile(r"Showing 4 of \d+ conditions"))).to_be_visible()
    expect(page.get_by_role("combobox", name="Gene")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]gene=ELANE"))
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "conditions-gene-elane.png", full_page=True)


def test_side_by_side_and_copied_link(page: Page, app_url: str, browser):
    """SCN1 and cyclic neutropenia side by side: neutropenia shared (cyclic is a kind of it),
    oral ulcers only in the cyclic form; the page's URL restores it in a fresh session."""
    open_app(page, f"{app_url}/conditions")
    picker = "Conditions to compare side by side (2 to 4)"
    choose(page, picker, SCN1_NAME)
    expect(page).to_have_url(re.compile(r"condition=[^&]*%28OMIM%3A202700%29"))
    wait_for_app(page)
    choose(page, picker, CYCLIC_NAME)
    neutropenia = feature_row(page, "Neutropenia")
    expect(neutropenia).to_contain_text("✓")
    expect(neutropenia).to_contain_text("as Cyclic neutropenia")
    ulcer = feature_row(page, "Oral ulcer")
    expect(ulcer).to_be_visible()
    expect(ulcer).not_to_contain_text("✓")
    expect(page.get_by_role("link", name="OMIM:202700")).to_have_attribute(
        "href", "https://omim.org/entry/202700"
    )
    expect(page).to_have_url(re.compile(r"OMIM%3A202700%29.*condition=[^&]*OMIM%3A162800%29"))
    wait_for_app(page)
    assert disallowed_links(page) == [] and injected_elements(page) == []
    page.screenshot(path=ARTIFACTS / "conditions-side-by-side.png", full_page=True)

    shared = page.url
    other = new_page(browser)
    open_app(other, shared)
    expect(feature_row(other, "Neutropenia")).to_contain_text("as Cyclic neutropenia")
    expect(feature_row(other, "Oral ulcer")).to_be_visible()
    expect(other.get_by_text(re.compile(r"Showing \d+ of \d+ conditions"))).to_be_visible()
    other.screenshot(path=ARTIFACTS / "conditions-side-by-side-restored.png", full_page=True)
    close_page(other)


def test_subtypes_page_links_to_cyclic_neutropenia(page: Page, app_url: str):
    """From the Subtypes page, the cyclic form's link opens this page filtered to it."""
    open_app(page, f"{app_url}/subtypes")
    page.get_by_role("link", name="Genetic conditions: Cyclic neutropenia").click()
    # a page change: wait on what the new page shows (its run may end before this waits)
    expect(page.locator("h1").first).to_contain_text("Genetic and related conditions")
    expect(page.get_by_role("textbox", name="Search names, ids and genes")).to_have_value(
        "cyclic neutropenia"
    )
    expect(page.get_by_text(re.compile(r"Showing 2 of \d+ conditions"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]search=cyclic"))
