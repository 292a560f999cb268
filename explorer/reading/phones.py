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
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat, PhoneNumberType

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
_NANP_PRINTED = re.compile(
    r"(?:\((?P<bracketed>[2-9][0-9]{2})\) ?|(?P<area>[2-9][0-9]{2})[ .-]?)"
    r"(?P<exchange>[0-9]{3})[ .-]?(?P<line>[0-9]{4})"
)
"""A North American number printed the usual way: ``(810) 229-5797``, ``810-229-5797``,
``810.229.5797``, ``8102295797``. Read in the US or Canada, ``phonenumbers.parse`` makes of
it the calling code 1 and these ten digits, nothing else (no national prefix: the area code
starts with 2-9; no extension; ASCII digits only): :func:`_parsed` does so directly."""
_NANP_REGIONS = frozenset({"US", "CA"})


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


@functools.cache
def _calling_code(region: str) -> int:
    """``region``'s country calling code (0 for a region ``phonenumbers`` does not know),
    looked up once: every number read asks for it two or three times."""
    return phonenumbers.country_code_for_region(region)


_SPECIAL_TYPES = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)
"""The number types ``phonenumbers`` tests before fixed line and mobile, in its order."""


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One type's pattern of a numbering plan, compiled once (``None``: no such numbers)."""

    pattern: re.Pattern[str] | None
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, desc: phonenumbers.PhoneNumberDesc | None) -> _Pattern:
        if desc is None or not desc.national_number_pattern:
            return cls(None, ())
        return cls(re.compile(desc.national_number_pattern), tuple(desc.possible_length or ()))

    def matches(self, digits: str) -> bool:
        if self.pattern is None or (self.lengths and len(digits) not in self.lengths):
            return False
        return self.pattern.fullmatch(digits) is not None


@dataclass(frozen=True, slots=True)
class _Plan:
    """A region's numbering plan from ``phonenumbers``' metadata, its patterns compiled once.

    :meth:`number_type` is ``phonenumbers``' own type test step for step (the general
    pattern, then premium, toll-free, … voicemail, then fixed line and mobile), without
    the metadata look-ups and pattern-cache calls it pays on every call: those made
    reading a number the slowest step of a cold build. ``tests/test_phone_fast_path.py``
    checks it against ``phonenumbers.number_type`` and ``region_code_for_number``.
    """

    general: _Pattern
    special: tuple[tuple[_Pattern, int], ...]
    fixed_line: _Pattern
    mobile: _Pattern
    same_mobile_and_fixed_line: bool
    leading_digits: re.Pattern[str] | None

    def number_type(self, digits: str) -> int:
        if not self.general.matches(digits):
            return PhoneNumberType.UNKNOWN
        for pattern, kind in self.special:
            if pattern.matches(digits):
                return kind
        if self.fixed_line.matches(digits):
            if self.same_mobile_and_fixed_line or self.mobile.matches(digits):
                return PhoneNumberType.FIXED_LINE_OR_MOBILE
            return PhoneNumberType.FIXED_LINE
        if not self.same_mobile_and_fixed_line and self.mobile.matches(digits):
            return PhoneNumberType.MOBILE
        return PhoneNumberType.UNKNOWN


@functools.cache
def _plan(calling_code: int, region: str) -> _Plan | None:
    """``region``'s plan (``"001"``: the non-geographic one of ``calling_code``), or None."""
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(calling_code, region)
    if metadata is None:
        return None
    return _Plan(
        general=_Pattern.of(metadata.general_desc),
        special=tuple(
            (_Pattern.of(getattr(metadata, name)), kind) for name, kind in _SPECIAL_TYPES
        ),
        fixed_line=_Pattern.of(metadata.fixed_line),
        mobile=_Pattern.of(metadata.mobile),
        same_mobile_and_fixed_line=bool(metadata.same_mobile_and_fixed_line_pattern),
        leading_digits=re.compile(metadata.leading_digits) if metadata.leading_digits else None,
    )


def region_and_type(number: phonenumbers.PhoneNumber) -> tuple[str, int]:
    """``(region_code_for_number(number) or "", number_type(number))``, computed once.

    The region of a calling code shared by several (``+1``: 25 regions) is the first
    whose leading digits match or whose plan knows the number, as ``phonenumbers``
    decides it; the type is then that region's. ``phonenumbers`` walks the regions
    again for the type, and again for each later question: here once.
    """
    calling_code = number.country_code
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(calling_code)
    digits = phonenumbers.national_significant_number(number)
    region = None
    if regions is not None and len(regions) == 1:
        region = regions[0]
    elif regions is not None:
        for code in regions:
            plan = _plan(calling_code, code)
            if plan is None:
                continue
            if plan.leading_digits is not None:
                if plan.leading_digits.match(digits):
                    region = code
                    break
            elif (kind := plan.number_type(digits)) != PhoneNumberType.UNKNOWN:
                return code, kind  # the type that chose the region: not tested twice
    plan = _plan(calling_code, region) if region is not None else None
    if plan is None:
        return region or "", PhoneNumberType.UNKNOWN
    return region, plan.number_type(digits)


