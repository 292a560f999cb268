"""AppTest: every page renders on the bundled data, and every sidebar filter works."""

from __future__ import annotations

import csv
import json

import pytest

from tests.apptest_helpers import org_points, page_warnings, run_app, safety_notices
from tests.conftest import PROJECT_ROOT

PAGES = ["pages/overview.py", "pages/subtypes.py", "pages/organizations.py"]
with (PROJECT_ROOT / "data" / "subtypes" / "guidance.csv").open(encoding="utf-8") as _file:
    FEVER_RULE = next(row["text"] for row in csv.DictReader(_file) if row["topic"] == "fever")
"""The first fever row of the bundled guidance: what every page must show."""


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_the_safety_notices(page):
    """Each page runs with no exception, shows its title, the fever rule with its source
    linked, and the not-medical-advice line."""
    at = run_app(page)
    assert not at.exception
    assert at.title, f"{page} shows no title"
    fever, advice = safety_notices(at)
    assert FEVER_RULE in fever.replace("\\", ""), f"{page} shows no fever rule"
    assert "](https://" in fever, "the fever rule links to its source"
    assert "not medical advice" in advice
    assert not at.error


def test_overview_content():
    """Overview shows the report's synonym, subdivisions, counts and the medical notice."""
    at = run_app()
    assert at.title[0].value == "Neutropenia, General"
    markdown = " ".join(m.value for m in at.markdown)
    assert "Neutropenia, Chronic Congenital" in markdown.replace("\\", "")
    assert "Neutropenia, Autoimmune" in markdown.replace("\\", "")
    assert [m.value for m in at.metric] == ["7", "3"]
    assert not at.error


def test_organizations_map_has_every_organization():
    """All seven organizations are drawn, with tooltips of name, place and precision."""
    at = run_app("pages/organizations.py")
    points = org_points(at)
    assert len(points) == 7
    names = {p["name"] for p in points}
    assert "Neutropenia Support Association, Inc." in names
    chart = at.get("deck_gl_json_chart")[0].proto
    assert "{name}" in json.loads(chart.tooltip)["html"]
    assert "tables below list every organization" in chart.alt
    assert all(p["precision"] for p in points)


def test_near_me_orders_by_distance():
    """A Detroit search lists the Brighton, MI network first."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("Detroit, MI").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table.iloc[0]["Organization"] == "National Neutropenia Network"
    assert list(table["Distance"]) == sorted(table["Distance"])


def test_unknown_place_gives_message_and_keeps_working():
    """An unknown place shows a warning, and the directory is still listed."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("Xyzzyville").run()
    assert not at.exception
    assert page_warnings(at)
    assert len(org_points(at)) == 7


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("type", ["Patient registry"], 2),
        ("country", ["AU"], 1),
        ("channel", ["textphone"], 1),
        ("channel", ["toll_free"], 3),  # the moved registry lists no toll-free line now
    ],
)
def test_multiselect_filters(widget, value, expected):
    """Each sidebar filter narrows the map and the table to the matching organizations."""
    at = run_app("pages/organizations.py")
    at.sidebar.multiselect(key=widget).set_value(value).run()
    assert not at.exception
    assert len(org_points(at)) == expected
    assert len(at.dataframe[0].value) == expected


def test_text_search_and_clear():
    """Free-text search narrows; 'Clear filters' brings everything back."""
    at = run_app("pages/organizations.py")
    at.sidebar.text_input(key="q").input("boston").run()
    assert len(at.dataframe[0].value) == 1
    at.sidebar.button(key="clear_filters").click().run()
    assert len(at.dataframe[0].value) == 7


def test_clear_filters_keeps_the_near_me_place_and_says_so():
    """ "Clear filters" resets the sidebar's filters but not the place searched at the top of
    the page (it says so under the button), so a near-me search is not silently lost."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("48116").run()
    at.sidebar.multiselect(key="type").set_value(["Patient registry"]).run()
    at.sidebar.button(key="clear_filters").click().run()
    assert at.sidebar.multiselect(key="type").value == []
    assert at.text_input(key="place").value == "48116"
    assert any(h.value.startswith("Near 48116") for h in at.header)
    assert any("near-me place stays" in c.value for c in at.sidebar.caption)


def test_state_is_restored_from_query_params():
    """A shared link's filters come back; unknown values are reported, not applied."""
    at = run_app("pages/organizations.py", type="Patient registry", country="ZZ")
    assert at.sidebar.multiselect(key="type").value == ["Patient registry"]
    assert at.sidebar.multiselect(key="country").value == []
    assert any("unknown country" in i.value for i in at.sidebar.info)
    assert at.query_params["type"] == "Patient registry"


def test_did_you_mean_button_fixes_a_typo():
    """A misspelt city offers a suggestion; clicking it searches the suggested place."""
    at = run_app("pages/organizations.py")
    at.text_input(key="place").input("Detriot, MI").run()
    suggestion = at.button(key="suggest-Detroit, Michigan, US")
    assert suggestion.label == "Did you mean Detroit, Michigan, US?"
    suggestion.click().run()
    assert at.text_input(key="place").value == "Detroit, Michigan, US"
    assert not page_warnings(at)
    assert at.dataframe[0].value.iloc[0]["Organization"] == "National Neutropenia Network"
    assert at.query_params["place"] == "Detroit, Michigan, US"


def test_card_names_the_disorder_by_title():
    """A card says which disorders list the organization by their titles, not their ids."""
    at = run_app("pages/organizations.py")
    at.selectbox(key="org_picker").select_index(0).run()
    captions = " ".join(c.value for c in at.caption)
    assert "Listed for: “Neutropenia, General”." in captions
    assert "neutropenia-general" not in captions
