"""Parser tests on the bundled NORD report and on small hand-made variants."""

from __future__ import annotations

import pytest

from explorer.reading.addresses import parse_address, split_last_address_line
from explorer.reading.reports import parse_report


def test_title_synonyms_subdivisions(bundled):
    """The headline fields come out exactly as printed."""
    disorder = bundled.disorder
    assert disorder.title == "Neutropenia, General"
    assert disorder.id == "neutropenia-general"
    assert disorder.publisher == "National Organization for Rare Disorders, Inc."
    assert disorder.synonyms == ("Neutropenia, Autoimmune",)
    assert disorder.subdivisions == (
        "Neutropenia, Chronic Congenital",
        "Neutropenia, Chronic Idiopathic",
        "Neutropenia, Cyclic",
    )
    assert bundled.issues == ()


def test_general_discussion_excludes_boilerplate(bundled):
    """One discussion paragraph; nothing of the syndication tail leaks into the data."""
    disorder = bundled.disorder
    assert len(disorder.general_discussion) == 1
    assert disorder.general_discussion[0].startswith("Severe chronic neutropenia (SCN)")
    assert disorder.general_discussion[0].endswith("occurs for unknown reasons.")
    everything = " ".join(
        [*disorder.general_discussion, *(o.name for o in disorder.organizations)]
        + [line for o in disorder.organizations for line in o.address.lines]
    )
    for boilerplate in ("Complete Report", "Bon Secours", "Healthwise", "related physicians"):
        assert boilerplate not in everything


def test_seven_organizations_with_source_lines(bundled):
    """Every organization block is found, with the line its name is printed on."""
    orgs = bundled.disorder.organizations
    assert [(o.name, o.source.line) for o in orgs] == [
        ("National Neutropenia Network", 21),
        ("Severe Chronic Neutropenia International Registry", 26),
        ("NIH/National Heart, Lung and Blood Institute Information Center", 35),
        ("Neutropenia Support Association, Inc.", 41),
        ("Severe Chronic Neutropenia International Registry Australia", 48),
        ("MUMS National Parent-to-Parent Network", 56),
        ("Genetic and Rare Diseases (GARD) Information Center", 63),
    ]
    assert len({o.id for o in orgs}) == 7


def test_seventeen_phones_typed(bundled):
    """17 phone lines: voice, fax and one TDD (textphone), each with its source line."""
    phones = [p for o in bundled.disorder.organizations for p in o.phones]
    assert len(phones) == 17
    assert [p.type for p in phones].count("voice") == 11
    assert [p.type for p in phones].count("fax") == 5
    textphones = [p for p in phones if p.type == "textphone"]
    assert [(p.number, p.source.line) for p in textphones] == [("+18882053223", 69)]
    assert all(p.valid for p in phones)


def test_five_toll_free_numbers(bundled):
    """Exactly the five North American toll-free lines are flagged, the TDD line among them."""
    toll_free = [p for o in bundled.disorder.organizations for p in o.phones if p.toll_free]
    assert sorted(p.number for p in toll_free) == [
        "+18006638876",
        "+18007264463",
        "+18773365333",
        "+18882052311",
        "+18882053223",
    ]
    assert "toll-free" in toll_free[0].description
    local = [p for o in bundled.disorder.organizations for p in o.phones if not p.toll_free]
    assert all("toll-free" not in p.description for p in local)


def test_bare_and_international_numbers_parse(bundled):
    """``2044898454`` is Canadian; ``61-3-5333 4811`` is Australian (country code unprefixed)."""
    by_name = {o.name: o for o in bundled.disorder.organizations}
    canadian = by_name["Neutropenia Support Association, Inc."].phones[0]
    assert (canadian.number, canadian.international) == ("+12044898454", "+1 204-489-8454")
    australian = by_name["Severe Chronic Neutropenia International Registry Australia"].phones
    assert [p.number for p in australian] == ["+61353334811", "+61353334813"]
    assert australian[0].international == "+61 3 5333 4811"
    assert not any(p.international.startswith("(") for p in (canadian, *australian))


def test_canadian_address_without_country_line(bundled):
    """ "Manitoba, R3M 3S7" is a province and a postal code, not a city."""
    org = next(o for o in bundled.disorder.organizations if "Support Association" in o.name)
    address = org.address
    assert address.address_1 == "971 Corydon Avenue"
    assert address.po_box == "P.O. Box 243"
    assert address.state_province == "Manitoba"
    assert address.postal_code == "R3M 3S7"
    assert address.country == "CA"
    assert address.city == ""


