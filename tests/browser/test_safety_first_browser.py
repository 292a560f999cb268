"""Safety first on a fresh server: the fever rule is on screen while the data are still
being prepared, not after the organizations have been placed.

The directory build is held (``EXPLORER_HOLD_BUILD``, read by :mod:`components.data`) until
the test releases it, so the page is seen mid-build every time, however fast the machine:
no race with the build, no fixed wait.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from components.data import BUILD_TITLE, HOLD_BUILD_ENV
from explorer.cache import CACHE_DIR_ENV
from explorer.subtypes import FEVER, load_guidance
from tests.browser.conftest import (
    ARTIFACTS,
    PROJECT_ROOT,
    close_page,
    new_page,
    start_app,
    stop_app,
)

pytestmark = pytest.mark.browser


def test_fever_rule_is_shown_while_the_data_are_prepared(browser: Browser, tmp_path, monkeypatch):
    """First request to a fresh server with an empty cache: the fever rule, the
    not-medical-advice line and the report's text are visible while the progress box still
    is; once the build is released the box goes and the reach figures appear."""
    release = tmp_path / "release-the-build"
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(HOLD_BUILD_ENV, str(release))
    rule = load_guidance(PROJECT_ROOT / "data")[0].topic(FEVER)[0].text
    process, base = start_app()
    try:
        page = new_page(browser)
        page.goto(base)
        main = page.locator("[data-testid=stMain]")
        box = main.get_by_text(BUILD_TITLE)
        expect(box).to_be_visible()
        alert = main.locator("[data-testid=stAlert]").filter(has_text=rule[:40])
        expect(alert).to_be_visible()
        expect(main.get_by_text(re.compile("not medical advice"))).to_be_visible()
        expect(main.get_by_role("heading", name="General discussion")).to_be_visible()
        expect(box).to_be_visible()  # still building: all of the above came first
        page.screenshot(path=ARTIFACTS / "safety-first-while-building.png", full_page=True)
        release.touch()
        expect(box).to_have_count(0)
        expect(main.get_by_text("Support organizations")).to_be_visible()
        expect(alert).to_be_visible()
        close_page(page)
    finally:
        stop_app(process)
