"""Checks of the subtype content against outside references, run by ``python -m explorer check``.

- Every reference URL points at a canonical source: its host is on the short allow-list
  ``DATA_DIR/subtypes/canonical_hosts.txt`` (publishers, NCBI, DOI resolver…), never a
  mirror, reprint site or offline copy. An entry is a host (``doi.org``), or a host and
  a path prefix (``depts.washington.edu/registry/``) where only part of a shared host is
  the publisher's own.
- Every ICD-10-CM code in the comparison's ``icd10`` statements exists in the code set
  that ``simple-icd-10-cm`` ships offline, and is followed by its official title.

The app does not run these: they guard what gets published, and the code set takes
seconds to load. Each problem names the file and line to edit.
"""

from __future__ import annotations

import importlib.util
import re
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from explorer.models import ParseIssue
from explorer.subtypes.records import SUBTYPES_SUBDIR, SubtypeData
from explorer.subtypes.references import REFERENCES_FILE, read_references

HOSTS_FILE = "canonical_hosts.txt"
ICD10_ATTRIBUTE = "icd10"
ICD10_PACKAGE = "simple_icd_10_cm"
ICD10_CODE = re.compile(r"\b([A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)\b")
"""An ICD-10-CM code as printed (with its dot), e.g. ``D70.0``."""


def read_canonical_hosts(folder: Path, issues: list[ParseIssue]) -> frozenset[str]:
    """The allowed hosts (or host/path prefixes), one per line; ``#`` starts a comment."""
    rel = f"{SUBTYPES_SUBDIR}/{HOSTS_FILE}"
    try:
        text = (folder / HOSTS_FILE).read_text(encoding="utf-8")
    except OSError as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__  # no server path
        issues.append(ParseIssue(rel, 1, "error", f"cannot read the allow-list: {reason}"))
        return frozenset()
    hosts = set()
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        host, slash, path = entry.partition("/")
        if " " in entry or "://" in entry or not host or (slash and not path.endswith("/")):
            message = f"{entry!r} is not a host name or a host/path/ prefix"
            issues.append(ParseIssue(rel, number, "error", message))
            continue
        hosts.add(host.lower() + slash + path)
    return frozenset(hosts)


def is_canonical(url: str, allowed: frozenset[str]) -> bool:
    """True when the URL's host is allowed, or its host and path start an allowed prefix."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host in allowed or any(
        entry.startswith(f"{host}/") and f"{host}{parts.path}".startswith(entry)
        for entry in allowed
    )


def reference_host_issues(data_dir: Path) -> list[ParseIssue]:
    """An error for every reference whose URL host is not on the allow-list."""
    folder = data_dir / SUBTYPES_SUBDIR
    issues: list[ParseIssue] = []
    allowed = read_canonical_hosts(folder, issues)
    if issues:
        return issues
    rel = f"{SUBTYPES_SUBDIR}/{REFERENCES_FILE}"
    for reference in read_references(folder, []):
        if not is_canonical(reference.url, allowed):
            host = (urlsplit(reference.url).hostname or "").lower()
            message = (
                f"{reference.key}: URL host {host!r} is not in {HOSTS_FILE}: cite the "
                "publisher or a stable identifier (DOI, PubMed, NCBI Bookshelf)"
            )
            issues.append(ParseIssue(rel, reference.line, "error", message))
    return issues


def _comparable(title: str) -> str:
    return " ".join(title.split()).casefold().rstrip(".;:,")


def icd10_issues(data: SubtypeData) -> list[ParseIssue]:
    """An error for each ``icd10`` statement whose code is unknown or whose title differs.

    The title is the text right after the code; it must begin with the code set's own
    description (case and a closing full stop aside), e.g. ``D70.4 Cyclic neutropenia``.
    """
    rel = f"{SUBTYPES_SUBDIR}/statements.csv"
    issues: list[ParseIssue] = []
    statements = [s for s in data.statements if s.attribute == ICD10_ATTRIBUTE]
    official = icd10_titles(sorted({m[1] for s in statements for m in ICD10_CODE.finditer(s.text)}))
    for statement in statements:
        found = list(ICD10_CODE.finditer(statement.text))
        if not found:
            message = "ICD-10-CM statement names no code"
            issues.append(ParseIssue(rel, statement.line, "error", message))
        for match in found:
            code = match[1]
            if official[code] is None:
                message = f"{code} is not an ICD-10-CM code"
                issues.append(ParseIssue(rel, statement.line, "error", message))
                continue
            written = statement.text[match.end() :].strip()
            if not _comparable(written).startswith(_comparable(official[code])):
                message = (
                    f"{code} is titled {official[code]!r} in ICD-10-CM; write that title after it"
                )
                issues.append(ParseIssue(rel, statement.line, "error", message))
    return issues


def icd10_titles(codes: list[str]) -> dict[str, str | None]:
    """Each code's description in the ``simple-icd-10-cm`` code set, None when it is not one.

    Importing the package parses its whole code set (seconds), so the answers are kept in
    the app's disk cache, keyed by the package's version, its files and the codes asked:
    the code set is read again only when one of them changes.
    """
    from explorer.cache import load_or_build  # imports the catalog: only when checking

    spec = importlib.util.find_spec(ICD10_PACKAGE)
    if spec is None or spec.origin is None:  # not installed: the import below says so
        return _icd10_answers(codes)
    try:
        version = metadata.version(ICD10_PACKAGE)
    except metadata.PackageNotFoundError:
        version = "unknown"
    (answers,), _ = load_or_build(
        Path(spec.origin).parent,
        (version, *codes),
        lambda: (_icd10_answers(codes),),
        expect=(dict,),
        sources=(Path(__file__),),
        kind="icd10",
    )
    return answers


def _icd10_answers(codes: list[str]) -> dict[str, str | None]:
    import simple_icd_10_cm as icd  # loads the whole code set (seconds)

    return {code: icd.get_description(code) if icd.is_valid_item(code) else None for code in codes}


def audit_subtypes(data_dir: Path, data: SubtypeData | None) -> list[ParseIssue]:
    """Every outside-reference check: hosts always, ICD-10-CM when the data loaded."""
    return reference_host_issues(data_dir) + (icd10_issues(data) if data else [])
