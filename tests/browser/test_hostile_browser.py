"""Hostile data and hostile input in a real browser: nothing runs, nothing is injected.

A second server serves a data folder holding ``tests/fixtures/hostile.txt`` (script and
img tags, a ``javascript:`` link, a formula, a bad email). Every page, the hostile
organization's card, and links full of hostile query parameters are opened, and hostile
text is typed into both boxes. No dialog may open, ``window.__pwned`` stays undefined, no
inline script or event-handler element appears, and every link is http, https, mailto or tel.
Streamlit's own table toolbar offers no "Download as CSV" (it would not neutralise the
hostile formula; the app's own exports do).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from components.page_state import MAX_TEXT
from explorer.pipeline import build_catalog
from tests.browser.conftest import (
    ARTIFACTS,
    disallowed_links,
    injected_elements,
    open_app,
    start_app,
    stop_app,
    wait_for_app,
    wait_until_drawn,
)
from tests.conftest import BUNDLED_DATA, FIXTURES, HOSTILE_VALUES, PROJECT_ROOT

pytestmark = pytest.mark.browser

PAYLOAD = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    "[x](javascript:alert(1))"
)
SHOWN_AS_TEXT = {"overview": "[data-testid=stMain]", "card": ".st-key-org_card"}
"""Where the hostile title or name must appear literally, tags and all."""
PARAMS = ("place", "q", "radius", "unit", "country", "type", "channel", "disorder", "org", "all")
TYPED = (
    "<script>window.__pwned=1</script>",
    "[click me](javascript:alert(1))",
    "A" * 5000,
    "\x00\x07\x1b[31m\r\n\t",
    '=HYPERLINK("http://evil.example")',
)
"""Values typed in the browser: markup, a link, a huge and a control-character string and a
formula. ``test_hostile_inputs.py`` (AppTest) types every one of ``HOSTILE_VALUES``."""
IMAGES_SETTLED = "Array.from(document.images).every((image) => image.complete)"
"""True once every image has loaded or failed: an ``onerror`` handler would have run."""


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> str:
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(BUNDLED_DATA, data)
    shutil.copy(FIXTURES / "hostile.txt", data / "reports" / "hostile.txt")
    return data


@pytest.fixture(scope="module")
def hostile_url(hostile_data) -> Iterator[str]:
    """A server of its own on the hostile data folder."""
    process, base = start_app(data_dir=hostile_data)
    yield base
    stop_app(process)


def hostile_org_id(data) -> str:
    return next(o.id for o in build_catalog(data).organizations if "<img" in o.name)


def assert_nothing_ran(page: Page) -> None:
    """No exception, no dialog, no flag set by a script, nothing injected, no bad link."""
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    assert page.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert injected_elements(page) == []
    assert disallowed_links(page) == []


def pages(hostile_data) -> dict[str, str]:
    all_hostile = urlencode(dict.fromkeys(PARAMS, PAYLOAD))
    return {
        "overview": "?disorder=b-hostile-b-disorder",
        "subtypes": "subtypes?disorder=b-hostile-b-disorder",
        "directory": "organizations?all=1",
        "near-seattle": "organizations?all=1&place=98101",
        "card": f"organizations?all=1&org={hostile_org_id(hostile_data)}",
        "hostile-params": f"organizations?{all_hostile}",
    }


@pytest.mark.parametrize(
    "state", ["overview", "subtypes", "directory", "near-seattle", "card", "hostile-params"]
)
def test_hostile_data_and_links_stay_text(page: Page, hostile_url, hostile_data, state):
    """Each page shows hostile report text literally and runs none of it."""
    open_app(page, f"{hostile_url}/{pages(hostile_data)[state]}")
    wait_until_drawn(page)  # the table, the widgets and the map too, not their placeholders
    page.wait_for_function(IMAGES_SETTLED)
    assert_nothing_ran(page)
    if state in SHOWN_AS_TEXT:
        heading = page.locator(SHOWN_AS_TEXT[state]).get_by_role("heading").first
        expect(heading).to_contain_text("<")  # the tag is shown as characters
    page.screenshot(path=ARTIFACTS / f"hostile-{state}.png", full_page=True)


def test_typed_values_are_hostile_values():
    """The browser's few typed values are drawn from the full list AppTest types."""
    assert set(TYPED) <= set(HOSTILE_VALUES)
    assert len(TYPED) < len(HOSTILE_VALUES)


@pytest.mark.parametrize("box", ["ZIP, postal code or city", "Search names and places"])
def test_hostile_text_typed_into_boxes(page: Page, hostile_url, box):
    """Representative hostile values typed into a text box give a page where nothing ran."""
    open_app(page, f"{hostile_url}/organizations?all=1")
    textbox = page.get_by_role("textbox", name=box)
    for value in (*TYPED, PAYLOAD):
        # The box takes at most MAX_TEXT characters: a longer value set at once is refused
        # whole (the box keeps its old text and nothing reruns), so type what it accepts.
        textbox.fill(value[:MAX_TEXT])
        typed = textbox.input_value()
        before = page.url
        textbox.press("Enter")
        # The run the value started writes it into the link: wait for that, then for idle.
        expect(page).not_to_have_url(before)
        wait_for_app(page)
        page.wait_for_function(IMAGES_SETTLED)
        assert_nothing_ran(page)
        expect(textbox).to_have_value(typed)
        assert typed and len(typed) <= MAX_TEXT


def test_table_toolbar_offers_no_csv_download(page: Page, hostile_url):
    """The directory table's own toolbar has no "Download as CSV" (it would keep the hostile
    formula live); its search stays, and the app's formula-safe CSV export is offered."""
    open_app(page, f"{hostile_url}/organizations?all=1")
    table = page.locator("[data-testid=stDataFrame]").first
    table.hover()
    toolbar = page.locator("[data-testid=stElementToolbar]").filter(has=page.get_by_label("Search"))
    expect(toolbar.first).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("CSV"))).not_to_have_count(0)
    page.screenshot(path=ARTIFACTS / "hostile-table-toolbar.png")


def test_streamlit_config_disables_data_export():
    """``client.disableDataExport`` is on in the project's Streamlit config (the server reads
    it from ``.streamlit/config.toml`` in the folder it is started from)."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["disableDataExport"] is True
