"""The cold build's wall and CPU seconds, its report workers' included, in fresh processes.

    .venv/bin/python -m bench.cold_cpu --size 100000 --runs 3
    .venv/bin/python -m bench.cold_cpu --size 100000 --runs 3 --in-process
    .venv/bin/python -m bench.cold_cpu --size 200000 --runs 1 --one-report

Each run is ``build_catalog`` on the benchmark's synthetic data (:mod:`bench.synthetic`,
fixed seed) in a process of its own, the gazetteer built first, as ``bench.run``'s
"parse + geocode, cold" row runs it. Wall time says what a user waits on a quiet
machine; CPU seconds (this process, and its report workers through ``RUSAGE_CHILDREN``)
say what the build costs whatever else the machine is doing, so figures taken under load
still compare. The load average is printed beside each run. ``--in-process`` reads the
reports here, one after another, without workers. ``--one-report`` writes every
organization into one lean report, as ``bench.run``'s large-single-report row does (its
organization blocks are then shared between this process and the workers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def work(data: Path, in_process: bool) -> dict:
    """One cold build in this process: its wall and CPU seconds."""
    from explorer.catalog import read_in_order
    from explorer.pipeline import build_catalog
    from explorer.places.gazetteer import load_gazetteer

    load_gazetteer()
    own, children = _cpu()
    start = time.perf_counter()
    catalog = build_catalog(data, read_files=read_in_order if in_process else None)
    wall = time.perf_counter() - start
    own_after, children_after = _cpu()
    return {
        "wall_s": round(wall, 2),
        "cpu_self_s": round(own_after - own, 2),
        "cpu_workers_s": round(children_after - children, 2),
        "organizations": len(catalog.organizations),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--one-report", action="store_true")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(work(args.worker, args.in_process)))
        return 0
    from bench.synthetic import write_dataset

    with tempfile.TemporaryDirectory() as folder:
        shape = {"reports_count": 1, "lean": True} if args.one_report else {}
        data = write_dataset(args.size, Path(folder) / "data", **shape)
        env = {**os.environ, "EXPLORER_CACHE_DIR": str(Path(folder) / "cache")}
        runs = []
        for _ in range(args.runs):
            command = [sys.executable, "-m", "bench.cold_cpu", "--worker", str(data)]
            command += ["--in-process"] if args.in_process else []
            done = subprocess.run(
                command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), flush=True)
    for key in ("wall_s", "cpu_self_s", "cpu_workers_s"):
        print(f"median {key}: {statistics.median(run[key] for run in runs):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
