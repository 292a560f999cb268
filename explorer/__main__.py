"""Maintainer command line: ``python -m explorer check|orgs|nearby`` (see ``--help``).

It calls the same functions as the app, so what it reports is what the app shows.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from explorer.config import data_dir as default_data_dir
from explorer.directory import Filters, build_catalog, directory_frame, search
from explorer.export import hsds_package, organizations_csv, organizations_json
from explorer.gazetteer import MissingPackageError
from explorer.places import resolve_place
from explorer.subtypes import load_subtypes


def _check(data: Path) -> int:
    catalog = build_catalog(data)
    _, subtype_issues = load_subtypes(data)
    issues = catalog.issues + tuple(subtype_issues)
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
    print(f"not on the map: {len(unplaced)}")
    for org in unplaced:
        print(f"  {org.name} ({org.source}): {org.location.reason}")
    errors = [issue for issue in issues if issue.severity == "error"]
    print(f"warnings: {len(issues) - len(errors)}")
    print(f"errors: {len(errors)}")
    for issue in issues:
        print(f"  {issue}")
    return 1 if errors else 0


def _orgs(data: Path, output_format: str, out: Path | None) -> int:
    catalog = build_catalog(data)
    if output_format == "hsds":
        content = hsds_package(catalog.organizations, reports=catalog.disorders)
    elif output_format == "json":
        content = (organizations_json(catalog.organizations) + "\n").encode("utf-8")
    else:
        content = organizations_csv(catalog.organizations)
    if out is None:
        sys.stdout.write(content.decode("utf-8-sig"))
        return 0
    try:
        out.write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(catalog.organizations)} organizations to {out}", file=sys.stderr)
    return 0


def _nearby(data: Path, query: str, radius_km: float | None, limit: int) -> int:
    place = resolve_place(query)
    if not place.found:
        hint = f" Did you mean: {', '.join(place.suggestions)}?" if place.suggestions else ""
        print(f"error: {place.message}{hint}", file=sys.stderr)
        return 2
    catalog = build_catalog(data)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (1: data errors or faults, 2: unknown place).

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
    nearby.add_argument("--radius-km", type=float, default=None)
    nearby.add_argument("--limit", type=int, default=20)
    for command in (check, orgs, nearby):
        command.add_argument("--data", type=Path, default=None, help=data_help)
    args = parser.parse_args(argv)
    if args.command == "orgs" and args.format == "hsds" and args.out is None:
        parser.error("--format hsds writes a zip: give --out FILE.zip")
    data = args.data or default_data_dir()
    try:
        if args.command == "check":
            return _check(data)
        if args.command == "orgs":
            return _orgs(data, args.format, args.out)
        return _nearby(data, args.query, args.radius_km, args.limit)
    except MissingPackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except OSError as exc:
        print(
            f"error: cannot read {exc.filename or data}: {exc.strerror or exc}. Check that the "
            "data directory exists and is readable (--data or $EXPLORER_DATA_DIR).",
            file=sys.stderr,
        )
    return 1


if __name__ == "__main__":
    sys.exit(main())
