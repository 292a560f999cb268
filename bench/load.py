"""The real server under load, measured with light clients that speak Streamlit's protocol.

    .venv/bin/python -m bench.load --sessions 20 50 100 --out bench/results/load.json
    .venv/bin/python -m bench.load --pace 5 10 --sessions 100 --out bench/results/pace.json
    .venv/bin/python -m bench.load --pace 5 10 --ramp 30 --sessions 100
    .venv/bin/python -m bench.load --replicas 2 --sessions 100 --out bench/results/replicas.json
    .venv/bin/python -m bench.load --size 100000 --sessions 20 --out bench/results/load-100k.json

A real browser per session makes Chromium, not the server, the bottleneck on a small
machine. Here each session is one WebSocket to ``/_stcore/stream`` that sends what the
browser sends (``BackMsg.rerun_script`` with the page and every widget's value) and reads
the server's ``ForwardMsg`` replies (``streamlit.proto``, Streamlit's public protocol
package), so nearly all CPU time measured is the app's.

Each session runs a person's journey on the Organizations page: open the page, search near
a place (a different one per session), choose the nearest organization in the picker (its
card must be drawn), then search a second place and choose again (the nearest one not
already open), then go to the Overview page. A step's time runs from sending it to the end
of its script run, and counts only if the run drew what the step is for ("Near <place>",
the card's heading, or the Overview's "General discussion"); anything else is an error.
``--size N`` serves N synthetic organizations (the benchmark's reports) instead of the
bundled data.

Two modes:

- **saturation** (default): every session sends its next step as soon as the last one is
  answered; all sessions do a step, then the next (so the server's memory is read after each
  step). Reported per number of sessions: rerun p50/p95, errors, server RSS after each step,
  server CPU per rerun (user + system time of the server and its children, from psutil,
  divided by the reruns) and reruns per second; and per step, p50/p95 and the server's CPU
  per rerun of that step (the steps do not overlap, so the CPU of a step's span is its own).
- **a person's pace** (``--pace MIN MAX``): each session waits a random MIN–MAX seconds
  before each step (as a person reads), so the server is loaded as many readers load it.
  All sessions arrive at once (every first step within MIN–MAX seconds): the harshest
  case, and the figure the README keeps. ``--ramp S`` adds a gentler one beside it: the
  sessions arrive at seeded random moments over S seconds and open the page on arrival,
  then go on at the same pace. The steps overlap here, so CPU is reported per rerun only.

``--replicas N`` runs the journeys through ``scripts/serve_replicas.sh N`` (N app processes
behind nginx with sticky sessions) and also reports which replica served each session: every
session must be served, by one replica only (its page load, its WebSocket and a request
after its journey all name the same one), and every replica must serve some.

Every wait has a timeout, so a run always ends. No figure here is asserted as a timing by
any test: the README records them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PLACE_LABEL = "ZIP, postal code or city"
PICKER_LABEL = "Show how to reach"
PAGE = "organizations"
PLACES = (
    "48116", "98101", "20824", "R3M 3S7", "54301", "Detroit, MI", "Seattle, WA",
    "Green Bay, WI", "Winnipeg, Manitoba", "Ballarat, Australia", "Chicago, IL", "10001",
)  # fmt: skip
STEPS = ("open", "search", "choose", "search again", "choose again", "overview")
OVERVIEW_HEADING = "General discussion"
"""A heading the Overview page always draws (the report's text follows it)."""
START_TIMEOUT_S = 240
RUN_TIMEOUT_S = 300
"""Longest wait for one script run to finish, however busy the server (``--run-timeout``)."""
run_timeout_s = RUN_TIMEOUT_S
LEVEL_TIMEOUT_S = 1200
"""Longest time one number of sessions may take in all."""
REPLICA_HEADER = "X-Replica"
"""The response header ``scripts/serve_replicas.sh``'s nginx adds: the replica that answered."""


@dataclass
class Session:
    """One light client: its socket, its widgets' ids and values, its times and errors."""

    index: int
    socket: websockets.ClientConnection | None = None
    cookie: str = ""
    widgets: dict[str, str] = field(default_factory=dict)
    """Widget id → string value: sent with every rerun, as the browser sends every widget."""
    ids: dict[str, str] = field(default_factory=dict)
    """Widget label → id, from the last run."""
    options: list[str] = field(default_factory=list)
    """The picker's options (organization names) in the last run."""
    chosen: str = ""
    """The organization chosen last (its name)."""
    query: str = ""
    """The page's query string as the server last set it (the browser sends it back)."""
    times_s: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    replicas: set[str] = field(default_factory=set)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen) -> None:
    """Until ``url``/_stcore/health answers 200 (or the process ends, or time runs out)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise RuntimeError(f"{url} did not become healthy in time")


def start_server(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """The app on a free loopback port (headless, no file watcher), with ``env`` added to
    its environment; process and URL."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", HOST, "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://{HOST}:{port}"
    wait_healthy(url, process)
    return process, url


