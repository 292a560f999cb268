"""The cycle estimate on synthetic series with known cycles, noise and missed days, and on
series without any cycle (the figures the README quotes come from these tests)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from explorer.counts import Count, estimate_cycle
from explorer.counts.cycle import REPORT_FAP
from tests.counts_helpers import START, cyclic_counts, noise_counts

SERIES_PER_PERIOD = 20
WITHIN_SHARE = 0.98
NOISE_SERIES = 200
MAX_FALSE_CYCLES = NOISE_SERIES * 5 // 100
TODAY = START + timedelta(days=120)


def errors(periods: range, weeks: int, seed: int, *, relative: bool) -> list[float]:
    """Error of the estimate of every series (days, or a share of the cycle); a series
    whose cycle is not found fails the test at once."""
    found = []
    for period in periods:
        rng = np.random.default_rng(seed + period)
        for _ in range(SERIES_PER_PERIOD):
            counts, _ = cyclic_counts(period, weeks, rng)
            estimate = estimate_cycle(counts, today=TODAY)
            assert estimate.found, (period, estimate.summary())
            assert estimate.false_alarm < REPORT_FAP
            found.append(abs(estimate.period_days - period) / (period if relative else 1))
    return found


def test_eight_weeks_find_cycles_up_to_24_days_within_a_day():
    """8 weeks of 2–3 counts a week, cycles of 14–24 days (20 series each): every cycle
    is found, at least 98 % within ±1 day and none off by more than 2 days."""
    found = errors(range(14, 25), 8, 1000, relative=False)
    within = sum(error <= 1 for error in found) / len(found)
    assert within >= WITHIN_SHARE, within
    assert max(found) <= 2, max(found)


def test_ten_weeks_find_longer_cycles_within_ten_percent():
    """10 weeks of 2–3 counts a week, cycles of 25–35 days (20 series each): every cycle
    is found, at least 98 % within 10 % and none off by more than 15 %."""
    found = errors(range(25, 36), 10, 2000, relative=True)
    within = sum(error <= 0.10 for error in found) / len(found)
    assert within >= WITHIN_SHARE, within
    assert max(found) <= 0.15, max(found)


@pytest.mark.parametrize("weeks", [8, 10])
def test_pure_noise_rarely_reports_a_cycle(weeks: int):
    """200 series without a cycle: a cycle is reported in at most 5 % (10) of them."""
    rng = np.random.default_rng(3000 + weeks)
    reported = sum(
        estimate_cycle(noise_counts(weeks, rng), today=TODAY).found for _ in range(NOISE_SERIES)
    )
    assert reported <= MAX_FALSE_CYCLES, reported


def test_nearly_flat_counts_rarely_report_a_cycle():
    """200 nearly flat series (a steady count with 5 % lab variation): at most 5 % report
    a cycle; an exactly flat series is said to be flat."""
    rng = np.random.default_rng(4000)
    reported = sum(
        estimate_cycle(noise_counts(8, rng, spread=0.05), today=TODAY).found
        for _ in range(NOISE_SERIES)
    )
    assert reported <= MAX_FALSE_CYCLES, reported
    flat = [Count(START + timedelta(days=3 * i), 1.2) for i in range(20)]
    estimate = estimate_cycle(flat, today=TODAY)
    assert estimate.status == "flat"
    assert not estimate.found
    assert "do not change" in estimate.summary()


def test_too_few_counts_say_what_is_missing_instead_of_guessing():
    """Two weeks of counts: no period, and the missing weeks and counts are named."""
    counts, _ = cyclic_counts(21, 2, np.random.default_rng(5))
    estimate = estimate_cycle(counts, today=TODAY)
    assert estimate.status == "missing"
    assert estimate.period_days is None
    assert not estimate.found
    text = estimate.summary()
    assert "6 weeks are needed" in text
    assert "sources ask for 3 a week" in text


def test_sparse_counts_over_enough_weeks_still_say_what_is_missing():
    """One count a week for ten weeks covers the time but is too sparse to look."""
    counts = [Count(START + timedelta(days=7 * i), 0.3 + (i % 3)) for i in range(10)]
    estimate = estimate_cycle(counts, today=TODAY)
    assert estimate.status == "missing"
    assert "about 1.1 a week" in estimate.summary()
    assert "weeks are needed" not in estimate.summary()


def test_next_low_window_holds_the_true_next_low_and_days_below_are_counted():
    """A found 21-day cycle gives a window after the last count that holds the series'
    true next low day (±1), and a number of days below 0.5 per cycle within the cycle."""
    rng = np.random.default_rng(6)
    counts, phase = cyclic_counts(21, 8, rng, phase=3.0)
    last = counts[-1].day
    estimate = estimate_cycle(counts, today=last)
    assert estimate.found
    start, end = estimate.next_low
    assert start <= end
    assert end > last
    true_lows = [START + timedelta(days=round(phase + 21 * k)) for k in range(10)]
    true_next = next(day for day in true_lows if day >= last)
    assert start - timedelta(days=1) <= true_next <= end + timedelta(days=1)
    assert 0 < estimate.days_below_per_cycle < 21
    assert estimate.below_severe == sum(c.anc < 0.5 for c in counts)


def test_no_window_is_shown_long_after_the_last_count():
    """A year after the last count the rhythm is not projected."""
    counts, _ = cyclic_counts(21, 8, np.random.default_rng(7))
    estimate = estimate_cycle(counts, today=counts[-1].day + timedelta(days=365))
    assert estimate.found
    assert estimate.next_low is None
