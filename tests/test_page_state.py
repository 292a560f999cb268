"""AppTests of page state: links round-trip, filters are kept across pages, each page shows
its own controls."""

from __future__ import annotations

import ast
from pathlib import Path

from explorer.directory.table import directory_frame
from explorer.pipeline import build_catalog
from tests.apptest_helpers import run_app
from tests.conftest import BUNDLED_DATA

ROOT = Path(__file__).resolve().parent.parent


def test_link_round_trips_unchanged():
    """A link's parameters come back as they were: nothing added (no default disorder),
    nothing dropped (``unit=km`` is not the default beside a US ZIP, so it stays)."""
    at = run_app("pages/organizations.py", place="48116", unit="km")
    assert dict(at.query_params) == {"place": "48116", "unit": "km"}
    at.run()
    assert dict(at.query_params) == {"place": "48116", "unit": "km"}
    assert "disorder" not in at.query_params


def test_filters_are_kept_when_coming_back():
    """Set a filter and a place, visit another page, come back: both are still set."""
    at = run_app("pages/organizations.py")
    at.sidebar.multiselect(key="type").set_value(["Patient registry"]).run()
    at.text_input(key="place").input("48116").run()
    at.switch_page("pages/overview.py").run()
    assert not at.sidebar.multiselect, "the directory filters show only on Organizations"
    at.switch_page("pages/organizations.py").run()
    assert at.sidebar.multiselect(key="type").value == ["Patient registry"]
    assert at.text_input(key="place").value == "48116"
    assert len(at.dataframe[0].value) == 2


def test_filter_options_show_counts_and_country_names():
    """Each option says how many organizations it leaves (in the filter's help: a label is
    what the link carries, so it holds no count); countries are named, not coded."""
    at = run_app("pages/organizations.py")
    types = at.sidebar.multiselect(key="type")
    assert "Patient registry" in types.options and "- Patient registry: 2" in types.help
    countries = at.sidebar.multiselect(key="country")
    assert "Australia" in countries.options and "- Australia: 1" in countries.help
    assert not [option for option in countries.options if option in ("AU", "CA", "US")]
    assert not [option for option in countries.options if "(" in option], "no count in a label"
    channels = at.sidebar.multiselect(key="channel")
    toll_free = int(directory_frame(build_catalog(BUNDLED_DATA).organizations)["toll_free"].sum())
    assert f"- Toll-free phone: {toll_free}" in channels.help
    assert ": 0" not in channels.help


def test_filters_stay_usable_when_nothing_matches():
    """A search that matches nothing keeps every filter's options (with counts of 0), so no
    filter is greyed out or disappears from under the user."""
    at = run_app("pages/organizations.py", q="zzzz")
    types = at.sidebar.multiselect(key="type")
    counted = [line for line in types.help.splitlines() if line.startswith("- ")]
    assert len(counted) == len(types.options) > 0
    assert all(line.endswith(": 0") for line in counted)
    assert not types.disabled


def test_an_ambiguous_place_offers_a_choice():
    """Typing "Springfield" searches the largest and offers the others as buttons; choosing
    one searches there."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("Springfield").run()
    choices = [b for b in at.button if b.key and b.key.startswith("alternative-")]
    assert len(choices) >= 2
    picked = choices[0].label
    choices[0].click().run()
    assert at.text_input(key="place").value == picked
    assert any(f"Searching near **{picked}**" in c.value for c in at.caption)


def test_a_stale_query_string_does_not_undo_the_users_change():
    """Under load a rerun can carry the URL from before the last update. When the user has
    just changed a widget, that is their change, not a Back step: nothing is reset."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("48116").run()
    for name in list(at.query_params):
        del at.query_params[name]  # the browser had not yet received "place=48116"
    at.selectbox(key="unit").select("km").run()  # a US ZIP made miles the default
    assert at.text_input(key="place").value == "48116"
    assert at.selectbox(key="unit").value == "km"


def test_a_stale_query_string_does_not_undo_a_picked_organization():
    """The organization picker's callback keeps its choice before the run; a rerun whose URL
    lags behind ("place" not yet received) is still the user's change, not a Back step that
    would clear the choice (seen in the 22-session load test)."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("20898").run()
    for name in list(at.query_params):
        del at.query_params[name]  # the browser had not yet received "place=20898"
    picker = at.selectbox(key="org_picker")
    gard = next(option for option in picker.options if "GARD" in option)
    picker.select(gard).run()  # reruns the card's fragment alone; it writes the URL
    assert at.query_params["org"]
    at.run()  # the next full run reads that URL back: the choice and the place hold
    picked = at.selectbox(key="org_picker")
    assert picked.value is not None and "GARD" in picked.format_func(picked.value)
    assert at.text_input(key="place").value == "20898"


def test_a_default_value_is_not_kept_in_the_link():
    """A link's radius=50 stays while untouched; a link's radius=any (the default) leaves
    the URL, as Streamlit leaves every default out; picking "any" widens the search.
    (Back to a URL without a radius: tests/browser/test_history.py.)"""
    at = run_app("pages/organizations.py", place="48116", radius="50")
    assert at.query_params["radius"] == "50" and at.selectbox(key="radius").value == "50"
    beyond = at.caption.values
    at.selectbox(key="radius").select("any").run()
    assert at.selectbox(key="radius").value == "any" and at.caption.values != beyond
    at = run_app("pages/organizations.py", place="48116", radius="any")
    assert at.selectbox(key="radius").value == "any"
    assert dict(at.query_params) == {"place": "48116"}


def test_only_page_state_touches_session_state_or_the_query_string():
    """Every read or write of ``st.session_state`` / ``st.query_params`` (or a name imported
    from ``streamlit`` for them) is in ``components/page_state.py``: components and pages
    use its typed readers and callback arguments, never a string key of their own."""
    watched = {"session_state", "query_params"}
    sources = [*ROOT.glob("components/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    found = []
    for path in sources:
        if path.name == "page_state.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            touches = (isinstance(node, ast.Attribute) and node.attr in watched) or (
                isinstance(node, ast.ImportFrom) and {a.name for a in node.names} & watched
            )
            if touches:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(sources) > 10 and found == []
