"""Phone lines as printed in reports → typed, dialable :class:`~explorer.models.Phone` records.

Reports print numbers in many shapes (``(810)229-5797``, ``2044898454``,
``61-3-5333 4811``); ``phonenumbers`` (Google's libphonenumber) knows every
country's numbering plan, including which ranges are toll-free, so nothing here
hard-codes area codes.
"""

from __future__ import annotations

import functools

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

NORTH_AMERICAN_REGIONS = frozenset({"US", "CA"})


@functools.cache
def _keep_compiled_patterns() -> None:
    """Ask ``phonenumbers`` to keep its compiled metadata patterns (where it can).

    Numbers from many countries cycle more patterns through ``re``'s 512-entry cache
    than it holds, so without this every number recompiles regular expressions.
    """
    enable = getattr(phonenumbers, "enable_pattern_cache", None)
    if enable is not None:
        enable()


@functools.lru_cache(maxsize=65_536)
def _read_number(raw: str, region_hint: str) -> tuple[str, str, bool] | None:
    """E.164 form, readable form and toll-free flag of the first valid reading of ``raw``.

    A number is read in the address's country first; if that is not a valid number
    there, the leading digits may be a country code printed without ``+``
    (``61-3-5333 4811``), so that reading is tried next. ``None`` when neither is valid.
    Cached by ``(raw, region_hint)``: the same organization is often listed by several
    reports, and parsing is the slowest step of reading one. ``number_type`` is not
    ``UNKNOWN`` exactly when ``is_valid_number`` holds (both test the number against its
    own region's patterns), so one call answers both questions.
    """
    _keep_compiled_patterns()
    for text, region in ((raw, region_hint or "US"), ("+" + raw.lstrip("+ "), None)):
        try:
            number = phonenumbers.parse(text, region)
        except NumberParseException:
            continue
        kind = phonenumbers.number_type(number)
        if kind == PhoneNumberType.UNKNOWN:
            continue
        readable_format = (
            PhoneNumberFormat.NATIONAL
            if phonenumbers.region_code_for_number(number) in NORTH_AMERICAN_REGIONS
            else PhoneNumberFormat.INTERNATIONAL
        )
        return (
            phonenumbers.format_number(number, PhoneNumberFormat.E164),
            phonenumbers.format_number(number, readable_format),
            kind == PhoneNumberType.TOLL_FREE,
        )
    return None


def parse_phone(
    raw: str, *, label: str, source: SourceRef, region_hint: str = "US"
) -> tuple[Phone, str | None]:
    """Parse one printed phone number.

    Returns the phone and, when the number is not a valid number anywhere, a warning
    message (the phone is kept with its raw text so nothing is lost).
    """
    phone_type = LABEL_TO_TYPE.get(label.strip().casefold(), "voice")
    reading = _read_number(raw, region_hint)
    if reading is None:
        phone = Phone(
            raw=raw,
            number=raw,
            national=raw,
            type=phone_type,
            label=label,
            toll_free=False,
            valid=False,
            source=source,
        )
        return phone, f"phone number {raw!r} is not a valid number; kept as printed"
    number, national, toll_free = reading
    description = ", ".join(
        part
        for part in (
            "toll-free" if toll_free else "",
            "TTY/TDD" if phone_type == "textphone" else "",
        )
        if part
    )
    phone = Phone(
        raw=raw,
        number=number,
        national=national,
        type=phone_type,
        label=label,
        toll_free=toll_free,
        valid=True,
        source=source,
        description=description,
    )
    return phone, None


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
