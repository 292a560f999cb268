"""What the take-away PDFs share: the ``fpdf2`` document with the packaged font and footer,
the colours, margins and citation style (the fever card is :mod:`~explorer.takeaway.card_pdf`,
the visit summary :mod:`~explorer.takeaway.summary_pdf`).

Pure functions: plain records in, bytes out, nothing read from or written to disk but
the packaged font. Every piece of text goes through :func:`~explorer.takeaway.text.printable`
and is printed as text (no Markdown, no HTML), so a name like ``<b>`` prints as typed.
The PDF's metadata names the document, never the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from fpdf import FPDF

from explorer.subtypes import Reference
from explorer.takeaway.text import FONT_FAMILY, FONT_FILES, font_path, printable

APP_NAME = "Neutropenia Resource Explorer"
NOTICE = "Not medical advice: follow your care team's plan."
EMERGENCY_RED = (170, 0, 28)
GREY = (90, 90, 90)
MARGIN = 15.0


class Document(FPDF):
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
            line = f"[{number}] {printable(compact_citation(reference), limit=500)} "
            self.write(size * 0.45, line)
            self.set_text_color(0, 0, 160)
            self.write(size * 0.45, reference.url, link=reference.url)
            self.set_text_color(0)
            if notes and reference.note:
                self.write(size * 0.45, f" ({printable(reference.note, limit=500)})")
            self.ln(size * 0.5)


def compact_citation(reference: Reference) -> str:
    """The reference's citation with a long author list cut to the first author, "et al."."""
    authors = [name.strip() for name in reference.authors.split(",") if name.strip()]
    if len(authors) > 3:
        authors = [authors[0], "et al."]
    return reference.citation(authors=" ".join(authors))


def date_words(made: date) -> str:
    return f"{made.day} {made:%B %Y}"
