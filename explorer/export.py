"""Exports of the directory: flat CSV/JSON, vCard contacts and an Open Referral HSDS package.

Every text cell that a spreadsheet could read as a formula is neutralised (OWASP
"CSV injection"): a cell starting with ``= + - @``, TAB or CR gets a leading ``'``.
Phone numbers are exported in E.164, which starts with ``+``, so they are quoted too
rather than special-cased: a spreadsheet then shows them as text, which is what a
phone number is. Email and website values pass the same checks as the app's links
(:mod:`explorer.links`), so an address book or an HSDS reader never receives a
``javascript:`` URL from a report; a value that fails them is left empty.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable

from explorer.links import safe_email, safe_web_url
from explorer.models import Organization

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ORG_COLUMNS = (
    "id", "name", "org_type", "reach", "address_1", "address_2", "city", "state_province",
    "postal_code", "country", "phones", "email", "website", "latitude", "longitude",
    "geocode_precision", "geocoder", "disorders", "source",
)  # fmt: skip


def neutralise_cell(value: object) -> object:
    """Prefix ``'`` to text a spreadsheet would execute; numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_bytes(columns: Iterable[str], rows: Iterable[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise_cell(value) for key, value in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def organization_row(org: Organization) -> dict:
    """The flat HSDS-named row of one organization (the CLI's and the CSV export's)."""
    loc = org.location
    address = org.address
    return {
        "id": org.id,
        "name": org.name,
        "org_type": org.org_type,
        "reach": org.reach,
        "address_1": address.address_1,
        "address_2": address.address_2,
        "city": address.city or (loc.city if loc else ""),
        "state_province": address.state_province or (loc.state_province if loc else ""),
        "postal_code": address.postal_code,
        "country": address.country or (loc.country if loc else ""),
        "phones": "; ".join(
            f"{p.type}{' (' + p.description + ')' if p.description else ''}: {p.number}"
            for p in org.phones
        ),
        "email": safe_email(org.email),
        "website": safe_web_url(org.website),
        "latitude": loc.latitude if loc and loc.on_map else None,
        "longitude": loc.longitude if loc and loc.on_map else None,
        "geocode_precision": loc.precision if loc else "none",
        "geocoder": loc.geocoder if loc else "",
        "disorders": " ".join(org.disorders),
        "source": "; ".join(str(s) for s in org.sources),
    }


def organizations_csv(organizations: Iterable[Organization]) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets detect the encoding), formulas neutralised."""
    return _csv_bytes(ORG_COLUMNS, (organization_row(org) for org in organizations))


def organizations_json(organizations: Iterable[Organization]) -> str:
    """The same rows as JSON, for scripts (JSON needs no formula neutralising)."""
    return json.dumps([organization_row(org) for org in organizations], indent=2)


def _vcard_escape(text: str) -> str:
    """RFC 6350 text escaping; control characters dropped so a value cannot add properties."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def organizations_vcard(organizations: Iterable[Organization]) -> bytes:
    """vCard 3.0 contacts, one per organization, for phones and address books."""
    cards = []
    for org in organizations:
        address = org.address
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{_vcard_escape(org.name)}",
            f"ORG:{_vcard_escape(org.name)}",
            "ADR;TYPE=WORK:"
            + ";".join(
                _vcard_escape(part)
                for part in (
                    address.po_box,
                    address.address_2,
                    address.address_1 if address.address_1 != address.po_box else "",
                    address.city or (org.location.city if org.location else ""),
                    address.state_province,
                    address.postal_code,
                    address.country or (org.location.country if org.location else ""),
                )
            ),
        ]
        for phone in org.phones:
            vcard_type = {"voice": "VOICE", "fax": "FAX", "textphone": "TEXTPHONE"}.get(
                phone.type, "VOICE"
            )
            lines.append(f"TEL;TYPE=WORK,{vcard_type}:{_vcard_escape(phone.number)}")
        if email := safe_email(org.email):
            lines.append(f"EMAIL;TYPE=WORK:{_vcard_escape(email)}")
        if website := safe_web_url(org.website):
            lines.append(f"URL:{_vcard_escape(website)}")
        lines.append(f"NOTE:{_vcard_escape('Source: ' + '; '.join(map(str, org.sources)))}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return ("\r\n".join(cards) + "\r\n").encode("utf-8")


def hsds_package(organizations: Iterable[Organization]) -> bytes:
    """An Open Referral HSDS 3.0 tabular package: a zip of four linked CSV files."""
    orgs, locations, addresses, phones = [], [], [], []
    for org in organizations:
        loc = org.location
        address = org.address
        location_id = f"{org.id}-location"
        orgs.append(
            {
                "id": org.id,
                "name": org.name,
                "description": org.org_type,
                "email": safe_email(org.email),
                "website": safe_web_url(org.website),
            }
        )
        locations.append(
            {
                "id": location_id,
                "organization_id": org.id,
                "location_type": "postal",
                "latitude": loc.latitude if loc and loc.on_map else None,
                "longitude": loc.longitude if loc and loc.on_map else None,
                "geocode_precision": loc.precision if loc else "none",
                "geocoder": loc.geocoder if loc else "",
            }
        )
        addresses.append(
            {
                "id": f"{org.id}-address",
                "location_id": location_id,
                "address_1": address.address_1,
                "address_2": address.address_2,
                "city": address.city or (loc.city if loc else ""),
                "state_province": address.state_province,
                "postal_code": address.postal_code,
                "country": address.country or (loc.country if loc else ""),
                "address_type": "postal",
            }
        )
        phones.extend(
            {
                "id": f"{org.id}-phone-{index}",
                "organization_id": org.id,
                "number": phone.number,
                "type": phone.type,
                "description": phone.description,
            }
            for index, phone in enumerate(org.phones, start=1)
        )
    tables = {
        "organizations.csv": orgs,
        "locations.csv": locations,
        "addresses.csv": addresses,
        "phones.csv": phones,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            columns = list(rows[0]) if rows else ["id"]
            archive.writestr(name, _csv_bytes(columns, rows))
    return buffer.getvalue()
