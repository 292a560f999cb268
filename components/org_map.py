"""The organizations map as a pure pydeck builder (testable without a browser).

Only what the map needs is sent to the browser: position, colour and the tooltip's
strings. Points placed only at a region or country centre are drawn hollow, so an
approximate position never looks exact. The map has no basemap tiles and makes no
request beyond the app: it draws its own sea, country and US state outlines, and
country, state and large-city names (``data/geo``, built by ``scripts/build_outlines.py``
from packaged data). The map is a light panel in the light and the dark theme alike,
so its colours are the same in both and match the legend.

Organizations at the same coordinates are drawn slightly apart, on a small ring around
the shared point, and their tooltip says so and names the others there.

Speed: ``Deck.to_json()`` re-serialises every point on every rerun (about a second at
100,000 points). Here each organization's point is serialised once per data version
(:func:`with_map_points`, called by the cached loader) and the outlines and labels once
per process; a rerun only joins the JSON of the rows shown into a small deck skeleton
(:class:`AssembledDeck`), re-writing the position of shared-place points alone.
"""

from __future__ import annotations

import base64
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk

from explorer.classify import ORG_TYPES
from explorer.directory import PRECISION_LABELS, with_listed_column
from explorer.places import PlaceResult

TYPE_COLOURS = dict(
    zip(
        ORG_TYPES,
        ([0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [86, 86, 86]),
        strict=True,
    )
)
"""Okabe–Ito colours: distinguishable with the common colour-vision deficiencies."""
OTHER_COLOUR = [86, 86, 86]
SEARCH_COLOUR = [220, 38, 38]
"""The searched place's ring and radius."""
HALO_COLOUR = [255, 255, 255]
"""A thin white edge around filled points: they stay apart where they touch."""
SEA_COLOUR = [207, 224, 237]
LAND_COLOUR = [248, 250, 252]
BORDER_COLOUR = [148, 163, 184]
LABEL_COLOURS = {"countries": [15, 23, 42], "states": [71, 85, 105], "cities": [30, 41, 59]}
LABEL_SIZES = {"countries": 15, "states": 13, "cities": 12}
"""Pixels: countries largest, as on a printed atlas."""
LABEL_SPACING = 2.5
"""Labels collide as if this much larger, so the ones shown keep some space between them."""
POINT_RADIUS_PX = 6
SPREAD_GAP_PX = 2 * POINT_RADIUS_PX + 3
"""Centre-to-centre distance of neighbours on a shared-place ring (points do not touch)."""
SPREAD_MAX_PX = 40
"""A ring never grows past this radius; the tooltip names everyone at the place anyway."""
SHARED_NAMED = 3
"""A shared-place tooltip names this many of the others, then counts the rest."""

APPROXIMATE = ("region", "country")
NEAREST_IN_VIEW = 3
"""With no radius, the map fits the searched place and this many nearest organizations."""
PIXELS = "'pixels'"
"""pydeck reads a bare string as a data accessor; a quoted one is the literal string."""
PRECISE_LAYER = "organizations"
APPROXIMATE_LAYER = "organizations-approximate"
OUTLINE_FILES = ("countries.geojson", "us_states.geojson")
LABEL_FILE = "labels.json"
LABEL_KINDS = ("countries", "states", "cities")
WORLD = [[-180, -85.06], [180, -85.06], [180, 85.06], [-180, 85.06]]
"""The whole Web Mercator world: the sea is one polygon drawn under the land."""
POINT_COLUMN = "map_point"
"""Directory column with each placed organization's map point as JSON (``""`` if unplaced)."""
PLACE_COLUMN = "map_place"
"""Directory column numbering the places several organizations share (-1: alone)."""
_DATA = "@@assembled-data@@"
"""Stands in the deck skeleton for layer data that is spliced in as ready-made JSON."""
TOOLTIP = {
    "html": "<b>{name}</b><br/>{place}<br/><i>{precision}</i><br/>{shared}",
    "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"},
}


@lru_cache(maxsize=4)
def load_outlines(geo_dir: Path) -> tuple[dict, ...]:
    """The outline GeoJSON files that exist (a missing one only costs the outline)."""
    return tuple(
        json.loads((geo_dir / name).read_text(encoding="utf-8"))
        for name in OUTLINE_FILES
        if (geo_dir / name).is_file()
    )


@lru_cache(maxsize=4)
def outlines_json(geo_dir: Path) -> tuple[str, ...]:
    """The outlines as compact JSON, serialised once per process (they never change)."""
    return tuple(json.dumps(outline, separators=(",", ":")) for outline in load_outlines(geo_dir))


