"""Above about 5,000 points the map groups organizations by area; below, nothing changes."""

from __future__ import annotations

import numpy as np

from explorer.directory.map_view import (
    AGGREGATE_ABOVE,
    GROUPS_AT_MOST,
    drawn_one_by_one,
    group_cells,
)


def test_up_to_the_threshold_every_placed_row_is_drawn():
    """At the threshold the map is as before: each placed row is its own point."""
    placed = np.ones(AGGREGATE_ABOVE, dtype=bool)
    placed[::7] = False
    assert (drawn_one_by_one(placed, None, None) == placed).all()


def test_above_it_only_the_rows_near_the_search_are_single():
    """Above the threshold: nothing single without a search; with one, the rows within the
    radius (nearest first, at most the threshold) and never an unplaced row."""
    count = AGGREGATE_ABOVE + 10
    placed = np.ones(count, dtype=bool)
    placed[3] = False
    km = np.arange(count, dtype=float)
    assert not drawn_one_by_one(placed, None, None).any()
    single = drawn_one_by_one(placed, km, 10)
    assert np.flatnonzero(single).tolist() == [0, 1, 2, 4, 5, 6, 7, 8, 9, 10]
    nearest = drawn_one_by_one(placed, km[::-1].copy(), None)
    assert nearest.sum() == AGGREGATE_ABOVE
    assert nearest[-1] and not nearest[0], "the nearest are single, the farthest grouped"


def test_groups_count_every_point_at_their_mean_position():
    """Two towns far apart make two groups; counts add up and sit where the points are."""
    lons = np.array([-83.78, -83.79, -83.77, 2.35, 2.36])
    lats = np.array([42.53, 42.52, 42.54, 48.85, 48.86])
    groups = group_cells(lons, lats, zoom=1)
    assert sorted(groups.counts.tolist()) == [2, 3]
    assert groups.counts.sum() == len(lons)
    paris = int(np.argmin(groups.counts))
    assert abs(groups.longitudes[paris] - 2.355) < 1e-9
    assert len(group_cells(np.empty(0), np.empty(0), zoom=3)) == 0


def test_zoomed_in_on_a_search_the_rest_of_the_world_is_still_grouped():
    """A view zoomed in on one town (zoom 9) with 20,000 organizations spread over the world:
    at most GROUPS_AT_MOST groups, every organization counted once, each group inside the
    box of its members; at the world's zoom the same points make the same few groups."""
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(-180, 180, 20_000), rng.uniform(-60, 70, 20_000)
    zoomed = group_cells(lons, lats, zoom=9)
    assert 100 < len(zoomed) <= GROUPS_AT_MOST
    assert zoomed.counts.sum() == len(lons)
    assert (zoomed.longitudes >= -180).all() and (zoomed.longitudes <= 180).all()
    world = group_cells(lons, lats, zoom=1)
    assert len(world) <= len(zoomed) and world.counts.sum() == len(lons)
