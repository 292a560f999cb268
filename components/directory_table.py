"""The directory table (a complete text alternative to the map) and its row selection."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.notices import plain
from explorer.directory import PRECISION_LABELS

SELECTED_ORG = "selected_org"


def _select_from_table(key: str) -> None:
    """Row click → the selected organization (the last click on map or table wins)."""
    rows = st.session_state[key].selection.rows
    ids = st.session_state.get(f"{key}-ids", [])
    if rows and rows[0] < len(ids):
        st.session_state[SELECTED_ORG] = ids[rows[0]]


def table_frame(rows: pd.DataFrame, *, with_distance: bool) -> pd.DataFrame:
    """The columns a person reads, phones as ``tel:`` links, precision in words."""
    frame = pd.DataFrame(
        {
            "Organization": rows["name"],
            "Distance": rows["distance"].round(0) if with_distance else None,
            "City": rows["city"],
            "State / province": rows["state_province"],
            "Country": rows["country"],
            "Phone": rows["main_phone_tel"].replace("", None),
            "Type": rows["org_type"],
            "Map": rows["geocode_precision"].map(PRECISION_LABELS),
        }
    )
    return frame if with_distance else frame.drop(columns="Distance")


def directory_table(rows: pd.DataFrame, *, key: str, unit: str = "km") -> None:
    """A sortable table of ``rows``; clicking a row selects that organization."""
    with_distance = "distance" in rows.columns
    st.session_state[f"{key}-ids"] = list(rows["id"])
    st.dataframe(
        table_frame(rows, with_distance=with_distance),
        hide_index=True,
        width="stretch",
        key=key,
        on_select=lambda: _select_from_table(key),
        selection_mode="single-row",
        column_config={
            "Organization": st.column_config.TextColumn(width="large"),
            "Distance": st.column_config.NumberColumn(f"Distance ({unit})", format="%d"),
            "Phone": st.column_config.LinkColumn(
                "Main phone", display_text=r"tel:(.*)", help="Click to call"
            ),
        },
    )


def result_list(rows: pd.DataFrame, *, unit: str, limit: int = 10) -> None:
    """The nearest organizations as plain text (readable by screen readers), nearest first."""
    lines = []
    for rank, row in enumerate(rows.head(limit).itertuples(), start=1):
        phone = f" · [{plain(row.main_phone)}]({row.main_phone_tel})" if row.main_phone_tel else ""
        place = ", ".join(plain(p) for p in (row.city, row.state_province, row.country) if p)
        lines.append(f"{rank}. **{plain(row.name)}** — {row.distance:,.0f} {unit} · {place}{phone}")
    if len(rows) > limit:
        lines.append(f"\n…and {len(rows) - limit} more in the table below.")
    st.markdown("\n".join(lines) if lines else "No organization within this distance.")
