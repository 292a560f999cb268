"""What the card and the visit summary say, gathered from the curated, cited data.

The card's fever rule is the first ``fever`` row of ``subtypes/guidance.csv``, the row every
page shows; the lines the card adds live in ``DATA_DIR/takeaway/card_lines.csv`` and cite
keys of ``subtypes/references.csv``; a line without a known citation is an error and is
not printed. The visit summary reuses the Subtypes comparison and the directory search, so
it says exactly what the pages show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from explorer.links import safe_email, safe_web_url
from explorer.models import Disorder, Organization, ParseIssue
from explorer.reading.curated_csv import read_records
from explorer.subtypes import (
    FEVER,
    SUBTYPES_SUBDIR,
    Comparison,
    Reference,
    SubtypeData,
    comparison_table,
    glossary_mentions,
    load_guidance,
)
from explorer.subtypes.guidance import GUIDANCE_FILE
from explorer.takeaway.records import (
    CardContent,
    CardLine,
    Cited,
    ContactLine,
    GlossaryEntry,
    SummaryOrganization,
    SummaryRow,
    VisitSummary,
)

CARD_LINES_FILE = "takeaway/card_lines.csv"
FEVER_RULE = "fever_rule"
FEVER_WHY = "fever_why"
CARD_TOPICS = (FEVER_WHY, "first_steps")
"""What ``card_lines.csv`` may hold: only the card's own lines. The rule itself is never one of
them (it is the guidance's row, :func:`fever_rule_line`), so no second wording can be printed."""
CARD_COLUMNS = ("topic", "order", "text", "citations")
NEAREST_LIMIT = 5
"""Organizations the visit summary lists: enough to choose from, few enough for one page."""
PHONE_KINDS = {"voice": "Phone", "fax": "Fax", "textphone": "TTY/TDD", "cell": "Mobile"}


def fever_rule_line(data_dir: Path) -> tuple[CardLine | None, list[ParseIssue]]:
    """The fever rule as the card prints it: the first ``fever`` row of ``guidance.csv``.

    The pages' safety notice shows the same row, so the card, the visit summary and every
    page say the same words; the card never keeps a copy of its own. ``None`` (and an
    error) when the guidance has no fever row.
    """
    fever = load_guidance(data_dir)[0].topic(FEVER)
    if not fever:
        message = "no fever rule for the card: guidance.csv has no 'fever' row"
        return None, [ParseIssue(f"{SUBTYPES_SUBDIR}/{GUIDANCE_FILE}", 1, "error", message)]
    rule = fever[0]
    return CardLine(FEVER_RULE, 0, rule.text, rule.citations, rule.line), []


def load_card_lines(
    data_dir: Path, data: SubtypeData
) -> tuple[tuple[CardLine, ...], list[ParseIssue]]:
    """The card's lines, the fever rule first; returns ``(lines, issues)`` with ``file:line``.

    The rule itself is the guidance's (:func:`fever_rule_line`); ``card_lines.csv`` holds
    only what the card adds: ``fever_why`` lines (why the rule, printed under it) and the
    ``first_steps``. A line with an unknown topic, no text, or no (or an unknown) citation
    is left out with an error: an uncited medical line must never reach a card.
    """
    rule, issues = fever_rule_line(data_dir)
    head = (rule,) if rule is not None else ()
    known = {reference.key for reference in data.references}
    lines: list[CardLine] = []
    # The one curated-file reader: a spreadsheet's BOM, CRLF or Latin-1 reads the same.
    records = read_records(
        data_dir / CARD_LINES_FILE, CARD_LINES_FILE, issues, columns=CARD_COLUMNS
    )
    for line, row in records:
        problems = _card_line_problems(row, known)
        issues += [ParseIssue(CARD_LINES_FILE, line, "error", p) for p in problems]
        if not problems:
            keys = tuple(k.strip() for k in row["citations"].split(";") if k.strip())
            lines.append(
                CardLine(row["topic"].strip(), int(row["order"]), row["text"].strip(), keys, line)
            )
    lines.sort(key=lambda c: (CARD_TOPICS.index(c.topic), c.order))
    return (*head, *lines), issues


def _card_line_problems(row: dict[str, str | None], known: set[str]) -> list[str]:
    topic = (row.get("topic") or "").strip()
    problems = []
    if topic not in CARD_TOPICS:
        problems.append(f"topic {topic!r} is not one of {', '.join(CARD_TOPICS)}")
    if not (row.get("order") or "").strip().isdigit() or int(row["order"] or 0) < 1:
        problems.append("order must be a whole number from 1")
    if not (row.get("text") or "").strip():
        problems.append("line has no text")
    keys = [k.strip() for k in (row.get("citations") or "").split(";") if k.strip()]
    if not keys:
        problems.append("line has no citation")
    problems += [f"line cites unknown reference {key!r}" for key in keys if key not in known]
    return problems


def _cited(data: SubtypeData, text: str, keys: Iterable[str]) -> Cited:
    return Cited(text, tuple(sorted(data.marker(key) for key in keys)))


def _numbered(data: SubtypeData, keys: Iterable[str]) -> tuple[tuple[int, Reference], ...]:
    """The references with these keys and their numbers on the page, in file order."""
    wanted = set(keys)
    return tuple(
        (number, reference)
        for number, reference in enumerate(data.references, start=1)
        if reference.key in wanted
    )


def card_content(data: SubtypeData, lines: Sequence[CardLine]) -> CardContent:
    """The card's lines with their reference numbers, and the references they cite."""

    def section(name: str) -> tuple[Cited, ...]:
        return tuple(_cited(data, c.text, c.citations) for c in lines if c.topic == name)

    return CardContent(
        fever_rule=section(FEVER_RULE) + section(FEVER_WHY),
        first_steps=section("first_steps"),
        references=_numbered(data, (key for c in lines for key in c.citations)),
    )


def international_number(e164: str) -> str:
    """``+18102295797`` → ``+1 810-229-5797``; ``""`` when it is not a valid number."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def contact_currency_note(org: Organization, disorders: Sequence[Disorder]) -> str:
    """How current the organization's contact details are, in the words its card uses.

    The catalog records that on each organization (:attr:`Organization.currency`: checked
    against a source on a date, or as listed in a report and when it was retrieved); a
    record made outside the catalog falls back to its report and retrieval date.
    """
    if org.currency:
        note = org.currency
    else:
        report = next((d for d in disorders if d.source.file == org.source.file), None)
        retrieved = f" (retrieved {report.retrieved})" if report and report.retrieved else ""
        note = f"as listed in {org.source.file} line {org.source.line}{retrieved}"
    closed = "Closed. " if org.is_closed else ""
    return f"{closed}{note[:1].upper()}{note[1:]}."


def summary_organization(
    org: Organization, distance_km: float | None, disorders: Sequence[Disorder]
) -> SummaryOrganization:
    """An organization's name, address and every way to reach it, phones in international form."""
    contacts = []
    for phone in org.phones:
        kind = PHONE_KINDS.get(phone.type, "Phone") + (" (toll-free)" if phone.toll_free else "")
        international = international_number(phone.number) if phone.valid else ""
        contacts.append(ContactLine(kind, international or phone.raw, checked=bool(international)))
    if email := safe_email(org.email):
        contacts.append(ContactLine("Email", email))
    if website := safe_web_url(org.website):
        contacts.append(ContactLine("Website", website))
    return SummaryOrganization(
        name=org.name,
        address=org.address.lines,
        contacts=tuple(contacts),
        distance_km=distance_km,
        currency_note=contact_currency_note(org, disorders),
    )


def nearest_organizations(
    listed: pd.DataFrame,
    by_id: Mapping[str, Organization],
    disorders: Sequence[Disorder],
    *,
    limit: int = NEAREST_LIMIT,
) -> tuple[SummaryOrganization, ...]:
    """The first ``limit`` rows of a directory listing (nearest first), as summary records."""
    rows = listed.head(limit)
    distances = rows["distance_km"] if "distance_km" in rows else [None] * len(rows)
    return tuple(
        summary_organization(by_id[org_id], None if pd.isna(km) else float(km), disorders)
        for org_id, km in zip(rows["id"], distances, strict=True)
    )


def build_visit_summary(
    data: SubtypeData,
    comparison: Comparison,
    content: CardContent,
    *,
    only_differences: bool,
    place_label: str,
    organizations: Sequence[SummaryOrganization],
    made: date,
) -> VisitSummary:
    """Resolve the comparison, fever rule, glossary and references into one printable record.

    The glossary lists the terms the printed statements use; the references are those
    any printed line cites, numbered as on the Subtypes page.
    """
    rows = tuple(
        SummaryRow(
            attribute.label,
            tuple(
                Cited(cell.text, cell.markers)
                for cell in (comparison.cell(attribute.key, f.key) for f in comparison.forms)
            ),
        )
        for attribute in comparison.attributes
    )
    printed_text = " ".join(
        [c.text for row in rows for c in row.cells] + [c.text for c in content.fever_rule]
    )
    used = [mention.term for mention in glossary_mentions(data.glossary, printed_text)]
    used.sort(key=lambda term: term.term.casefold())
    cited = {reference.key for _, reference in comparison.references}
    cited |= {key for term in used for key in term.citations}
    cited |= set(data.classification_citations)
    cited |= {data.references[n - 1].key for line in content.fever_rule for n in line.markers}
    return VisitSummary(
        made=made,
        forms=tuple(form.label for form in comparison.forms),
        rows=rows,
        only_differences=only_differences,
        classification=_cited(data, data.classification_note, data.classification_citations),
        fever_rule=content.fever_rule,
        place_label=place_label,
        organizations=tuple(organizations),
        glossary=tuple(
            GlossaryEntry(term.term, _cited(data, term.definition, term.citations)) for term in used
        ),
        references=_numbered(data, cited),
        last_reviewed=data.last_reviewed,
    )


def visit_summary_for(
    data: SubtypeData,
    lines: Sequence[CardLine],
    *,
    forms: Sequence[str],
    attributes: Sequence[str] | None = None,
    only_differences: bool = False,
    place_label: str,
    listed: pd.DataFrame,
    by_id: Mapping[str, Organization],
    disorders: Sequence[Disorder],
    made: date,
    limit: int = NEAREST_LIMIT,
) -> VisitSummary:
    """The visit summary of one view: the compared forms and a directory listing.

    The page and ``python -m explorer summary`` both call this, so the same view gives
    the same document. ``attributes`` defaults to every row; ``listed`` is a directory
    listing in the order to print (nearest first after a place search).
    """
    comparison = comparison_table(
        data,
        forms,
        attributes if attributes is not None else [a.key for a in data.attributes],
        only_differences=only_differences,
    )
    return build_visit_summary(
        data,
        comparison,
        card_content(data, lines),
        only_differences=only_differences,
        place_label=place_label,
        organizations=nearest_organizations(listed, by_id, disorders, limit=limit),
        made=made,
    )
