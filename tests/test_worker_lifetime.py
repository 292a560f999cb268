"""Report workers die with the server that started them (a killed server leaked them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil

from tests.conftest import PROJECT_ROOT

# A "server" that starts a cold build whose workers can never finish: each report is a
# named pipe nobody writes to, so a worker blocks reading it until something ends it.
SERVER = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    import psutil
    from explorer.cold_build import read_in_pool

    if __name__ == "__main__":
        jobs = [(Path(arg), Path(arg).name) for arg in sys.argv[1:]]
        threading.Thread(target=lambda: list(read_in_pool(jobs, None)), daemon=True).start()
        me = psutil.Process()
        while True:  # until the workers exist: then say who they are and wait to be killed
            workers = [
                child.pid for child in me.children()
                if "spawn_main" in " ".join(child.cmdline())
            ]
            if len(workers) == len(jobs):
                print(*workers, flush=True)
                threading.Event().wait()
            time.sleep(0.05)
    """
)


def test_workers_exit_when_the_server_is_killed_mid_build(tmp_path: Path):
    reports = []
    for name in ("a.txt", "b.txt"):
        os.mkfifo(tmp_path / name)
        reports.append(str(tmp_path / name))
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, str(script), *reports],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    workers: list[psutil.Process] = []
    try:
        workers = [psutil.Process(int(pid)) for pid in server.stdout.readline().split()]
        assert len(workers) == 2
        assert all(worker.is_running() for worker in workers)
        server.send_signal(signal.SIGKILL)  # as `kill -9` of the server mid-build
        server.wait(timeout=60)
        gone, alive = psutil.wait_procs(workers, timeout=60)
        assert alive == [], f"workers outlived the server: {alive}"
        assert len(gone) == 2
    finally:  # only what this test started, by id
        server.kill()
        server.wait(timeout=60)
        for worker in workers:
            if worker.is_running():
                worker.kill()
