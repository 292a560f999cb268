"""Reading a count diary from a file: units, decimal commas, date orders, bad files, and
rows that cannot be used (each listed with its line, none lost)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from explorer.counts import (
    DAY_FIRST,
    MAX_UPLOAD_BYTES,
    MONTH_FIRST,
    Entry,
    check_entries,
    guess_unit,
    read_upload,
)
from explorer.counts.diary import diary_csv
from explorer.counts.reading import unit_from_header

TODAY = date(2026, 6, 1)


def data_rows(text: bytes) -> int:
    """Non-blank rows after the header: what must come back as counts or problems."""
    return sum(1 for line in text.decode("utf-8-sig").splitlines()[1:] if line.strip())


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("ANC (x10^9/L)", "e9_per_l"),
        ("ANC ×10⁹/L", "e9_per_l"),
        ("Neutrophils (G/L)", "e9_per_l"),
        ("ANC (10^3/uL)", "e3_per_ul"),
        ("Neut abs K/µL", "e3_per_ul"),
        ("ANC x10³/μL", "e3_per_ul"),
        ("ANC (cells/uL)", "cells_per_ul"),
        ("Neutrophils cells/mcL", "cells_per_ul"),
        ("ANC /mm3", "per_mm3"),
        ("ANC (/mm³)", "per_mm3"),
    ],
)
def test_every_unit_is_recognised_from_the_header(header: str, unit: str):
    """The count column's header decides the unit, and the page is told so."""
    upload = read_upload(f"date,{header}\n2026-03-02,0.4\n".encode())
    assert upload.header_unit == unit
    chosen, reason = guess_unit(upload.header_unit, [0.4])
    assert chosen == unit
    assert "header" in reason


def test_a_bare_header_names_no_unit():
    assert unit_from_header("ANC") is None
    assert unit_from_header("result") is None


@pytest.mark.parametrize(
    ("values", "unit", "anc"),
    [(["0.4", "1.6"], "e9_per_l", 0.4), (["400", "1600"], "cells_per_ul", 0.4)],
)
def test_without_a_unit_in_the_header_the_magnitude_decides(values, unit, anc):
    """0.4 reads as ×10⁹/L, 400 as cells/µL: both are the same count."""
    text = "date,anc\n" + "".join(f"2026-03-0{i + 2},{v}\n" for i, v in enumerate(values))
    upload = read_upload(text.encode())
    chosen, reason = guess_unit(upload.header_unit, [e.value for e in upload.entries])
    assert chosen == unit
    assert "header" not in reason
    checked = check_entries(upload.entries, chosen, today=TODAY)
    assert checked.counts[0].anc == pytest.approx(anc)


def test_the_user_can_change_the_unit():
    """Read as cells/µL on request, 0.4 becomes 0.0004 ×10⁹/L (not an error)."""
    upload = read_upload(b"date,anc\n2026-03-02,400\n")
    assert check_entries(upload.entries, "per_mm3", today=TODAY).counts[0].anc == 0.4
    assert check_entries(upload.entries, "e9_per_l", today=TODAY).problems  # 400 ×10⁹/L


@pytest.mark.parametrize(
    "text",
    [
        "Datum;ANC\n02.03.2026;0,4\n16.03.2026;1,25\n",
        'date,anc\n2026-03-02,"0,4"\n2026-03-16,"1,25"\n',
        "date\tanc\n2026-03-02\t0,4\n2026-03-16\t1,25\n",
    ],
    ids=["semicolon", "quoted-comma", "tab"],
)
def test_decimal_commas(text: str):
    upload = read_upload(text.encode())
    assert [e.value for e in upload.entries] == [0.4, 1.25]
    assert not upload.problems


def test_thousands_separators_in_cells_per_microlitre():
    upload = read_upload(b'date,ANC (cells/uL)\n2026-03-02,"1,200"\n2026-03-04,350\n')
    assert [e.value for e in upload.entries] == [1200, 350]


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("2026-03-04\n2026-03-25", None),
        ("2026-03-04T08:30:00\n2026-03-25 09:00", None),
        ("2026/03/04\n2026/03/25", None),
        ("04/03/2026\n25/03/2026", DAY_FIRST),
        ("04.03.2026\n25.03.2026", DAY_FIRST),
        ("03/04/2026\n03/25/2026", MONTH_FIRST),
        ("03-04-2026 08:00\n03-25-2026 08:00", MONTH_FIRST),
        ("4 Mar 2026\n25 March 2026", None),
        ("Mar 4 2026\nMarch 25 2026", None),
    ],
    ids=["iso", "iso-time", "iso-slash", "eu", "eu-dots", "us", "us-dashes", "named", "us-named"],
)
def test_date_formats(text: str, order: str | None):
    """ISO, European and US dates; a day above 12 settles the order, and says so."""
    rows = "".join(f"{day},0.{i + 4}\n" for i, day in enumerate(text.splitlines()))
    upload = read_upload(("date,anc\n" + rows).encode())
    assert not upload.needs_date_order
    assert [e.day for e in upload.entries] == [date(2026, 3, 4), date(2026, 3, 25)]
    assert upload.date_order == order
    if order:
        assert "can only be read" in upload.date_reason


