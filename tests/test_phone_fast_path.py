"""The phone reader's own steps against ``phonenumbers``: same numbers, regions, types.

``explorer.reading.phones`` makes the usual North American print directly and tests a
number against its region's compiled patterns instead of calling ``phonenumbers.parse``
and ``number_type`` (the slowest part of a cold build). These tests hold it to
``phonenumbers``' own answers on a varied sample: every region's example of every type,
the same numbers one digit off (mostly invalid), random North American numbers (the
Caribbean and Canada share ``+1``), the numbers of the bundled and fixture reports, and
hostile or odd text.
"""

from __future__ import annotations

import random
import re

import phonenumbers
import pytest
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from explorer.reading.phones import (
    _parsed,
    international,
    read_number,
    region_and_type,
    tel_uri,
)
from tests.conftest import BUNDLED_REPORT, FIXTURES

TYPES = [
    value
    for name, value in vars(PhoneNumberType).items()
    if name.isupper() and value != PhoneNumberType.UNKNOWN
]
PRINTED_LINE = re.compile(
    r"^(?:Tel|Phone|Toll[- ]free|Fax|TDD|TTY|Cell|Mobile)[^:]*:\s*(.+)$", re.I
)
COUNTRIES = ("", "US", "CA", "PR", "BS", "GB", "DE", "AU", "FR", "IT", "ZZ")


def _examples() -> list[phonenumbers.PhoneNumber]:
    """Every region's (and non-geographic code's) example of every type, and each one
    digit off: changed last digit, one digit fewer, one more."""
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in TYPES:
            if example := phonenumbers.example_number_for_type(region, kind):
                numbers.append(example)
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        if example := phonenumbers.example_number_for_non_geo_entity(code):
            numbers.append(example)
    off = []
    for number in numbers:
        digits = str(number.national_number)
        for changed in (digits[:-1] + str((int(digits[-1]) + 1) % 10), digits[:-1], digits + "7"):
            if changed:
                off.append(
                    phonenumbers.PhoneNumber(
                        country_code=number.country_code,
                        national_number=int(changed),
                        italian_leading_zero=number.italian_leading_zero,
                        number_of_leading_zeros=number.number_of_leading_zeros,
                    )
                )
    return numbers + off


def _north_american(count: int) -> list[str]:
    rng = random.Random(20261206)
    return [
        f"({rng.randint(200, 999)}){rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"
        for _ in range(count)
    ]


def _printed_in_reports() -> list[str]:
    files = [BUNDLED_REPORT, *sorted(FIXTURES.rglob("*.txt"))]
    printed = []
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if match := PRINTED_LINE.match(line.strip()):
                printed.append(match[1].strip())
    return printed


HOSTILE = [
    "",
    " ",
    "+",
    "()",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "1-800-FLOWERS",
    "(810)229-5797 ext. 12",
    "(810)229-5797x12",
    "(810 229-5797",
    "810)229-5797",
    "((810))229-5797",
    "\uff18\uff11\uff10\uff12\uff12\uff19\uff15\uff17\uff19\uff17",  # full-width digits
    "\u0668\u0661\u0660\u0662\u0662\u0669\u0665\u0667\u0669\u0667",  # Arabic-Indic digits
    "810\u2013229\u20135797",  # en dashes
    "1-810-229-5797",
    "1 (810) 229-5797",
    "+1 (810) 229-5797",
    "001-810-229-5797",
    "011-49-511-557105",
    "(123)456-7890",
    "(023)456-7890",
    "(810)229-579",
    "(810)229-57977",
    "(242)302-2000",
    "(787)721-0000",
    "(800)726-4463",
    "(900)555-0000",
    "(500)555-0000",
    "49-511-557105",
    "44-20-8725-0000",
    "0800 123 4567",
    "9" * 300,
]


def test_region_and_type_agree_with_phonenumbers():
    """Every region's example of every type, and each one digit off (mostly invalid)."""
    examples = _examples()
    assert len(examples) > 4_000
    for number in examples:
        expected = (
            phonenumbers.region_code_for_number(number) or "",
            phonenumbers.number_type(number),
        )
        assert region_and_type(number) == expected, number
    assert any(region_and_type(n)[1] == PhoneNumberType.UNKNOWN for n in examples)


def test_random_north_american_numbers_agree_with_phonenumbers():
    """5,000 random ``+1`` numbers: US, Canadian, Caribbean, toll-free, and invalid ones."""
    kinds = set()
    for printed in _north_american(5_000):
        for region in ("US", "CA"):
            number = phonenumbers.parse(printed, region)
            assert _parsed(printed, region) == number, printed
            expected = (
                phonenumbers.region_code_for_number(number) or "",
                phonenumbers.number_type(number),
            )
            assert region_and_type(number) == expected, printed
            kinds.add(expected)
    assert {region for region, _ in kinds} >= {"US", "CA", "BS", ""}  # the sample is varied
    assert (("US", PhoneNumberType.TOLL_FREE)) in kinds
    assert any(kind == PhoneNumberType.UNKNOWN for _, kind in kinds)


