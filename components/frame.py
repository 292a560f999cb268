"""The frame every page is drawn in: page set-up, navigation, the disorder choice, notices.

Each page opens with :func:`open_page`, so a page looks the same however Streamlit started
it. Why not draw the frame in ``app.py``: Streamlit 1.67 treats a folder named ``pages/``
next to the entrypoint as a legacy multipage app until ``st.navigation`` has run once in
the process, so a deep link as a fresh server's very first request runs the page file
*without* ``app.py``. With the frame in the page, and the legacy page list hidden by
``client.showSidebarNavigation = false`` (our navigation is drawn here with
``st.page_link``), that first request shows exactly what every later one does — using
public API only (the legacy/v2 switch is described in Streamlit's docs for
``st.navigation``: "As soon as any session of your app executes st.navigation, your app
will ignore the pages/ directory").
"""

from __future__ import annotations

import dataclasses
import functools

import streamlit as st

from components import page_state
from components.chrome import APP_TITLE, draw_chrome, page_path
from components.data import Loaded, Reports, loaded, reports_loaded
from components.directory_links import link_options
from components.notices import explain_faults, safety_notice, show_data_errors
from explorer.config import data_dir, default_disorder
from explorer.models import Disorder

DIRECTORY_PAGE = "Organizations"
"""The page that draws the directory's filters (a link to another page sets them for it)."""


@dataclasses.dataclass(frozen=True)
class PageView:
    """What a page needs from the frame: the reports, the chosen disorder, and the directory
    (:attr:`data`) loaded only when the page first asks for it."""

    reports: Reports
    disorder: Disorder | None

    @functools.cached_property
    def data(self) -> Loaded:
        """The placed catalog and the directory: loaded (with its progress box, where the
        page is) on first use, so a page's text above that point does not wait for it."""
        with explain_faults():
            return loaded()

    @property
    def placed(self) -> Reports | Loaded:
        """What knows the placed data's figures and issues (each disorder's reach, the
        geocoding warnings): the summary kept beside a placed directory when the frame read
        it, so a page that shows only figures never loads the directory, else the directory."""
        return self.reports if self.reports.reach is not None else self.data


def tab_title(title: str, disorder: Disorder | None, *, several: bool) -> str:
    """The browser tab's title: the page, the chosen disorder when there is a choice (two
    tabs on two disorders are told apart), and the app."""
    parts = [title, disorder.title if several and disorder else "", APP_TITLE]
    return " · ".join(part for part in parts if part)


def _disorder_choice(data: Loaded | Reports, title: str) -> Disorder | None:
    """The chosen disorder; the selector appears only when there is a choice to make, and
    the browser tab then names it too.

    A disorder that disappears (its report deleted) is replaced by the default one, and
    the page says so rather than switching silently.
    """
    catalog = data.catalog
    ids = tuple(d.id for d in catalog.disorders)
    default = default_disorder(data_dir(), ids)
    chosen = page_state.current(page_state.DISORDER)
    if chosen and chosen not in ids:
        notice = "The disorder you were looking at is no longer listed; showing the default."
        st.sidebar.info(notice, icon=":material/link_off:")
        chosen = ""
    # Set before every draw: a bound widget drawn by another page's script is another widget,
    # which Streamlit 1.67 would reset to its default on a page switch (its URL is cleared).
    page_state.keep(page_state.DISORDER, chosen or default)
    if len(ids) > 1:
        titles = {d.id: d.title for d in catalog.disorders}
        st.sidebar.selectbox(
            "Disorder",
            options=ids,
            index=ids.index(default),
            format_func=titles.get,
            key=page_state.DISORDER,
            **page_state.BOUND,
        )
    disorder = catalog.disorder(str(page_state.current(page_state.DISORDER)))
    if len(ids) > 1:
        st.set_page_config(page_title=tab_title(title, disorder, several=True))
    return disorder


def open_page(title: str) -> PageView:
    """Set the page up and draw the shared frame; stop with a message if data cannot load.

    The fever rule and the not-medical-advice line come first, before any data is read;
    then only the reports are read (the directory waits until a page asks for
    :attr:`PageView.data`), so pages without organizations never wait for the place names.
    """
    draw_chrome(title)
    with explain_faults():
        safety_notice()  # first: it reads one small guidance file, never the reports
        reports = reports_loaded()
    catalog = reports.catalog
    options = {page_state.DISORDER: lambda: {d.id: d.title for d in catalog.disorders}}
    directory = title == DIRECTORY_PAGE  # elsewhere a link's filters are set for it now
    page_state.translate_link(
        "frame", page_path(title), options | link_options(reports), seed=not directory
    )
    disorder = _disorder_choice(reports, title)
    for notice in page_state.link_notices(page_state.DISORDER):
        st.sidebar.info(notice, icon=":material/link_off:")
    show_data_errors(catalog)
    return PageView(reports=reports, disorder=disorder)
