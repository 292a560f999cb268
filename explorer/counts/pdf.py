"""The clinician's page: the chart, the counts, the estimate and its method, on one page.

Made with the take-away documents' machinery (:class:`explorer.takeaway.document.Document`:
the packaged font, footer, citation style). The chart is drawn with fpdf2's own lines and
rectangles, so no plotting library or image file is involved and nothing touches the disk.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from explorer.counts.cycle import MAX_PERIOD_DAYS, MIN_PERIOD_DAYS, REPORT_FAP, SEVERE, Estimate
from explorer.counts.notes import Note
from explorer.counts.records import Count, Problem
from explorer.subtypes import Reference
from explorer.takeaway.document import (
    APP_NAME,
    EMERGENCY_RED,
    GREY,
    MARGIN,
    NOTICE,
    Document,
    date_words,
)
from explorer.takeaway.text import FONT_FAMILY, printable

BANDS = ((0.0, 0.5, (250, 215, 215)), (0.5, 1.0, (252, 232, 205)), (1.0, 1.5, (252, 246, 205)))
"""×10⁹/L bands shaded on the chart: below 0.5, 0.5–1.0, 1.0–1.5 (as on the page)."""
TABLE_ROWS = 16
TABLE_COLUMNS = 5
MAX_TABLE_COUNTS = TABLE_ROWS * TABLE_COLUMNS
"""The most recent counts that fit the page; the diary CSV holds them all."""
CHART_HEIGHT = 55.0


@dataclass(frozen=True, slots=True)
class ClinicianPage:
    """Everything the page prints: checked counts, the rows left out, the estimate, the
    cited notes and fever rule, and the references they cite (numbered as on Subtypes)."""

    counts: tuple[Count, ...]
    problems: tuple[Problem, ...]
    estimate: Estimate
    unit_label: str
    notes: dict[str, Note]
    fever_rule: str
    references: tuple[tuple[int, Reference], ...]
    made: date


def method_text(estimate: Estimate) -> str:
    """How the estimate was made, for a clinician."""
    return (
        "Method: Lomb–Scargle periodogram for unevenly sampled data (Astropy "
        "LombScargle) on log(ANC + 0.05), periods "
        f"{MIN_PERIOD_DAYS:g}–{MAX_PERIOD_DAYS:g} days (at most 65 % of the time covered); "
        "false-alarm probability by Baluev's approximation; a cycle is reported when it is "
        f"below {REPORT_FAP:g}. Days below {SEVERE:g} per cycle = share of counts below "
        f"{SEVERE:g} × period. The next low window is the fitted sine's next minimum ± half "
        "those days (at least 3 days): an estimate, not a prediction. Tested on synthetic "
        "series (see the project README); counts taken on G-CSF, during infection or at "
        "irregular times can hide or imitate a rhythm."
    )


def _chart(pdf: Document, counts: Sequence[Count], top: float) -> None:
    left, width = MARGIN + 10, pdf.w - 2 * MARGIN - 12
    ceiling = max(3.0, max((c.anc for c in counts), default=0) * 1.1)
    first, last = counts[0].day, counts[-1].day
    days = max((last - first).days, 1)

    def y(anc: float) -> float:
        return top + CHART_HEIGHT - min(anc, ceiling) / ceiling * CHART_HEIGHT

    def x(day: date) -> float:
        return left + (day - first).days / days * width

    for low, high, colour in BANDS:
        pdf.set_fill_color(*colour)
        pdf.rect(left, y(high), width, y(low) - y(high), style="F")
    pdf.set_draw_color(120)
    pdf.set_line_width(0.2)
    pdf.rect(left, top, width, CHART_HEIGHT)
    pdf.set_font(FONT_FAMILY, "", 6.5)
    pdf.set_text_color(*GREY)
    for tick in (0.5, 1.0, 1.5, *range(2, int(ceiling) + 1)):
        pdf.set_xy(MARGIN, y(tick) - 1.5)
        pdf.cell(9, 3, f"{tick:g}", align="R")
    pdf.set_xy(left, top + CHART_HEIGHT + 0.5)
    pdf.cell(width / 2, 3, f"{first:%Y-%m-%d}")
    pdf.cell(width / 2, 3, f"{last:%Y-%m-%d}", align="R")
    pdf.set_text_color(0)
    pdf.set_draw_color(40, 70, 140)
    pdf.set_line_width(0.35)
    points = [(x(c.day), y(c.anc)) for c in counts]
    for start, end in itertools.pairwise(points):
        pdf.line(*start, *end)
    for count, (px, py) in zip(counts, points, strict=True):
        severe = count.anc < SEVERE
        pdf.set_fill_color(*(EMERGENCY_RED if severe else (40, 70, 140)))
        pdf.ellipse(px - 0.9, py - 0.9, 1.8, 1.8, style="F")
    pdf.set_y(top + CHART_HEIGHT + 4)


def _table(pdf: Document, counts: Sequence[Count], unit_label: str) -> None:
    shown = list(counts)[-MAX_TABLE_COUNTS:]
    if len(shown) < len(counts):
        pdf.paragraph(
            f"The {len(shown)} most recent of {len(counts)} counts (all are in the diary CSV).",
            7,
            color=GREY,
        )
    column_width = (pdf.w - 2 * MARGIN) / TABLE_COLUMNS
    top = pdf.get_y()
    pdf.set_font(FONT_FAMILY, "", 7)
    for index, count in enumerate(shown):
        column, row = divmod(index, TABLE_ROWS)
        pdf.set_xy(MARGIN + column * column_width, top + row * 3.4)
        flag = " *" if count.anc < SEVERE else ""
        pdf.cell(column_width, 3.4, f"{count.day:%Y-%m-%d}   {count.anc:.2f}{flag}")
    pdf.set_y(top + min(len(shown), TABLE_ROWS) * 3.4 + 1)
    pdf.paragraph(
        f"Counts in ×10⁹/L (converted from {printable(unit_label)} where needed); * below "
        f"{SEVERE:g}.",
        7,
        color=GREY,
    )


def clinician_pdf(page: ClinicianPage, *, paper: str = "A4") -> bytes:
    """The one-page clinician summary as PDF bytes (no name: the PDF names no one)."""
    made = date_words(page.made)
    pdf = Document(
        paper=paper,
        title="Neutrophil count diary",
        made=page.made,
        footer=f"Count diary made {made} · {NOTICE}",
    )
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.heading("Neutrophil count diary: counts and what they show", 14)
    pdf.paragraph(
        f"Made {made} with the {APP_NAME} from counts entered by the patient or family. "
        "For information only; not medical advice and not a diagnosis.",
        8,
        color=GREY,
    )
    pdf.paragraph(printable(page.fever_rule, limit=400), 8.5, style="B", color=EMERGENCY_RED)
    if page.counts:
        _chart(pdf, page.counts, pdf.get_y() + 2)
        pdf.paragraph(
            "Shaded: below 0.5, 0.5–1.0 and 1.0–1.5 ×10⁹/L; red points are below 0.5. "
            + page.notes["bands"].display,
            7,
            color=GREY,
        )
    pdf.heading("What the counts show", 11)
    pdf.paragraph(page.estimate.summary(), 8.5)
    if page.estimate.next_low:
        start, end = page.estimate.next_low
        pdf.paragraph(
            f"If the rhythm continues, the next low counts would fall around {start:%d %b} – "
            f"{end:%d %b %Y} (an estimate from the counts, not a prediction).",
            8.5,
        )
    pdf.paragraph(page.notes["sampling"].display, 7.5, color=GREY)
    pdf.paragraph(method_text(page.estimate), 7, color=GREY)
    if page.problems:
        pdf.paragraph(
            f"{len(page.problems)} row(s) of the diary were not used (duplicates, impossible "
            "values or dates, unreadable rows); they are listed in the diary CSV.",
            7,
            color=GREY,
        )
    if page.counts:
        pdf.heading("Counts", 11)
        _table(pdf, page.counts, page.unit_label)
    pdf.heading("References", 9)
    pdf.references(page.references, 6.5, notes=False)
    return bytes(pdf.output())
