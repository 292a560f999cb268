"""The map builder without a browser: offline deck, labels, shared places and the legend."""

from __future__ import annotations

import base64
import json
import math
import re

import pandas as pd
import pytest

from components import org_map
from explorer.directory import city_labels, map_points, map_view
from explorer.places.resolve import PlaceResult

BRIGHTON = (42.5371, -83.7756)


def frame(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    """A directory-shaped frame of (id, name, latitude, longitude) rows, with map points."""
    records = [
        {
            "id": org_id,
            "name": name,
            "city": "Brighton",
            "address": "",
            "country": "US",
            "geocode_precision": "postal_code" if not math.isnan(lat) else "none",
            "latitude": lat,
            "longitude": lon,
            "org_type": "Patient support group",
        }
        for org_id, name, lat, lon in rows
    ]
    directory = pd.DataFrame(records)
    directory[map_points.POINT_COLUMN] = map_points.point_json(directory)
    return directory


def spec(rows: pd.DataFrame, **options) -> dict:
    return json.loads(org_map.build_deck(rows, **options).to_json())


def layer(deck: dict, layer_id: str) -> dict:
    return next(item for item in deck["layers"] if item["id"] == layer_id)


SHARED = frame(
    [
        ("a", "Alpha Group", *BRIGHTON),
        ("b", "Beta Network", *BRIGHTON),
        ("c", "Gamma Registry", *BRIGHTON),
        ("d", "Delta Alone", 42.3314, -83.0458),
        ("e", "Unplaced", math.nan, math.nan),
    ]
)


def test_deck_asks_for_no_basemap_and_names_no_remote_host():
    """No map provider, no style URL and no other address: the deck needs no network, and
    Streamlit's theme-picked Carto style is switched off by pydeck's style sentinel."""
    deck = spec(SHARED)
    assert "mapProvider" not in deck
    assert deck["mapStyle"] == "__MAP_STYLE__"
    text = json.dumps(deck)
    assert "://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "cartocdn" not in text and "mapbox" not in text


def test_organizations_across_the_pacific_are_drawn_in_the_worlds_beside_this_one():
    """A view centred on the Pacific shows Melbourne west of the antimeridian: deck.gl's map
    view repeats the world (and every layer on it) east and west, and the sea under the land
    is one world wide, repeated like the rest."""
    pacific = frame([("a", "Alpha Group", *BRIGHTON), ("m", "Melbourne Group", -37.81, 144.96)])
    deck = spec(pacific)
    assert deck["views"] == [{"@@type": "MapView", "controller": True, "repeat": True}]
    assert -150 < deck["initialViewState"]["longitude"] < -100
    sea = layer(deck, "sea")
    assert sea["data"] == [{"polygon": org_map.WORLD}]
    assert {x for x, _ in org_map.WORLD} == {-180, 180}


def test_labels_are_drawn_under_the_points_from_the_packaged_gazetteer_files():
    """Two collision-filtered text layers in one style, drawn before (under) the organization
    points: country and state names from the served label file, and the city names around
    the view, carried by the deck."""
    deck = spec(SHARED)
    ids = [item["id"] for item in deck["layers"]]
    assert ids.index("labels") < ids.index("city-labels") < ids.index(org_map.PRECISE_LAYER)
    labels, cities = layer(deck, "labels"), layer(deck, "city-labels")
    assert labels["data"] == org_map.MAP_FILES_URL + org_map.LABEL_FILE
    served = json.loads((org_map.MAP_FILES / org_map.LABEL_FILE).read_text(encoding="utf-8"))
    assert {"Canada", "Michigan"} <= {label["text"] for label in served}
    assert "Detroit" in {label["text"] for label in cities["data"]}
    assert labels["extensions"] == [{"@@type": "CollisionFilterExtension"}]
    assert labels["getCollisionPriority"] == "@@=priority"
    assert labels["getSize"] == "@@=size" and labels["getColor"] == "@@=colour"
    assert labels["pickable"] is False
    style = {key: value for key, value in labels.items() if key not in ("id", "data")}
    assert style == {key: value for key, value in cities.items() if key not in ("id", "data")}
    sizes = {label["text"]: label["size"] for label in [*served, *cities["data"]]}
    assert sizes["Canada"] > sizes["Michigan"] > sizes["Detroit"]


def test_a_deck_carries_the_largest_city_names_around_its_view_only():
    """Near Brighton, MI the deck names Detroit, not Sydney; at most
    :data:`~explorer.directory.city_labels.CITIES_PER_VIEW` names, never all ~2,400 (every
    name in every frame cost a browser without a GPU seconds per search)."""
    brighton = PlaceResult(
        found=True, latitude=BRIGHTON[0], longitude=BRIGHTON[1], label="Brighton, MI"
    )
    near = layer(spec(SHARED, place=brighton, radius_km=50), "city-labels")["data"]
    names = {label["text"] for label in near}
    assert "Detroit" in names and "Sydney" not in names
    assert all(label["kind"] == "cities" for label in near)
    world = frame([("a", "North", 60.0, -100.0), ("b", "South", -35.0, 150.0)])
    everywhere = layer(spec(world), "city-labels")["data"]
    assert len(everywhere) == city_labels.CITIES_PER_VIEW
    assert len(org_map.city_labels().labels) > 10 * city_labels.CITIES_PER_VIEW


def test_outlines_and_labels_are_fetched_once_not_sent_with_every_deck():
    """The deck names the map's files (relative addresses on the app's own server) instead
    of carrying them: two searches' decks hold the same small strings, so the browser keeps
    the outlines and labels it has, and a deck is a few kilobytes, not 600."""
    first, second = spec(SHARED), spec(SHARED.iloc[:2])
    served = [item["data"] for item in first["layers"] if isinstance(item["data"], str)]
    assert served == [
        org_map.MAP_FILES_URL + name
        for name in (org_map.OUTLINE_FILES[0], *org_map.OUTLINE_FILES, org_map.LABEL_FILE)
    ]
    assert served == [item["data"] for item in second["layers"] if isinstance(item["data"], str)]
    for address in served:
        assert "://" not in address and not address.startswith("/")
        assert (org_map.MAP_FILES / address.removeprefix(org_map.MAP_FILES_URL)).is_file()
    assert len(json.dumps(first)) < 20_000


def _pixels(deck: dict, point: dict, lat: float, lon: float) -> tuple[float, float]:
    """A point's offset from (lat, lon) in screen pixels at the deck's initial zoom."""
    scale = map_view.TILE_PX * 2 ** deck["initialViewState"]["zoom"] / 360
    dlon, dlat = point["position"][0] - lon, point["position"][1] - lat
    return dlon * scale, dlat * scale / math.cos(math.radians(lat))


def test_points_at_one_place_are_spread_apart_and_say_so():
    """Three organizations at one ZIP get three distinct positions a few pixels around it,
    far enough apart to hover and click each; the lone point is not moved."""
    deck = spec(SHARED)
    points = {p["id"]: p for p in layer(deck, org_map.PRECISE_LAYER)["data"]}
    assert set(points) == {"a", "b", "c", "d"}
    offsets = [_pixels(deck, points[key], *BRIGHTON) for key in "abc"]
    for dx, dy in offsets:
        assert 4 <= math.hypot(dx, dy) <= map_view.SPREAD_MAX_PX
    for (x1, y1), (x2, y2) in [(offsets[0], offsets[1]), (offsets[1], offsets[2])]:
        assert math.hypot(x1 - x2, y1 - y2) >= 2 * map_view.POINT_RADIUS_PX
    assert points["d"]["position"] == [-83.0458, 42.3314]
    assert points["d"]["shared"] == ""
    assert points["a"]["shared"].startswith("3 organizations share this place")
    assert "Beta Network" in points["a"]["shared"] and "Gamma Registry" in points["a"]["shared"]
    assert "Alpha Group" not in points["a"]["shared"]  # the others, not itself
    assert "{shared}" in org_map.TOOLTIP["html"]


def test_spread_is_deterministic_and_follows_the_rows_shown():
    """The same rows give the same positions; with its partner filtered out, a point that
    shared a place is drawn at its own coordinates again."""
    first = layer(spec(SHARED), org_map.PRECISE_LAYER)["data"]
    again = layer(spec(SHARED), org_map.PRECISE_LAYER)["data"]
    assert first == again
    alone = layer(spec(SHARED[SHARED["id"].isin(["a", "d"])]), org_map.PRECISE_LAYER)["data"]
    assert next(p for p in alone if p["id"] == "a")["position"] == [BRIGHTON[1], BRIGHTON[0]]


def test_many_points_at_one_place_keep_a_bounded_ring_and_a_short_tooltip():
    """Twenty organizations at one place stay within the ring's maximum radius, and each
    tooltip names three others and counts the rest instead of listing all."""
    crowd = frame([(f"id{i}", f"Org {i:02d}", *BRIGHTON) for i in range(20)])
    deck = spec(crowd)
    points = layer(deck, org_map.PRECISE_LAYER)["data"]
    assert len({tuple(p["position"]) for p in points}) == 20
    for point in points:
        assert math.hypot(*_pixels(deck, point, *BRIGHTON)) <= map_view.SPREAD_MAX_PX + 0.5
    assert points[0]["shared"].endswith("and 16 more")
    assert "Org 05" not in points[0]["shared"]


def _swatch_colours(markdown: str) -> list[tuple[str, str]]:
    """(fill, stroke) of every swatch image in the legend, decoded from its data URI."""
    found = []
    for data in re.findall(r"!\[\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", markdown):
        svg = base64.b64decode(data).decode()
        circle = re.search(r'<circle[^>]*fill="([^"]+)"[^>]*stroke="([^"]+)"', svg)
        found.append(circle.groups())
    return found


def test_legend_swatches_use_the_point_colours_and_name_each_type():
    """Each organization type's swatch is filled with its exact point colour, and the words
    say what it means (not which colour it is)."""
    legend = org_map.legend_markdown()
    fills = [fill for fill, _ in _swatch_colours(legend)]
    expected = ["rgb({},{},{})".format(*colour) for colour in map_points.TYPE_COLOURS.values()]
    assert fills[: len(expected)] == expected
    for org_type in map_points.TYPE_COLOURS:
        assert org_type in legend
    assert not re.search(r"\b(blue|orange|green|violet|gray):", legend)
    assert "red ring" not in legend  # no search, no ring in the legend


@pytest.mark.parametrize(("radius", "swatches"), [(False, 7), (True, 8)])
def test_legend_adds_the_searched_place_and_radius_in_the_map_red(radius, swatches):
    """After a search the red ring (and with a radius, the red circle) join the legend, in
    the same red the map draws them."""
    legend = org_map.legend_markdown(searched=True, radius=radius)
    colours = _swatch_colours(legend)
    assert len(colours) == swatches
    red = "rgb({},{},{})".format(*org_map.SEARCH_COLOUR)
    assert colours[6] == ("none", red)
    assert "red ring: the place searched" in legend
    assert ("red circle: the radius" in legend) is radius


def test_searched_place_draws_a_ring_in_the_legend_red():
    """The deck's search ring uses the same colour constant as the legend's swatch."""
    place = PlaceResult(found=True, label="48116", latitude=BRIGHTON[0], longitude=BRIGHTON[1])
    deck = spec(SHARED, place=place, radius_km=50)
    assert layer(deck, "search-place")["getLineColor"] == org_map.SEARCH_COLOUR
    assert layer(deck, "search-radius")["getLineColor"] == org_map.SEARCH_COLOUR
    assert "search-radius" not in [item["id"] for item in spec(SHARED, place=place)["layers"]]


def test_cached_directory_columns_give_the_same_deck_as_computing_on_the_fly():
    """with_map_points adds the point JSON and place numbers once per data version; a deck
    from them equals one computed from scratch, and on a filtered subset the points sit in
    the same spots (the tooltip still names everyone listed at the place)."""
    raw = SHARED.drop(columns=map_points.POINT_COLUMN).assign(reach="local")
    cached = map_points.with_map_points(raw)
    assert cached[map_points.PLACE_COLUMN].tolist()[:4] == [0, 0, 0, -1]
    assert cached[map_points.PLACE_COLUMN].iloc[4] == -1  # unplaced is never "shared"
    assert spec(cached)["layers"] == spec(raw)["layers"]
    subset = [0, 2, 3]
    from_cache = layer(spec(cached.iloc[subset]), org_map.PRECISE_LAYER)["data"]
    from_scratch = layer(spec(raw.iloc[subset]), org_map.PRECISE_LAYER)["data"]
    assert [p["position"] for p in from_cache] == [p["position"] for p in from_scratch]
    assert "Beta Network" in from_cache[0]["shared"]
    assert "Beta Network" not in from_scratch[0]["shared"]


def test_clickable_layers_name_their_rows():
    """The map keeps one widget (and the browser its deck) from search to search; the
    clickable layers' ids change with the rows, so Streamlit's frontend drops a click made
    on other rows instead of keeping its row position, which now is another organization."""
    first = org_map.cached_deck(SHARED, signature="rows-a")
    again = org_map.cached_deck(SHARED.copy(), signature="rows-a")
    other = org_map.cached_deck(SHARED.iloc[::-1], signature="rows-b")

    def clickable(deck) -> list[str]:
        ids = [item["id"] for item in json.loads(deck.to_json())["layers"]]
        return [i for i in ids if org_map.point_layer_kind(i) == org_map.PRECISE_LAYER]

    assert len(clickable(first)) == 1 and clickable(first)[0] != org_map.PRECISE_LAYER
    assert clickable(first) == clickable(again)
    assert clickable(first) != clickable(other)
    event = {"selection": {"objects": {clickable(other)[0]: [{"id": "d"}]}}}
    assert org_map.selected_id(event) == "d"
