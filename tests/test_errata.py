"""Curated errata: a report line read as what the report means, checked against the report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from explorer.pipeline import build_catalog
from explorer.reading.errata import apply_errata, read_errata
from explorer.reading.reports import parse_report
from tests.conftest import BUNDLED_DATA, BUNDLED_REPORT

ERRATA = "reports/errata.csv"
HEADER = "file,line,text,read_as,why\n"
FOUR_FORMS = (
    "Neutropenia, Chronic Congenital",
    "Neutropenia, Chronic Idiopathic",
    "Neutropenia, Cyclic",
    "Neutropenia, Autoimmune",
)


def write_errata(data_dir: Path, *rows: str) -> None:
    (data_dir / "reports" / "errata.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def test_bundled_report_lists_four_subdivisions_and_no_other_name():
    """Through the bundled erratum the report reads as its text says: four forms."""
    catalog = build_catalog(BUNDLED_DATA)
    disorder = catalog.disorders[0]
    assert disorder.subdivisions == FOUR_FORMS
    assert disorder.synonyms == ()
    assert len(disorder.corrections) == 1 and "(line 8)" in disorder.corrections[0]
    assert not [i for i in catalog.issues if i.file == ERRATA]


def test_the_report_itself_is_unchanged():
    """The report file still prints the name above the heading: the parser alone reads it
    as a synonym, and the file's bytes are the ones first stored."""
    text = BUNDLED_REPORT.read_text(encoding="utf-8")
    assert text.splitlines()[7] == "  • Neutropenia, Autoimmune"
    assert text.splitlines()[9] == "Disorder Subdivisions"
    parsed = parse_report(text, file="reports/neutropenia_general.txt").disorder
    assert parsed.synonyms == ("Neutropenia, Autoimmune",)
    digest = hashlib.sha256(BUNDLED_REPORT.read_bytes()).hexdigest()
    assert digest == "4d21ffcf09a2515154e221e0837d1a4a557ec64fc0c515c12451318ca1eafdd3"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('neutropenia_general.txt,12,"Neutropenia, Autoimmune",subdivision,Why.\n', "reads"),
        ('neutropenia_general.txt,999,"Neutropenia, Autoimmune",subdivision,Why.\n', "no line"),
        ('missing.txt,8,"Neutropenia, Autoimmune",subdivision,Why.\n', "no report 'missing.txt'"),
        ('neutropenia_general.txt,8,"Neutropenia, Autoimmune",synonym,Why.\n', "read_as"),
        ('neutropenia_general.txt,eight,"Neutropenia, Autoimmune",subdivision,Why.\n', "line"),
        ('neutropenia_general.txt,8,"Neutropenia, Autoimmune",subdivision,\n', "why is empty"),
    ],
)
def test_a_wrong_erratum_is_an_error_at_its_line_and_is_not_applied(
    data_dir: Path, row: str, message: str
):
    """A row that does not match the report names errata.csv:2; the report reads as printed."""
    write_errata(data_dir, row)
    catalog = build_catalog(data_dir)
    found = [i for i in catalog.issues if i.file == ERRATA]
    assert [(i.line, i.severity) for i in found] == [(2, "error")], [str(i) for i in found]
    assert message in found[0].message
    disorder = catalog.disorders[0]
    assert disorder.synonyms == ("Neutropenia, Autoimmune",)
    assert "Neutropenia, Autoimmune" not in disorder.subdivisions
    assert disorder.corrections == ()


def test_text_must_match_the_line_exactly(data_dir: Path):
    """Another name on the right line is refused: the erratum must quote the report."""
    write_errata(data_dir, 'neutropenia_general.txt,8,"Neutropenia, Cyclic",subdivision,Why.\n')
    issue = next(i for i in build_catalog(data_dir).issues if i.file == ERRATA)
    assert "reads 'Neutropenia, Autoimmune', not 'Neutropenia, Cyclic'" in issue.message


def test_no_errata_file_means_the_report_as_printed(data_dir: Path):
    (data_dir / "reports" / "errata.csv").unlink()
    catalog = build_catalog(data_dir)
    assert catalog.disorders[0].synonyms == ("Neutropenia, Autoimmune",)
    assert not [i for i in catalog.issues if i.file == ERRATA]


def test_missing_columns_are_one_error(tmp_path: Path):
    (tmp_path / "errata.csv").write_text("file,line\nx.txt,1\n", encoding="utf-8")
    errata, issues = read_errata(tmp_path, display=ERRATA)
    assert errata == ()
    assert [str(i) for i in issues] == [f"{ERRATA}:1: error: missing column(s): text, read_as, why"]


def test_errata_of_another_report_leave_a_disorder_alone(bundled):
    """Errata apply only to the report file they name."""
    errata, _ = read_errata(BUNDLED_DATA / "reports", display=ERRATA)
    other = bundled.disorder  # parsed under the name reports/x.txt
    corrected, issues = apply_errata(other, BUNDLED_REPORT.read_text(), errata, display=ERRATA)
    assert corrected == other and issues == []
