"""Phone numbers are call links that open in place (never a new tab), only when checked; and
no list, card or table shows an empty value as "None" or "nan"."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pandas as pd
import pytest

from components.chrome import FRAME_SCRIPT
from components.org_card import phone_line_html
from components.text import MISSING, TOUCH_TARGET_PX, tel_html, theme_link_colour
from explorer.pipeline import build_catalog
from tests.apptest_helpers import run_app
from tests.conftest import BUNDLED_DATA, FIXTURES

NNN = "national-neutropenia-network-5f5ed8c6"
ANCHOR = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
EMPTY_SHOWN = re.compile(r"\b(None|nan|NaN|NaT)\b")
"""How pandas and Python print a missing value: never what a reader should see."""


def html_bodies(at) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def shown_text(at) -> list[str]:
    """Every text element, HTML fragment and table cell of the page and the sidebar."""
    kinds = ("markdown", "caption", "info", "warning", "error", "title", "header", "subheader")
    texts = [element.value for kind in kinds for element in getattr(at, kind)]
    # A missing cell is drawn as the table's placeholder ("—", asserted by the callers), not
    # as its value; pandas 3 keeps missing cells in ``stack()``, so they are left out here.
    cells = [
        str(cell)
        for table in at.dataframe
        for cell in table.value.stack().tolist()
        if not pd.isna(cell)
    ]
    return texts + html_bodies(at) + cells


def test_tel_html_links_a_checked_number_without_a_target():
    """A checked ``tel:`` URI becomes a link with no target (the dialler opens in place) in the
    theme's link colour; anything else stays escaped text."""
    link = tel_html("+1 810-229-5797", "tel:+1-810-229-5797")
    assert link.startswith('<a href="tel:+1-810-229-5797"')
    assert link.endswith(">+1 810-229-5797</a>")
    assert "target" not in link
    assert theme_link_colour() in link
    assert f"min-height: {TOUCH_TARGET_PX}px" in link, "a touch target a finger can hit"
    assert tel_html("555", "") == "555"
    assert tel_html("x", "javascript:alert(1)") == "x"
    assert tel_html("x", "tel:810-229-5797") == "x", "only international numbers are dialled"
    hostile = tel_html("<script>alert(1)</script>", "tel:+1-810-229-5797")
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


def test_link_colour_comes_from_both_themes():
    """The light and dark link colours are both configured, so neither theme falls back to the
    browser's blue (unreadable on the dark background)."""
    colour = theme_link_colour()
    assert re.fullmatch(r"light-dark\(#[0-9a-fA-F]{6}, #[0-9a-fA-F]{6}\)", colour), colour
    assert "None" not in colour


@pytest.fixture(scope="module")
def nnn_phone():
    """The bundled National Neutropenia Network's (valid, voice) phone."""
    org = next(o for o in build_catalog(BUNDLED_DATA).organizations if o.id == NNN)
    return org.phones[0]


def test_card_phone_line_links_only_a_dialable_valid_number(nnn_phone):
    """A valid number that may be dialled is a link; not dialable (closed, fax) or not valid
    for its country, it is text, and an invalid one says to check it."""
    dialable = phone_line_html(nnn_phone, dialable=True)
    assert dialable.startswith("Phone: ")
    assert ANCHOR.findall(dialable)[0].startswith('<a href="tel:+18102295797"')
    assert "target" not in dialable
    assert not ANCHOR.search(phone_line_html(nnn_phone, dialable=False))
    invalid = dataclasses.replace(nnn_phone, valid=False, international="555")
    line = phone_line_html(invalid, dialable=True)
    assert not ANCHOR.search(line)
    assert line == "Phone: 555 (not a valid number for its country: check it)"


