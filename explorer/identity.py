"""Who an organization is: keys that keep every letter of every script.

The place-name lookup key (:func:`~explorer.lookup_key.normalize`) drops non-Latin letters and
apostrophes, which is right for looking up place names but wrong for telling organizations
apart: two Hebrew, CJK or emoji names became one, and "O'Neil House" met "O Neil House".
Identity therefore uses :func:`name_key`: Unicode NFKC (so a full-width or ligature spelling
is the same text), casefolded, invisible format characters removed, apostrophe look-alikes
made one, and runs of spaces made one — and nothing else removed.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from explorer.reading.curated_csv import INVISIBLE

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The identity key of a name or address text (see the module docstring).

    ``"Ａｂｃ  Support"`` and ``"abc support"`` share a key; ``"O'Neil"`` and ``"O Neil"``,
    ``"שלום"`` and ``"שלומ"`` do not.
    """
    if text.isascii() and text.isprintable():
        # Most names: nothing invisible, NFKC leaves them as they are, casefold is lower,
        # the only apostrophe look-alike is "`" and the only space " " (a third the time).
        return " ".join(text.lower().replace("`", "'").split())
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold()
    return SPACES.sub(" ", text.translate(APOSTROPHES)).strip()


def digest(*parts: str) -> str:
    """A short, stable hash of ``parts`` (the same in every run and process)."""
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:8]
