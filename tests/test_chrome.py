"""The page chrome comes before the page: the router imports nothing heavy and draws the tab
title and the navigation links before a page's own imports run, and the page does not draw
them again."""

from __future__ import annotations

import ast
import sys

import pytest
from streamlit.testing.v1 import AppTest

from components.chrome import PAGES
from tests.apptest_helpers import TIMEOUT_S
from tests.conftest import BUNDLED_DATA, PROJECT_ROOT, fresh_python_output

HEAVY = ("pandas", "numpy", "pyarrow", "pydeck", "phonenumbers")
"""Libraries a first page run spends most of its CPU importing: none is needed to draw the
chrome."""


def _router_imports() -> list[str]:
    """The project modules ``app.py`` imports."""
    tree = ast.parse((PROJECT_ROOT / "app.py").read_text(encoding="utf-8"))
    return [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__"
    ]


def test_the_router_imports_no_data_library():
    """What ``app.py`` imports, in a fresh interpreter, loads none of the heavy libraries
    (before this change it imported the whole frame: pandas, pyarrow and the loaders)."""
    modules = [name for name in _router_imports() if name.split(".")[0] != "streamlit"]
    assert modules == ["components.chrome"]
    probe = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = fresh_python_output(probe).strip()
    assert loaded == "", f"imported by the router: {loaded}"


def _sidebar_links(app: AppTest) -> list[str]:
    return [link.proto.label for link in app.sidebar.get("page_link")]


def test_the_router_draws_the_links_before_the_pages_imports(monkeypatch):
    """The chrome is sent before a page's own imports run: with the frame made unimportable
    the page fails, yet its navigation is drawn (before, the router imported the frame
    first, and nothing was drawn until every library had loaded)."""
    monkeypatch.setitem(sys.modules, "components.frame", None)  # importing it now fails
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    assert app.exception, "the page ran without its frame"
    assert _sidebar_links(app) == [spec.title for spec in PAGES]


@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_a_page_draws_each_link_once(page):
    """Whoever draws the chrome, the router or (as AppTest runs a switched-to page, and a
    fresh server's legacy deep link: ``tests/browser/test_deep_link.py``) the page's own
    frame, each navigation link is drawn once."""
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert _sidebar_links(app) == [spec.title for spec in PAGES]


FIRST_PAGE_NEVER_IMPORTS = ("pandas", "numpy", "pyarrow", "rapidfuzz", "charset_normalizer")
"""Libraries a fresh server's Overview has no use for: the columnar ones cost about 0.4 s of
CPU before anything showed; the fuzzy matcher (a misspelt place) and the encoding detector
(a report not in UTF-8) 12 ms together."""


def test_a_fresh_servers_overview_imports_only_what_it_uses(tmp_path):
    """Once the disk cache holds the directory, a fresh process's Overview (its fever rule,
    text and figures) imports none of :data:`FIRST_PAGE_NEVER_IMPORTS`. Its figures are
    those of the placed directory."""
    environment = {"EXPLORER_CACHE_DIR": str(tmp_path), "EXPLORER_DATA_DIR": str(BUNDLED_DATA)}
    setup = (
        "import os\n"
        f"os.environ.update({environment!r})\n"
        "from components.data import loaded\n"
        "print(sum(loaded().reach['neutropenia-general']))\n"
    )
    placed = int(fresh_python_output(setup).splitlines()[-1])
    probe = (
        "import os, sys\n"
        f"os.environ.update({environment!r})\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_file({str(PROJECT_ROOT / 'app.py')!r}, default_timeout=60).run()\n"
        "assert not app.exception, app.exception\n"
        "print(sum(int(m.value) for m in app.metric))\n"
        f"print(sorted(m for m in {FIRST_PAGE_NEVER_IMPORTS!r} if m in sys.modules))\n"
    )
    figures, imported = fresh_python_output(probe).splitlines()[-2:]
    assert int(figures) == placed > 0
    assert imported == "[]"
