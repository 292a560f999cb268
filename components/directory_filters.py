"""The Organizations page's controls: the near-me search (top of the page, where a phone user
sees it without opening the sidebar) and the directory filters (in the sidebar), each option
with the number of organizations it would leave.

Each control's value is its own, in the link and kept while the user visits another page
(:data:`components.page_state.BOUND`). An option's label is what the link carries, so it
holds no count that changes (``country=United+States``, not "United States (12)"); the
counts are in each filter's help (the "?" beside it). A place
typed in is validated by :func:`explorer.places.resolve.resolve_place`; an unknown one gets
a message and suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from components import page_state as state
from components.data import Loaded
from components.directory_links import link_options, radius_label
from explorer.directory.facets import facet_counts, offered
from explorer.directory.filters import CHANNELS, RADIUS_OPTIONS, UNITS, Filters
from explorer.place_names import country_name
from explorer.places.resolve import PlaceResult
from explorer.reading.classify import ORG_TYPES

PLACE_BUTTONS = 3
"""Same-named places offered as buttons in view; the others are one tap further."""
FILTERS = (state.TYPES, state.COUNTRIES, state.CHANNELS, state.TEXT, state.SHOW_CLOSED)
"""The sidebar's filters ("Clear filters" resets them; the near-me search stays)."""


def _search_place(text: str | None, unit_before: str) -> None:
    """The place box's callback (``text`` None) or a suggested place's: a unit the user
    had not changed from the last place's default follows the new place's (a ZIP: miles)."""
    if text is not None:
        state.keep(state.PLACE, text)
    if state.current(state.UNIT) in ("", unit_before):
        state.keep(state.UNIT, state.default_unit(state.current_place()))


def _clear_filters() -> None:
    for name in FILTERS:
        state.keep(name, state.DEFAULTS[name])
    state.select_org("")


def place_search(data: Loaded) -> PlaceResult | None:
    """ZIP / postal code / city, radius and unit in one row; messages for a place not found.

    On a phone the columns stack; radius and unit stay side by side (a row that does not
    stack), so they take one line above the results, not two.
    """
    place_column, options_column = st.columns([3, 2], vertical_alignment="bottom")
    unit_before = state.default_unit(state.current_place(data.postcode_towns))
    place_column.text_input(
        "Find organizations near: ZIP, postal code or city",
        key=state.PLACE,
        max_chars=state.MAX_TEXT,
        placeholder="e.g. 48116, R3M 3S7, Detroit, MI",
        help="A US ZIP, a Canadian postal code, 'City, State', 'City, Country' or a city.",
        on_change=_search_place,
        args=(None, unit_before),
        **state.BOUND,
    )
    place = state.current_place(data.postcode_towns)
    unit = state.default_unit(place)
    with options_column.container(horizontal=True, key="near_me_options"):
        st.selectbox(
            "Within",
            options=RADIUS_OPTIONS,
            format_func=radius_label,
            key=state.RADIUS,
            **state.BOUND,
        )
        st.selectbox("Unit", options=UNITS, index=UNITS.index(unit), key=state.UNIT, **state.BOUND)
    with st.container():  # one block, however many messages: what follows keeps its place
        _place_messages(place, unit)
    return place


def _place_messages(place: PlaceResult | None, unit: str) -> None:
    """Where the search looks and other places of that name, or why a place was not found."""
    if place is not None and place.found:
        other = " Another place of that name?" if place.alternatives else ""
        st.caption(f"Searching near **{place.label}** ({place.matched}).{other}")
        if place.alternatives:
            _other_places(place.alternatives, unit)
    elif place is not None:
        st.warning(place.message, icon=":material/wrong_location:")
        for suggestion in place.suggestions:
            st.button(
                f"Did you mean {suggestion}?",
                key=f"suggest-{suggestion}",
                on_click=_search_place,
                args=(suggestion, unit),
            )


def _other_places(alternatives: tuple[str, ...], unit: str) -> None:
    """Same-named places as buttons: the :data:`PLACE_BUTTONS` likeliest side by side, the
    rest behind one "more" button. Eight full-width buttons, one under another, pushed a
    phone's first result two screens below the search box. (The question that introduces
    them ends the "Searching near" line: a line of its own cost as much.)"""
    shown, more = alternatives[:PLACE_BUTTONS], alternatives[PLACE_BUTTONS:]
    with st.container(horizontal=True, key="other_places"):
        for alternative in shown:
            _place_button(alternative, unit)
        if more:
            with st.popover(f"{len(more)} more places", icon=":material/more_horiz:"):
                for alternative in more:
                    _place_button(alternative, unit)


def _place_button(alternative: str, unit: str) -> None:
    st.button(
        alternative,
        key=f"alternative-{alternative}",
        on_click=_search_place,
        args=(alternative, unit),
    )


def _counts(counts: Mapping[str, int], label: Callable[[str], str], options: list[str]) -> str:
    """The help of a filter: how many organizations each option would leave."""
    lines = (f"- {label(option)}: {counts.get(option, 0)}" for option in options)
    return "Organizations each choice would leave:\n" + "\n".join(lines)


def filter_sidebar(data: Loaded, filters: Filters, *, several_disorders: bool) -> None:
    """Type, country, contact channel and name filters. Offered: the options some listed
    organization has (no "Email" when nobody has one); labelled: how many each would leave
    with the other filters as they are (which may be 0 while a search matches nothing)."""
    counts = facet_counts(data.directory, filters)
    listed = facet_counts(data.directory, Filters(disorder=filters.disorder))
    types = offered(ORG_TYPES, listed.org_types, filters.org_types)
    countries = offered(data.countries, listed.countries, filters.countries)
    channels = offered(CHANNELS, listed.channels, filters.channels)
    with st.sidebar:
        st.subheader("Filter the directory")
        if several_disorders:
            st.checkbox(
                "Organizations of every disorder",
                key=state.ALL_DISORDERS,
                help="List the organizations of all reports, not only of this disorder.",
                **state.BOUND,
            )
        st.multiselect(
            "Organization type",
            options=types,
            key=state.TYPES,
            help=_counts(counts.org_types, str, types),
            **state.BOUND,
        )
        st.multiselect(
            "Country",
            options=countries,
            format_func=country_name,
            key=state.COUNTRIES,
            help=_counts(counts.countries, country_name, countries),
            **state.BOUND,
        )
        st.multiselect(
            "Reachable by",
            options=channels,
            format_func=CHANNELS.__getitem__,
            key=state.CHANNELS,
            help=_counts(counts.channels, CHANNELS.__getitem__, channels),
            **state.BOUND,
        )
        st.text_input(
            "Search names and places", key=state.TEXT, max_chars=state.MAX_TEXT, **state.BOUND
        )
        st.toggle(
            "Show closed organizations",
            key=state.SHOW_CLOSED,
            help="Closed organizations are left out of near-me results; their cards say so.",
            **state.BOUND,
        )
        st.button("Clear filters", on_click=_clear_filters, key="clear_filters")
        st.caption("Clears the filters above; the near-me place stays.")
        for notice in state.link_notices(*link_options(data.reports)):
            st.info(notice, icon=":material/link_off:")


def directory_controls(data: Loaded) -> tuple[Filters, PlaceResult | None]:
    """Draw the page's search and filters; return the filters and the searched place."""
    place = place_search(data)
    counted = state.current_filters()
    filter_sidebar(data, counted, several_disorders=len(data.catalog.disorders) > 1)
    if state.current_filters() != counted:  # a link's filters, read by their widgets just now
        st.rerun()  # once: the counts in each filter's help then include them
    return counted, place
