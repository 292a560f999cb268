"""The catalog record and the parser's steps: reading report files, merging organizations.

:class:`Catalog` is everything the app shows from one data directory: disorders,
organizations, issues. It is built by one function, :func:`explorer.pipeline.build_catalog`,
which calls the steps here (reading the reports, merging organizations that several
reports list, reading phones for the country an organization is in, its currency).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from explorer.identity import name_key
from explorer.models import Disorder, ListedContact, Organization, ParseIssue, Phone
from explorer.pickled_records import identities
from explorer.reading.contact_status import source_name
from explorer.reading.curated_csv import read_records
from explorer.reading.errata import ERRATA_FILE, apply_errata, read_errata, unmatched_errata
from explorer.reading.phones import for_country
from explorer.reading.report_text import read_report_text
from explorer.reading.reports import OtherShares, parse_report

REPORTS_SUBDIR = "reports"
SOURCES_FILE = "sources.csv"
"""Optional ``reports/sources.csv``: file, retrieved (ISO date), url, note — the provenance
of each report, since NORD abstracts carry no date of their own."""
SOURCES_COLUMNS = ("file", "retrieved", "url", "note")
REPORT_SUFFIXES = (".txt",)
MAX_REPORT_BYTES = 20_000_000
"""Larger files are refused with a message rather than read into memory."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """The data of one data directory, immutable so it can be shared by every session."""

    data_dir: Path
    disorders: tuple[Disorder, ...]
    organizations: tuple[Organization, ...]
    issues: tuple[ParseIssue, ...]

    @property
    def errors(self) -> tuple[ParseIssue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == "error")

    def disorder(self, disorder_id: str) -> Disorder | None:
        """The disorder with this id, or None (e.g. an id from an old shared link)."""
        return next((d for d in self.disorders if d.id == disorder_id), None)


def report_files(data_dir: Path) -> list[Path]:
    """Report files under ``DATA_DIR/reports``, sorted so ids and order are stable."""
    folder = data_dir / REPORTS_SUBDIR
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in REPORT_SUFFIXES)


def _read_provenance(folder: Path) -> tuple[dict[str, dict[str, str]], list[ParseIssue]]:
    """Provenance rows by report file name; a bad date is reported with its line."""
    name = f"{REPORTS_SUBDIR}/{SOURCES_FILE}"
    rows: dict[str, dict[str, str]] = {}
    issues: list[ParseIssue] = []
    records = read_records(
        folder / SOURCES_FILE,
        name,
        issues,
        columns=SOURCES_COLUMNS,
        optional={"url", "note"},
        missing_ok=True,
    )
    for line, row in records:
        retrieved = row["retrieved"]
        try:
            date.fromisoformat(retrieved)
        except ValueError:
            message = f"retrieved date {retrieved!r} is not YYYY-MM-DD"
            issues.append(ParseIssue(name, line, "warning", message))
            retrieved = ""
        rows[row["file"]] = {**row, "retrieved": retrieved}
    return rows, issues


def _with_provenance(disorder: Disorder, row: dict[str, str] | None) -> Disorder:
    if not row:
        return disorder
    return dataclasses.replace(
        disorder,
        retrieved=row["retrieved"],
        source_url=(row.get("url") or "").strip(),
        source_note=(row.get("note") or "").strip(),
    )


def read_report_file(
    path: Path, name: str, *, shares: int = 1, others: OtherShares | None = None
) -> tuple[Disorder | None, list[ParseIssue]]:
    """One report file parsed (``name`` is how messages cite it), or why it was not read;
    ``shares`` and ``others`` as for :func:`~explorer.reading.reports.parse_report` (its
    organization blocks read in several processes)."""
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            return None, [ParseIssue(name, 0, "error", "file too large to be a report")]
        text, read_issues = read_report_text(path, display_name=name)
    except OSError as exc:
        return None, [ParseIssue(name, 0, "error", f"cannot read file: {exc.strerror}")]
    if text is None:  # not text at all: the error in read_issues says so
        return None, read_issues
    parsed = parse_report(text, file=name, shares=shares, others=others)
    return parsed.disorder, [*read_issues, *parsed.issues]


ReportJob = tuple[Path, str]
"""A report file and the name messages cite it by (see :func:`read_report_file`)."""
FileReader = Callable[[list[ReportJob]], Iterable[tuple[Disorder | None, list[ParseIssue]]]]
"""Reads report files, yielding :func:`read_report_file`'s result for each job, in order."""
Progress = Callable[[str, int, int], None]
"""Told ``(stage, done, total)`` as a build advances, so a user interface can show it."""
READING = "Reading reports"


