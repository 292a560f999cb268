"""Organization type and reach, by documented rules on what the report prints.

Rules (first match wins, on the organization's name):

==============================  ===========================================
name contains                   type
==============================  ===========================================
"registry"                      Patient registry
"information center/centre",    Government information centre
"NIH", "National Institute"
"parent"                        Parent network
"support", "association",       Patient support group
"network", "foundation",
"society", "alliance"
(anything else)                 Other organization
==============================  ===========================================

Reach says who an organization can serve wherever they live: ``international`` when
the name says "International", ``national`` for government centres, names with
"National", and any organization with a toll-free line; otherwise ``local``.
A national or international organization is never hidden by a near-me radius.

A maintainer can override both per organization in
``data/curated/organization_overrides.csv`` (name, org_type, reach, reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from explorer.identity import name_key
from explorer.models import Organization, ParseIssue
from explorer.reading.curated_csv import read_records

OVERRIDES_FILE = Path("curated") / "organization_overrides.csv"
ORG_TYPES = (
    "Patient support group",
    "Parent network",
    "Patient registry",
    "Government information centre",
    "Other organization",
)
REACHES = ("local", "national", "international")
TYPE_RULES = (
    (re.compile(r"\bregistry\b", re.I), "Patient registry"),
    (
        re.compile(r"information (center|centre)|\bNIH\b|national institutes? of", re.I),
        "Government information centre",
    ),
    (re.compile(r"\bparent", re.I), "Parent network"),
    (
        re.compile(r"support|association|network|foundation|society|alliance", re.I),
        "Patient support group",
    ),
)


@dataclass(frozen=True, slots=True)
class Override:
    org_type: str
    reach: str


def rule_type(name: str) -> str:
    """The type the rules give a name (see the module docstring)."""
    return next((t for pattern, t in TYPE_RULES if pattern.search(name)), "Other organization")


INTERNATIONAL = re.compile(r"\binternational\b", re.I)
NATIONAL = re.compile(r"\bnational\b", re.I)


def rule_reach(org: Organization, org_type: str) -> str:
    """Who the organization can serve, by the rules in the module docstring."""
    if INTERNATIONAL.search(org.name):
        return "international"
    if (
        org_type == "Government information centre"
        or NATIONAL.search(org.name)
        or any(p.toll_free for p in org.phones)
    ):
        return "national"
    return "local"


def load_overrides(data_dir: Path) -> tuple[dict[str, Override], list[ParseIssue]]:
    """Read the overrides file; unknown types or reaches are reported with their line."""
    path = data_dir / OVERRIDES_FILE
    name = OVERRIDES_FILE.as_posix()
    if not path.is_file():
        return {}, []
    overrides: dict[str, Override] = {}
    issues: list[ParseIssue] = []
    columns = ("name", "org_type", "reach", "reason")
    rows = read_records(path, name, issues, columns=columns, optional={"reason"}, comments=True)
    for line_number, row in rows:
        if not row["name"]:
            issues.append(ParseIssue(name, line_number, "error", "no organization name"))
            continue
        org_type = row.get("org_type", "")
        reach = row.get("reach", "")
        if org_type and org_type not in ORG_TYPES:
            issues.append(ParseIssue(name, line_number, "error", f"unknown org_type {org_type!r}"))
            continue
        if reach and reach not in REACHES:
            issues.append(ParseIssue(name, line_number, "error", f"unknown reach {reach!r}"))
            continue
        overrides[name_key(row["name"])] = Override(org_type, reach)
    return overrides, issues


def make_classifier(overrides: dict[str, Override]):
    """A function ``org -> (org_type, reach)`` applying the rules, then the overrides."""

    none = Override("", "")

    def classify(org: Organization) -> tuple[str, str]:
        override = overrides.get(name_key(org.name), none) if overrides else none
        org_type = override.org_type or rule_type(org.name)
        return org_type, override.reach or rule_reach(org, org_type)

    return classify
