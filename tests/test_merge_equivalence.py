"""The merge indexes a listing's address only once its name is seen twice: it must merge
exactly as indexing every listing at once did (same records, same order, same warnings)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.catalog import _postal_anchor, merge_organizations, unique_ids
from explorer.identity import name_key
from explorer.models import Address, Organization, ParseIssue, Phone, SourceRef


def _eager_merge(organizations, issues):
    """The merge as it was written before: every listing's keys indexed as it arrives."""
    merged = []
    by_postal, by_lines, by_phone = {}, {}, {}
    for org in organizations:
        key = name_key(org.name)
        postal = _postal_anchor(org)
        lines = tuple(name_key(line) for line in org.address.lines)
        candidates = [
            *([by_postal[key, postal]] if postal and (key, postal) in by_postal else []),
            *([by_lines[key, lines]] if lines and (key, lines) in by_lines else []),
            *(by_phone[key, p.number] for p in org.phones if (key, p.number) in by_phone),
        ]
        if not candidates:
            index = len(merged)
            merged.append([org, dict.fromkeys(org.disorders), list(org.sources)])
            merged[-1] += [list(org.phones), {p.number for p in org.phones}, org.email]
            merged[-1].append(org.website)
            if postal:
                by_postal.setdefault((key, postal), index)
            if lines:
                by_lines.setdefault((key, lines), index)
            for phone in org.phones:
                by_phone.setdefault((key, phone.number), index)
            continue
        index = min(candidates)
        kept = merged[index]
        if org.name != kept[0].name:
            message = (
                f"{org.name!r} merged with {kept[0].name!r} ({kept[0].source}): "
                "the same name written differently (case, spacing, width or apostrophes), "
                "at the same address or phone"
            )
            issues.append(ParseIssue(org.source.file, org.source.line, "warning", message))
        kept[1].update(dict.fromkeys(org.disorders))
        kept[2].extend(org.sources)
        for phone in org.phones:
            if phone.number not in kept[4]:
                kept[4].add(phone.number)
                kept[3].append(phone)
                by_phone.setdefault((key, phone.number), index)
        kept[5] = kept[5] or org.email
        kept[6] = kept[6] or org.website
    records = []
    for first, disorders, sources, phones, _, email, website in merged:
        records.append(
            first
            if len(sources) == 1
            else dataclasses.replace(
                first,
                disorders=tuple(disorders),
                sources=tuple(sources),
                phones=tuple(phones),
                email=email,
                website=website,
            )
        )
    return unique_ids(records)


def _listing(line, name, postal, street, number, email):
    source = SourceRef(f"reports/r{line % 3}.txt", line)
    phones = (
        (Phone(number, number, number, "fixed", "Tel", False, True, source, country="US"),)
        if number
        else ()
    )
    return Organization(
        id=name.casefold().replace(" ", "-"),
        name=name,
        address=Address(lines=(street,) if street else (), postal_code=postal, country="US"),
        phones=phones,
        email=email,
        website="",
        source=source,
        disorders=(f"d{line % 3}",),
        sources=(source,),
    )


listings = st.lists(
    st.tuples(
        st.sampled_from(["Alpha Care", "alpha  care", "Beta Aid", "BETA AID", "Gamma", "Delta"]),
        st.sampled_from(["", "48116", "48116-1234", "10001"]),
        st.sampled_from(["", "1 Main St", "1 MAIN ST", "2 Oak Ave"]),
        st.sampled_from(["", "+12025550101", "+12025550102"]),
        st.sampled_from(["", "a@example.org", "b@example.org"]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(listings)
def test_merge_matches_indexing_every_listing(rows):
    organizations = [_listing(line, *row) for line, row in enumerate(rows, start=1)]
    expected_issues: list[ParseIssue] = []
    issues: list[ParseIssue] = []
    expected = _eager_merge(organizations, expected_issues)
    assert merge_organizations(organizations, issues) == expected
    assert issues == expected_issues


def test_a_name_seen_twice_merges_with_its_first_listing_only_at_the_same_place():
    first = _listing(1, "Alpha Care", "48116", "1 Main St", "", "")
    elsewhere = _listing(2, "Alpha Care", "10001", "2 Oak Ave", "", "")
    again = _listing(3, "alpha care", "48116", "", "", "a@example.org")
    issues: list[ParseIssue] = []
    merged = merge_organizations([first, elsewhere, again], issues)
    assert [org.sources for org in merged] == [(first.source, again.source), (elsewhere.source,)]
    assert merged[0].email == "a@example.org"
    assert len(issues) == 1 and issues[0].line == 3
