"""Count diary: a person's own neutrophil counts, charted, checked for a cycle, kept private."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import diary_views as views
from components.frame import open_page
from components.subtype_views import show_issues
from explorer.config import data_dir
from explorer.counts.report import analyse

open_page("Count diary")
st.title("Count diary")
st.caption(
    "Your counts stay in this browser tab: nothing is saved, logged or put in the page's "
    "link. Download the diary as CSV to keep it, and upload it again next time."
)

# Settings
words, issues = views.cited_words(data_dir())
show_issues(issues)
if words is None:
    st.error(
        "The diary is hidden until the problems above are fixed: every medical line must "
        "cite a listed source. `python -m explorer check` lists them too.",
        icon=":material/rule:",
    )
    st.stop()
upload = views.uploaded()
st.markdown(
    "Type counts below (one row each: **+** adds a row) or upload a file above. Uploading "
    "starts the table from the file: download the diary first to keep counts typed here."
)
entries = views.counts_table(upload)
header_unit = upload.header_unit if upload else None
unit = views.unit_choice(header_unit, entries)

# Process
analysis = analyse(entries, header_unit=header_unit, unit=unit, today=date.today())
unreadable = upload.problems if upload else ()

# Render
views.problems_table(unreadable, analysis)
if analysis.checked.counts:
    views.show_chart(analysis, words)
    views.show_estimate(analysis, words)
views.downloads(entries, unreadable, analysis, words)
views.show_references(words)
