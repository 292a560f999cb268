"""Organization identity keeps every letter of every script: nothing merged by mistake."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.catalog import merge_organizations, unique_ids
from explorer.identity import name_key
from explorer.models import Organization, ParseIssue
from explorer.reading.reports import parse_report

HEAD = (
    "Test Disorder\n\nNational Organization for Rare Disorders, Inc.\n\nGeneral Discussion\n\n"
    "A paragraph long enough to read as prose, not as an organization block, that goes on "
    "about the disorder for a while.\n\n"
)


def _organizations(*blocks: str) -> tuple[Organization, ...]:
    parsed = parse_report(HEAD + "\n\n".join(blocks) + "\n", file="reports/t.txt")
    return parsed.disorder.organizations


def _merged(*blocks: str) -> tuple[tuple[Organization, ...], list[ParseIssue]]:
    issues: list[ParseIssue] = []
    return merge_organizations(_organizations(*blocks), issues), issues


def test_two_hebrew_organizations_sharing_a_phone_stay_two():
    orgs, issues = _merged(
        "עמותת שלום\nTel Aviv, Israel\nTel: +972 3 555 0100",
        "עמותת אור\nTel Aviv, Israel\nTel: +972 3 555 0100",
    )
    assert [org.name for org in orgs] == ["עמותת שלום", "עמותת אור"]
    assert len({org.id for org in orgs}) == 2
    assert issues == []


def test_cjk_and_emoji_names_stay_distinct():
    orgs, _ = _merged(
        "好中球減少症の会\nTokyo, Japan\nTel: +81 3 1234 5678",
        "血液疾患の会\nTokyo, Japan\nTel: +81 3 1234 5678",
        "🌻 Friends\nChicago, IL 60601",
        "🌼 Friends\nChicago, IL 60601",
    )
    assert len(orgs) == 4
    assert len({org.id for org in orgs}) == 4


def test_an_apostrophe_tells_two_organizations_apart():
    orgs, _ = _merged(
        "O'Neil House Support\n1 Main St\nBoston, MA 02108\nTel: 617-555-0100",
        "O Neil House Support\n9 Elm St\nBoston, MA 02108\nTel: 617-555-0199",
    )
    assert [org.name for org in orgs] == ["O'Neil House Support", "O Neil House Support"]
    assert len({org.id for org in orgs}) == 2


def test_twin_charities_differing_only_in_cyrillic_or_hebrew_letters_get_four_ids():
    orgs, _ = _merged(
        "Twin Charity\nулица Ленина\nMoscow, Russia",
        "Twin Charity\nулица Пушкина\nMoscow, Russia",
        "Twin Charity\nרחוב הרצל\nTel Aviv, Israel",
        "Twin Charity\nרחוב ביאליק\nTel Aviv, Israel",
    )
    assert len(orgs) == 4
    assert len({org.id for org in orgs}) == 4


def test_names_differing_in_case_or_spacing_merge_with_a_warning_naming_both():
    orgs, issues = _merged(
        "Acme Support Group\nBoston, MA 02108",
        "ACME  support group\nBoston, MA 02108",
        "Acme Support Group\nBoston, MA 02108",
    )
    assert len(orgs) == 1
    assert len(orgs[0].sources) == 3
    [warning] = issues
    assert warning.severity == "warning"
    assert "'ACME  support group'" in warning.message
    assert "'Acme Support Group'" in warning.message


def test_curly_and_straight_apostrophes_are_one_name():
    orgs, _ = _merged("St. John's Aid\nBoston, MA 02108", "St. John\u2019s Aid\nBoston, MA 02108")
    assert len(orgs) == 1


def test_invisible_characters_are_stripped_from_names():
    [org] = _organizations("Acme\u2060 Aid\ufeff\nBoston, MA 02108")
    assert org.name == "Acme Aid"
    assert name_key("Acme\u00ad Aid") == name_key("ACME AID")


def test_repeated_ids_are_made_unique_in_order():
    [org] = _organizations("Acme Aid\nBoston, MA 02108")
    twin = dataclasses.replace(org, name="Acme Aid (copy)")
    clash = dataclasses.replace(org, id=f"{org.id}-2", name="Other")
    ids = [o.id for o in unique_ids([org, twin, clash])]
    assert ids == [org.id, f"{org.id}-3", f"{org.id}-2"]
    assert [o.id for o in unique_ids([org, twin, clash])] == ids  # the same every run


def test_many_repeats_merge_into_one_record_listing_every_source():
    block = "Acme Aid\nBoston, MA 02108\nTel: 617-555-0100"
    [org] = merge_organizations(_organizations(*[block] * 2_000))
    assert len(org.sources) == 2_000
    assert len(org.phones) == 1


SCRIPTS = {
    "latin": st.characters(min_codepoint=0x61, max_codepoint=0x7A),
    "cyrillic": st.characters(min_codepoint=0x430, max_codepoint=0x44F),
    "hebrew": st.characters(min_codepoint=0x5D0, max_codepoint=0x5EA),
    "arabic": st.characters(min_codepoint=0x627, max_codepoint=0x64A),
    "cjk": st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
    "emoji": st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F),
}


@st.composite
def names(draw) -> str:
    alphabet = SCRIPTS[draw(st.sampled_from(sorted(SCRIPTS)))]
    words = draw(st.lists(st.text(alphabet, min_size=1, max_size=6), min_size=1, max_size=3))
    if draw(st.booleans()):  # an apostrophe inside the first word: "O'Neil"
        cut = draw(st.integers(0, len(words[0])))
        words[0] = f"{words[0][:cut]}'{words[0][cut:]}"
    return " ".join(words)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(names(), min_size=1, max_size=6, unique_by=lambda n: " ".join(n.casefold().split())),
    st.booleans(),
)
def test_distinct_names_stay_distinct_and_duplicates_merge(distinct, repeat):
    """Every distinct name at one shared address and phone keeps its own record and id;
    each name listed twice (a true duplicate) still merges into one."""
    names_listed = [name for name in distinct for _ in range(2 if repeat else 1)]
    blocks = [f"{name}\n1 Main St\nChicago, IL 60601\nTel: 312-555-0100" for name in names_listed]
    organizations = _organizations(*blocks)
    assert [org.name for org in organizations] == names_listed  # the parser lost none
    issues: list[ParseIssue] = []
    merged = merge_organizations(organizations, issues)
    assert [org.name for org in merged] == distinct
    assert len({org.id for org in merged}) == len(merged)
    assert all(len(org.sources) == (2 if repeat else 1) for org in merged)
    assert issues == []


def test_catalog_ids_are_unique_and_the_same_in_every_export(data_dir):
    """Names that differ only in punctuation at one address share a slug and a hash: the
    catalog itself makes the ids unique, so the page's CSV and the CLI's HSDS agree."""
    import csv
    import io

    from explorer.exports.csv_vcard import organizations_csv
    from explorer.exports.hsds import hsds_tables, record_id
    from explorer.pipeline import build_catalog

    report = HEAD + "Acme Aid\nBoston, MA 02108\n\nAcme-Aid\nBoston, MA 02108\n"
    (data_dir / "reports" / "acme.txt").write_text(report, encoding="utf-8")
    catalog = build_catalog(data_dir)
    acme = [org for org in catalog.organizations if org.name in ("Acme Aid", "Acme-Aid")]
    assert len(acme) == 2
    ids = [org.id for org in catalog.organizations]
    assert len(set(ids)) == len(ids)
    rows = csv.DictReader(io.StringIO(organizations_csv(catalog.organizations).decode("utf-8-sig")))
    assert [row["id"] for row in rows] == ids
    hsds_ids = [row["id"] for row in hsds_tables(catalog.organizations)["organization"]]
    assert hsds_ids == [record_id("organization", org_id) for org_id in ids]
    assert [org.id for org in build_catalog(data_dir).organizations] == ids  # stable


def _name_key_slow(text: str) -> str:
    """``name_key`` by its definition alone (NFKC, casefold, invisible characters removed,
    apostrophe look-alikes made one, spaces made one), without the plain-ASCII shortcut."""
    import re
    import unicodedata

    from explorer.identity import APOSTROPHES
    from explorer.reading.curated_csv import INVISIBLE

    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold()
    return re.sub(r"\s+", " ", text.translate(APOSTROPHES)).strip()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_name_key_shortcut_for_plain_ascii_agrees_with_the_definition(text: str):
    """The shortcut for printable ASCII (most names) gives the key the full definition
    gives: tabs, control characters, backquotes, runs of spaces and other scripts included."""
    assert name_key(text) == _name_key_slow(text)


def test_name_key_of_plain_names():
    assert name_key("  The  O`Neil   HOUSE ") == "the o'neil house"
    assert name_key("Tab\there") == "tab here"  # a tab is not printable: the full path
