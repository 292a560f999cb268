"""Captions that say where shown content comes from."""

from __future__ import annotations

import streamlit as st

from components.text import link, plain
from explorer.links import safe_web_url
from explorer.models import Disorder


def report_source_caption(disorder: Disorder) -> None:
    """Publisher, report file and line: every fact on the page can be traced back."""
    publisher = disorder.publisher or "publisher not stated"
    retrieved = (
        f"retrieved {disorder.retrieved}" if disorder.retrieved else "retrieval date unknown"
    )
    url = safe_web_url(disorder.source_url)
    original = f" ({link('original', url)})" if url else ""
    st.caption(
        f"Source: report abstract “{plain(disorder.title)}”, {plain(publisher)}{original} — "
        f"file `{disorder.source.file}`, {retrieved}. {plain(disorder.source_note)} "
        "Contact details may be out of date: check with an organization before you travel."
    )
