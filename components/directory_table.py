"""The directory (a complete text alternative to the map): tables, the result list, a picker,
and the callbacks that open a card from the map or a table.

Every way to open an organization's card (map click, table row, the picker) writes the
same ``selected_org`` state; the picker is the one that works by keyboard and with a
screen reader, which the map and the canvas-drawn table do not fully support.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from components import page_state
from components.org_map import cached_deck, grouping_note, legend_markdown, selected_id
from components.text import MISSING, tel_html
from explorer.directory.per_frame import PerFrame
from explorer.directory.table import PRECISION_LABELS
from explorer.links import safe_tel
from explorer.place_names import country_name
from explorer.places.resolve import PlaceResult

CARD_VIEW = "org-card-view"
"""The fragment holding the picker and the card: every way to choose an organization reruns
it alone (``st.rerun(scope=CARD_VIEW)`` from the choosing widget's callback), not the page."""
PAGE_ROWS = 100
"""Rows a directory table shows at a time: a grid of 100,000 rows was converted and sent on
every rerun; the downloads still give every matching row."""
PICKER = page_state.ORG_PICKER
PICKER_LIMIT = 500
"""The picker lists the first (nearest) organizations only: a select box of 100,000 names
would slow every rerun and help nobody; the search box narrows the rest."""


def _show_card(org_id: str) -> None:
    """Open ``org_id``'s card (the URL's ``org``) and rerun only the card's fragment."""
    page_state.select_org(org_id)
    st.rerun(scope=CARD_VIEW)


def select_from_map(key: str) -> None:
    """Map click → the selected organization, as a callback: the map and the tables are
    not redrawn, only the card (and the URL's ``org``)."""
    if clicked := selected_id(page_state.selection_event(key)):
        _show_card(clicked)


def _select_from_table(key: str, ids: Sequence[str]) -> None:
    """Row click → the selected organization (the last click on map or table wins).
    ``ids`` are the drawn rows' ids, in order (the grid reports a row by position)."""
    event = page_state.selection_event(key)
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(ids):
        _show_card(str(ids[rows[0]]))


def map_panel(
    rows: pd.DataFrame,
    *,
    place: PlaceResult | None,
    radius_km: float | None,
    key: str,
    signature: str,
    points: Callable[[], np.ndarray | None] | None = None,
) -> None:
    """The map of ``rows`` (the deck cached per row set), its legend, and what it groups.

    ``key`` stays the same from one search to the next, so the browser keeps its deck; the
    clickable layers' ids name the row set instead (see
    :func:`~components.org_map.point_layer_id`). A click opens the card alone
    (:func:`select_from_map`); the map is not redrawn. ``signature`` names the rows and
    ``points`` gives their serialised points (see :func:`~components.org_map.cached_deck`).
    """
    deck = cached_deck(rows, place=place, radius_km=radius_km, signature=signature, points=points)
    st.pydeck_chart(
        deck,
        on_select=lambda: select_from_map(key),
        selection_mode="single-object",
        key=key,
        alt=f"Map of {deck.drawn + deck.grouped} organizations; the tables below list every "
        "organization shown, with the same details.",
    )
    searched = bool(place and place.found)
    legend = legend_markdown(
        searched=searched, radius=searched and bool(radius_km), grouped=deck.grouped > 0
    )
    st.markdown(legend)
    if deck.grouped:
        st.caption(grouping_note(deck, searched=searched))


def country_names(codes: pd.Series) -> list[str | None]:
    """Each ISO country code as its English name (None for a missing code)."""
    return _labelled(codes, country_name)


def _labelled(column: pd.Series, label: Callable[[str], str | None]) -> list[str | None]:
    """Each cell's label, None for a missing or empty one. A plain loop: a table page is at
    most :data:`PAGE_ROWS` cells, and ``Series.map`` on a categorical column mapped every
    category of the directory first (about ten times slower at that size)."""
    return [label(value) if isinstance(value, str) and value else None for value in column.tolist()]


def table_frame(rows: pd.DataFrame, *, with_distance: bool) -> pd.DataFrame:
    """The columns a person reads, the callable main phone as text, precision in words, and
    how current each row's details are.

    Built for one page of a table (:data:`PAGE_ROWS` rows) at a time. ``main_phone_tel``
    was checked by ``safe_tel`` when the directory was built (and is empty for a closed
    organization or a number not valid for its country). The number is
    text, not a link: the grid opens every link in a new tab (a blank one, for ``tel:``),
    and a tap on the row opens the card, whose number is a call link that opens in place.
    """
    columns = {  # arrays, not Series: no index to align ten times over
        "Organization": rows["name"].array,
        "Distance": rows["distance"].round(0).array if with_distance else None,
        "City": rows["city"].array,
        "State / province": rows["state_province"].array,
        "Country": country_names(rows["country"]),
        "Phone": rows["main_phone_tel"].str.removeprefix("tel:").replace("", None).array,
        "Type": rows["org_type"].array,
        "Map": _labelled(rows["geocode_precision"], PRECISION_LABELS.get),
        "Status": rows["status"].array,
        "Details": rows["currency"].array,
    }
    if not with_distance:
        del columns["Distance"]
    return pd.DataFrame(columns, index=rows.index)


def _page_table(rows: pd.DataFrame, page: tuple[int, bool]) -> pa.Table:
    """One page of a table as Arrow columns: ``st.dataframe`` sends an Arrow table as it is,
    where a pandas frame is converted again on every run (0.9 ms a page of 100 rows)."""
    start, with_distance = page
    frame = table_frame(rows.iloc[start : start + PAGE_ROWS], with_distance=with_distance)
    return pa.Table.from_pandas(frame, preserve_index=False)


_PAGE_TABLES = PerFrame(_page_table, max_entries=256)
"""A page's table per (rows, first row, distance shown), built once per process: the rows
are the search's results, shared by every session asking the same (see ``PerFrame``)."""


@st.fragment
def directory_table(rows: pd.DataFrame, *, key: str, unit: str = "km") -> None:
    """A sortable table of ``rows``, :data:`PAGE_ROWS` at a time with the total and page
    controls; clicking a row selects that organization.

    A fragment: turning a page reruns the table alone. Each page is its own grid (its key
    names the page), since a grid's selection is kept by row position.
    """
    with_distance = "distance" in rows.columns
    total = len(rows)
    pages = max(1, math.ceil(total / PAGE_ROWS))
    page = 1
    if pages > 1:
        page = st.pagination(pages, key=f"{key}-page", width="stretch")
        start = (page - 1) * PAGE_ROWS
        st.caption(
            f"Rows {start + 1:,}–{min(start + PAGE_ROWS, total):,} of **{total:,}**, "
            f"{PAGE_ROWS} a page. The downloads below hold all {total:,}."
        )
    start = (page - 1) * PAGE_ROWS
    table = _PAGE_TABLES(rows, (start, with_distance))
    table_key = f"{key}-{page}" if pages > 1 else key
    ids = rows["id"].iloc[start : start + PAGE_ROWS].to_numpy()  # one column, not the frame
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=table_key,
        on_select=lambda: _select_from_table(table_key, ids),
        selection_mode="single-row",
        placeholder=MISSING,
        column_config={
            "Organization": st.column_config.TextColumn(width="large"),
            "Details": st.column_config.TextColumn(
                "Contact details", width="large", help="Where they come from and when checked"
            ),
            "Distance": st.column_config.NumberColumn(f"Distance ({unit})", format="%d"),
            "Phone": st.column_config.TextColumn(
                "Main phone", help="Choose the row: its card below has the number as a call link"
            ),
        },
    )