@lru_cache(maxsize=4)
def labels_json(geo_dir: Path) -> str:
    """Every label, styled by kind, as one compact JSON list read once per process.

    One list, because deck.gl's collision filter keeps labels apart only within a
    layer: a country name then hides a city name under it instead of overprinting it.
    """
    path = geo_dir / LABEL_FILE
    labels = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    styled = [
        {**label, "size": LABEL_SIZES[kind], "colour": LABEL_COLOURS[kind]}
        for kind in LABEL_KINDS
        for label in labels.get(kind, [])
    ]
    return json.dumps(styled, separators=(",", ":"), ensure_ascii=False)


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
        for position in positions:
            others = [names[other] for other in positions if other != position]
            named = ", ".join(others[:SHARED_NAMED])
            more = f" and {len(others) - SHARED_NAMED} more" if len(others) > SHARED_NAMED else ""
            notes[position] = (
                f"{len(positions)} organizations share this place (drawn slightly apart); "
                f"also here: {named}{more}"
            )
    return notes


def point_json(rows: pd.DataFrame) -> np.ndarray:
    """Each row's map point as a compact JSON object: id, tooltip strings, colour, position.

    ``position`` comes last so that a shared-place point can be moved cheaply
    (:func:`_spread`). Rows without coordinates get ``""``. Called once per data
    version (it loops in Python); reruns reuse the result through :data:`POINT_COLUMN`.
    """
    encode = json.JSONEncoder(separators=(",", ":")).encode
    city = rows["city"].where(rows["city"] != "", rows["address"])
    place = city + ", " + rows["country"].astype(object)
    columns = zip(
        rows["id"],
        rows["name"],
        place,
        rows["geocode_precision"].map(PRECISION_LABELS),
        shared_notes(rows, place_groups(rows)),
        rows["longitude"],
        rows["latitude"],
        rows["org_type"],
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


def spread_offsets(rows: pd.DataFrame, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Row positions and their (longitude, latitude) offsets that put the rows shown at
    one place on a small ring around it.

    Uses the rows' :data:`PLACE_COLUMN` when the frame has it (the app's cached directory
    does), so a rerun only looks at rows that share a place. The ring is sized in screen
    pixels at ``zoom`` (neighbours :data:`SPREAD_GAP_PX` apart, at most
    :data:`SPREAD_MAX_PX` from the centre) and follows the rows' order, so the same rows
    always land in the same spots. A row whose partners are all filtered out stays put.
    """
    groups = rows[PLACE_COLUMN].to_numpy() if PLACE_COLUMN in rows else place_groups(rows)
    candidates = np.flatnonzero(groups >= 0)
    _, group, sizes = np.unique(groups[candidates], return_inverse=True, return_counts=True)
    shown_together = sizes[group] > 1
    where, group = candidates[shown_together], group[shown_together]
    _, group, sizes = np.unique(group, return_inverse=True, return_counts=True)
    by_group = np.argsort(group, kind="stable")
    rank = np.empty(len(group), dtype=np.int64)
    rank[by_group] = np.arange(len(group)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    count = sizes[group].astype(float)
    angle = 2 * np.pi * rank / count + np.pi / 2
    radius = np.minimum(SPREAD_GAP_PX / 2 / np.sin(np.pi / count), SPREAD_MAX_PX)
    degrees_per_px = 360 / (TILE_PX * 2**zoom)
    stretch = np.maximum(np.cos(np.radians(rows["latitude"].to_numpy()[where])), 0.05)
    offsets = np.column_stack(
        [radius * np.cos(angle) * degrees_per_px, radius * np.sin(angle) * degrees_per_px * stretch]
    )
    return where, offsets


POSITION_KEY = '"position":'


def _spread(rows: pd.DataFrame, points: np.ndarray, zoom: float) -> np.ndarray:
    """``points`` with each shared-place point's position moved onto its ring."""
    where, offsets = spread_offsets(rows, zoom)
    if not len(where):
        return points
    points = points.copy()
    lons = rows["longitude"].to_numpy()[where] + offsets[:, 0]
    lats = rows["latitude"].to_numpy()[where] + offsets[:, 1]
    for at, lon, lat in zip(where, lons, lats, strict=True):
        text = points[at]
        points[at] = f"{text[: text.rindex(POSITION_KEY)]}{POSITION_KEY}[{lon:.6f},{lat:.6f}]}}"
    return points


def with_map_points(frame: pd.DataFrame) -> pd.DataFrame:
    """The directory frame with :data:`POINT_COLUMN` and :data:`PLACE_COLUMN` added (for
    the cached loader)."""
    points = pd.Series(point_json(frame), index=frame.index, dtype=object)
    places = pd.Series(place_groups(frame), index=frame.index)
    return with_listed_column(with_listed_column(frame, POINT_COLUMN, points), PLACE_COLUMN, places)


MAP_WIDTH_PX, MAP_HEIGHT_PX = 340, 500
"""The map's size the view is fitted to: a phone's width (390 px less margins), so the
searched place and its nearest organizations are in view on a phone too; a laptop shows
more around them. The deck cannot know the browser's width when it is built."""
KM_PER_DEGREE = 111.32
TILE_PX = 512
"""deck.gl's zoom 0 shows the whole world 512 pixels wide."""


def _fit_zoom(lat_span: float, lon_span: float, latitude: float) -> float:
    """The Web Mercator zoom at which both spans (degrees) fit the map, with a margin."""
    stretch = max(math.cos(math.radians(latitude)), 0.05)
    by_width = math.log2(360 * MAP_WIDTH_PX / (TILE_PX * max(lon_span, 1e-3)))
    by_height = math.log2(360 * MAP_HEIGHT_PX * stretch / (TILE_PX * max(lat_span, 1e-3)))
    return max(0.5, min(11.0, min(by_width, by_height) - 0.3))


def view_for(
    lons: np.ndarray, lats: np.ndarray, place: PlaceResult | None, radius_km: float | None
):
    """Fit the searched place with its radius (or its nearest points), else every point.

    ``lons``/``lats`` are the placed rows' coordinates in list order (nearest first
    when a place is searched).
    """
    if place is not None and place.found:
        if radius_km:
            lat_span = 2 * radius_km / KM_PER_DEGREE
            lon_span = lat_span / max(math.cos(math.radians(place.latitude)), 0.05)
            zoom = _fit_zoom(lat_span, lon_span, place.latitude)
            return pdk.ViewState(latitude=place.latitude, longitude=place.longitude, zoom=zoom)
        lons = np.append(lons[:NEAREST_IN_VIEW], place.longitude)
        lats = np.append(lats[:NEAREST_IN_VIEW], place.latitude)
    if not len(lons):
        return pdk.ViewState(latitude=20, longitude=0, zoom=1)
    south, north, west, east = (float(f(a)) for a in (lats, lons) for f in (np.min, np.max))
    middle = (north + south) / 2
    return pdk.ViewState(
        latitude=middle,
        longitude=(east + west) / 2,
        zoom=_fit_zoom(north - south, east - west, middle),
    )


class AssembledDeck(pdk.Deck):
    """A ``pdk.Deck`` whose layer data arrive as ready-made JSON strings.

    The deck is built with empty layer data, so pydeck serialises only the skeleton
    (settings, view, tooltip); each marked layer's JSON is then spliced in, in layer
    order. ``st.pydeck_chart`` calls :meth:`to_json`, which returns the assembled spec.
    """

    def __init__(self, *, layer_data: list[str], **deck_args) -> None:
        super().__init__(**deck_args)
        skeleton = json.loads(super().to_json())
        pieces = json.dumps(skeleton, separators=(",", ":")).split(json.dumps(_DATA))
        if len(pieces) != len(layer_data) + 1:
            raise ValueError("one JSON string is needed per layer marked for assembled data")
        self._json = "".join(
            piece + data for piece, data in zip(pieces, [*layer_data, ""], strict=True)
        )

    def to_json(self) -> str:
        return self._json


def build_deck(
    rows: pd.DataFrame,
    *,
    geo_dir: Path,
    place: PlaceResult | None = None,
    radius_km: float | None = None,
) -> AssembledDeck:
    """A deck with outlines, precise and approximate organization points, and the search.

    Uses the rows' :data:`POINT_COLUMN` when the frame has it (the app's cached
    directory does), else serialises the points now.
    """
    placed = rows["latitude"].notna().to_numpy()
    approximate = rows["geocode_precision"].isin(APPROXIMATE).to_numpy()
    view = view_for(
        rows["longitude"].to_numpy()[placed], rows["latitude"].to_numpy()[placed], place, radius_km
    )
    points = rows[POINT_COLUMN].to_numpy() if POINT_COLUMN in rows else point_json(rows)
    points = _spread(rows, points, view.zoom)
    outlines = outlines_json(geo_dir)
    labels = labels_json(geo_dir)
    layers = [
        pdk.Layer(
            "SolidPolygonLayer",
            data=[{"polygon": WORLD}],
            id="sea",
            get_polygon="polygon",
            get_fill_color=SEA_COLOUR,
            pickable=False,
        ),
        *(
            pdk.Layer(
                "GeoJsonLayer",
                data=_DATA,
                id=f"outline-{index}",
                stroked=True,
                filled=index == 0,
                get_fill_color=LAND_COLOUR,
                get_line_color=BORDER_COLOUR,
                line_width_min_pixels=0.6,
                pickable=False,
            )
            for index in range(len(outlines))
        ),
        pdk.Layer(
            "TextLayer",
            data=_DATA,
            id="labels",
            get_position="position",
            get_text="text",
            get_size="size",
            size_units=PIXELS,
            get_color="colour",
            font_family="'sans-serif'",
            character_set="'auto'",
            font_settings={"sdf": True},
            outline_width=3,
            outline_color=[*LAND_COLOUR, 230],
            extensions=[{"@@type": "CollisionFilterExtension"}],
            get_collision_priority="priority",
            collision_test_props={"sizeScale": LABEL_SPACING},
            pickable=False,
        ),
    ]
    layer_data = [*outlines, labels]
    for layer_id, subset, hollow in (
        (PRECISE_LAYER, placed & ~approximate, False),
        (APPROXIMATE_LAYER, placed & approximate, True),
    ):
        layer_data.append("[" + ",".join(points[subset].tolist()) + "]")
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_DATA,
                id=layer_id,
                get_position="position",
                get_fill_color="colour",
                get_line_color="colour" if hollow else HALO_COLOUR,
                filled=not hollow,
                stroked=True,
                line_width_min_pixels=2 if hollow else 1,
                get_radius=POINT_RADIUS_PX,
                radius_units=PIXELS,
                pickable=True,
                auto_highlight=True,
            )
        )
    if place is not None and place.found:
        searched = [{"position": [place.longitude, place.latitude], "name": place.label}]
        if radius_km:
            layers.append(
                pdk.Layer(
                    "ScatterplotLayer",
                    data=searched,
                    id="search-radius",
                    get_position="position",
                    get_radius=radius_km * 1000,
                    filled=False,
                    stroked=True,
                    get_line_color=SEARCH_COLOUR,
                    line_width_min_pixels=2,
                )
            )
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=searched,
                id="search-place",
                get_position="position",
                filled=False,
                stroked=True,
                get_line_color=SEARCH_COLOUR,
                line_width_min_pixels=3,
                get_radius=11,
                radius_units=PIXELS,
            )
        )
    return AssembledDeck(
        layer_data=layer_data,
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        tooltip=TOOLTIP,
    )


