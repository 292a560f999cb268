"""Stage 3, the directory: the placed organizations as one table a person can search and map.

:mod:`~explorer.directory.table` turns the records into one row each (the column table every
listing and filter reads); :mod:`~explorer.directory.search` filters and ranks it (text,
type, channels, distance from a place found by :mod:`explorer.places.resolve`);
:mod:`~explorer.directory.facets` counts what each filter would leave;
:mod:`~explorer.directory.map_points` gives each row its point on the map and
:mod:`~explorer.directory.map_view` fits the view and spreads points that share a place.
"""
