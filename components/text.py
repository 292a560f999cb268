"""Safe text for Markdown and HTML: data shown literally, links only where they were checked.

Every module that puts text from the data files on a page goes through :func:`plain` (or,
for the few HTML fragments, :func:`html.escape`), so a report line such as
``[click](javascript:…)`` is shown, never followed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote

import streamlit as st

from explorer.links import is_allowed_link, safe_tel

MISSING = "—"
"""What a table shows for an empty value (Streamlit's grid shows "None" unless told)."""

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
URL_SAFE = ":/?#@!$&*+,;=%.~-_"
"""Characters kept as they are in a link target; anything else (spaces, brackets, quotes,
angle brackets) is percent-encoded so it cannot end the Markdown link early."""
PREVIEW_LENGTH = 40
TOUCH_TARGET_PX = 44
"""Minimum height of a call link: a touch target a finger can hit (WCAG 2.5.5, Apple HIG)."""
TOUCH_PAD_PX = 10
"""How far the taller link reaches into the lines above and below it, so the list's
lines keep their spacing."""


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


def tel_html(label: str, uri: str) -> str:
    """``label`` as an HTML call link to ``uri`` when it is a checked ``tel:`` URI, else as
    escaped text; for :func:`streamlit.html`.

    Why HTML: Streamlit's Markdown gives every link ``target="_blank"``, so on a phone a
    ``tel:`` link opened a blank tab besides the dialler. ``st.html`` keeps a link without a
    target, which opens the dialler in place. The number does not wrap inside itself, and
    the link is at least :data:`TOUCH_TARGET_PX` tall (a finger's width, WCAG 2.5.5) without
    moving the text beside it: a 21 px line was easy to miss on a phone.

    Why in place and not in a frame or a new tab: see the README's "How the call link works
    and why" (the browser, not the page, decides whether to ask before dialling).
    """
    label = html.escape(label)
    if not (uri := safe_tel(uri)):
        return label
    style = (
        f"color: {theme_link_colour()}; white-space: nowrap; display: inline-flex; "
        f"align-items: center; min-height: {TOUCH_TARGET_PX}px; "
        f"margin: -{TOUCH_PAD_PX}px 0; vertical-align: middle"
    )
    return f'<a href="{html.escape(uri)}" style="{style}">{label}</a>'


def theme_link_colour() -> str:
    """The theme's link colour for the app's light or dark theme, whichever is shown (CSS).

    ``st.html`` is not themed: its links would be the browser's blue, unreadable in the
    dark theme. The app's root sets ``color-scheme`` to the theme shown, which is what
    ``light-dark()`` follows; both colours are ``linkColor`` in the Streamlit config.
    """
    light, dark = (st.get_option(f"theme.{scheme}.linkColor") for scheme in ("light", "dark"))
    return f"light-dark({light}, {dark})"
