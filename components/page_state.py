"""Page state: the widgets own it; this module names their keys and reads them typed. No
other module reads or writes ``st.session_state`` or ``st.query_params``.

Each linkable widget has its URL name as its key and :data:`BOUND`: Streamlit keeps the value
in the link in its own format (an option's *label*, a switch ``true``), leaves defaults out,
ignores invalid values, follows Back and Forward and keeps the value across pages. Old links'
tokens (``country=US``, ``diff=1``) are rewritten once per session by a switch to the same
page with the new link (:func:`translate_link`): setting a bound widget before its first draw
would leave the URL as it was (probed on 1.67). Only the chosen organization is hand-written."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import streamlit as st

from components.text import preview
from explorer.directory.filters import Filters
from explorer.places.resolve import PlaceResult, resolve_place

MAX_TEXT = 120  # the longest text a text box takes
BOUND = {"bind": "query-params", "persist_state": "session"}
DISORDER, PLACE, RADIUS, UNIT, ORG = "disorder", "place", "radius", "unit", "org"
TYPES, COUNTRIES, CHANNELS, TEXT = "type", "country", "channel", "q"
ALL_DISORDERS, SHOW_CLOSED = "all", "closed"
FORMS, ROWS, ONLY_DIFFERENCES = "form", "row", "diff"
GENE, INHERITANCE, ONSET, KIND = "gene", "inheritance", "onset", "kind"
SEARCH, CHOSEN, DIFFERENCES = "search", "condition", "differences"
DEFAULTS: dict[str, str | bool | tuple[str, ...]] = {  # every link parameter: its default
    **dict.fromkeys((DISORDER, PLACE, TEXT, UNIT, ORG, GENE, KIND, SEARCH), ""),
    RADIUS: "any",
    **dict.fromkeys((ALL_DISORDERS, SHOW_CLOSED, ONLY_DIFFERENCES, DIFFERENCES), False),
    **dict.fromkeys((TYPES, COUNTRIES, CHANNELS, FORMS, ROWS, INHERITANCE, ONSET, CHOSEN), ()),
}
FLAG = {"1": "true"}  # a switch in a link: old ``1``, Streamlit's ``true``
UNKNOWN = {GENE: "No condition here lists the gene “{value}”."}  # else "Ignored unknown …"
NOTICES, TRANSLATED, ORG_PICKER = "page_state.notices", "page_state.translated", "org_picker"
Options = Mapping[str, Callable[[], Mapping] | None]  # name → (token → label), None: text
Counts = Mapping[str, int]


def current(name: str) -> str | bool | tuple[str, ...]:
    """Link parameter ``name``'s value: its widget's, on any page (else its default)."""
    value = st.session_state.get(name, DEFAULTS[name])
    return tuple(value) if isinstance(value, list) else DEFAULTS[name] if value is None else value


def translate_link(
    scope: str, page: str, options: Options, least: Counts | None = None, *, seed: bool = False
) -> None:
    """Once per session and ``scope``, before its widgets are drawn: an old link's tokens
    become labels (``options[name]()``: token → label, matched in any letter case; None for
    text), unknown ones a notice; fewer than ``least[name]`` values none. A change switches to
    ``page``; ``seed`` sets the widgets now for another page (a page switch clears the URL)."""
    done = st.session_state.setdefault(TRANSLATED, set())
    if scope in done:
        return
    done.add(scope)
    link = {name: st.query_params.get_all(name) for name in st.query_params}
    changed = False
    for name in set(options) & set(link):
        values = link[name] if options[name] else [v[:MAX_TEXT] for v in link[name][-1:]]
        pairs = options[name]() if options[name] else dict(zip(values, values, strict=True))
        spelled = {str(key).casefold(): (key, label) for key, label in pairs.items()}
        spelled |= {str(label).casefold(): (key, label) for key, label in pairs.items()}
        found = dict(spelled[v.casefold()] for v in values if v.casefold() in spelled)
        if unknown := [v for v in values if v.casefold() not in spelled]:
            more = f" ({len(unknown) - 1} more)" if len(unknown) > 1 else ""
            notice = UNKNOWN.get(name, "Ignored unknown {name} “{value}” in the link.")
            said = notice.format(name=name, value=preview(unknown[0])) + more
            st.session_state.setdefault(NOTICES, {}).setdefault(name, []).append(said)
        found = found if len(found) >= (least or {}).get(name, 1) else {}
        changed |= list(found.values()) != link[name]
        link[name], keys, default = list(found.values()), list(found), DEFAULTS[name]
        if seed and keys:
            keep(name, keys if isinstance(default, tuple) else isinstance(default, bool) or keys[0])
    if changed:
        st.switch_page(page, query_params={k: v for k, v in link.items() if v})


def link_notices(*names: str) -> list[str]:
    notices = st.session_state.get(NOTICES, {})
    return [notice for name in names for notice in notices.get(name, [])]


def keep(name: str, value: object) -> None:
    """Set link parameter ``name`` (in a callback, or before its widget is drawn)."""
    st.session_state[name] = list(value) if isinstance(value, tuple) else value


def selected_org() -> str:
    """The organization whose card is open (``""`` for none): the link's ``org``."""
    return st.query_params.get(ORG, "")


def select_org(org_id: str) -> None:
    """Open ``org_id``'s card (``""`` closes it)."""
    if org_id:
        st.query_params[ORG] = org_id
    else:
        st.query_params.pop(ORG, None)


def picked_org() -> str:  # in the picker's callback
    return st.session_state.get(ORG_PICKER) or ""


def show_in_picker(listed: Collection[str]) -> None:
    """Before drawing the picker: it shows the selected organization if listed."""
    chosen = selected_org()
    st.session_state[ORG_PICKER] = chosen if chosen in listed else None


def selection_event(key: str) -> object:  # in the chart's or table's callback
    return st.session_state.get(key)


def uses_us_customary_units() -> bool:
    """Whether the browser's locale (e.g. ``en-US``) is a US one: miles and Letter paper."""
    return (st.context.locale or "").replace("_", "-").casefold().endswith("-us")


def default_unit(place: PlaceResult | None) -> str:
    """Miles for a US browser or a US place searched; kilometres elsewhere."""
    us_place = place is not None and place.found and place.country == "US"
    return "mi" if uses_us_customary_units() or us_place else "km"


def current_place(postcode_towns: Mapping[str, str] | None = None) -> PlaceResult | None:
    """The searched place (None if none); ``postcode_towns`` name a UK postcode's town."""
    text = str(current(PLACE)).strip()
    return resolve_place(text, postcode_towns=postcode_towns) if text else None


def current_filters() -> Filters:
    """The directory filters as the user last set them (on any page)."""
    radius = str(current(RADIUS))  # lists are tuples already (see current)
    return Filters(
        disorder="" if current(ALL_DISORDERS) else str(current(DISORDER)),
        org_types=current(TYPES),
        countries=current(COUNTRIES),
        channels=current(CHANNELS),
        text=str(current(TEXT)),
        place=str(current(PLACE)),
        radius=None if radius == "any" else int(radius),
        unit=str(current(UNIT)) or default_unit(current_place()),
        show_closed=bool(current(SHOW_CLOSED)),
    )
