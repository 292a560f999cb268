"""Exports of the directory: flat CSV/JSON, vCard contacts and an Open Referral HSDS package.

Every text cell that a spreadsheet could read as a formula is neutralised (see
:mod:`explorer.cells`). In the flat CSV, phone numbers start with ``+`` and are quoted
too rather than special-cased: a spreadsheet then shows them as text, which is what a
phone number is. Email and website values pass the same checks as the app's links
(:mod:`explorer.links`), so an address book or an HSDS reader never receives a
``javascript:`` URL from a report; a value that fails them is left empty. The HSDS
package is built in :mod:`explorer.exports.hsds`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from explorer.cells import csv_text
from explorer.exports.hsds import street_lines, validated_e164
from explorer.links import safe_email, safe_web_url
from explorer.models import Organization
from explorer.reading.currency_text import is_checked, record_sources, status_sentence

ORG_COLUMNS = (
    "id", "name", "org_type", "reach", "address_1", "address_2", "city", "state_province",
    "postal_code", "country", "phones", "email", "website", "latitude", "longitude",
    "geocode_precision", "geocoder", "disorders", "source", "status", "status_checked",
    "status_source",
)  # fmt: skip
"""``status`` is the curated check (:data:`~explorer.models.CONTACT_STATUSES`),
``status_checked`` its date and ``status_source`` the page it was checked against (both
empty for ``unverified``); ``source`` is where the details come from
(:func:`~explorer.reading.currency_text.record_sources`)."""
VCARD_LINE_OCTETS = 75
"""RFC 6350 §3.2: longer content lines are folded (CRLF and a space) at most this long."""


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
        "source": "; ".join(record_sources(org)),
        "status": org.status.status,
        "status_checked": org.status.checked if is_checked(org.status) else "",
        "status_source": org.status.source_url if is_checked(org.status) else "",
    }


def organizations_csv(organizations: Iterable[Organization]) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets detect the encoding), formulas neutralised."""
    rows = (organization_row(org) for org in organizations)
    return csv_text(ORG_COLUMNS, rows).encode("utf-8-sig")


def organizations_json(organizations: Iterable[Organization]) -> str:
    """The same rows as JSON, for scripts (JSON needs no formula neutralising)."""
    return json.dumps([organization_row(org) for org in organizations], indent=2)


def _vcard_text(text: str) -> str:
    """RFC 6350 text escaping; control characters dropped so a value cannot add properties."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """Fold a content line at :data:`VCARD_LINE_OCTETS`, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = VCARD_LINE_OCTETS - (1 if pieces else 0)  # a continuation starts with a space
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    return "\r\n ".join([*pieces, current])


VCARD_TEL_TYPES = {"voice": "VOICE", "fax": "FAX", "textphone": "X-TEXTPHONE", "cell": "CELL"}
"""vCard 3.0 ``TEL`` types (RFC 2426 §3.3.1). 3.0 has no text-phone type (``TEXTPHONE`` is
vCard 4's), so a TTY/TDD number is an ``x-name`` type, which 3.0 allows, and the note
says TTY/TDD in words."""


def _vcard(org: Organization) -> list[str]:
    """The content lines of one card (unfolded).

    ``N`` carries the organization's name as the family name (vCard 3.0 requires ``N``;
    with an empty one some address books show "No name"), beside ``ORG``. Only numbers
    ``phonenumbers`` validated become ``TEL`` (an address book dials them), and none of a
    closed organization's: the note says it closed, with source and date. Others are
    quoted in the note as printed. ``URL`` is a URI value, written as is (RFC 6350
    escapes text values only; :func:`safe_web_url` admits no space or control
    character, so it cannot end the line).
    """
    address = org.address
    street = street_lines(address)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_vcard_text(org.name)};;;;",
        f"FN:{_vcard_text(org.name)}",
        f"ORG:{_vcard_text(org.name)}",
        "ADR;TYPE=WORK:"
        + ";".join(
            _vcard_text(part)
            for part in (
                address.po_box,
                ", ".join(street[1:]),
                street[0] if street else "",
                address.city or (org.location.city if org.location else ""),
                address.state_province,
                address.postal_code,
                address.country or (org.location.country if org.location else ""),
            )
        ),
    ]
    dialable = [p for p in org.phones if validated_e164(p)] if not org.is_closed else []
    for phone in dialable:
        vcard_type = VCARD_TEL_TYPES.get(phone.type, "VOICE")
        lines.append(f"TEL;TYPE=WORK,{vcard_type}:{validated_e164(phone)}")
    if email := safe_email(org.email):
        lines.append(f"EMAIL;TYPE=WORK:{_vcard_text(email)}")
    if website := safe_web_url(org.website):
        lines.append(f"URL:{website}")
    notes = [status_sentence(org.status)] if is_checked(org.status) else []
    notes.append("Details from " + "; ".join(record_sources(org)) + ".")
    tty = [p.international for p in dialable if p.type == "textphone"]
    if tty:
        notes.append("TTY/TDD: " + "; ".join(tty) + ".")
    unvalidated = [f"{p.label} {p.raw}" for p in org.phones if not validated_e164(p)]
    if org.is_closed and org.phones:
        notes.append("Its phone numbers are left out because it has closed.")
    elif unvalidated:
        notes.append("Printed numbers that could not be validated: " + "; ".join(unvalidated))
    lines.append(f"NOTE:{_vcard_text(' '.join(notes))}")
    lines.append("END:VCARD")
    return lines


def organizations_vcard(organizations: Iterable[Organization]) -> bytes:
    """vCard 3.0 contacts, one per organization, for phones and address books."""
    lines = [_fold(line) for org in organizations for line in _vcard(org)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
