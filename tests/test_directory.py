"""Directory filters and near-me search over the bundled organizations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.directory.filters import Filters
from explorer.directory.search import Distances, search
from explorer.directory.table import (
    FILTER_COLUMNS,
    LISTED_COLUMNS,
    directory_frame,
    with_listed_column,
)
from explorer.pipeline import build_catalog
from explorer.places.distance import haversine_km
from explorer.places.resolve import resolve_place
from tests.conftest import BUNDLED_DATA


@pytest.fixture(scope="module")
def frame():
    return directory_frame(build_catalog(BUNDLED_DATA).organizations)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), 7),
        (Filters(org_types=("Patient registry",)), 2),
        (Filters(org_types=("Patient registry", "Parent network")), 3),
        (Filters(countries=("CA", "AU")), 2),
        (Filters(channels=("textphone",)), 1),
        # The registry moved (data/curated/contact_status.csv): its current details have
        # an email but no fax, and it is in Boston now, no longer in Seattle.
        (Filters(channels=("toll_free", "fax")), 2),
        (Filters(channels=("email",)), 1),
        (Filters(text="neutropenia boston"), 1),
        (Filters(text="neutropenia seattle"), 0),
        (Filters(text="MANITOBA"), 1),
        (Filters(disorder="neutropenia-general"), 7),
        (Filters(disorder="no-such-disorder"), 0),
    ],
)
def test_filters_combine(frame, filters, expected):
    """Each filter narrows; several values of one filter widen; filters combine with AND."""
    assert len(search(frame, filters).nearby) == expected


def test_near_me_sorted_with_distances(frame):
    """With a place, rows come nearest first with distances in the chosen unit."""
    place = resolve_place("Detroit, MI")
    km = search(frame, Filters(), place).nearby
    miles = search(frame, Filters(unit="mi"), place).nearby
    assert km.iloc[0]["name"] == "National Neutropenia Network"
    assert list(km["distance_km"]) == sorted(km["distance_km"])
    assert miles.iloc[0]["distance"] == pytest.approx(km.iloc[0]["distance"] / 1.609344)


def test_radius_keeps_organizations_that_serve_everyone(frame):
    """A small radius hides far local organizations but not national/international ones."""
    place = resolve_place("Detroit, MI")
    results = search(frame, Filters(radius=100), place)
    assert list(results.nearby["name"]) == ["National Neutropenia Network"]
    everyone = set(results.serve_everyone["name"])
    assert "Genetic and Rare Diseases (GARD) Information Center" in everyone  # US, national
    assert "Severe Chronic Neutropenia International Registry Australia" in everyone
    # The Canadian association is closed: left out of near-me results, and counted.
    assert "Neutropenia Support Association, Inc." not in everyone
    assert (results.beyond, results.closed_hidden) == (0, 1)


def test_closed_organizations_only_with_the_switch(frame):
    """A closed organization is left out of near-me results unless the switch shows it; its
    row never carries a call link, and the plain directory still lists it."""
    place = resolve_place("R3M 3S7")
    default = search(frame, Filters(), place)
    shown = search(frame, Filters(show_closed=True), place)
    closed = "Neutropenia Support Association, Inc."
    assert closed not in set(default.shown["name"])
    assert shown.nearby.iloc[0]["name"] == closed
    assert shown.nearby.iloc[0]["main_phone_tel"] == ""
    assert shown.closed_hidden == 0
    assert closed in set(search(frame, Filters()).nearby["name"])


def test_every_row_says_how_current_it_is(frame):
    """Each row names its report and retrieval date, or the date and source it was checked
    against; none is blank."""
    by_name = dict(zip(frame["name"], frame["currency"], strict=True))
    assert by_name["National Neutropenia Network"] == (
        "as listed in the report \u201cNeutropenia, General\u201d (retrieved 2026-11-25); "
        "not verified since"
    )
    registry = by_name["Severe Chronic Neutropenia International Registry"]
    assert registry == "checked 2026-12-01 against scnir-neutropenia.uw.edu"
    assert all(by_name.values())
    assert "reports/" not in " ".join(by_name.values())  # file ids are for maintainers


def test_radius_in_miles(frame):
    """The radius follows the unit: 50 mi reaches Brighton from Detroit, 25 mi does not."""
    place = resolve_place("Detroit, MI")
    assert len(search(frame, Filters(radius=50, unit="mi"), place).nearby) == 1
    assert len(search(frame, Filters(radius=25, unit="mi"), place).nearby) == 0


def test_unplaced_rows_are_listed_not_dropped(frame):
    """An organization with no coordinates is kept in its own group when a place is searched."""
    broken = frame.copy()
    broken.loc[0, ["latitude", "longitude"]] = float("nan")
    results = search(broken, Filters(radius=25), resolve_place("Detroit, MI"))
    assert list(results.unplaced["name"]) == ["National Neutropenia Network"]
    assert "National Neutropenia Network" not in set(results.nearby["name"])
    assert len(results.shown) == len(results.nearby) + len(results.serve_everyone) + 1


def test_frame_puts_listed_columns_before_filter_columns(frame):
    """The column order :func:`listing` slices on: listed first, filter-only after."""
    assert list(frame.columns) == [*LISTED_COLUMNS, *FILTER_COLUMNS]


@pytest.mark.parametrize("place_text", ["", "Detroit, MI"])
def test_results_carry_listed_and_added_columns_only(frame, place_text):
    """Results copy the listed columns (and any added with ``with_listed_column``), not the
    filter-only ones; the directory itself is left as it was."""
    ids = pd.Series([f"point-{i}" for i in frame["id"]], index=frame.index)
    extended = with_listed_column(frame, "extra", ids)
    place = resolve_place(place_text) if place_text else None
    shown = search(extended, Filters(text="neutropenia"), place).shown
    assert not shown.empty
    assert set(LISTED_COLUMNS) | {"extra"} <= set(shown.columns)
    assert not set(FILTER_COLUMNS) & set(shown.columns)
    assert list(shown["extra"]) == [f"point-{i}" for i in shown["id"]]
    assert "extra" not in frame.columns


@pytest.mark.parametrize("count", [0, 1, 3, 50])
def test_nearest_is_the_head_of_the_ordered_group(frame, count):
    """``nearest`` orders only the first rows, yet lists exactly the head of ``nearby``."""
    results = search(frame, Filters(), resolve_place("Detroit, MI"))
    expected = results.nearby.head(count)
    nearest = results.nearest(count)
    assert list(nearest["id"]) == list(expected["id"])
    assert list(nearest["distance_km"]) == list(expected["distance_km"])
    assert len(nearest) == min(count, len(results))


def test_radius_box_keeps_exactly_the_rows_within_the_radius():
    """The pre-filter box never drops a row inside the radius nor keeps one outside, also
    across the antimeridian and near a pole."""
    rng = np.random.default_rng(3)
    latitudes = rng.uniform(-90, 90, 20_000)
    longitudes = rng.uniform(-180, 180, 20_000)
    positions = np.arange(len(latitudes))
    for origin in [(42.3, -83.0), (-16.5, 179.9), (89.5, 10.0), (0.0, -180.0)]:
        distances = Distances(*origin, latitudes, longitudes)
        exact = haversine_km(*origin, latitudes, longitudes)
        for radius in (100, 2_000, 15_000):
            within = distances.within(positions, radius)
            assert np.array_equal(within, exact <= radius), (origin, radius)
            assert within.sum() < len(positions)  # the radius does exclude some rows


def test_search_without_place_has_no_distances(frame):
    """Without a place nothing is measured: rows keep directory order and carry no distance."""
    results = search(frame, Filters())
    assert results.distances is None
    assert list(results.shown["id"]) == list(frame["id"])
    assert "distance" not in results.nearest(2).columns
    assert len(results) == len(frame)


def test_without_a_place_shown_is_the_nearby_frame_not_a_second_copy(frame):
    """Every listed row is nearby when no place is searched: one frame serves both."""
    results = search(frame, Filters(org_types=("Patient registry", "Parent network")))
    assert results.shown is results.nearby
    assert len(results.shown) == 3
    searched = search(frame, Filters(), resolve_place("48116"))
    assert searched.shown is not searched.nearby  # other groups follow the nearby ones


@pytest.mark.parametrize("place_text", [None, "48116"])
def test_rows_key_names_the_rows_shown_in_order(frame, place_text):
    """Equal rows in an equal order give one key, in any copy of the directory; other rows,
    another order (another place) or another directory give another key."""
    place = resolve_place(place_text) if place_text else None
    results = search(frame, Filters(), place)
    copy = search(frame.copy(), Filters(), place)
    assert copy is not results and copy.rows_key == results.rows_key
    fewer = search(frame, Filters(org_types=("Patient registry",)), place)
    assert fewer.rows_key != results.rows_key
    reordered = search(frame.iloc[::-1].reset_index(drop=True), Filters(), place)
    assert reordered.rows_key != results.rows_key
    renamed = frame.copy()
    renamed["id"] = renamed["id"].str.replace(renamed["id"].iloc[0], "another-id", regex=False)
    assert search(renamed, Filters(), place).rows_key != results.rows_key


def test_rows_key_follows_the_searched_place(frame):
    """The same rows ordered by distance from two places are two row sets for the map."""
    near_ann_arbor = search(frame, Filters(), resolve_place("48116"))
    near_sydney = search(frame, Filters(), resolve_place("Sydney, Australia"))
    assert list(near_ann_arbor.shown["id"]) != list(near_sydney.shown["id"])
    assert near_ann_arbor.rows_key != near_sydney.rows_key


def test_a_table_page_names_countries_and_precision_and_leaves_missing_cells_empty(frame):
    """The table's Country and Map columns in words; a row with no country or an unknown
    precision shows an empty cell (the grid's placeholder), never "nan" or a code."""
    from components.directory_table import table_frame
    from explorer.directory.table import PRECISION_LABELS

    rows = frame.head(3).copy()
    rows["country"] = rows["country"].cat.add_categories(["ZZ"])
    rows.loc[rows.index[0], "country"] = None
    rows.loc[rows.index[1], "geocode_precision"] = None
    table = table_frame(rows, with_distance=False)
    assert pd.isna(table["Country"].iloc[0]) and pd.isna(table["Map"].iloc[1])
    assert table["Country"].iloc[2] not in ("", rows["country"].iloc[2])  # a name, not a code
    assert table["Map"].iloc[2] == PRECISION_LABELS[rows["geocode_precision"].iloc[2]]
    assert "Distance" not in table.columns and len(table) == 3


@pytest.mark.parametrize("place_text", [None, "Detroit, MI"])
def test_result_frames_leave_the_map_points_out_and_the_map_gets_them_when_built(frame, place_text):
    """The rows the page lists carry no point JSON (copying it was most of a filter change);
    a map built from them and :meth:`Results.shown_points` equals one built from the rows
    with their points, in the same order."""
    from components import org_map
    from explorer.directory.map_points import POINT_COLUMN, with_map_points

    with_points = with_map_points(frame)
    place = resolve_place(place_text) if place_text else None
    results = search(with_points, Filters(radius=500 if place else None), place)
    assert POINT_COLUMN not in results.shown.columns
    assert POINT_COLUMN not in results.nearest(2).columns
    points = results.shown_points()
    assert len(points) == len(results.shown)
    whole = results.shown.assign(
        **{POINT_COLUMN: with_points.loc[results.shown.index, POINT_COLUMN]}
    )
    options = {"place": place, "radius_km": 500.0 if place else None, "rows_key": "k"}
    lazy = org_map.build_deck(results.shown, points=points, **options)
    assert lazy.to_json() == org_map.build_deck(whole, **options).to_json()
    assert search(frame, Filters()).shown_points() is None  # a directory without points
