"""Exports: formula injection neutralised; vCards that a kept parser (vobject) reads back.

The HSDS package is tested against the specification in ``tests/test_hsds.py``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
import vobject
from vobject.base import getLogicalLines, parseLine

from explorer.__main__ import main as cli_main
from explorer.cells import neutralise_cell
from explorer.exports.csv_vcard import organizations_csv, organizations_vcard
from explorer.models import SourceRef
from explorer.pipeline import build_catalog
from tests.conftest import BUNDLED_DATA

HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def hostile_orgs(bundled):
    """The bundled organizations with a formula for a name and in an address line."""
    first, *rest = bundled.disorder.organizations
    address = dataclasses.replace(first.address, address_1="+SUM(1,2)", city="@cmd")
    return (dataclasses.replace(first, name=HOSTILE_NAME, address=address), *rest)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_cell(prefix):
    """Each dangerous first character gets a leading quote; numbers and plain text do not."""
    assert neutralise_cell(prefix + "1") == "'" + prefix + "1"
    assert neutralise_cell("Seattle") == "Seattle"
    assert neutralise_cell(3.5) == 3.5


def test_csv_export_has_no_formula(hostile_orgs):
    """No cell of the CSV starts with a formula character."""
    rows = list(csv.reader(io.StringIO(organizations_csv(hostile_orgs).decode("utf-8-sig"))))
    assert len(rows) == 1 + len(hostile_orgs)
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE_NAME in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_vcard(hostile_orgs):
    """One card per organization; values cannot break out of their property."""
    text = organizations_vcard(hostile_orgs).decode("utf-8")
    assert text.count("BEGIN:VCARD") == len(hostile_orgs) == text.count("END:VCARD")
    assert "TEL;TYPE=WORK,X-TEXTPHONE:+18882053223" in text
    evil = dataclasses.replace(hostile_orgs[1], name="Evil\r\nEND:VCARD\r\nBEGIN:VCARD")
    injected = organizations_vcard((evil,)).decode("utf-8")
    assert injected.split("\r\n").count("BEGIN:VCARD") == 1
    assert "\r\nFN:Evil  END:VCARD  BEGIN:VCARD\r\n" in injected


def raw_values(card_text: str, name: str) -> list[str]:
    """A property's values as written, read with vobject's content-line parser.

    For a URI value (``URL``) this is the value: RFC 6350 escapes text values only.
    vobject's card reader decodes every property it has no rule for as a comma-separated
    text list, so it would cut ``https://a.example/x,y`` at the comma.
    """
    lines = (parseLine(line, number) for line, number in getLogicalLines(io.StringIO(card_text)))
    return [value for key, _params, value, _group in lines if key == name]


def test_vcard_reads_back_with_vobject(bundled):
    """Every card parses, with its name, address and validated numbers."""
    organizations = bundled.disorder.organizations
    cards = list(vobject.readComponents(organizations_vcard(organizations).decode("utf-8")))
    assert len(cards) == len(organizations)
    for card, org in zip(cards, organizations, strict=True):
        assert card.fn.value == card.org.value[0] == org.name
        assert card.adr.value.code == org.address.postal_code
        assert [tel.value for tel in card.tel_list] == [p.number for p in org.phones]
    nsa = cards[3].adr.value
    assert (nsa.box, nsa.street, nsa.region) == ("P.O. Box 243", "971 Corydon Avenue", "Manitoba")
    assert nsa.extended == "", "the PO box is not repeated as an extra line"
    registry = cards[1].adr.value
    assert (registry.street, registry.city) == ("600 Stewart Street", "Seattle")
    assert registry.extended == "Plaza 600 Building, Suite 1503"


def test_vcard_url_with_delimiters_round_trips(bundled):
    """A URL with ';' and ',' is written unescaped (RFC 6350 URI value) and read back whole."""
    url = "https://example.org/find;type=clinic?near=a,b&q=x;y"
    org = dataclasses.replace(bundled.disorder.organizations[0], website=url)
    text = organizations_vcard((org,)).decode("utf-8")
    assert raw_values(text, "URL") == [url]
    assert "\\" not in text.split("URL:", 1)[1].split("\r\n", 1)[0]
    assert vobject.readOne(text).fn.value == org.name


def test_vcard_long_lines_fold_and_unfold(bundled):
    """Lines over 75 octets are folded without splitting a character; vobject unfolds them."""
    name = "Ünïcode 😀 support, network; " * 40
    org = dataclasses.replace(bundled.disorder.organizations[0], name=name)
    data = organizations_vcard((org,))
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert vobject.readOne(data.decode("utf-8")).fn.value == name


def test_vcard_never_dials_an_unvalidated_number(bundled):
    """A number phonenumbers did not validate is no TEL, only quoted in the note."""
    org = bundled.disorder.organizations[0]
    printed = dataclasses.replace(org.phones[0], raw="555-CALL-NOW", number="555-CALL-NOW",
                                  valid=False, source=SourceRef("reports/x.txt", 9))  # fmt: skip
    card = vobject.readOne(
        organizations_vcard((dataclasses.replace(org, phones=(printed,)),)).decode("utf-8")
    )
    assert "tel" not in card.contents
    assert "Tel 555-CALL-NOW" in card.note.value


# --- contact status in every export ------------------------------------------------------

REGISTRY = "Severe Chronic Neutropenia International Registry"
CLOSED = "Neutropenia Support Association, Inc."


@pytest.fixture(scope="module")
def catalog():
    return build_catalog(BUNDLED_DATA)


def cards_by_name(organizations) -> dict[str, vobject.base.Component]:
    cards = vobject.readComponents(organizations_vcard(organizations).decode("utf-8"))
    return {card.fn.value: card for card in cards}


def test_vcard_of_a_closed_organization_has_no_tel_and_says_it_closed(catalog):
    """The closed association: no number an address book would dial; the note says it
    closed, against what and when. The moved registry's note says it moved."""
    cards = cards_by_name(catalog.organizations)
    closed = cards[CLOSED]
    assert "tel" not in closed.contents
    note = closed.note.value
    assert note.startswith("Closed. The association's own site announces that it is closing")
    assert "Source: https://neutropenia.ca/, checked 2026-12-01." in note
    assert "phone numbers are left out" in note
    moved = cards[REGISTRY]
    assert [tel.value for tel in moved.tel_list] == ["+16179191574"]
    assert moved.note.value.startswith("Moved: these are the current details.")
    assert "Source: https://scnir-neutropenia.uw.edu, checked 2026-12-01." in moved.note.value
    assert "Details from curated/contact_status.csv:" in moved.note.value
    assert "reports/neutropenia_general.txt" not in moved.note.value


