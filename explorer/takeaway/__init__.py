"""Take it with you: a personal fever card and a visit summary, as PDFs made offline.

``content`` gathers what the documents say from the curated, cited data; ``pdf`` turns
plain records (``records``) into PDF bytes with ``fpdf2``. Nothing here stores, logs or
sends what a person types.
"""

from __future__ import annotations

from explorer.takeaway.content import (
    build_visit_summary,
    card_content,
    contact_currency_note,
    load_card_lines,
    nearest_organizations,
    visit_summary_for,
)
from explorer.takeaway.pdf import fever_card_pdf, visit_summary_pdf
from explorer.takeaway.records import FULL_PAGE, LAYOUTS, PAPER_SIZES, WALLET, CardDetails

__all__ = [
    "FULL_PAGE",
    "LAYOUTS",
    "PAPER_SIZES",
    "WALLET",
    "CardDetails",
    "build_visit_summary",
    "card_content",
    "contact_currency_note",
    "fever_card_pdf",
    "load_card_lines",
    "nearest_organizations",
    "visit_summary_for",
    "visit_summary_pdf",
]