def read_in_order(jobs: list[ReportJob]) -> Iterable[tuple[Disorder | None, list[ParseIssue]]]:
    """The default :data:`FileReader`: one file after another, in this process."""
    return (read_report_file(path, name) for path, name in jobs)


def read_reports(
    data_dir: Path, read_files: FileReader = read_in_order, progress: Progress | None = None
) -> tuple[list[Disorder], list[ParseIssue]]:
    """Every report of ``data_dir`` (with its provenance and errata applied, ids made
    unique), and every problem met, each naming its file and line."""
    disorders: list[Disorder] = []
    issues: list[ParseIssue] = []
    folder = data_dir / REPORTS_SUBDIR
    if not folder.is_dir():
        # Named relative to the data folder: visitors see these notices, and a server's
        # own paths are none of their business.
        hint = "create it and put NORD report .txt files in it, or set EXPLORER_DATA_DIR"
        issues.append(ParseIssue(REPORTS_SUBDIR, 0, "error", f"no reports folder: {hint}"))
        return disorders, issues
    provenance, provenance_issues = _read_provenance(folder)
    issues.extend(provenance_issues)
    errata_name = f"{REPORTS_SUBDIR}/{ERRATA_FILE}"
    errata, errata_issues = read_errata(folder, display=errata_name)
    issues.extend(errata_issues)
    try:
        files = report_files(data_dir)
    except OSError as exc:  # e.g. permission denied: said like any other data problem
        hint = "check that it is readable by the app, or set EXPLORER_DATA_DIR"
        message = f"cannot list the reports folder: {exc.strerror or exc}; {hint}"
        issues.append(ParseIssue(REPORTS_SUBDIR, 0, "error", message))
        return disorders, issues
    if not files:
        issues.append(
            ParseIssue(REPORTS_SUBDIR, 0, "error", "the reports folder has no .txt reports")
        )
    jobs = [(path, path.relative_to(data_dir).as_posix()) for path in files]
    if progress is not None:
        progress(READING, 0, len(jobs))
    for done, ((path, name), (disorder, file_issues)) in enumerate(
        zip(jobs, read_files(jobs), strict=True), start=1
    ):
        if progress is not None:
            progress(READING, done, len(jobs))
        issues.extend(file_issues)
        if disorder is None:
            continue
        if any(erratum.file == path.name for erratum in errata):
            text, _ = read_report_text(path, display_name=name)  # decoded as for the parse
            disorder, errata_issues = apply_errata(
                disorder, text or "", errata, display=errata_name
            )
            issues.extend(errata_issues)
        disorders.append(_with_provenance(disorder, provenance.get(path.name)))
    issues.extend(unmatched_errata(errata, (p.name for p in files), display=errata_name))
    return _unique_disorder_ids(disorders), issues


def _unique_disorder_ids(disorders: list[Disorder]) -> list[Disorder]:
    """Two reports with the same title get distinct ids (``-2``, ``-3``) so both stay reachable."""
    seen: dict[str, int] = defaultdict(int)
    unique = []
    for disorder in disorders:
        seen[disorder.id] += 1
        if seen[disorder.id] > 1:
            new_id = f"{disorder.id}-{seen[disorder.id]}"
            orgs = tuple(
                dataclasses.replace(org, disorders=(new_id,)) for org in disorder.organizations
            )
            disorder = dataclasses.replace(disorder, id=new_id, organizations=orgs)
        unique.append(disorder)
    return unique


def _postal_anchor(org: Organization) -> str:
    return org.address.postal_code.split("-")[0].replace(" ", "").casefold()


@dataclass(slots=True)
class _Merging:
    """One organization being merged: its first listing and what later listings add."""

    first: Organization
    disorders: dict[str, None]
    sources: list
    phones: list[Phone]
    numbers: set[str]
    email: str
    website: str

    def record(self) -> Organization:
        if len(self.sources) == 1:
            return self.first
        return dataclasses.replace(
            self.first,
            disorders=tuple(self.disorders),
            sources=tuple(self.sources),
            phones=tuple(self.phones),
            email=self.email,
            website=self.website,
        )


def _lines_key(org: Organization) -> tuple[str, ...]:
    return tuple(name_key(line) for line in org.address.lines)


def _merging(org: Organization) -> _Merging:
    """A new merged organization, so far only its first listing."""
    return _Merging(
        org,
        dict.fromkeys(org.disorders),
        list(org.sources),
        list(org.phones),
        {p.number for p in org.phones},
        org.email,
        org.website,
    )


