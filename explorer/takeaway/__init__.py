"""Take it with you: a personal fever card and a visit summary, as PDFs made offline.

``content`` gathers what the documents say from the curated, cited data; ``card_pdf`` and
``summary_pdf`` turn plain records (``records``) into PDF bytes with ``fpdf2`` on the shared
``document``. Nothing here stores, logs or
sends what a person types.
"""

from __future__ import annotations

from explorer.takeaway.card_pdf import fever_card_pdf
from explorer.takeaway.content import (
    build_visit_summary,
    card_content,
    contact_currency_note,
    load_card_lines,
    nearest_organizations,
    visit_summary_for,
)
from explorer.takeaway.records import FULL_PAGE, LAYOUTS, PAPER_SIZES, WALLET, CardDetails
from explorer.takeaway.summary_pdf import visit_summary_pdf

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