def test_an_ambiguous_file_is_named_and_the_user_decides():
    """03/04/2026 and 05/06/2026 read both ways: nothing is guessed until the user says."""
    text = b"date,anc\n03/04/2026,0.4\n05/06/2026,1.2\n"
    upload = read_upload(text)
    assert upload.needs_date_order
    assert upload.ambiguous_dates == ("03/04/2026", "05/06/2026")
    assert not upload.entries
    day_first = read_upload(text, date_order=DAY_FIRST)
    month_first = read_upload(text, date_order=MONTH_FIRST)
    assert [e.day for e in day_first.entries] == [date(2026, 4, 3), date(2026, 6, 5)]
    assert [e.day for e in month_first.entries] == [date(2026, 3, 4), date(2026, 5, 6)]
    assert day_first.date_reason == "chosen by you"


def test_a_file_mixing_both_orders_asks_and_lists_the_rows_that_do_not_fit():
    text = b"date,anc\n25/03/2026,0.4\n03/25/2026,1.2\n"
    assert read_upload(text).needs_date_order
    upload = read_upload(text, date_order=DAY_FIRST)
    assert [e.line for e in upload.entries] == [2]
    assert [(p.line, p.raw_date) for p in upload.problems] == [(3, "03/25/2026")]


@pytest.mark.parametrize("text", [b"", b"   \n\n", b"\xef\xbb\xbf"], ids=["zero", "blank", "bom"])
def test_an_empty_file_gets_a_clear_message(text: bytes):
    upload = read_upload(text)
    assert upload.message == "The file is empty: there are no counts in it."
    assert not upload.entries


def test_a_header_without_rows_gets_a_clear_message():
    assert "no counts under it" in read_upload(b"date,anc\n").message


def test_a_10_mb_file_gets_a_clear_message_and_is_not_read():
    """A 10 MB file is refused with its size and the limit, before any parsing."""
    row = b"2026-03-02,0.4\n"
    text = b"date,anc\n" + row * (10_000_000 // len(row))
    upload = read_upload(text)
    assert "10.0 MB" in upload.message
    assert f"{MAX_UPLOAD_BYTES / 1_000_000:.1f} MB" in upload.message
    assert not upload.entries


@pytest.mark.parametrize(
    "blob",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(256)) * 8,
    ],
    ids=["pdf", "xlsx", "bytes"],
)
def test_a_binary_file_gets_a_clear_message(blob: bytes):
    upload = read_upload(blob)
    assert upload.message.startswith("This is not a text CSV file")
    assert not upload.entries


def test_problem_rows_are_listed_with_their_line_and_nothing_is_lost():
    """Unreadable, duplicated, negative, impossible and future rows are each listed with
    their line; every data row is either a count or a problem, and the diary CSV keeps
    them all."""
    text = (
        b"date,anc (x10^9/L)\n"
        b"2026-03-02,0.4\n"  # 2: kept
        b"2026-03-04,-0.2\n"  # 3: negative
        b"2026-03-06,250\n"  # 4: impossible
        b"2026-03-02,0.5\n"  # 5: second count on a date
        b"2027-01-01,1.0\n"  # 6: future
        b"not a date,1.0\n"  # 7: unreadable date
        b"2026-03-09,n/a\n"  # 8: not a number
        b"2026-03-11\n"  # 9: no count
        b"2026-03-13,1.1\n"  # 10: kept
    )
    upload = read_upload(text)
    checked = check_entries(upload.entries, "e9_per_l", today=TODAY)
    assert [c.line for c in checked.counts] == [2, 10]
    problems = {p.line: p.message for p in (*upload.problems, *checked.problems)}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert "negative" in problems[3]
    assert "is the unit right" in problems[4]
    assert "line 2 is kept" in problems[5]
    assert "future" in problems[6]
    assert "not a date" in problems[7]
    assert "not a number" in problems[8]
    assert len(checked.counts) + len(problems) == data_rows(text)
    diary = diary_csv(upload.entries, upload.problems, checked, "e9_per_l")
    assert data_rows(diary) == data_rows(text)


def test_the_diary_csv_reads_back_the_same_and_keeps_formulas_inert():
    """Written and read again, the diary gives the same counts and problems; a cell that
    a spreadsheet would run is written with a leading quote."""
    text = b"date,ANC (cells/uL)\n2026-03-02,400\n=HYPERLINK(1),2\n2026-03-04,-5\n"
    upload = read_upload(text)
    checked = check_entries(upload.entries, "cells_per_ul", today=TODAY)
    diary = diary_csv(upload.entries, upload.problems, checked, "cells_per_ul")
    rows = list(csv.reader(io.StringIO(diary.decode("utf-8-sig"))))
    assert rows[0] == ["date", "anc (cells/µL)", "note"]
    assert all(not cell.startswith(("=", "-", "+", "@")) for row in rows for cell in row)
    again = read_upload(diary)
    assert again.header_unit == "cells_per_ul"
    rechecked = check_entries(again.entries, "cells_per_ul", today=TODAY)
    assert rechecked.counts == checked.counts
    assert len(again.problems) + len(rechecked.problems) == 2


def test_typed_rows_are_checked_the_same_way_and_blank_rows_are_skipped():
    entries = [
        Entry(1, date(2026, 3, 2), 0.4),
        Entry(2, None, None),
        Entry(3, date(2026, 3, 4), None),
        Entry(4, None, 0.7),
    ]
    checked = check_entries(entries, "e9_per_l", today=TODAY)
    assert [c.line for c in checked.counts] == [1]
    assert [(p.line, p.message) for p in checked.problems] == [
        (3, "the date has no count"),
        (4, "the count has no date"),
    ]