def merge_organizations(
    organizations: Iterable[Organization], issues: list[ParseIssue] | None = None
) -> tuple[Organization, ...]:
    """One record per real organization, listing every disorder and source line that names it.

    Two listings are one organization when their names have the same identity key
    (:func:`explorer.identity.name_key`: every letter of every script kept) and they share
    the postal code, the printed address lines, or a phone number. The first listing's
    details are kept (reports are read in file order); phones it lacks are added from the
    others. Listings whose printed names differ only in case, spacing or width are merged
    with a warning in ``issues`` naming both. Each listing is looked up in dictionaries, so
    100,000 repeats of one organization merge in linear time. Ids are then made unique.
    """
    listings = organizations if isinstance(organizations, Sequence) else tuple(organizations)
    return tuple(merged_listings(listings, issues))


def merged_listings(
    listings: Sequence[Organization], issues: list[ParseIssue] | None = None
) -> Sequence[Organization]:
    """:func:`merge_organizations`, the merged records made only as they are read.

    A listing that nothing merges with is kept as its place in ``listings``, so listings
    kept pickled (:class:`~explorer.pickled_records.PickledRecords`) are never all
    unpickled at once; each merged record is made from its listings when it is read. The
    merge reads each listing's name key and id (:func:`~explorer.pickled_records.identities`:
    kept beside pickled ones), and unpickles only the listings whose name another has.
    """
    merged: list[int | _Merging] = []  # a listing's place while it is alone
    ids: list[str] = []
    # Per name key: the first record with each postal code, address and phone number.
    by_postal: dict[tuple[str, str], int] = {}
    by_lines: dict[tuple[str, tuple[str, ...]], int] = {}
    by_phone: dict[tuple[str, str], int] = {}
    # Most names are listed once: their address keys are computed only when a second
    # listing with the same name key arrives (a third of the merge's time at 100,000).
    alone: dict[str, int] = {}
    shared: set[str] = set()

    def register(key: str, index: int, first: Organization) -> None:
        """Index ``first``, the first listing of ``merged[index]``, under its postal code,
        address lines and phones (the first record with each is kept)."""
        postal = _postal_anchor(first)
        if postal:
            by_postal.setdefault((key, postal), index)
        lines = _lines_key(first)
        if lines:
            by_lines.setdefault((key, lines), index)
        for phone in first.phones:
            by_phone.setdefault((key, phone.number), index)

    def merging(index: int) -> _Merging:
        """``merged[index]`` as a merge in progress (a lone listing becomes one)."""
        kept = merged[index]
        if isinstance(kept, int):
            kept = merged[index] = _merging(listings[kept])
        return kept

    for at, (key, org_id) in enumerate(identities(listings)):
        if key not in shared:
            pending = alone.pop(key, None)
            if pending is None:  # the first listing with this name: nothing to merge with
                alone[key] = len(merged)
                merged.append(at)
                ids.append(org_id)
                continue
            shared.add(key)
            lone = merged[pending]
            register(key, pending, listings[lone] if isinstance(lone, int) else lone.first)
        org = listings[at]
        postal = _postal_anchor(org)
        lines = _lines_key(org)
        candidates = [
            *([by_postal[key, postal]] if postal and (key, postal) in by_postal else []),
            *([by_lines[key, lines]] if lines and (key, lines) in by_lines else []),
            *(by_phone[key, p.number] for p in org.phones if (key, p.number) in by_phone),
        ]
        if not candidates:
            merged.append(at)
            ids.append(org_id)
            register(key, len(merged) - 1, org)
            continue
        index = min(candidates)
        kept = merging(index)
        if org.name != kept.first.name and issues is not None:
            message = (
                f"{org.name!r} merged with {kept.first.name!r} ({kept.first.source}): "
                "the same name written differently (case, spacing, width or apostrophes), "
                "at the same address or phone"
            )
            issues.append(ParseIssue(org.source.file, org.source.line, "warning", message))
        kept.disorders.update(dict.fromkeys(org.disorders))
        kept.sources.extend(org.sources)
        for phone in org.phones:
            if phone.number not in kept.numbers:
                kept.numbers.add(phone.number)
                kept.phones.append(phone)
                by_phone.setdefault((key, phone.number), index)
        kept.email = kept.email or org.email
        kept.website = kept.website or org.website
    return _Merged(listings, merged, _unique(ids))


