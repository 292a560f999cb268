"""The Open Referral HSDS 3.0 package: valid against the specification's own schema.

The specification's tabular schema is kept under ``tests/standards/hsds-3.0/`` (with its
CC BY-SA 4.0 notice) as the oracle: the exported CSVs are validated with ``frictionless``
against those table schemas, and the package is validated again as shipped (its own
``datapackage.json``), which is what an importer's ``frictionless validate`` does.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest
from frictionless import Package

from explorer.exports.hsds import ID_NAMESPACE, hsds_package
from explorer.exports.hsds_schema import HSDS_RESOURCES, SPECIFICATION
from explorer.models import PHONE_TYPES, Location, Phone, SourceRef
from explorer.pipeline import build_catalog
from tests.conftest import BUNDLED_DATA, FIXTURES

SPEC_COPY = Path(__file__).parent / "standards" / "hsds-3.0"
FORMULA = '=HYPERLINK("http://evil.example","click")'
URL_WITH_DELIMITERS = "https://example.org/find;type=clinic?near=a,b"


def spec_resources() -> dict[str, dict]:
    spec = json.loads((SPEC_COPY / "datapackage.json").read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in spec["resources"]}


def unpack(package: bytes, folder: Path) -> Path:
    zipfile.ZipFile(io.BytesIO(package)).extractall(folder)
    return folder


def table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def errors_against_specification(folder: Path) -> list[str]:
    """Frictionless errors of the exported HSDS tables checked with the spec's own schemas.

    Foreign keys to tables the package does not export are dropped (a package cannot
    reference what it leaves out); every other constraint is the specification's.
    """
    spec = spec_resources()
    resources = []
    for name in HSDS_RESOURCES:
        resource = json.loads(json.dumps(spec[name]))
        resource["schema"]["foreignKeys"] = [
            key
            for key in resource["schema"].get("foreignKeys", [])
            if key["reference"]["resource"] in HSDS_RESOURCES
        ]
        resources.append(resource)
    package = Package(
        {"profile": "tabular-data-package", "resources": resources}, basepath=str(folder)
    )
    report = package.validate()
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


def errors_as_shipped(folder: Path) -> list[str]:
    report = Package(str(folder / "datapackage.json")).validate()
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


@pytest.fixture(scope="module")
def bundled_catalog():
    return build_catalog(BUNDLED_DATA)


@pytest.fixture(scope="module")
def bundled_export(bundled_catalog, tmp_path_factory) -> Path:
    """The bundled data's package, unzipped."""
    package = hsds_package(bundled_catalog.organizations, reports=bundled_catalog.disorders)
    return unpack(package, tmp_path_factory.mktemp("bundled-hsds"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile report fixture and the test reports, plus records crafted to be awkward.

    Added: a formula for a name and street line, two organizations sharing an id, one
    placed only at country level, one with no postal code, a number that is not valid,
    an email a spreadsheet would run and a website with ``;`` and ``,``.
    """
    data = tmp_path_factory.mktemp("hostile") / "data"
    (data / "reports").mkdir(parents=True)
    for name in ("hostile.txt", "kostmann_disease.txt", "made_up_address.txt"):
        shutil.copy(FIXTURES / name, data / "reports" / name)
    catalog = build_catalog(data)
    base = next(org for org in catalog.organizations if org.name == "Example Family Circle")
    bad_number = Phone("555-CALL-NOW", "555-CALL-NOW", "555-CALL-NOW", "voice", "Tel", False,
                       False, SourceRef("reports/x.txt", 3))  # fmt: skip
    france = Location(48.85, 2.35, "city", "test", city="Paris", country="FR")
    crafted = (
        dataclasses.replace(
            base,
            name=FORMULA,
            address=dataclasses.replace(base.address, address_1="+SUM(1,2)", city="@cmd"),
            email="-x@example.org",
            website=URL_WITH_DELIMITERS,
            phones=(*base.phones, bad_number),
        ),
        dataclasses.replace(base, id="twin", name="Twin Charity", location=france),
        dataclasses.replace(
            base, id="twin", name="Twin Charity", location=dataclasses.replace(france, city="Lyon")
        ),
        dataclasses.replace(
            base,
            id="country-only",
            location=Location(46.0, 2.0, "country", "test", country="FR"),
        ),
        dataclasses.replace(
            base, id="no-postcode", address=dataclasses.replace(base.address, postal_code="")
        ),
    )
    return catalog.organizations + crafted, catalog.disorders


@pytest.fixture(scope="module")
def hostile_export(hostile, tmp_path_factory) -> Path:
    organizations, reports = hostile
    return unpack(hsds_package(organizations, reports=reports), tmp_path_factory.mktemp("hsds"))


@pytest.mark.parametrize("export", ["bundled_export", "hostile_export"])
def test_export_is_valid_against_the_specification(export, request):
    """Zero frictionless errors, against the spec's schemas and as shipped."""
    folder = request.getfixturevalue(export)
    assert errors_against_specification(folder) == []
    assert errors_as_shipped(folder) == []
    assert table(folder, "organizations.csv"), "an empty package would validate trivially"


def test_validation_catches_a_broken_package(bundled_export, tmp_path):
    """The check can fail: a slug id, an empty city and a dangling phone are all reported."""
    broken = Path(shutil.copytree(bundled_export, tmp_path / "broken"))
    organizations = (broken / "organizations.csv").read_text(encoding="utf-8")
    first_id = table(broken, "organizations.csv")[0]["id"]
    (broken / "organizations.csv").write_text(organizations.replace(first_id, "national-network"))
    addresses = (broken / "addresses.csv").read_text(encoding="utf-8")
    (broken / "addresses.csv").write_text(addresses.replace(",Brighton,", ",,"))
    errors = " ".join(errors_against_specification(broken))
    assert "national-network" in errors
    assert '"city"' in errors
    assert "foreign key" in errors


def test_package_lists_exactly_its_files_with_the_specifications_schemas(bundled_export):
    """Each HSDS resource has the spec's columns in order; extras are described; attributed."""
    descriptor = json.loads((bundled_export / "datapackage.json").read_text(encoding="utf-8"))
    files = {p.name for p in bundled_export.iterdir()} - {"datapackage.json"}
    assert {resource["path"] for resource in descriptor["resources"]} == files
    spec = spec_resources()
    for resource in descriptor["resources"]:
        with (bundled_export / resource["path"]).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        if resource["name"] in spec:
            assert resource["schema"]["fields"] == spec[resource["name"]]["schema"]["fields"]
            assert resource["path"] == spec[resource["name"]]["path"]
        else:
            assert resource["name"].startswith("x_") and resource["description"]
    phone_keys = next(r for r in descriptor["resources"] if r["name"] == "phone")["schema"]
    referenced = {key["reference"]["resource"] for key in phone_keys["foreignKeys"]}
    assert referenced == {"location", "organization"}, "no key to a table that is not there"
    assert descriptor["hsds"]["version"] == "3.0.0"
    assert "CC-BY-SA-4.0" in json.dumps(descriptor["hsds"]["schema_license"])


def test_runtime_specification_is_the_kept_copy():
    """The app ships the same schema file the tests validate against."""
    assert SPECIFICATION.read_bytes() == (SPEC_COPY / "datapackage.json").read_bytes()
    assert "CC BY-SA 4.0" in (SPECIFICATION.parent / "NOTICE.md").read_text(encoding="utf-8")


def test_ids_are_stable_uuid5(bundled_catalog):
    """Same data, same bytes; an organization keeps its id when exported alone."""
    organizations = bundled_catalog.organizations
    first = hsds_package(organizations, reports=bundled_catalog.disorders)
    assert first == hsds_package(organizations, reports=bundled_catalog.disorders)
    archive = zipfile.ZipFile(io.BytesIO(first))
    rows = list(csv.DictReader(io.StringIO(archive.read("organizations.csv").decode())))
    assert all(uuid.UUID(row["id"]).version == 5 for row in rows)
    assert rows[2]["id"] == str(uuid.uuid5(ID_NAMESPACE, "organization\x1f" + organizations[2].id))
    alone = zipfile.ZipFile(io.BytesIO(hsds_package(organizations[2:3])))
    assert alone.read("organizations.csv").decode().splitlines()[1].startswith(rows[2]["id"])
    assert rows[2]["id"] != rows[3]["id"]


def test_addresses_po_boxes_and_countries(bundled_export):
    """PO boxes are postal with address_1 filled; a street and a box give two rows; ISO codes."""
    addresses = table(bundled_export, "addresses.csv")
    by_line = {row["address_1"]: row for row in addresses}
    assert by_line["PO Box 1693"]["address_type"] == "postal"
    assert by_line["P.O. Box 243"]["address_type"] == "postal"
    assert by_line["971 Corydon Avenue"]["address_type"] == "physical"
    assert by_line["971 Corydon Avenue"]["location_id"] == by_line["P.O. Box 243"]["location_id"]
    assert by_line["971 Corydon Avenue"]["city"] == "Winnipeg", "city from the geocoder"
    ballarat = by_line["1002 Mair Street"]
    assert (ballarat["state_province"], ballarat["country"]) == ("VIC", "AU")
    assert {row["country"] for row in addresses} == {"US", "CA", "AU"}
    assert "P.O. Box 243" not in by_line["971 Corydon Avenue"]["address_2"]
    locations = {row["id"]: row for row in table(bundled_export, "locations.csv")}
    assert locations[by_line["PO Box 1693"]["location_id"]]["location_type"] == "postal"
    assert locations[ballarat["location_id"]]["location_type"] == "physical"


def test_phones_are_plain_e164_linked_and_typed(bundled_export, bundled_catalog):
    """Numbers as +E.164 with no quote; toll-free and TTY described; linked to org and place.

    Every validated current number is exported (a moved organization's corrected ones), and
    none of a closed organization's."""
    phones = table(bundled_export, "phones.csv")
    open_orgs = [org for org in bundled_catalog.organizations if not org.is_closed]
    current = [p.number for org in open_orgs for p in org.phones if p.valid]
    assert sorted(row["number"] for row in phones) == sorted(current)
    closed = next(org for org in bundled_catalog.organizations if org.is_closed)
    assert closed.phones and not {p.number for p in closed.phones} & {r["number"] for r in phones}
    assert "+16179191574" in current, "the registry's number since its move to Boston"
    assert all(row["number"].startswith("+") and row["number"][1:].isdigit() for row in phones)
    assert {row["type"] for row in phones} <= set(PHONE_TYPES)
    tty = next(row for row in phones if row["number"] == "+18882053223")
    assert (tty["type"], tty["description"]) == ("textphone", "toll-free, TTY/TDD")
    locations = {
        row["organization_id"]: row["id"] for row in table(bundled_export, "locations.csv")
    }
    assert all(locations[row["organization_id"]] == row["location_id"] for row in phones)
    assert not [row for row in phones if row["number"].startswith("'")]


def test_currency_and_details_go_to_described_extras(bundled_export):
    """Description says type, reach and how current the details are: checked when and
    against what (moved, closed), or the report's retrieval date; listings give report,
    line and date; the details table gives the status, its date and source."""
    organizations = table(bundled_export, "organizations.csv")
    assert organizations[0]["description"] == (
        "Patient support group, national reach. "
        "Contact details as listed in 1 report, retrieved 2026-11-25; not verified since."
    )
    described = {row["name"]: row["description"] for row in organizations}
    assert described["Severe Chronic Neutropenia International Registry"] == (
        "Patient registry, international reach. Moved: contact details checked 2026-12-01 "
        "against scnir-neutropenia.uw.edu."
    )
    assert described["Neutropenia Support Association, Inc."] == (
        "Patient support group, national reach. Closed: contact details checked 2026-12-01 "
        "against neutropenia.ca. Its phone numbers are not exported."
    )
    listings = table(bundled_export, "x_listings.csv")
    assert listings[0]["report_title"] == "Neutropenia, General"
    assert (listings[0]["report_line"], listings[0]["retrieved"]) == ("21", "2026-11-25")
    details = table(bundled_export, "x_organization_details.csv")
    assert {row["geocode_precision"] for row in details} == {"postal_code", "city"}
    ids = {row["id"]: row["name"] for row in organizations}
    status = {ids[row["organization_id"]]: row for row in details}
    registry = status["Severe Chronic Neutropenia International Registry"]
    assert (registry["status"], registry["status_checked"], registry["status_source"]) == (
        "moved",
        "2026-12-01",
        "https://scnir-neutropenia.uw.edu",
    )
    assert registry["details_from"].startswith("curated/contact_status.csv:")
    assert "reports/" not in registry["details_from"], "not the old details' report line"
    assert status["Neutropenia Support Association, Inc."]["status"] == "closed"


def test_hostile_records(hostile_export):
    """Formulas neutralised, no report text in descriptions, unplaceable records kept sane."""
    organizations = table(hostile_export, "organizations.csv")
    names = [row["name"] for row in organizations]
    assert "'" + FORMULA in names
    assert not [row for row in organizations if "<" in row["description"]]
    crafted = organizations[names.index("'" + FORMULA)]
    assert crafted["email"] == "", "an address starting with '-' is left out"
    assert crafted["website"] == URL_WITH_DELIMITERS
    twins = [row["id"] for row in organizations if row["name"] == "Twin Charity"]
    assert len(twins) == len(set(twins)) == 2
    locations = table(hostile_export, "locations.csv")
    located = {row["organization_id"] for row in locations}
    nowhere = next(row for row in organizations if row["name"] == "Nowhere Support Group")
    assert nowhere["id"] not in located, "an organization that cannot be placed has no location"
    country_only = [row for row in locations if not row["latitude"]]
    assert country_only, "a country-level placement exports no map pin"
    addresses = table(hostile_export, "addresses.csv")
    assert "'+SUM(1,2)" in {row["address_1"] for row in addresses}
    assert all(row[field] for row in addresses for field in ("city", "postal_code", "country"))
    phones = table(hostile_export, "phones.csv")
    assert "555-CALL-NOW" not in {row["number"] for row in phones}
    details = table(hostile_export, "x_organization_details.csv")
    assert "Tel: 555-CALL-NOW" in {row["unvalidated_phones"] for row in details}
