"""Streamlit pieces of the Take-away page: the card's form, the summary's choices, downloads.

Privacy: what a person types into the card's form lives only in its widgets' state for
this browser session. It is never mirrored into the URL, never logged, never cached: the
PDF is made only when a download button is pressed (``data`` is a callable), from a record
built at that moment, and handed to the browser.

Everything this page reads from other pages' state goes through :func:`viewed_state`, so
it can be rewired in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from components import page_state
from components.data import loaded
from components.frame import PageView
from components.subtype_text import MAX_FORMS, MIN_FORMS, default_forms, report_names
from explorer.directory.filters import Filters
from explorer.directory.search import search
from explorer.places.resolve import PlaceResult
from explorer.subtypes import SubtypeData, map_report_names_to_forms
from explorer.takeaway import (
    FULL_PAGE,
    PAPER_SIZES,
    WALLET,
    CardDetails,
    card_content,
    fever_card_pdf,
    visit_summary_for,
    visit_summary_pdf,
)
from explorer.takeaway.records import CardLine
from explorer.takeaway.text import MAX_FIELD_CHARS, MISSING_GLYPH, printable

NOT_KNOWN_YET = "Not known yet"
GCSF_CHOICES = ("Not saying", "Yes", "No")
CARD_FIELDS = {
    "card_first_name": "First name (optional)",
    "card_usual_anc": "Usual neutrophil count (ANC), if known",
    "card_gcsf_dose": "G-CSF dose (optional)",
    "card_care_team": "Care team (name or clinic)",
    "card_care_team_phone": "Care team phone",
    "card_hospital": "Hospital to go to",
}
"""Text boxes of the card's form, by widget key. Only these keys and the two below hold
what a person types; none is ever written to the URL."""
FORM_KEY, GCSF_KEY = "card_form", "card_gcsf"
TYPED_FIELDS = ("first_name", "usual_anc", "gcsf_dose", "care_team", "care_team_phone", "hospital")
"""The :class:`CardDetails` fields typed as free text (the font notice checks these)."""
PAPER_KEY = "takeaway_paper"
SUMMARY_FORMS_KEY, SUMMARY_DIFF_KEY = "takeaway_forms", "takeaway_only_diff"
DOWNLOAD_KEYS = {
    WALLET: "download_wallet_card",
    FULL_PAGE: "download_full_page_card",
    "summary": "download_visit_summary",
}
FILE_NAMES = {
    WALLET: "fever-card-wallet.pdf",
    FULL_PAGE: "fever-card-full-page.pdf",
    "summary": "visit-summary.pdf",
}


@dataclass(frozen=True, slots=True)
class ViewedState:
    """What the person is looking at elsewhere in the app, as this page needs it."""

    forms: tuple[str, ...]
    only_differences: bool
    filters: Filters
    place: PlaceResult | None


def viewed_state(data: SubtypeData, view: PageView) -> ViewedState:
    """The compared forms (Subtypes page) and the searched place and filters
    (Organizations page), as :mod:`components.page_state` keeps them; the forms are the
    Subtypes page's defaults (those the selected report names) until the user chose some.

    The one function here that reads other pages' state.
    """
    mapping = map_report_names_to_forms(data, report_names(view.disorder))
    forms = tuple(page_state.current(page_state.FORMS)) or tuple(default_forms(data, mapping))
    return ViewedState(
        forms=forms,
        only_differences=bool(page_state.current(page_state.ONLY_DIFFERENCES)),
        filters=page_state.current_filters(),
        place=page_state.current_place(view.reports.postcode_towns),
    )


KEEP_FOR_SESSION = "session"
"""``persist_state`` of the card's fields and the paper size: they survive a visit to another
page (Streamlit keeps them with this browser session, never in the URL); closing the tab
ends the session and forgets them."""


def _text_box(key: str, placeholder: str = "") -> str:
    return st.text_input(
        CARD_FIELDS[key],
        key=key,
        max_chars=MAX_FIELD_CHARS,
        placeholder=placeholder,
        persist_state=KEEP_FOR_SESSION,
    )


def card_form(data: SubtypeData) -> CardDetails:
    """Draw the card's form and return what it holds as a record (kept only for this run)."""
    left, right = st.columns(2)
    typed: dict[str, str] = {}
    with left:
        typed["card_first_name"] = _text_box("card_first_name")
        form = st.selectbox(
            "Form of neutropenia",
            options=[form.label for form in data.forms] + [NOT_KNOWN_YET],
            index=None,
            placeholder="Choose one (optional)",
            key=FORM_KEY,
            persist_state=KEEP_FOR_SESSION,
        )
        typed["card_usual_anc"] = _text_box("card_usual_anc", placeholder="e.g. 0.3 ×10⁹/L")
        gcsf = st.radio(
            "Takes G-CSF (filgrastim)?",
            GCSF_CHOICES,
            horizontal=True,
            key=GCSF_KEY,
            persist_state=KEEP_FOR_SESSION,
        )
        typed["card_gcsf_dose"] = _text_box("card_gcsf_dose")
    with right:
        for key in ("card_care_team", "card_care_team_phone", "card_hospital"):
            typed[key] = _text_box(key)
    return CardDetails(
        first_name=typed["card_first_name"],
        form=form or "",
        usual_anc=typed["card_usual_anc"],
        takes_gcsf=None if gcsf in (None, GCSF_CHOICES[0]) else gcsf == "Yes",
        gcsf_dose=typed["card_gcsf_dose"],
        care_team=typed["card_care_team"],
        care_team_phone=typed["card_care_team_phone"],
        hospital=typed["card_hospital"],
    )


