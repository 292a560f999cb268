"""A real app server (started the way the README starts it), headless Debian Chromium, and
the checks several browser tests share (axe-core, link schemes, injected markup)."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import psutil
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from components.chrome import FRAME_SCRIPT
from explorer.links import ALLOWED_SCHEMES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium 156 opens a hidden page for the address bar's suggestion list (a WebUI
    # renderer process) with every tab, headless too: measured, 0.4-0.55 s of CPU per tab
    # opened, about 35 s over the browser step. A headless tab has no address bar to type in.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]
START_TIMEOUT_S = 240
EXPECT_TIMEOUT_MS = 30_000
"""How long ``expect(...)`` waits for a state. A passing check returns as soon as the state
holds, so this only bounds a failure; lazily loaded parts (map, tables) can take seconds to
appear on a busy 2-core machine, more than Playwright's default of 5 s."""
VIEWPORT = {"width": 1400, "height": 1000}
AXE_SCRIPT = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
"""axe-core as shipped inside the ``axe-playwright-python`` wheel: nothing is downloaded."""
BLOCKING_IMPACTS = ("critical", "serious")
INJECTED = ", ".join(
    f"[data-testid=stApp] {selector}"
    for selector in ("script", "img[onerror]", "[onload]", "[onclick]", "iframe", "object")
)
"""Elements that data could only have put in the app by injection (Streamlit renders none)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVING = "You can now view your Streamlit app"
"""What Streamlit prints once its server listens: the sign the app is up, read as it comes."""


def _copy_output(stream: IO[str], log: IO[str], ready: threading.Event) -> None:
    """Copy the server's output to its log file; set ``ready`` when Streamlit says it serves,
    or when the output ends (the process exited: the caller then says so)."""
    for line in stream:
        log.write(line)
        log.flush()
        if SERVING in line:
            ready.set()
    ready.set()


def start_app(*, data_dir: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Run the README's app command on a free port; return the process and base URL once
    the server says it serves and its health check answers."""
    port = free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["EXPLORER_DATA_DIR"] = str(data_dir)
    log = (ARTIFACTS / f"server-{port}.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/run_app.sh", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    ready = threading.Event()
    threading.Thread(target=_copy_output, args=(process.stdout, log, ready), daemon=True).start()
    if not ready.wait(START_TIMEOUT_S):
        stop_app(process)
        raise RuntimeError(f"app did not start in {START_TIMEOUT_S} s; see {log.name}")
    if process.poll() is not None:
        raise RuntimeError(f"app exited early; see {log.name}")
    base = f"http://127.0.0.1:{port}"
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"health check answered {response.status}; see {log.name}")
    return process, base


def stop_app(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        _CONTEXTS.clear()
        chromium.close()


@pytest.fixture(scope="session")
def app_server() -> Iterator[tuple[subprocess.Popen, str]]:
    """One server on the bundled data for the whole test session: its process and base URL.

    Every test opens its own browser context, so its own Streamlit session: sharing the
    server saves a start-up (data load, imports) per test module, not isolation.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    process, base = start_app()
    yield process, base
    stop_app(process)


@pytest.fixture(scope="session")
def app_url(app_server: tuple[subprocess.Popen, str]) -> str:
    return app_server[1]


_CONTEXTS: dict[tuple, BrowserContext] = {}
"""One browser context per set of settings, shared by the tests' pages (see :func:`new_page`)."""


def new_page(
    browser: Browser,
    *,
    viewport: dict | None = None,
    color_scheme: str | None = None,
    locale: str = "en-GB",
    fresh: bool = False,
) -> Page:
    """A new tab (its own Streamlit session) that records dialogs and the page's uncaught
    errors (``page.errors``). ``locale``: a non-US one by default, so distances start in km
    and paper in A4 (a US browser gets miles and Letter). Close it with :func:`close_page`.

    Tabs with the same settings share one browser context, as tabs of one browser do: its
    HTTP and compiled-code caches make every page load after the first cheaper (measured:
    five loads 11.5 → 9.4 s, 15 → 13 s of CPU). A Streamlit session is a tab's own (its
    WebSocket), so no app state is shared; what a page stores in the browser is cleared
    when its test closes it. ``fresh``: a context of its own, with nothing cached (for a
    test that records every request the page makes).
    """
    viewport = viewport or VIEWPORT
    settings = {"viewport": viewport, "color_scheme": color_scheme, "locale": locale}
    key = (tuple(sorted(viewport.items())), color_scheme, locale)
    if fresh:
        context = browser.new_context(**settings)
    else:
        if key not in _CONTEXTS:
            _CONTEXTS[key] = browser.new_context(**settings)
        context = _CONTEXTS[key]
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def close_page(page: Page) -> None:
    """Close a tab from :func:`new_page`, first clearing what its page stored in the browser
    (Streamlit keeps the sidebar's collapsed state and width in ``localStorage``), so the
    next test on the shared context starts as on a fresh one."""
    if page.context not in _CONTEXTS.values():  # a fresh one: nothing else uses it
        page.context.close()
        return
    if page.is_closed():
        return
    if page.url.startswith("http"):
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.context.clear_cookies()
    page.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    close_page(page)


def server_rss(process: subprocess.Popen) -> int:
    """Resident memory (bytes) of the server and every process it started."""
    root = psutil.Process(process.pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])


