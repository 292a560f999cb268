"""Which city names a map view carries: the largest ones around the view, across the
antimeridian too, at most a fixed number."""

from __future__ import annotations

import json

from explorer.directory.city_labels import cities_in_view, read_city_labels
from explorer.directory.map_view import View


def write_cities(path, cities: list[tuple[str, float, float, int]]):
    """A cities file of (name, longitude, latitude, priority), in no particular order."""
    path.write_text(
        json.dumps(
            [
                {"text": name, "position": [lon, lat], "priority": priority, "kind": "cities"}
                for name, lon, lat, priority in cities
            ]
        ),
        encoding="utf-8",
    )
    return read_city_labels(path)


def test_the_largest_cities_around_the_view_come_first_and_far_ones_not_at_all(tmp_path):
    cities = write_cities(
        tmp_path / "cities.json",
        [
            ("Small near", -83.5, 42.4, -300),
            ("Big near", -83.0, 42.3, -100),
            ("Far away", 151.2, -33.9, 0),
        ],
    )
    names = [label["text"] for label in cities_in_view(cities, View(42.5, -83.8, 9))]
    assert names == ["Big near", "Small near"]
    assert [label["text"] for label in cities_in_view(cities, View(42.5, -83.8, 9), limit=1)] == [
        "Big near"
    ]


def test_a_view_by_the_antimeridian_sees_cities_on_both_sides(tmp_path):
    cities = write_cities(
        tmp_path / "cities.json",
        [("West of it", 179.5, -17.0, -100), ("East of it", -179.5, -17.0, -200)],
    )
    names = {label["text"] for label in cities_in_view(cities, View(-17.0, 179.9, 7))}
    assert names == {"West of it", "East of it"}
    assert cities_in_view(cities, View(-17.0, 0.0, 7)) == []