class _Merged(Sequence[Organization]):
    """The records of :func:`merged_listings`, each made when it is read."""

    def __init__(
        self, listings: Sequence[Organization], merged: list[int | _Merging], ids: list[str]
    ) -> None:
        self._listings = listings
        self._merged = merged
        self._ids = ids

    @property
    def listings(self) -> Sequence[Organization]:
        """The listings the records are made from."""
        return self._listings

    def part(self, start: int, stop: int) -> _Merged:
        """The records ``start`` to ``stop`` (to be finished elsewhere), over the same
        listings."""
        return _Merged(self._listings, self._merged[start:stop], self._ids[start:stop])

    def __len__(self) -> int:
        return len(self._merged)

    def __getitem__(self, index: int) -> Organization:  # type: ignore[override]
        kept = self._merged[index]
        record = self._listings[kept] if isinstance(kept, int) else kept.record()
        new_id = self._ids[index]
        return record if record.id == new_id else dataclasses.replace(record, id=new_id)

    def __iter__(self) -> Iterator[Organization]:
        """The records in order, the listings read once, in order (a listing's place in
        ``merged`` grows with its position: read by index, each was a block look-up)."""
        listed = enumerate(self._listings)
        for kept, new_id in zip(self._merged, self._ids, strict=True):
            if isinstance(kept, int):
                at, record = next(listed)
                while at < kept:
                    at, record = next(listed)
            else:
                record = kept.record()
            yield record if record.id == new_id else dataclasses.replace(record, id=new_id)


def unique_ids(organizations: Iterable[Organization]) -> tuple[Organization, ...]:
    """The organizations with a repeated id given ``-2``, ``-3``… in order, so every record
    is reachable by its id (``?org=``, the picker, every export) and ids are the same in
    every run, in the app and in the CLI."""
    records = list(organizations)
    ids = _unique([org.id for org in records])
    return tuple(
        org if new_id == org.id else dataclasses.replace(org, id=new_id)
        for org, new_id in zip(records, ids, strict=True)
    )


def _unique(ids: list[str]) -> list[str]:
    """``ids`` with each repeat given a suffix no other has, nor will have (:func:`unique_ids`)."""
    taken = set(ids)
    seen: set[str] = set()
    next_suffix: dict[str, int] = defaultdict(lambda: 2)
    unique = []
    for org_id in ids:
        new_id = org_id
        if new_id in seen:
            new_id = f"{org_id}-{next_suffix[org_id]}"
            while new_id in seen or new_id in taken:
                next_suffix[org_id] += 1
                new_id = f"{org_id}-{next_suffix[org_id]}"
        seen.add(new_id)
        unique.append(new_id)
    return unique


def organization_country(org: Organization) -> str:
    """The country an organization is in: as printed, else as the geocoder placed it."""
    return org.address.country or (org.location.country if org.location else "")


def _phones_for(
    phones: tuple[Phone, ...], country: str, issues: list[ParseIssue] | None
) -> tuple[Phone, ...]:
    read = []
    for phone in phones:
        if phone.country != country:
            phone, _ = for_country(phone, country)
        if not phone.valid and issues is not None:
            where = f"for {country}" if country else "in any country"
            message = (
                f"phone number {phone.raw!r} is not a valid number {where}; "
                "shown as printed, without a call link"
            )
            issues.append(ParseIssue(phone.source.file, phone.source.line, "warning", message))
        read.append(phone)
    return tuple(read)


def phones_for_country(
    org: Organization, country: str, issues: list[ParseIssue]
) -> tuple[tuple[Phone, ...], ListedContact | None]:
    """The organization's phones (and its as-listed contact's) read for ``country``; each
    number not valid there is reported in ``issues`` with its file and line. Unchanged
    values are returned as they were (the same objects), so a caller can skip a copy."""
    phones = _phones_for(org.phones, country, issues)
    listed = org.as_listed
    if listed is not None:
        listed_country = listed.address.country or country
        listed_phones = _phones_for(listed.phones, listed_country, None)
        if listed_phones != listed.phones:
            listed = dataclasses.replace(listed, phones=listed_phones)
    return (org.phones if phones == org.phones else phones), listed


def read_phones_for_country(org: Organization, issues: list[ParseIssue]) -> Organization:
    """The organization with every phone read for its country; each number that is not
    valid there is reported in ``issues`` with its file and line."""
    phones, listed = phones_for_country(org, organization_country(org), issues)
    if phones is org.phones and listed is org.as_listed:
        return org
    return dataclasses.replace(org, phones=phones, as_listed=listed)


def currency(org: Organization, titles: dict[str, tuple[str, str]]) -> str:
    """Where the contact details come from and when they were last checked, in words.

    ``titles`` maps a report file to its title and retrieval date.
    """
    status = org.status
    checked = f"{status.checked} against {source_name(status.source_url)}"
    if status.checked and status.status != "unverified":
        return f"checked {checked}"
    title, retrieved = titles.get(org.source.file, ("", ""))
    when = f"retrieved {retrieved}" if retrieved else "retrieval date not recorded"
    listed = f"as listed in the report \u201c{title}\u201d ({when})" if title else "as listed"
    if status.checked:
        return f"{listed}; not confirmed when checked {checked}"
    return f"{listed}; not verified since"
