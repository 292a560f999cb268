"""The personal fever card as PDF bytes: a wallet card (front and back, to cut and fold) or
one full page."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF
from fpdf.fonts import FontFace

from explorer.subtypes import Reference
from explorer.takeaway.document import (
    APP_NAME,
    EMERGENCY_RED,
    GREY,
    NOTICE,
    Document,
    date_words,
)
from explorer.takeaway.records import LAYOUTS, WALLET, CardContent, CardDetails
from explorer.takeaway.text import FONT_FAMILY, needs_shaping, printable

CARD_TITLE = "Neutropenia: fever is an emergency"
CARD_WIDTH, CARD_HEIGHT = 85.6, 54.0
"""ISO/IEC 7810 ID-1 (credit-card) size, in mm: the wallet card folds to this."""
CARD_PADDING = 3.0
WRITE_IN = "_" * 24
"""Printed for a field left empty, so it can be filled in by hand."""


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


def _wallet_back(
    pdf: FPDF, x: float, y: float, content: CardContent, made: date, scale: float = 1.0
) -> bool:
    """The back: first steps, the lines after the rule, sources, notice; False when the
    text runs into the notice at this ``scale`` (the caller tries a smaller one)."""
    inner = CARD_WIDTH - 2 * CARD_PADDING
    pdf.set_xy(x + CARD_PADDING, y + 2.5)
    pdf.set_font(FONT_FAMILY, "B", 6.5)
    pdf.cell(inner, 3, "For the emergency team")
    pdf.ln(3.5)
    pdf.set_font(FONT_FAMILY, "", 6.2 * scale)
    for line in (*content.first_steps, *content.fever_rule[1:]):
        pdf.set_x(x + CARD_PADDING)
        pdf.multi_cell(
            inner, 2.9 * scale, f"• {line.display}", align="L", new_x="LEFT", new_y="NEXT"
        )
    pdf.set_y(pdf.get_y() + 0.8 * scale)
    pdf.set_font(FONT_FAMILY, "", 4.8 * scale)
    pdf.set_text_color(*GREY)
    for number, reference in content.references:
        pdf.set_x(x + CARD_PADDING)
        text = f"[{number}] {printable(_short_citation(reference), limit=300)}"
        pdf.multi_cell(
            inner, 2.3 * scale, text, align="L", new_x="LEFT", new_y="NEXT", link=reference.url
        )
    fits = pdf.get_y() <= y + CARD_HEIGHT - 6
    pdf.set_text_color(*EMERGENCY_RED)
    pdf.set_font(FONT_FAMILY, "B", 5.5)
    pdf.set_xy(x + CARD_PADDING, y + CARD_HEIGHT - 5.5)
    pdf.cell(inner, 2.5, NOTICE)
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT_FAMILY, "", 4.2)
    pdf.set_xy(x + CARD_PADDING, y + CARD_HEIGHT - 3)
    pdf.cell(inner, 2, f"Made {date_words(made)} with the {APP_NAME}.")
    pdf.set_text_color(0)
    return fits


def _wallet_card(
    pdf: Document, details: CardDetails, content: CardContent, made: date, scale: float = 1.0
) -> bool:
    """Front and back side by side: cut along the solid outline, fold on the dashed line.

    Returns whether the back's text fits above its notice at this ``scale``."""
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
    return _wallet_back(pdf, x + CARD_WIDTH, y, content, made, scale)


def _full_page_card(
    pdf: Document, details: CardDetails, content: CardContent, scale: float
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
WALLET_BACK_SCALES = (1.0, 0.9, 0.8, 0.7)
"""Font scales tried in turn until the wallet card's back fits above its notice."""


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

    def document() -> Document:
        return Document(
            paper=paper,
            title="Neutropenia fever card",
            made=made,
            footer=f"Made {date_words(made)}",
            shaping=shaping,
        )

    if layout == WALLET:
        for scale in WALLET_BACK_SCALES:
            pdf = document()
            if _wallet_card(pdf, details, content, made, scale):
                break
        return bytes(pdf.output())
    for scale in FULL_PAGE_SCALES:
        pdf = document()
        _full_page_card(pdf, details, content, scale)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())
