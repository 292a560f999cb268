"""Baseline (b): the same data drawn the plain way, as a first Streamlit version would.

The whole filtered frame goes to ``st.dataframe`` and, as a pydeck ``ScatterplotLayer``,
to ``st.pydeck_chart`` (``Deck.to_json()`` on every rerun). It uses the app's cached
loader, so only rendering is compared, not loading.
"""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from components.data import get_directory
from components.page_state import TYPES
from explorer.reading.classify import ORG_TYPES

chosen = st.sidebar.multiselect("Organization type", options=ORG_TYPES, key=TYPES)
frame = get_directory()
rows = frame[frame["org_type"].isin(chosen)] if chosen else frame
st.title("Support organizations")
st.pydeck_chart(
    pdk.Deck(
        layers=[
            pdk.Layer(
                "ScatterplotLayer",
                data=rows[["name", "city", "country", "longitude", "latitude"]].dropna(),
                get_position=["longitude", "latitude"],
                get_radius=6,
                radius_units="'pixels'",
                pickable=True,
            )
        ],
        initial_view_state=pdk.ViewState(latitude=20, longitude=0, zoom=1),
        tooltip={"text": "{name}"},
    )
)
st.dataframe(rows[["name", "city", "state_province", "country", "main_phone", "org_type"]])
