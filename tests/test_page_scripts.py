"""Static checks of the scripts Streamlit runs as pages (its "magic" draws bare values)."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT_ROOT

SCRIPTS = sorted([PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "pages").glob("*.py")])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_bare_string_is_drawn_on_the_page(script):
    """A string statement other than the module docstring would be shown to users."""
    body = ast.parse(script.read_text(encoding="utf-8")).body
    bare = [
        node.lineno
        for node in body[1:]
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    assert bare == [], f"{script.name}: bare strings on lines {bare}"
