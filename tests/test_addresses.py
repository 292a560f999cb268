"""Printed addresses read into fields: the street stays the street in every export."""

from __future__ import annotations

from explorer.exports.csv_vcard import organizations_csv, organizations_vcard
from explorer.models import Organization, SourceRef
from explorer.reading.addresses import parse_address


def _org(*lines: str) -> Organization:
    return Organization(
        id="x", name="Test Office", address=parse_address(lines), source=SourceRef("r.txt", 1)
    )


def _adr(org: Organization) -> list[str]:
    """The ADR fields of the org's vCard: PO box, extended, street, city, region, code, country."""
    card = organizations_vcard([org]).decode("utf-8")
    line = next(line for line in card.split("\r\n") if line.startswith("ADR"))
    return line.split(":", 1)[1].split(";")


def test_a_german_office_keeps_its_street_as_the_street():
    """German streets put the number last; the building line above is not the street."""
    org = _org("Haus B", "Carl-Neuberg-Str. 1", "30625 Hannover", "Germany")
    assert (org.address.address_1, org.address.address_2) == ("Carl-Neuberg-Str. 1", "Haus B")
    box, extended, street, city, _, postal, country = _adr(org)
    assert (box, extended, street) == ("", "Haus B", "Carl-Neuberg-Str. 1")
    assert (city, postal, country) == ("Hannover", "30625", "DE")


def test_an_address_with_no_numbered_street_keeps_its_street_in_the_csv():
    org = _org("Cranmer Terrace", "London, SW17 0QT", "United Kingdom")
    assert org.address.address_1 == "Cranmer Terrace"
    header, row = organizations_csv([org]).decode("utf-8-sig").splitlines()[:2]
    fields = dict(zip(header.split(","), row.split(","), strict=False))
    assert fields["address_1"] == "Cranmer Terrace"
    assert _adr(org)[2] == "Cranmer Terrace"


def test_unit_lines_are_not_streets_and_numbered_streets_still_win():
    org = _org("Plaza 600 Building", "600 Stewart Street", "Suite 1503", "Seattle, WA 98101")
    assert org.address.address_1 == "600 Stewart Street"
    assert org.address.address_2 == "Plaza 600 Building; Suite 1503"
    boxed = _org("971 Corydon Avenue", "P.O. Box 243", "Manitoba, R3M 3S7")
    assert (boxed.address.address_1, boxed.address.po_box) == ("971 Corydon Avenue", "P.O. Box 243")
    only_box = _org("PO Box 1693", "Brighton, MI 48116")
    assert only_box.address.address_1 == only_box.address.po_box == "PO Box 1693"