def test_australian_address_without_country_line(bundled):
    """ "Ballarat, 3350" is a city and a postcode; building lines stay in address_2."""
    org = next(o for o in bundled.disorder.organizations if o.name.endswith("Australia"))
    address = org.address
    assert address.address_1 == "1002 Mair Street"
    assert address.address_2 == "2nd Floor Marian House; St. John of God Hospital"
    assert (address.city, address.postal_code) == ("Ballarat", "3350")
    assert address.country == ""
    assert address.state_province == ""


def test_us_addresses_split(bundled):
    """US last lines give city, state, ZIP(+4) and country US."""
    cities = {
        (o.address.city, o.address.state_province, o.address.postal_code)
        for o in bundled.disorder.organizations
        if o.address.country == "US"
    }
    assert cities == {
        ("Brighton", "MI", "48116"),
        ("Seattle", "WA", "98101"),
        ("Bethesda", "MD", "20824-0105"),
        ("Green Bay", "WI", "54301-1243"),
        ("Gaithersburg", "MD", "20898-8126"),
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Winnipeg, MB R3M 3S7", {"city": "Winnipeg", "state_province": "MB"}),
        ("Winnipeg MB R3M3S7", {"city": "Winnipeg", "state_province": "MB"}),
        ("Paris, France", {"city": "Paris", "country": "FR"}),
        ("Springfield, Illinois", {"city": "Springfield", "state_province": "Illinois"}),
        ("London, SW17 0QT", {"city": "London", "postal_code": "SW17 0QT", "country": "GB"}),
        ("London sw170qt", {"city": "London", "postal_code": "SW17 0QT", "country": "GB"}),
    ],
)
def test_last_line_shapes(line, expected):
    """Other common last-line shapes are split too."""
    fields = split_last_address_line(line)
    assert expected.items() <= fields.items()


def test_country_line_is_recognised():
    """A trailing country line becomes the ISO code and is not taken for a city."""
    address = parse_address(("10 Downing Street", "London SW1A 2AA", "United Kingdom"))
    assert address.country == "GB"
    assert address.city != "United Kingdom"
    assert (address.city, address.postal_code) == ("London", "SW1A 2AA")


def test_postal_code_first_only_with_a_continental_country_line():
    """ "30625 Hannover" is a postal code and a city under a German country line; without one
    the same shape is a street line ("1002 Mair Street") and is not split."""
    german = parse_address(("Carl-Neuberg-Str. 1", "30625 Hannover", "Germany"))
    assert (german.city, german.postal_code, german.country) == ("Hannover", "30625", "DE")
    assert split_last_address_line("1002 Mair Street") == {}
    assert split_last_address_line("D-30625 Hannover", country="DE")["postal_code"] == "30625"


def test_email_and_internet_lines():
    """Email and Internet lines are kept as such, not as phones."""
    text = (
        "Test Disorder\n\nNational Organization for Rare Disorders, Inc.\n\nGeneral Discussion\n\n"
        "A paragraph long enough to read as prose, not as an organization, because it goes on "
        "and on about the disorder for quite a while.\n\n"
        "Example Foundation\n1 Main Street\nSpringfield, IL 62701\nTel: (217)555-0100\n"
        "Email: info@example.org\nInternet: http://www.example.org\n"
    )
    org = parse_report(text, file="t.txt").disorder.organizations[0]
    assert org.email == "info@example.org"
    assert org.website == "http://www.example.org"
    assert len(org.phones) == 1


def test_tail_words_inside_a_block_are_data():
    """'Related services' inside an organization block is an address line; the tail starts
    only where such a line opens a block (found by the property test)."""
    text = (
        "Test Disorder\n\nNational Organization for Rare Disorders, Inc.\n\nGeneral Discussion\n\n"
        "A paragraph long enough to read as prose, not as an organization, because it goes on "
        "and on about the disorder for quite a while.\n\n"
        "First Foundation\nRELATED SERVICES BUILDING\n1 Main Street\nSpringfield, IL 62701\n\n"
        "Second Foundation\n2 Main Street\nSpringfield, IL 62701\n\n"
        "For a Complete Report\n\nThird Line That Is Boilerplate\n1 Tail Street\n"
    )
    organizations = parse_report(text, file="t.txt").disorder.organizations
    assert [org.name for org in organizations] == ["First Foundation", "Second Foundation"]
    assert organizations[0].address.lines[0] == "RELATED SERVICES BUILDING"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "report is empty"),
        ("   \n\n  \n", "report is empty"),
        ("Just a title\nand some words\n", "not a NORD report abstract"),
    ],
)
def test_unreadable_reports_are_errors_not_exceptions(text, message):
    """Empty or foreign files give an error naming the file, and no disorder."""
    parsed = parse_report(text, file="reports/bad.txt")
    assert parsed.disorder is None
    assert [(i.file, i.severity) for i in parsed.issues] == [("reports/bad.txt", "error")]
    assert message in parsed.issues[0].message
