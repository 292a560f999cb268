"""The page chrome: what every page shows before it reads any data, kept light to import.

The router (``app.py``) imports only this module before it hands over to a page, so a fresh
server's first page sends its tab title, layout and navigation links at once, while the
page's own imports (pandas, pyarrow, the data loaders: most of a first run's CPU) are still
under way; the browser meanwhile loads the code for what it has been sent. A page opened
without the router (Streamlit's legacy ``pages/`` handling of a fresh server's very first deep
link, see :mod:`components.frame`) draws the same chrome from its own :func:`open_page
<components.frame.open_page>`: :func:`routed` tells the two cases apart.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator

import streamlit as st

APP_TITLE = "Neutropenia Resource Explorer"
PAGE_ICON = "🩸"
"""The tab's icon: an emoji, drawn by the browser. Streamlit checks it against its catalogue
of every emoji (about 35 ms of a fresh server's first page). Given as an image URL instead
(the emoji's SVG), Streamlit imports numpy and PIL to look at it first (about 60 ms, and
nothing else on a page of text needs numpy). Never a ``:material/…:`` icon: that one is
fetched from a remote font server, which an offline app must never ask."""


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


def page_path(title: str) -> str:
    """The script of the page titled ``title``."""
    return next(spec.path for spec in PAGES if spec.title == title)


_DRAWN_FOR: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "chrome_drawn_for", default=None
)
"""The title of the page whose chrome the router has drawn in this script run (None: not
drawn). A context variable: set and reset around one page's run, in that run's thread."""


@contextlib.contextmanager
def routed(title: str) -> Iterator[None]:
    """Draw the chrome of the page titled ``title``, then run the page inside this block
    (whose :func:`draw_chrome` call is then skipped)."""
    draw_chrome(title)
    token = _DRAWN_FOR.set(title)
    try:
        yield
    finally:
        _DRAWN_FOR.reset(token)


def draw_chrome(title: str) -> None:
    """The tab's title and icon, the wide layout and the navigation links, unless the router
    drew them for this page already in this run."""
    if _DRAWN_FOR.get() == title:
        return
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=PAGE_ICON, layout="wide")
    with st.sidebar:
        for spec in PAGES:
            st.page_link(spec.path, label=spec.title, icon=spec.icon)
        st.divider()
        st.html(FRAME_SCRIPT, unsafe_allow_javascript=True)
