"""Is there a cycle in the counts? A Lomb–Scargle periodogram, read with care.

Counts are taken on the days a clinic is open, not every day, so the periodogram for
unevenly sampled data (Lomb–Scargle, from Astropy) is used, on the logarithm of the
count (a fall from 2.0 to 0.2 is as large a change as a rise back). Its false-alarm
probability (Baluev's approximation) says how likely a peak that tall is from counts
without any cycle: a cycle is reported only when it is below :data:`REPORT_FAP`.

Before looking, the counts must cover enough time: sources ask for counts at least three
times a week for six weeks; with less the estimate says what is missing instead. What this
shows is a pattern in the numbers, not a diagnosis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from explorer.counts.records import Count

if TYPE_CHECKING:
    from astropy.timeseries import LombScargle

SEVERE = 0.5
"""×10⁹/L: below this is severe neutropenia (the Subtypes page's cited line)."""
MIN_SPAN_DAYS = 42
"""Six weeks: the shortest series sources ask for."""
MIN_PER_WEEK = 2.0
"""Fewer counts a week than this cannot show a three-week cycle's low days."""
MIN_COUNTS = 12
ASKED_PER_WEEK = 3
"""What sources ask for (at least three times a week), shown when counts are missing."""
MIN_PERIOD_DAYS = 12.0
MAX_PERIOD_DAYS = 45.0
"""Cycles are reported between 14 and 35 days; the search is a little wider so an edge
case is not forced onto the boundary. Below 12 days, twice-weekly sampling makes aliases."""
MAX_PERIOD_SHARE = 0.65
"""The longest period searched is this share of the time covered: a cycle must be seen
about one and a half times, or it cannot be told from a slow drift."""
REPORT_FAP = 0.01
STRONG_FAP = 0.001
LOG_OFFSET = 0.05
"""×10⁹/L added before the logarithm, so a count of 0 can be used."""
FLAT_LOG_SD = 1e-6
SAMPLES_PER_PEAK = 50
MAX_CYCLES_AHEAD = 3
"""A low window further ahead of the last count than this many cycles is not shown."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """What the counts show. ``status``: ``"missing"`` (too few or too short: see
    ``missing``), ``"flat"`` (the counts do not change), ``"none"`` (no clear cycle) or
    ``"cycle"`` (``period_days`` with ``strength``; the next low window when it is near)."""

    status: str
    counts: int
    span_days: int
    per_week: float
    below_severe: int
    missing: tuple[str, ...] = ()
    period_days: float | None = None
    false_alarm: float | None = None
    strength: str = ""
    days_below_per_cycle: float | None = None
    next_low: tuple[date, date] | None = None
    periodogram: tuple[tuple[float, float], ...] = field(default=(), repr=False)

    @property
    def found(self) -> bool:
        return self.status == "cycle"

    def summary(self) -> str:
        """One plain sentence of what the numbers show (the page and the PDF print it)."""
        seen = (
            f"{self.counts} count{'s' if self.counts != 1 else ''} over {self.span_days} "
            f"day{'s' if self.span_days != 1 else ''} "
            f"(about {self.per_week:.1f} a week); {self.below_severe} below {SEVERE:g} ×10⁹/L."
        )
        if self.status == "missing":
            return f"{seen} Not enough yet to look for a cycle. " + " ".join(self.missing)
        if self.status == "flat":
            return f"{seen} The counts do not change, so they show no cycle."
        if self.status == "none":
            return (
                f"{seen} The counts show no clear cycle (the strongest rhythm, about "
                f"{self.period_days:.0f} days, is weaker than chance could make it "
                f"{REPORT_FAP:.0%} of the time)."
            )
        below = (
            f" About {self.days_below_per_cycle:.0f} days of each cycle are below "
            f"{SEVERE:g} ×10⁹/L."
            if self.days_below_per_cycle is not None
            else ""
        )
        return (
            f"{seen} The counts rise and fall about every {self.period_days:.0f} days: "
            f"a {self.strength} rhythm (counts without a cycle would show one this strong "
            f"{_chance(self.false_alarm)}).{below}"
        )


def _chance(probability: float | None) -> str:
    if probability is None:
        return ""
    if probability < 1e-4:
        return "less than 1 time in 10,000"
    return f"about 1 time in {round(1 / probability):,}"


def what_is_missing(counts: int, span_days: int, per_week: float) -> tuple[str, ...]:
    """The missing counts or weeks, said plainly; empty when there are enough."""
    missing = []
    if span_days < MIN_SPAN_DAYS:
        weeks = math.ceil((MIN_SPAN_DAYS - span_days) / 7)
        missing.append(
            f"The counts cover {span_days} days; {MIN_SPAN_DAYS // 7} weeks are needed "
            f"(about {weeks} more week{'s' if weeks != 1 else ''})."
        )
    if counts < MIN_COUNTS or per_week < MIN_PER_WEEK:
        missing.append(
            f"There are {counts} counts, about {per_week:.1f} a week; sources ask for "
            f"{ASKED_PER_WEEK} a week."
        )
    return tuple(missing)


def estimate_cycle(counts: Sequence[Count], *, today: date) -> Estimate:
    """Look for a cycle in checked counts (sorted by date, one per day)."""
    n = len(counts)
    span = (counts[-1].day - counts[0].day).days if n else 0
    per_week = n / (max(span, 7) / 7)
    below = sum(1 for c in counts if c.anc < SEVERE)
    base = {"counts": n, "span_days": span, "per_week": per_week, "below_severe": below}
    missing = what_is_missing(n, span, per_week)
    if missing:
        return Estimate("missing", missing=missing, **base)
    t = np.array([(c.day - counts[0].day).days for c in counts], dtype=float)
    y = np.log(np.array([c.anc for c in counts]) + LOG_OFFSET)
    if float(np.std(y)) < FLAT_LOG_SD:
        return Estimate("flat", **base)
    low_f = 1 / min(MAX_PERIOD_DAYS, span * MAX_PERIOD_SHARE)
    high_f = 1 / MIN_PERIOD_DAYS
    # Imported here: astropy takes half a second to import, and `python -m explorer check`
    # reads the count notes (this package) but never estimates a cycle.
    from astropy.timeseries import LombScargle

    periodogram = LombScargle(t, y)
    frequency, power = periodogram.autopower(
        minimum_frequency=low_f, maximum_frequency=high_f, samples_per_peak=SAMPLES_PER_PEAK
    )
    best = int(np.argmax(power))
    false_alarm = float(
        periodogram.false_alarm_probability(
            power[best], minimum_frequency=low_f, maximum_frequency=high_f
        )
    )
    period = float(1 / frequency[best])
    curve = tuple((float(1 / f), float(p)) for f, p in zip(frequency, power, strict=True))
    if false_alarm >= REPORT_FAP:
        return Estimate(
            "none", period_days=period, false_alarm=false_alarm, periodogram=curve, **base
        )
    days_below = below / n * period
    return Estimate(
        "cycle",
        period_days=period,
        false_alarm=false_alarm,
        strength="strong" if false_alarm < STRONG_FAP else "clear",
        days_below_per_cycle=days_below,
        next_low=_next_low(periodogram, frequency[best], counts, today, days_below),
        periodogram=curve,
        **base,
    )


def _next_low(
    periodogram: LombScargle,
    frequency: float,
    counts: Sequence[Count],
    today: date,
    days_below: float,
) -> tuple[date, date] | None:
    """The fitted rhythm's next low point after the last count and today, as a window
    of the days each cycle spends below 0.5 (at least 3 days); None when it would be
    more than :data:`MAX_CYCLES_AHEAD` cycles past the last count."""
    period = 1 / frequency
    start = counts[0].day
    last = (counts[-1].day - start).days
    after = max(last, (today - start).days)
    grid = np.arange(after, after + period + 1, 0.25)
    low = float(grid[int(np.argmin(periodogram.model(grid, frequency)))])
    if low - last > MAX_CYCLES_AHEAD * period:
        return None
    half = max(days_below, 3.0) / 2
    return (
        start + timedelta(days=math.floor(low - half)),
        start + timedelta(days=math.ceil(low + half)),
    )
