"""How many organizations each filter option would leave, so a filter never offers a dead end.

Counts are taken with every *other* filter applied: choosing "Patient registry (2)" leaves
two organizations, whatever else is set. Options are combined the way :func:`filter_mask`
combines them (any of the chosen types or countries; every chosen contact channel).

The counts depend only on the directory and the filters, so they are taken once per
process for each set of filters (:class:`~explorer.directory.per_frame.PerFrame`): every
session opening the page asks the same two questions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from explorer.directory.filters import CHANNELS, Filters
from explorer.directory.per_frame import PerFrame
from explorer.directory.search import filter_mask


@dataclasses.dataclass(frozen=True)
class FacetCounts:
    """Option → organizations it would leave, for each sidebar filter (read-only: the same
    counts are shared by every session asking)."""

    org_types: Mapping[str, int]
    countries: Mapping[str, int]
    channels: Mapping[str, int]


def _value_counts(column: pd.Series, mask: np.ndarray) -> Mapping[str, int]:
    counts = column[mask].value_counts()
    return MappingProxyType({str(value): int(count) for value, count in counts.items() if value})


def facet_counts(frame: pd.DataFrame, filters: Filters) -> FacetCounts:
    """Counts for every option of the type, country and channel filters (kept per process
    for each frame and set of filters)."""
    return _KEPT(frame, filters)


def _facet_counts(frame: pd.DataFrame, filters: Filters) -> FacetCounts:
    without_types = filter_mask(frame, dataclasses.replace(filters, org_types=()))
    without_countries = filter_mask(frame, dataclasses.replace(filters, countries=()))
    with_all = filter_mask(frame, filters)
    channels = {
        channel: int((with_all & frame[channel].to_numpy(dtype=bool)).sum()) for channel in CHANNELS
    }
    return FacetCounts(
        org_types=_value_counts(frame["org_type"], without_types),
        countries=_value_counts(frame["country"], without_countries),
        channels=MappingProxyType(channels),
    )


_KEPT: PerFrame[Filters, FacetCounts] = PerFrame(_facet_counts, max_entries=256)
"""Small answers (a few dozen counts each): many sets of filters are kept."""


def offered(options: Iterable[str], counts: dict[str, int], chosen: Iterable[str]) -> list[str]:
    """The options worth offering, in the given order: those that leave at least one
    organization, plus any already chosen (a choice never vanishes from under the user)."""
    keep = set(chosen)
    return [option for option in options if counts.get(option, 0) > 0 or option in keep]