def _rgb(colour: list[int]) -> str:
    return "rgb({},{},{})".format(*colour)


def swatch(*, fill: list[int] | None, line: list[int], width: float, radius: float) -> str:
    """A Markdown image of one map symbol, drawn on the map's land colour from the same
    colour constants as the map (a data URI of fixed SVG: no data goes into it)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18">'
        f'<rect width="18" height="18" rx="3" fill="{_rgb(LAND_COLOUR)}"/>'
        f'<circle cx="9" cy="9" r="{radius}" fill="{_rgb(fill) if fill else "none"}" '
        f'stroke="{_rgb(line)}" stroke-width="{width}"/></svg>'
    )
    return f"![](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()})"


def legend_markdown(*, searched: bool = False, radius: bool = False) -> str:
    """The map legend: each symbol drawn as on the map, then what it means in words."""
    entries = [
        (swatch(fill=colour, line=HALO_COLOUR, width=1, radius=POINT_RADIUS_PX), org_type)
        for org_type, colour in TYPE_COLOURS.items()
    ]
    entries.append(
        (
            swatch(fill=None, line=OTHER_COLOUR, width=2, radius=POINT_RADIUS_PX - 1),
            "hollow circle: approximate position (state/province or country centre)",
        )
    )
    if searched:
        ring = swatch(fill=None, line=SEARCH_COLOUR, width=3, radius=7)
        entries.append((ring, "red ring: the place searched"))
    if radius:
        circle = swatch(fill=None, line=SEARCH_COLOUR, width=1.5, radius=8)
        entries.append((circle, "red circle: the radius"))
    return " · ".join(f"{image} {meaning}" for image, meaning in entries)


def selected_id(event) -> str:
    """The organization id clicked on the map, or ``""``."""
    objects = (event or {}).get("selection", {}).get("objects", {}) if event else {}
    for layer_id in (PRECISE_LAYER, APPROXIMATE_LAYER):
        for obj in objects.get(layer_id, []):
            return str(obj.get("id", ""))
    return ""
