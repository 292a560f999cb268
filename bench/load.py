"""The server under load, measured with light clients that speak Streamlit's own protocol.

    .venv/bin/python -m bench.load --sessions 20 50 100 --out bench/results/load.json

A real browser per session makes Chromium, not the server, the bottleneck on a small
machine. Here each session is one WebSocket to ``/_stcore/stream`` that sends what the
browser sends (``BackMsg.rerun_script`` with the page and widget values) and reads the
server's ``ForwardMsg`` replies, so nearly all CPU time measured is the app's.

For each number of sessions, on one fresh server (loopback only): every session opens the
Organizations page, then searches :data:`SEARCHES_PER_SESSION` places, all sessions at
once. A search's time runs from sending the new place to the end of that script run, and
counts only if the run drew the "Near <place>" heading. Reported: p50 and p95 of those
times, failures, and the server's resident memory (itself and its children) after one
session (data loaded) and with every session open: (held - loaded) / sessions is the
memory per session. Every wait has a timeout, so a run always ends.

Uses Streamlit's protocol messages (``streamlit.proto``): a benchmark, not the app, so a
protocol change in a new Streamlit shows up here as a failed run, not as a broken app.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PLACE_LABEL = "ZIP, postal code or city"
PAGE = "organizations"
PLACES = (
    "48116", "98101", "20824", "R3M 3S7", "54301", "Detroit, MI", "Seattle, WA",
    "Green Bay, WI", "Winnipeg, Manitoba", "Ballarat, Australia", "Chicago, IL", "10001",
)  # fmt: skip
SEARCHES_PER_SESSION = 3
START_TIMEOUT_S = 240
RUN_TIMEOUT_S = 300
"""Longest wait for one script run to finish, however busy the server."""
LEVEL_TIMEOUT_S = 1200
"""Longest time one number of sessions may take in all."""


@dataclass
class Session:
    """One light client: its socket, the place box's widget id, and its search times."""

    socket: websockets.ClientConnection
    place_id: str = ""
    times_s: list[float] = field(default_factory=list)
    failures: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, int]:
    """The app on a free loopback port (headless, no file watcher); process and port."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", HOST, "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2):
                return process, port
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise RuntimeError("the app did not become healthy in time")


def stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)


def server_rss_mb(process: subprocess.Popen) -> float:
    root = psutil.Process(process.pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20


def _rerun(place_id: str = "", place: str = "") -> bytes:
    message = BackMsg()
    state = message.rerun_script
    state.page_name = PAGE
    if place_id:
        widget = state.widget_states.widgets.add()
        widget.id = place_id
        widget.string_value = place
    return message.SerializeToString()


async def _run(session: Session, request: bytes, wanted: str = "") -> bool:
    """Send one rerun and read until its script run ends; whether ``wanted`` was drawn."""
    await session.socket.send(request)
    drawn = False
    while True:
        raw = await asyncio.wait_for(session.socket.recv(), RUN_TIMEOUT_S)
        message = ForwardMsg.FromString(raw)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "text_input" and element.text_input.label == (
                PLACE_LABEL
            ):
                session.place_id = element.text_input.id
            heading = element.heading.body if element.WhichOneof("type") == "heading" else ""
            drawn = drawn or bool(wanted and heading.startswith(wanted))
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
            if status != "FINISHED_EARLY_FOR_RERUN":
                return drawn


async def open_session(port: int) -> Session:
    """Connect and run the Organizations page once, as a browser's first load does."""
    connection = await websockets.connect(
        f"ws://{HOST}:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=RUN_TIMEOUT_S,
    )
    session = Session(connection)
    await _run(session, _rerun())
    if not session.place_id:
        raise RuntimeError("the Organizations page drew no place box")
    return session


async def search(session: Session, index: int) -> None:
    """Search places in turn; time each from sending to the end of its run."""
    for step in range(SEARCHES_PER_SESSION):
        place = PLACES[(index + step) % len(PLACES)]
        start = time.perf_counter()
        try:
            found = await _run(session, _rerun(session.place_id, place), wanted="Near ")
        except (TimeoutError, websockets.ConnectionClosed):
            session.failures += SEARCHES_PER_SESSION - step
            return
        if found:
            session.times_s.append(time.perf_counter() - start)
        else:
            session.failures += 1


def _percentile_ms(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000, 1)


async def measure(process: subprocess.Popen, port: int, count: int) -> dict:
    """``count`` sessions searching at once on one server; latency and memory figures."""
    warm = await open_session(port)  # loads the data once, like the first visitor
    await search(warm, 0)
    loaded_mb = server_rss_mb(process)
    sessions = await asyncio.gather(*(open_session(port) for _ in range(count)))
    started = time.perf_counter()
    await asyncio.gather(*(search(s, i) for i, s in enumerate(sessions)))
    elapsed = time.perf_counter() - started
    held_mb = server_rss_mb(process)
    for session in [warm, *sessions]:
        await session.socket.close()
    times = [t for s in sessions for t in s.times_s]
    return {
        "sessions": count,
        "searches": len(times),
        "failures": sum(s.failures for s in sessions),
        "search_p50_ms": _percentile_ms(times, 0.50),
        "search_p95_ms": _percentile_ms(times, 0.95),
        "searches_per_s": round(len(times) / elapsed, 1) if elapsed else None,
        "rss_loaded_mb": round(loaded_mb, 1),
        "rss_held_mb": round(held_mb, 1),
        "mb_per_session": round((held_mb - loaded_mb) / count, 2),
    }


def run_level(count: int) -> dict:
    """One fresh server for one number of sessions, stopped whatever happens."""
    process, port = start_server()
    try:
        return asyncio.run(asyncio.wait_for(measure(process, port, count), LEVEL_TIMEOUT_S))
    finally:
        stop_server(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    results = [run_level(count) for count in args.sessions]
    print("| sessions | search p50 (ms) | search p95 (ms) | failures | MB per session |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['sessions']} | {r['search_p50_ms']} | {r['search_p95_ms']} | "
            f"{r['failures']} | {r['mb_per_session']} |"
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"cpus": os.cpu_count(), "levels": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
