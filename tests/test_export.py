"""Exports: formula injection neutralised, vCard well-formed, HSDS package linked."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

import pytest

from explorer.export import (
    hsds_package,
    neutralise_cell,
    organizations_csv,
    organizations_vcard,
)

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
    assert "TEL;TYPE=WORK,TEXTPHONE:+18882053223" in text
    evil = dataclasses.replace(hostile_orgs[1], name="Evil\r\nEND:VCARD\r\nBEGIN:VCARD")
    injected = organizations_vcard((evil,)).decode("utf-8")
    assert injected.split("\r\n").count("BEGIN:VCARD") == 1
    assert injected.split("\r\n")[2].startswith("FN:Evil ")


def test_hsds_package(hostile_orgs):
    """Four linked CSV tables; every phone and address points at an existing record."""
    archive = zipfile.ZipFile(io.BytesIO(hsds_package(hostile_orgs)))
    assert sorted(archive.namelist()) == [
        "addresses.csv",
        "locations.csv",
        "organizations.csv",
        "phones.csv",
    ]

    def table(name):
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    org_ids = {row["id"] for row in table("organizations.csv")}
    location_ids = {row["id"] for row in table("locations.csv")}
    phones = table("phones.csv")
    assert len(phones) == 17
    assert {row["organization_id"] for row in phones} <= org_ids
    assert {row["location_id"] for row in table("addresses.csv")} == location_ids
    assert {row["type"] for row in phones} == {"voice", "fax", "textphone"}
    assert table("organizations.csv")[0]["name"] == "'" + HOSTILE_NAME
