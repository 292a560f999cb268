"""What a phone keyboard or an East Asian input method types is the same place (NFKC):
fullwidth and other Unicode digits and letters are read as their plain forms."""

from __future__ import annotations

import pytest

from explorer.places.resolve import resolve_place

BRIGHTON = "48116 Brighton, Michigan, US"


@pytest.mark.parametrize(
    "typed",
    [
        "４８１１６",  # fullwidth digits (Japanese, Chinese input methods)
        "٤٨١١٦",  # Arabic-Indic digits
        "۴۸۱۱۶",  # Extended Arabic-Indic (Persian) digits
        "४८११६",  # Devanagari digits
        "𝟒𝟖𝟏𝟏𝟔",  # mathematical bold digits
    ],
)
def test_unicode_digits_find_the_zip(typed):
    """A ZIP typed in any digit script finds the same place as ASCII digits."""
    result = resolve_place(typed)
    assert result.found, result.message
    assert result.label == BRIGHTON
    assert result.label == resolve_place("48116").label


def test_fullwidth_letters_and_postal_code():
    """Fullwidth letters and a fullwidth Canadian postal code resolve as typed plainly."""
    assert resolve_place("Ｄｅｔｒｏｉｔ, ＭＩ").label == resolve_place("Detroit, MI").label
    winnipeg = resolve_place("Ｒ３Ｍ ３Ｓ７")
    assert winnipeg.found, winnipeg.message
    assert winnipeg.label == resolve_place("R3M 3S7").label


def test_normalised_text_is_still_checked():
    """Normalising does not turn an unknown ZIP into a known one, nor markup into a place."""
    unknown = resolve_place("０００００")
    assert not unknown.found
    assert "00000" in unknown.message
    assert not resolve_place("＜script＞").found
    assert "<" not in resolve_place("＜script＞").message
