"""The fever card (wallet or full page) and the visit summary as PDF bytes, with ``fpdf2``.

Pure functions: plain records in, bytes out, nothing read from or written to disk but
the packaged font. Every piece of text goes through :func:`~explorer.takeaway.text.printable`
and is printed as text (no Markdown, no HTML), so a name like ``<b>`` prints as typed.
The PDF's metadata names the document, never the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.fonts import FontFace

from explorer.subtypes import Reference
from explorer.takeaway.records import (
    LAYOUTS,
    WALLET,
    CardContent,
    CardDetails,
    Cited,
    VisitSummary,
)
from explorer.takeaway.text import FONT_FAMILY, FONT_FILES, font_path, needs_shaping, printable

APP_NAME = "Neutropenia Resource Explorer"
NOTICE = "Not medical advice: follow your care team's plan."
CARD_TITLE = "Neutropenia: fever is an emergency"
EMERGENCY_RED = (170, 0, 28)
GREY = (90, 90, 90)
CARD_WIDTH, CARD_HEIGHT = 85.6, 54.0
"""ISO/IEC 7810 ID-1 (credit-card) size, in mm: the wallet card folds to this."""
CARD_PADDING = 3.0
MARGIN = 15.0
WRITE_IN = "_" * 24
"""Printed for a field left empty, so it can be filled in by hand."""


class _Document(FPDF):
    """FPDF with the packaged Unicode font, text shaping and a footer on every page."""

    def __init__(
        self, *, paper: str, title: str, made: date, footer: str, shaping: bool = False
    ) -> None:
        super().__init__(format=paper, unit="mm")
        for style in FONT_FILES:
            self.add_font(FONT_FAMILY, style, font_path(style))
        if shaping:
            self.set_text_shaping(True)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_title(title)
        self.set_creator(APP_NAME)
        self.set_creation_date(datetime.combine(made, time(), tzinfo=UTC))
        self.footer_text = footer

    def footer(self) -> None:
        self.set_y(-MARGIN + 4)
        self.set_font(FONT_FAMILY, size=7)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: float = 12) -> None:
        self.ln(2)
        self.set_font(FONT_FAMILY, "B", size)
        self.multi_cell(
            0, size * 0.5, printable(text, limit=300), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(1)

    def paragraph(self, text: str, size: float = 9, *, style: str = "", color=(0, 0, 0)) -> None:
        self.set_font(FONT_FAMILY, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)

    def references(
        self, references: Sequence[tuple[int, Reference]], size: float, *, notes: bool = True
    ) -> None:
        """Numbered citations, each with its URL as a link (and, with ``notes``, what the
        source says or where it was read)."""
        for number, reference in references:
            self.set_font(FONT_FAMILY, "", size)
            line = f"[{number}] {printable(_compact_citation(reference), limit=500)} "
            self.write(size * 0.45, line)
            self.set_text_color(0, 0, 160)
            self.write(size * 0.45, reference.url, link=reference.url)
            self.set_text_color(0)
            if notes and reference.note:
                self.write(size * 0.45, f" ({printable(reference.note, limit=500)})")
            self.ln(size * 0.5)


def _reference_columns(pdf: FPDF, references: Sequence[tuple[int, Reference]], size: float):
    """Numbered citations in two balanced columns, each URL a link: a long list takes
    half the height it would in one column."""
    pdf.set_font(FONT_FAMILY, "", size)
    with pdf.text_columns(ncols=2, gutter=6, balance=True, line_height=1.1) as columns:
        for number, reference in references:
            paragraph = columns.paragraph(bottom_margin=0.8)
            pdf.set_text_color(0)
            paragraph.write(f"[{number}] {printable(_compact_citation(reference), limit=500)} ")
            pdf.set_text_color(0, 0, 160)
            paragraph.write(reference.url, link=reference.url)
            columns.end_paragraph()
    pdf.set_text_color(0)


def _compact_citation(reference: Reference) -> str:
    """The reference's citation with a long author list cut to the first author, "et al."."""
    authors = [name.strip() for name in reference.authors.split(",") if name.strip()]
    if len(authors) > 3:
        authors = [authors[0], "et al."]
    parts = [" ".join(authors), reference.title, reference.publisher, reference.year]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."


def _made(made: date) -> str:
    return f"{made.day} {made:%B %Y}"


def _gcsf(details: CardDetails) -> str:
    """``Yes, 5 µg/kg daily``, ``No``, the dose alone if the question was skipped, or ``""``."""
    dose = printable(details.gcsf_dose)
    if details.takes_gcsf is None:
        return dose
    if not details.takes_gcsf:
        return "No"
    return f"Yes, {dose}" if dose else "Yes"


