"""Streamlit pieces of the Count diary: the upload, the editable table of counts, the unit
and date-order choices, the chart, the estimate with the fever rule beside it, downloads.

Privacy: the counts live only in this browser session's widgets, under the keys below
(the uploader's file and the data editor's edits are the diary), never in
``st.session_state`` entries of our own, in a cache, a file, a log line or the URL. None of
these widgets is bound to the query string; the PDF and CSV are made in memory when a
download button is pressed. Closing the tab forgets the diary: the CSV download is how a
user keeps it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from components.subtype_text import reference_markdown
from components.text import plain
from explorer.cache import files_signature
from explorer.counts import (
    DATE_ORDERS,
    SEVERE,
    UNITS,
    Entry,
    Problem,
    Upload,
    guess_unit,
    read_upload,
)
from explorer.counts.diary import diary_csv
from explorer.counts.pdf import BANDS, clinician_pdf, method_text
from explorer.counts.report import Analysis, Words, clinician_page, load_words
from explorer.models import ParseIssue

UPLOAD_KEY = "diary_upload"
EDITOR_KEY = "diary_counts"
UNIT_KEY = "diary_unit"
ORDER_KEY = "diary_date_order"
CSV_KEY = "diary_download_csv"
PDF_KEY = "diary_download_pdf"
GUESSED = "guessed"
DATE_COLUMN = "Date"
COUNT_COLUMN = "Count"
CHART_HEIGHT = 320
EDITOR_HEIGHT = 280
"""Pixels: about seven rows show, the rest scroll inside the table."""
BAND_LABELS = ("below 0.5", "0.5 to 1.0", "1.0 to 1.5")


@st.cache_data(show_spinner=False, max_entries=4)
def _words(folder: str, signature: tuple) -> tuple[Words | None, list[ParseIssue]]:
    return load_words(Path(folder))


def cited_words(folder: Path) -> tuple[Words | None, list[ParseIssue]]:
    """The diary's cited lines, cached by the data files' signature (data, never counts)."""
    return _words(str(folder), files_signature(folder))


def uploaded() -> Upload | None:
    """The uploaded CSV, read; a message, the date question and unreadable rows shown."""
    file = st.file_uploader(
        "Upload a diary or a lab portal's CSV (dates and counts)",
        type=["csv", "txt", "tsv"],
        key=UPLOAD_KEY,
        help="A CSV with a date and a count on each line; a header row is optional.",
    )
    if file is None:
        return None
    upload = read_upload(file.getvalue())
    if upload.message:
        st.error(plain(upload.message), icon=":material/block:")
        return None
    if upload.needs_date_order:
        examples = ", ".join(plain(text) for text in upload.ambiguous_dates)
        st.warning(
            f"Dates such as {examples} can be read day first or month first. Which order "
            "does this file use?",
            icon=":material/event:",
        )
        order = st.radio(
            "Date order of the file",
            options=list(DATE_ORDERS),
            format_func=DATE_ORDERS.__getitem__,
            index=None,
            horizontal=True,
            key=ORDER_KEY,
        )
        if order is None:
            return None
        upload = read_upload(file.getvalue(), date_order=order)
    elif upload.date_reason:
        st.caption(f"Dates are read {DATE_ORDERS[upload.date_order]}: {plain(upload.date_reason)}.")
    return upload


def editor_key(upload: Upload | None) -> str:
    """The editor starts afresh when a different file (or date order) is read."""
    if upload is None:
        return EDITOR_KEY
    return f"{EDITOR_KEY}_{hash((upload.entries, upload.date_order)) & 0xFFFFFFFF:x}"


def counts_table(upload: Upload | None) -> list[Entry]:
    """The editable diary: the file's rows (if any) and whatever is typed; its rows."""
    rows = upload.entries if upload else ()
    frame = pd.DataFrame(
        {
            DATE_COLUMN: pd.Series([e.day for e in rows], dtype="object"),
            COUNT_COLUMN: pd.Series([e.value for e in rows], dtype="float64"),
        }
    )
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        height=EDITOR_HEIGHT,
        hide_index=True,
        width="stretch",
        key=editor_key(upload),
        column_config={
            DATE_COLUMN: st.column_config.DateColumn(
                "Date", format="YYYY-MM-DD", help="The day the blood was taken"
            ),
            COUNT_COLUMN: st.column_config.NumberColumn(
                "Count", help="Absolute neutrophil count (ANC), in the unit chosen below"
            ),
        },
    )
    entries = []
    for number, (day, value) in enumerate(
        zip(edited[DATE_COLUMN], edited[COUNT_COLUMN], strict=True), start=1
    ):
        day = None if pd.isna(day) else pd.Timestamp(day).date()
        value = None if pd.isna(value) else float(value)
        entries.append(
            Entry(number, day, value, str(day or ""), "" if value is None else f"{value:g}")
        )
    return entries


