"""The sidebar every page shares: disorder, near-me search and directory filters.

Its widgets are declared in ``app.py`` (the entrypoint) so they keep their values across
pages. The URL query string mirrors them: read once when a session starts (so a shared
link restores the view), written back on every run (page navigation clears it).
Values from the URL are validated like any other input; unknown ones are dropped with
a message that echoes them only as short, escaped, printable text.
"""

from __future__ import annotations

import streamlit as st

from components.data import DISORDER_KEY, loaded
from components.notices import preview
from components.url_params import first_visit, link_values, mirror
from explorer.catalog import Catalog
from explorer.classify import ORG_TYPES
from explorer.directory import CHANNELS, RADIUS_CHOICES, Filters
from explorer.places import PlaceResult, resolve_place

MAX_TEXT = 120
"""Longest place or search text accepted (longer input is cut, with a message)."""

LIST_PARAMS = {"type": "org_types", "country": "countries", "channel": "channels"}
TEXT_PARAMS = {"disorder": DISORDER_KEY, "place": "place", "q": "text", "unit": "unit"}
RADIUS_PARAM = "radius"
DEFAULTS = {
    DISORDER_KEY: "",
    "place": "",
    "text": "",
    "unit": "km",
    "radius": "any",
    "org_types": [],
    "countries": [],
    "channels": [],
    "all_disorders": False,
    "show_closed": False,
}
URL_NOTICES = "url_notices"


RADIUS_OPTIONS = ("any", *(str(r) for r in RADIUS_CHOICES if r is not None))
"""The default ("any distance") first: under load, a search sent before the sidebar had
finished drawing came back with this box on its first option (seen in the load test)."""


def _radius_label(option: str) -> str:
    return "any distance" if option == "any" else option


