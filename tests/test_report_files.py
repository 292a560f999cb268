"""Report files as they arrive from outside: other encodings, binary files, huge fields and
floods of warnings. Each file is read with what it says; nothing freezes the app or the CLI.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.pipeline import build_catalog
from explorer.reading.reports import MAX_FIELD_CHARS, MAX_REPEATED_WARNINGS, parse_report
from tests.conftest import BUNDLED_REPORT

ACCENTED_TITLE = "Neutropénie, Générale"
NETWORK = "National Neutropenia Network"
PREVIEW_LIMIT = 120
"""No warning may quote more than this many characters of the data."""


def bundled_text() -> str:
    return BUNDLED_REPORT.read_text(encoding="utf-8")


def with_discussion_opening(prose: str) -> str:
    """The bundled report with ``prose`` (and a blank line) first under General Discussion."""
    text = bundled_text()
    heading = "General Discussion\n"
    start = text.index(heading) + len(heading)
    return text[:start] + prose + "\n" + text[start:]


def add_report(data_dir: Path, name: str, content: bytes) -> str:
    """Put ``content`` into the data folder's reports as ``name``; its display name."""
    (data_dir / "reports" / name).write_bytes(content)
    return f"reports/{name}"


def issues_of(catalog, file: str) -> list:
    return [issue for issue in catalog.issues if issue.file == file]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_report_in_another_encoding_is_read_as_such(data_dir, encoding):
    """Latin-1, Windows-1252 and UTF-16 (with its byte order mark) give the same disorder as
    UTF-8 (accents intact, the same id) and one warning naming the encoding assumed."""
    text = bundled_text().replace("Neutropenia, General", ACCENTED_TITLE, 1)
    if encoding == "latin-1":
        text = text.replace("•", "-")  # Latin-1 has no bullet; "-" is a bullet to the parser
    (data_dir / "reports" / "neutropenia_general.txt").unlink()
    name = add_report(data_dir, "other.txt", text.encode(encoding))
    catalog = build_catalog(data_dir)
    [disorder] = catalog.disorders
    assert disorder.title == ACCENTED_TITLE
    assert disorder.id == "neutropenie-generale"
    assert len(disorder.organizations) == 7
    assert len(disorder.synonyms) >= 1
    assert not [o.name for o in catalog.organizations if "\ufffd" in o.name]
    [warning] = [i for i in issues_of(catalog, name) if "UTF-8" in i.message]
    assert warning.severity == "warning"
    assert any(label in warning.message for label in ("cp1252", "latin", "utf-16", "UTF-16"))
    assert "\ufffd" not in warning.message


def test_utf8_report_has_no_encoding_warning(data_dir):
    """A UTF-8 report (the normal case) is read without a word about its encoding."""
    catalog = build_catalog(data_dir)
    assert not [i for i in catalog.issues if "UTF-8" in i.message or "encoding" in i.message]


BINARIES = {
    "random": random.Random(19).randbytes(20_000),
    "compressed": zlib.compress(BUNDLED_REPORT.read_bytes() * 4),
    "zeros": bytes(50_000),
    "control-bytes": b"\x00\x01\x02 garbage\n" * 2000,
}


@pytest.mark.parametrize("kind", BINARIES)
def test_binary_file_is_one_clear_error(data_dir, kind):
    """A binary file in the reports folder is one error naming it, not a warning per line;
    the real report next to it is read as before."""
    name = add_report(data_dir, "binary.txt", BINARIES[kind])
    catalog = build_catalog(data_dir)
    [issue] = issues_of(catalog, name)
    assert issue.severity == "error"
    assert "not a text file" in issue.message
    assert len(catalog.disorders) == 1
    assert len(catalog.organizations) == 7