def result_list(rows: pd.DataFrame, *, unit: str, limit: int = 10) -> None:
    """The nearest organizations as a numbered list (readable by screen readers), nearest
    first. HTML, so each valid phone is a call link that opens in place (see ``tel_html``)."""
    if rows.empty:
        st.markdown("No organization within this distance.")
        return
    st.html(_LIST_HTML(rows, (unit, limit)))


def _list_html(rows: pd.DataFrame, unit: str, limit: int) -> str:
    items = []
    for row in rows.head(limit).itertuples():
        phone = (
            f" · {tel_html(row.main_phone, row.main_phone_tel)}"
            if safe_tel(row.main_phone_tel)
            else ""
        )
        country = country_name(row.country) if row.country else ""
        place = ", ".join(escape(p) for p in (row.city, row.state_province, country) if p)
        closed = " · <strong>closed</strong>" if row.status == "closed" else ""
        items.append(
            f"<li><strong>{escape(row.name)}</strong>{closed} — {row.distance:,.0f} "
            f"{escape(unit)} · {place}{phone}<br>Contact details {escape(row.currency)}.</li>"
        )
    more = f"<p>…and {len(rows) - limit} more in the table below.</p>" if len(rows) > limit else ""
    return f"<ol>{''.join(items)}</ol>{more}"


_LIST_HTML = PerFrame(lambda rows, options: _list_html(rows, *options), max_entries=256)
"""The list's HTML per (rows, unit, length), built once per process, as the tables' pages."""


def _pick() -> None:
    """The picker is inside the card's fragment, whose rerun is already the default; naming
    it keeps the picker on the same path as the map and the tables."""
    _show_card(page_state.picked_org())


def _picker_names(rows: pd.DataFrame, limit: int) -> dict[str, str]:
    """Id → name of the first ``limit`` rows. Two columns sliced, not the frame (``head`` of
    every column, then converting it, took 0.36 ms a run at 1,000 rows); ``tolist``: one
    conversion per column, not a Python object fetched per Arrow cell."""
    return dict(
        zip(rows["id"].iloc[:limit].tolist(), rows["name"].iloc[:limit].tolist(), strict=True)
    )


_PICKER_NAMES = PerFrame(_picker_names, max_entries=256)
"""The picker's names per rows, built once per process as the tables' pages (read-only)."""


def org_picker(rows: pd.DataFrame) -> None:
    """Choose a listed organization by name to open its card (keyboard and screen readers)."""
    names = _PICKER_NAMES(rows, PICKER_LIMIT)
    page_state.show_in_picker(names)
    st.selectbox(
        "Show how to reach",
        options=list(names),
        format_func=names.__getitem__,
        key=PICKER,
        on_change=_pick,
        placeholder="Choose an organization",
    )
