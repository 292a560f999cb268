"""``about.toml``: the table-wide facts, the last review date and the classification note."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from explorer.models import ParseIssue
from explorer.subtypes.records import SUBTYPES_SUBDIR
from explorer.subtypes.rows import LIST_SEPARATOR, citation_keys, error_count

_TOML_ERROR_LINE = re.compile(r"at line (\d+)")


def _toml_line(text: str, key: str) -> int:
    """The line where a top-level ``key = …`` is set (1 when it is absent)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def read_about(
    folder: Path, references: Iterable[str], issues: list[ParseIssue]
) -> tuple[date, str, tuple[str, ...]] | None:
    """``(last_reviewed, classification_note, its citations)``, or None on any error."""
    rel = f"{SUBTYPES_SUBDIR}/about.toml"
    try:
        text = (folder / "about.toml").read_text(encoding="utf-8")
        about = tomllib.loads(text)
    except FileNotFoundError:
        issues.append(ParseIssue(rel, 1, "error", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        # strerror, not str(exc): that names the server's absolute path, and visitors see it.
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        issues.append(ParseIssue(rel, 1, "error", f"cannot read file: {reason}"))
        return None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        issues.append(ParseIssue(rel, int(found[1]) if found else 1, "error", f"bad TOML: {exc}"))
        return None
    errors_before = error_count(issues)
    reviewed = about.get("last_reviewed")
    if not isinstance(reviewed, date):
        issues.append(
            ParseIssue(
                rel,
                _toml_line(text, "last_reviewed"),
                "error",
                "last_reviewed must be a date such as 2026-11-25 (no quotes)",
            )
        )
    note = about.get("classification_note")
    if not isinstance(note, str) or not note.strip():
        issues.append(
            ParseIssue(
                rel,
                _toml_line(text, "classification_note"),
                "error",
                "classification_note is empty",
            )
        )
    raw_citations = about.get("classification_citations", [])
    if not isinstance(raw_citations, list) or not all(isinstance(k, str) for k in raw_citations):
        raw_citations = []
    citations = citation_keys(
        LIST_SEPARATOR.join(raw_citations),
        references,
        rel=rel,
        line=_toml_line(text, "classification_citations"),
        what="classification note",
        issues=issues,
    )
    if error_count(issues) > errors_before:
        return None
    return reviewed, " ".join(note.split()), citations
