"""Phone lines as printed in reports → typed, dialable :class:`~explorer.models.Phone` records.

Reports print numbers in many shapes (``(810)229-5797``, ``2044898454``,
``61-3-5333 4811``); ``phonenumbers`` (Google's libphonenumber) knows every
country's numbering plan, including which ranges are toll-free, so nothing here
hard-codes area codes.
"""

from __future__ import annotations

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


def _parse_candidates(raw: str, region_hint: str) -> list[phonenumbers.PhoneNumber]:
    """Readings of ``raw`` to try, best first.

    A number is read in the address's country first; if that is not a valid number
    there, the leading digits may be a country code printed without ``+``
    (``61-3-5333 4811``), so that reading is tried next.
    """
    readings = []
    for text, region in ((raw, region_hint or "US"), ("+" + raw.lstrip("+ "), None)):
        try:
            readings.append(phonenumbers.parse(text, region))
        except NumberParseException:
            continue
    return readings


def parse_phone(
    raw: str, *, label: str, source: SourceRef, region_hint: str = "US"
) -> tuple[Phone, str | None]:
    """Parse one printed phone number.

    Returns the phone and, when the number is not a valid number anywhere, a warning
    message (the phone is kept with its raw text so nothing is lost).
    """
    phone_type = LABEL_TO_TYPE.get(label.strip().casefold(), "voice")
    readings = _parse_candidates(raw, region_hint)
    valid = [n for n in readings if phonenumbers.is_valid_number(n)]
    if not valid:
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
    number = valid[0]
    toll_free = phonenumbers.number_type(number) == PhoneNumberType.TOLL_FREE
    region = phonenumbers.region_code_for_number(number) or ""
    readable_format = (
        PhoneNumberFormat.NATIONAL
        if region in NORTH_AMERICAN_REGIONS
        else PhoneNumberFormat.INTERNATIONAL
    )
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
        number=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        national=phonenumbers.format_number(number, readable_format),
        type=phone_type,
        label=label,
        toll_free=toll_free,
        valid=True,
        source=source,
        description=description,
    )
    return phone, None


def tel_uri(e164: str) -> str:
    """RFC 3966 ``tel:`` URI with visual separators (``tel:+1-810-229-5797``), or ``""``."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), PhoneNumberFormat.RFC3966)
    except NumberParseException:
        return ""
