"""Overview: what the disorder is, in the words of its report, and where that comes from."""

from __future__ import annotations

import streamlit as st

from components import overview_views as overview
from components.frame import open_page
from components.notices import show_data_warnings
from components.sources import report_source_caption
from components.text import plain

view = open_page("Overview")
disorder = view.disorder

if disorder is None:
    st.title("Neutropenia Resource Explorer")
    st.error(
        "No report could be read, so there is nothing to show yet. Put NORD report files "
        "(.txt) in the `reports` folder of the data directory (or point EXPLORER_DATA_DIR "
        "at one), then reload. `python -m explorer check` names any problem.",
        icon=":material/folder_off:",
    )
    st.stop()

st.title(plain(disorder.title))
report_source_caption(disorder)

# The reach figures need the placed directory: their place is kept here, they are drawn last,
# so the report's text never waits for the place names on a cold start.
reach = st.container()
st.page_link("pages/organizations.py", label="Find an organization near you", icon=":material/map:")

overview.render_names(disorder)

st.header("General discussion")
for paragraph in disorder.general_discussion:
    st.markdown(plain(paragraph))
if not disorder.general_discussion:
    st.caption("The report has no general discussion.")

overview.render_terms(disorder.general_discussion)
overview.render_see_haematologist(disorder)

placed = view.placed
organizations, countries = placed.reach.get(disorder.id, (0, 0))
org_count, country_count, _ = reach.columns([1, 1, 2])
org_count.metric("Support organizations", organizations)
country_count.metric("Countries", countries)

show_data_warnings(placed.catalog)
