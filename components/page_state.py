"""Page state in one place: what each page remembers, and the link (query string) that shares it.

No other module reads or writes ``st.session_state`` or ``st.query_params`` by string.
Pages declare their link parameters as data (:class:`LinkParam`); one function pair reads a
link once per session (:func:`restore_link`) and mirrors the state back into the URL on every
run (:func:`write_link`). There is one store: each parameter's value is its widget's own
value, under the parameter's key, and each widget is drawn with ``persist_state="session"``
(:data:`KEEP`) so Streamlit keeps it while another page is shown. Typed accessors
(:func:`current_filters`, :func:`current_place`, :func:`selected_org`) give every page the
same view of that state.

Why the link is still written here rather than by ``bind="query-params"``: a bound select
widget puts its *label* in the URL and a bound switch ``true``/``false``, while the links
people have shared carry short tokens (``country=US`` beside a label "United States (12)"
whose count changes, ``form=cyclic``, ``diff=1``, a gene in any letter case); binding would
break every one of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from typing import Literal

import streamlit as st

from components.text import preview
from explorer.directory.search import Filters
from explorer.places.resolve import PlaceResult, resolve_place

MAX_TEXT = 120
"""Longest text accepted from a link or a text box (longer input is cut)."""

KEEP = "session"
"""``persist_state`` of every widget that holds a link parameter: its value outlives its page."""
RESTORED = "page_state.restored"
NOTICES = "page_state.notices"
WRITTEN = "page_state.written"
"""Scope → the URL values last written and the defaults they were written with."""
CURRENT_PAGE = "page_state.page"
PAGE_CHANGED = "page_state.page_changed"
UNIT_CHOSEN = "page_state.unit_chosen"
"""Set once the user picks a unit: from then on it no longer follows the local default."""
EXPLICIT = "page_state.explicit"
"""Parameters a link set explicitly (name → value): they stay in the URL at their default
value until changed, so a shared link round-trips unchanged."""

Kind = Literal["text", "choice", "list", "flag"]
Value = str | bool | tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class LinkParam:
    """One shareable piece of page state: its URL name, its state (and widget) key, its kind.

    ``choice`` and ``list`` values must be among the allowed values given when a link is read;
    ``text`` is cut at :data:`MAX_TEXT`; ``flag`` is ``1`` in the URL or absent.
    """

    name: str
    key: str
    kind: Kind
    default: Value = ""
    nullable: bool = False
    """A select box drawn with ``index=None``: its "nothing chosen" is None, not ``""``."""
    unknown: str = "Ignored unknown {name} “{value}” in the link."
    """The notice for a value that is not allowed (``{name}``, ``{value}`` filled in)."""


DISORDER = LinkParam("disorder", "disorder", "choice")
PLACE = LinkParam("place", "place", "text")
RADIUS = LinkParam("radius", "radius", "choice", "any")
UNIT = LinkParam("unit", "unit", "choice", "km")
ORG_TYPES = LinkParam("type", "org_types", "list", ())
COUNTRIES = LinkParam("country", "countries", "list", ())
CHANNELS = LinkParam("channel", "channels", "list", ())
TEXT = LinkParam("q", "text", "text")
ALL_DISORDERS = LinkParam("all", "all_disorders", "flag", False)
SHOW_CLOSED = LinkParam("closed", "show_closed", "flag", False)
ORG = LinkParam("org", "selected_org", "choice")

FORMS = LinkParam("form", "subtype_forms", "list", ())
ROWS = LinkParam("row", "subtype_attributes", "list", ())
ONLY_DIFFERENCES = LinkParam("diff", "subtype_only_diff", "flag", False)

GENE = LinkParam(
    "gene",
    "conditions_gene",
    "choice",
    nullable=True,
    unknown="No condition here lists the gene “{value}”.",
)
INHERITANCE = LinkParam("inheritance", "conditions_inheritance", "list", ())
ONSET = LinkParam("onset", "conditions_onset", "list", ())
KIND = LinkParam("kind", "conditions_kind", "choice", "")
SEARCH = LinkParam("search", "conditions_text", "text")
CHOSEN = LinkParam("condition", "conditions_chosen", "list", ())
DIFFERENCES = LinkParam("differences", "conditions_only_diff", "flag", False)

SHARED_PARAMS = (DISORDER,)
"""Parameters every page carries (the frame owns them)."""
DIRECTORY_PARAMS = (
    PLACE,
    RADIUS,
    UNIT,
    ORG_TYPES,
    COUNTRIES,
    CHANNELS,
    TEXT,
    ALL_DISORDERS,
    SHOW_CLOSED,
    ORG,
)
"""The Organizations page's parameters."""
DIRECTORY_WIDGETS = DIRECTORY_PARAMS[:-1]
"""Directory parameters edited through a widget of the same key (``org`` is not)."""
SUBTYPE_PARAMS = (FORMS, ROWS, ONLY_DIFFERENCES)
"""The Subtypes page's parameters (an empty list means that picker's defaults)."""
CONDITION_PARAMS = (GENE, INHERITANCE, ONSET, KIND, SEARCH, CHOSEN, DIFFERENCES)
"""The Genetic conditions page's parameters."""


