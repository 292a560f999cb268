"""Only http, https, mailto and tel links are ever built from report text."""

from __future__ import annotations

import dataclasses

import pytest

from explorer.links import is_allowed_link, safe_email, safe_tel, safe_web_url
from explorer.models import ContactStatus, Location, Organization
from explorer.places.directions import directions_link, drivable
from explorer.places.resolve import resolve_place
from explorer.reading.addresses import parse_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://www.example.org", "http://www.example.org"),
        ("www.example.org/path", "https://www.example.org/path"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt://example.org/%0aalert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("https://exa mple.org", ""),
        ("ftp://example.org", ""),
        ("", ""),
    ],
)
def test_safe_web_url(text, expected):
    """Web links keep only http(s) URLs with a real host name."""
    assert safe_web_url(text) == expected


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("info@example.org", True),
        ("a@b", False),
        ("x@example.org?cc=y", False),
        ("<a>@x.org", False),
    ],
)
def test_safe_email(text, ok):
    """Email links only for plain addresses."""
    assert bool(safe_email(text)) is ok


def test_allowed_schemes():
    """The four schemes pass; anything else does not."""
    assert all(
        is_allowed_link(u) for u in ("http://a.org", "https://a.org", "mailto:a@b.org", "tel:+1")
    )
    assert not is_allowed_link("javascript:alert(1)")


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("tel:+1-810-229-5797", True),
        ("tel:+18102295797", True),
        ("tel:+1-800-555-0199;ext=12", True),
        ("tel:810-229-5797", False),
        ("tel:+1-810)](javascript:alert(1)", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_safe_tel(uri, ok):
    """Phone links only for international numbers made of digits and separators."""
    assert bool(safe_tel(uri)) is ok


def _placed(name: str, lines: tuple[str, ...], *, precision: str = "postal_code", country="US"):
    """An organization at Brighton, MI (or in ``country``), placed with ``precision``."""
    location = Location(42.53, -83.78, precision, "test", country=country)
    return Organization(id=name, name=name, address=parse_address(lines), location=location)


BRIGHTON_STREET = ("12 Main Street", "Brighton, MI 48116")


def test_directions_need_a_street_address_and_a_precise_place():
    """A street address gets a route from the searched place; a PO box, a region or country
    placement and a closed organization get no directions link at all."""
    detroit = resolve_place("Detroit, MI")
    route = directions_link(_placed("street", BRIGHTON_STREET), detroit)
    assert route is not None and route.label.startswith("Directions")
    assert "route=" in route.url
    assert directions_link(_placed("box", ("PO Box 1693", "Brighton, MI 48116")), detroit) is None
    for precision in ("region", "country"):
        assert (
            directions_link(_placed(precision, BRIGHTON_STREET, precision=precision), detroit)
            is None
        )
    closed = dataclasses.replace(
        _placed("closed", BRIGHTON_STREET),
        status=ContactStatus("closed", "https://x.org", "2026-12-01"),
    )
    assert directions_link(closed, detroit) is None


def test_no_driving_route_across_an_ocean():
    """From Detroit to Australia: the map location, not a route; Canada to the US: a route."""
    detroit = resolve_place("Detroit, MI")
    australian = _placed("au", ("1002 Mair Street", "Ballarat, 3350", "Australia"), country="AU")
    over_sea = directions_link(australian, detroit)
    assert over_sea is not None
    assert "route=" not in over_sea.url and "mlat=" in over_sea.url
    assert "ocean" in over_sea.note
    winnipeg = resolve_place("Winnipeg, Manitoba")
    assert "route=" in directions_link(_placed("us", BRIGHTON_STREET), winnipeg).url
    assert drivable("DE", "CN") and not drivable("GB", "US") and not drivable("AU", "NZ")
