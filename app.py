"""Neutropenia Resource Explorer: the router.

Sets the page up, draws the sidebar every page shares (its widgets live here so their
values survive page changes), then runs the chosen page. A missing package or an
unreadable data folder becomes a message that says how to fix it, not a traceback.
"""

from __future__ import annotations

import streamlit as st

from components.data import get_catalog
from components.notices import explain_faults, show_data_problems
from components.router import mark_routed
from components.sidebar import render_sidebar

st.set_page_config(
    page_title="Neutropenia Resource Explorer",
    page_icon=":material/bloodtype:",
    layout="wide",
)

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/info:", default=True),
    st.Page("pages/subtypes.py", title="Subtypes", icon=":material/compare:"),
    st.Page("pages/organizations.py", title="Organizations", icon=":material/diversity_3:"),
    st.Page("pages/take_away.py", title="Take it with you", icon=":material/picture_as_pdf:"),
]

page = st.navigation(PAGES)
with explain_faults():
    catalog = get_catalog()
    st.session_state["filters"], st.session_state["place_result"] = render_sidebar(catalog)
    show_data_problems(catalog)
    mark_routed()
    page.run()