def _allowed_values(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Every value a widget or link may hold (countries come from the cached loader)."""
    return {
        DISORDER_KEY: tuple(d.id for d in catalog.disorders),
        "unit": ("km", "mi"),
        "radius": RADIUS_OPTIONS,
        "org_types": ORG_TYPES,
        "countries": loaded().countries,
        "channels": tuple(CHANNELS),
    }


def restore_from_url(catalog: Catalog) -> None:
    """Copy validated query parameters into widget state, once per session."""
    if not first_visit("url_restored"):
        return
    allowed = _allowed_values(catalog)
    notices = []
    params = st.query_params
    for param, key in TEXT_PARAMS.items():
        if param in params:
            value = params[param][:MAX_TEXT]
            if key in allowed and value not in allowed[key]:
                notices.append(f"Ignored unknown {param} “{preview(value)}” in the link.")
                continue
            st.session_state[key] = value
    if RADIUS_PARAM in params:
        value = params[RADIUS_PARAM]
        if value in allowed["radius"]:
            st.session_state["radius"] = value
        else:
            notices.append(f"Ignored unknown radius “{preview(value)}” in the link.")
    for param, key in LIST_PARAMS.items():
        known, unknown = link_values(param, allowed[key])
        if unknown:
            notices.append(f"Ignored {len(unknown)} unknown {param} value(s).")
        if known:
            st.session_state[key] = known
    if params.get("all") == "1":
        st.session_state["all_disorders"] = True
    elif "all" in params:
        notices.append(f"Ignored unknown all “{preview(params['all'])}” in the link.")
    if "org" in params:
        if params["org"] in loaded().by_id:
            st.session_state["selected_org"] = params["org"]
        else:
            notices.append("The organization in the link is no longer listed.")
    st.session_state[URL_NOTICES] = notices


def write_to_url() -> None:
    """Mirror non-default widget values into the query string (keeps ``org`` if set).

    Only the sidebar's own parameters are replaced: a page's (e.g. the compared forms)
    must survive until that page has read them. Streamlit clears them on navigation.
    """
    state = st.session_state
    params: dict[str, str | list[str] | None] = {}
    for param, key in TEXT_PARAMS.items():
        params[param] = state[key] if state.get(key) and state[key] != DEFAULTS[key] else None
    radius = state.get("radius", "any")
    params[RADIUS_PARAM] = radius if radius != "any" else None
    for param, key in LIST_PARAMS.items():
        params[param] = list(state[key]) if state.get(key) else None
    params["all"] = "1" if state.get("all_disorders") else None
    params["org"] = state.get("selected_org") or None
    mirror(params)


def clear_filters() -> None:
    """Reset every sidebar filter (the disorder choice stays)."""
    for key, value in DEFAULTS.items():
        if key != DISORDER_KEY:
            st.session_state[key] = value if not isinstance(value, list) else []
    st.session_state["selected_org"] = ""


def _use_suggestion(suggestion: str) -> None:
    st.session_state["place"] = suggestion


def render_sidebar(catalog: Catalog) -> tuple[Filters, PlaceResult | None]:
    """Draw the shared sidebar; return the filters and the resolved place (if any)."""
    restore_from_url(catalog)
    allowed = _allowed_values(catalog)
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, list(value) if isinstance(value, list) else value)
    if allowed[DISORDER_KEY] and st.session_state[DISORDER_KEY] not in allowed[DISORDER_KEY]:
        st.session_state[DISORDER_KEY] = allowed[DISORDER_KEY][0]
    with st.sidebar:
        if len(catalog.disorders) > 1:
            titles = {d.id: d.title for d in catalog.disorders}
            st.selectbox(
                "Disorder",
                options=list(titles),
                format_func=titles.get,
                key=DISORDER_KEY,
            )
            st.checkbox(
                "Organizations of every disorder",
                key="all_disorders",
                help="List the organizations of all reports, not only of this disorder.",
            )
        st.subheader("Find organizations near you")
        place_text = st.text_input(
            "ZIP, postal code or city",
            key="place",
            max_chars=MAX_TEXT,
            placeholder="e.g. 48116, R3M 3S7, Detroit, MI",
            help="A US ZIP, a Canadian postal code, 'City, State', 'City, Country' or a city.",
        )
        towns = loaded().postcode_towns
        place = resolve_place(place_text, postcode_towns=towns) if place_text.strip() else None
        if place is not None and place.found:
            st.caption(f"Searching near **{place.label}** ({place.matched}).")
        elif place is not None:
            st.warning(place.message, icon=":material/wrong_location:")
            for suggestion in place.suggestions:
                st.button(
                    f"Did you mean {suggestion}?",
                    key=f"suggest-{suggestion}",
                    on_click=_use_suggestion,
                    args=(suggestion,),
                )
        radius_column, unit_column = st.columns([2, 1])
        radius_column.selectbox(
            "Within", options=RADIUS_OPTIONS, format_func=_radius_label, key="radius"
        )
        unit_column.selectbox("Unit", options=("km", "mi"), key="unit")
        st.toggle(
            "Show closed organizations",
            key="show_closed",
            help="Closed organizations are left out of near-me results; their cards say so.",
        )
        st.subheader("Filter the directory")
        st.multiselect("Organization type", options=ORG_TYPES, key="org_types")
        st.multiselect("Country", options=allowed["countries"], key="countries")
        st.multiselect(
            "Reachable by", options=tuple(CHANNELS), format_func=CHANNELS.get, key="channels"
        )
        text = st.text_input("Search names and places", key="text", max_chars=MAX_TEXT)
        st.button("Clear filters", on_click=clear_filters, key="clear_filters")
        for notice in st.session_state.get(URL_NOTICES, []):
            st.info(notice, icon=":material/link_off:")
    write_to_url()
    state = st.session_state
    radius = None if state["radius"] == "any" else int(state["radius"])
    filters = Filters(
        disorder="" if state["all_disorders"] else state.get(DISORDER_KEY) or "",
        org_types=tuple(state["org_types"]),
        countries=tuple(state["countries"]),
        channels=tuple(state["channels"]),
        text=text,
        place=place_text,
        radius=radius,
        unit=state["unit"],
        show_closed=state["show_closed"],
    )
    return filters, place
