"""Answers computed from the directory once per process, not once per page run.

Every session of a server reads the same directory frame, and most ask it the same few
questions: the unfiltered list, the counts beside each filter option, the same places
searched. A page run repeated those pandas operations for each session and each click
(most of a rerun's CPU on a small directory). :class:`PerFrame` keeps each answer for the
frame it was computed from, keyed by the question (a hashable value such as
:class:`~explorer.directory.search.Filters`), so the next session asking gets it at once.

The frame is held by a weak reference: when the directory is reloaded (edited reports),
the old answers go with the old frame, and a different frame never reads another's
answers. Answers are shared between sessions, so they must be treated as read-only.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import pandas as pd

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class PerFrame(Generic[K, V]):
    """``compute(frame, key)``, kept per (frame, key) while that frame lives.

    Keeps the answers of one frame at a time (the directory of the data folder shown),
    at most ``max_entries`` of them and, if ``weight`` is given, at most ``max_weight``
    in all (the least recently used go first), so big answers (row sets of a 100,000-row
    directory) cannot pile up. A computation runs outside the lock: two sessions asking
    the same new question at once may both compute it, which costs time but is correct.
    """

    def __init__(
        self,
        compute: Callable[[pd.DataFrame, K], V],
        *,
        max_entries: int,
        weight: Callable[[V], int] | None = None,
        max_weight: Callable[[pd.DataFrame], int] | None = None,
    ) -> None:
        self._compute = compute
        self._max_entries = max_entries
        self._weight = weight
        self._max_weight = max_weight
        self._lock = threading.Lock()
        self._frame: weakref.ref[pd.DataFrame] | None = None
        self._values: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __call__(self, frame: pd.DataFrame, key: K) -> V:
        with self._lock:
            if self._frame is not None and self._frame() is frame and key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key][0]
            self.misses += 1
        value = self._compute(frame, key)
        weight = self._weight(value) if self._weight else 0
        limit = self._max_weight(frame) if self._max_weight else None
        with self._lock:
            if self._frame is None or self._frame() is not frame:
                self._frame = weakref.ref(frame)
                self._values.clear()
            if limit is None or weight <= limit:
                self._values[key] = (value, weight)
                self._values.move_to_end(key)
            total = sum(w for _, w in self._values.values())
            while self._values and (
                len(self._values) > self._max_entries or (limit is not None and total > limit)
            ):
                _, (_, dropped) = self._values.popitem(last=False)
                total -= dropped
        return value

    def clear(self) -> None:
        """Forget every answer (tests)."""
        with self._lock:
            self._frame = None
            self._values.clear()
            self.hits = self.misses = 0
