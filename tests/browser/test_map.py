"""The map in a real browser: no request leaves the app, the legend's swatches are the
colours the map draws, two organizations at one ZIP can each be reached, and the page
follows the system's light or dark setting at laptop and phone widths.

The server runs on a copy of the bundled data with one more organization at ZIP 48116,
so two organizations share the National Neutropenia Network's place.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from components import org_map
from explorer import map_points, map_view
from explorer.pipeline import build_catalog
from tests.browser.conftest import (
    ARTIFACTS,
    click_until_run,
    new_page,
    open_app,
    start_app,
    stop_app,
    wait_for_app,
)
from tests.conftest import BUNDLED_DATA

pytestmark = pytest.mark.browser

NEIGHBOUR = "Brighton Family Circle"
CARD_ATTEMPTS = 3
CARD_WAIT_MS = 5_000
NNN = "National Neutropenia Network"
ANCHOR = "Brighton, MI 48116\nTel: (810)229-5797\n"
TOLERANCE = 3
"""Colour channels may differ this much after the GPU's blending and rounding."""


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


def themed_page(browser: Browser, *, scheme: str = "light", width: int = 1400) -> Page:
    return new_page(browser, viewport={"width": width, "height": 1000}, color_scheme=scheme)


def settled_box(page: Page, element, *, attempts: int = 40) -> dict:
    """The element's box once two reads 250 ms apart agree (the layout has stopped moving)."""
    box = element.bounding_box()
    for _ in range(attempts):
        page.wait_for_timeout(250)
        again = element.bounding_box()
        if again == box:
            return box
        box = again
    raise AssertionError(f"the layout kept moving: last box {box}")


def hover_until(page: Page, x: float, y: float, text: str, *, seconds: float = 30) -> None:
    """Hover (x, y) until the map's tooltip contains ``text``: deck.gl picks only after its
    first frame, and only on a pointer move, so one move may come too early."""
    tooltip = page.locator(".deck-tooltip")
    for _ in range(int(seconds * 4)):
        page.mouse.move(x, y + 1)
        page.mouse.move(x, y)
        if text in " ".join(tooltip.all_inner_texts()):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"no tooltip with {text!r} at ({x}, {y}): {tooltip.all_inner_texts()}")


def canvas_colours(page: Page) -> set[tuple[int, int, int]]:
    """Every colour the map's canvas shows now."""
    page.mouse.move(0, 0)  # no hover highlight
    page.wait_for_timeout(1500)  # deck.gl draws its first frames
    shot = page.locator("[data-testid=stDeckGlJsonChart] canvas").first.screenshot()
    return {pixel[:3] for pixel in Image.open(io.BytesIO(shot)).convert("RGB").getdata()}