def card_fields(details: CardDetails) -> tuple[tuple[str, str], ...]:
    """The card's (label, value) pairs, in print order; values made printable."""
    return (
        ("Name", printable(details.first_name)),
        ("Form of neutropenia", printable(details.form)),
        ("Usual neutrophil count (ANC)", printable(details.usual_anc)),
        ("Takes G-CSF", _gcsf(details)),
        ("Care team", printable(details.care_team)),
        ("Care team phone", printable(details.care_team_phone)),
        ("Hospital to go to", printable(details.hospital)),
    )


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _short_citation(reference: Reference) -> str:
    """``Freifeld AG et al. Clinical Infectious Diseases 52(4):e56-e93, 2011. doi.org/…``."""
    lead = reference.authors.split(",")[0].strip()
    lead = f"{lead} et al. " if "," in reference.authors else (f"{lead}. " if lead else "")
    publisher = reference.publisher.split(",")[0].strip()
    address = reference.url.split("://", 1)[-1]
    return f"{lead}{publisher}, {reference.year}. {address}"


def _wallet_front(pdf: FPDF, x: float, y: float, details: CardDetails, content: CardContent):
    inner = CARD_WIDTH - 2 * CARD_PADDING
    pdf.set_fill_color(*EMERGENCY_RED)
    pdf.rect(x, y, CARD_WIDTH, 7.5, style="F")
    pdf.set_xy(x, y + 1.2)
    pdf.set_font(FONT_FAMILY, "B", 8.5)
    pdf.set_text_color(255)
    pdf.cell(CARD_WIDTH, 5, CARD_TITLE.upper(), align="C")
    pdf.set_text_color(*EMERGENCY_RED)
    pdf.set_xy(x + CARD_PADDING, y + 9)
    pdf.set_font(FONT_FAMILY, "B", 6.2)
    if content.fever_rule:
        pdf.multi_cell(
            inner, 2.7, content.fever_rule[0].display, align="L", new_x="LEFT", new_y="NEXT"
        )
    pdf.set_text_color(0)
    pdf.set_y(pdf.get_y() + 1)
    for label, value in card_fields(details):
        pdf.set_x(x + CARD_PADDING)
        pdf.set_font(FONT_FAMILY, "B", 6.5)
        label_text = f"{label}: "
        label_width = pdf.get_string_width(label_text)
        pdf.cell(label_width, 3.6, label_text)
        pdf.set_font(FONT_FAMILY, "", 6.5)
        pdf.cell(inner - label_width, 3.6, _fit(pdf, value or WRITE_IN, inner - label_width))
        pdf.ln(3.6)


def _wallet_back(pdf: FPDF, x: float, y: float, content: CardContent, made: date):
    inner = CARD_WIDTH - 2 * CARD_PADDING
    pdf.set_xy(x + CARD_PADDING, y + 2.5)
    pdf.set_font(FONT_FAMILY, "B", 6.5)
    pdf.cell(inner, 3, "For the emergency team")
    pdf.ln(3.5)
    pdf.set_font(FONT_FAMILY, "", 6.2)
    for line in (*content.first_steps, *content.fever_rule[1:]):
        pdf.set_x(x + CARD_PADDING)
        pdf.multi_cell(inner, 2.9, f"• {line.display}", align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 0.8)
    pdf.set_font(FONT_FAMILY, "", 4.8)
    pdf.set_text_color(*GREY)
    for number, reference in content.references:
        pdf.set_x(x + CARD_PADDING)
        text = f"[{number}] {printable(_short_citation(reference), limit=300)}"
        pdf.multi_cell(inner, 2.3, text, align="L", new_x="LEFT", new_y="NEXT", link=reference.url)
    pdf.set_text_color(*EMERGENCY_RED)
    pdf.set_font(FONT_FAMILY, "B", 5.5)
    pdf.set_xy(x + CARD_PADDING, y + CARD_HEIGHT - 5.5)
    pdf.cell(inner, 2.5, NOTICE)
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT_FAMILY, "", 4.2)
    pdf.set_xy(x + CARD_PADDING, y + CARD_HEIGHT - 3)
    pdf.cell(inner, 2, f"Made {_made(made)} with the {APP_NAME}.")
    pdf.set_text_color(0)