def current(param: LinkParam) -> Value:
    """``param``'s value: its widget's (its default until something sets it; a tuple for a
    list, whatever page is shown)."""
    value = st.session_state.get(param.key)
    if value is None:  # never set, or a select box with nothing chosen
        return param.default
    return tuple(value) if param.kind == "list" else value


def keep(param: LinkParam, value: Value) -> None:
    """Set ``param`` (its widget shows it when next drawn): before that widget is drawn in
    this run, or from a callback."""
    st.session_state[param.key] = _widget_value(param, value)


def _from_link(param: LinkParam, allowed: Collection[str] | None) -> tuple[Value | None, str]:
    """The link's valid value for ``param`` (None if absent or invalid) and a notice."""
    params = st.query_params
    if param.kind == "list":
        values = params.get_all(param.name)
        known = tuple(dict.fromkeys(v for v in values if allowed is None or v in allowed))
        unknown = [v for v in values if allowed is not None and v not in allowed]
        notice = ""
        if unknown:
            more = f" ({len(unknown) - 1} more)" if len(unknown) > 1 else ""
            notice = param.unknown.format(name=param.name, value=preview(unknown[0])) + more
        return (known or None), notice
    if param.name not in params:
        return None, ""
    value = params[param.name]
    unknown = param.unknown.format(name=param.name, value=preview(value))
    if param.kind == "flag":
        return (True, "") if value == "1" else (None, unknown)
    if param.kind == "text":
        return value[:MAX_TEXT], ""
    if allowed is not None and value not in allowed:
        # a choice typed in another letter case (``elane``) is still that choice
        spelled = {option.casefold(): option for option in allowed}.get(value.casefold())
        return (spelled, "") if spelled is not None else (None, unknown)
    return value, ""


def _in_url(params: Iterable[LinkParam]) -> dict[str, list[str]]:
    """The URL's values of ``params`` (only those present)."""
    found = {param.name: st.query_params.get_all(param.name) for param in params}
    return {name: values for name, values in found.items() if values}


