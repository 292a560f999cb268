"""The city names a map view sends: the largest cities in and around the view, not all.

The map labels about 2,400 cities of 250,000 people or more. Sent as one layer, every map
frame processed each of their ~20,000 characters, twice (the collision filter draws them
once more to decide which to hide), although at any view it hides nearly all of them. In a
browser that draws in software (no GPU, as in many virtual machines and in the headless
test browser) that cost about 2.7 s of CPU per place search. The server knows the view it
opens the map at, so it sends the names of the largest cities around that view (a few
dozen); country and state names stay in their own file, drawn at every view.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.directory.map_view import TILE_PX, View

CITIES_PER_VIEW = 60
"""At most this many names are sent; the collision filter shows the ones that fit."""
WIDEST_MAP_PX, TALLEST_MAP_PX = 1400, 500
"""The largest map a laptop shows (the deck is fitted to a phone's; see ``map_view``)."""
AROUND_VIEW = 3
"""Cities up to this many view widths (and heights) wide around the centre are sent, so a
little panning or one zoom step out still shows names."""


@dataclass(frozen=True)
class CityLabels:
    """Styled city labels (as ``scripts/build_outlines.py`` writes them), largest first,
    with their coordinates as arrays for selecting by view."""

    labels: tuple[dict, ...]
    longitudes: np.ndarray
    latitudes: np.ndarray


def read_city_labels(path: Path) -> CityLabels:
    """The city labels file; a label's ``position`` is ``[longitude, latitude]``."""
    labels = sorted(
        json.loads(path.read_text(encoding="utf-8")),
        key=lambda label: (-label["priority"], label["text"]),
    )
    positions = np.array([label["position"] for label in labels], dtype=float).reshape(-1, 2)
    return CityLabels(tuple(labels), positions[:, 0], positions[:, 1])


def cities_in_view(cities: CityLabels, view: View, *, limit: int = CITIES_PER_VIEW) -> list[dict]:
    """The ``limit`` largest cities within :data:`AROUND_VIEW` views of ``view``'s centre."""
    degrees_per_px = 360 / (TILE_PX * 2**view.zoom)
    half_width = AROUND_VIEW * WIDEST_MAP_PX / 2 * degrees_per_px
    stretch = max(math.cos(math.radians(view.latitude)), 0.05)
    half_height = AROUND_VIEW * TALLEST_MAP_PX / 2 * degrees_per_px * stretch
    east_west = np.abs((cities.longitudes - view.longitude + 180) % 360 - 180)
    north_south = np.abs(cities.latitudes - view.latitude)
    inside = (east_west <= half_width) & (north_south <= half_height)
    return [cities.labels[index] for index in np.flatnonzero(inside)[:limit]]
