"""Links built from report text: only ``http``, ``https``, ``mailto`` and ``tel`` ever leave here.

A report could carry ``javascript:`` or a look-alike; links are rebuilt from validated
parts instead of being passed through. Shared by reading, the directory, the exports and the
pages; the way to an organization from a searched place is :mod:`explorer.places.directions`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
TEL = re.compile(r"^tel:\+[0-9][0-9().-]{3,30}(;ext=[0-9]{1,10})?$")
"""An international ``tel:`` URI as :mod:`explorer.reading.phones` builds it
(``tel:+1-810-229-5797``)."""
HOST = re.compile(r"^[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+(:\d{1,5})?$")
ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")


def safe_email(text: str) -> str:
    """The address if it is a plain email address, else ``""``."""
    text = text.strip()
    return text if EMAIL.match(text) else ""


def safe_web_url(text: str) -> str:
    """An ``http(s)`` URL with a real host name, else ``""`` (``www.x.org`` gains ``https://``)."""
    text = text.strip()
    if not text or any(ch.isspace() or ord(ch) < 32 for ch in text):
        return ""
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.casefold() not in ("http", "https") or not HOST.match(parts.netloc):
        return ""
    return text


def safe_tel(uri: str) -> str:
    """The URI if it is an international ``tel:`` number (digits and separators), else ``""``.

    Checked again where links are drawn, so a phone link can never carry anything else.
    """
    uri = uri.strip()
    return uri if TEL.match(uri) else ""


def is_allowed_link(url: str) -> bool:
    """True for the link schemes the app may render."""
    return urlsplit(url).scheme.casefold() in ALLOWED_SCHEMES
