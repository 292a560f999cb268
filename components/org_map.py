"""The organizations map as a pure pydeck builder (testable without a browser).

Only what the map needs is sent to the browser: position, colour and the tooltip's
strings. Points placed only at a region or country centre are drawn hollow, so an
approximate position never looks exact. The map has no basemap tiles and makes no
request beyond the app: it draws its own sea, country and US state outlines, and
country, state and large-city names (``static/map``, built by ``scripts/build_outlines.py``
from packaged data, served by the app itself: ``server.enableStaticServing``). The map is a
light panel in the light and the dark theme alike, so its colours are the same in both and
match the legend.

Organizations at the same coordinates are drawn slightly apart, on a small ring around
the shared point, and their tooltip says so and names the others there.

Speed: ``Deck.to_json()`` re-serialises every point on every rerun (about a second at
100,000 points). Here each organization's point comes serialised from the cached build
(:mod:`explorer.directory.map_points`), and a rerun only joins the JSON of the rows shown into a
small deck skeleton
(:class:`AssembledDeck`), re-writing the position of shared-place points alone
(:mod:`explorer.directory.map_view`, which also fits the view).

The outlines and names (600 KB) are not in the deck: its layers name their files, which the
browser fetches once and keeps. A deck that carried them sent them again with every search,
and deck.gl, seeing new data, rebuilt every outline and label: seconds of CPU per search in
a browser that draws in software. City names are the exception: each deck carries the few
dozen around its view (:mod:`explorer.directory.city_labels`), not all 2,400 in every frame.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from explorer.directory.city_labels import CityLabels, cities_in_view, read_city_labels
from explorer.directory.map_points import OTHER_COLOUR, POINT_COLUMN, TYPE_COLOURS, point_json
from explorer.directory.map_view import (
    AGGREGATE_ABOVE,
    POINT_RADIUS_PX,
    drawn_one_by_one,
    fit_view,
    group_cells,
    spread,
)
from explorer.places.resolve import PlaceResult

SEARCH_COLOUR = [220, 38, 38]
"""The searched place's ring and radius."""
HALO_COLOUR = [255, 255, 255]
"""A thin white edge around filled points: they stay apart where they touch."""
SEA_COLOUR = [207, 224, 237]
LAND_COLOUR = [248, 250, 252]
BORDER_COLOUR = [188, 198, 211]
"""Borders and coasts are one-pixel lines: the outlines' polygons as a flat wireframe
(``extruded`` at elevation 0, ``wireframe``, nothing filled). deck.gl's stroked outlines (a
path layer, joints computed per vertex) cost a browser that draws in software about 0.8 s
of CPU per map frame for 25,000 border points; the wireframe's plain lines a fraction. The
colour is what the former 0.6-pixel grey stroke looked like over the land."""
LABEL_SPACING = 2.5
"""Labels collide as if this much larger, so the ones shown keep some space between them."""
MAP_FILES = Path(__file__).resolve().parent.parent / "static" / "map"
"""The map's outline and label files, served at :data:`MAP_FILES_URL`."""
MAP_FILES_URL = "app/static/map/"
"""Where the browser fetches them: Streamlit serves the app's ``static`` folder at
``app/static/``. Relative to the page, so a path prefix (a proxy, ``baseUrlPath``) holds."""
APPROXIMATE = ("region", "country")
PIXELS = "'pixels'"
"""pydeck reads a bare string as a data accessor; a quoted one is the literal string."""
PRECISE_LAYER = "organizations"
APPROXIMATE_LAYER = "organizations-approximate"
OUTLINE_FILES = ("countries.geojson", "us_states.geojson")
LABEL_FILE = "labels.json"
"""Country and US state names, fetched by the browser once and drawn at every view."""
CITY_FILE = "cities.json"
"""City names, read by the server: each deck carries those around its view."""
WORLD = [[-180, -85.06], [180, -85.06], [180, 85.06], [-180, 85.06]]
"""The sea, one polygon drawn under the land, one world wide (:data:`WORLDS_SIDE_BY_SIDE`
repeats it like every layer)."""
WORLDS_SIDE_BY_SIDE = pdk.View(type="MapView", controller=True, repeat=True)
"""deck.gl's map view drawing the world again east and west of itself: a view fitted across
the Pacific (:func:`~explorer.directory.map_view.shortest_arc`) shows Australia's land and
organizations west of the antimeridian, and a wide map at world zoom has no empty band."""
GROUP_LAYER = "grouped-organizations"
"""Grouped areas (above :data:`~explorer.directory.map_view.AGGREGATE_ABOVE` points); not named
``organizations…``: a click on a group opens no card."""
GROUP_COLOUR = [51, 65, 85]
GROUP_TEXT_COLOUR = [255, 255, 255]
_DATA = "@@assembled-data@@"
"""Stands in the deck skeleton for layer data that is spliced in as ready-made JSON."""
TOOLTIP = {
    "html": "<b>{name}</b><br/>{place}<br/><i>{precision}</i><br/>{shared}",
    "style": {"backgroundColor": "#1f2937", "color": "white", "fontSize": "13px"},
}


