"""The Organizations page's controls: the near-me search (top of the page, where a phone user
sees it without opening the sidebar) and the directory filters (in the sidebar), each option
with the number of organizations it would leave.

Each control's value is its own, kept by Streamlit while the user visits another page
(``persist_state``) and mirrored into the link by :mod:`components.page_state`. A place
typed in is validated by :func:`explorer.places.resolve.resolve_place`; an unknown one gets
a message and suggestions.
"""

from __future__ import annotations

import streamlit as st

from components import page_state as state
from components.data import Loaded
from explorer.directory.facets import facet_counts, offered
from explorer.directory.search import RADIUS_OPTIONS, UNITS, Filters
from explorer.directory.table import CHANNELS
from explorer.place_names import country_name
from explorer.places.resolve import PlaceResult
from explorer.reading.classify import ORG_TYPES

PLACE_BUTTONS = 3
"""Same-named places offered as buttons in view; the others are one tap further."""
NEAR_ME = (state.PLACE, state.RADIUS, state.UNIT)
"""The near-me search's own controls: "Clear filters" leaves them."""


def _radius_label(option: str) -> str:
    return "any distance" if option == "any" else option


def _use_suggestion(suggestion: str) -> None:
    state.keep(state.PLACE, suggestion)


def _clear_filters() -> None:
    """The sidebar's filters back to their defaults; the near-me search (place, radius,
    unit, at the top of the page) is not a filter of the sidebar and stays, as it says."""
    state.reset(param for param in state.DIRECTORY_WIDGETS if param not in NEAR_ME)
    state.select_org("")


def place_search(data: Loaded) -> PlaceResult | None:
    """ZIP / postal code / city, radius and unit in one row; messages for a place not found.

    On a phone the columns stack; radius and unit stay side by side (a row that does not
    stack), so they take one line above the results, not two.
    """
    place_column, options_column = st.columns([3, 2], vertical_alignment="bottom")
    place_column.text_input(
        "Find organizations near: ZIP, postal code or city",
        key=state.PLACE.key,
        max_chars=state.MAX_TEXT,
        placeholder="e.g. 48116, R3M 3S7, Detroit, MI",
        help="A US ZIP, a Canadian postal code, 'City, State', 'City, Country' or a city.",
        persist_state=state.KEEP,
    )
    place = state.current_place(data.postcode_towns)
    state.follow_default_unit(place)
    with options_column.container(horizontal=True, key="near_me_options"):
        st.selectbox(
            "Within",
            options=RADIUS_OPTIONS,
            format_func=_radius_label,
            key=state.RADIUS.key,
            persist_state=state.KEEP,
        )
        st.selectbox(
            "Unit",
            options=UNITS,
            key=state.UNIT.key,
            on_change=state.choose_unit,
            persist_state=state.KEEP,
        )
    with st.container():  # one block, however many messages: what follows keeps its place
        _place_messages(place)
    return place


def _place_messages(place: PlaceResult | None) -> None:
    """Where the search looks and other places of that name, or why a place was not found."""
    if place is not None and place.found:
        other = " Another place of that name?" if place.alternatives else ""
        st.caption(f"Searching near **{place.label}** ({place.matched}).{other}")
        if place.alternatives:
            _other_places(place.alternatives)
    elif place is not None:
        st.warning(place.message, icon=":material/wrong_location:")
        for suggestion in place.suggestions:
            st.button(
                f"Did you mean {suggestion}?",
                key=f"suggest-{suggestion}",
                on_click=_use_suggestion,
                args=(suggestion,),
            )


def _other_places(alternatives: tuple[str, ...]) -> None:
    """Same-named places as buttons: the :data:`PLACE_BUTTONS` likeliest side by side, the
    rest behind one "more" button. Eight full-width buttons, one under another, pushed a
    phone's first result two screens below the search box. (The question that introduces
    them ends the "Searching near" line: a line of its own cost as much.)"""
    shown, more = alternatives[:PLACE_BUTTONS], alternatives[PLACE_BUTTONS:]
    with st.container(horizontal=True, key="other_places"):
        for alternative in shown:
            _place_button(alternative)
        if more:
            with st.popover(f"{len(more)} more places", icon=":material/more_horiz:"):
                for alternative in more:
                    _place_button(alternative)


def _place_button(alternative: str) -> None:
    st.button(
        alternative,
        key=f"alternative-{alternative}",
        on_click=_use_suggestion,
        args=(alternative,),
    )


def _with_count(label: str, count: int) -> str:
    return f"{label} ({count})"


def filter_sidebar(data: Loaded, filters: Filters, *, several_disorders: bool) -> None:
    """Type, country, contact channel and name filters. Offered: the options some listed
    organization has (no "Email" when nobody has one); labelled: how many each would leave
    with the other filters as they are (which may be 0 while a search matches nothing)."""
    counts = facet_counts(data.directory, filters)
    listed = facet_counts(data.directory, Filters(disorder=filters.disorder))
    with st.sidebar:
        st.subheader("Filter the directory")
        if several_disorders:
            st.checkbox(
                "Organizations of every disorder",
                key=state.ALL_DISORDERS.key,
                persist_state=state.KEEP,
                help="List the organizations of all reports, not only of this disorder.",
            )
        st.multiselect(
            "Organization type",
            options=offered(ORG_TYPES, listed.org_types, filters.org_types),
            format_func=lambda option: _with_count(option, counts.org_types.get(option, 0)),
            key=state.ORG_TYPES.key,
            persist_state=state.KEEP,
        )
        st.multiselect(
            "Country",
            options=offered(data.countries, listed.countries, filters.countries),
            format_func=lambda code: _with_count(country_name(code), counts.countries.get(code, 0)),
            key=state.COUNTRIES.key,
            persist_state=state.KEEP,
        )
        st.multiselect(
            "Reachable by",
            options=offered(CHANNELS, listed.channels, filters.channels),
            format_func=lambda channel: _with_count(
                CHANNELS[channel], counts.channels.get(channel, 0)
            ),
            key=state.CHANNELS.key,
            persist_state=state.KEEP,
        )
        st.text_input(
            "Search names and places",
            key=state.TEXT.key,
            max_chars=state.MAX_TEXT,
            persist_state=state.KEEP,
        )
        st.toggle(
            "Show closed organizations",
            key=state.SHOW_CLOSED.key,
            persist_state=state.KEEP,
            help="Closed organizations are left out of near-me results; their cards say so.",
        )
        st.button("Clear filters", on_click=_clear_filters, key="clear_filters")
        st.caption("Clears the filters above; the near-me place stays.")
        for notice in state.link_notices("directory"):
            st.info(notice, icon=":material/link_off:")


def directory_controls(data: Loaded) -> tuple[Filters, PlaceResult | None]:
    """Draw the page's search and filters; return the filters and the searched place."""
    place = place_search(data)
    filter_sidebar(data, state.current_filters(), several_disorders=len(data.catalog.disorders) > 1)
    if state.selected_org() and state.selected_org() not in data.by_id:
        state.select_org("")
    state.write_directory_link(place)
    return state.current_filters(), place
