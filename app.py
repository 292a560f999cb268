"""Neutropenia Resource Explorer: the router.

``st.navigation`` owns routing; the pages under ``pages/`` each open the shared frame
(:func:`components.frame.open_page`: navigation links, the disorder choice, notices), so a
page looks the same whether this router or, for a fresh server's very first deep link,
Streamlit's legacy ``pages/`` handling started it (see :mod:`components.frame`).
"""

from __future__ import annotations

import streamlit as st

from components.frame import PAGES

st.navigation([spec.page() for spec in PAGES], position="hidden").run()
