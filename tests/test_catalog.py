"""Catalog tests: reading a data directory, merging organizations across reports."""

from __future__ import annotations

from pathlib import Path

from explorer.catalog import merge_organizations
from explorer.pipeline import build_catalog
from explorer.reading.reports import parse_report

SECOND_REPORT = """Kostmann Disease

National Organization for Rare Disorders, Inc.

General Discussion

Kostmann disease is a made-up test paragraph, long enough to read as prose rather than as an
organization block, about a congenital form of severe neutropenia.

Genetic and Rare Diseases (GARD) Information Center
PO Box 8126
Gaithersburg, MD 20898-8126
Tel: (301)251-4925
Email: gardinfo@example.org

Kostmann Family Circle
12 Example Road
Springfield, IL 62701
Tel: (217)555-0100

For a Complete Report
"""


def test_bundled_directory(data_dir: Path):
    """The bundled data gives one disorder, seven organizations and no issue."""
    catalog = build_catalog(data_dir)
    assert [d.id for d in catalog.disorders] == ["neutropenia-general"]
    assert len(catalog.organizations) == 7
    assert catalog.issues == ()


def test_second_report_merges_shared_organization(data_dir: Path):
    """GARD, listed in both reports, becomes one organization naming both disorders."""
    (data_dir / "reports" / "kostmann.txt").write_text(SECOND_REPORT, encoding="utf-8")
    catalog = build_catalog(data_dir)
    assert [d.id for d in catalog.disorders] == ["kostmann-disease", "neutropenia-general"]
    assert len(catalog.organizations) == 8
    gard = [o for o in catalog.organizations if o.name.startswith("Genetic and Rare")]
    assert len(gard) == 1
    assert set(gard[0].disorders) == {"kostmann-disease", "neutropenia-general"}
    assert sorted(str(s) for s in gard[0].sources) == [
        "reports/kostmann.txt:10",
        "reports/neutropenia_general.txt:63",
    ]
    assert gard[0].email == "gardinfo@example.org"
    assert len(gard[0].phones) == 4
    kostmann, general = catalog.disorders
    assert [o.name for o in kostmann.organizations] == [gard[0].name, "Kostmann Family Circle"]
    assert len(general.organizations) == 7
    # Each disorder lists the merged records themselves: one record per organization.
    assert all(o in catalog.organizations for d in catalog.disorders for o in d.organizations)
    assert any(o is gard[0] for o in kostmann.organizations)


def test_same_name_elsewhere_is_not_merged():
    """Same name but different postal code and phones: two organizations."""
    text_a = SECOND_REPORT
    text_b = SECOND_REPORT.replace("Kostmann Disease", "Other").replace(
        "Springfield, IL 62701\nTel: (217)555-0100", "Chicago, IL 60601\nTel: (312)555-0100"
    )
    orgs = [
        *parse_report(text_a, file="a.txt").disorder.organizations,
        *parse_report(text_b, file="b.txt").disorder.organizations,
    ]
    merged = merge_organizations(orgs)
    circles = [o for o in merged if o.name == "Kostmann Family Circle"]
    assert len(circles) == 2
    assert len([o for o in merged if o.name.startswith("Genetic")]) == 1


def test_broken_report_does_not_hide_the_others(data_dir: Path):
    """A bad file becomes one error naming it; the good report is still read."""
    (data_dir / "reports" / "broken.txt").write_bytes(b"\xff\xfe\x00garbage\n")
    catalog = build_catalog(data_dir)
    assert len(catalog.disorders) == 1
    assert [(i.file, i.severity) for i in catalog.errors] == [("reports/broken.txt", "error")]


def test_missing_reports_folder(tmp_path: Path):
    """A data directory with no reports folder says how to fix it."""
    catalog = build_catalog(tmp_path)
    assert catalog.disorders == ()
    assert "EXPLORER_DATA_DIR" in catalog.errors[0].message
    # Visitors see this notice: it names the folder relative to the data folder only.
    assert catalog.errors[0].file == "reports"
    assert str(tmp_path) not in str(catalog.errors[0])


def test_unlistable_reports_folder_is_a_data_problem(data_dir: Path, monkeypatch):
    """Permission denied on the reports folder: one error naming it, not an exception."""
    reports = data_dir / "reports"
    original = Path.iterdir

    def denied(self):
        if self == reports:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "iterdir", denied)
    catalog = build_catalog(data_dir)
    assert catalog.disorders == ()
    [error] = catalog.errors
    assert error.file == "reports"  # relative: visitors see it
    assert "Permission denied" in error.message and "readable" in error.message
