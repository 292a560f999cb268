"""The visit summary as PDF bytes: the forms compared, support organizations, the words used
and numbered references."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

from explorer.subtypes import Reference
from explorer.takeaway.document import (
    APP_NAME,
    EMERGENCY_RED,
    GREY,
    MARGIN,
    NOTICE,
    Document,
    compact_citation,
    date_words,
)
from explorer.takeaway.records import Cited, VisitSummary
from explorer.takeaway.text import FONT_FAMILY, needs_shaping, printable


def _reference_columns(pdf: FPDF, references: Sequence[tuple[int, Reference]], size: float):
    """Numbered citations in two balanced columns, each URL a link: a long list takes
    half the height it would in one column."""
    pdf.set_font(FONT_FAMILY, "", size)
    with pdf.text_columns(ncols=2, gutter=6, balance=True, line_height=1.1) as columns:
        for number, reference in references:
            paragraph = columns.paragraph(bottom_margin=0.8)
            pdf.set_text_color(0)
            paragraph.write(f"[{number}] {printable(compact_citation(reference), limit=500)} ")
            pdf.set_text_color(0, 0, 160)
            paragraph.write(reference.url, link=reference.url)
            columns.end_paragraph()
    pdf.set_text_color(0)


def _cited_cell(cited: Cited) -> str:
    return printable(cited.display, limit=2000)


def visit_summary_pdf(summary: VisitSummary, *, paper: str = "A4") -> bytes:
    """The visit summary as PDF bytes: forms compared, organizations, glossary, references.

    Tables repeat their heading row on every page they run onto, and a row is never
    split across pages.
    """
    made = date_words(summary.made)
    pdf = Document(
        paper=paper,
        title="Neutropenia visit summary",
        made=summary.made,
        footer=f"Visit summary made {made} · {NOTICE}",
        shaping=needs_shaping(
            [summary.place_label]
            + [text for org in summary.organizations for text in (org.name, *org.address)]
        ),
    )
    pdf.add_page()
    pdf.heading("Visit summary: forms of neutropenia and where to find support", 15)
    pdf.paragraph(
        f"Made {made} with the {APP_NAME}. For information only; not medical advice. "
        "Talk to your care team.",
        9,
        color=GREY,
    )
    pdf.ln(2)
    pdf.set_draw_color(*EMERGENCY_RED)
    top = pdf.get_y()
    for line in summary.fever_rule:
        pdf.paragraph(line.display, 10, style="B", color=EMERGENCY_RED)
    pdf.rect(MARGIN - 2, top - 1.5, pdf.w - 2 * MARGIN + 4, pdf.get_y() - top + 3)
    pdf.set_draw_color(0)
    pdf.ln(3)

    title = "Forms compared: " + ", ".join(printable(form) for form in summary.forms)
    pdf.heading(title + (" (only rows that differ)" if summary.only_differences else ""))
    pdf.paragraph(f"Table last reviewed {date_words(summary.last_reviewed)}.", 8, color=GREY)
    pdf.ln(1)
    if summary.rows:
        _table(
            pdf,
            ("", *summary.forms),
            [(row.label, *(_cited_cell(c) for c in row.cells)) for row in summary.rows],
            first_width=28,
            size=7.8 if len(summary.forms) <= 2 else 7,
        )
    else:
        pdf.paragraph("No rows to show: the chosen forms agree on every row shown.", 9)
    pdf.ln(1)
    pdf.paragraph(_cited_cell(summary.classification), 8, color=GREY)

    where = f" near {printable(summary.place_label)}" if summary.place_label else ""
    pdf.heading(f"Support organizations{where}")
    if summary.organizations:
        rows = [
            (
                "\n".join([printable(org.name, limit=200), *(printable(a) for a in org.address)]),
                "\n".join(
                    f"{c.kind}: {printable(c.value)}" + ("" if c.checked else " (as printed)")
                    for c in org.contacts
                ),
                "" if org.distance_km is None else f"{org.distance_km:,.0f} km",
                printable(org.currency_note, limit=300),
            )
            for org in summary.organizations
        ]
        _table(
            pdf,
            ("Organization", "How to reach", "Distance", "How current"),
            rows,
            widths=(50, 58, 16, 56),
        )
        pdf.paragraph(
            "Contact details may be out of date: check with an organization before relying "
            "on them.",
            8,
            color=GREY,
        )
    else:
        pdf.paragraph("No organization matches the current filters.", 9)

    if summary.glossary:
        pdf.heading("Words used")
        for entry in summary.glossary:
            pdf.set_font(FONT_FAMILY, "B", 7.5)
            pdf.write(3.3, f"{printable(entry.term)}: ")
            pdf.set_font(FONT_FAMILY, "", 7.5)
            pdf.write(3.3, _cited_cell(entry.definition))
            pdf.ln(4)
    pdf.heading("References")
    _reference_columns(pdf, summary.references, 6.5)
    return bytes(pdf.output())


def _table(
    pdf: FPDF,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float] | None = None,
    first_width: float = 0,
    size: float = 7.8,
) -> None:
    """A table whose heading row repeats on each page; rows never split across pages."""
    usable = pdf.w - 2 * MARGIN
    if widths is None:
        rest = (usable - first_width) / (len(headings) - 1)
        widths = (first_width, *([rest] * (len(headings) - 1)))
    pdf.set_font(FONT_FAMILY, "", size)
    with pdf.table(
        col_widths=tuple(widths),
        width=usable,
        line_height=size * 0.44,
        text_align="LEFT",
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        padding=1,
    ) as table:
        header = table.row()
        for heading in headings:
            header.cell(printable(heading))
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
