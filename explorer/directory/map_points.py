"""Each organization's map point, built once per data version: position, colour, tooltip text.

The point records are JSON objects serialised here, in the build the disk cache keeps
(:func:`explorer.pipeline.build_stored`), so a rerun only joins the strings of the rows
shown (``Deck.to_json()`` would re-serialise every point, about a second at 100,000).
The colours live here, not in the map component, because they are part of that cached
value: this module is in the cache key, the component that draws the deck is not.

Organizations at exactly the same coordinates are numbered as one place
(:data:`PLACE_COLUMN`); their tooltip says so and names the others there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from explorer.directory.table import PRECISION_LABELS, with_listed_column
from explorer.reading.classify import ORG_TYPES

TYPE_COLOURS = dict(
    zip(
        ORG_TYPES,
        ([0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [86, 86, 86]),
        strict=True,
    )
)
"""Okabe–Ito colours: distinguishable with the common colour-vision deficiencies."""
OTHER_COLOUR = [86, 86, 86]
"""An organization of a type the classifier does not name (and the legend's hollow circle)."""
SHARED_NAMED = 3
"""A shared-place tooltip names this many of the others, then counts the rest."""
POINT_COLUMN = "map_point"
"""Directory column with each placed organization's map point as JSON (``""`` if unplaced)."""
PLACE_COLUMN = "map_place"
"""Directory column numbering the places several organizations share (-1: alone)."""
POSITION_KEY = '"position":'
"""Each point's last key, so a shared-place point can be moved by rewriting its tail."""


def place_groups(rows: pd.DataFrame) -> np.ndarray:
    """For each row, a number shared by the rows at exactly the same coordinates, or -1
    for a row alone at its place (or not placed). Computed once per data version."""
    shared = rows["latitude"].notna() & rows.duplicated(["latitude", "longitude"], keep=False)
    groups = np.full(len(rows), -1, dtype=np.int64)
    if shared.any():
        numbers = rows[shared].groupby(["latitude", "longitude"], sort=False).ngroup()
        groups[shared.to_numpy()] = numbers.to_numpy()
    return groups


def shared_notes(rows: pd.DataFrame, groups: np.ndarray) -> list[str]:
    """For rows at the same coordinates as others: a tooltip line naming the others."""
    notes = [""] * len(rows)
    members: dict[int, list[int]] = {}
    for position in np.flatnonzero(groups >= 0):
        members.setdefault(int(groups[position]), []).append(int(position))
    names = rows["name"].to_numpy()
    for positions in members.values():
        # A note names the first few others only: every row after the first few has the
        # same one, made once (a place of 10,000 organizations is not 10,000² names).
        first = positions[: SHARED_NAMED + 1]
        for position in first:
            notes[position] = _shared_note(positions, first, position, names)
        if len(positions) > len(first):
            later = _shared_note(positions, first, positions[-1], names)
            for position in positions[len(first) :]:
                notes[position] = later
    return notes


def _shared_note(positions: list[int], first: list[int], position: int, names: np.ndarray) -> str:
    """The note of the row at ``position``, one of ``positions`` sharing a place (``first``
    their first few)."""
    named = ", ".join([names[other] for other in first if other != position][:SHARED_NAMED])
    more = len(positions) - 1 - SHARED_NAMED
    return (
        f"{len(positions)} organizations share this place (drawn slightly apart); "
        f"also here: {named}" + (f" and {more} more" if more > 0 else "")
    )


def point_json(rows: pd.DataFrame, notes: Sequence[str] | None = None) -> np.ndarray:
    """Each row's map point as a compact JSON object: id, tooltip strings, colour, position.

    ``position`` comes last (:data:`POSITION_KEY`) so that a shared-place point can be
    moved cheaply. Rows without coordinates get ``""``. ``notes`` are the rows'
    :func:`shared_notes` (found here when not given: a slice of the directory is given
    them, since the others at its places may be outside it). Called once per data version
    (it loops in Python); reruns reuse the result through :data:`POINT_COLUMN`.
    """
    encode = json.JSONEncoder(separators=(",", ":")).encode
    city = rows["city"].where(rows["city"] != "", rows["address"])
    place = city + ", " + rows["country"].astype(object)
    columns = zip(  # lists: Arrow-backed text is slow to iterate value by value
        rows["id"].tolist(),
        rows["name"].tolist(),
        place.tolist(),
        rows["geocode_precision"].map(PRECISION_LABELS).tolist(),
        shared_notes(rows, place_groups(rows)) if notes is None else notes,
        rows["longitude"].tolist(),
        rows["latitude"].tolist(),
        rows["org_type"].tolist(),
        strict=True,
    )
    return np.array(
        [
            ""
            if math.isnan(lat)
            else encode(
                {
                    "id": org_id,
                    "name": name,
                    "place": where,
                    "precision": precision,
                    "shared": shared,
                    "colour": TYPE_COLOURS.get(org_type, OTHER_COLOUR),
                    "position": [lon, lat],
                }
            )
            for org_id, name, where, precision, shared, lon, lat, org_type in columns
        ],
        dtype=object,
    )


MAP_POINT_INPUTS = (
    "id", "name", "city", "address", "country", "geocode_precision", "longitude",
    "latitude", "org_type",
)  # fmt: skip
"""The directory columns a map point is made of."""


def with_map_points(frame: pd.DataFrame) -> pd.DataFrame:
    """The directory frame with :data:`POINT_COLUMN` and :data:`PLACE_COLUMN` added."""
    places = place_groups(frame)
    points = pd.Series(point_json(frame, shared_notes(frame, places)), frame.index, object)
    frame = with_listed_column(frame, POINT_COLUMN, points)
    return with_listed_column(frame, PLACE_COLUMN, pd.Series(places, index=frame.index))
