"""``python -m explorer counts FILE.csv``: the diary's checks and estimate from a shell.

The same functions as the page, so a file gives the same answer in both. Output goes to
stdout (JSON or the normalised diary CSV) and, with ``--pdf``, to the PDF the user names;
nothing else is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from explorer.counts.diary import diary_csv
from explorer.counts.reading import read_upload
from explorer.counts.records import DATE_ORDERS, UNITS
from explorer.counts.report import Analysis, analyse, clinician_page, load_words


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Declare the ``counts`` subcommand on the main parser's subcommands."""
    counts = commands.add_parser("counts", help="check a count diary CSV and look for a cycle")
    counts.add_argument("file", type=Path, help="a CSV of dates and neutrophil counts")
    counts.add_argument("--format", choices=("json", "csv"), default="json")
    counts.add_argument("--unit", choices=tuple(UNITS), default=None, help="override the unit")
    counts.add_argument(
        "--date-order", choices=tuple(DATE_ORDERS), default=None, help="for 03/04/2026 dates"
    )
    counts.add_argument("--pdf", type=Path, default=None, help="also write the clinician PDF")
    return counts


def as_json(analysis: Analysis, problems: list) -> str:
    """The checked counts, every row left out (with its line), and the estimate."""
    estimate = analysis.estimate
    return json.dumps(
        {
            "unit": UNITS[analysis.unit].label,
            "unit_reason": analysis.unit_reason,
            "counts": [
                {"date": f"{c.day:%Y-%m-%d}", "anc_e9_per_l": round(c.anc, 4), "line": c.line}
                for c in analysis.checked.counts
            ],
            "problems": [
                {"line": p.line, "message": p.message, "date": p.raw_date, "count": p.raw_value}
                for p in sorted(problems, key=lambda p: p.line)
            ],
            "estimate": {
                "status": estimate.status,
                "summary": estimate.summary(),
                "period_days": estimate.period_days,
                "false_alarm_probability": estimate.false_alarm,
                "days_below_0_5_per_cycle": estimate.days_below_per_cycle,
                "next_low": [f"{d:%Y-%m-%d}" for d in estimate.next_low or ()],
            },
        },
        ensure_ascii=False,
        indent=2,
    )


def run(args: argparse.Namespace, data_dir: Path, *, today: date | None = None) -> int:
    """Run the subcommand; 0 done, 1 the file or data cannot be used, 2 dates need an order."""
    today = today or date.today()
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    upload = read_upload(raw, date_order=args.date_order)
    if upload.message:
        print(f"error: {upload.message}", file=sys.stderr)
        return 1
    if upload.needs_date_order:
        print(
            f"error: dates such as {', '.join(upload.ambiguous_dates)} read both day first and "
            "month first: give --date-order dmy or --date-order mdy",
            file=sys.stderr,
        )
        return 2
    analysis = analyse(upload.entries, header_unit=upload.header_unit, unit=args.unit, today=today)
    problems = [*upload.problems, *analysis.checked.problems]
    if args.format == "json":
        print(as_json(analysis, problems))
    else:
        text = diary_csv(upload.entries, upload.problems, analysis.checked, analysis.unit)
        sys.stdout.write(text.decode("utf-8-sig"))
    print(f"# unit {UNITS[analysis.unit].label}: {analysis.unit_reason}", file=sys.stderr)
    for problem in problems:
        print(f"# line {problem.line}: {problem.message}", file=sys.stderr)
    if args.pdf is not None:
        words, issues = load_words(data_dir)
        if words is None:
            for issue in issues:
                print(f"error: {issue}", file=sys.stderr)
            return 1
        from explorer.counts.pdf import clinician_pdf  # fpdf2: only when a PDF is asked for

        args.pdf.write_bytes(clinician_pdf(clinician_page(analysis, words, made=today)))
        print(f"wrote {args.pdf}", file=sys.stderr)
    return 0
