"""Hostile input through the UI (AppTest): every text box and query parameter, and exports.

Each value of :data:`tests.conftest.HOSTILE_VALUES` goes into every query parameter the
app reads and into both text boxes: the app must not raise, must never render markup or
a link of another scheme from it, and must answer with a message or a safe default.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from components.org_map import legend_markdown
from explorer.exports.csv_vcard import organizations_csv, organizations_vcard
from explorer.exports.hsds import hsds_package
from explorer.links import ALLOWED_SCHEMES
from explorer.pipeline import build_catalog
from tests.apptest_helpers import page_warnings
from tests.conftest import FIXTURES, HOSTILE_VALUES, PROJECT_ROOT

ORGANIZATIONS = "pages/organizations.py"
ENUM_PARAMS = ("radius", "unit", "country", "type", "channel", "disorder", "org", "all")
"""Parameters with a fixed set of values: anything else is dropped with a notice."""
RAW_MARKUP = re.compile(
    r"(?<!\\)<\s*(script|img|iframe|svg|a)\b"  # an HTML tag that is not escaped
    r"|\]\((?!https?:|mailto:|tel:|#)"  # a Markdown link to another scheme
    r"|(?<!\\):red\["  # Streamlit colour directive
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f]",  # control characters echoed back
    re.IGNORECASE,
)
VCARD_PROPERTIES = {
    "BEGIN",
    "VERSION",
    "N",
    "FN",
    "ORG",
    "ADR",
    "TEL",
    "EMAIL",
    "URL",
    "NOTE",
    "END",
}
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
"""A plain number (a spreadsheet reads ``+18102295797`` as one, running nothing)."""
IDS = [repr(value[:12]) for value in HOSTILE_VALUES]


SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection"): written
out here, not taken from the code under test, so a shortened list there fails these tests."""


def formulas(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would evaluate: a formula character first, and not a plain number."""
    return [c for c in cells if c[:1] in SPREADSHEET_TRIGGERS and not NUMBER.fullmatch(c)]


def run_app(page: str = ORGANIZATIONS, **params: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def rendered_text(at: AppTest) -> list[str]:
    """The Markdown source of every text element on the page and in the sidebar."""
    kinds = ("markdown", "caption", "info", "warning", "error", "title", "header", "subheader")
    return [element.value for kind in kinds for element in getattr(at, kind)]


APP_LEGENDS = {
    legend_markdown(searched=searched, radius=radius)
    for searched in (False, True)
    for radius in (False, True)
}
"""The map legend's exact texts: images the app draws from its own colour constants (inline
SVG), the one place a non-web link target is expected; no data goes into them."""


def assert_safe(at: AppTest) -> None:
    assert not at.exception, at.exception[0].value if at.exception else ""
    unsafe = [
        text[:200]
        for text in rendered_text(at)
        if RAW_MARKUP.search(text) and text not in APP_LEGENDS
    ]
    assert not unsafe, unsafe


@pytest.mark.parametrize("param", ENUM_PARAMS)
@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=IDS)
def test_enumerated_query_params(param, value):
    """An unknown value in the link is ignored with a notice; the widget keeps its default."""
    at = run_app("pages/organizations.py", **{param: value})
    assert_safe(at)
    notices = " ".join(info.value for info in at.sidebar.info)
    assert "Ignored" in notices or "no longer listed" in notices
    assert at.selectbox(key="unit").value == "km"
    assert at.selectbox(key="radius").value == "any"
    assert at.sidebar.multiselect(key="country").value == []
    assert "7** of 7 organizations" in match_count(at)


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=IDS)
def test_place_from_link_and_box(value):
    """A hostile place (from a link, then typed) is shown as text with a message, never markup."""
    at = run_app("pages/organizations.py", place=value)
    assert_safe(at)
    assert len(at.text_input(key="place").value) <= 120
    at.text_input(key="place").input(value[:120]).run()
    assert_safe(at)
    answers = page_warnings(at) + [
        c.value for c in at.main.caption if c.value.startswith("Searching near")
    ]
    if value.strip():
        assert len(answers) == 1, "a place is either found (and named) or explained"
    else:
        assert not answers, "a blank box is no search at all"


def match_count(at) -> str:
    """The Organizations page's "N of M organizations match." line."""
    return next(m.value for m in at.markdown if "organizations match" in m.value)


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=IDS)
def test_search_text_from_link_and_box(value):
    """Hostile search text filters (usually to nothing, with a message) and is never rendered."""
    at = run_app("pages/organizations.py", q=value)
    assert_safe(at)
    at.sidebar.text_input(key="q").input(value[:120]).run()
    assert_safe(at)
    count = match_count(at)
    assert count.endswith("of 7 organizations match.")
    if count.startswith("**0**"):
        assert any("No organization matches" in info.value for info in at.info)


def test_every_hostile_param_at_once():
    """All parameters hostile together: still one page, defaults, notices, no exception."""
    params = dict.fromkeys((*ENUM_PARAMS, "place", "q"), "<script>x</script>[a](javascript:1)")
    at = run_app("pages/organizations.py", **params)
    assert_safe(at)
    assert len(at.sidebar.info) >= len(ENUM_PARAMS) - 1


@pytest.fixture(scope="module")
def hostile_organizations(tmp_path_factory):
    """The organizations of the hostile fixture report (markup, a formula, bad links)."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    (data / "reports").mkdir(parents=True)
    (data / "reports" / "hostile.txt").write_bytes((FIXTURES / "hostile.txt").read_bytes())
    organizations = build_catalog(data).organizations
    assert any("<script>" in org.name for org in organizations)
    return organizations


def test_csv_export_of_hostile_data(hostile_organizations):
    """The CSV parses, no cell can run as a formula, and no bad link survives."""
    text = organizations_csv(hostile_organizations).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not formulas(cells)
    assert "javascript:" not in text
    assert "<script>alert(4)</script>@example.org" not in text


def test_vcard_export_of_hostile_data(hostile_organizations):
    """Each card stays one card with only known properties; URL and EMAIL are valid or absent."""
    text = organizations_vcard(hostile_organizations).decode("utf-8")
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded (RFC 6350 §3.2)
    assert lines.count("BEGIN:VCARD") == lines.count("END:VCARD") == len(hostile_organizations)
    properties = {line.split(":", 1)[0].split(";", 1)[0] for line in lines if line}
    assert properties <= VCARD_PROPERTIES
    urls = [line.removeprefix("URL:") for line in lines if line.startswith("URL:")]
    assert all(url.split(":", 1)[0] in ALLOWED_SCHEMES for url in urls)
    assert not [line for line in lines if "javascript:" in line]


def test_hsds_export_of_hostile_data(hostile_organizations):
    """The HSDS zip opens, every table parses, and no cell is a formula or a bad link."""
    archive = zipfile.ZipFile(io.BytesIO(hsds_package(hostile_organizations)))
    assert archive.testzip() is None
    for name in [name for name in archive.namelist() if name.endswith(".csv")]:
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        cells = [value for row in rows for value in row.values() if value]
        assert not formulas(cells), name
        assert not [c for c in cells if "javascript:" in c], name
