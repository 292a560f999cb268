"""The page chrome comes before the page: the router imports nothing heavy and draws the tab
title and the navigation links before a page's own imports run, and the page does not draw
them again."""

from __future__ import annotations

import ast
import subprocess
import sys
from urllib.parse import unquote

import pytest
from streamlit.testing.v1 import AppTest

from components.chrome import PAGE_EMOJI, PAGE_ICON, PAGES
from tests.apptest_helpers import TIMEOUT_S
from tests.conftest import PROJECT_ROOT, fresh_python_output

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


def test_the_tab_icon_is_the_emoji_without_streamlits_emoji_catalogue():
    """The tab icon is the emoji's SVG, given as a URL: a first page run in a fresh
    interpreter never imports Streamlit's catalogue of every emoji (it did for the emoji
    given as text, to check that it is one)."""
    assert unquote(PAGE_ICON).endswith(f"<text y='.9em' font-size='90'>{PAGE_EMOJI}</text></svg>")
    assert PAGE_ICON.isascii() and PAGE_ICON.startswith("data:image/svg+xml,")
    probe = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_file({str(PROJECT_ROOT / 'app.py')!r}, default_timeout=60).run()\n"
        "assert not app.exception, app.exception\n"
        "print('streamlit.emojis' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"
