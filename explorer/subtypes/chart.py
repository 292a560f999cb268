"""The schematic ANC-over-time curves, drawn only from the cited chart parameters."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from explorer.subtypes.records import AncChart, SubtypeData


def _cyclic_level(chart: AncChart, day: int) -> float:
    """Piecewise-linear cycle: flat at the low point, straight up to the peak and down.

    The rise takes whole days so the peak falls on a drawn day and reaches ``anc_high``.
    """
    assert chart.anc_high is not None and chart.period_days and chart.low_days
    offset = day % chart.period_days
    if offset < chart.low_days:
        return chart.anc_low
    rise = (chart.period_days - chart.low_days) // 2
    fall = chart.period_days - chart.low_days - rise
    since_low = offset - chart.low_days
    fraction = since_low / rise if since_low <= rise else (chart.period_days - offset) / fall
    return chart.anc_low + (chart.anc_high - chart.anc_low) * fraction


def anc_schematic(data: SubtypeData, forms: Sequence[str], *, days: int = 63) -> pd.DataFrame:
    """A tidy frame (``form``, ``day``, ``anc``) for the illustrative ANC-over-time chart.

    The curves come only from the cited chart parameters in ``forms.csv``; they show a
    typical pattern, not any person's counts. ``form`` holds the form's label.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    rows = []
    for key in dict.fromkeys(forms):
        form = data.form(key)
        for day in range(days + 1):
            level = (
                _cyclic_level(form.chart, day)
                if form.chart.shape == "cyclic"
                else form.chart.anc_low
            )
            rows.append((form.label, day, round(level, 3)))
    return pd.DataFrame(rows, columns=["form", "day", "anc"])
