"""Curated contact status: which listed organizations moved, were renamed or closed, per source.

Reports are snapshots; organizations move and close. ``data/curated/contact_status.csv``
records, per organization (by its name as printed in the report), what a maintainer
checked: the status (:data:`~explorer.models.CONTACT_STATUSES`), the corrected contact
fields the source shows (left empty when it does not show them: nothing is guessed),
the source URL and the date checked. A row without a source or a date is an error that
names the file and line, and is not applied. Organizations without a row stay
``unverified`` and say so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from explorer.identity import name_key
from explorer.links import safe_web_url
from explorer.models import (
    CONTACT_STATUSES,
    Address,
    ContactStatus,
    ListedContact,
    Organization,
    ParseIssue,
    Phone,
    SourceRef,
)
from explorer.reading.addresses import parse_address
from explorer.reading.curated_csv import read_records
from explorer.reading.phones import parse_phone

STATUS_FILE = Path("curated") / "contact_status.csv"
COLUMNS = (
    "organization", "status", "name", "address", "phone", "email", "website",
    "source_url", "checked", "note",
)  # fmt: skip
"""``address`` and ``phone`` hold several lines or numbers separated by ``;``."""
OPTIONAL = frozenset(COLUMNS) - {"organization", "status", "source_url", "checked"}
"""Columns a file may leave out: only what a maintainer must give is required."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One checked row: its status and the contact fields the source shows."""

    status: ContactStatus
    name: str = ""
    address: Address | None = None
    phones: tuple[Phone, ...] = ()
    email: str = ""
    website: str = ""


def _row_problem(row: dict[str, str]) -> str:
    """Why a row cannot be applied, or ``""``."""
    if not row.get("organization"):
        return "no organization name"
    if row.get("status") not in CONTACT_STATUSES:
        return f"status {row.get('status')!r} is not one of {', '.join(CONTACT_STATUSES)}"
    if not safe_web_url(row.get("source_url", "")):
        return "no source: give the URL of the page that shows this status (source_url)"
    try:
        date.fromisoformat(row.get("checked", ""))
    except ValueError:
        return f"no date: checked {row.get('checked', '')!r} is not YYYY-MM-DD"
    if row["status"] in ("moved", "renamed") and not (row.get("name") or row.get("address")):
        return f"a {row['status']} organization needs its new name or address"
    return ""


def _correction(row: dict[str, str], source: SourceRef) -> Correction:
    address = parse_address(tuple(filter(None, (p.strip() for p in row["address"].split(";")))))
    phones = tuple(
        parse_phone(number.strip(), label="Tel", source=source, country=address.country)[0]
        for number in row.get("phone", "").split(";")
        if number.strip()
    )
    return Correction(
        status=ContactStatus(
            status=row["status"],
            source_url=safe_web_url(row["source_url"]),
            checked=row["checked"],
            note=row.get("note", ""),
            source=source,
        ),
        name=row.get("name", ""),
        address=address if row.get("address") else None,
        phones=phones,
        email=row.get("email", ""),
        website=row.get("website", ""),
    )


def load_contact_status(data_dir: Path) -> tuple[dict[str, Correction], list[ParseIssue]]:
    """Checked rows by normalised organization name, and the rows that were refused."""
    path = data_dir / STATUS_FILE
    if not path.is_file():
        return {}, []
    name = STATUS_FILE.as_posix()
    corrections: dict[str, Correction] = {}
    issues: list[ParseIssue] = []
    rows = read_records(path, name, issues, columns=COLUMNS, optional=OPTIONAL, comments=True)
    for line, row in rows:
        if problem := _row_problem(row):
            issues.append(ParseIssue(name, line, "error", f"{problem}; row not applied"))
            continue
        corrections[name_key(row["organization"])] = _correction(row, SourceRef(name, line))
    return corrections, issues


def source_name(url: str) -> str:
    """The host a source URL points to (``neutropenia.ca``), as families read it."""
    return urlsplit(url).netloc.removeprefix("www.") or url


def apply_correction(org: Organization, correction: Correction | None) -> Organization:
    """The organization with its checked status, and corrected details where known.

    A moved organization takes the source's contact fields only (an old phone at a
    new address would be a guess); a renamed or active one keeps each report field the
    source does not correct. The report's details stay in ``as_listed``.
    """
    if correction is None:
        return org
    status = correction.status
    if status.status in ("closed", "unverified"):
        return dataclasses.replace(org, status=status)
    listed = ListedContact(org.name, org.address, org.phones, org.email, org.website)
    if status.status == "moved":
        current = ListedContact(
            correction.name or org.name,
            correction.address or Address(),
            correction.phones,
            correction.email,
            correction.website,
        )
    else:
        current = ListedContact(
            correction.name or org.name,
            correction.address or org.address,
            correction.phones or org.phones,
            correction.email or org.email,
            correction.website or org.website,
        )
    return dataclasses.replace(
        org,
        name=current.name,
        address=current.address,
        phones=current.phones,
        email=current.email,
        website=current.website,
        status=status,
        as_listed=listed if current != listed else None,
    )


def unmatched_corrections(
    corrections: dict[str, Correction], organizations: Iterable[Organization]
) -> list[ParseIssue]:
    """A warning for each checked row whose name no listed organization has (as printed in
    its report, whatever the case, spacing or apostrophe shape): it would silently apply to
    nothing, and the organization it meant would stay unverified."""
    if not corrections:  # nothing to match: no name keys for 100,000 organizations
        return []
    listed = {name_key(org.name) for org in organizations}
    return [
        ParseIssue(
            correction.status.source.file,
            correction.status.source.line,
            "warning",
            "no listed organization has this name (as printed in its report); row not applied",
        )
        for key, correction in corrections.items()
        if key not in listed
    ]


def make_corrector(corrections: dict[str, Correction]):
    """A function ``org -> org`` applying the curated row for the organization's name."""

    def correct(org: Organization) -> Organization:
        if not corrections:  # no curated file: nothing to look up, 100,000 times
            return org
        return apply_correction(org, corrections.get(name_key(org.name)))

    return correct
