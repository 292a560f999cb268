"""The benchmark's sessions take turns: each change of each session is timed between the
others', so a stretch of a slower machine falls on all of them alike. No timing is asserted."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bench.run import Session, _reruns_ms


def _recording(name: str, log: list[tuple[str, int]]) -> Session:
    """A session that logs each change it makes and each check after it, and never fails."""

    def step(n: int):
        return lambda: log.append((name, n))

    def check(shown: SimpleNamespace) -> None:
        log.append((f"{name} checked", log[-1][1]))  # the change it follows

    return Session(SimpleNamespace(exception=[]), step, check)


def test_sessions_take_turns_in_an_order_that_rotates():
    log: list[tuple[str, int]] = []
    sessions = {name: _recording(name, log) for name in ("page", "empty", "naive")}
    figures = _reruns_ms(sessions, 4)
    reruns = [entry for entry in log if not entry[0].endswith("checked")]
    assert reruns == [
        ("page", 0), ("empty", 0), ("naive", 0),
        ("empty", 1), ("naive", 1), ("page", 1),
        ("naive", 2), ("page", 2), ("empty", 2),
        ("page", 3), ("empty", 3), ("naive", 3),
    ]  # fmt: skip
    assert set(figures) == {"page", "empty", "naive"}
    assert all(ms >= 0 for ms in figures.values())


def test_each_rerun_is_checked_right_after_it():
    log: list[tuple[str, int]] = []
    _reruns_ms({"card": _recording("card", log), "empty": _recording("empty", log)}, 2)
    for position in range(0, len(log), 2):
        (name, n), (checked, checked_n) = log[position], log[position + 1]
        assert (checked, checked_n) == (f"{name} checked", n)


def test_a_session_that_fails_stops_the_benchmark_with_its_message():
    failing = SimpleNamespace(exception=[])
    log: list[tuple[str, int]] = []

    def step(n: int):
        def rerun() -> None:
            failing.exception = [SimpleNamespace(message="no such widget")]

        return rerun

    sessions = {"empty": _recording("empty", log), "page": Session(failing, step)}
    with pytest.raises(RuntimeError, match="page failed: no such widget"):
        _reruns_ms(sessions, 3)
