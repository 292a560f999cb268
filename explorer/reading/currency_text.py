"""How current an organization's contact details are, in the words every export uses.

The organization card says it on screen; the flat CSV and JSON, the vCard note and the
HSDS description say the same in their own fields, so a family who saves a contact, or
a 211 that imports the directory, learns that an organization has moved or closed, where
that was checked and when. Built only from the curated status (a fixed vocabulary, a
date, a validated URL and its host, the maintainer's note) and the organization's own
name, never from a report's free text.
"""

from __future__ import annotations

from explorer.models import ContactStatus, Organization
from explorer.reading.contact_status import source_name

CHECKED_STATUSES = ("active", "moved", "renamed", "closed")
"""Statuses a maintainer checked against a source on a date (``unverified`` is not)."""
HEADLINES = {
    "closed": "Closed",
    "moved": "Moved: these are the current details",
    "renamed": "Renamed: these are the current details",
    "active": "Checked and current",
}


def is_checked(status: ContactStatus) -> bool:
    return status.status in CHECKED_STATUSES and bool(status.checked)


def checked_words(status: ContactStatus) -> str:
    """``checked 2026-12-01 against scnir-neutropenia.uw.edu``, the card's words; ``""`` when
    nobody checked."""
    return (
        f"checked {status.checked} against {source_name(status.source_url)}"
        if is_checked(status)
        else ""
    )


def status_sentence(status: ContactStatus) -> str:
    """``Moved: these are the current details. <note> Source: <url>, checked <date>.``;
    ``""`` for an organization nobody checked."""
    if not is_checked(status):
        return ""
    note = f" {status.note.strip()}" if status.note.strip() else ""
    if note and not note.endswith((".", "!", "?")):
        note += "."
    return (
        f"{HEADLINES[status.status]}.{note} Source: {status.source_url}, checked {status.checked}."
    )


def record_sources(org: Organization) -> tuple[str, ...]:
    """Where the record's details come from, as ``file:line`` (and the page checked).

    When a curated check replaced the report's details (moved, renamed), the details are
    the curated row's: its file and line and the page it was checked against, not the
    report line the old details came from. Otherwise the report lines listing it.
    """
    status = org.status
    if org.as_listed is not None and status.source.file:
        return (f"{status.source} ({status.source_url})",)
    listed = org.sources or (org.source,)
    return tuple(str(source) for source in dict.fromkeys(listed) if source.file)


def listed_for(titles: list[str] | tuple[str, ...]) -> str:
    """Report titles as one unambiguous list: ``“Anemia, Aplastic”; “Neutropenia, General”``.

    NORD titles hold commas of their own ("Neutropenia, General"), so titles are quoted and
    separated by semicolons rather than commas.
    """
    return "; ".join(f"\u201c{title}\u201d" for title in titles)
