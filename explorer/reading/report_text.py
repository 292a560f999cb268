"""A report file read as text: UTF-8, else the encoding it was written in, else refused.

NORD abstracts arrive from several syndication partners, saved by hand in legacy
encodings; one binary file must become one clear error, not a warning per line.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from explorer.models import ParseIssue

BINARY_CONTROL_SHARE = 0.02
"""Share of control characters above which decoded bytes are taken for a binary file."""
PREFERRED_LEGACY_ENCODING = "cp1252"
"""Among equally likely legacy encodings, Windows-1252: these English reports, when not UTF-8,
come from Windows editors (it also reads every printable Latin-1 byte the same way)."""
LEGACY_CHAOS_TOLERANCE = 0.1
"""How much more "chaos" (charset-normalizer's mess score) Windows-1252 may have than the
detector's first guess and still be preferred: on short texts its guesses are near ties."""
BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_report_text(path: Path, *, display_name: str) -> tuple[str | None, list[ParseIssue]]:
    """Read a report as text in the encoding it was written in; None if it is not text.

    UTF-8 is read silently; another encoding (Latin-1, Windows-1252, UTF-16 with a byte
    order mark, ...) is detected with ``charset-normalizer`` and named in a warning; a
    binary file is one error, not a warning for every line.
    """
    decoded = decode_text(path.read_bytes())
    if decoded is None:
        message = "not a text file (binary content); a report must be plain text, ideally UTF-8"
        return None, [ParseIssue(display_name, 0, "error", message)]
    text, encoding = decoded
    issues = []
    if "\r" in text and "\n" not in text:  # classic Mac OS line ends: one line otherwise
        text = text.replace("\r", "\n")
        message = "line ends are CR only (classic Mac OS); read as line breaks"
        issues.append(ParseIssue(display_name, 1, "warning", message))
    if encoding != "utf-8":
        message = f"file is not UTF-8; read as {encoding} (detected); save it as UTF-8 to be sure"
        issues.append(ParseIssue(display_name, 1, "warning", message))
    return text, issues


def decode_text(raw: bytes) -> tuple[str, str] | None:
    """The text of ``raw`` and the codec it was read with, or None when it is not text."""
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:  # charset-normalizer only here: most reports are UTF-8 (6 ms)
        import charset_normalizer

        matches = charset_normalizer.from_bytes(raw)
        best = matches.best()
        if best is None:
            return None
        legacy = any(
            PREFERRED_LEGACY_ENCODING in match.could_be_from_charset
            and match.chaos <= best.chaos + LEGACY_CHAOS_TOLERANCE
            for match in matches
        )
        encoding = codecs.lookup(PREFERRED_LEGACY_ENCODING if legacy else best.encoding).name
        text = raw.decode(encoding)
    if text and len(BINARY_CONTROLS.findall(text)) > BINARY_CONTROL_SHARE * len(text):
        return None
    return text, encoding
