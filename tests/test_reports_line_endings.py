"""A report saved with classic Mac OS line ends (CR only) reads like the original."""

from __future__ import annotations

from pathlib import Path

from explorer.reading.report_text import read_report_text
from tests.conftest import BUNDLED_REPORT


def test_a_cr_only_report_reads_line_by_line_with_a_hint(tmp_path: Path):
    original = BUNDLED_REPORT.read_text(encoding="utf-8")
    path = tmp_path / "cr.txt"
    path.write_bytes(original.replace("\n", "\r").encode("utf-8"))
    text, issues = read_report_text(path, display_name="reports/cr.txt")
    assert text == original
    assert [(i.file, i.line, i.severity) for i in issues] == [("reports/cr.txt", 1, "warning")]
    assert "CR only" in issues[0].message


def test_crlf_is_left_to_the_parser_without_a_warning(tmp_path: Path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(BUNDLED_REPORT.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    _, issues = read_report_text(path, display_name="reports/crlf.txt")
    assert issues == []
