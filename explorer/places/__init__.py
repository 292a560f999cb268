"""Stage 2, places: where an address or a typed place is, offline.

:mod:`~explorer.places.gazetteer` indexes the packaged gazetteers once;
:mod:`~explorer.places.geocode` places each report address on it (with its precision);
:mod:`~explorer.places.resolve` turns what a user types into the "near me" box into a point;
:mod:`~explorer.places.distance` measures from there; :mod:`~explorer.places.directions`
links the way to an organization. Reads records made by :mod:`explorer.reading`; never
imported by it.
"""