def unit_choice(header_unit: str | None, entries: Sequence[Entry]) -> str | None:
    """The unit: as guessed, or the one the user picks; None means the guess. The page
    says which unit the counts are read in and why."""
    guessed, reason = guess_unit(header_unit, [e.value for e in entries if e.value is not None])
    choice = st.selectbox(
        "Unit of the counts",
        options=[GUESSED, *UNITS],
        format_func=lambda key: "As the counts suggest" if key == GUESSED else UNITS[key].label,
        key=UNIT_KEY,
        help="×10⁹/L and ×10³/µL are the same number; cells/µL and /mm³ are 1,000 times larger.",
    )
    if choice == GUESSED:
        st.caption(f"Counts are read in **{UNITS[guessed].label}** because {plain(reason)}.")
        return None
    st.caption(f"Counts are read in **{UNITS[choice].label}**, as you chose.")
    return choice


def problems_table(unreadable: Sequence[Problem], analysis: Analysis) -> None:
    """Every row not used, with where it is and why: nothing is dropped silently."""
    rows = [("file line", p) for p in unreadable] + [
        ("table row", p) for p in analysis.checked.problems
    ]
    if not rows:
        return
    st.warning(
        f"{len(rows)} row(s) are not used for the chart and the estimate. They stay in the "
        "table and in the downloaded diary: correct or delete them there.",
        icon=":material/rule:",
    )
    st.dataframe(
        pd.DataFrame(
            [(f"{where} {p.line}", p.raw_date, p.raw_value, p.message) for where, p in rows],
            columns=["Where", "Date", "Count", "Why it is not used"],
        ),
        hide_index=True,
        width="stretch",
    )


def chart(analysis: Analysis) -> alt.LayerChart:
    """The counts over time on the severity bands; counts below 0.5 drawn red and larger."""
    counts = analysis.checked.counts
    frame = pd.DataFrame(
        {
            "date": [pd.Timestamp(c.day) for c in counts],
            "anc": [c.anc for c in counts],
            "level": [f"below {SEVERE:g}" if c.anc < SEVERE else "at or above 0.5" for c in counts],
        }
    )
    top = max(3.0, float(frame["anc"].max()) * 1.1)
    bands = pd.DataFrame(
        [(low, high, label) for (low, high, _), label in zip(BANDS, BAND_LABELS, strict=True)],
        columns=["low", "high", "band"],
    )
    colours = ["#" + "".join(f"{v:02x}" for v in colour) for *_, colour in BANDS]
    y = alt.Y("anc:Q", title="ANC (×10⁹/L)", scale=alt.Scale(domain=[0, top]))
    shaded = (
        alt.Chart(bands)
        .mark_rect(opacity=0.8)
        .encode(
            y=alt.Y("low:Q", scale=alt.Scale(domain=[0, top])),
            y2="high:Q",
            color=alt.Color(
                "band:N",
                title="Band (×10⁹/L)",
                scale=alt.Scale(domain=list(BAND_LABELS), range=colours),
            ),
        )
    )
    line = alt.Chart(frame).mark_line(color="#28468c").encode(x=alt.X("date:T", title="Date"), y=y)
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, opacity=1)
        .encode(
            x="date:T",
            y=y,
            shape=alt.Shape("level:N", title="Count"),
            size=alt.condition(alt.datum.anc < SEVERE, alt.value(90), alt.value(40)),
            fill=alt.condition(alt.datum.anc < SEVERE, alt.value("#aa001c"), alt.value("#28468c")),
            stroke=alt.condition(
                alt.datum.anc < SEVERE, alt.value("#aa001c"), alt.value("#28468c")
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
                alt.Tooltip("anc:Q", title="ANC ×10⁹/L", format=".2f"),
            ],
        )
    )
    return (
        alt.layer(shaded, line, points)
        .properties(height=CHART_HEIGHT)
        .resolve_scale(color="independent")
    )