def show_font_notice(details: CardDetails) -> None:
    """Say so when something typed has characters the card's font cannot print."""
    typed = [getattr(details, field) for field in TYPED_FIELDS]
    if any(MISSING_GLYPH in printable(text) for text in typed if MISSING_GLYPH not in text):
        st.warning(
            f"Some characters you typed are not in the card's font and will print as "
            f"{MISSING_GLYPH} (for example Chinese, Japanese or Korean script).",
            icon=":material/font_download_off:",
        )


def paper_picker() -> str:
    """A4, or Letter for a US browser (its locale); the choice sticks for the session."""
    default = "Letter" if page_state.uses_us_customary_units() else "A4"
    return st.radio(
        "Paper",
        PAPER_SIZES,
        index=PAPER_SIZES.index(default),
        horizontal=True,
        key=PAPER_KEY,
        persist_state=KEEP_FOR_SESSION,
    )


def card_downloads(
    details: CardDetails, data: SubtypeData, lines: Sequence[CardLine], paper: str
) -> None:
    """One button per layout; each makes its PDF only when pressed.

    The record is read from the widgets during the run: the download callable runs on
    another thread, where this session's state cannot be read.
    """
    content = card_content(data, lines)
    wallet, page = st.columns(2)
    for column, layout, label in (
        (wallet, WALLET, "Download wallet card (PDF)"),
        (page, FULL_PAGE, "Download full-page card (PDF)"),
    ):
        column.download_button(
            label,
            data=lambda layout=layout: fever_card_pdf(
                details, content, layout=layout, paper=paper, made=date.today()
            ),
            file_name=FILE_NAMES[layout],
            mime="application/pdf",
            icon=":material/download:",
            on_click="ignore",
            key=DOWNLOAD_KEYS[layout],
        )


def summary_choices(data: SubtypeData, viewed: ViewedState) -> tuple[list[str], bool]:
    """Forms and the differences switch for the summary, starting from what was viewed."""
    labels = {form.key: form.label for form in data.forms}
    forms = st.multiselect(
        "Forms to compare (2 to 4)",
        options=list(labels),
        default=[form for form in viewed.forms if form in labels][:MAX_FORMS],
        format_func=labels.__getitem__,
        max_selections=MAX_FORMS,
        key=SUMMARY_FORMS_KEY,
    )
    only_differences = st.toggle(
        "Only rows that differ", value=viewed.only_differences, key=SUMMARY_DIFF_KEY
    )
    return forms, only_differences


def summary_download(
    data: SubtypeData,
    lines: Sequence[CardLine],
    viewed: ViewedState,
    forms: list[str],
    only_differences: bool,
    paper: str,
) -> None:
    """The visit summary's button: the chosen forms and the sidebar's place and filters."""
    place = viewed.place if viewed.place and viewed.place.found else None
    if place:
        st.caption(
            f"Organizations: the nearest to **{place.label}** (searched on the Organizations page)."
        )
    else:
        st.caption(
            "Organizations: search a place on the Organizations page to list the nearest ones."
        )
    if len(forms) < MIN_FORMS:
        st.warning("Choose at least two forms to compare.", icon=":material/compare:")
        return

    data_now = loaded()
    directory, by_id, disorders = data_now.directory, data_now.by_id, data_now.catalog.disorders

    def make() -> bytes:
        """Runs on another thread when the button is pressed: only pure work here."""
        summary = visit_summary_for(
            data,
            lines,
            forms=forms,
            only_differences=only_differences,
            place_label=place.label if place else "",
            listed=search(directory, viewed.filters, place).shown,
            by_id=by_id,
            disorders=disorders,
            made=date.today(),
        )
        return visit_summary_pdf(summary, paper=paper)

    st.download_button(
        "Download visit summary (PDF)",
        data=make,
        file_name=FILE_NAMES["summary"],
        mime="application/pdf",
        icon=":material/download:",
        on_click="ignore",
        key=DOWNLOAD_KEYS["summary"],
    )
