"""Answers computed from a frame once per process, not once per page run.

Every session of a server reads the same directory frame, and most ask it the same few
questions: the unfiltered list, the counts beside each filter option, the same places
searched, the same page of the same table. A page run repeated those pandas operations
for each session and each click (most of a rerun's CPU on a small directory).
:class:`PerFrame` keeps each answer for the frame it was computed from, keyed by the
question (a hashable value such as :class:`~explorer.directory.search.Filters`), so the
next session asking gets it at once.

A frame is held by a weak reference only: when it goes (a reloaded directory, results
dropped), its answers go with it, and a frame never reads another's answers (even one
that later gets the same ``id``). Answers are shared between sessions: treat them as
read-only.
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

    At most ``max_entries`` answers are kept and, if ``weight`` is given, at most
    ``max_weight(frame)`` in all (the least recently used go first; an answer heavier than
    that is returned, not kept), so big answers (row sets of a 100,000-row directory)
    cannot pile up. A computation runs outside the lock: two sessions asking the same new
    question at once may both compute it, which costs time but is correct.
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
        self._values: OrderedDict[tuple[int, K], tuple[weakref.ref, V, int]] = OrderedDict()
        self._gone: list[int] = []
        """Ids of frames that died: appended by weak-reference callbacks (which may run in
        any thread, even inside this object's lock), their answers dropped on the next call."""
        self.hits = 0
        self.misses = 0

    def __call__(self, frame: pd.DataFrame, key: K) -> V:
        slot = (id(frame), key)
        with self._lock:
            self._drop_gone()
            entry = self._values.get(slot)
            if entry is not None and entry[0]() is frame:
                self._values.move_to_end(slot)
                self.hits += 1
                return entry[1]
            self.misses += 1
        value = self._compute(frame, key)
        weight = self._weight(value) if self._weight else 0
        limit = self._max_weight(frame) if self._max_weight else None
        if limit is not None and weight > limit:
            return value
        reference = weakref.ref(frame, _note_gone(self._gone, slot[0]))
        with self._lock:
            self._values[slot] = (reference, value, weight)
            self._values.move_to_end(slot)
            total = sum(kept[2] for kept in self._values.values())
            while len(self._values) > self._max_entries or (limit is not None and total > limit):
                _, (_, _, dropped) = self._values.popitem(last=False)
                total -= dropped
        return value

    def _drop_gone(self) -> None:
        """Forget the answers of frames that died (under the lock)."""
        while self._gone:
            number = self._gone.pop()
            for slot in [s for s, kept in self._values.items() if s[0] == number]:
                if self._values[slot][0]() is None:
                    del self._values[slot]

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        """Forget every answer (tests)."""
        with self._lock:
            self._values.clear()
            self._gone.clear()
            self.hits = self.misses = 0


def _note_gone(gone: list[int], number: int) -> Callable[[weakref.ref], None]:
    """A weak-reference callback noting that frame ``number`` died (no lock taken: it may
    run in any thread, at any moment)."""
    return lambda _reference: gone.append(number)
