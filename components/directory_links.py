"""What a link may set the directory's filters to: every page's frame checks a link's
parameters against these (a link to another page sets the filters for the Organizations
page), so this module imports neither the table nor the filter counts."""

from __future__ import annotations

from components import page_state as state
from components.data import Reports
from explorer.directory.filters import CHANNELS, RADIUS_OPTIONS, UNITS
from explorer.place_names import country_name
from explorer.reading.classify import ORG_TYPES


def radius_label(option: str) -> str:
    """A radius option as the widget and a link show it."""
    return "any distance" if option == "any" else option


def link_options(reports: Reports) -> state.Options:
    """Each directory parameter's values in a link (old token → its option's label; None
    for text), built only for those a link has (countries and organizations load the
    directory)."""
    allowed = reports.allowed_link_values
    return {
        state.PLACE: None,
        state.TEXT: None,
        state.RADIUS: lambda: {option: radius_label(option) for option in RADIUS_OPTIONS},
        state.UNIT: lambda: {unit: unit for unit in UNITS},
        state.TYPES: lambda: {org_type: org_type for org_type in ORG_TYPES},
        state.COUNTRIES: lambda: {code: country_name(code) for code in allowed["countries"]},
        state.CHANNELS: lambda: CHANNELS,
        state.ALL_DISORDERS: lambda: state.FLAG,
        state.SHOW_CLOSED: lambda: state.FLAG,
        state.ORG: lambda: {org_id: org_id for org_id in allowed["selected_org"]},
    }
