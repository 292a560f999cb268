"""Neutropenia Resource Explorer: the router.

``st.navigation`` owns routing; the pages under ``pages/`` each open the shared frame
(:func:`components.frame.open_page`: the disorder choice, notices), so a page looks the same
whether this router or, for a fresh server's very first deep link, Streamlit's legacy
``pages/`` handling started it (see :mod:`components.frame`). The router draws the page's
chrome (tab title, layout, navigation links: :mod:`components.chrome`) before the page's
own imports run, so those show while the data's libraries are still being loaded.
"""

from __future__ import annotations

import streamlit as st

from components.chrome import PAGES, routed

page = st.navigation([spec.page() for spec in PAGES], position="hidden")
with routed(page.title):
    page.run()