def test_vcard_names_the_organization_and_uses_vcard_3_types(catalog):
    """``N`` holds the name as family name (an empty one shows as "No name"); a TTY number
    has a vCard 3.0 type (``TEXTPHONE`` is vCard 4's) and the note says TTY/TDD."""
    cards = cards_by_name(catalog.organizations)
    for name, card in cards.items():
        assert card.n.value.family == name
        assert card.org.value == [name]
    text = organizations_vcard(catalog.organizations).decode("utf-8")
    assert ",TEXTPHONE:" not in text
    tty = next(card for card in cards.values() if "TTY/TDD" in card.note.value)
    assert any(tel.params["TYPE"] == ["WORK", "X-TEXTPHONE"] for tel in tty.tel_list)


def test_orgs_csv_shows_moved_and_closed_with_source_and_date(capsys):
    """``python -m explorer orgs --format csv``: the registry moved (Boston), the Manitoba
    association closed, each with its date and source; the moved record's source is the
    curated file and the page it was checked against."""
    assert cli_main(["orgs", "--format", "csv"]) == 0
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    registry, closed = rows[REGISTRY], rows[CLOSED]
    assert (registry["status"], registry["city"]) == ("moved", "Boston")
    assert (registry["status_checked"], registry["status_source"]) == (
        "2026-12-01",
        "https://scnir-neutropenia.uw.edu",
    )
    assert registry["source"].startswith("curated/contact_status.csv:")
    assert registry["source"].endswith("(https://scnir-neutropenia.uw.edu)")
    assert (closed["status"], closed["status_checked"], closed["status_source"]) == (
        "closed",
        "2026-12-01",
        "https://neutropenia.ca/",
    )
    others = [row for name, row in rows.items() if name not in (REGISTRY, CLOSED)]
    assert {row["status"] for row in others} == {"unverified"}
    assert {row["status_checked"] + row["status_source"] for row in others} == {""}


def test_orgs_json_has_the_status_fields(capsys):
    assert cli_main(["orgs", "--format", "json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[CLOSED]["status"] == "closed"
    assert rows[REGISTRY]["status_source"] == "https://scnir-neutropenia.uw.edu"
