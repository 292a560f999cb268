"""The clinician PDF (one page: chart, counts, estimate, method, cited lines) and
``python -m explorer counts``, in-process and as a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from explorer.__main__ import main
from explorer.counts.notes import NOTE_KEYS, load_notes
from explorer.counts.pdf import MAX_TABLE_COUNTS, clinician_pdf
from explorer.counts.records import Entry
from explorer.counts.report import analyse, clinician_page, load_words
from explorer.subtypes import load_subtypes
from tests.conftest import BUNDLED_DATA, PROJECT_ROOT
from tests.counts_helpers import cyclic_counts

TODAY = date(2026, 6, 1)


def cyclic_csv(weeks: int = 8, period: float = 21) -> str:
    counts, _ = cyclic_counts(period, weeks, np.random.default_rng(11))
    return "Date,ANC (cells/uL)\n" + "".join(
        f"{c.day:%d/%m/%Y},{round(c.anc * 1000)}\n" for c in counts
    )


def text_of(pdf: bytes) -> tuple[int, str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return len(pages), " ".join(" ".join(p.extract_text().split()) for p in pages)


def test_the_bundled_notes_are_all_there_and_cited():
    data, _ = load_subtypes(BUNDLED_DATA)
    notes, issues = load_notes(BUNDLED_DATA, data)
    assert not issues
    assert set(notes) == set(NOTE_KEYS)
    assert notes["sampling"].citations == ("scnir_cyclic",)
    assert all(note.markers for note in notes.values())


def test_an_uncited_note_is_an_error_and_hides_the_words(data_dir: Path):
    (data_dir / "counts" / "notes.csv").write_text(
        "key,text,citations\nsampling,Counts every day.,\nbands,Bands.,nobody_2030\n",
        encoding="utf-8",
    )
    words, issues = load_words(data_dir)
    assert words is None
    messages = " ".join(issue.message for issue in issues)
    assert "line has no citation" in messages
    assert "unknown reference 'nobody_2030'" in messages


@pytest.mark.parametrize("many", [False, True], ids=["eight-weeks", "two-years"])
def test_the_clinician_pdf_is_one_page_with_chart_counts_estimate_and_sources(many: bool):
    """Eight weeks or two years of counts: one page, the estimate, the method, the fever
    rule, the not-medical-advice line and the cited references; no count is lost
    silently (a long diary says how many are printed)."""
    counts, _ = cyclic_counts(21, 104 if many else 8, np.random.default_rng(12))
    entries = [Entry(c.line, c.day, c.anc) for c in counts]
    analysis = analyse(entries, header_unit="e9_per_l", unit=None, today=counts[-1].day)
    words, issues = load_words(BUNDLED_DATA)
    assert words is not None, issues
    pages, text = text_of(clinician_pdf(clinician_page(analysis, words, made=TODAY)))
    assert pages == 1
    assert "rise and fall about every 21 days" in text
    assert "Lomb–Scargle" in text
    assert "38.0 °C" in text
    assert "not medical advice" in text
    assert "scnir-neutropenia.uw.edu/cyclic-neutropenia" in text
    assert f"{counts[-1].day:%Y-%m-%d}" in text
    shown = f"The {MAX_TABLE_COUNTS} most recent of {len(counts)} counts"
    assert (shown in text) is many


def test_cli_json_reads_the_file_and_reports_the_cycle(tmp_path: Path, capsys):
    diary = tmp_path / "counts.csv"
    diary.write_text(cyclic_csv(), encoding="utf-8")
    assert main(["counts", str(diary)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["unit"] == "cells/µL"
    assert out["estimate"]["status"] == "cycle"
    assert abs(out["estimate"]["period_days"] - 21) <= 1
    assert out["problems"] == []
    assert 0 < out["counts"][0]["anc_e9_per_l"] < 100


def test_cli_asks_for_the_date_order_of_an_ambiguous_file(tmp_path: Path, capsys):
    diary = tmp_path / "counts.csv"
    diary.write_text("date,anc\n03/04/2026,0.4\n05/06/2026,1.2\n", encoding="utf-8")
    assert main(["counts", str(diary), "--format", "csv"]) == 2
    assert "--date-order" in capsys.readouterr().err
    assert main(["counts", str(diary), "--format", "csv", "--date-order", "dmy"]) == 0
    assert "2026-04-03,0.4," in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"PK\x03\x04\x00\x00", "not a text CSV")],
)
def test_cli_explains_a_file_it_cannot_use(tmp_path: Path, capsys, content, message):
    diary = tmp_path / "counts.csv"
    diary.write_bytes(content)
    assert main(["counts", str(diary)]) == 1
    assert message in capsys.readouterr().err


def test_cli_writes_the_pdf_as_a_real_subprocess(tmp_path: Path):
    """The real entry point: JSON on stdout, the PDF where asked, nothing else written."""
    diary = tmp_path / "counts.csv"
    diary.write_text(cyclic_csv(10, 28), encoding="utf-8")
    pdf = tmp_path / "diary.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "counts", str(diary), "--pdf", str(pdf)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["estimate"]["status"] == "cycle"
    pages, text = text_of(pdf.read_bytes())
    assert pages == 1
    assert "rise and fall about every 2" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.csv", "diary.pdf"]
