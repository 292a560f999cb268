"""Tests for the "near me" place resolver: accepted forms, typos and hostile input."""

from __future__ import annotations

import pytest
import zipcodes
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.models import PRECISIONS
from explorer.places.resolve import ALTERNATIVES_SHOWN, MAX_QUERY_LENGTH, resolve_place
from tests.gazetteer_helpers import geonames_city, km_from


@pytest.mark.parametrize(
    ("query", "label", "precision"),
    [
        ("48116", "48116 Brighton, Michigan, US", "postal_code"),
        ("20824-0105", "20824 Bethesda, Maryland, US", "postal_code"),
        ("R3M 3S7", "R3M Winnipeg, Manitoba, CA", "postal_code"),
        ("r3m3s7", "R3M Winnipeg, Manitoba, CA", "postal_code"),
        ("R3M", "R3M Winnipeg, Manitoba, CA", "postal_code"),
        ("Brighton, MI 48116", "48116 Brighton, Michigan, US", "postal_code"),
        ("971 Corydon Ave, Winnipeg MB R3M 3S7", "R3M Winnipeg, Manitoba, CA", "postal_code"),
        ("Detroit, MI", "Detroit, Michigan, US", "city"),
        ("Detroit, Michigan", "Detroit, Michigan, US", "city"),
        ("detroit michigan", "Detroit, Michigan, US", "city"),
        ("Detroit, MI, USA", "Detroit, Michigan, US", "city"),
        ("Winnipeg, MB", "Winnipeg, Manitoba, CA", "city"),
        ("Ballarat, Australia", "Ballarat, Victoria, AU", "city"),
        ("Paris, France", "Paris, FR", "city"),
        ("Seattle", "Seattle, Washington, US", "city"),
        ("Perth, WA", "Perth, Western Australia, AU", "city"),
        ("London, ON", "London, Ontario, CA", "city"),
        ("Ontario, Canada", "Ontario, CA", "region"),
        ("Michigan", "Michigan, US", "region"),
        ("France", "France", "country"),
    ],
)
def test_accepted_forms(query, label, precision):
    """ZIPs, postal codes, city/region/country combinations all resolve to a labelled point."""
    result = resolve_place(query)
    assert result.found, result.message
    assert (result.label, result.precision) == (label, precision)
    assert result.precision in PRECISIONS
    assert result.latitude is not None and result.message == ""
    assert result.suggestions == ()


def test_zip_point_matches_zipcodes():
    """A ZIP resolves to the centroid `zipcodes` gives it."""
    record = zipcodes.matching("48116")[0]
    result = resolve_place("48116")
    assert result.latitude == pytest.approx(float(record["lat"]), abs=0.01)
    assert result.longitude == pytest.approx(float(record["long"]), abs=0.01)


@pytest.mark.parametrize(
    ("query", "name", "country"),
    [
        ("Detroit, MI", "Detroit", "US"),
        ("Winnipeg, Manitoba", "Winnipeg", "CA"),
        ("Ballarat, Australia", "Ballarat", "AU"),
        ("Seattle", "Seattle", "US"),
    ],
)
def test_city_points_are_the_gazetteer_cities(query, name, country):
    """A city resolves to the gazetteer's own coordinates for that city."""
    city = geonames_city(name, country)
    assert km_from(resolve_place(query), city["latitude"], city["longitude"]) < 1


def test_bare_city_picks_most_populous():
    """A city name alone resolves to its most populous namesake (Paris, France)."""
    result = resolve_place("Paris")
    assert result.label == "Paris, FR"
    assert "most populous" in result.matched


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("Detriot, MI", "Detroit, Michigan, US"),
        ("Detroit, Michigna", "Detroit, Michigan, US"),
        ("Seatle", "Seattle, Washington, US"),
        ("Winipeg, MB", "Winnipeg, Manitoba, CA"),
    ],
)
def test_typos_are_suggested_not_guessed(query, suggestion):
    """A typo is not silently resolved: not found, with a suggestion that does resolve."""
    result = resolve_place(query)
    assert not result.found
    assert result.latitude is None
    assert suggestion in result.suggestions
    assert result.message
    for label in result.suggestions:
        assert resolve_place(label).found, label