def test_huge_name_line_is_cut_and_previewed(data_dir, capsys):
    """A 1 MB organization name is cut to a sane length with a warning naming file and line;
    no warning and no CLI line quotes more than a short preview of it."""
    text = bundled_text()
    huge = "A" * 1_000_000
    name = add_report(data_dir, "huge.txt", text.replace(NETWORK, huge, 1).encode())
    catalog = build_catalog(data_dir)
    names = [o.name for o in catalog.organizations]
    assert max(len(n) for n in names) <= MAX_FIELD_CHARS
    assert huge not in names
    line = text.split("\n").index(NETWORK) + 1
    cut = [i for i in issues_of(catalog, name) if i.line == line and "cut" in i.message]
    assert len(cut) == 1
    assert "1,000,000" in cut[0].message
    assert max(len(i.message) for i in catalog.issues) <= 2 * PREVIEW_LIMIT
    assert main(["check", "--data", str(data_dir)]) == 0
    output = capsys.readouterr().out
    assert f"reports/huge.txt:{line}: warning" in output
    assert max(len(row) for row in output.splitlines()) <= 3 * PREVIEW_LIMIT


@pytest.mark.parametrize("field", ["Tel: 555", "1 Main Street", "Email: a@example.org"])
def test_huge_address_and_contact_lines_are_cut(field):
    """Address and contact lines are capped like names; the warning previews, not copies."""
    block = f"Org\n{field}{'9' * 500_000}\nBrighton, MI 48116\n"
    text = bundled_text().replace("For a Complete Report", f"{block}\nFor a Complete Report", 1)
    parsed = parse_report(text, file="reports/x.txt")
    org = next(o for o in parsed.disorder.organizations if o.name == "Org")
    values = [*org.address.lines, org.email, org.website, *(p.raw for p in org.phones)]
    assert max(len(value) for value in values) <= MAX_FIELD_CHARS
    assert max(len(issue.message) for issue in parsed.issues) <= 2 * PREVIEW_LIMIT
    assert [i for i in parsed.issues if "cut" in i.message]


def test_huge_paragraph_line_is_cut_but_kept(data_dir):
    """A megabyte on one line of the discussion is cut, with a warning; the report still loads."""
    name = add_report(data_dir, "para.txt", with_discussion_opening("x" * 2_000_000).encode())
    catalog = build_catalog(data_dir)
    disorder = next(d for d in catalog.disorders if d.source.file == name)
    assert max(len(p) for p in disorder.general_discussion) < 100_000
    assert [i for i in issues_of(catalog, name) if "cut" in i.message]


def test_repeated_warnings_are_capped_per_file():
    """A thousand lines with the same problem give a few examples and one summary, not 1,000."""
    sentence = "Sentence {} of this paragraph has a bell\x07 in the middle of it.\n"
    noisy = "".join(sentence.format(n) for n in range(1000))
    parsed = parse_report(with_discussion_opening(noisy), file="reports/x.txt")
    control = [i for i in parsed.issues if "control characters" in i.message]
    assert len(control) == MAX_REPEATED_WARNINGS + 1
    summary = control[-1]
    assert "1,000" in summary.message or str(1000 - MAX_REPEATED_WARNINGS) in summary.message
    assert len(parsed.disorder.organizations) == 7
    assert len(parsed.issues) < 50


def test_few_repeated_warnings_are_all_kept():
    """Under the cap every warning is kept as it was (no summary line)."""
    noisy = "A paragraph with a bell\x07 here, long enough to be a sentence of prose.\n" * 2
    parsed = parse_report(with_discussion_opening(noisy), file="reports/x.txt")
    control = [i for i in parsed.issues if "control characters" in i.message]
    assert [i.message for i in control] == ["control characters removed"] * 2
    assert not [i for i in parsed.issues if "more like this" in i.message]
    assert len(parsed.disorder.organizations) == 7


def test_long_quoting_warnings_are_shortened_and_still_grouped():
    """Warnings quoting long names are shortened, and many of them still count as one kind."""
    orgs = "".join(f"{'Nameless organization ' * 12}{n}\n\n" for n in range(20))
    parsed = parse_report(
        bundled_text().replace("For a Complete Report", f"{orgs}For a Complete Report", 1),
        file="reports/x.txt",
    )
    no_address = [i for i in parsed.issues if "has no address" in i.message]
    assert len(no_address) <= MAX_REPEATED_WARNINGS + 1
    assert max(len(i.message) for i in parsed.issues) <= 2 * PREVIEW_LIMIT
    assert "more warnings like this one" in no_address[-1].message
