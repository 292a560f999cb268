"""Synthetic count series with a known cycle, as a lab would sample them."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from explorer.counts import Count

START = date(2026, 1, 5)
LOW = 0.6
"""×10⁹/L: the geometric middle of the swing (0.13 to 2.7 with ``SWING``)."""
SWING = 1.5
NOISE = 0.35
"""Log-scale noise: one count in three is off by more than about 40 %."""


def sample_days(weeks: int, rng: np.random.Generator) -> list[int]:
    """2 or 3 different days in each week, chosen at random: days are missed, not evenly."""
    days: list[int] = []
    for week in range(weeks):
        per_week = int(rng.integers(2, 4))
        days += sorted(int(d) + 7 * week for d in rng.choice(7, size=per_week, replace=False))
    return days


def cyclic_counts(
    period: float, weeks: int, rng: np.random.Generator, *, phase: float | None = None
) -> tuple[list[Count], float]:
    """Counts following a cycle of ``period`` days with noise; also the phase used (a day
    on which the count is at its lowest)."""
    phase = float(rng.uniform(0, period)) if phase is None else phase
    counts = [
        Count(
            START + timedelta(days=day),
            math.exp(
                math.log(LOW)
                - SWING * math.cos(2 * math.pi * (day - phase) / period)
                + float(rng.normal(0, NOISE))
            ),
            line,
        )
        for line, day in enumerate(sample_days(weeks, rng), start=2)
    ]
    return counts, phase


def noise_counts(weeks: int, rng: np.random.Generator, *, spread: float = 0.8) -> list[Count]:
    """Counts with no cycle at all: independent log-normal values around 0.6."""
    return [
        Count(START + timedelta(days=day), math.exp(math.log(LOW) + float(rng.normal(0, spread))))
        for day in sample_days(weeks, rng)
    ]
