"""Phone lines as printed in reports → typed, dialable :class:`~explorer.models.Phone` records.

Reports print numbers in many shapes (``(810)229-5797``, ``2044898454``, and NORD's
own style for foreign numbers: the country calling code as the first group, without
``+``: ``49-511-557105``, ``61-3-5333 4811``). A number is read for the country of
the organization's address: ``phonenumbers`` (Google's libphonenumber) knows every
country's numbering plan, so nothing here hard-codes area codes. A number that is not
valid for that country is kept exactly as printed and is never offered as a call link:
a guessed number is worse than none.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from explorer.models import Phone, SourceRef

LABEL_TO_TYPE = {
    "tel": "voice",
    "phone": "voice",
    "telephone": "voice",
    "toll-free": "voice",
    "toll free": "voice",
    "fax": "fax",
    "tdd": "textphone",
    "tty": "textphone",
    "tdd/tty": "textphone",
    "tty/tdd": "textphone",
    "cell": "cell",
    "mobile": "cell",
}
"""Report labels → HSDS phone types."""

FALLBACK_REGION = "US"
"""Region a number is read in when the organization's country is unknown: NORD is a US
publisher and its reports print US numbers without a country code."""
_DIGIT_GROUPS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Reading:
    """A validated number: E.164, readable international form, toll-free flag, its region."""

    e164: str
    international: str
    toll_free: bool
    region: str


@functools.cache
def _keep_compiled_patterns() -> None:
    """Ask ``phonenumbers`` to keep its compiled metadata patterns (where it can).

    Numbers from many countries cycle more patterns through ``re``'s 512-entry cache
    than it holds, so without this every number recompiles regular expressions.
    """
    enable = getattr(phonenumbers, "enable_pattern_cache", None)
    if enable is not None:
        enable()


def _valid(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The parsed number when ``text`` read in ``region`` is a valid number, else None.

    ``number_type`` is not ``UNKNOWN`` exactly when ``is_valid_number`` holds (both
    test the number against its own region's patterns), so one call answers both.
    """
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    return None if phonenumbers.number_type(number) == PhoneNumberType.UNKNOWN else number


def _candidates(raw: str, country: str) -> list[tuple[str, str | None]]:
    """The readings of ``raw`` to try for ``country`` (ISO alpha-2, or ``""``), in order.

    With a known country, a first group equal to its calling code is NORD's way of
    printing an international number (``49-511-557105`` in Germany), so that reading
    comes first; then the national reading. Without a country, the national reading in
    :data:`FALLBACK_REGION` comes first, then the first group as any calling code.
    """
    text = raw.strip()
    if text.startswith("+"):
        return [(text, None)]
    groups = _DIGIT_GROUPS.findall(text)
    international = ("+" + "".join(groups), None)
    if not country:
        return [(text, FALLBACK_REGION), international]
    calling_code = str(phonenumbers.country_code_for_region(country))
    if groups and groups[0] == calling_code and len(groups) > 1:
        return [international, (text, country)]
    return [(text, country)]


@functools.lru_cache(maxsize=65_536)
def read_number(raw: str, country: str = "") -> Reading | None:
    """The first valid reading of ``raw`` for an organization in ``country``, or None.

    A reading counts when the number belongs to ``country``'s calling code (``+1``
    covers the US and Canada alike), or when it was printed with its own ``+``.
    Cached by ``(raw, country)``: the same organization is often listed by several
    reports, and parsing is the slowest step of reading one.
    """
    _keep_compiled_patterns()
    country = country.upper()
    if country and phonenumbers.country_code_for_region(country) == 0:
        country = ""  # not a region phonenumbers knows: read as if unknown
    expected = phonenumbers.country_code_for_region(country) if country else 0
    printed_international = raw.strip().startswith("+")
    for text, region in _candidates(raw, country):
        number = _valid(text, region)
        if number is None:
            continue
        if expected and number.country_code != expected and not printed_international:
            continue
        return Reading(
            e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
            international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
            toll_free=phonenumbers.number_type(number) == PhoneNumberType.TOLL_FREE,
            region=phonenumbers.region_code_for_number(number) or "",
        )
    return None


def parse_phone(
    raw: str, *, label: str, source: SourceRef, country: str = ""
) -> tuple[Phone, str | None]:
    """Parse one printed phone number for an organization in ``country``.

    Returns the phone and, when the number is not valid for that country, a warning
    (the phone is kept with its printed text so nothing is lost, and is not dialable).
    """
    phone_type = LABEL_TO_TYPE.get(label.strip().casefold(), "voice")
    reading = read_number(raw, country)
    if reading is None:
        phone = Phone(
            raw=raw,
            number=raw,
            international=raw,
            type=phone_type,
            label=label,
            toll_free=False,
            valid=False,
            source=source,
            country=country,
        )
        where = f"for {country}" if country else "in any country"
        return phone, f"phone number {raw!r} is not a valid number {where}; shown as printed"
    description = ", ".join(
        part
        for part in (
            "toll-free" if reading.toll_free else "",
            "TTY/TDD" if phone_type == "textphone" else "",
        )
        if part
    )
    phone = Phone(
        raw=raw,
        number=reading.e164,
        international=reading.international,
        type=phone_type,
        label=label,
        toll_free=reading.toll_free,
        valid=True,
        source=source,
        description=description,
        country=country,
    )
    return phone, None


def for_country(phone: Phone, country: str) -> tuple[Phone, str | None]:
    """The phone read again for ``country`` (e.g. once geocoding has found the country)."""
    return parse_phone(phone.raw, label=phone.label, source=phone.source, country=country)


@functools.lru_cache(maxsize=65_536)
def tel_uri(e164: str) -> str:
    """RFC 3966 ``tel:`` URI with visual separators (``tel:+1-810-229-5797``), or ``""``.

    Cached: the directory asks for one per organization, and a number listed by several
    reports is asked for again.
    """
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), PhoneNumberFormat.RFC3966)
    except NumberParseException:
        return ""