def restore_link(
    scope: str,
    params: Iterable[LinkParam],
    allowed: Mapping[str, Collection[str]],
    *,
    follow_history: bool = False,
) -> bool:
    """Copy a link's valid values into the page state: once per session and scope, and again
    when the browser's Back or Forward button changed the URL under the page that owns the
    scope (``follow_history``), so history steps through searches as people expect.

    ``allowed`` maps a parameter's key to the values it may take (``choice`` and ``list``);
    anything else in the link is ignored with a short, escaped notice (:func:`link_notices`).
    A URL without any of the scope's parameters after a page change is Streamlit clearing
    the query string on navigation, not a request to reset: the values stay.
    Returns whether the link was applied in this run.
    """
    params = tuple(params)
    restored = st.session_state.setdefault(RESTORED, set())
    in_url = _in_url(params)
    if scope in restored:
        written = st.session_state.get(WRITTEN, {}).get(scope, ({}, {}))[0]
        arrived = st.session_state.get(PAGE_CHANGED, False)
        if not follow_history or in_url == written or (arrived and not in_url):
            return False
        if _user_changed_a_widget(scope, params):
            return False  # a query string older than the user's change, not a Back/Forward step
        for param in params:  # the link's values are set below
            keep(param, param.default)
    restored.add(scope)
    notices = []
    explicit = st.session_state.setdefault(EXPLICIT, {})
    for param in params:  # only what this link sets stays explicit
        explicit.pop(param.name, None)
    for param in params:
        value, notice = _from_link(param, allowed.get(param.key))
        if notice:
            notices.append(notice)
        if value is not None:
            keep(param, value)
            explicit[param.name] = value
    st.session_state.setdefault(NOTICES, {})[scope] = notices
    return True


def _user_changed_a_widget(scope: str, params: Iterable[LinkParam]) -> bool:
    """Whether ``params`` hold values the last written link does not have yet: the user
    has just changed a widget, or a callback (a picked organization, cleared filters) has.
    (Under load, a rerun can carry the URL from before the last run's update; only
    Back/Forward changes the URL without changing the state.)"""
    written, defaults = st.session_state.get(WRITTEN, {}).get(scope, ({}, {}))
    return _link_values(params, defaults) != written


def enter_page(page: str) -> None:
    """Called by the frame first on every run: notes whether the user arrived from another
    page (Streamlit then clears the query string; see :func:`restore_link`)."""
    st.session_state[PAGE_CHANGED] = st.session_state.get(CURRENT_PAGE) != page
    st.session_state[CURRENT_PAGE] = page


def add_link_notice(scope: str, notice: str) -> None:
    """A notice about the link or the state, shown by the page that owns ``scope``."""
    st.session_state.setdefault(NOTICES, {}).setdefault(scope, []).append(notice)


def link_notices(scope: str) -> list[str]:
    """What :func:`restore_link` ignored in the link for ``scope`` (escaped, short)."""
    return list(st.session_state.get(NOTICES, {}).get(scope, []))


def write_link(
    scope: str, params: Iterable[LinkParam], defaults: Mapping[str, Value] | None = None
) -> None:
    """Mirror the values of ``params`` into the URL in one update (one browser history
    entry per deliberate change, none for a rerun that changes nothing). Defaults are left
    out unless the link set them; other parameters are left as they are."""
    params = tuple(params)
    explicit = st.session_state.setdefault(EXPLICIT, {})
    for param in params:  # the user's change: a default is no longer the link's
        if param.name in explicit and explicit[param.name] != current(param):
            del explicit[param.name]
    wanted = _link_values(params, defaults or {})
    st.session_state.setdefault(WRITTEN, {})[scope] = (wanted, dict(defaults or {}))
    names = {param.name for param in params}
    in_url = {name: st.query_params.get_all(name) for name in st.query_params}
    updated = {name: values for name, values in in_url.items() if name not in names} | wanted
    if updated != in_url:
        st.query_params.from_dict(updated)


def _widget_value(param: LinkParam, value: Value) -> object:
    """``value`` as ``param``'s widget holds it (a list; None for a nullable box's "")."""
    if param.kind == "list":
        return list(value)
    return None if param.nullable and value == "" else value


def _link_values(params: Iterable[LinkParam], defaults: Mapping[str, Value]) -> dict:
    """The URL's values for ``params`` as they are now: a default is left out unless the
    link set it, and an empty value always."""
    explicit = st.session_state.get(EXPLICIT, {})
    wanted: dict[str, list[str]] = {}
    for param in params:
        value = current(param)
        default = defaults.get(param.key, param.default)
        if (value == default and param.name not in explicit) or value in ("", (), False):
            continue
        if param.kind == "list":
            wanted[param.name] = list(value)
        else:
            wanted[param.name] = ["1"] if param.kind == "flag" else [str(value)]
    return wanted