def swatch_colours(page: Page) -> list[tuple[int, int, int]]:
    """The colour at the centre of each legend swatch, as the browser drew it."""
    colours = []
    for image in page.locator("[data-testid=stMarkdownContainer] img[src^='data:image/svg']").all():
        picture = Image.open(io.BytesIO(image.screenshot())).convert("RGB")
        colours.append(picture.getpixel((picture.width // 2, picture.height // 2)))
    return colours


def shown(colour: tuple[int, int, int], colours: set[tuple[int, int, int]]) -> bool:
    """Whether ``colour`` (within :data:`TOLERANCE`) is among ``colours``."""
    return any(
        max(abs(a - b) for a, b in zip(colour, c, strict=True)) <= TOLERANCE for c in colours
    )


def ring_colour(page: Page) -> tuple[int, int, int]:
    """The legend ring's colour, read on its stroke (the swatch's centre is land)."""
    image = page.locator("[data-testid=stMarkdownContainer] img[src^='data:image/svg']").nth(6)
    picture = Image.open(io.BytesIO(image.screenshot())).convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height // 2 - 7))


def test_no_request_leaves_the_app_host(browser: Browser, map_url: str):
    """Loading the map, hovering a point and zooming in fetch nothing from another host:
    no basemap style or tiles, no font atlas for the place names."""
    page = themed_page(browser)
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    open_app(page, f"{map_url}/organizations?place=48116&radius=25")
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    box = settled_box(page, canvas)
    hover_until(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 7, NNN)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(1500)
    own = urlsplit(map_url).netloc
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
    ]
    assert len(requests) > 10  # the app's own scripts were seen, so recording worked
    assert elsewhere == []
    page.context.close()


def test_legend_swatches_are_the_colours_the_map_draws(browser: Browser, map_url: str):
    """Each organization type present is drawn on the map in the exact colour of its legend
    swatch; the searched place's red ring joins the legend (and the map) only after a search."""
    catalog = build_catalog(BUNDLED_DATA)
    present = {
        tuple(map_points.TYPE_COLOURS[o.org_type]) for o in catalog.organizations if o.location
    }
    page = themed_page(browser)
    open_app(page, f"{map_url}/organizations")
    swatches = swatch_colours(page)
    assert swatches[:5] == [tuple(c) for c in map_points.TYPE_COLOURS.values()]
    assert len(swatches) == 6  # types and the hollow circle: no ring before a search
    on_map = canvas_colours(page)
    for colour in present:
        assert shown(colour, on_map), f"legend colour {colour} is not on the map"
    assert not shown(tuple(org_map.SEARCH_COLOUR), on_map)
    page.get_by_role("textbox", name="ZIP, postal code or city").fill("48116")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("red ring: the place searched")).to_be_visible()
    ring = ring_colour(page)
    assert ring == tuple(org_map.SEARCH_COLOUR)
    assert shown(ring, canvas_colours(page))
    page.context.close()


def test_two_organizations_at_one_zip_can_each_be_opened(browser: Browser, map_url: str):
    """At one ZIP the two points are drawn apart: the tooltip says they share the place and
    names the other, and a click on each opens a different card."""
    page = themed_page(browser)
    open_app(page, f"{map_url}/organizations?place=48116&radius=25")
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    offset = map_view.SPREAD_GAP_PX / 2
    opened = []
    heading = page.locator(".st-key-org_card").get_by_role("heading").first
    for dy in (-offset, offset):
        # Measured again each time: the page's layout can still shift (the sidebar, the card)
        # between one click's run and the next.
        box = settled_box(page, canvas)
        centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        hover_until(page, centre_x, centre_y + dy, "2 organizations share this place")
        tooltip = page.locator(".deck-tooltip").first.inner_text()
        pointed = tooltip.split("\n")[0]  # the tooltip names the point under the pointer first
        other = NEIGHBOUR if pointed == NNN else NNN
        assert f"also here: {other}" in tooltip
        for _ in range(CARD_ATTEMPTS):  # a click lost on a busy machine is simply repeated
            click_until_run(page, centre_x, centre_y + dy)
            if heading.inner_text(timeout=CARD_WAIT_MS) == pointed:
                break
            page.wait_for_timeout(CARD_WAIT_MS)  # the click's own run may still be on its way
            if heading.inner_text() == pointed:
                break
        expect(heading).to_have_text(pointed)  # the card of the point clicked, not its neighbour
        opened.append(pointed)
    assert sorted(opened) == sorted([NNN, NEIGHBOUR])
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_organizations_page_follows_the_system_theme(
    browser: Browser, map_url: str, scheme: str, width: int
):
    """The page takes the system's light or dark setting; the map keeps its own light
    panel and the legend, at laptop and phone widths (screenshots are saved to look at)."""
    page = themed_page(browser, scheme=scheme, width=width)
    open_app(page, f"{map_url}/organizations?place=48116")
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
    )
    dark = background in ("rgb(11, 18, 32)",)
    assert dark is (scheme == "dark"), background
    expect(page.get_by_text("red ring: the place searched")).to_be_visible()
    assert shown(tuple(org_map.LAND_COLOUR), canvas_colours(page))
    page.screenshot(path=ARTIFACTS / f"map-{scheme}-{width}.png", full_page=False)
    page.context.close()