def map_file_url(name: str) -> str:
    """The address a layer's data is fetched from (see :data:`MAP_FILES_URL`)."""
    return MAP_FILES_URL + name


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

    drawn: int = 0
    """Organizations drawn as their own point."""
    grouped: int = 0
    """Organizations drawn inside a group (0 at or below the grouping threshold)."""
    groups: int = 0


def label_layer(layer_id: str, data: str | list[dict]) -> pdk.Layer:
    """Place names, in one style for every label layer. The layers share deck.gl's default
    collision group, so a country name hides a city name under it rather than overprint it."""
    return pdk.Layer(
        "TextLayer",
        data=data,
        id=layer_id,
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
    )


@functools.cache
def city_labels() -> CityLabels:
    """The city names, read once per process (see :mod:`explorer.directory.city_labels`)."""
    return read_city_labels(MAP_FILES / CITY_FILE)


def build_deck(
    rows: pd.DataFrame,
    *,
    place: PlaceResult | None = None,
    radius_km: float | None = None,
    rows_key: str = "",
    points: np.ndarray | None = None,
) -> AssembledDeck:
    """A deck with outlines, precise and approximate organization points, and the search.

    Uses ``points`` (each row's serialised point, in order) when given, else the rows'
    :data:`~explorer.directory.map_points.POINT_COLUMN` when the frame has it (the app's
    cached directory does), else serialises the points now. ``rows_key`` names the row
    set in the ids of the clickable layers (see :func:`point_layer_id`).
    """
    placed = rows["latitude"].notna().to_numpy()
    approximate = rows["geocode_precision"].isin(APPROXIMATE).to_numpy()
    lons, lats = rows["longitude"].to_numpy(), rows["latitude"].to_numpy()
    view = fit_view(lons[placed], lats[placed], place, radius_km)
    searched = place is not None and place.found and "distance_km" in rows
    km = rows["distance_km"].to_numpy(dtype=float) if searched else None
    single = drawn_one_by_one(placed, km, radius_km if searched else None)
    grouped = placed & ~single
    groups = group_cells(lons[grouped], lats[grouped], view.zoom)
    if grouped.any():
        rows, lons, lats = rows[single], lons[single], lats[single]
        placed, approximate = placed[single], approximate[single]
        points = points[single] if points is not None else None
    if points is None:
        points = rows[POINT_COLUMN].to_numpy() if POINT_COLUMN in rows else point_json(rows)
    points = spread(rows, points, view.zoom)
    layers = [
        pdk.Layer(
            "SolidPolygonLayer",
            data=[{"polygon": WORLD}],
            id="sea",
            get_polygon="polygon",
            get_fill_color=SEA_COLOUR,
            pickable=False,
        ),
        pdk.Layer(
            "GeoJsonLayer",
            data=map_file_url(OUTLINE_FILES[0]),
            id="land",
            filled=True,
            stroked=False,
            get_fill_color=LAND_COLOUR,
            pickable=False,
        ),
        *(
            pdk.Layer(
                "GeoJsonLayer",
                data=map_file_url(name),
                id=f"outline-{index}",
                filled=False,
                stroked=False,
                extruded=True,
                wireframe=True,
                get_elevation=0,
                get_line_color=BORDER_COLOUR,
                pickable=False,
            )
            for index, name in enumerate(OUTLINE_FILES)
        ),
        label_layer("labels", map_file_url(LABEL_FILE)),
        label_layer("city-labels", cities_in_view(city_labels(), view)),
    ]
    layer_data = []
    for layer_id, subset, hollow in (
        (PRECISE_LAYER, placed & ~approximate, False),
        (APPROXIMATE_LAYER, placed & approximate, True),
    ):
        layer_data.append("[" + ",".join(points[subset].tolist()) + "]")
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_DATA,
                id=point_layer_id(layer_id, rows_key),
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
    if len(groups):
        layer_data += [groups_json(groups)] * 2  # the discs and their counts
        layers += group_layers()
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
    deck = AssembledDeck(
        layer_data=layer_data,
        layers=layers,
        initial_view_state=pdk.ViewState(
            latitude=view.latitude, longitude=view.longitude, zoom=view.zoom
        ),
        views=[WORLDS_SIDE_BY_SIDE],
        map_provider=None,
        tooltip=TOOLTIP,
    )
    deck.drawn = int(placed.sum())
    deck.grouped = int(groups.counts.sum())
    deck.groups = len(groups)
    return deck


def groups_json(groups) -> str:
    """The grouped areas as the tooltip and the count labels read them."""
    records = [
        {
            "position": [round(float(lon), 5), round(float(lat), 5)],
            "count": int(count),
            "label": f"{count:,}",
            "size": float(min(POINT_RADIUS_PX * 4, POINT_RADIUS_PX + 3 * count**0.25)),
            "name": f"{count:,} organizations in this area",
            "place": "Grouped: search a place or narrow the filters to see each one",
            "precision": "",
            "shared": "",
        }
        for lon, lat, count in zip(groups.longitudes, groups.latitudes, groups.counts, strict=True)
    ]
    return json.dumps(records, separators=(",", ":"))