@pytest.mark.parametrize(
    "printed",
    [
        "(810)229-5797",
        "(810) 229-5797",
        "810-229-5797",
        "810.229.5797",
        "810 229 5797",
        "8102295797",
        "(204)489-8454",
        "(800)726-4463",
        *HOSTILE,
    ],
)
@pytest.mark.parametrize("region", ["US", "CA", "GB", None])
def test_parsed_is_phonenumbers_parse(printed: str, region: str | None):
    """The direct reading of the usual North American print gives the number
    ``phonenumbers.parse`` gives; anything else is ``parse``'s own answer or error."""
    try:
        expected = phonenumbers.parse(printed, region)
    except NumberParseException as error:
        with pytest.raises(NumberParseException) as raised:
            _parsed(printed, region)
        assert raised.value.error_type == error.error_type
        return
    assert _parsed(printed, region) == expected


def _reference(raw: str, country: str) -> tuple[str, str, bool, str] | None:
    """What ``read_number`` answered with ``phonenumbers`` alone (the code before the
    direct reading), as ``(e164, international, toll_free, region)``."""
    country = country.upper()
    if country and phonenumbers.country_code_for_region(country) == 0:
        country = ""
    expected = phonenumbers.country_code_for_region(country) if country else 0
    text = raw.strip()
    groups = re.findall(r"\d+", text)
    international = ("+" + "".join(groups), None)
    if text.startswith("+"):
        candidates = [(text, None)]
    elif not country:
        candidates = [(text, "US"), international]
    elif groups and groups[0] == str(expected) and len(groups) > 1:
        candidates = [international, (text, country)]
    else:
        candidates = [(text, country)]
    for candidate, region in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except NumberParseException:
            continue
        kind = phonenumbers.number_type(number)
        if kind == PhoneNumberType.UNKNOWN:
            continue
        if expected and number.country_code != expected and not text.startswith("+"):
            continue
        return (
            phonenumbers.format_number(number, PhoneNumberFormat.E164),
            phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
            kind == PhoneNumberType.TOLL_FREE,
            phonenumbers.region_code_for_number(number) or "",
        )
    return None


def test_read_number_agrees_with_phonenumbers_on_a_varied_sample():
    """Report numbers, random North American ones and hostile text, read for countries
    with and without ``+1``: every answer (valid or not, E.164, international form,
    toll-free, region) is the one ``phonenumbers`` alone gives."""
    from_reports = _printed_in_reports()
    assert len(from_reports) > 20
    printed = [*from_reports, *_north_american(400), *HOSTILE]
    international = ["+" + str(n.country_code) + " " + str(n.national_number) for n in _examples()]
    samples = [(raw, country) for raw in printed for country in COUNTRIES]
    samples += [(raw, "") for raw in international[:: max(1, len(international) // 600)]]
    valid = 0
    for raw, country in samples:
        reading = read_number(raw, country)
        got = reading and (reading.e164, reading.international, reading.toll_free, reading.region)
        assert got == _reference(raw, country), (raw, country)
        valid += reading is not None
    assert 0 < valid < len(samples)  # both outcomes were exercised


def test_international_form_is_phonenumbers_format():
    """The international form made with the formats compiled once is ``phonenumbers``'
    own, for every region's examples (and one digit off), random ``+1`` numbers and
    numbers with an extension."""
    numbers = _examples() + [phonenumbers.parse(p, "US") for p in _north_american(2_000)]
    numbers += [phonenumbers.parse(p, "US") for p in ("(810)229-5797 ext. 12", "(810)229-5797x3")]
    assert any(number.extension for number in numbers)
    for number in numbers:
        digits = phonenumbers.national_significant_number(number)
        expected = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        assert international(number, digits) == expected, number


def test_tel_uri_is_phonenumbers_rfc3966():
    """The directory's ``tel:`` link of a number in E.164 is ``phonenumbers``' RFC 3966 form
    of it, for every region's examples (and one digit off), random ``+1`` numbers, North
    American numbers it reads directly, and text that is no number."""
    numbers = _examples() + [phonenumbers.parse(p, "US") for p in _north_american(2_000)]
    e164s = [phonenumbers.format_number(n, PhoneNumberFormat.E164) for n in numbers]
    e164s += ["+18102295797", "+12125550100", "+11234567890", "+10234567890", "+1810229579"]
    e164s += ["+442079460000", "+390612345678", "+8613800000000", "+999123", "", "+", "x"]
    assert sum(1 for e in e164s if tel_uri.__wrapped__(e).startswith("tel:+1-")) > 2_000
    for e164 in e164s:
        try:
            expected = phonenumbers.format_number(
                phonenumbers.parse(e164, None), PhoneNumberFormat.RFC3966
            )
        except phonenumbers.NumberParseException:
            expected = ""
        assert tel_uri.__wrapped__(e164) == expected, e164
