"""Safe text for Markdown: data shown literally, links only where they were checked.

Every module that puts text from the data files on a page goes through :func:`plain`,
so a report line such as ``[click](javascript:…)`` is shown, never followed.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from explorer.links import is_allowed_link

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
URL_SAFE = ":/?#@!$&*+,;=%.~-_"
"""Characters kept as they are in a link target; anything else (spaces, brackets, quotes,
angle brackets) is percent-encoded so it cannot end the Markdown link early."""
PREVIEW_LENGTH = 40


def plain(text: str) -> str:
    """Text from data, escaped so Markdown shows it literally (no links, no HTML, no styling)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def preview(value: str, length: int = PREVIEW_LENGTH) -> str:
    """A short, printable, escaped echo of untrusted input (e.g. a value from a link)."""
    printable = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in value)
    short = " ".join(printable.split())
    return plain(short[:length] + ("…" if len(short) > length else ""))


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label; only http(s), mailto and tel targets become links.

    Callers pass URLs already validated by :mod:`explorer.links`; this is the last guard.
    """
    if not url or not is_allowed_link(url):
        return plain(label)
    return f"[{plain(label)}]({quote(url, safe=URL_SAFE)})"
