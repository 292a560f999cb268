"""Baseline for the first paint: an empty Streamlit app, one widget and nothing imported from
the project.

The first paint times a fresh server's first page, imports included, so its baseline must
import nothing but Streamlit: ``empty_page.py`` (the rerun baseline) imports the project's
widget key and type list, which bring in pandas, numpy and pyarrow (about 0.36 s of CPU) and
made the ratio look better than it is.
"""

from __future__ import annotations

import streamlit as st

st.sidebar.multiselect("Organization type", options=["Patient organization"])
