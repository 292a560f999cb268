"""Phone numbers as reports print them, read for the organization's country."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.directory.table import directory_frame
from explorer.models import SourceRef
from explorer.pipeline import build_catalog
from explorer.places.resolve import uk_postcode_towns
from explorer.reading.phones import parse_phone, read_number, tel_uri
from tests.conftest import FIXTURES

SOURCE = SourceRef("reports/t.txt", 9)


@pytest.mark.parametrize(
    ("printed", "country", "e164", "shown"),
    [
        # NORD's style: the country calling code as the first group, no "+".
        ("49-511-557105", "DE", "+49511557105", "+49 511 557105"),
        ("61-3-5333-4811", "AU", "+61353334811", "+61 3 5333 4811"),
        ("61-3-5333 4811", "AU", "+61353334811", "+61 3 5333 4811"),
        ("44-20-8725-0000", "GB", "+442087250000", "+44 20 8725 0000"),
        ("33-1-42-34-56-78", "FR", "+33142345678", "+33 1 42 34 56 78"),
        ("31-20-566-9111", "NL", "+31205669111", "+31 20 566 9111"),
        ("41-44-266-7111", "CH", "+41442667111", "+41 44 266 71 11"),
        ("353-1-409-6100", "IE", "+35314096100", "+353 1 409 6100"),
        ("64-9-367-0000", "NZ", "+6493670000", "+64 9 367 0000"),
        # National styles, as printed for US and Canadian organizations.
        ("(810)229-5797", "US", "+18102295797", "+1 810-229-5797"),
        ("2044898454", "CA", "+12044898454", "+1 204-489-8454"),
        ("(800)726-4463", "US", "+18007264463", "+1 800-726-4463"),
        # A national trunk prefix, and a number already written with "+".
        ("020 8725 0000", "GB", "+442087250000", "+44 20 8725 0000"),
        ("0511 557105", "DE", "+49511557105", "+49 511 557105"),
        ("+61 3 5333 4811", "AU", "+61353334811", "+61 3 5333 4811"),
    ],
)
def test_numbers_read_for_their_country(printed, country, e164, shown):
    """Each printed style gives the right E.164 number and an international form with "+"."""
    phone, problem = parse_phone(printed, label="Tel", source=SOURCE, country=country)
    assert problem is None
    assert (phone.number, phone.international, phone.valid) == (e164, shown, True)
    assert tel_uri(phone.number).startswith("tel:+")


def test_german_number_is_not_read_as_a_longer_national_number():
    """``49-511-557105`` in Germany is +49 511 557105, not the valid-looking +49 4951 1557105."""
    reading = read_number("49-511-557105", "DE")
    assert reading is not None
    assert reading.e164 == "+49511557105"
    assert reading.international != "+49 4951 1557105"  # what a national reading gives


@pytest.mark.parametrize(
    ("printed", "country"),
    [
        ("49-511-557105", "US"),  # a German number for a US organization: not guessed
        ("44-20-8725-000", "GB"),  # a digit short
        ("12", "US"),
        ("call us", ""),
    ],
)
def test_unvalidated_number_is_shown_as_printed(printed, country):
    """A number not valid for the organization's country keeps its printed text, is not
    dialable, and comes with a warning."""
    phone, problem = parse_phone(printed, label="Tel", source=SOURCE, country=country)
    assert not phone.valid
    assert (phone.number, phone.international) == (printed, printed)
    assert problem is not None and repr(printed) in problem


def test_unknown_country_reads_us_first_then_a_country_code():
    """Without a country, NORD's home style (US) is tried first, then a leading country code."""
    assert read_number("(810)229-5797", "").e164 == "+18102295797"
    assert read_number("61-3-5333-4811", "").e164 == "+61353334811"
    assert read_number("61-3-5333-4811", "ZZ").e164 == "+61353334811"


@pytest.fixture(scope="module")
def international(tmp_path_factory) -> Path:
    """A data directory with the German, UK and Australian test report only."""
    data = tmp_path_factory.mktemp("data")
    (data / "reports").mkdir()
    shutil.copy(FIXTURES / "international_orgs.txt", data / "reports" / "international.txt")
    return data


def test_report_numbers_in_germany_uk_and_australia(international: Path):
    """From report text to the directory: each number right for its country, as a tel: link."""
    catalog = build_catalog(international)
    numbers = {org.name: [p.number for p in org.phones] for org in catalog.organizations}
    assert numbers["Hannover Neutropenia Test Office"] == ["+49511557105"]
    assert numbers["London Neutropenia Test Group"][0] == "+442087250000"
    assert numbers["Ballarat Neutropenia Test Registry"] == ["+61353334811"]
    frame = directory_frame(catalog.organizations)
    tels = dict(zip(frame["name"], frame["main_phone_tel"], strict=True))
    assert tels["Hannover Neutropenia Test Office"] == "tel:+49-511-557105"
    assert not any("4951" in tel for tel in tels.values())


def test_check_warns_about_an_unvalidated_number_with_file_and_line(international: Path):
    """The short UK fax number stays as printed, without a link, and is reported at its line."""
    catalog = build_catalog(international)
    london = next(o for o in catalog.organizations if o.name.startswith("London"))
    fax = london.phones[1]
    assert (fax.valid, fax.international) == (False, "44-20-8725-000")
    warnings = [str(issue) for issue in catalog.issues if "not a valid number" in issue.message]
    assert warnings == [
        "reports/international.txt:20: warning: phone number '44-20-8725-000' is not a "
        "valid number for GB; shown as printed, without a call link"
    ]


def test_uk_address_is_split_and_placed_at_the_post_town(international: Path):
    """ "London, SW17 0QT" is a post town and a postcode; it is placed at the town (no packaged
    UK postcode list), and says so."""
    catalog = build_catalog(international)
    london = next(o for o in catalog.organizations if o.name.startswith("London"))
    assert (london.address.city, london.address.postal_code) == ("London", "SW17 0QT")
    assert london.location.precision == "city"
    assert london.location.country == "GB"
    assert london.location.precision != "none"


def test_uk_postcode_districts_of_listed_organizations(international: Path):
    """The UK organization's postcode district maps to its post town; other countries' codes
    are not taken for UK postcodes."""
    catalog = build_catalog(international)
    assert uk_postcode_towns(catalog.organizations) == {"SW17": "London"}
