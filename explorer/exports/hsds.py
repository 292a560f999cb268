"""The directory as an Open Referral HSDS 3.0 tabular package, for referral platforms and 211s.

The package is a zip of CSV files and a ``datapackage.json`` (Frictionless Data Package)
whose HSDS resources carry the specification's own table schemas
(:mod:`explorer.exports.hsds_schema`): same file names, columns in the same order, same
constraints. This module fills the rows.

What the app knows that HSDS has no field for goes into two extra resources, described in
the same ``datapackage.json``: where each listing comes from and how current it is
(``x_listings.csv``), and how each organization was classified and placed
(``x_organization_details.csv``).

Ids are UUID5 of each record's stable key under :data:`ID_NAMESPACE`, so exporting the same
data again gives the same ids and a re-import updates records rather than duplicating them.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping

from explorer.cells import csv_text, neutralise_cell
from explorer.exports.hsds_schema import EXTENSIONS, HSDS_RESOURCES, descriptor
from explorer.links import safe_email, safe_web_url
from explorer.models import (
    PHONE_TYPES,
    Address,
    Disorder,
    Organization,
    Phone,
    SourceRef,
)
from explorer.reading.currency_text import checked_words, is_checked, record_sources

ID_NAMESPACE = uuid.UUID("227acb84-6231-4106-84df-50c594eabb5e")
"""Ours, fixed for good: changing it would change every exported id."""
MAPPED_PRECISIONS = ("postal_code", "city")
"""Placements precise enough to export as a location's latitude and longitude; a region or
country centre would send an importer's map pin (or a driver) to the wrong place."""
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every zip member gets this time stamp, so the same data gives byte-identical packages."""


def record_id(kind: str, *key: str) -> str:
    """The stable UUID of one record: UUID5 of its kind and key under :data:`ID_NAMESPACE`."""
    return str(uuid.uuid5(ID_NAMESPACE, "\x1f".join((kind, *key))))


def validated_e164(phone: Phone) -> str:
    """The number in E.164 if ``phonenumbers`` validated it, else ``""`` (never exported).

    The one place that reads a phone's number for HSDS (and vCard), so a change to the
    :class:`Phone` record is wired here.
    """
    return phone.number if phone.valid else ""


def street_lines(address: Address) -> tuple[str, ...]:
    """The printed address lines that are not the PO box: street first, then the rest."""
    street = () if address.address_1 == address.po_box else (address.address_1,)
    others = tuple(part for part in address.address_2.split("; ") if part != address.po_box)
    return tuple(line for line in (*street, *others) if line)


def _country(org: Organization) -> str:
    """ISO 3166-1 alpha-2 code printed or inferred by the geocoder, or ``""``."""
    code = (org.address.country or (org.location.country if org.location else "")).upper()
    return code if COUNTRY_CODE.fullmatch(code) else ""


def _sources(org: Organization) -> tuple[SourceRef, ...]:
    """The report lines listing the organization (a merged record has several)."""
    listed = org.sources or (org.source,)
    return tuple(source for source in dict.fromkeys(listed) if source.file)


def _description(org: Organization, reports: Mapping[str, Disorder]) -> str:
    """A short summary, required by HSDS: type, reach and how current the details are.

    A checked organization says when and against what, in the card's words
    (:func:`~explorer.reading.currency_text.checked_words`), and whether it moved or closed;
    otherwise the reports that list it and when they were retrieved. Built only from the
    app's fixed vocabulary, dates and a source's host, never from report text: HSDS lets
    a description carry HTML or Markdown, so an importer may render it as such.
    """
    kind = org.org_type or "Support organization"
    reach = f", {org.reach} reach" if org.reach else ""
    if checked := checked_words(org.status):
        state = {"closed": "Closed", "moved": "Moved", "renamed": "Renamed"}
        lead = (
            f"{state[org.status.status]}: contact details"
            if org.status.status in state
            else "Contact details"
        )
        closed = " Its phone numbers are not exported." if org.is_closed else ""
        return f"{kind}{reach}. {lead} {checked}.{closed}"
    files = tuple(dict.fromkeys(source.file for source in _sources(org)))
    dates = sorted(reports[f].retrieved for f in files if f in reports and reports[f].retrieved)
    listed = f"Contact details as listed in {len(files)} report{'s' * (len(files) > 1)}"
    if dates:
        listed += f", {'latest ' * (len(files) > 1)}retrieved {dates[-1]}"
    return f"{kind}{reach}. {listed}; not verified since." if files else f"{kind}{reach}."


def _organization_row(org: Organization, key: str, reports: Mapping[str, Disorder]) -> dict:
    email = safe_email(org.email)
    return {
        "id": record_id("organization", key),
        "name": org.name,
        "description": _description(org, reports),
        # An address a spreadsheet would run as a formula is left out rather than altered.
        "email": email if neutralise_cell(email) == email else "",
        "website": safe_web_url(org.website),
    }


def _is_placed(org: Organization) -> bool:
    return org.location is not None and org.location.precision != "none"


def _location_row(org: Organization, key: str) -> dict:
    loc = org.location
    address = org.address
    mapped = loc.on_map and loc.precision in MAPPED_PRECISIONS
    return {
        "id": record_id("location", key),
        "location_type": "postal" if address.po_box and not street_lines(address) else "physical",
        "organization_id": record_id("organization", key),
        "latitude": loc.latitude if mapped else None,
        "longitude": loc.longitude if mapped else None,
    }


def _address_rows(org: Organization, key: str) -> Iterator[dict]:
    """A physical row for the street address and a postal row for the PO box, if complete.

    HSDS requires every one of address_1, city, state_province, postal_code and country;
    an address missing any of them is left out rather than exported invalid.
    """
    address = org.address
    loc = org.location
    common = {
        "location_id": record_id("location", key),
        "city": address.city or loc.city,
        "state_province": address.state_province or loc.state_province,
        "postal_code": address.postal_code,
        "country": _country(org),
    }
    if not all(common.values()):
        return
    street = street_lines(address)
    if street:
        yield {
            "id": record_id("address", key, "physical"),
            **common,
            "address_1": street[0],
            "address_2": "; ".join(street[1:]),
            "address_type": "physical",
        }
    if address.po_box:
        yield {
            "id": record_id("address", key, "postal"),
            **common,
            "address_1": address.po_box,
            "address_type": "postal",
        }


def _phone_rows(org: Organization, key: str, placed: bool) -> Iterator[dict]:
    """Validated numbers only, none of a closed organization (HSDS's phone has no field
    saying a number is out of service, so an importer would dial it); toll-free and
    TTY/TDD are said in ``description``."""
    if org.is_closed:
        return
    seen = set()
    for phone in org.phones:
        number = validated_e164(phone)
        phone_type = phone.type if phone.type in PHONE_TYPES else "voice"
        if not number or (number, phone_type) in seen:
            continue
        seen.add((number, phone_type))
        yield {
            "id": record_id("phone", key, phone_type, number),
            "location_id": record_id("location", key) if placed else "",
            "organization_id": record_id("organization", key),
            "number": number,
            "type": phone_type,
            "description": phone.description,
        }


def _listing_rows(org: Organization, key: str, reports: Mapping[str, Disorder]) -> Iterator[dict]:
    """Currency of the contact details: one row per report listing the organization."""
    for source in _sources(org):
        report = reports.get(source.file)
        yield {
            "id": record_id("listing", key, str(source)),
            "organization_id": record_id("organization", key),
            "report_title": report.title if report else "",
            "report_file": source.file,
            "report_line": source.line or None,
            "retrieved": report.retrieved if report else "",
            "report_url": safe_web_url(report.source_url) if report else "",
        }


def _detail_row(org: Organization, key: str) -> dict:
    loc = org.location
    return {
        "organization_id": record_id("organization", key),
        "org_type": org.org_type,
        "reach": org.reach,
        "geocode_precision": loc.precision if loc else "none",
        "geocoder": loc.geocoder if loc else "",
        "geocode_note": (loc.matched or loc.reason) if loc else "",
        "unvalidated_phones": "; ".join(
            f"{phone.label}: {phone.raw}" for phone in org.phones if not validated_e164(phone)
        ),
        "status": org.status.status,
        "status_checked": org.status.checked if is_checked(org.status) else "",
        "status_source": org.status.source_url if is_checked(org.status) else "",
        "details_from": "; ".join(record_sources(org)),
    }


def _stable_keys(organizations: Iterable[Organization]) -> Iterator[tuple[Organization, str]]:
    """Each organization with its key: its id, plus ``#2``, ``#3`` for a repeated id.

    Records should never share an id; if they do, the package still gets unique ids.
    """
    seen: dict[str, int] = {}
    for org in organizations:
        seen[org.id] = seen.get(org.id, 0) + 1
        yield org, org.id if seen[org.id] == 1 else f"{org.id}#{seen[org.id]}"


def hsds_tables(
    organizations: Iterable[Organization], *, reports: Iterable[Disorder] = ()
) -> dict[str, list[dict]]:
    """The rows of every resource, by resource name (the package's content, unwritten)."""
    by_file = {report.source.file: report for report in reports}
    tables: dict[str, list[dict]] = {
        name: [] for name in (*HSDS_RESOURCES, *(r["name"] for r in EXTENSIONS))
    }
    for org, key in _stable_keys(organizations):
        placed = _is_placed(org)
        tables["organization"].append(_organization_row(org, key, by_file))
        if placed:
            tables["location"].append(_location_row(org, key))
            tables["address"].extend(_address_rows(org, key))
        tables["phone"].extend(_phone_rows(org, key, placed))
        tables["x_listing"].extend(_listing_rows(org, key, by_file))
        tables["x_organization_detail"].append(_detail_row(org, key))
    return tables


def hsds_package(
    organizations: Iterable[Organization], *, reports: Iterable[Disorder] = ()
) -> bytes:
    """The zip: ``datapackage.json`` and one CSV per resource, columns in the schema's order.

    ``reports`` are the disorders (reports) the organizations come from, for each
    listing's title and retrieval date; without them the package cites files only.
    Ids and E.164 numbers are written as they are; every other text cell is neutralised
    against spreadsheet formulas.
    """
    package = descriptor()
    tables = hsds_tables(organizations, reports=reports)
    return _zip_bytes(
        {
            "datapackage.json": json.dumps(package, indent=2, ensure_ascii=False),
            **{
                resource["path"]: csv_text(
                    [field["name"] for field in resource["schema"]["fields"]],
                    tables[resource["name"]],
                    verbatim=_verbatim_columns(resource),
                )
                for resource in package["resources"]
            },
        }
    )


def _verbatim_columns(resource: dict) -> frozenset[str]:
    """Columns written unneutralised: uuids (hex and dashes) and validated E.164 numbers."""
    uuids = {f["name"] for f in resource["schema"]["fields"] if f.get("format") == "uuid"}
    return frozenset(uuids | ({"number"} if resource["name"] == "phone" else set()))


def _zip_bytes(members: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