def start_replicas(count: int, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``scripts/serve_replicas.sh count`` on a free port: nginx and the replicas (``env``
    added to their environment); the URL."""
    port = free_port()
    log = (PROJECT_ROOT / ".cache" / "replicas.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/serve_replicas.sh", str(count), str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://{HOST}:{port}"
    wait_healthy(url, process)
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)


def server_processes(process: subprocess.Popen) -> list[psutil.Process]:
    root = psutil.Process(process.pid)
    return [root, *root.children(recursive=True)]


def server_rss_mb(process: subprocess.Popen) -> float:
    """Resident memory of the server (or every replica and nginx) and its children."""
    total = 0
    for proc in server_processes(process):
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def server_cpu_s(process: subprocess.Popen) -> float:
    """User + system CPU seconds used so far by the server and its children."""
    total = 0.0
    for proc in server_processes(process):
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def rerun_message(session: Session, page: str = PAGE) -> bytes:
    message = BackMsg()
    state = message.rerun_script
    state.page_name = page
    state.query_string = session.query
    for widget_id, value in session.widgets.items():
        widget = state.widget_states.widgets.add()
        widget.id = widget_id
        widget.string_value = value
    return message.SerializeToString()


async def run_once(session: Session, wanted: str = "", page: str = PAGE) -> bool:
    """Send one rerun with the session's widgets and read until its script run ends.

    Remembers the place box's and the picker's ids and the picker's options; returns whether
    a heading starting with ``wanted`` was drawn (True when nothing is wanted).
    """
    await session.socket.send(rerun_message(session, page))
    drawn = not wanted
    while True:
        raw = await asyncio.wait_for(session.socket.recv(), run_timeout_s)
        message = ForwardMsg.FromString(raw)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            which = element.WhichOneof("type")
            if which == "text_input" and PLACE_LABEL in element.text_input.label:
                session.ids[PLACE_LABEL] = element.text_input.id
            elif which == "selectbox" and element.selectbox.label == PICKER_LABEL:
                session.ids[PICKER_LABEL] = element.selectbox.id
                session.options = list(element.selectbox.options)
            elif which == "heading" and wanted:
                # Text from data is Markdown-escaped (``\-``): compare it as it reads.
                drawn = drawn or element.heading.body.replace("\\", "").startswith(wanted)
        elif kind == "page_info_changed":
            session.query = message.page_info_changed.query_string
        elif kind == "script_finished":
            status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
            if status != "FINISHED_EARLY_FOR_RERUN":
                return drawn


async def connect(session: Session, url: str) -> None:
    """Open the session as a browser does: load the page (a replica is chosen, and a cookie
    keeps it), then open the WebSocket with that cookie."""
    response = await asyncio.to_thread(urllib.request.urlopen, f"{url}/{PAGE}", timeout=60)
    with response:
        response.read()
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        if replica := response.headers.get(REPLICA_HEADER):
            session.replicas.add(replica)
    session.cookie = "; ".join(cookies)
    headers = {"Cookie": session.cookie} if session.cookie else {}
    session.socket = await websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers=headers,
        max_size=None,
        ping_interval=None,  # as a browser: the server pings, the client only answers
        open_timeout=RUN_TIMEOUT_S,
    )
    if replica := session.socket.response.headers.get(REPLICA_HEADER):
        session.replicas.add(replica)


async def confirm_replica(session: Session, url: str) -> None:
    """After the journey, one more request with the session's cookie: which replica now?"""
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": session.cookie})
    response = await asyncio.to_thread(urllib.request.urlopen, request, timeout=60)
    with response:
        if replica := response.headers.get(REPLICA_HEADER):
            session.replicas.add(replica)


def place_of(session: Session, step: str) -> str:
    return PLACES[(session.index + (step == "search again")) % len(PLACES)]


async def do_step(session: Session, url: str, step: str) -> None:
    """One step of the journey, timed from sending to the end of its run."""
    start = time.perf_counter()
    try:
        if step == "open":
            await connect(session, url)
            ok = await run_once(session)
            ok = ok and PLACE_LABEL in session.ids
        elif step == "overview":
            # The Overview page's link, as a person leaves the directory (no widgets).
            ok = await run_once(session, wanted=OVERVIEW_HEADING, page="")
        elif step.startswith("search"):
            session.widgets[session.ids[PLACE_LABEL]] = place_of(session, step)
            ok = await run_once(session, wanted="Near ")
        else:
            if not session.options:
                raise RuntimeError("no organization to choose")
            # The nearest one not open already: a person chooses again to see another
            # (choosing the open one again changes no widget, and a browser sends nothing).
            others = [option for option in session.options if option != session.chosen]
            name = session.chosen = (others or session.options)[0]
            session.widgets[session.ids[PICKER_LABEL]] = name
            ok = await run_once(session, wanted=name)
    except (OSError, TimeoutError, KeyError, RuntimeError, websockets.WebSocketException) as exc:
        session.errors.append(f"{step}: {type(exc).__name__}: {exc}")
        return
    if ok:
        session.times_s.setdefault(step, []).append(time.perf_counter() - start)
    else:
        session.errors.append(f"{step}: the run did not draw what the step is for")


def mode_name(pace: tuple | None, ramp_s: float) -> str:
    if pace is None:
        return "saturation"
    arrival = f", arriving over {ramp_s:g} s" if ramp_s else ", all at once"
    return f"pace {pace[0]:g}-{pace[1]:g} s{arrival}"


def percentile_ms(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000, 1)


async def journeys(
    process: subprocess.Popen,
    url: str,
    count: int,
    steps: tuple[str, ...],
    pace: tuple | None,
    ramp_s: float = 0.0,
) -> dict:
    """``count`` sessions on one server (or proxy); figures for the level.

    With ``ramp_s`` (a person's pace only) the sessions arrive at seeded random moments over
    that many seconds and open the page on arrival, instead of each waiting its first pace.
    """
    warm = Session(index=0)  # loads the data once, like the first visitor
    await do_step(warm, url, "open")
    if warm.errors:
        raise RuntimeError(f"the first session failed: {warm.errors}")
    await warm.socket.close()
    sessions = [Session(index=i) for i in range(count)]
    rss = {"loaded": round(server_rss_mb(process), 1)}
    cpu_start = server_cpu_s(process)
    started = time.perf_counter()
    step_cpu_s: dict[str, float] = {}
    if pace is None:
        for step in steps:  # all sessions do a step as fast as answered, then the next
            before = server_cpu_s(process)
            await asyncio.gather(*(do_step(s, url, step) for s in sessions if not s.errors))
            step_cpu_s[step] = step_cpu_s.get(step, 0.0) + server_cpu_s(process) - before
            rss[step] = round(server_rss_mb(process), 1)
    else:
        rng = random.Random(count)
        arrivals = [rng.uniform(0, ramp_s) for _ in sessions] if ramp_s else None

        async def person(session: Session) -> None:
            for number, step in enumerate(steps):
                if number == 0 and arrivals:
                    await asyncio.sleep(arrivals[session.index])  # arrives, opens the page
                else:
                    await asyncio.sleep(rng.uniform(*pace))  # a person reads before acting
                if not session.errors:
                    await do_step(session, url, step)

        await asyncio.gather(*(person(s) for s in sessions))
        rss["held"] = round(server_rss_mb(process), 1)
    elapsed = time.perf_counter() - started
    cpu_s = server_cpu_s(process) - cpu_start
    if any(s.replicas for s in sessions):
        await asyncio.gather(*(confirm_replica(s, url) for s in sessions if s.socket))
    for session in sessions:
        if session.socket is not None:
            await session.socket.close()
    times = [t for s in sessions for step in s.times_s.values() for t in step]
    by_step = {}
    for step in steps:
        samples = [t for s in sessions for t in s.times_s.get(step, [])]
        by_step[step] = {
            "p50_ms": percentile_ms(samples, 0.5),
            "p95_ms": percentile_ms(samples, 0.95),
        }
        if step in step_cpu_s and samples:
            # Saturation only: the steps run one after the other, so the server's CPU in a
            # step's span is that step's (at a person's pace the steps overlap).
            by_step[step]["server_cpu_ms_per_rerun"] = round(
                step_cpu_s[step] * 1000 / len(samples), 1
            )
    errors = [e for s in sessions for e in s.errors]
    figures = {
        "sessions": count,
        "mode": mode_name(pace, ramp_s),
        "reruns": len(times),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "rerun_p50_ms": percentile_ms(times, 0.50),
        "rerun_p95_ms": percentile_ms(times, 0.95),
        "by_step": by_step,
        "reruns_per_s": round(len(times) / elapsed, 2) if elapsed else None,
        "server_cpu_ms_per_rerun": round(cpu_s * 1000 / len(times), 1) if times else None,
        "rss_mb": rss,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if any(s.replicas for s in sessions):
        served = Counter(next(iter(s.replicas)) for s in sessions if len(s.replicas) == 1)
        figures["replicas"] = {
            "sessions_per_replica": dict(sorted(served.items())),
            "sessions_switching": sum(len(s.replicas) > 1 for s in sessions),
            "sessions_unnamed": sum(not s.replicas for s in sessions),
        }
    return figures


def run_level(
    count: int,
    *,
    steps=STEPS,
    pace=None,
    replicas: int = 0,
    ramp_s: float = 0.0,
    env: dict[str, str] | None = None,
) -> dict:
    """One fresh server (or set of replicas) for one number of sessions, always stopped.
    ``env``: the data the server reads (:func:`synthetic_data`), else the bundled data."""
    process, url = start_replicas(replicas, env) if replicas else start_server(env)
    try:
        run = journeys(process, url, count, tuple(steps), pace, ramp_s)
        return asyncio.run(asyncio.wait_for(run, LEVEL_TIMEOUT_S))
    finally:
        stop_server(process)


def synthetic_data(size: int) -> dict[str, str]:
    """The environment pointing a server at ``size`` synthetic organizations: the
    benchmark's own reports (:func:`bench.synthetic.write_dataset`, fixed seed, written
    afresh) and a disk cache of their own, under ``.cache/bench-load/``. The first session
    of each level (not measured) pays the cold build."""
    from bench.synthetic import write_dataset

    folder = PROJECT_ROOT / ".cache" / "bench-load"
    data = write_dataset(size, folder / f"data-{size}")
    return {"EXPLORER_DATA_DIR": str(data), "EXPLORER_CACHE_DIR": str(folder / f"cache-{size}")}


def table(results: list[dict]) -> str:
    lines = [
        "| sessions | mode | reruns | errors | rerun p50 (ms) | rerun p95 (ms) | reruns/s "
        "| server CPU per rerun (ms) | RSS loaded → last (MB) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        rss = list(r["rss_mb"].values())
        lines.append(
            f"| {r['sessions']} | {r['mode']} | {r['reruns']} | {r['errors']} | "
            f"{r['rerun_p50_ms']} | {r['rerun_p95_ms']} | {r['reruns_per_s']} | "
            f"{r['server_cpu_ms_per_rerun']} | {rss[0]} → {rss[-1]} |"
        )
    return "\n".join(lines)


def step_table(results: list[dict]) -> str:
    """Per step: rerun p50/p95 and, in saturation, the server's CPU per rerun of that step."""
    lines = [
        "| sessions | mode | step | p50 (ms) | p95 (ms) | server CPU per rerun (ms) |",
        "| ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        for step, figures in r["by_step"].items():
            cpu = figures.get("server_cpu_ms_per_rerun", "–")
            lines.append(
                f"| {r['sessions']} | {r['mode']} | {step} | {figures['p50_ms']} | "
                f"{figures['p95_ms']} | {cpu} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--pace", type=float, nargs=2, metavar=("MIN_S", "MAX_S"), default=None)
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        metavar="S",
        help="with --pace: sessions arrive over S seconds (default: all at once)",
    )
    parser.add_argument("--replicas", type=int, default=0, help="N app processes behind nginx")
    parser.add_argument(
        "--size",
        type=int,
        default=0,
        metavar="N",
        help="N synthetic organizations (bench/synthetic.py) instead of the bundled data",
    )
    parser.add_argument("--run-timeout", type=float, default=RUN_TIMEOUT_S, metavar="S")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    global run_timeout_s
    run_timeout_s = args.run_timeout
    pace = tuple(args.pace) if args.pace else None
    if args.ramp and pace is None:
        parser.error("--ramp needs --pace (saturation sends every step at once by design)")
    env = synthetic_data(args.size) if args.size else None
    results = [
        run_level(
            count, steps=args.steps, pace=pace, replicas=args.replicas, ramp_s=args.ramp, env=env
        )
        for count in args.sessions
    ]
    for r in results:
        r["organizations"] = args.size or "bundled"
    print(f"data: {f'{args.size:,} synthetic organizations' if args.size else 'the bundled data'}")
    print(table(results))
    print()
    print(step_table(results))
    for r in results:
        if "replicas" in r:
            print(f"{r['sessions']} sessions, replicas: {json.dumps(r['replicas'])}")
        if r["error_examples"]:
            print(f"{r['sessions']} sessions, errors: {r['error_examples']}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "cpus": os.cpu_count(),
            "replicas": args.replicas,
            "organizations": args.size or "bundled",
            "levels": results,
        }
        args.out.write_text(json.dumps(record, indent=2))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
