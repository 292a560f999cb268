"""Only http, https, mailto and tel links are ever built from report text."""

from __future__ import annotations

import pytest

from explorer.links import is_allowed_link, safe_email, safe_tel, safe_web_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://www.example.org", "http://www.example.org"),
        ("www.example.org/path", "https://www.example.org/path"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt://example.org/%0aalert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("https://exa mple.org", ""),
        ("ftp://example.org", ""),
        ("", ""),
    ],
)
def test_safe_web_url(text, expected):
    """Web links keep only http(s) URLs with a real host name."""
    assert safe_web_url(text) == expected


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("info@example.org", True),
        ("a@b", False),
        ("x@example.org?cc=y", False),
        ("<a>@x.org", False),
    ],
)
def test_safe_email(text, ok):
    """Email links only for plain addresses."""
    assert bool(safe_email(text)) is ok


def test_allowed_schemes():
    """The four schemes pass; anything else does not."""
    assert all(
        is_allowed_link(u) for u in ("http://a.org", "https://a.org", "mailto:a@b.org", "tel:+1")
    )
    assert not is_allowed_link("javascript:alert(1)")


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("tel:+1-810-229-5797", True),
        ("tel:+18102295797", True),
        ("tel:+1-800-555-0199;ext=12", True),
        ("tel:810-229-5797", False),
        ("tel:+1-810)](javascript:alert(1)", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_safe_tel(uri, ok):
    """Phone links only for international numbers made of digits and separators."""
    assert bool(safe_tel(uri)) is ok
