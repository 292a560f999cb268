"""The font the PDFs embed, and text made safe to print with it.

DejaVu Sans (shipped in ``fonts/`` with its licence) covers Latin, Greek, Cyrillic,
Hebrew, Arabic and many symbols, so most names print as typed; ``uharfbuzz`` shapes
right-to-left and joined scripts. A character the font has no glyph for (e.g. Chinese)
becomes :data:`MISSING_GLYPH` instead of vanishing, and the page says so.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MISSING_GLYPH = "\u25a1"
"""□: printed in place of a character the font cannot draw."""
MAX_FIELD_CHARS = 120
"""Longest text kept from one form field; the rest is cut (the page says so)."""
KEPT_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: needed to shape some scripts; other format characters
(bidi overrides, invisible separators) are dropped so text cannot reorder the page."""


def font_path(style: str = "") -> Path:
    """Path of the packaged TTF for ``style`` ("" regular, "B" bold)."""
    return Path(str(resources.files("explorer.takeaway") / "fonts" / FONT_FILES[style]))


@functools.cache
def _covered() -> frozenset[int]:
    """Code points the regular font can draw (read once per process)."""
    with TTFont(font_path(), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str, *, limit: int = MAX_FIELD_CHARS) -> str:
    """One line of text the PDF can print: NFC, no control or bidi-override characters,
    whitespace collapsed, glyphs the font lacks replaced, at most ``limit`` characters.

    Text is printed as text, never interpreted: ``<b>`` prints as ``<b>``.
    """
    covered = _covered()
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or char.isspace():
            kept.append(" ")
        elif category == "Cf" and char not in KEPT_FORMAT_CHARACTERS:
            continue
        elif category in ("Cs", "Co", "Cn") or ord(char) not in covered:
            kept.append(MISSING_GLYPH)
        else:
            kept.append(char)
    return " ".join("".join(kept).split())[:limit]


SHAPED_BIDI_CLASSES = frozenset({"R", "AL", "AN"})


def needs_shaping(texts: Iterable[str]) -> bool:
    """True when some text is right-to-left or uses combining marks.

    Such text needs HarfBuzz shaping to print in the right order and with joined
    letters. Shaping makes fpdf2's line breaking several times slower, so documents
    in left-to-right scripts without combining marks are made without it.
    """
    return any(
        unicodedata.bidirectional(char) in SHAPED_BIDI_CLASSES
        or unicodedata.category(char) in ("Mn", "Mc", "Me")
        for text in texts
        for char in unicodedata.normalize("NFC", text)
    )
