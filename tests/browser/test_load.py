"""Load and isolation in real browsers: a smoke test of 5 concurrent sessions on one server.

Each session (its own Playwright context, so its own Streamlit session) searches a
different place, changes a filter, opens the nearest organization's card, waits until
every other session has done the same, then checks again that it still sees only its
own place, filter, results and card. The server's memory is measured before the first
session, after one warm-up session (data loaded), and while all sessions are held open:
growth per session must be a small fraction of the one-off data load, which shows data
is loaded once per process, not once per session. The figures are printed and saved to
``tests/artifacts/load-figures.json``.

WebGL is off in this browser: drawing maps in software on a 2-core machine would measure
Chromium, not the server (the map itself is covered by ``test_map.py``).

This replaced a 22-session version (3–4 minutes, and it said nothing about 50 or 100 users):
many sessions are now light protocol clients (``bench/load.py``: 20, 50 and 100 sessions on
one server, 100 across two replicas in ``tests/test_replicas.py``); here 5 browsers check
that what each person sees stays their own.

Marked ``load``: the default run leaves it out and ``scripts/test.sh`` runs it as its own
step (``pytest -m load``), on a server of its own so its memory figures start from nothing.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from explorer.config import data_dir
from explorer.directory.filters import Filters
from explorer.directory.search import search
from explorer.directory.table import directory_frame
from explorer.pipeline import build_catalog
from explorer.places.resolve import resolve_place
from tests.browser.conftest import (
    ARTIFACTS,
    CENTRE_IN_VIEW,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    server_rss,
    start_app,
    stop_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.load]

PLACES = (
    "48116", "98101", "20824", "R3M 3S7", "54301", "20898", "Detroit, MI", "Seattle, WA",
    "Green Bay, WI", "Winnipeg, Manitoba", "Ballarat, Australia", "Chicago, IL",
    "Toronto, Ontario", "10001", "90210", "Boston, MA", "Vancouver, BC", "Denver, CO",
    "33101", "Melbourne, Australia", "Atlanta, GA", "60601",
)  # fmt: skip
SESSIONS = 5
TOTAL_TIMEOUT_S = 600  # room on a busy 2-core machine, not a speed test
STEP_TIMEOUT_MS = 120_000
LOAD_ARGS = [*CHROMIUM_ARGS, "--disable-3d-apis"]
NO_WEBGL = "Failed to create WebGL context"
"""The one page error expected with WebGL off (the map cannot draw); any other fails."""
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


@dataclass(frozen=True)
class Plan:
    """What one session does and what it alone should then see."""

    place: str
    label: str
    default_unit: str
    """The unit the page starts in after the search (miles for a US place, else km)."""
    unit: str
    radius: str
    first: str

    @property
    def filter_step(self) -> tuple[str, str]:
        """The sidebar select box this session changes, and to what."""
        return ("Unit", self.unit) if self.unit != self.default_unit else ("Within", self.radius)


def plans() -> list[Plan]:
    """Odd sessions switch away from their place's default unit, even ones choose a radius of
    500 in it; the expected rows come from the core."""
    frame = directory_frame(build_catalog(data_dir()).organizations)
    result = []
    for index, text in enumerate(PLACES[:SESSIONS]):
        place = resolve_place(text)
        default = "mi" if place.country == "US" else "km"  # the app's rule (en-GB browsers)
        other = "km" if default == "mi" else "mi"
        unit, radius = (other, "any") if index % 2 else (default, "500")
        filters = Filters(unit=unit, radius=None if radius == "any" else int(radius))
        first = search(frame, filters, place).shown.iloc[0]["name"]
        result.append(Plan(text, place.label, default, unit, radius, first))
    return result


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[tuple[subprocess.Popen, str]]:
    """A server no other test has used: its memory before the first session is the baseline."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    process, base = start_app()
    yield process, base
    stop_app(process)


async def new_session_page(browser: Browser) -> Page:
    """A page in a context of its own: its own Streamlit session."""
    context = await browser.new_context(viewport=VIEWPORT, locale="en-GB")  # km until a US place
    context.set_default_timeout(STEP_TIMEOUT_MS)
    return await context.new_page()


async def settle(page: Page) -> None:
    """The app is idle (its own status); callers then assert what they expect to see."""
    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)


