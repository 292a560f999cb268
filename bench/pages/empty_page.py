"""Baseline (a): an empty Streamlit script with only the widget the benchmark changes.

Its rerun time is AppTest's and Streamlit's own overhead, measured in the same process
as the Organizations page so the two compare like with like.
"""

from __future__ import annotations

import streamlit as st

from components.page_state import TYPES
from explorer.reading.classify import ORG_TYPES

st.sidebar.multiselect("Organization type", options=ORG_TYPES, key=TYPES)
