"""Organizations: who can help, where, and how to reach them (map, directory, card)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from components.directory_filters import directory_controls
from components.directory_table import directory_table, result_list, select_from_map
from components.exports import export_buttons, export_file_stem
from components.frame import open_page
from components.org_card import org_card_view
from components.org_map import cached_deck, grouping_note, legend_markdown
from components.text import plain
from explorer.config import data_dir
from explorer.search import search

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
st.markdown(f"**{len(shown)}** of {len(by_id)} organizations match.{nearest}")
if shown.empty:
    st.info("No organization matches: remove a filter, or press **Clear filters** in the sidebar.")

signature = abs(hash(filters))
map_key = f"map-{signature}"
deck = cached_deck(shown, geo_dir=data_dir() / "geo", place=place, radius_km=filters.radius_km)
st.pydeck_chart(
    deck,
    on_select=partial(select_from_map, map_key),
    selection_mode="single-object",
    key=map_key,
    alt=f"Map of {deck.drawn + deck.grouped} organizations; the tables below list "
    "every organization shown, with the same details.",
)
searched = bool(place and place.found)
st.markdown(
    legend_markdown(
        searched=searched, radius=searched and bool(filters.radius_km), grouped=deck.grouped > 0
    )
)
if deck.grouped:
    st.caption(grouping_note(deck, searched=searched))

if place and place.found:
    st.header(f"Near {place.label}")
    result_list(results.nearby, unit=filters.unit)
    if not results.nearby.empty:
        directory_table(results.nearby, key=f"near-{signature}", unit=filters.unit)
    if results.beyond:
        st.caption(f"{results.beyond} more organization(s) further away are hidden by the radius.")
    if results.closed_hidden:
        st.caption(
            f"{results.closed_hidden} closed organization(s) left out: turn on "
            "**Show closed organizations** in the sidebar to list them."
        )
    if not results.serve_everyone.empty:
        st.header("Serve everyone, wherever you live")
        st.caption("National and international organizations, helplines and registries.")
        result_list(results.serve_everyone, unit=filters.unit)
        directory_table(results.serve_everyone, key=f"everyone-{signature}", unit=filters.unit)
    if not results.unplaced.empty:
        st.header("Distance unknown (not on the map)")
        directory_table(results.unplaced, key=f"unplaced-{signature}")
else:
    st.header("Directory")
    directory_table(results.nearby, key=f"all-{signature}")

unplaced = shown[shown["geocode_precision"] == "none"]
for row in unplaced.head(UNPLACED_NAMED).itertuples():
    st.warning(
        f"**{plain(row.name)}** is not on the map: {plain(row.geocode_reason)}",
        icon=":material/wrong_location:",
    )
if len(unplaced) > UNPLACED_NAMED:
    st.warning(
        f"{len(unplaced) - UNPLACED_NAMED:,} more organizations are not on the map; the "
        "tables list them, with “not on the map” in their Map column.",
        icon=":material/wrong_location:",
    )

org_card_view(shown, by_id, place=place, disorder_titles=view.data.disorder_titles)
export_buttons(shown["id"].to_numpy(), by_id, file_stem=export_file_stem(filters, view.disorder))
