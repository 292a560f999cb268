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
from components.data import Loaded, Reports, loaded, reports_loaded
from components.directory_filters import link_options
from components.notices import explain_faults, safety_notice, show_data_errors
from explorer.config import data_dir, default_disorder
from explorer.models import Disorder

APP_TITLE = "Neutropenia Resource Explorer"
DIRECTORY_PAGE = "Organizations"
"""The page that draws the directory's filters (a link to another page sets them for it)."""
PAGE_ICON = "🩸"
"""An emoji, drawn by the browser: a ``:material/…:`` page icon is fetched from a remote
font server, which an offline app must never ask."""


@dataclasses.dataclass(frozen=True)
class PageSpec:
    """One page of the app: its script under ``pages/``, its title and icon."""

    path: str
    title: str
    icon: str
    default: bool = False

    def page(self) -> st.Page:
        return st.Page(self.path, title=self.title, icon=self.icon, default=self.default)


PAGES = (
    PageSpec("pages/overview.py", "Overview", ":material/info:", default=True),
    PageSpec("pages/subtypes.py", "Subtypes", ":material/compare:"),
    PageSpec("pages/organizations.py", "Organizations", ":material/diversity_3:"),
    PageSpec("pages/conditions.py", "Genetic conditions", ":material/genetics:"),
    PageSpec("pages/take_away.py", "Take it with you", ":material/picture_as_pdf:"),
    PageSpec("pages/count_diary.py", "Count diary", ":material/monitoring:"),
)


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


FRAME_SCRIPT = """<script>
if (!window.__closeDrawerOnNavigation) {
  window.__closeDrawerOnNavigation = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-testid=stSidebar] a[data-testid=stPageLink-NavLink]");
    if (!link || !window.matchMedia("(max-width: 768px)").matches) return;
    document.querySelector("[data-testid=stSidebarCollapseButton] button")?.click();
  }, true);
}
if (!window.__linkHistory) {
  window.__linkHistory = true;
  let stepping = false;
  window.addEventListener("popstate", () => { stepping = true; }, true);
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, () => { stepping = false; }, true);
  }
  const replace = history.replaceState.bind(history);
  history.replaceState = (state, title, url) => {
    const next = url ? new URL(url, location.href) : null;
    const samePage = next && next.pathname === location.pathname;
    if (stepping || !samePage || next.search === location.search) {
      return replace(state, title, url);
    }
    return history.pushState(state, title, url);
  };
}
</script>"""
"""The frame's one fixed script (no data in it), with two jobs Streamlit has no public call for.

On a phone the sidebar is a drawer over the page: a page chosen in it closes it, as
Streamlit's own page list does. Our links are ``st.page_link`` (see the module's docstring),
which leave the drawer open over the new page; so the script presses the drawer's own close
button when a navigation link is clicked at phone width (Streamlit's 768 px breakpoint).

Back and Forward step through searches: Streamlit 1.67 follows them for bound widgets (a
history step reruns the app from the URL), but writes a widget's change into the URL with
``history.replaceState``, so a change has no history entry of its own and Back skipped every
search. The script makes a change of the query string on the same page, after the user's own
click or key press, a new entry (``pushState``); while a Back/Forward step is shown (from
``popstate`` to the next click or key) Streamlit's own replacements stay replacements."""


def _path(title: str) -> str:
    return next(spec.path for spec in PAGES if spec.title == title)


def _navigation_links() -> None:
    with st.sidebar:
        for spec in PAGES:
            st.page_link(spec.path, label=spec.title, icon=spec.icon)
        st.divider()
        st.html(FRAME_SCRIPT, unsafe_allow_javascript=True)


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
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=PAGE_ICON, layout="wide")
    _navigation_links()
    with explain_faults():
        safety_notice()  # first: it reads one small guidance file, never the reports
        reports = reports_loaded()
    catalog = reports.catalog
    options = {page_state.DISORDER: lambda: {d.id: d.title for d in catalog.disorders}}
    directory = title == DIRECTORY_PAGE  # elsewhere a link's filters are set for it now
    page_state.translate_link(
        "frame", _path(title), options | link_options(reports), seed=not directory
    )
    disorder = _disorder_choice(reports, title)
    for notice in page_state.link_notices(page_state.DISORDER):
        st.sidebar.info(notice, icon=":material/link_off:")
    show_data_errors(catalog)
    return PageView(reports=reports, disorder=disorder)
