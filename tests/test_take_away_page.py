"""AppTests of the Take-away page: the card's form stays private, the summary follows the view."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.subtype_views import FORMS_KEY, ONLY_DIFF_KEY
from components.takeaway_views import (
    CARD_FIELDS,
    DOWNLOAD_KEYS,
    FORM_KEY,
    GCSF_KEY,
    PAPER_KEY,
    SUMMARY_DIFF_KEY,
    SUMMARY_FORMS_KEY,
)
from tests.apptest_helpers import page_warnings, run_app, safety_notices
from tests.conftest import PROJECT_ROOT

PAGE = "pages/take_away.py"
TYPED = {key: f"secret-{key}-7319" for key in CARD_FIELDS}
"""One recognisable value per text box, to look for wherever it must not be."""


def fill_card(at: AppTest) -> AppTest:
    for key, value in TYPED.items():
        at.text_input(key=key).set_value(value)
    at.selectbox(key=FORM_KEY).set_value("Cyclic")
    at.radio(key=GCSF_KEY).set_value("Yes")
    return at.run()


def test_page_offers_both_cards_and_the_summary_with_the_notice():
    """Three download buttons, the medical notice, the privacy note; no exception."""
    at = run_app(PAGE)
    assert not at.exception
    assert {button.key for button in at.get("download_button")} == set(DOWNLOAD_KEYS.values())
    assert all(safety_notices(at)), "the fever rule and the not-medical-advice line"
    assert any("Nothing you type here is saved" in caption.value for caption in at.caption)
    assert not page_warnings(at)


def test_typed_values_never_reach_the_link():
    """After searching a place and filling every field, no typed value is in the URL."""
    at = run_app("pages/organizations.py", place="48116")
    assert "48116" in repr(at.query_params), "the Organizations page keeps its search"
    at.switch_page(PAGE).run()
    at = fill_card(at)
    assert not at.exception
    link = repr(at.query_params)
    for value in (*TYPED.values(), "Cyclic"):
        assert value not in link


def test_summary_follows_the_searched_place():
    """The summary lists the organizations nearest the place searched on Organizations."""
    at = run_app(PAGE)
    assert any("search a place on the Organizations page" in c.value for c in at.caption)
    at.switch_page("pages/organizations.py").run()
    at.text_input(key="place").set_value("48116").run()
    at.switch_page(PAGE).run()
    assert any("nearest to **48116 Brighton, Michigan, US**" in c.value for c in at.caption)


def test_summary_starts_from_the_forms_compared_on_the_subtypes_page():
    """Forms and the differences switch chosen on Subtypes carry over to the summary."""
    at = run_app("pages/subtypes.py")
    at.multiselect(key=FORMS_KEY).set_value(["cyclic", "autoimmune"]).run()
    at.toggle(key=ONLY_DIFF_KEY).set_value(True).run()
    at.switch_page(PAGE).run()
    assert at.multiselect(key=SUMMARY_FORMS_KEY).value == ["cyclic", "autoimmune"]
    assert at.toggle(key=SUMMARY_DIFF_KEY).value is True


def test_summary_needs_two_forms():
    """One form: a clear message and no summary button (the cards stay)."""
    at = run_app(PAGE)
    at.multiselect(key=SUMMARY_FORMS_KEY).set_value(["cyclic"]).run()
    assert page_warnings(at) == ["Choose at least two forms to compare."]
    keys = {button.key for button in at.get("download_button")}
    assert DOWNLOAD_KEYS["summary"] not in keys and DOWNLOAD_KEYS["wallet"] in keys


def test_characters_outside_the_font_are_announced():
    """A name in Chinese: a notice that those characters print as □; Hebrew needs none."""
    at = run_app(PAGE)
    at.text_input(key="card_first_name").set_value("דנה").run()
    assert not page_warnings(at)
    at.text_input(key="card_first_name").set_value("王小明").run()
    assert any("will print as □" in warning for warning in page_warnings(at))


def test_the_card_survives_a_visit_to_another_page():
    """Fields typed, another page visited, back again: the card still holds them (the page
    promises only that closing the tab forgets them); still nothing in the link."""
    at = fill_card(run_app(PAGE))
    at.switch_page("pages/overview.py").run()
    assert not at.get("text_input"), "the card's fields show only on their page"
    at.switch_page(PAGE).run()
    for key, value in TYPED.items():
        assert at.text_input(key=key).value == value
    assert at.selectbox(key=FORM_KEY).value == "Cyclic"
    assert at.radio(key=GCSF_KEY).value == "Yes"
    assert not any(value in repr(at.query_params) for value in TYPED.values())


def test_a_new_session_starts_with_an_empty_card():
    """Another session (a closed and reopened tab) has none of the first one's values."""
    fill_card(run_app(PAGE))
    again = run_app(PAGE)
    assert all(again.text_input(key=key).value in ("", None) for key in CARD_FIELDS)


def run_with_locale(page: str, locale: str | None) -> AppTest:
    """``page`` in a session whose browser reports ``locale`` (``st.context.locale``)."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.context["locale"] = locale
    at.run()
    return at.switch_page(page).run()


def test_paper_defaults_to_letter_for_a_us_browser_and_the_choice_sticks():
    """en-US: Letter; de-DE or no locale: A4. A4 chosen by a US user survives a page switch."""
    assert run_with_locale(PAGE, "de-DE").radio(key=PAPER_KEY).value == "A4"
    assert run_with_locale(PAGE, None).radio(key=PAPER_KEY).value == "A4"
    at = run_with_locale(PAGE, "en-US")
    assert at.radio(key=PAPER_KEY).value == "Letter"
    at.radio(key=PAPER_KEY).set_value("A4").run()
    at.switch_page("pages/overview.py").run()
    at.switch_page(PAGE).run()
    assert at.radio(key=PAPER_KEY).value == "A4"


def test_distance_unit_follows_the_locale_or_a_us_place_until_chosen():
    """en-US: miles at once. Elsewhere km, until a US ZIP is searched (then miles); a unit the
    user picks sticks, whatever is searched next."""
    us = run_with_locale("pages/organizations.py", "en-US")
    assert us.selectbox(key="unit").value == "mi"
    assert "unit" not in us.query_params, "a default is not written to the link"
    at = run_with_locale("pages/organizations.py", "en-GB")
    assert at.selectbox(key="unit").value == "km"
    at.text_input(key="place").input("Winnipeg").run()
    assert at.selectbox(key="unit").value == "km"
    at.text_input(key="place").input("48116").run()
    assert at.selectbox(key="unit").value == "mi"
    at.selectbox(key="unit").select("km").run()
    at.text_input(key="place").input("20898").run()
    assert at.selectbox(key="unit").value == "km"
