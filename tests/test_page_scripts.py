"""Pages draw only what they call: Streamlit's "magic" (a bare value in a script is drawn) is
off in ``.streamlit/config.toml``, so a string or variable left on a line of its own in a
page script shows nothing to users."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

BARE_VALUES = '''
"""A module docstring."""
"A bare string, such as a comment written as a string"
note = "a variable on a line of its own"
note
'''


def test_a_bare_value_in_a_script_draws_nothing():
    app = AppTest.from_string(BARE_VALUES).run()
    assert not app.exception
    drawn = [element.type for element in app.main.children.values()]
    assert drawn == [], drawn
