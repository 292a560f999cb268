"""Take it with you: a personal fever card and a visit summary, as PDFs made offline.

``content`` gathers what the documents say from the curated, cited data; ``card_pdf`` and
``summary_pdf`` turn plain records (``records``) into PDF bytes with ``fpdf2`` on the shared
``document``. Nothing here stores, logs or
sends what a person types.
"""

from __future__ import annotations

import importlib

from explorer.takeaway.content import (
    build_visit_summary,
    card_content,
    contact_currency_note,
    load_card_lines,
    nearest_organizations,
    visit_summary_for,
)
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

PDF_MAKERS = {
    "fever_card_pdf": "explorer.takeaway.card_pdf",
    "visit_summary_pdf": "explorer.takeaway.summary_pdf",
}
"""The PDF makers and their modules, imported when first asked for: fpdf2 and fontTools take
half a second to import, and what reads the curated lines (``python -m explorer check``)
draws no PDF."""


def __getattr__(name: str) -> object:
    if name in PDF_MAKERS:
        return getattr(importlib.import_module(PDF_MAKERS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
