"""Keep every page behind the router in ``app.py``.

Streamlit still treats a folder named ``pages/`` next to the entrypoint as a legacy
(v1) multipage app until ``st.navigation`` has run once in the process. If the very
first request is a deep link (``/organizations``), Streamlit then runs the page file
alone, without the router's sidebar. A page calls :func:`require_router` first: when
the router did not run, it switches legacy mode off and reruns, so ``app.py`` routes
the same URL (query string kept) as it does for every later request.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

ROUTED = "_routed_by_app"


def mark_routed() -> None:
    """Called by ``app.py`` just before it runs the chosen page."""
    st.session_state[ROUTED] = True


def require_router() -> None:
    """Rerun through ``app.py`` if this page was started without it."""
    if st.session_state.pop(ROUTED, False) or not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
