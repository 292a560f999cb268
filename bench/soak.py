"""A bounded soak of the real server: memory stays flat over many reruns and report edits.

    .venv/bin/python -m bench.soak --rounds 8 --reruns 50 --edit-every 2

Why: the server no longer runs Streamlit's full garbage collection after every script run
(``runner.postScriptGC = false``) and the loaded data are frozen out of the collector's
scans (``gc.freeze``, :mod:`components.data`). This checks what that could cost: a leak
that only a full collection would have freed, or old data kept alive after the reports
changed. One fresh server (loopback only) on a copy of a data folder, with its own empty
disk cache; one light protocol client (:mod:`bench.load`) searches place after place on
the Organizations page. After each round of ``--reruns`` searches the server's resident
memory (itself and its children) and its CPU time per rerun are printed; every
``--edit-every`` rounds a report of the copy is edited (a blank line appended), so the
next rerun loads the changed data and must release the old. A benchmark, not a test:
nothing is asserted on time; the growth from the first round to the last is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from bench import load
from explorer.cache import CACHE_DIR_ENV
from explorer.config import DATA_DIR_ENV

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def start_server(
    data: Path, cache: Path, *, post_script_gc: bool = False
) -> tuple[subprocess.Popen, int]:
    """The app on a free loopback port, on ``data`` with the disk cache in ``cache``
    (``post_script_gc``: Streamlit's default collection after every run, to compare)."""
    port = load.free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", load.HOST, "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    command += ["--runner.postScriptGC", str(post_script_gc).lower()]
    environment = os.environ | {DATA_DIR_ENV: str(data), CACHE_DIR_ENV: str(cache)}
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + load.START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{load.HOST}:{port}/_stcore/health", timeout=2):
                return process, port
        except OSError:
            time.sleep(0.5)
    load.stop_server(process)
    raise RuntimeError("the app did not become healthy in time")


def server_cpu_s(process: subprocess.Popen) -> float:
    """CPU seconds (user + system) of the server and its children so far."""
    root = psutil.Process(process.pid)
    total = 0.0
    for part in [root, *root.children(recursive=True)]:
        times = part.cpu_times()
        total += times.user + times.system
    return total


def edit_a_report(data: Path, round_number: int) -> None:
    """Append a blank line to the first report: a new signature, the same organizations."""
    report = sorted((data / "reports").glob("*.txt"))[0]
    with report.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    os.utime(report, ns=(time.time_ns(), time.time_ns() + round_number))


async def open_session(port: int) -> load.Session:
    """Connect and run the Organizations page once, as a browser's first load does (the
    light client of :mod:`bench.load`, which finds the place box by its label)."""
    session = load.Session(index=0)
    await load.connect(session, f"http://{load.HOST}:{port}")
    await load.run_once(session)
    if load.PLACE_LABEL not in session.ids:
        raise RuntimeError("the Organizations page drew no place box")
    return session


async def soak(
    process: subprocess.Popen, port: int, data: Path, rounds: int, reruns: int, edit_every: int
) -> list[dict]:
    session = await open_session(port)  # the first visitor loads the data
    rows = []
    try:
        for round_number in range(1, rounds + 1):
            edited = bool(edit_every) and round_number > 1 and round_number % edit_every == 0
            if edited:
                edit_a_report(data, round_number)
            before = server_cpu_s(process)
            started = time.perf_counter()
            failures = 0
            for step in range(reruns):
                place = load.PLACES[step % len(load.PLACES)]
                session.widgets[session.ids[load.PLACE_LABEL]] = place
                found = await load.run_once(session, wanted="Near ")
                failures += not found
            elapsed = time.perf_counter() - started
            rows.append(
                {
                    "round": round_number,
                    "edited": edited,
                    "rss_mb": round(load.server_rss_mb(process), 1),
                    "cpu_ms_per_rerun": round((server_cpu_s(process) - before) / reruns * 1000, 1),
                    "reruns_per_s": round(reruns / elapsed, 1),
                    "failures": failures,
                }
            )
            print(rows[-1], flush=True)
    finally:
        await session.socket.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "data")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--reruns", type=int, default=50)
    parser.add_argument("--edit-every", type=int, default=2, help="0: never edit a report")
    parser.add_argument(
        "--post-script-gc", action="store_true", help="Streamlit's default, to compare"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        data = Path(scratch) / "data"
        shutil.copytree(args.data, data)
        process, port = start_server(
            data, Path(scratch) / "cache", post_script_gc=args.post_script_gc
        )
        try:
            rows = asyncio.run(soak(process, port, data, args.rounds, args.reruns, args.edit_every))
        finally:
            load.stop_server(process)
    first, last = rows[0]["rss_mb"], rows[-1]["rss_mb"]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (is it quiet?)")
    print(f"resident memory: {first} MB after round 1, {last} MB after round {len(rows)} ")
    print(f"growth {last - first:+.1f} MB over {len(rows) * args.reruns} reruns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