def show_chart(analysis: Analysis, words: Words) -> None:
    counts = analysis.checked.counts
    st.altair_chart(
        chart(analysis),
        width="stretch",
        alt=(
            f"Chart of {len(counts)} neutrophil counts from {counts[0].day:%d %B %Y} to "
            f"{counts[-1].day:%d %B %Y}; {analysis.estimate.below_severe} are below 0.5. "
            "The table above lists every count."
        ),
    )
    st.caption(
        "Shaded bands: below 0.5, 0.5 to 1.0 and 1.0 to 1.5 ×10⁹/L; red points are below 0.5. "
        + plain(words.notes["bands"].display)
    )


def show_estimate(analysis: Analysis, words: Words) -> None:
    """What the counts show, and the fever rule beside it with the not-medical-advice line."""
    estimate = analysis.estimate
    said, fever = st.columns([3, 2])
    with said:
        st.subheader("Is there a cycle?")
        st.markdown(plain(estimate.summary()))
        if estimate.next_low:
            start, end = estimate.next_low
            st.info(
                f"If the rhythm continues, the next low counts would fall around "
                f"**{start:%d %B} to {end:%d %B %Y}**. This is an estimate from the counts, "
                "not a prediction: a count on those days shows what is really happening.",
                icon=":material/event_upcoming:",
            )
        st.caption(plain(words.notes["sampling"].display))
        with st.expander("How this is worked out, and its limits"):
            st.markdown(plain(method_text(estimate)))
    with fever:
        st.error(plain(words.fever_rule), icon=":material/emergency:")
        st.caption(
            "What the numbers show is not a diagnosis and not medical advice: talk to your "
            "care team about them."
        )


def downloads(
    entries: Sequence[Entry], unreadable: Sequence[Problem], analysis: Analysis, words: Words
) -> None:
    """The diary as CSV (to keep and upload next time) and the clinician's one-page PDF,
    each made only when its button is pressed."""
    last = len(entries)
    kept = [dataclasses.replace(p, line=last + i) for i, p in enumerate(unreadable, start=1)]
    csv_column, pdf_column = st.columns(2)
    csv_column.download_button(
        "Download the diary (CSV)",
        data=lambda: diary_csv(entries, kept, analysis.checked, analysis.unit),
        file_name="count-diary.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=CSV_KEY,
    )
    pdf_column.download_button(
        "Download the page for the clinician (PDF)",
        data=lambda: clinician_pdf(clinician_page(analysis, words, made=date.today())),
        file_name="count-diary.pdf",
        mime="application/pdf",
        icon=":material/download:",
        on_click="ignore",
        key=PDF_KEY,
        disabled=not analysis.checked.counts,
    )


def show_references(words: Words) -> None:
    st.subheader("References")
    wanted = set(words.citations)
    for number, reference in enumerate(words.data.references, start=1):
        if reference.key in wanted:
            st.markdown(reference_markdown(number, reference))