def axe_violations(page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now."""
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """Rule, impact and the first offending elements: enough to find and fix each."""
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} -> "
        + "; ".join(node["html"][:120] for node in v["nodes"][:3])
        for v in violations
    )


def link_targets(page: Page) -> list[str]:
    """Every ``href`` in the page, resolved by the browser (what a click would open)."""
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


def disallowed_links(page: Page) -> list[str]:
    """Links whose scheme is not http, https, mailto or tel."""
    return [h for h in link_targets(page) if urlsplit(h).scheme not in ALLOWED_SCHEMES]


APP_SCRIPTS = [FRAME_SCRIPT.removeprefix("<script>").removesuffix("</script>").strip()]
"""The app's own fixed scripts (no data in them), recognised by their exact text."""


def injected_elements(page: Page) -> list[str]:
    """Inline scripts, event-handler attributes and frames: none may come from data."""
    return page.eval_on_selector_all(
        INJECTED,
        """(els, own) => els
            .filter(e => !(e.tagName === "SCRIPT" && own.includes(e.textContent.trim())))
            .map(e => e.outerHTML.slice(0, 200))""",
        APP_SCRIPTS,
    )


APP = "[data-testid=stApp]"
IDLE = f"{APP}[data-test-connection-state=CONNECTED][data-test-script-state=notRunning]"
"""The app's own status, as Streamlit writes it on its root element: connected, no script
running or requested."""


def wait_for_app(page: Page, shows: Locator | None = None) -> None:
    """Wait until the page shows ``shows`` (when given), then until the app is idle.

    Idle is what Streamlit itself writes on its root element: connected, no script running
    or requested. (Elements marked ``data-stale`` are not a sign: a page can stay idle with
    some still marked.) A page load is idle only after its first run (before it the state
    is ``initial``). After a widget change the browser may still look idle for the moment
    the server takes to answer, so an action's outcome is asserted with ``expect`` on what
    it changes (``shows`` here, or an ``expect`` after this call): ``expect`` waits for it.
    """
    if shows is not None:
        expect(shows.first).to_be_visible()
    expect(page.locator(IDLE)).to_have_count(1)
    # The app opens no dialog; Streamlit's own ("Page not found" for a path that is no page
    # of the navigation) covers the page and swallows every click meant for it.
    expect(page.locator("[data-testid=stDialog]")).to_have_count(0)


SKELETON = "[data-testid=stSkeleton]"
"""Streamlit's placeholder for an element whose code the browser is still loading."""


def wait_until_drawn(page: Page) -> None:
    """Wait until no element is a placeholder any more.

    Idle (:func:`wait_for_app`) is the script's state, not the browser's: widgets, tables and
    the map whose code is still loading are drawn as placeholders (15 on a linked
    Organizations page, gone 0.8 s later). A screenshot, or a check of what the page shows,
    needs them drawn; a click needs only the one element it clicks, so this is not part of
    :func:`wait_for_app`.
    """
    expect(page.locator(SKELETON)).to_have_count(0)


CENTRE_IN_VIEW = """element => new Promise(done => {
  element.scrollIntoView({block: "center", inline: "nearest"});
  requestAnimationFrame(() => requestAnimationFrame(done));
})"""
"""Scroll ``element`` to the middle of its scrolling box and resolve once the browser has
delivered the scroll (scroll events fire in a frame's rendering step, before that frame's
animation callbacks, so two frames later every scroll event has run)."""


def centre_in_view(element: Locator) -> None:
    """Scroll ``element`` to the middle of the screen and wait until the scroll is delivered
    (see :data:`CENTRE_IN_VIEW`): a select box's list then opens with room on screen, and
    no late scroll event closes it (see :func:`open_list`)."""
    element.evaluate(CENTRE_IN_VIEW)


def open_list(box: Locator) -> None:
    """Open a select box's list where all of it fits on screen.

    Streamlit's select boxes are React Aria combo boxes, which close an open list when the
    page scrolls (a list must not float away from its box). Opened near the bottom edge, the
    list ran off screen; Playwright then scrolled to reach the option, the scroll closed the
    list, and the click landed on the page with no choice made. A busy machine made that
    race more likely, which is why it looked random. The box is centred first and the
    scroll delivered before the list opens; callers assert the option is in view.
    """
    centre_in_view(box)
    box.click()


def open_app(page: Page, url: str, shows: Locator | None = None) -> None:
    """Go to ``url`` and wait until the app has finished its first run (and shows ``shows``)."""
    page.goto(url)
    wait_for_app(page, shows)


DECK = "[data-testid=stDeckGlJsonChart]"


def deck_canvas(page: Page) -> Locator:
    """The map's canvas, once deck.gl has drawn a frame into it.

    deck.gl sets the cursor of its canvas (``grab``) in every frame it renders, so the style
    says the deck is drawing and listening to the pointer (a pointer move before that is
    lost: deck.gl's event handling starts with its first frame).
    """
    canvas = page.locator(f"{DECK} canvas").first
    expect(canvas).to_be_visible()
    expect(canvas).to_have_css("cursor", "grab")
    return canvas


CLICK_IN_ONE_TASK = """(canvas, {x, y}) => {
  const box = canvas.getBoundingClientRect();
  const at = {clientX: box.left + x, clientY: box.top + y, bubbles: true, cancelable: true,
              composed: true, pointerId: 1, pointerType: "mouse", isPrimary: true, button: 0};
  canvas.dispatchEvent(new PointerEvent("pointerdown", {...at, buttons: 1}));
  canvas.dispatchEvent(new PointerEvent("pointerup", {...at, buttons: 0}));
}"""


def click_deck(canvas: Locator, position: dict) -> None:
    """Click the deck at ``position`` (relative to its canvas) as one press and release.

    deck.gl's click is a tap gesture: press and release less than 250 ms apart, timed with
    ``Date.now()`` when the page handles each event. Playwright's click sends the two as
    separate inputs, each acknowledged by the page; on a busy machine the page handled them
    more than 250 ms apart, deck.gl saw a long press, and the click was lost (no card, no
    selection) although the tooltip had shown the point. Dispatched together in one task,
    the page sees the press and release a click is, at any machine load.
    """
    canvas.hover(position=position)  # the pointer is there too, as for a person's click
    canvas.evaluate(CLICK_IN_ONE_TASK, position)


def centre_of(element: Locator) -> dict:
    """The element's centre, relative to the element, for ``hover``/``click(position=...)``;
    those wait until the element is visible, stable (its box unchanged over two frames)
    and receives the pointer, so a layout still settling after a run is waited for."""
    element.element_handle().wait_for_element_state("stable")
    box = element.bounding_box()
    return {"x": box["width"] / 2, "y": box["height"] / 2}