def test_organizations_page_phone_links_open_in_place():
    """Near 48116 with a card open: the result list and the card link the numbers with no
    target; no Markdown ``tel:`` link is left (Markdown links open a new tab), and the table
    shows the number as text (its grid would open a link in a new tab)."""
    at = run_app("pages/organizations.py", place="48116", org=NNN)
    assert not at.exception
    bodies = html_bodies(at)
    hrefs = [re.search(r'href="([^"]*)"', a).group(1) for b in bodies for a in ANCHOR.findall(b)]
    assert "tel:+1-810-229-5797" in hrefs, "the result list's nearest phone"
    assert "tel:+18102295797" in hrefs, "the card's phone"
    assert all(href.startswith("tel:+") for href in hrefs)
    assert not [b for b in bodies if "target=" in b]
    assert not [text for text in shown_text(at) if "](tel:" in text]
    table = at.dataframe[0]
    assert table.value["Phone"].iloc[0] == "+1-810-229-5797"
    assert not table.value["Phone"].dropna().str.startswith("tel:").any()


@pytest.fixture
def hostile_data(hostile_folder, monkeypatch):
    """The app reads :func:`hostile_folder`."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(hostile_folder))
    return hostile_folder


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    """The bundled data plus the hostile fixture report, and a report phone that is not a
    valid number (a data warning for maintainers). One folder for the module, read only, so
    the app's loaders build it once for every page below, not once per page."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(BUNDLED_DATA, data)
    shutil.copy(FIXTURES / "hostile.txt", data / "reports" / "hostile.txt")
    report = data / "reports" / "neutropenia_general.txt"
    report.write_text(report.read_text(encoding="utf-8").replace("Tel: (301)592-8573", "Tel: 555"))
    return data


def test_hostile_names_stay_text_in_the_result_list_and_card(hostile_data):
    """An organization named with markup, near its own ZIP, with its card open: the list and
    card show the markup as text; the only links are call links."""
    catalog = build_catalog(hostile_data)
    hostile = next(o for o in catalog.organizations if "<script>" in o.name)
    at = run_app(
        "pages/organizations.py", disorder=hostile.disorders[0], place="98101", org=hostile.id
    )
    assert not at.exception
    # The app's own fixed drawer script is the one script allowed (no data in it).
    bodies = " ".join(b for b in html_bodies(at) if b != FRAME_SCRIPT)
    assert "&lt;script&gt;" in bodies
    assert "<script" not in bodies and "<img" not in bodies
    assert all('href="tel:+' in a for a in ANCHOR.findall(bodies))


@pytest.mark.parametrize(
    ("page", "params", "tables"),
    [
        ("pages/overview.py", {}, True),
        ("pages/organizations.py", {}, True),
        ("pages/organizations.py", {"place": "48116", "org": NNN}, True),
        ("pages/organizations.py", {"place": "98101", "closed": "1"}, True),
        ("pages/conditions.py", {}, True),
        ("pages/subtypes.py", {}, False),
        ("pages/take_away.py", {}, False),
    ],
)
def test_no_empty_value_is_shown_as_none_or_nan(hostile_data, page, params, tables):
    """Lists, cards and tables (with a phone-less row, an invalid phone and the maintainers'
    warnings table) never show "None" or "nan"; every table marks an empty cell with "—"."""
    at = run_app(page, **params)
    assert not at.exception
    shown = [text[:120] for text in shown_text(at) if EMPTY_SHOWN.search(text)]
    assert not shown, shown
    assert bool(at.dataframe) is tables
    assert all(table.proto.placeholder == MISSING for table in at.dataframe)


def test_directory_row_without_a_callable_phone_is_an_empty_cell():
    """A row with no callable number leaves the cell empty (drawn as "—"), never "None" text."""
    at = run_app("pages/organizations.py")
    phones = at.dataframe[0].value["Phone"]
    assert phones.isna().sum() == 1, "the closed association has no call link"
    assert phones.dropna().str.startswith("+").all()
    assert at.dataframe[0].proto.placeholder == "—"


def test_table_and_list_name_countries():
    """Near 48116 the table's Country column and the result list say "United States", never the
    bare ISO code a reader may not know (the sidebar's country filter already uses names)."""
    at = run_app("pages/organizations.py", place="48116")
    assert not at.exception
    countries = set(at.dataframe[0].value["Country"].dropna())
    assert {"United States", "Australia"} <= countries
    assert not [name for name in countries if len(name) == 2], "an ISO code left as is"
    result_list = next(body for body in html_bodies(at) if body.startswith("<ol>"))
    assert "United States" in result_list
    assert ", US" not in result_list
