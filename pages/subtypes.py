"""Subtypes: congenital, cyclic, idiopathic and autoimmune neutropenia side by side, sourced."""

from __future__ import annotations

import streamlit as st

from components import condition_views
from components import subtype_views as views
from components.data import load_subtype_data
from components.frame import open_page
from components.subtype_text import MIN_FORMS, default_forms, report_names
from components.text import plain
from explorer.subtypes import comparison_table, map_report_names_to_forms
from explorer.subtypes.chart import anc_schematic

view = open_page("Subtypes")
st.title(f"{plain(view.disorder.title) if view.disorder else 'Subtypes'}: compare the forms")

# Settings
data, issues = load_subtype_data()
views.show_issues(issues)
if data is None:
    st.error(
        "The comparison is hidden until the problems above are fixed: every statement must "
        "cite a listed source. `python -m explorer check` lists them too.",
        icon=":material/rule:",
    )
    st.stop()

disorder = view.disorder
mapping = map_report_names_to_forms(data, report_names(disorder))
if disorder is not None and not any(mapping.values()):
    views.render_not_curated(disorder)
    st.stop()
cites = views.citations(data)
views.render_about(data, mapping, cites)
views.restore_from_url(data)
views.show_url_notices()
forms, attributes, only_differences = views.pickers(data, default_forms(data, mapping))
if len(forms) < MIN_FORMS:
    st.warning("Choose at least two forms to compare.", icon=":material/compare:")
    st.stop()

# Process
comparison = comparison_table(data, forms, attributes, only_differences=only_differences)
schematic = anc_schematic(data, forms)

# Render
views.render_comparison(
    data, comparison, cites, only_differences=only_differences, asked=len(set(attributes))
)
if "cyclic" in forms:
    st.page_link(
        "pages/count_diary.py",
        label="Look for a cycle in your own counts: the Count diary",
        icon=":material/monitoring:",
    )
condition_views.render_form_links(forms)
views.render_anc_chart(data, forms, schematic, cites)
views.render_glossary(data, cites)
views.render_references(data, cites)
