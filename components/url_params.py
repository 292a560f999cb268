"""The query string that makes a view shareable: read once per session, mirrored every run.

The sidebar and the Subtypes page each own some parameters. Both read a link's values
and write their own back through these helpers, so every page checks and writes them
the same way and leaves the others' parameters alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import streamlit as st


def first_visit(marker: str) -> bool:
    """True only the first time a session asks: a link is read once, not on every rerun."""
    if marker in st.session_state:
        return False
    st.session_state[marker] = True
    return True


def link_values(param: str, allowed: Collection[str]) -> tuple[list[str], list[str]]:
    """The link's values of ``param`` that are allowed (first occurrences, in order), and the
    values that are not (for a notice)."""
    values = st.query_params.get_all(param)
    known = list(dict.fromkeys(value for value in values if value in allowed))
    return known, [value for value in values if value not in allowed]


def mirror(wanted: Mapping[str, str | list[str] | None]) -> None:
    """Write each parameter, or remove it where its value is None; others stay as they are."""
    for param, value in wanted.items():
        if value is not None:
            st.query_params[param] = value
        elif param in st.query_params:
            del st.query_params[param]
