"""Printed postal addresses read into HSDS fields: street, PO box, city, region, postal code,
country (US, Canadian, UK, Australian and continental European shapes)."""

from __future__ import annotations

import functools
import re

from explorer.models import Address
from explorer.place_names import country_code_for_name, province_code_for_name

PO_BOX = re.compile(r"^(p\.?\s*o\.?\s*box|post office box|gpo box|box)\s+\S+", re.IGNORECASE)
STREET = re.compile(r"^\d+[a-z]?(-\d+)?\s+(?!floor\b)\S+", re.IGNORECASE)
US_LAST_LINE = re.compile(
    r"^(?P<city>[^,]+?),?\s+(?P<state>[A-Z]{2})\.?\s+(?P<postal>\d{5}(?:-\d{4})?)$"
)
CA_POSTAL = re.compile(r"(?P<postal>[A-Za-z]\d[A-Za-z])\s?(?P<ldu>\d[A-Za-z]\d)$")
GENERIC_LAST_LINE = re.compile(r"^(?P<place>[^\d,][^,]*?),?\s+(?P<postal>\d{4,5})$")
UK_LAST_LINE = re.compile(
    r"^(?P<city>[^\d,][^,]*?),?\s+(?P<outward>[A-Z]{1,2}\d[A-Z\d]?)\s*(?P<inward>\d[A-Z]{2})$",
    re.IGNORECASE,
)
"""``London, SW17 0QT``: a post town and a UK postcode (outward and inward code)."""
POSTAL_FIRST_LINE = re.compile(r"^(?P<postal>(?:[A-Z]{1,2}-)?\d{4,5})\s+(?P<place>[^\d,].*)$")
"""``30625 Hannover``, ``D-30625 Hannover``: the continental European order. Read only when
a country line names a country outside North America, the UK and Australia, since a
street line (``1002 Mair Street``) has the same shape."""
NUMBER_LAST_STREET = re.compile(r"^[^\d,]*[^\W\d]\.?\s+\d+[a-z]?(?:\s?[-/]\s?\d+[a-z]?)?$", re.I)
"""``Carl-Neuberg-Str. 1``, ``Hauptstraße 12a``, ``Keizersgracht 123-125``: the street
before the house number, as most of continental Europe writes it."""
UNIT_LINE = re.compile(
    r"^(suite|ste\b|floor|fl\b|room|rm\b|unit|building|bldg|haus|gebäude|geb\b|etage|stock|"
    r"apt|apartment|box|postfach|level|dept|department|wing|block|station|zimmer|raum)",
    re.I,
)
"""Lines that have the number-last shape but name a unit or building, not a street."""
POSTAL_LAST_COUNTRIES = frozenset({"US", "CA", "GB", "AU", ""})
CITY_REGION_LINE = re.compile(r"^(?P<city>[^\d,.]{2,40}),\s*(?P<region>[^\d,.]{2,30})$")


def split_last_address_line(text: str, *, country: str = "") -> dict[str, str]:
    """Split the city/region/postal-code line of an address into HSDS fields.

    Handles ``Brighton, MI 48116``, ``Manitoba, R3M 3S7`` (a province, not a city),
    ``Winnipeg, MB R3M 3S7``, ``Ballarat, 3350``, ``London, SW17 0QT``, ``Paris, France``
    and, when ``country`` (from a country line) is a continental one, ``30625 Hannover``;
    returns an empty dict when the line is not of such a shape.
    """
    if country not in POSTAL_LAST_COUNTRIES and (match := POSTAL_FIRST_LINE.match(text)):
        postal = match["postal"].split("-")[-1]
        return {"city": match["place"].strip(), "postal_code": postal, "country": country}
    if country in ("", "GB") and (match := UK_LAST_LINE.match(text)):
        postal = f"{match['outward']} {match['inward']}".upper()
        return {"city": match["city"].strip(), "postal_code": postal, "country": "GB"}
    if match := US_LAST_LINE.match(text):
        return {
            "city": match["city"].strip(),
            "state_province": match["state"],
            "postal_code": match["postal"],
            "country": "US",
        }
    if match := CA_POSTAL.search(text):
        postal = f"{match['postal']} {match['ldu']}".upper()
        place = text[: match.start()].strip().rstrip(",").strip()
        fields = {"postal_code": postal, "country": "CA"}
        parts = [part.strip() for part in place.split(",") if part.strip()]
        if parts and province_code_for_name(parts[-1]):
            fields["state_province"] = parts.pop()
        elif (
            parts and len(parts[-1].split()) >= 2 and province_code_for_name(parts[-1].split()[-1])
        ):
            *city_words, province = parts.pop().split()
            fields["state_province"] = province
            parts.append(" ".join(city_words))
        if parts:
            fields["city"] = ", ".join(parts)
        return fields
    if match := GENERIC_LAST_LINE.match(text):
        return {"city": match["place"].strip(), "postal_code": match["postal"]}
    if match := CITY_REGION_LINE.match(text):
        region = match["region"].strip()
        if country := country_code_for_name(region):
            return {"city": match["city"].strip(), "country": country}
        return {"city": match["city"].strip(), "state_province": region}
    return {}


@functools.lru_cache(maxsize=4096)
def parse_address(lines: tuple[str, ...]) -> Address:
    """Tell street, PO box, other lines, city, region, postal code and country apart.

    Cached: a report that repeats an organization repeats its address, and the record is
    immutable, so the repeats share one.
    """
    remaining = list(lines)
    country = ""
    if remaining and (code := country_code_for_name(remaining[-1])):
        country = code
        remaining.pop()
    fields: dict[str, str] = {}
    if remaining and (fields := split_last_address_line(remaining[-1], country=country)):
        remaining.pop()
    po_boxes = [line for line in remaining if PO_BOX.match(line)]
    streets = [line for line in remaining if _is_street(line) and line not in po_boxes]
    if not streets:
        # No numbered street ("Cranmer Terrace"): by postal convention the line just above
        # the city line is the street; lines above it name a building or department.
        streets = [line for line in remaining if line not in po_boxes][-1:]
    others = [line for line in remaining if line not in streets and line not in po_boxes]
    address_1 = streets[0] if streets else (po_boxes[0] if po_boxes else "")
    address_2 = "; ".join(others + streets[1:] + (po_boxes if streets else po_boxes[1:]))
    return Address(
        lines=tuple(lines),
        address_1=address_1,
        address_2=address_2,
        po_box=po_boxes[0] if po_boxes else "",
        city=fields.get("city", ""),
        state_province=fields.get("state_province", ""),
        postal_code=fields.get("postal_code", ""),
        country=country or fields.get("country", ""),
    )


def _is_street(line: str) -> bool:
    """A numbered street line, the number first (US, UK, ...) or last (``Hauptstraße 12``)."""
    if STREET.match(line):
        return True
    return bool(NUMBER_LAST_STREET.match(line)) and not UNIT_LINE.match(line)


def is_address_line(text: str) -> bool:
    """Whether ``text`` reads as a street, a PO box or a city/region/postal-code line."""
    return bool(PO_BOX.match(text) or STREET.match(text) or split_last_address_line(text))
