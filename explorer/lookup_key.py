"""The lookup key of a place or search name, shared by the parser, the gazetteer and search.

Kept apart from the gazetteer so that reading a report (which keys place names) and
searching the directory never import the geocoder's index.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`")
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Return the lookup key of a name: casefolded, accents and punctuation removed.

    ``"Québec"``, ``"QUEBEC"`` and ``"Quebec."`` all become ``"quebec"``, so index and
    query agree however a report or a user spelled the name. Apostrophes vanish
    (``"St. John's"`` -> ``"st johns"``); other punctuation separates words.
    """
    if text.isascii() and text.isalpha():  # most names: one plain word, 3x faster
        return text.lower()
    text = text.casefold().translate(_APOSTROPHES)
    if not text.isascii():
        # Decomposing then dropping non-ASCII removes accents (and non-Latin scripts,
        # which the reports never use).
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = text.encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text).strip()