@functools.cache
def _international_formats(
    calling_code: int,
) -> tuple[tuple[re.Pattern[str] | None, re.Pattern[str], str], ...] | None:
    """The international formats of ``calling_code`` (leading digits, pattern, rule), in
    ``phonenumbers``' order and compiled once; None when it has none to offer."""
    region = phonenumbers.region_code_for_country_code(calling_code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(calling_code, region.upper())
    if metadata is None:
        return None
    return tuple(
        (
            re.compile(form.leading_digits_pattern[-1]) if form.leading_digits_pattern else None,
            re.compile(form.pattern),
            form.format,
        )
        for form in (metadata.intl_number_format or metadata.number_format)
    )


def international(number: phonenumbers.PhoneNumber, digits: str) -> str:
    """``format_number(number, INTERNATIONAL)`` for a valid ``number`` whose national
    significant number is ``digits``: the first format whose leading digits and pattern
    fit, as ``phonenumbers`` chooses it, with the formats compiled once (its lookups were
    a third of reading a number). A number with an extension is left to ``phonenumbers``."""
    formats = _international_formats(number.country_code)
    if formats is None or number.extension:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    body = digits
    for leading, pattern, rule in formats:
        if (leading is None or leading.match(digits)) and pattern.fullmatch(digits):
            body = pattern.sub(rule, digits)
            break
    return f"+{number.country_code} {body}"


def _parsed(text: str, region: str | None) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse(text, region)``; a North American number in its usual print
    (:data:`_NANP_PRINTED`) read in the US or Canada is made directly (a third of the
    time of reading one). ``tests/test_phone_fast_path.py`` checks both give equal numbers."""
    if region in _NANP_REGIONS and (match := _NANP_PRINTED.fullmatch(text)):
        area = match["bracketed"] or match["area"]
        digits = f"{area}{match['exchange']}{match['line']}"
        return phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
    return phonenumbers.parse(text, region)


def _valid(text: str, region: str | None) -> tuple[phonenumbers.PhoneNumber, str, int] | None:
    """The parsed number, its region and its type when ``text`` read in ``region`` is a
    valid number, else None.

    A number is valid exactly when its type is not ``UNKNOWN`` (``is_valid_number``
    tests the same patterns), so one :func:`region_and_type` answers validity, region
    and the toll-free flag.
    """
    try:
        number = _parsed(text, region)
    except NumberParseException:
        return None
    found, kind = region_and_type(number)
    return None if kind == PhoneNumberType.UNKNOWN else (number, found, kind)


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
    calling_code = str(_calling_code(country))
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
    if country and _calling_code(country) == 0:
        country = ""  # not a region phonenumbers knows: read as if unknown
    expected = _calling_code(country) if country else 0
    printed_international = raw.strip().startswith("+")
    for text, region in _candidates(raw, country):
        valid = _valid(text, region)
        if valid is None:
            continue
        number, found, kind = valid
        if expected and number.country_code != expected and not printed_international:
            continue
        return Reading(
            e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
            international=international(number, phonenumbers.national_significant_number(number)),
            toll_free=kind == PhoneNumberType.TOLL_FREE,
            region=found,
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


_NANP_E164 = re.compile(r"\+1[2-9]\d{9}")
"""A North American number in E.164 (``+1`` and ten digits, the area code not starting
with 0 or 1): ``phonenumbers.parse`` reads it as exactly those ten digits."""
_RFC3966_SEPARATORS = re.compile(
    "[-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \u00a0\u00ad\u200b\u2060\u3000()"
    "\uff08\uff09\uff3b\uff3d.\\[\\]/~\u2053\u223c\uff5e]+"
)
"""The punctuation ``phonenumbers`` turns into the dashes of an RFC 3966 number (its
``_VALID_PUNCTUATION``; ``tests/test_phone_fast_path.py`` checks the outcome)."""


@functools.lru_cache(maxsize=65_536)
def tel_uri(e164: str) -> str:
    """RFC 3966 ``tel:`` URI with visual separators (``tel:+1-810-229-5797``), or ``""``.

    ``format_number(parse(e164, None), RFC3966)`` step for step, with the formats compiled
    once (:func:`_international_formats`) and a North American number written directly
    in its one international format (``+1-NXX-NXX-XXXX``): the directory asks for one per
    organization (``phonenumbers``' own look-ups were 70 % of building the directory
    table; the steps for a North American number, 6 µs each, a second of a 200,000
    organization build). Cached: a number listed by several reports is asked for again.
    """
    if _NANP_E164.fullmatch(e164):
        return f"tel:+1-{e164[2:5]}-{e164[5:8]}-{e164[8:]}"
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return ""
    formats = _international_formats(number.country_code)
    if formats is None or number.extension or not number.national_number:
        return phonenumbers.format_number(number, PhoneNumberFormat.RFC3966)
    digits = phonenumbers.national_significant_number(number)
    body = digits
    for leading, pattern, rule in formats:
        if (leading is None or leading.match(digits)) and pattern.fullmatch(digits):
            formatted = _leading_separators_removed(pattern.sub(rule, digits))
            body = _RFC3966_SEPARATORS.sub("-", formatted)
            break
    return f"tel:+{number.country_code}-{body}"


def _leading_separators_removed(text: str) -> str:
    """``text`` without the separators it starts with (as ``phonenumbers`` does for RFC 3966)."""
    match = _RFC3966_SEPARATORS.match(text)
    return text[match.end() :] if match else text
