"""The organizations map as a pure pydeck builder (testable without a browser).

Only what the map needs is sent to the browser: position, colour and the tooltip's
strings. Points placed only at a region or country centre are drawn hollow, so an
approximate position never looks exact. Country and US state outlines from packaged
public-domain data keep the map readable when the basemap tiles cannot load (offline).

Speed: ``Deck.to_json()`` re-serialises every point on every rerun (about a second at
100,000 points). Here each organization's point is serialised once per data version
(:func:`with_map_points`, called by the cached loader) and the outlines once per
process; a rerun only joins the JSON of the rows shown into a small deck skeleton
(:class:`AssembledDeck`).
"""

from __future__ import annotations

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
COLOUR_NAMES = dict(zip(ORG_TYPES, ("blue", "orange", "green", "violet", "gray"), strict=True))
"""The nearest Streamlit text colour and its name, for the legend."""

APPROXIMATE = ("region", "country")
NEAREST_IN_VIEW = 3
"""With no radius, the map fits the searched place and this many nearest organizations."""
PIXELS = "'pixels'"
"""pydeck reads a bare string as a data accessor; a quoted one is the literal string."""
PRECISE_LAYER = "organizations"
APPROXIMATE_LAYER = "organizations-approximate"
OUTLINE_FILES = ("countries.geojson", "us_states.geojson")
POINT_COLUMN = "map_point"
"""Directory column with each placed organization's map point as JSON (``""`` if unplaced)."""
_DATA = "@@assembled-data@@"
"""Stands in the deck skeleton for layer data that is spliced in as ready-made JSON."""
TOOLTIP = {
    "html": "<b>{name}</b><br/>{place}<br/><i>{precision}</i>",
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


def point_json(rows: pd.DataFrame) -> np.ndarray:
    """Each row's map point as a compact JSON object: id, tooltip strings, position, colour.

    Rows without coordinates get ``""``. Called once per data version (it loops in
    Python); reruns reuse the result through :data:`POINT_COLUMN`.
    """
    encode = json.JSONEncoder(separators=(",", ":")).encode
    city = rows["city"].where(rows["city"] != "", rows["address"])
    place = city + ", " + rows["country"].astype(object)
    columns = zip(
        rows["id"],
        rows["name"],
        place,
        rows["geocode_precision"].map(PRECISION_LABELS),
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
                    "position": [lon, lat],
                    "colour": TYPE_COLOURS.get(org_type, [86, 86, 86]),
                }
            )
            for org_id, name, where, precision, lon, lat, org_type in columns
        ],
        dtype=object,
    )


def with_map_points(frame: pd.DataFrame) -> pd.DataFrame:
    """The directory frame with :data:`POINT_COLUMN` added (for the cached loader)."""
    points = pd.Series(point_json(frame), index=frame.index, dtype=object)
    return with_listed_column(frame, POINT_COLUMN, points)


MAP_WIDTH_PX, MAP_HEIGHT_PX = 700, 500
"""A conservative size for the map on a laptop screen (its height is set by the page)."""
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
    points = rows[POINT_COLUMN].to_numpy() if POINT_COLUMN in rows else point_json(rows)
    outlines = outlines_json(geo_dir)
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=_DATA,
            id=f"outline-{index}",
            stroked=True,
            filled=index == 0,
            get_fill_color=[241, 245, 249],
            get_line_color=[148, 163, 184],
            line_width_min_pixels=0.6,
            pickable=False,
        )
        for index in range(len(outlines))
    ]
    layer_data = list(outlines)
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
                get_line_color="colour",
                filled=not hollow,
                stroked=True,
                line_width_min_pixels=2 if hollow else 1,
                get_radius=6,
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
                    get_line_color=[220, 38, 38],
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
                get_line_color=[220, 38, 38],
                line_width_min_pixels=3,
                get_radius=11,
                radius_units=PIXELS,
            )
        )
    return AssembledDeck(
        layer_data=layer_data,
        layers=layers,
        initial_view_state=view_for(
            rows["longitude"].to_numpy()[placed],
            rows["latitude"].to_numpy()[placed],
            place,
            radius_km,
        ),
        map_provider="carto",
        map_style=pdk.map_styles.CARTO_LIGHT,
        tooltip=TOOLTIP,
    )


def legend_markdown() -> str:
    """The map legend as text: colour words as well as colours, so it reads without colour."""
    types = " · ".join(f":{c}[●] {c}: {t}" for t, c in COLOUR_NAMES.items())
    return f"{types} · ○ hollow circle: approximate position (state/province or country centre)"


def selected_id(event) -> str:
    """The organization id clicked on the map, or ``""``."""
    objects = (event or {}).get("selection", {}).get("objects", {}) if event else {}
    for layer_id in (PRECISE_LAYER, APPROXIMATE_LAYER):
        for obj in objects.get(layer_id, []):
            return str(obj.get("id", ""))
    return ""
