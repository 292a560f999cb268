"""The map's pure core: point records (position, colour, tooltip text, precision) built
once per data version, and the per-rerun geometry (shared-place rings, fitted view)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from explorer.directory import map_view
from explorer.directory.map_points import (
    OTHER_COLOUR,
    PLACE_COLUMN,
    POINT_COLUMN,
    TYPE_COLOURS,
    place_groups,
    point_json,
    with_map_points,
)
from explorer.directory.map_view import WHOLE_WORLD, fit_view, shortest_arc, spread
from explorer.directory.table import FILTER_COLUMNS, LISTED_COLUMNS, listing
from explorer.places.resolve import PlaceResult

NAN = math.nan


def rows(*records: tuple) -> pd.DataFrame:
    """Directory-shaped rows of (id, name, org_type, city, address, precision, lat, lon)."""
    columns = ("id", "name", "org_type", "city", "address", "geocode_precision")
    return pd.DataFrame(
        [
            {**dict(zip(columns, record[:6], strict=True)), "country": "US"}
            | {"latitude": record[6], "longitude": record[7]}
            for record in records
        ]
    )


PLACED = rows(
    ("a", "Alpha", "Parent network", "Brighton", "", "postal_code", 42.5, -83.7),
    ("b", "Beta", "made-up type", "", "PO Box 1", "region", 44.0, -85.0),
    ("c", "Gamma", "Parent network", "Detroit", "", "none", NAN, NAN),
)


def test_a_point_carries_its_colour_tooltip_text_precision_and_position():
    """Each placed row becomes one JSON object whose colour is its type's (an unknown type
    the neutral one), whose place is the city (else the address) and country, whose
    precision is said in words, and whose position is (longitude, latitude) last."""
    alpha, beta, unplaced = point_json(PLACED)
    alpha, beta = json.loads(alpha), json.loads(beta)
    assert alpha == {
        "id": "a",
        "name": "Alpha",
        "place": "Brighton, US",
        "precision": "placed by postal code",
        "shared": "",
        "colour": TYPE_COLOURS["Parent network"],
        "position": [-83.7, 42.5],
    }
    assert beta["colour"] == OTHER_COLOUR != TYPE_COLOURS["Parent network"]
    assert beta["place"] == "PO Box 1, US"
    assert "approximate" in beta["precision"]
    assert unplaced == ""
    assert list(alpha)[-1] == "position"


def test_colours_are_distinct_per_type():
    """Every organization type has its own colour: a map reader can tell them apart."""
    colours = [tuple(colour) for colour in TYPE_COLOURS.values()]
    assert len(set(colours)) == len(colours) == 5


def test_place_groups_number_only_rows_that_share_coordinates():
    """Rows at exactly the same coordinates share a number; a row alone, or unplaced rows
    (even two of them), get -1."""
    frame = rows(
        ("a", "A", "", "", "", "city", 1.0, 2.0),
        ("b", "B", "", "", "", "city", 5.0, 6.0),
        ("c", "C", "", "", "", "city", 1.0, 2.0),
        ("d", "D", "", "", "", "none", NAN, NAN),
        ("e", "E", "", "", "", "none", NAN, NAN),
    )
    assert place_groups(frame).tolist() == [0, -1, 0, -1, -1]


def test_with_map_points_adds_listed_columns_without_touching_the_input():
    """The two columns land among the listed ones (before the filter-only columns), so a
    listing carries them; the directory passed in is not changed."""
    directory = PLACED.assign(**{name: "" for name in LISTED_COLUMNS if name not in PLACED})
    directory = directory.assign(**dict.fromkeys(FILTER_COLUMNS, ""))
    before = list(directory.columns)
    built = with_map_points(directory)
    assert list(directory.columns) == before
    assert {POINT_COLUMN, PLACE_COLUMN} <= set(listing(built).columns)
    assert built[PLACE_COLUMN].tolist() == [-1, -1, -1]


def test_spread_moves_only_points_shown_together_at_one_place():
    """Two rows at one place are moved apart (to different positions); a lone row keeps its
    exact string; the same input gives the same output."""
    frame = rows(
        ("a", "A", "", "Brighton", "", "city", 42.5, -83.7),
        ("b", "B", "", "Brighton", "", "city", 42.5, -83.7),
        ("c", "C", "", "Detroit", "", "city", 42.3, -83.0),
    )
    points = point_json(frame)
    moved = spread(frame, points, zoom=10)
    first, second = (json.loads(text)["position"] for text in moved[:2])
    assert first != second and first != [-83.7, 42.5]
    assert moved[2] == points[2]
    assert spread(frame, points, zoom=10).tolist() == moved.tolist()
    assert spread(frame.iloc[[0, 2]], points[[0, 2]], zoom=10).tolist() == points[[0, 2]].tolist()


def test_view_fits_the_radius_or_the_nearest_points_or_everything():
    """A searched place with a radius centres on the place, zoomed out further for a larger
    radius; with no points and no place the whole world shows."""
    place = PlaceResult(found=True, label="48116", latitude=42.5, longitude=-83.7)
    none = np.array([])
    near, far = fit_view(none, none, place, 25), fit_view(none, none, place, 500)
    assert (near.latitude, near.longitude) == (42.5, -83.7)
    assert near.zoom > far.zoom
    assert fit_view(none, none, None, None) == WHOLE_WORLD
    lons, lats = np.array([-80.0, -90.0]), np.array([40.0, 44.0])
    everything = fit_view(lons, lats, None, None)
    assert (everything.latitude, everything.longitude) == (42.0, -85.0)
    assert everything != WHOLE_WORLD


def test_the_view_of_organizations_in_america_and_australia_crosses_the_pacific():
    """The bundled data's organizations lie in the United States and in Melbourne: 241
    degrees apart eastwards but 145 across the Pacific. The view is centred on the Pacific
    (it was on Africa, with no organization in view on a phone), and every point lies
    within the longitudes a phone's map shows at the fitted zoom."""
    lons = np.array([-97.0, -88.0, -84.0, -77.0, -71.0, 144.96])
    lats = np.array([38.0, 41.9, 42.5, 38.9, 42.4, -37.8])
    assert shortest_arc(lons) == (144.96, 289.0)
    view = fit_view(lons, lats, None, None)
    assert -150 < view.longitude < -135
    half_width = 360 * map_view.MAP_WIDTH_PX / (map_view.TILE_PX * 2**view.zoom) / 2
    off_centre = np.abs((lons - view.longitude + 180) % 360 - 180)
    assert (off_centre <= half_width).all(), (off_centre, half_width)


def test_the_shortest_arc_wraps_only_when_the_widest_gap_is_not_the_antimeridian():
    assert shortest_arc(np.array([-90.0, -80.0, -85.0])) == (-90.0, -80.0)
    assert shortest_arc(np.array([170.0, -170.0])) == (170.0, 190.0)  # Fiji to Samoa
    assert shortest_arc(np.array([5.0, 5.0])) == (5.0, 5.0)
    assert shortest_arc(np.array([-120.0, 0.0, 120.0])) == (-120.0, 120.0)  # all gaps equal