async def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box called ``label`` with its own Open button (a click,
    unlike a key press, cannot land in a neighbouring box), then wait for it to show. The
    box is centred before its list opens, so reaching the option never scrolls the page
    (which closes the list: see ``conftest.open_list``)."""
    box = page.get_by_role("combobox", name=label)
    opener = page.get_by_role("group").filter(has=box).get_by_role("button", name="Open")
    before = page.url
    await box.evaluate(CENTRE_IN_VIEW)
    await opener.click()
    await expect(page.get_by_role("listbox")).to_be_visible()
    choice = page.get_by_role("option", name=option, exact=True)
    await expect(choice).to_be_in_viewport(ratio=1)
    await choice.click()
    await expect(box).to_have_value(option)
    # The run the choice started writes it into the link (unit, radius or org): wait for
    # that, so the next step never meets a box that this run is about to redraw.
    await expect(page).not_to_have_url(before)
    await settle(page)


async def assert_defaults(page: Page, unit: str = "km") -> None:
    """The filters this session has not touched yet still show their defaults (the unit's
    follows the place searched: miles for a US one)."""
    for label, value in (("Within", "any distance"), ("Unit", unit)):
        await expect(page.get_by_role("combobox", name=label)).to_have_value(value)


async def assert_own_view(page: Page, plan: Plan) -> None:
    """This session's place, filter, nearest organization and card, and nobody else's."""
    await expect(page.get_by_role("textbox", name="ZIP, postal code or city")).to_have_value(
        plan.place
    )
    await expect(page.get_by_role("heading", name=f"Near {plan.label}")).to_be_visible()
    first = page.locator("ol li").first
    await expect(first).to_contain_text(plan.first)
    await expect(first).to_contain_text(f" {plan.unit} ·")
    card = page.locator(".st-key-org_card").get_by_role("heading").first
    await expect(card).to_have_text(plan.first)
    chosen = plan.unit != plan.default_unit  # a default stays out of the link
    assert f"unit={plan.unit}" in page.url if chosen else "unit=" not in page.url
    await expect(page.locator("[data-testid=stException]")).to_have_count(0)


async def session(browser: Browser, base: str, plan: Plan, barrier: asyncio.Barrier) -> None:
    expect.set_options(timeout=STEP_TIMEOUT_MS)
    page = await new_session_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        await page.goto(f"{base}/organizations")
        await settle(page)
        await assert_defaults(page)  # the sidebar is drawn before anyone types, as for a person
        box = page.get_by_role("textbox", name="ZIP, postal code or city")
        await box.fill(plan.place)
        await box.press("Enter")
        await expect(page.get_by_role("heading", name=f"Near {plan.label}")).to_be_visible()
        await expect(page).to_have_url(re.compile("[?&]place="))
        await settle(page)
        await assert_defaults(page, plan.default_unit)
        await choose(page, *plan.filter_step)
        await choose(page, "Show how to reach", plan.first)
        await assert_own_view(page, plan)
        await barrier.wait()  # every session is open and has done its part
        await barrier.wait()  # the main task has measured memory meanwhile
        await page.reload()  # a new run from this session's own URL: still its own view
        await settle(page)
        await assert_own_view(page, plan)
        assert [e for e in errors if NO_WEBGL not in e] == []
    except BaseException:
        await barrier.abort()  # release the others: one failure ends the run, not a timeout
        await page.screenshot(path=ARTIFACTS / f"load-failed-{plan.place}.png")
        raise
    finally:
        await page.context.close()


async def drive(process: subprocess.Popen, base: str, all_plans: list[Plan]) -> dict:
    figures = {"sessions": len(all_plans), "rss_start_mb": server_rss(process) / 2**20}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LOAD_ARGS
        )
        warm = await new_session_page(browser)
        await warm.goto(f"{base}/organizations?place=48116")
        await settle(warm)
        await warm.context.close()
        figures["rss_loaded_mb"] = server_rss(process) / 2**20
        barrier = asyncio.Barrier(len(all_plans) + 1)
        tasks = [asyncio.create_task(session(browser, base, p, barrier)) for p in all_plans]
        try:
            await barrier.wait()
            figures["rss_held_mb"] = server_rss(process) / 2**20
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            pass  # a session failed: its own error is raised below
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        await browser.close()
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    real = [f for f in failures if not isinstance(f, asyncio.BrokenBarrierError)]
    if failures:
        raise (real or failures)[0]
    return figures


def test_concurrent_sessions_are_isolated_and_share_data(fresh_server):
    """5 concurrent sessions all finish, each sees only its own view, memory grows little."""
    process, base = fresh_server
    all_plans = plans()
    assert len({p.label for p in all_plans}) == SESSIONS, "every session a different place"
    run = asyncio.wait_for(drive(process, base, all_plans), TOTAL_TIMEOUT_S)
    with ThreadPoolExecutor(1) as worker:  # its own thread: no clash with the sync API's loop
        figures = worker.submit(asyncio.run, run).result()
    load = figures["rss_loaded_mb"] - figures["rss_start_mb"]
    per_session = (figures["rss_held_mb"] - figures["rss_loaded_mb"]) / SESSIONS
    figures |= {"data_load_mb": load, "growth_per_session_mb": per_session}
    (ARTIFACTS / "load-figures.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    assert per_session < load / 4, figures
    assert not re.search(
        "Traceback", (ARTIFACTS / f"server-{base.rsplit(':', 1)[1]}.log").read_text()
    )
