"""The way to an organization on OpenStreetMap: a driving route from a searched place, or
the organization's map location when no route can exist (an ocean between, a coarse
placement, a closed organization or a PO box).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from explorer.models import Organization
from explorer.place_names import continent_code
from explorer.places.resolve import PlaceResult

LAND_CONNECTED = (frozenset({"EU", "AS", "AF"}), frozenset({"NA", "SA"}))
"""Continents (GeoNames codes) joined by land, between which a driving route can exist.
Oceania and Antarctica join nothing: a route from Australia to anywhere abroad crosses an
ocean. Within one country a route is always offered (islands aside, a known limit)."""
UNREACHABLE_PRECISIONS = ("region", "country", "none")
"""Placements too coarse to drive to: the point is a region's or country's centre."""


@dataclass(frozen=True, slots=True)
class MapLink:
    """An OpenStreetMap link for a card: a driving route, or the organization's map location."""

    label: str
    url: str
    note: str = ""


def _osm_point(latitude: float, longitude: float) -> str:
    return f"{latitude:.5f},{longitude:.5f}"


def drivable(country_a: str, country_b: str) -> bool:
    """Whether a driving route between two countries can exist without crossing an ocean."""
    if country_a == country_b:
        return True
    a, b = continent_code(country_a), continent_code(country_b)
    return any(a in group and b in group for group in LAND_CONNECTED)


def directions_link(org: Organization, place: PlaceResult | None) -> MapLink | None:
    """The way to the organization, or None when there is no place to go.

    None for a closed organization, for an address that is only a PO box (a mailbox is
    not a place to go) or has no street, and for a placement at region or country level.
    From a searched place across an ocean, the map location instead of a route.
    """
    loc = org.location
    address = org.address
    if org.is_closed or loc is None or loc.precision in UNREACHABLE_PRECISIONS:
        return None
    if loc.latitude is None or loc.longitude is None:
        return None
    if not address.address_1 or address.address_1 == address.po_box:
        return None
    target = _osm_point(loc.latitude, loc.longitude)
    map_url = (
        f"https://www.openstreetmap.org/?mlat={loc.latitude:.5f}&mlon={loc.longitude:.5f}"
        f"#map=12/{loc.latitude:.5f}/{loc.longitude:.5f}"
    )
    if place is None or not place.found or place.latitude is None or place.longitude is None:
        return MapLink("Map location (OpenStreetMap)", map_url)
    if not drivable(place.country, loc.country):
        return MapLink(
            "Map location (OpenStreetMap)",
            map_url,
            "No driving route: an ocean lies between you and this organization.",
        )
    start = _osm_point(place.latitude, place.longitude)
    query = urlencode({"engine": "fossgis_osrm_car", "route": f"{start};{target}"})
    return MapLink(
        "Directions (OpenStreetMap)", f"https://www.openstreetmap.org/directions?{query}"
    )
