"""Zero-width joiners in report names: kept where they join, removed where they join nothing."""

from __future__ import annotations

import pytest

from explorer.reading.reports import parse_report

ZWNJ, ZWJ = "\u200c", "\u200d"
PERSIAN = f"بنیاد امور بیماری{ZWNJ}های خاص"
"""The Special Diseases Foundation (Tehran): ZWNJ keeps ``بیماری`` and ``های`` apart but
in one word; without it the letters join into a different-looking word."""
FAMILY = f"👨{ZWJ}👩{ZWJ}👧 Family Circle"
"""A family emoji is one glyph only while its ZWJs are there (else three faces)."""


def _report(name: str) -> str:
    return (
        "Test Disorder\n\nNational Organization for Rare Disorders, Inc.\n\nGeneral Discussion\n\n"
        "A paragraph long enough to read as prose, not as an organization, because it goes on "
        "and on about the disorder for quite a while.\n\n"
        f"{name}\n1 Main Street\nSpringfield, IL 62701\nTel: (217)555-0100\n"
    )


def _parsed(name: str) -> tuple[str, list[str]]:
    parsed = parse_report(_report(name), file="t.txt")
    messages = [issue.message for issue in parsed.issues]
    return parsed.disorder.organizations[0].name, messages


@pytest.mark.parametrize("name", [PERSIAN, FAMILY, f"Care{ZWJ}{ZWJ}Line"])
def test_joiners_between_characters_are_kept(name: str):
    """A name whose joiners all join is kept letter for letter, with no warning."""
    shown, messages = _parsed(name)
    assert shown == name
    assert ZWNJ in shown or ZWJ in shown
    assert "control characters removed" not in messages


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{ZWJ}{FAMILY}{ZWNJ}", FAMILY),
        (f"{ZWNJ}{PERSIAN}", PERSIAN),
        (f"Acme {ZWJ} Aid", "Acme  Aid"),
        (f"Acme{ZWJ} Aid{ZWNJ}{ZWJ}", "Acme Aid"),
        (f"\ufeff{ZWJ}Acme\u200b Aid", "Acme Aid"),
    ],
)
def test_joiners_that_join_nothing_are_removed_and_reported(typed: str, kept: str):
    """Leading, trailing or space-side joiners go (as other invisible characters do), with
    the usual warning; the joins inside the name stay."""
    shown, messages = _parsed(typed)
    assert shown == kept
    assert shown.count(ZWJ) == kept.count(ZWJ)
    assert "control characters removed" in messages