def reset(params: Iterable[LinkParam]) -> None:
    """Back to defaults (the "Clear filters" button)."""
    for param in params:
        keep(param, param.default)


def chosen_disorder() -> str:
    return str(current(DISORDER))


def choose_disorder(disorder_id: str) -> None:
    keep(DISORDER, disorder_id)


def selected_org() -> str:
    """The organization whose card is open (``""`` for none)."""
    return str(current(ORG))


def select_org(org_id: str) -> None:
    keep(ORG, org_id)


def uses_us_customary_units() -> bool:
    """Whether the browser's locale (``st.context.locale``, e.g. ``en-US``) is a US one:
    miles and Letter paper are then the defaults, elsewhere kilometres and A4."""
    return (st.context.locale or "").replace("_", "-").casefold().endswith("-us")


def write_directory_link(place: PlaceResult | None) -> None:
    """The directory's link, its unit's default following the place (miles for a US place):
    one call for the page and for the card's own rerun, so both leave the same URL."""
    write_link("directory", DIRECTORY_PARAMS, {UNIT.key: default_unit(place)})


def default_unit(place: PlaceResult | None) -> str:
    """Miles for a US browser or a US place searched; kilometres elsewhere."""
    us_place = place is not None and place.found and place.country == "US"
    return "mi" if uses_us_customary_units() or us_place else "km"


def follow_default_unit(place: PlaceResult | None) -> None:
    """Before the unit box is drawn: until the user picks a unit (or a link sets one), it
    follows :func:`default_unit`; a picked unit sticks for the session."""
    explicit = UNIT.name in st.session_state.get(EXPLICIT, set())
    if not st.session_state.get(UNIT_CHOSEN) and not explicit:
        keep(UNIT, default_unit(place))


def choose_unit() -> None:
    """The unit box's callback: the user's unit sticks."""
    st.session_state[UNIT_CHOSEN] = True


def current_place(postcode_towns: Mapping[str, str] | None = None) -> PlaceResult | None:
    """The searched place, resolved (None when nothing is typed). ``postcode_towns`` (UK
    postcode district → post town, from the listed addresses) lets a bare UK postcode
    suggest its town."""
    text = str(current(PLACE)).strip()
    return resolve_place(text, postcode_towns=postcode_towns) if text else None


def current_filters() -> Filters:
    """The directory filters as the user last set them (on any page)."""
    radius = str(current(RADIUS))
    return Filters(
        disorder="" if current(ALL_DISORDERS) else chosen_disorder(),
        org_types=tuple(current(ORG_TYPES)),
        countries=tuple(current(COUNTRIES)),
        channels=tuple(current(CHANNELS)),
        text=str(current(TEXT)),
        place=str(current(PLACE)),
        radius=None if radius == "any" else int(radius),
        unit=str(current(UNIT)),
        show_closed=bool(current(SHOW_CLOSED)),
    )


ORG_PICKER = "org_picker"
"""Key of the organization picker (a select box of ids, no link parameter of its own: the
chosen organization is :data:`ORG`)."""


def picked_org() -> str:
    """The organization the picker holds, read in its callback (``""`` for none)."""
    return str(st.session_state.get(ORG_PICKER) or "")


def show_in_picker(listed: Collection[str]) -> None:
    """Before drawing the picker: it shows the selected organization when that is listed,
    else nothing (a map click or a table row may have chosen another since it was drawn)."""
    chosen = selected_org()
    st.session_state[ORG_PICKER] = chosen if chosen in listed else None


def selection_event(key: str) -> object:
    """The selection state of the chart or table drawn with ``key`` (its ``on_select``
    callback reads it; Streamlit passes the callback nothing), or None before it exists."""
    return st.session_state.get(key)