def group_layers() -> list[pdk.Layer]:
    """A dark disc per group, sized by its count, with the count written on it."""
    return [
        pdk.Layer(
            "ScatterplotLayer",
            data=_DATA,
            id=GROUP_LAYER,
            get_position="position",
            get_radius="size",
            radius_units=PIXELS,
            get_fill_color=[*GROUP_COLOUR, 220],
            get_line_color=HALO_COLOUR,
            stroked=True,
            line_width_min_pixels=1,
            pickable=True,
        ),
        pdk.Layer(
            "TextLayer",
            data=_DATA,
            id=f"{GROUP_LAYER}-counts",
            get_position="position",
            get_text="label",
            get_size=11,
            size_units=PIXELS,
            get_color=GROUP_TEXT_COLOUR,
            font_family="'sans-serif'",
            pickable=False,
        ),
    ]


@st.cache_resource(show_spinner=False, max_entries=16)
def _deck_for(
    signature: str,
    place_key: tuple,
    radius_km: float | None,
    _rows: pd.DataFrame,
    _place: PlaceResult | None,
    _points: Callable[[], np.ndarray | None] | None = None,
) -> AssembledDeck:
    """The deck for one row set, search and radius; ``_rows``, ``_place`` and ``_points`` are
    left out of Streamlit's hashing because ``signature`` and ``place_key`` stand for them
    exactly."""
    points = _points() if _points is not None else None
    return build_deck(
        _rows, place=_place, radius_km=radius_km, rows_key=signature[:12], points=points
    )


def cached_deck(
    rows: pd.DataFrame,
    *,
    signature: str,
    place: PlaceResult | None = None,
    radius_km: float | None = None,
    points: Callable[[], np.ndarray | None] | None = None,
) -> AssembledDeck:
    """:func:`build_deck`, built once per row set (points, rings, view) and reused by every
    rerun and session that shows the same rows, search and radius.

    Cached per process, holding only the assembled JSON: a rerun that changes nothing on
    the map (a unit, a card) costs a look-up, not a new deck. ``signature`` must name
    ``rows`` exactly (the search's :attr:`~explorer.directory.search.Results.rows_key`);
    ``points`` gives the rows' serialised points, asked only when a deck is built
    (:meth:`~explorer.directory.search.Results.shown_points`).
    """
    searched = place if place is not None and place.found else None
    return _deck_for(signature, _place_key(searched), radius_km, rows, searched, points)


def _place_key(searched: PlaceResult | None) -> tuple:
    return (searched.latitude, searched.longitude, searched.label) if searched else ()


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


def legend_markdown(*, searched: bool = False, radius: bool = False, grouped: bool = False) -> str:
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
    if grouped:
        disc = swatch(fill=GROUP_COLOUR, line=HALO_COLOUR, width=1, radius=8)
        entries.append(
            (
                disc,
                f"dark disc with a number: organizations grouped by area (more than "
                f"{AGGREGATE_ABOVE:,} to draw); search a place to see each one near it",
            )
        )
    if searched:
        ring = swatch(fill=None, line=SEARCH_COLOUR, width=3, radius=7)
        entries.append((ring, "red ring: the place searched"))
    if radius:
        circle = swatch(fill=None, line=SEARCH_COLOUR, width=1.5, radius=8)
        entries.append((circle, "red circle: the radius"))
    return " · ".join(f"{image} {meaning}" for image, meaning in entries)


def grouping_note(deck: AssembledDeck, *, searched: bool) -> str:
    """What the map leaves grouped, and how to see each organization (for the list)."""
    one_by_one = (
        f"the {deck.drawn:,} nearest the searched place are drawn one by one"
        if searched and deck.drawn
        else "search a place (with a radius) or narrow the filters to see each one"
    )
    return (
        f"The map groups {deck.grouped:,} organizations into {deck.groups:,} areas, as more "
        f"than {AGGREGATE_ABOVE:,} are shown; {one_by_one}. The tables list every one."
    )


def point_layer_id(kind: str, rows_key: str) -> str:
    """The id of a clickable layer (:data:`PRECISE_LAYER` or :data:`APPROXIMATE_LAYER`) for
    one row set.

    The map keeps one widget key, so the browser keeps its deck (and its WebGL context)
    from one search to the next. Streamlit's frontend checks a kept selection against the
    new layers: under the same layer id it would keep the clicked row's position, now
    another organization; under another id it drops the selection. So the ids name the rows.
    """
    return f"{kind}:{rows_key}" if rows_key else kind


def point_layer_kind(layer_id: str) -> str:
    """:data:`PRECISE_LAYER` or :data:`APPROXIMATE_LAYER` for a clickable layer's id."""
    return layer_id.split(":", 1)[0]


def selected_id(event) -> str:
    """The organization id clicked on the map, or ``""``."""
    objects = (event or {}).get("selection", {}).get("objects", {}) if event else {}
    for layer_id, clicked in objects.items():
        if point_layer_kind(layer_id) in (PRECISE_LAYER, APPROXIMATE_LAYER):
            for obj in clicked:
                return str(obj.get("id", ""))
    return ""
