"""Typed records shared by the parser, the geocoder, the directory and the pages.

Field names follow Open Referral HSDS 3.0 where HSDS has one (organization, address,
phone, location), so the directory can be exported as HSDS without renaming.
All records are frozen: the app caches them once per process and shares them
between sessions, so nothing may mutate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PRECISIONS = ("postal_code", "city", "region", "country", "none")
"""Geocode precision levels, most to least precise."""

PHONE_TYPES = ("voice", "fax", "textphone", "cell")
"""HSDS phone types; toll-free is a flag, not a type (HSDS has none)."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: a report file (relative to the data dir) and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class ParseIssue:
    """A problem found while reading data; ``severity`` is ``"error"`` or ``"warning"``."""

    file: str
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class Phone:
    """One phone line of an organization.

    ``number`` is E.164 when the number is valid for the organization's country,
    otherwise the printed text; ``international`` is the readable international form
    with its ``+`` (or the printed text); ``country`` is the ISO alpha-2 code the number
    was read for (``""`` when the organization's country was unknown).
    """

    raw: str
    number: str
    international: str
    type: str
    label: str
    toll_free: bool
    valid: bool
    source: SourceRef
    description: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as printed in a report, split into HSDS fields where possible.

    ``lines`` keeps the printed lines verbatim so nothing is lost when the split is
    unsure. ``country`` is an ISO 3166-1 alpha-2 code, or ``""`` when the report
    gives none (the geocoder may infer one; see :class:`Location`).
    """

    lines: tuple[str, ...] = ()
    address_1: str = ""
    address_2: str = ""
    po_box: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    country: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True, slots=True)
class Location:
    """Where an address was placed, and how precisely.

    ``precision`` is one of :data:`PRECISIONS`; ``matched`` says what the gazetteer
    matched on (e.g. ``"ZIP 20824 (PO box)"``); ``reason`` says why an address could
    not be placed when ``precision == "none"``. ``city``/``state_province``/``country``
    are what the geocoder resolved, which may fill gaps in the printed address.
    """

    latitude: float | None
    longitude: float | None
    precision: str
    geocoder: str
    matched: str = ""
    reason: str = ""
    city: str = ""
    state_province: str = ""
    country: str = ""

    @property
    def on_map(self) -> bool:
        return self.precision != "none" and self.latitude is not None


CONTACT_STATUSES = ("active", "moved", "renamed", "closed", "unverified")
"""How current an organization's contact details are, as recorded in the curated file."""


@dataclass(frozen=True, slots=True)
class ContactStatus:
    """What a maintainer checked about an organization, against which source, and when.

    ``source`` is the curated file's line; ``source_url`` the page that shows the status
    (``""`` only for ``unverified``); ``checked`` an ISO date (``""`` for ``unverified``).
    """

    status: str
    source_url: str = ""
    checked: str = ""
    note: str = ""
    source: SourceRef = SourceRef("", 0)


@dataclass(frozen=True, slots=True)
class ListedContact:
    """An organization's contact details as the report printed them, kept when a curated
    correction (moved, renamed) replaces them, so the card can say "listed in the report as"."""

    name: str
    address: Address
    phones: tuple[Phone, ...] = ()
    email: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class Organization:
    """A support organization as listed in one or more reports.

    ``currency`` says where its contact details come from and when they were last
    checked, in words a family reads ("as listed in … (retrieved …)" or "checked …
    against …"); ``status`` is the curated check, if any; ``as_listed`` the report's
    own details when a correction replaced them.
    """

    id: str
    name: str
    address: Address
    phones: tuple[Phone, ...] = ()
    email: str = ""
    website: str = ""
    source: SourceRef = SourceRef("", 0)
    disorders: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    org_type: str = ""
    reach: str = ""
    location: Location | None = None
    status: ContactStatus = ContactStatus("unverified")
    as_listed: ListedContact | None = None
    currency: str = ""

    @property
    def is_closed(self) -> bool:
        return self.status.status == "closed"


@dataclass(frozen=True, slots=True)
class Disorder:
    """One NORD report: the disorder it covers and the organizations it lists."""

    id: str
    title: str
    publisher: str
    synonyms: tuple[str, ...]
    subdivisions: tuple[str, ...]
    general_discussion: tuple[str, ...]
    source: SourceRef
    organizations: Sequence[Organization] = field(default_factory=tuple)
    """A tuple; a large report's, as parsed, kept pickled (:mod:`explorer.pickled_records`)."""
    retrieved: str = ""
    source_url: str = ""
    source_note: str = ""
    corrections: tuple[str, ...] = ()
    """How curated errata changed the reading of the report (see :mod:`explorer.reading.errata`)."""
