"""Curated contact status: rows need a source and a date; corrections put current details first."""

from __future__ import annotations

from pathlib import Path

from explorer.pipeline import build_catalog
from explorer.reading.contact_status import STATUS_FILE, load_contact_status
from tests.conftest import BUNDLED_DATA

HEADER = "organization,status,name,address,phone,email,website,source_url,checked,note\n"


def _write(data_dir: Path, *rows: str) -> None:
    (data_dir / STATUS_FILE).write_text(HEADER + "".join(f"{row}\n" for row in rows))


def test_rows_without_source_or_date_are_refused_with_file_and_line(data_dir: Path):
    """A row with no source URL or no valid date is an error naming its line; not applied."""
    _write(
        data_dir,
        "National Neutropenia Network,closed,,,,,,,2026-12-01,",
        "# a comment line keeps the numbering honest",
        "MUMS National Parent-to-Parent Network,closed,,,,,,https://example.org,,",
        "GARD,closed,,,,,,https://example.org,yesterday,",
        "Neutropenia Support Association,gone,,,,,,https://example.org,2026-12-01,",
    )
    corrections, issues = load_contact_status(data_dir)
    assert corrections == {}
    assert [(i.file, i.line, i.severity) for i in issues] == [
        ("curated/contact_status.csv", 2, "error"),
        ("curated/contact_status.csv", 4, "error"),
        ("curated/contact_status.csv", 5, "error"),
        ("curated/contact_status.csv", 6, "error"),
    ]
    assert "no source" in issues[0].message
    assert "no date" in issues[1].message and "no date" in issues[2].message
    catalog = build_catalog(data_dir)
    assert all(not org.is_closed for org in catalog.organizations)
    assert len(catalog.errors) == 4


def test_moved_registry_shows_current_details_and_keeps_the_listed_ones():
    """The registry's current details come from the checked source; the report's are kept."""
    catalog = build_catalog(BUNDLED_DATA)
    registry = next(o for o in catalog.organizations if o.name.endswith("International Registry"))
    assert registry.status.status == "moved"
    assert registry.status.source_url == "https://scnir-neutropenia.uw.edu"
    assert registry.status.checked == "2026-12-01"
    assert [p.number for p in registry.phones] == ["+16179191574"]
    assert registry.address.city == "Boston"
    assert registry.location.city == "Boston"
    assert registry.as_listed is not None
    assert "Seattle, WA 98101" in registry.as_listed.address.lines
    assert "+12065439749" in [p.number for p in registry.as_listed.phones]
    assert "+12065439749" not in [p.number for p in registry.phones]


def test_closed_association_and_unverified_others():
    """The Manitoba association is closed with its source; nobody else has been checked."""
    catalog = build_catalog(BUNDLED_DATA)
    statuses = {o.name: o.status.status for o in catalog.organizations}
    assert statuses.pop("Neutropenia Support Association, Inc.") == "closed"
    assert statuses.pop("Severe Chronic Neutropenia International Registry") == "moved"
    assert set(statuses.values()) == {"unverified"}
    assert catalog.errors == ()


def test_moved_without_a_shown_field_leaves_it_empty(data_dir: Path):
    """A moved organization does not keep an old phone the source does not show."""
    _write(
        data_dir,
        'MUMS National Parent-to-Parent Network,moved,,"Madison, WI",,,,'
        "https://example.org/mums,2026-12-01,test row",
    )
    catalog = build_catalog(data_dir)
    mums = next(o for o in catalog.organizations if o.name.startswith("MUMS"))
    assert mums.phones == ()
    assert mums.address.lines == ("Madison, WI",)
    assert mums.currency == "checked 2026-12-01 against example.org"
    assert len(mums.as_listed.phones) == 3


def test_renamed_keeps_uncorrected_report_fields_and_unverified_check_says_so(data_dir: Path):
    """A renamed organization keeps the report's phones the source does not correct; a
    row that could not confirm anything stays unverified and says what was checked."""
    _write(
        data_dir,
        "MUMS National Parent-to-Parent Network,renamed,MUMS Parent Network,,,,,"
        "https://example.org/mums,2026-12-01,",
        "National Neutropenia Network,unverified,,,,,,https://example.org/nnn,2026-12-01,",
    )
    catalog = build_catalog(data_dir)
    by_id = {o.id: o for o in catalog.organizations}
    mums = next(o for o in by_id.values() if o.name == "MUMS Parent Network")
    assert mums.as_listed.name == "MUMS National Parent-to-Parent Network"
    assert mums.phones == mums.as_listed.phones and len(mums.phones) == 3
    assert mums.address == mums.as_listed.address
    nnn = next(o for o in by_id.values() if o.name == "National Neutropenia Network")
    assert nnn.status.status == "unverified" and nnn.as_listed is None
    assert nnn.currency.endswith("not confirmed when checked 2026-12-01 against example.org")
    assert "not verified since" not in nnn.currency