def _wallet_card(pdf: _Document, details: CardDetails, content: CardContent, made: date) -> None:
    """Front and back side by side: cut along the solid outline, fold on the dashed line."""
    pdf.add_page()
    pdf.heading("Your neutropenia fever card (wallet size)", 13)
    pdf.paragraph(
        "Print at actual size (100 %, no “fit to page”). Cut along the solid outline, fold "
        "along the dashed line, and keep it with your ID. The card is 85.6 × 54 mm when folded.",
        9,
    )
    x = (pdf.w - 2 * CARD_WIDTH) / 2
    y = pdf.get_y() + 8
    pdf.set_draw_color(120)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, 2 * CARD_WIDTH, CARD_HEIGHT)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1.5, gap=1.2)
        pdf.line(x + CARD_WIDTH, y - 4, x + CARD_WIDTH, y + CARD_HEIGHT + 4)
    pdf.set_font(FONT_FAMILY, "", 7)
    pdf.set_text_color(*GREY)
    pdf.set_xy(x, y - 5)
    pdf.cell(CARD_WIDTH - 2, 4, "✂ cut along the solid line")
    pdf.set_xy(x + CARD_WIDTH, y + CARD_HEIGHT + 1)
    pdf.cell(CARD_WIDTH, 4, "fold here", align="L")
    pdf.set_text_color(0)
    _wallet_front(pdf, x, y, details, content)
    _wallet_back(pdf, x + CARD_WIDTH, y, content, made)


def _full_page_card(
    pdf: _Document, details: CardDetails, content: CardContent, scale: float
) -> None:
    """The card on one page; ``scale`` shrinks every font when long entries need room."""
    pdf.add_page()
    pdf.set_fill_color(*EMERGENCY_RED)
    pdf.set_text_color(255)
    pdf.set_font(FONT_FAMILY, "B", 20 * scale)
    pdf.cell(0, 14 * scale, CARD_TITLE, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(255)
    pdf.set_text_color(0)
    pdf.ln(3 * scale)
    for line in content.fever_rule:
        pdf.paragraph(line.display, 13 * scale, style="B", color=EMERGENCY_RED)
        pdf.ln(1.5 * scale)
    pdf.heading("About me", 14 * scale)
    pdf.set_font(FONT_FAMILY, "", 12 * scale)
    with pdf.table(
        col_widths=(60, 120),
        first_row_as_headings=False,
        line_height=7 * scale,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for label, value in card_fields(details):
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value or WRITE_IN)
    pdf.heading("For the emergency team", 14 * scale)
    for line in content.first_steps:
        pdf.paragraph(f"• {line.display}", 11.5 * scale)
        pdf.ln(scale)
    pdf.ln(2 * scale)
    pdf.paragraph(NOTICE, 12 * scale, style="B", color=EMERGENCY_RED)
    pdf.heading("Sources", 11 * scale)
    pdf.references(content.references, 8.5 * scale)


FULL_PAGE_SCALES = (1.0, 0.8, 0.65)
"""Font scales tried in turn until the full-page card fits on one page (long entries)."""


def fever_card_pdf(
    details: CardDetails,
    content: CardContent,
    *,
    layout: str = WALLET,
    paper: str = "A4",
    made: date,
) -> bytes:
    """The personal fever card as PDF bytes.

    Parameters
    ----------
    details
        What the person typed (any field may be empty: it prints as a line to write on).
    content
        The cited lines and their references (:func:`~explorer.takeaway.content.card_content`).
    layout
        ``"wallet"`` (front and back with cut and fold lines) or ``"page"`` (one full page).
    paper
        ``"A4"`` or ``"Letter"``.
    made
        The date printed on the card.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    shaping = needs_shaping(value for _, value in card_fields(details))

    def document() -> _Document:
        return _Document(
            paper=paper,
            title="Neutropenia fever card",
            made=made,
            footer=f"Made {_made(made)}",
            shaping=shaping,
        )

    if layout == WALLET:
        pdf = document()
        _wallet_card(pdf, details, content, made)
        return bytes(pdf.output())
    for scale in FULL_PAGE_SCALES:
        pdf = document()
        _full_page_card(pdf, details, content, scale)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())


def _cited_cell(cited: Cited) -> str:
    return printable(cited.display, limit=2000)


def visit_summary_pdf(summary: VisitSummary, *, paper: str = "A4") -> bytes:
    """The visit summary as PDF bytes: forms compared, organizations, glossary, references.

    Tables repeat their heading row on every page they run onto, and a row is never
    split across pages.
    """
    made = _made(summary.made)
    pdf = _Document(
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
    pdf.paragraph(f"Table last reviewed {_made(summary.last_reviewed)}.", 8, color=GREY)
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