def test_miss_in_known_region_names_the_region():
    """The message for a city missing from a recognised region says where it looked."""
    result = resolve_place("Xyzzyville, MI")
    assert not result.found
    assert result.message == "No city called 'xyzzyville' found in Michigan, US."
    assert resolve_place("Detroit, Michigna").message == (
        "'michigna' is not a region or country in the gazetteer."
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "<script>alert(1)</script>",
        "x" * 10_000,
        "a" * (MAX_QUERY_LENGTH + 1),
        "\x00\x01\x02",
        "'; DROP TABLE organizations; --",
        "[click](javascript:alert(1))",
        "99999",
        "Z9Z 9Z9",
        "Xyzzyville",
        None,
    ],
)
def test_garbage_is_not_found_and_safe(query):
    """Hostile or empty input gives found=False and a plain message, never an exception."""
    result = resolve_place(query)
    assert not result.found
    assert result.message
    # Only the normalised query (letters, digits, spaces) is echoed: safe as Markdown.
    assert not {"<", ">", "[", "]", "`", ";", "\x00"} & set(result.message)
    assert result.latitude is None and result.precision == "none"


def test_control_characters_are_ignored():
    """Control characters pasted around a real place do not stop it resolving."""
    assert resolve_place("\x00Detroit\x7f,\tMI\n").label == "Detroit, Michigan, US"


def test_suggestions_are_bounded():
    """At most max_suggestions labels are offered."""
    result = resolve_place("Sprngfield", max_suggestions=2)
    assert not result.found
    assert 0 < len(result.suggestions) <= 2


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=150))
def test_any_text_resolves_or_explains(text):
    """Arbitrary text never raises: a hit has a point, a miss has a message."""
    result = resolve_place(text)
    assert (result.latitude is not None) == result.found
    assert result.found or result.message


@pytest.mark.parametrize("query", ["London, SW17 0QT", "London SW17 0QT", "london sw170qt"])
def test_uk_postcode_with_its_town_is_placed_at_the_town(query):
    """A UK postcode typed with its post town finds the town, and says it is the town."""
    place = resolve_place(query)
    assert place.found
    assert (place.label, place.country, place.precision) == ("London, England, GB", "GB", "city")
    assert "SW17 0QT" in place.matched and "placed at the town" in place.matched
    assert place.precision != "postal_code"


def test_uk_postcode_alone_asks_for_the_town():
    """A bare UK postcode is not guessed to a town; the message says to type the post town."""
    place = resolve_place("SW17 0QT")
    assert not place.found
    assert "post town" in place.message and "SW17 0QT" in place.message
    assert place.latitude is None
    assert resolve_place("R3M 3S7").country == "CA"  # a Canadian code is not a UK one


def test_bare_uk_postcode_suggests_the_town_known_from_the_data():
    """With the post town of a listed organization's postcode district, a bare postcode is
    answered "Did you mean London, SW17 0QT?" (which resolves); another district is not."""
    place = resolve_place("sw17 0qt", postcode_towns={"SW17": "London"})
    assert not place.found
    assert place.suggestions == ("London, SW17 0QT",)
    assert resolve_place(place.suggestions[0]).found
    assert resolve_place("SW1A 1AA", postcode_towns={"SW17": "London"}).suggestions == ()


def test_an_ambiguous_city_offers_the_other_places_of_that_name():
    """ "Springfield" is searched at the largest and offers the others, each of which resolves
    to its own place; an unambiguous name offers none."""
    found = resolve_place("Springfield")
    assert found.found and found.label.startswith("Springfield, ")
    assert 2 <= len(found.alternatives) <= ALTERNATIVES_SHOWN
    assert found.label not in found.alternatives
    points = {(found.latitude, found.longitude)}
    for label in found.alternatives:
        other = resolve_place(label)
        assert other.found and other.label == label
        points.add((other.latitude, other.longitude))
    assert len(points) == len(found.alternatives) + 1, "each alternative is another place"
    assert resolve_place("Detroit, MI").alternatives == ()


def test_brighton_alone_offers_brighton_michigan():
    """ZIP 48116 (Brighton, Michigan: the bundled report's network) is a Brighton too."""
    result = resolve_place("Brighton")
    assert result.found
    assert "Brighton, Michigan, US" in result.alternatives
    assert all(resolve_place(label).found for label in result.alternatives)


def test_a_town_known_only_by_its_zips_is_an_alternative():
    """Brighton, Iowa (under 5,000 people: in the ZIP list, not the city list) is offered."""
    from explorer.places.gazetteer import load_gazetteer

    assert load_gazetteer().find_cities("Brighton", country="US", region="IA") == ()
    assert "Brighton, Iowa, US" in resolve_place("Brighton").alternatives


@pytest.mark.parametrize(
    ("query", "city"),
    [("L4C", "Richmond Hill"), ("L4B 1A1", "Richmond Hill"), ("T1J", "Lethbridge")],
)
def test_a_canadian_postal_area_is_labelled_with_its_city(query, city):
    """ "Richmond Hill Central" is a postal area of Richmond Hill, not a city."""
    result = resolve_place(query)
    assert result.found
    assert result.label.split(", ")[0].split(" ", 1)[1] == city
