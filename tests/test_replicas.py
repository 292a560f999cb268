"""Past one machine: 100 light sessions across two replicas behind nginx.

``scripts/serve_replicas.sh 2`` starts two app processes and Debian's nginx with sticky
sessions (a cookie hashed to a replica) and WebSocket upgrade; ``bench/load.py`` runs 100
protocol clients through it, each opening the Organizations page and searching a place. Every
session must be served without error, by one replica only (its page load, its WebSocket and a
request after its journey all name the same replica), and both replicas must serve sessions.
Latency is reported by the benchmark, never asserted here.
"""

from __future__ import annotations

import pytest

from bench import load

pytestmark = pytest.mark.load

SESSIONS = 100


def test_100_sessions_across_two_replicas_each_stay_on_one():
    """Every session served, none switching replica, both replicas used."""
    figures = load.run_level(SESSIONS, steps=("open", "search"), replicas=2)
    print(figures)
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["reruns"] == 2 * SESSIONS
    replicas = figures["replicas"]
    assert replicas["sessions_switching"] == 0
    assert replicas["sessions_unnamed"] == 0
    assert len(replicas["sessions_per_replica"]) == 2, replicas
    assert sum(replicas["sessions_per_replica"].values()) == SESSIONS
