"""A real app server (started the way the README starts it), headless Debian Chromium, and
the checks several browser tests share (axe-core, link schemes, injected markup)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from components.frame import CLOSE_DRAWER_ON_NAVIGATION
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


def start_app(*, data_dir: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Run the README's app command on a free port; return the process and base URL."""
    port = free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["EXPLORER_DATA_DIR"] = str(data_dir)
    log = (ARTIFACTS / f"server-{port}.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/run_app.sh", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited early; see {log.name}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("app did not become healthy in time")


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


RUN_COUNTER = """
window.__runsStarted = 0;
window.__runsFinished = 0;
window.__startsSeen = 0;
window.__runsSeen = 0;
window.__lastMessageAt = 0;
const FIELD_NEW_SESSION = 4, FIELD_SCRIPT_FINISHED = 6, FINISHED_EARLY_FOR_RERUN = 2;
function readVarint(bytes, at) {
  let value = 0, scale = 1, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
  return [value, at];
}
function countRun(buffer) {
  const bytes = new Uint8Array(buffer);
  let at = 0;
  while (at < bytes.length) {
    let tag, value;
    [tag, at] = readVarint(bytes, at);
    const field = Math.floor(tag / 8), wire = tag & 7;
    if (wire === 0) {
      [value, at] = readVarint(bytes, at);
      if (field === FIELD_SCRIPT_FINISHED && value !== FINISHED_EARLY_FOR_RERUN) {
        window.__runsFinished += 1;
      }
    } else if (wire === 2) {
      [value, at] = readVarint(bytes, at);
      if (field === FIELD_NEW_SESSION) window.__runsStarted += 1;
      at += value;
    } else if (wire === 1) { at += 8; } else if (wire === 5) { at += 4; } else { return; }
  }
}
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      window.__lastMessageAt = performance.now();
      if (event.data instanceof ArrayBuffer) countRun(event.data);
      else if (event.data instanceof Blob) event.data.arrayBuffer().then(countRun);
    });
  }
};
"""
"""Counts the app's script runs from the server's own messages (a ``ForwardMsg`` with
``new_session`` starts a run, one with ``script_finished`` ends it), so a test waits for the
run its action started instead of sleeping. Counting the DOM's script-state attribute missed
fast runs on a busy machine: React batches the running and finished states into one render."""


def new_page(
    browser: Browser,
    *,
    viewport: dict | None = None,
    color_scheme: str | None = None,
    locale: str = "en-GB",
) -> Page:
    """A page in a fresh context (own cookies, own Streamlit session) that records dialogs
    and counts the app's script runs (see :func:`wait_for_app`); every browser test makes
    its pages here, so :func:`wait_for_app` works on all of them. ``locale``: a non-US one
    by default, so distances start in km and paper in A4 (a US browser gets miles, Letter)."""
    context = browser.new_context(
        viewport=viewport or VIEWPORT, color_scheme=color_scheme, locale=locale
    )
    context.add_init_script(RUN_COUNTER)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    page.context.close()


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


APP_SCRIPTS = [
    CLOSE_DRAWER_ON_NAVIGATION.removeprefix("<script>").removesuffix("</script>").strip()
]
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


def open_app(page: Page, url: str) -> None:
    """Go to ``url`` and wait until the app has finished its first run."""
    page.goto(url)
    wait_for_app(page)


RUN_STARTED = """() => window.__runsStarted > window.__startsSeen
    || document.querySelector('[data-testid=stApp][data-test-script-state=running]') !== null"""
"""A run has begun: the server said so, or the browser has already marked the app running
(it does so as soon as it sends a widget's change, before the server answers)."""
POLL_MS = 100
"""Waits poll on a timer: polling on animation frames stalled for seconds while the software
renderer drew the map, so a run that had started went unseen."""
RENDER_QUIET_MS = 150
"""Quiet time after the server's last message, so the browser has drawn what the run sent."""
ACTION_ATTEMPTS = 20
ACTION_ANSWER_MS = 1_000
"""How long an action may take to start a run before it counts as missed and is repeated."""


def until_run(
    page: Page,
    action: Callable[[], None],
    *,
    attempts: int = ACTION_ATTEMPTS,
    answer_ms: int = ACTION_ANSWER_MS,
) -> None:
    """Do ``action`` until it starts a script run, then wait for that run to end.

    For an action a busy browser may swallow (a click on a map point drawn after its canvas
    appears, an option in a list that is still filtering): a missed action changes nothing,
    so repeating it is safe, and no fixed delay is guessed.
    """
    for _ in range(attempts):
        action()
        try:
            page.wait_for_function(RUN_STARTED, timeout=answer_ms, polling=POLL_MS)
        except PlaywrightTimeoutError:
            continue
        wait_for_app(page)
        return
    raise AssertionError(f"{attempts} attempts started no run")


MAP_CLICK_ANSWER_MS = 5_000
"""A click on the map is answered late on a busy machine: the software renderer draws deck.gl's
picking pass on the page's one thread, and a second click too soon would undo the first."""


def click_until_run(page: Page, x: float, y: float) -> None:
    """Click at ``x, y`` until a click starts a script run, then wait for that run to end."""
    until_run(page, lambda: page.mouse.click(x, y), answer_ms=MAP_CLICK_ANSWER_MS)


def wait_for_app(page: Page) -> None:
    """Wait until a script run that started after the last wait has finished.

    Call it once after each action that reruns the app (a page load, a widget change): it
    returns when that run is over, however long it took, and never sooner.
    """
    page.wait_for_function(
        f"""() => window.__runsFinished > window.__runsSeen
            && performance.now() - window.__lastMessageAt > {RENDER_QUIET_MS}
            && document.querySelector(
                '[data-testid=stApp][data-test-script-state=notRunning]') !== null""",
        timeout=60_000,
        polling=POLL_MS,
    )
    page.evaluate(
        "window.__runsSeen = window.__runsFinished; window.__startsSeen = window.__runsStarted"
    )
