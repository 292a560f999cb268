"""Organizations: who can help, where, and how to reach them (map, directory, card)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from components.directory_filters import directory_controls
from components.directory_table import directory_table, map_panel, result_list
from components.exports import export_buttons, export_file_stem
from components.frame import open_page
from components.org_card import org_card_view
from components.text import plain
from explorer.directory.search import search

UNPLACED_NAMED = 5  # organizations not on the map named one by one; the rest are counted

view = open_page("Organizations")
st.title("Support organizations")
filters, place = directory_controls(view.data)
results = search(view.data.directory, filters, place if place and place.found else None)
shown = results.shown
by_id = view.data.by_id

st.caption(
    "From the organizations listed in the reports. Contact details may be out of date: "
    "each card names the report and line it comes from."
)
nearest = f" Nearest to {place.label} first." if place and place.found else ""
with st.container():  # one block, whatever it holds: the map below keeps its place
    st.markdown(f"**{len(shown)}** of {len(by_id)} organizations match.{nearest}")
    if shown.empty:
        st.info(
            "No organization matches: remove a filter, or press **Clear filters** in the sidebar."
        )

signature = abs(hash(filters))
searched = bool(place and place.found)
# One map widget for every search: the browser keeps its deck and WebGL context (a new
# context compiles every shader again, seconds of CPU on a machine drawing in software).
map_key = "org_map"
map_args = {  # the deck is named by the rows' key; their points are read only to build one
    "place": place,
    "radius_km": filters.radius_km,
    "key": map_key,
    "signature": results.rows_key,
    "points": results.shown_points,
}
if searched:  # side by side on a laptop; on a phone the columns stack, results first
    listing, drawing = st.columns(2, gap="large")
    with listing:
        st.header(f"Near {place.label}")
        result_list(results.nearby, unit=filters.unit)
        if results.beyond:
            st.caption(
                f"{results.beyond} more organization(s) further away are hidden by the radius."
            )
        if results.closed_hidden:
            st.caption(
                f"{results.closed_hidden} closed organization(s) left out: turn on "
                "**Show closed organizations** in the sidebar to list them."
            )
    with drawing:
        map_panel(shown, **map_args)
else:
    map_panel(shown, **map_args)
if searched:
    if not results.nearby.empty:  # the list already said "No organization within …"
        directory_table(results.nearby, key=f"near-{signature}", unit=filters.unit)
    if not results.serve_everyone.empty:
        st.header("Serve everyone, wherever you live")
        st.caption("National and international organizations, helplines and registries.")
        result_list(results.serve_everyone, unit=filters.unit)
        directory_table(results.serve_everyone, key=f"everyone-{signature}", unit=filters.unit)
    if not results.unplaced.empty:
        st.header("Distance unknown (not on the map)")
        directory_table(results.unplaced, key=f"unplaced-{signature}")
elif not shown.empty:
    st.header("Directory")
    directory_table(results.nearby, key=f"all-{signature}")

unplaced = np.flatnonzero((shown["geocode_precision"] == "none").to_numpy())
for position in unplaced[:UNPLACED_NAMED]:  # cell by cell: a frame of two columns cost 0.6 ms
    name, reason = shown["name"].iat[position], shown["geocode_reason"].iat[position]
    st.warning(
        f"**{plain(name)}** is not on the map: {plain(reason)}",
        icon=":material/wrong_location:",
    )
if len(unplaced) > UNPLACED_NAMED:
    st.warning(
        f"{len(unplaced) - UNPLACED_NAMED:,} more organizations are not on the map; the "
        "tables list them, with “not on the map” in their Map column.",
        icon=":material/wrong_location:",
    )

org_card_view(shown, by_id, place=place, disorder_titles=view.data.disorder_titles)
export_buttons(shown["id"], by_id, file_stem=export_file_stem(filters, view.disorder))
