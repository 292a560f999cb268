"""Typed records shared by the parser, the geocoder, the directory and the pages.

Field names follow Open Referral HSDS 3.0 where HSDS has one (organization, address,
phone, location), so the directory can be exported as HSDS without renaming.
All records are frozen: the app caches them once per process and shares them
between sessions, so nothing may mutate them.
"""

from __future__ import annotations

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

    ``number`` is E.164 when the number could be parsed, otherwise the raw text;
    ``national`` is the readable national form (or the raw text).
    """

    raw: str
    number: str
    national: str
    type: str
    label: str
    toll_free: bool
    valid: bool
    source: SourceRef
    description: str = ""


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


@dataclass(frozen=True, slots=True)
class Organization:
    """A support organization as listed in one or more reports."""

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
    organizations: tuple[Organization, ...] = field(default_factory=tuple)
    synonyms_line: int = 0
    subdivisions_line: int = 0
    discussion_line: int = 0
    retrieved: str = ""
    source_url: str = ""
    source_note: str = ""
    corrections: tuple[str, ...] = ()
    """How curated errata changed the reading of the report (see :mod:`explorer.errata`)."""
