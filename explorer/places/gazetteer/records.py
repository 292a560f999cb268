"""The gazetteer's records and its read-only index with the look-ups the geocoder uses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from explorer.lookup_key import normalize


def _constructor_call(record: object) -> tuple:
    """How a gazetteer record pickles: a call of its class with its field values.

    The disk cache holds about 140,000 of these; the dataclass default (a ``__setstate__``
    per record, in Python) took half of the time a process spends reading the gazetteer back.
    """
    return type(record), tuple(getattr(record, name) for name in record.__slots__)


@dataclass(frozen=True, slots=True)
class Place:
    """A named point: a gazetteer city, or a US city placed at the mean of its ZIPs.

    ``region`` is the region code used throughout this module (US/CA/AU postal
    abbreviation such as ``"MI"``/``"MB"``/``"VIC"``, else the geonames admin1 code).
    """

    name: str
    country: str
    region: str
    latitude: float
    longitude: float
    population: int = 0

    __reduce__ = _constructor_call


@dataclass(frozen=True, slots=True)
class PostalArea:
    """A US ZIP or a Canadian FSA with its centroid; ``city`` may be ``""`` (rural FSA)."""

    code: str
    place: str
    city: str
    region: str
    country: str
    latitude: float
    longitude: float
    po_box: bool = False

    __reduce__ = _constructor_call


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level division (state, province, territory, GB nation) and its centroid."""

    country: str
    code: str
    name: str
    latitude: float
    longitude: float

    __reduce__ = _constructor_call


@dataclass(frozen=True, slots=True)
class Country:
    """A country with a representative point (its capital) and its postal-code pattern."""

    code: str
    name: str
    latitude: float
    longitude: float
    point_name: str
    postal_pattern: re.Pattern[str] | None

    __reduce__ = _constructor_call

    def accepts_postal_code(self, postal_code: str) -> bool:
        """Whether ``postal_code`` has this country's shape (unknown pattern: no)."""
        return bool(self.postal_pattern and self.postal_pattern.match(postal_code))


@dataclass(frozen=True, slots=True, eq=False)
class Gazetteer:
    """Read-only lookup tables; compared and hashed by identity so callers can cache on it.

    All name keys are :func:`normalize` d. City tuples are ordered most populous first.
    """

    zips: Mapping[str, PostalArea]
    fsas: Mapping[str, PostalArea]
    cities: Mapping[str, tuple[Place, ...]]
    city_aliases: Mapping[str, tuple[Place, ...]]
    zip_cities: Mapping[tuple[str, str], Place]
    regions: Mapping[str, tuple[Region, ...]]
    region_codes: Mapping[tuple[str, str], Region]
    countries: Mapping[str, Country]
    country_keys: Mapping[str, str]

    def find_cities(
        self, name: str, *, country: str = "", region: str = "", aliases: bool = True
    ) -> tuple[Place, ...]:
        """Gazetteer cities called ``name`` in the given scope, most populous first.

        Official names win over alternate names: alternate names are searched only
        when no city in scope has ``name`` as its official name (``aliases=False``
        skips them).
        """
        key = normalize(name)
        for table in (self.cities, self.city_aliases) if aliases else (self.cities,):
            found = tuple(
                p
                for p in table.get(key, ())
                if (not country or p.country == country) and (not region or p.region == region)
            )
            if found:
                return found
        return ()

    def find_zip_city(self, name: str, state: str) -> Place | None:
        """A US city known only from ZIP records (towns under 5,000 people), by state code."""
        return self.zip_cities.get((normalize(name), state))

    def find_regions(self, name: str, *, country: str = "") -> tuple[Region, ...]:
        """Regions whose name or abbreviation is ``name`` (optionally within ``country``)."""
        found = self.regions.get(normalize(name), ())
        return tuple(r for r in found if r.country == country) if country else found

    def find_country(self, name: str) -> Country | None:
        """A country by ISO alpha-2/alpha-3 code, geonames name or common alias."""
        code = self.country_keys.get(normalize(name))
        return self.countries[code] if code else None

    def region_of(self, place: Place) -> Region | None:
        """The indexed region a city lies in (None where only a numeric admin1 code is known)."""
        return self.region_codes.get((place.country, place.region))
