"""Where the map looks and where shared-place points are drawn: screen geometry, per rerun.

Pure numpy and math, apart from the pydeck deck (:mod:`components.org_map`) so it is
unit-tested on its own, and apart from :mod:`explorer.directory.map_points` so a change here does
not invalidate the disk cache of built points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.directory.map_points import PLACE_COLUMN, POSITION_KEY, place_groups
from explorer.places.resolve import PlaceResult

POINT_RADIUS_PX = 6
SPREAD_GAP_PX = 2 * POINT_RADIUS_PX + 3
"""Centre-to-centre distance of neighbours on a shared-place ring (points do not touch)."""
SPREAD_MAX_PX = 40
"""A ring never grows past this radius; the tooltip names everyone at the place anyway."""
MAP_WIDTH_PX, MAP_HEIGHT_PX = 340, 500
"""The map's size the view is fitted to: a phone's width (390 px less margins), so the
searched place and its nearest organizations are in view on a phone too; a laptop shows
more around them. The deck cannot know the browser's width when it is built."""
TILE_PX = 512
"""deck.gl's zoom 0 shows the whole world 512 pixels wide."""
KM_PER_DEGREE = 111.32
NEAREST_IN_VIEW = 3
"""With no radius, the map fits the searched place and this many nearest organizations."""
AGGREGATE_ABOVE = 5_000
"""Above this many placed organizations the map draws grouped areas with counts, like a
store locator: the browser stayed responsive up to about this many points, and a
100,000-point layer cost most of a rerun to serialise and send."""
GROUP_CELL_PX = 56
"""A group's grid cell, in screen pixels at the fitted view's zoom."""
GROUPS_AT_MOST = 2_000
"""A map never carries more groups than this: the cells are made coarser until it holds.
Zoomed in on a searched place, 56-pixel cells over the whole world made one group of
nearly every organization outside the radius (39,000 groups at 100,000 organizations, a
deck of megabytes, 170 ms to build), which is no grouping at all for a person who zooms out."""


@dataclass(frozen=True, slots=True)
class View:
    """The map's centre and Web Mercator zoom."""

    latitude: float
    longitude: float
    zoom: float


WHOLE_WORLD = View(latitude=20, longitude=0, zoom=1)


