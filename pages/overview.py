"""Overview: what the disorder is, in the words of its report, and where that comes from."""

from __future__ import annotations

import streamlit as st

from components.data import loaded, selected_disorder
from components.notices import plain, safety_notice
from components.router import require_router
from components.sources import report_source_caption

require_router()

disorder = selected_disorder()

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
safety_notice()

organizations, countries = loaded().reach.get(disorder.id, (0, 0))
org_count, country_count, _ = st.columns([1, 1, 2])
org_count.metric("Support organizations", organizations)
country_count.metric("Countries", countries)
st.page_link("pages/organizations.py", label="Find an organization near you", icon=":material/map:")

names, subdivisions = st.columns(2)
with names:
    st.header("Also known as")
    st.markdown("\n".join(f"- {plain(name)}" for name in disorder.synonyms) or "None listed.")
with subdivisions:
    st.header("Disorder subdivisions")
    st.markdown("\n".join(f"- {plain(name)}" for name in disorder.subdivisions) or "None listed.")
    st.page_link("pages/subtypes.py", label="Compare the forms", icon=":material/compare:")

st.header("General discussion")
for paragraph in disorder.general_discussion:
    st.markdown(plain(paragraph))
if not disorder.general_discussion:
    st.caption("The report has no general discussion.")
