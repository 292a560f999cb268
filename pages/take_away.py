"""Take it with you: a personal fever card and a visit summary, as PDFs made on request."""

from __future__ import annotations

import streamlit as st

from components import subtype_views
from components import takeaway_views as views
from components.data import load_subtype_data
from components.frame import open_page
from explorer.config import data_dir
from explorer.takeaway import load_card_lines

view = open_page("Take it with you")
st.title("Take it with you")

# Settings
data, subtype_issues = load_subtype_data()
lines, card_issues = load_card_lines(data_dir(), data) if data else ((), [])
subtype_views.show_issues([*subtype_issues, *card_issues])
if data is None or card_issues:
    st.error(
        "The card and the summary are hidden until the problems above are fixed: every "
        "medical line must cite a listed source. `python -m explorer check` lists them too.",
        icon=":material/rule:",
    )
    st.stop()
viewed = views.viewed_state(data, view)
st.caption(
    "Nothing you type here is saved, logged or put in the page's link: the PDF is made when "
    "you press a download button. The form is kept while you visit other pages; closing "
    "the tab forgets it."
)
paper = views.paper_picker()

# Render
st.header("Your fever card")
details = views.card_form(data)
views.show_font_notice(details)
views.card_downloads(details, data, lines, paper)
st.caption(
    "The wallet card prints front and back side by side: cut it out and fold it. Long "
    "entries are shortened with “…” on it; the full-page card prints them in full."
)

st.header("A summary for your next visit")
forms, only_differences = views.summary_choices(data, viewed)
views.summary_download(data, lines, viewed, forms, only_differences, paper)
st.page_link(
    "pages/count_diary.py",
    label="Bring your counts too: the Count diary makes a page for the clinician",
    icon=":material/monitoring:",
)
