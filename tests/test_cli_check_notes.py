"""``python -m explorer check`` checks the count diary's cited lines (``counts/notes.csv``)
like every other curated file: each problem with its file and line, a file saved by a
spreadsheet read as the original."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.counts.notes import NOTE_KEYS, load_notes
from explorer.subtypes import load_subtypes

NOTES = Path("counts") / "notes.csv"


def check(capsys, data: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", "--data", str(data)])
    return code, capsys.readouterr().out


def test_check_names_the_file_and_line_of_an_uncited_note(data_dir: Path, capsys):
    lines = (data_dir / NOTES).read_text(encoding="utf-8").splitlines()
    sampling = next(n for n, line in enumerate(lines, start=1) if line.startswith("sampling,"))
    lines[sampling - 1] = "sampling,Counts every day for a month.,"
    (data_dir / NOTES).write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = check(capsys, data_dir)
    assert code == 1
    assert f"counts/notes.csv:{sampling}: error: line has no citation" in out
    assert "counts/notes.csv:1: error: the 'sampling' line is missing" in out


def test_check_reports_a_row_it_cannot_read_with_its_line(data_dir: Path, capsys):
    with (data_dir / NOTES).open("a", encoding="utf-8") as handle:
        handle.write("extra,One more line.,scnir_cyclic,a fourth field\n")
    added = len((data_dir / NOTES).read_text(encoding="utf-8").splitlines())
    code, out = check(capsys, data_dir)
    assert code == 1
    assert f"counts/notes.csv:{added}: error: expected 3 fields, found 4" in out


def test_a_note_with_an_unknown_key_or_given_twice_is_a_warning(data_dir: Path):
    text = (data_dir / NOTES).read_text(encoding="utf-8")
    sampling = next(line for line in text.splitlines() if line.startswith("sampling,"))
    (data_dir / NOTES).write_text(f"{text}{sampling}\nsampl,Typo.,scnir_cyclic\n", "utf-8")
    subtypes, _ = load_subtypes(data_dir)
    notes, issues = load_notes(data_dir, subtypes)
    assert set(notes) == set(NOTE_KEYS)
    assert [(i.line, i.severity) for i in issues] == [(4, "warning"), (5, "warning")]
    assert "given twice" in issues[0].message
    assert "unknown key 'sampl'" in issues[1].message


@pytest.mark.parametrize(
    "save",
    [
        lambda text: ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"),
        lambda text: text.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["bom-crlf", "cr-only"],
)
def test_notes_saved_by_a_spreadsheet_check_as_the_original(data_dir: Path, capsys, save):
    code, original = check(capsys, data_dir)
    path = data_dir / NOTES
    path.write_bytes(save(path.read_text(encoding="utf-8")))
    subtypes, _ = load_subtypes(data_dir)
    notes, issues = load_notes(data_dir, subtypes)
    assert (set(notes), issues) == (set(NOTE_KEYS), [])
    assert check(capsys, data_dir) == (code, original)
