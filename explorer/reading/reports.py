"""Parser for NORD report abstracts (the plain-text format of ``data/reports/*.txt``).

The format, as printed by NORD's syndication partners::

    <title>
    National Organization for Rare Disorders, Inc.
    It is possible that the main title of the report <title> is not the name ...
      • <synonym>              (zero or more)
    Disorder Subdivisions
      • <subdivision>          (zero or more)
    General Discussion
    <paragraphs>
    <organization blocks separated by blank lines: name, address lines,
     "Tel:", "Fax:", "TDD:", "Email:", "Internet:" lines>
    For a Complete Report
    <boilerplate: NORD notice, "related physicians", hospital footer, disclaimer>

The parser never raises on text: whatever it cannot read becomes a
:class:`~explorer.models.ParseIssue` naming the file and line, and every block that
has a name line becomes an organization (with a warning if it has no address).
Reading the file's bytes as text is :mod:`explorer.reading.report_text`'s job; reading a printed
address into fields is :mod:`explorer.reading.addresses`'.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from explorer.identity import digest, name_key
from explorer.lookup_key import normalize
from explorer.models import Address, Disorder, Organization, ParseIssue, Phone, SourceRef
from explorer.pickled_records import PickledRecords
from explorer.reading.addresses import is_address_line, parse_address
from explorer.reading.phones import parse_phone

PUBLISHER_PREFIX = "national organization for rare disorders"
SUBDIVISIONS_HEADING = "disorder subdivisions"
DISCUSSION_HEADING = "general discussion"
BOILERPLATE_STARTS = (
    "for a complete report",
    "related physicians",
    "related services",
    "this information does not replace the advice",
    "this is an abstract of a report from the national organization",
)
"""Lines that start the syndication tail when they open a block (after a blank line):
everything from the first such line is not data. Inside an organization block the same
words are data (an address line "Related Services Building" must not end the report)."""

BULLET = re.compile(r"^\s*[•\u2022\u25cf*\-–]\s+(?P<text>.+)$")
CONTACT_LINE = re.compile(
    r"^(?P<label>tel|phone|telephone|toll[- ]free|fax|tdd/tty|tty/tdd|tdd|tty|cell|mobile|"
    r"e-?mail|internet|web ?site|web|url)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u206f\ufeff]"
)
"""Control and invisible format characters (a BOM or word joiner pasted inside a name made
it a different name that looked the same). The zero-width joiners are not among them: see
:data:`JOINERS`."""
JOINERS = re.compile(r"[\u200c\u200d]+")
"""Zero-width non-joiner and joiner (U+200C, U+200D). Between two letters or symbols they
are part of the text: a Persian word's ZWNJ (``بیماری‌های``), a family emoji's ZWJ
(👨‍👩‍👧). Only where they join nothing (at a line's ends, beside a space) are they noise."""
NON_SLUG = re.compile(r"[^a-z0-9]+")
SENTENCE_END = re.compile(r"[a-z]{4,}[.!?]$")
MAX_FIELD_CHARS = 300
"""Longest title, list item, organization name, address or contact line kept; longer ones are
cut with a warning (a 1 MB name once froze the browser showing it)."""
MAX_LINE_CHARS = 20_000
"""Longest line of prose kept; longer ones are cut with a warning."""
PREVIEW_CHARS = 60
"""How much of a cut line a warning quotes."""
MAX_MESSAGE_CHARS = 200
"""Longest warning message; longer ones (quoting data) are shortened."""
MAX_REPEATED_WARNINGS = 5
"""Warnings of one kind listed per file; the rest are counted in one summary warning."""
KIND_VALUES = re.compile(r"'[^']*'|\"[^\"]*\"|\d[\d,]*")
"""Quoted values and numbers in a message: removed, what is left is the kind of warning."""


@dataclass(frozen=True, slots=True)
class ParsedReport:
    """The outcome of reading one report: the disorder (None if unreadable) and issues."""

    disorder: Disorder | None
    issues: tuple[ParseIssue, ...]


class _Line(NamedTuple):
    """A line of a report (a tuple: made once per line, half a million times for a large
    report, and a tuple is made faster than a frozen dataclass)."""

    number: int
    text: str
    length_read: int = 0
    """The length before :data:`MAX_LINE_CHARS` cut it (0 when it was not cut)."""


def slugify(text: str) -> str:
    """A URL- and file-safe id: ``"Neutropenia, General"`` → ``"neutropenia-general"``."""
    ascii_text = (  # NFKD changes no ASCII character: plain names skip it
        text
        if text.isascii()
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    )
    return NON_SLUG.sub("-", ascii_text.casefold()).strip("-") or "untitled"


def _ascii_words(text: str) -> bool:
    """True when ``text`` is plain ASCII without apostrophes: its slug loses no letter."""
    return text.isascii() and not any(mark in text for mark in "'`")


def organization_key(name: str, address: Address, phones: tuple[Phone, ...]) -> str:
    """A stable id for an organization from its name and where/how it is reached.

    Readable part: the ASCII slug of the name. Distinguishing part: a hash of the name and
    an anchor: the postal code, else the first phone, else the printed address (city,
    region, country and lines), so "Twin Charity" in Paris and in Lyon get different ids.
    A name or address in another script, or with an apostrophe, is hashed by its identity
    key (:func:`explorer.identity.name_key`, which keeps every letter), so two Hebrew names
    in Tel Aviv or "O'Neil" and "O Neil" differ; plain ASCII keeps the slug in the hash, so
    the ids of existing links stay as they were. The catalog still makes ids unique
    (:func:`explorer.catalog.unique_ids`) should two ever meet.
    """
    return _organization_key(name, address, phones[0].number if phones else "")


@functools.lru_cache(maxsize=4096)
def _organization_key(name: str, address: Address, first_number: str) -> str:
    """:func:`organization_key`, cached: a report that repeats an organization repeats it."""
    anchor = address.postal_code.split("-")[0].replace(" ", "").casefold()
    if not anchor:
        anchor = first_number
    if not anchor:
        printed = " ".join((address.city, address.state_province, address.country, *address.lines))
        anchor = normalize(printed) if _ascii_words(printed) else name_key(printed)
    slug = slugify(name)
    named = slug if _ascii_words(name) else name_key(name)
    return f"{slug[:48]}-{digest(named, anchor)}"


def _clean_lines(text: str, file: str, issues: list[ParseIssue]) -> list[_Line]:
    """Split on newlines only (as editors number lines), control characters removed and reported.

    Lines longer than :data:`MAX_LINE_CHARS` are cut here, before any pattern sees them;
    :func:`_capped` reports the cut where the line is used.
    """
    lines = []
    for number, raw in enumerate(text.removesuffix("\n").split("\n"), start=1):
        length_read = len(raw) if len(raw) > MAX_LINE_CHARS else 0
        spaced = raw[:MAX_LINE_CHARS].removesuffix("\r").replace("\t", " ")
        # isprintable() is False for every character CONTROL_CHARS removes: a fast pre-check.
        cleaned = (
            spaced
            if spaced.isprintable()
            else _stray_joiners_removed(CONTROL_CHARS.sub("", spaced))
        )
        if cleaned != spaced:
            issues.append(ParseIssue(file, number, "warning", "control characters removed"))
        lines.append(_Line(number, cleaned.strip(), length_read))
    return lines


def _stray_joiners_removed(text: str) -> str:
    """``text`` with each run of :data:`JOINERS` kept where it sits between two characters
    that are not spaces, and removed where it joins nothing (leading, trailing, alone)."""

    def joined(match: re.Match[str]) -> str:
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        return match[0] if not (before.isspace() or after.isspace()) else ""

    return JOINERS.sub(joined, text)


def _preview(text: str) -> str:
    """The start of ``text``, quoted, for a message."""
    return repr(text[:PREVIEW_CHARS] + ("…" if len(text) > PREVIEW_CHARS else ""))


def _capped(lines: list[_Line], limit: int, *, file: str, issues: list[ParseIssue]) -> list[_Line]:
    """``lines`` with each cut to ``limit`` characters, each cut reported with a preview."""
    capped = []
    for line in lines:
        length = line.length_read or len(line.text)
        if length > limit:
            message = f"line cut to {limit:,} characters (it had {length:,}): {_preview(line.text)}"
            issues.append(ParseIssue(file, line.number, "warning", message))
            line = _Line(line.number, line.text[:limit].strip())
        capped.append(line)
    return capped


def _capped_issues(issues: list[ParseIssue]) -> tuple[ParseIssue, ...]:
    """At most :data:`MAX_REPEATED_WARNINGS` warnings of each kind, then one that counts the
    rest; messages shortened to :data:`MAX_MESSAGE_CHARS` (they may quote data)."""
    listed: list[ParseIssue] = []
    omitted: dict[str, list[ParseIssue]] = {}
    seen: dict[str, int] = {}
    for issue in issues:
        kind = KIND_VALUES.sub("…", issue.message)
        if len(issue.message) > MAX_MESSAGE_CHARS:
            issue = ParseIssue(
                issue.file, issue.line, issue.severity, issue.message[:MAX_MESSAGE_CHARS] + "…"
            )
        seen[kind] = seen.get(kind, 0) + 1
        if issue.severity == "warning" and seen[kind] > MAX_REPEATED_WARNINGS:
            omitted.setdefault(kind, []).append(issue)
        else:
            listed.append(issue)
    for kind, rest in omitted.items():
        first = rest[0]
        message = f"{len(rest):,} more warnings like this one not listed (from line {first.line})"
        listed.append(ParseIssue(first.file, first.line, "warning", f"{kind}: {message}"))
    return tuple(listed)


def _capped_head(lines: list[_Line], *, file: str, issues: list[ParseIssue]) -> list[_Line]:
    """``lines`` with the title, synonyms and subdivisions (everything before the discussion
    or the closing boilerplate) capped as fields: each is shown as a heading or list item."""
    head_end = next(
        (
            index
            for index, line in enumerate(lines)
            if line.text.casefold().rstrip(":") == DISCUSSION_HEADING or _is_boilerplate(line.text)
        ),
        len(lines),
    )
    return _capped(lines[:head_end], MAX_FIELD_CHARS, file=file, issues=issues) + lines[head_end:]


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Groups of consecutive non-blank lines."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_boilerplate(text: str) -> bool:
    folded = text.casefold()
    return folded.startswith(BOILERPLATE_STARTS)


def _is_organization_block(block: list[_Line]) -> bool:
    """Short lines with a contact or address line (or all very short): not a prose paragraph."""
    rest = [line.text for line in block[1:]]
    if any(CONTACT_LINE.match(text) for text in rest):
        return True
    if any(is_address_line(text) for text in rest):
        return True
    return len(block) >= 2 and all(len(line.text) <= 60 for line in block)


def _looks_like_name(block: list[_Line]) -> bool:
    """A lone short line that is not a sentence (``"... Association, Inc."`` is a name)."""
    text = block[0].text
    return len(block) == 1 and len(text) <= 80 and not SENTENCE_END.search(text)


def _parse_organization(
    block: list[_Line], *, file: str, disorder_id: str, issues: list[ParseIssue]
) -> Organization:
    """One organization from its block: first line is the name, then address, then contacts."""
    name_line = block[0]
    address_lines: list[str] = []
    contacts: list[tuple[_Line, str, str]] = []
    for line in block[1:]:
        if match := CONTACT_LINE.match(line.text):
            contacts.append((line, match["label"], match["value"].strip()))
        elif contacts:
            issues.append(
                ParseIssue(file, line.number, "warning", "text after contact lines kept as note")
            )
            address_lines.append(line.text)
        else:
            address_lines.append(line.text)
    address = parse_address(tuple(address_lines))
    if address.is_empty:
        issues.append(
            ParseIssue(file, name_line.number, "warning", f"{name_line.text!r} has no address")
        )
    phones: list[Phone] = []
    email = website = ""
    for line, label, value in contacts:
        folded = label.casefold().replace(" ", "")
        source = SourceRef(file, line.number)
        if not value:
            issues.append(ParseIssue(file, line.number, "warning", f"empty {label} line"))
        elif folded in ("email", "e-mail"):
            email = email or value
        elif folded in ("internet", "website", "web", "url"):
            website = website or value
        else:
            # Checked (and warned about) once the catalog knows the country: see
            # explorer.catalog.read_phones_for_country.
            phone, _ = parse_phone(value, label=label, source=source, country=address.country)
            phones.append(phone)
    source = SourceRef(file, name_line.number)
    return Organization(
        id=organization_key(name_line.text, address, tuple(phones)),
        name=name_line.text,
        address=address,
        phones=tuple(phones),
        email=email,
        website=website,
        source=source,
        disorders=(disorder_id,),
        sources=(source,),
    )


def _bullets(lines: list[_Line]) -> tuple[str, ...]:
    return tuple(match["text"].strip() for line in lines if (match := BULLET.match(line.text)))


def _find_heading(lines: list[_Line], heading: str, start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].text.casefold().rstrip(":") == heading:
            return index
    return None


Share = tuple[PickledRecords, list[ParseIssue]]
"""The organizations of one share of a report's organization blocks, kept pickled, and the
problems met reading them (not yet capped: see :func:`parse_report`)."""
OtherShares = Callable[[str], Iterable[Share | None]]
"""Given the report's :func:`fingerprint`, shares 1, 2, … of its organization blocks in
order, read elsewhere (e.g. in worker processes); None for a share that could not be, which
:func:`parse_report` then reads itself. Share 0 is always read by :func:`parse_report`."""


@dataclass(slots=True)
class _Head:
    """A report read up to its organization blocks: everything but the organizations."""

    title: _Line
    publisher: str
    synonyms: tuple[str, ...]
    subdivisions: tuple[str, ...]
    paragraphs: list[str]
    blocks: list[list[_Line]]
    """The organization blocks: from the first block that reads as one, every block."""
    issues: list[ParseIssue]


def share_bounds(blocks: int, shares: int) -> list[tuple[int, int]]:
    """``blocks`` organization blocks cut into ``shares`` consecutive runs, nearly equal."""
    return [(blocks * k // shares, blocks * (k + 1) // shares) for k in range(shares)]


def parse_report(
    text: str, *, file: str, shares: int = 1, others: OtherShares | None = None
) -> ParsedReport:
    """Parse one NORD report abstract; never raises on text.

    ``file`` is the name used in sources and issues (a path relative to the data dir).
    With ``shares`` above 1 the organization blocks are cut by :func:`share_bounds`: this
    call reads the first share and ``others`` gives the rest, each as
    :func:`parse_report_share` reads it; the result is the same as reading them all here.
    """
    head = _read_head(text, file)
    if isinstance(head, ParsedReport):
        return head
    issues = head.issues
    disorder_id = slugify(head.title.text)
    organizations: Sequence[Organization]
    if shares > 1 and others is not None:  # a large report: its records kept pickled
        bounds = share_bounds(len(head.blocks), shares)
        first, last = bounds[0]
        blocks = head.blocks
        parts = [PickledRecords.of(_parse_blocks(blocks[first:last], file, disorder_id, issues))]
        for (first, last), share in zip(bounds[1:], others(fingerprint(text)), strict=True):
            if share is None:  # not read elsewhere: read here
                read_here = _parse_blocks(blocks[first:last], file, disorder_id, issues)
                parts.append(PickledRecords.of(read_here))
            else:
                parts.append(share[0])
                issues.extend(share[1])
        organizations = PickledRecords.joined(parts)
    else:
        organizations = tuple(_parse_blocks(head.blocks, file, disorder_id, issues))
    if not organizations:
        title = head.title
        issues.append(ParseIssue(file, title.number, "warning", "report lists no organizations"))
    disorder = Disorder(
        id=disorder_id,
        title=head.title.text,
        publisher=head.publisher,
        synonyms=head.synonyms,
        subdivisions=head.subdivisions,
        general_discussion=tuple(head.paragraphs),
        source=SourceRef(file, head.title.number),
        organizations=organizations,
    )
    return ParsedReport(disorder, _capped_issues(issues))


def fingerprint(text: str) -> str:
    """A digest of a report's text: a share read elsewhere is used only if it was read from
    the same text (the file may have changed between two reads)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def parse_report_share(text: str, *, file: str, share: int, shares: int) -> Share | None:
    """Share ``share`` of ``shares`` of the report's organization blocks (see
    :func:`parse_report`), with the problems met in them; None for a text that is no
    report (:func:`parse_report` says why)."""
    head = _read_head(text, file)
    if isinstance(head, ParsedReport):
        return None
    first, last = share_bounds(len(head.blocks), shares)[share]
    issues: list[ParseIssue] = []
    disorder_id = slugify(head.title.text)
    records = PickledRecords.of(_parse_blocks(head.blocks[first:last], file, disorder_id, issues))
    return records, issues


def _parse_blocks(
    blocks: list[list[_Line]], file: str, disorder_id: str, issues: list[ParseIssue]
) -> Iterator[Organization]:
    """Each block read as an organization, problems added to ``issues`` in block order."""
    for block in blocks:
        yield _parse_organization(
            _capped(block, MAX_FIELD_CHARS, file=file, issues=issues),
            file=file,
            disorder_id=disorder_id,
            issues=issues,
        )


def _read_head(text: str, file: str) -> _Head | ParsedReport:
    """The report read up to its organization blocks, or why it is not a report."""
    issues: list[ParseIssue] = []
    lines = _capped_head(_clean_lines(text, file, issues), file=file, issues=issues)
    content = [line for line in lines if line.text]
    if not content:
        issues.append(ParseIssue(file, 1, "error", "report is empty"))
        return ParsedReport(None, _capped_issues(issues))
    end = next(  # the blank-line test first: it rules out most lines at once
        (
            i
            for i, line in enumerate(lines)
            if (i == 0 or not lines[i - 1].text) and _is_boilerplate(line.text)
        ),
        len(lines),
    )
    body = lines[:end]
    subdivisions_at = _find_heading(body, SUBDIVISIONS_HEADING)
    discussion_at = _find_heading(body, DISCUSSION_HEADING)
    publisher = next(
        (line for line in content[1:4] if line.text.casefold().startswith(PUBLISHER_PREFIX)), None
    )
    if discussion_at is None and subdivisions_at is None and publisher is None:
        issues.append(
            ParseIssue(
                file,
                content[0].number,
                "error",
                "not a NORD report abstract: no publisher line, 'Disorder Subdivisions' "
                "or 'General Discussion' heading found",
            )
        )
        return ParsedReport(None, _capped_issues(issues))
    title = content[0]
    if discussion_at is None:
        issues.append(ParseIssue(file, title.number, "warning", "no 'General Discussion' section"))
    synonyms_end = subdivisions_at if subdivisions_at is not None else discussion_at or end
    synonyms = _bullets(body[:synonyms_end])
    subdivisions = (
        _bullets(body[subdivisions_at + 1 : discussion_at or end])
        if subdivisions_at is not None
        else ()
    )
    paragraphs: list[str] = []
    blocks = _blocks(body[discussion_at + 1 :] if discussion_at is not None else [])
    for index, block in enumerate(blocks):
        if _is_organization_block(block) or _looks_like_name(block):
            # From the first organization on, every block is one.
            return _Head(
                title,
                publisher.text if publisher else "",
                synonyms,
                subdivisions,
                paragraphs,
                blocks[index:],
                issues,
            )
        prose = _capped(block, MAX_LINE_CHARS, file=file, issues=issues)
        paragraphs.append(" ".join(line.text for line in prose))
    return _Head(
        title, publisher.text if publisher else "", synonyms, subdivisions, paragraphs, [], issues
    )
