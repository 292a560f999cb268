"""Genetic and related conditions: every condition the HPO annotates with neutropenia, filtered
and compared side by side."""

from __future__ import annotations

import streamlit as st

from components import condition_views as views
from components.data import conditions_extract
from components.frame import open_page
from components.text import plain
from explorer.conditions.query import compare, filter_conditions
from explorer.conditions.sources import OntologyUnavailable

open_page("Genetic conditions")
st.title("Genetic and related conditions")

# Settings
try:
    extract = conditions_extract()
except OntologyUnavailable as exc:
    st.error(plain(str(exc)), icon=":material/extension_off:")
    st.stop()
views.render_provenance(extract)
views.render_issues(extract)
views.restore_from_url(extract)
views.show_url_notices()
filters = views.filter_panel(extract)

# Process
shown = filter_conditions(extract.conditions, filters)

# Render
views.render_table(shown, total=len(extract.conditions))
st.header("Side by side")
chosen, only_differences = views.comparison_picker(extract, shown)
if len(chosen) >= views.MIN_CHOSEN:
    views.render_comparison(compare(extract, chosen, only_differences=only_differences))
else:
    st.info("Choose at least two conditions to compare.", icon=":material/compare:")
views.render_rule(extract)