def spread_offsets(rows: pd.DataFrame, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Row positions and their (longitude, latitude) offsets that put the rows shown at
    one place on a small ring around it.

    Uses the rows' :data:`~explorer.directory.map_points.PLACE_COLUMN` when the frame has it (the
    app's cached directory does), so a rerun only looks at rows that share a place. The
    ring is sized in screen pixels at ``zoom`` (neighbours :data:`SPREAD_GAP_PX` apart, at
    most :data:`SPREAD_MAX_PX` from the centre) and follows the rows' order, so the same
    rows always land in the same spots. A row whose partners are all filtered out stays put.
    """
    groups = rows[PLACE_COLUMN].to_numpy() if PLACE_COLUMN in rows else place_groups(rows)
    candidates = np.flatnonzero(groups >= 0)
    _, group, sizes = np.unique(groups[candidates], return_inverse=True, return_counts=True)
    shown_together = sizes[group] > 1
    where, group = candidates[shown_together], group[shown_together]
    _, group, sizes = np.unique(group, return_inverse=True, return_counts=True)
    by_group = np.argsort(group, kind="stable")
    rank = np.empty(len(group), dtype=np.int64)
    rank[by_group] = np.arange(len(group)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    count = sizes[group].astype(float)
    angle = 2 * np.pi * rank / count + np.pi / 2
    radius = np.minimum(SPREAD_GAP_PX / 2 / np.sin(np.pi / count), SPREAD_MAX_PX)
    degrees_per_px = 360 / (TILE_PX * 2**zoom)
    stretch = np.maximum(np.cos(np.radians(rows["latitude"].to_numpy()[where])), 0.05)
    offsets = np.column_stack(
        [radius * np.cos(angle) * degrees_per_px, radius * np.sin(angle) * degrees_per_px * stretch]
    )
    return where, offsets


def spread(rows: pd.DataFrame, points: np.ndarray, zoom: float) -> np.ndarray:
    """``points`` (JSON, as :func:`~explorer.directory.map_points.point_json` writes them) with each
    shared-place point's position moved onto its ring; the others are the same strings.

    Vectorised (no per-point Python): at 100,000 organizations tens of thousands of them
    share a ZIP centre, and a loop over them cost a fifth of a rerun.
    """
    where, offsets = spread_offsets(rows, zoom)
    if not len(where):
        return points
    points = points.copy()
    lons = np.round(rows["longitude"].to_numpy()[where] + offsets[:, 0], 6).astype(str)
    lats = np.round(rows["latitude"].to_numpy()[where] + offsets[:, 1], 6).astype(str)
    heads = pd.Series(points[where], dtype=object).str.rpartition(POSITION_KEY)[0].to_numpy()
    points[where] = heads + f"{POSITION_KEY}[" + lons.astype(object) + "," + lats + "]}"
    return points


def fit_zoom(lat_span: float, lon_span: float, latitude: float) -> float:
    """The Web Mercator zoom at which both spans (degrees) fit the map, with a margin."""
    stretch = max(math.cos(math.radians(latitude)), 0.05)
    by_width = math.log2(360 * MAP_WIDTH_PX / (TILE_PX * max(lon_span, 1e-3)))
    by_height = math.log2(360 * MAP_HEIGHT_PX * stretch / (TILE_PX * max(lat_span, 1e-3)))
    return max(0.5, min(11.0, min(by_width, by_height) - 0.3))


def fit_view(
    lons: np.ndarray, lats: np.ndarray, place: PlaceResult | None, radius_km: float | None
) -> View:
    """Fit the searched place with its radius (or its nearest points), else every point.

    ``lons``/``lats`` are the placed rows' coordinates in list order (nearest first
    when a place is searched).
    """
    if place is not None and place.found:
        if radius_km:
            lat_span = 2 * radius_km / KM_PER_DEGREE
            lon_span = lat_span / max(math.cos(math.radians(place.latitude)), 0.05)
            return View(
                place.latitude, place.longitude, fit_zoom(lat_span, lon_span, place.latitude)
            )
        lons = np.append(lons[:NEAREST_IN_VIEW], place.longitude)
        lats = np.append(lats[:NEAREST_IN_VIEW], place.latitude)
    if not len(lons):
        return WHOLE_WORLD
    south, north = float(np.min(lats)), float(np.max(lats))
    west, east = shortest_arc(lons)
    middle = (north + south) / 2
    centre = (west + east) / 2
    return View(middle, (centre + 180) % 360 - 180, fit_zoom(north - south, east - west, middle))


def shortest_arc(lons: np.ndarray) -> tuple[float, float]:
    """The narrowest west-to-east band of longitudes holding every point (``east`` may pass
    180: the band then crosses the antimeridian).

    Organizations in the Americas and Australia span 241 degrees from west to east but 145
    across the Pacific: centred on the middle of the westmost and eastmost points, a phone
    opened on Africa with no organization in view. The band starts after the widest gap
    between neighbouring longitudes, the gap across the antimeridian included.
    """
    ordered = np.unique(np.asarray(lons, dtype=float))
    gaps = np.append(np.diff(ordered), ordered[0] + 360 - ordered[-1])
    if gaps[-1] >= gaps.max():  # the antimeridian is in (one of) the widest gaps: no wrap
        return float(ordered[0]), float(ordered[-1])
    widest = int(np.argmax(gaps))
    return float(ordered[widest + 1]), float(ordered[widest] + 360)


def drawn_one_by_one(
    placed: np.ndarray, km: np.ndarray | None, radius_km: float | None
) -> np.ndarray:
    """Which rows the map draws as their own point; the other placed rows are grouped.

    Up to :data:`AGGREGATE_ABOVE` placed rows, all of them (nothing changes). Above it,
    the server cannot know how far the user will zoom in the browser, so it draws one by
    one where the user has narrowed the question instead: the rows nearest the searched
    place (``km``, ``None`` when nothing is searched) within ``radius_km``, at most
    :data:`AGGREGATE_ABOVE` of them. With no search every placed row is grouped: search a
    place, or filter, to see each organization.
    """
    if placed.sum() <= AGGREGATE_ABOVE:
        return placed
    single = np.zeros(len(placed), dtype=bool)
    if km is None:
        return single
    near = placed & (km <= radius_km if radius_km else True)
    candidates = np.flatnonzero(near)
    if len(candidates) > AGGREGATE_ABOVE:
        order = np.argsort(km[candidates], kind="stable")
        candidates = candidates[order[:AGGREGATE_ABOVE]]
    single[candidates] = True
    return single


@dataclass(frozen=True, slots=True)
class Groups:
    """Grid clusters: each cell's mean position and how many organizations it holds."""

    longitudes: np.ndarray
    latitudes: np.ndarray
    counts: np.ndarray

    def __len__(self) -> int:
        return len(self.counts)


def group_cells(lons: np.ndarray, lats: np.ndarray, zoom: float) -> Groups:
    """Points grouped on a square grid :data:`GROUP_CELL_PX` wide at ``zoom``, each cell
    twice as wide as often as needed to make at most :data:`GROUPS_AT_MOST` groups
    (vectorised: a cell is one integer key, and a coarser cell is its indices halved).

    Each group is drawn at its members' mean position (not the cell's corner), so a group
    of one town's organizations sits on that town.
    """
    if not len(lons):
        empty = np.empty(0)
        return Groups(empty, empty, np.empty(0, dtype=np.int64))
    cell = GROUP_CELL_PX * 360 / (TILE_PX * 2**zoom)
    columns = np.floor(lons / cell).astype(np.int64)
    rows = np.floor(lats / cell).astype(np.int64)
    while True:
        low = rows.min()
        keys = columns * (rows.max() - low + 1) + (rows - low)
        _, group, counts = np.unique(keys, return_inverse=True, return_counts=True)
        if len(counts) <= GROUPS_AT_MOST:
            break
        columns, rows = columns >> 1, rows >> 1  # floor halving, negatives included
    group = group.ravel()
    return Groups(
        np.bincount(group, weights=lons) / counts,
        np.bincount(group, weights=lats) / counts,
        counts,
    )
