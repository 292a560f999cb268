"""Curated files read the same however a spreadsheet saved them (BOM, CRLF, CR, Latin-1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.catalog import _read_provenance
from explorer.models import Address, Organization, ParseIssue
from explorer.reading.classify import load_overrides
from explorer.reading.contact_status import load_contact_status, make_corrector
from explorer.reading.curated_csv import read_records
from explorer.reading.errata import read_errata
from explorer.subtypes import load_subtypes
from explorer.takeaway import load_card_lines
from tests.conftest import BUNDLED_DATA

CURATED_FILES = sorted(
    path.relative_to(BUNDLED_DATA).as_posix()
    for folder in ("curated", "reports", "subtypes", "takeaway")
    for path in (BUNDLED_DATA / folder).glob("*.csv")
)


def _spreadsheet(text: str, style: str) -> bytes:
    """``text`` saved as a spreadsheet's "Save as CSV" variants would save it."""
    if style == "bom":
        return "\ufeff".encode() + text.encode("utf-8")
    if style == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if style == "cr":
        return text.replace("\n", "\r").encode("utf-8")
    if style == "bom-crlf":
        return "\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8")
    return text.replace("\n", "\r\n").encode("cp1252")  # "CSV (Windows)"


def _everything(data: Path) -> dict:
    """What every curated reader makes of a data folder (the non-UTF-8 notice left out)."""
    issues: list[ParseIssue] = []
    corrections, status_issues = load_contact_status(data)
    overrides, override_issues = load_overrides(data)
    provenance, provenance_issues = _read_provenance(data / "reports")
    errata, errata_issues = read_errata(data / "reports", display="reports/errata.csv")
    subtypes, subtype_issues = load_subtypes(data)
    card, card_issues = load_card_lines(data, subtypes) if subtypes else ((), [])
    issues = [
        *status_issues,
        *override_issues,
        *provenance_issues,
        *errata_issues,
        *subtype_issues,
        *card_issues,
    ]
    return {
        "corrections": corrections,
        "overrides": overrides,
        "provenance": provenance,
        "errata": errata,
        "subtypes": subtypes,
        "card": card,
        "issues": [issue for issue in issues if "not UTF-8" not in issue.message],
    }


def test_every_curated_file_is_found():
    assert {"curated/contact_status.csv", "reports/sources.csv", "reports/errata.csv"} <= set(
        CURATED_FILES
    )
    assert any(name.startswith("subtypes/") for name in CURATED_FILES)
    assert "takeaway/card_lines.csv" in CURATED_FILES


def _saveable_as_windows_1252(name: str) -> bool:
    try:
        (BUNDLED_DATA / name).read_text(encoding="utf-8").encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


CASES = [
    (name, style)
    for name in CURATED_FILES
    for style in ("bom", "crlf", "cr", "bom-crlf", "latin-1")
    if style != "latin-1" or _saveable_as_windows_1252(name)
]


@pytest.mark.parametrize(("name", "style"), CASES)
def test_a_spreadsheet_copy_reads_the_same(data_dir: Path, name: str, style: str):
    expected = _everything(data_dir)
    path = data_dir / name
    path.write_bytes(_spreadsheet(path.read_text(encoding="utf-8"), style))
    assert _everything(data_dir) == expected


def test_a_bom_keeps_the_closed_association_closed(data_dir: Path):
    path = data_dir / "curated" / "contact_status.csv"
    path.write_bytes(_spreadsheet(path.read_text(encoding="utf-8"), "bom"))
    corrections, issues = load_contact_status(data_dir)
    assert issues == []
    org = Organization(id="x", name="Neutropenia Support Association, Inc.", address=Address())
    assert make_corrector(corrections)(org).status.status == "closed"


def test_a_bom_keeps_the_retrieval_dates(data_dir: Path):
    path = data_dir / "reports" / "sources.csv"
    path.write_bytes(_spreadsheet(path.read_text(encoding="utf-8"), "bom"))
    provenance, issues = _read_provenance(data_dir / "reports")
    assert issues == []
    assert provenance["neutropenia_general.txt"]["retrieved"] == "2026-11-25"


def test_latin1_is_read_as_written_and_named(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_bytes("name,reason\nCafé Société,été\n".encode("cp1252"))
    issues: list[ParseIssue] = []
    rows = list(read_records(path, "curated/x.csv", issues))
    assert rows == [(2, {"name": "Café Société", "reason": "été"})]
    assert [issue.severity for issue in issues] == ["warning"]
    assert "not UTF-8" in issues[0].message


def test_a_record_is_reported_at_its_first_line(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_bytes(b'a,b\r"one\r\ntwo",1\r\n"three",4,5\r\nsix,7\r\n')
    issues: list[ParseIssue] = []
    rows = list(read_records(path, "curated/x.csv", issues))
    assert rows == [(2, {"a": "one\ntwo", "b": "1"}), (5, {"a": "six", "b": "7"})]
    assert [(issue.line, issue.severity) for issue in issues] == [(4, "error")]
    assert "row not applied" in issues[0].message


def test_comment_lines_keep_line_numbers_and_invisible_characters_go(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("# note\nname,reach\n\u2060Acme\ufeff Aid,local\n", encoding="utf-8")
    issues: list[ParseIssue] = []
    rows = list(read_records(path, "curated/x.csv", issues, comments=True))
    assert rows == [(3, {"name": "Acme Aid", "reach": "local"})]
    assert issues == []


def test_an_unappliable_curated_row_names_its_file_and_line(data_dir: Path):
    path = data_dir / "curated" / "contact_status.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines.append("Some Org,closed")  # too few fields: a half-read row must not apply
    path.write_bytes(_spreadsheet("\n".join(lines) + "\n", "bom-crlf"))
    _, issues = load_contact_status(data_dir)
    assert [(i.file, i.line, i.severity) for i in issues] == [
        ("curated/contact_status.csv", len(lines), "error")
    ]


def _statuses(capsys, data: Path) -> tuple[int, list[str]]:
    code = main(["check", "--data", str(data)])
    out = capsys.readouterr().out
    keep = re.compile(r"^(disorders|organizations|phones|contact status|not on the map|errors):")
    return code, [line for line in out.splitlines() if keep.match(line)]


def test_check_on_a_spreadsheet_copy_gives_the_same_statuses(capsys, data_dir: Path):
    expected = _statuses(capsys, data_dir)
    for name in CURATED_FILES:
        path = data_dir / name
        path.write_bytes(_spreadsheet(path.read_text(encoding="utf-8"), "bom-crlf"))
    assert _statuses(capsys, data_dir) == expected
    assert any(line.startswith("contact status:") and "closed 1" in line for line in expected[1])


def test_a_checked_row_naming_no_listed_organization_is_reported(data_dir: Path):
    from explorer.pipeline import build_catalog

    path = data_dir / "curated" / "contact_status.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines.append(
        "Neutropenia Support Association Inc,closed,,,,,,https://neutropenia.ca/,2026-12-01,"
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = [i for i in build_catalog(data_dir).issues if i.file == "curated/contact_status.csv"]
    assert [(i.line, i.severity) for i in issues] == [(len(lines), "warning")]
    assert "no listed organization has this name" in issues[0].message
