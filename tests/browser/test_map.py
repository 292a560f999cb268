"""The map in a real browser: the deck draws (and no request leaves the app), a click on a
point opens that organization's card, and the page follows the system's light or dark setting
at laptop and phone widths.

The server runs on a copy of the bundled data with one more organization at ZIP 48116,
so two organizations share the National Neutropenia Network's place.

What the canvas's pixels and repeated clicks used to test is now tested through AppTest
(``tests/test_map_behaviour.py``), where it is deterministic:

- legend swatches are the colours the map draws (canvas pixels) → AppTest: the legend's SVG
  colours are the deck's point colours, the red ring only after a search;
- two organizations at one ZIP can each be opened (hover and click retried) → AppTest: the
  points apart, tooltips naming each other, each selection opening its card; here one real
  click per point, each waited on by what it opens;
- the theme test's land colour read on the canvas → AppTest: the land layer's colour; here
  the theme and the map's frame;
- no request leaves the app host → here, unchanged, after the deck's first frame.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from explorer.directory import map_view
from tests.browser.conftest import (
    ARTIFACTS,
    DECK,
    centre_of,
    click_deck,
    close_page,
    deck_canvas,
    new_page,
    open_app,
    start_app,
    stop_app,
    wait_for_app,
)
from tests.conftest import BUNDLED_DATA

pytestmark = pytest.mark.browser

NEIGHBOUR = "Brighton Family Circle"
NNN = "National Neutropenia Network"
ANCHOR = "Brighton, MI 48116\nTel: (810)229-5797\n"
LIGHT_BACKGROUND = "rgb(255, 255, 255)"
DARK_BACKGROUND = "rgb(11, 18, 32)"
"""``backgroundColor`` of ``[theme.light]`` and ``[theme.dark]`` in .streamlit/config.toml."""


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory):
    """The bundled data plus a second organization at ZIP 48116."""
    data = tmp_path_factory.mktemp("shared") / "data"
    shutil.copytree(BUNDLED_DATA, data)
    report = data / "reports" / "neutropenia_general.txt"
    text = report.read_text(encoding="utf-8")
    assert ANCHOR in text
    report.write_text(
        text.replace(ANCHOR, f"{ANCHOR}\n{NEIGHBOUR}\nPO Box 12\nBrighton, MI 48116\n", 1),
        encoding="utf-8",
    )
    return data


@pytest.fixture(scope="module")
def map_url(shared_data) -> Iterator[str]:
    process, base = start_app(data_dir=shared_data)
    yield base
    stop_app(process)


def themed_page(browser: Browser, *, width: int = 1400, fresh: bool = False) -> Page:
    """A page ``width`` pixels wide whose system setting is light (a test may switch it)."""
    viewport = {"width": width, "height": 1000}
    return new_page(browser, viewport=viewport, color_scheme="light", fresh=fresh)


def point_offset(canvas: Locator, dy: float = 0) -> dict:
    """The canvas's centre moved ``dy`` pixels down: with a radius the map is centred on the
    searched place, where the organizations placed by its ZIP are drawn (on a ring of
    :data:`~explorer.directory.map_view.SPREAD_GAP_PX` when two share it)."""
    centre = centre_of(canvas)
    return {"x": centre["x"], "y": centre["y"] + dy}


def test_the_deck_draws_and_no_request_leaves_the_app_host(browser: Browser, map_url: str):
    """The deck draws its first frame and answers the pointer (the tooltip of the point under
    it); loading, hovering and zooming fetch nothing from another host: no basemap style or
    tiles, no font atlas for the place names; the page reports no error (WebGL works)."""
    page = themed_page(browser, fresh=True)  # nothing cached: every request is seen
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    open_app(page, f"{map_url}/organizations?place=48116&radius=25")
    canvas = deck_canvas(page)
    canvas.hover(position=point_offset(canvas, -map_view.SPREAD_GAP_PX / 2))
    expect(page.locator(".deck-tooltip")).to_contain_text("2 organizations share this place")
    page.mouse.wheel(0, -600)
    page.wait_for_load_state("networkidle")  # anything the zoom asked for has been fetched
    own = urlsplit(map_url).netloc
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
    ]
    assert len(requests) > 10  # the app's own scripts were seen, so recording worked
    assert elsewhere == []
    assert page.errors == []
    close_page(page)


def test_a_click_on_each_point_at_one_zip_opens_its_card(browser: Browser, map_url: str):
    """deck.gl picking in the browser: a click on each of the two points at one ZIP opens
    the card of the point under the pointer (the tooltip names it first), not its
    neighbour's, and puts the organization in the URL."""
    page = themed_page(browser)
    open_app(page, f"{map_url}/organizations?place=48116&radius=25")
    expect(page.get_by_text("Choose an organization above")).to_be_visible()
    canvas = deck_canvas(page)
    tooltip = page.locator(".deck-tooltip")
    heading = page.locator(".st-key-org_card").get_by_role("heading").first
    opened = []
    for dy in (-map_view.SPREAD_GAP_PX / 2, map_view.SPREAD_GAP_PX / 2):
        spot = point_offset(canvas, dy)  # measured again: the card can move the map
        canvas.hover(position=spot)
        expect(tooltip).to_contain_text("2 organizations share this place")
        pointed = tooltip.inner_text().split("\n")[0]  # the point under the pointer first
        assert pointed in (NNN, NEIGHBOUR) and pointed not in opened
        click_deck(canvas, spot)
        expect(heading).to_have_text(pointed)
        expect(page).to_have_url(re.compile(r"[?&]org="))
        wait_for_app(page)
        opened.append(pointed)
    assert sorted(opened) == sorted([NNN, NEIGHBOUR])
    page.screenshot(path=ARTIFACTS / "organizations-map-click.png", full_page=True)
    close_page(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_organizations_page_follows_the_system_theme(browser: Browser, map_url: str, width: int):
    """The page takes the system's light setting and, when the system switches to dark
    (without a reload), the dark one; the map (its own light panel, a deterministic AppTest
    check of its land colour) and the legend stay, at laptop and phone widths (screenshots of
    both are saved to look at)."""
    page = themed_page(browser, width=width)
    open_app(page, f"{map_url}/organizations?place=48116")
    for scheme, background in (("light", LIGHT_BACKGROUND), ("dark", DARK_BACKGROUND)):
        page.emulate_media(color_scheme=scheme)
        expect(page.locator("[data-testid=stApp]")).to_have_css("background-color", background)
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
        expect(page.get_by_text("red ring: the place searched")).to_be_visible()
        expect(page.locator(f"{DECK}")).to_be_visible()
        page.screenshot(path=ARTIFACTS / f"map-{scheme}-{width}.png", full_page=False)
    close_page(page)
