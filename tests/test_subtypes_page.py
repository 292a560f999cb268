"""AppTests of the subtype comparison page: pickers, differences switch, download, errors."""

from __future__ import annotations

import csv
import io
import shutil
import tomllib
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from components.subtype_views import (
    ATTRIBUTES_KEY,
    DOWNLOAD_KEY,
    FORMS_KEY,
    LAYOUT_KEY,
    LAYOUTS,
    ONLY_DIFF_KEY,
)
from explorer.subtypes import load_subtypes
from tests.apptest_helpers import FEVER_ICON, run_app, safety_notices

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "subtypes.py")
DATA = ROOT / "data"
LABELS = {"congenital": "Congenital", "cyclic": "Cyclic", "idiopathic": "Idiopathic"}
LABELS["autoimmune"] = "Autoimmune"


def run_page() -> AppTest:
    """The Subtypes page as a visitor gets it: through the router, in the shared frame."""
    return run_app("pages/subtypes.py")


def table_markdown(at: AppTest) -> str:
    """The comparison table (the only Markdown block that starts with a table header)."""
    tables = [m.value for m in at.markdown if m.value.startswith("| Attribute |")]
    assert len(tables) <= 1
    return tables[0] if tables else ""


def header(table: str) -> list[str]:
    return [cell.strip() for cell in table.splitlines()[0].strip("|").split("|")]


def row_labels(table: str) -> list[str]:
    return [line.split("|")[1].strip().strip("*") for line in table.splitlines()[2:]]


@pytest.fixture
def page() -> AppTest:
    at = run_page()
    assert not at.exception
    return at


def test_page_shows_all_four_forms_with_notice_review_date_and_sources(page: AppTest):
    """Default view: every form named by the report, the notice, the review date, the caveat."""
    assert page.multiselect(key=FORMS_KEY).value == list(LABELS)
    assert header(table_markdown(page)) == ["Attribute", *LABELS.values()]
    fever, advice = safety_notices(page)
    assert fever and "not medical advice" in advice
    assert any("Sources group these forms differently" in m.value for m in page.markdown)
    reviewed = tomllib.loads((DATA / "subtypes" / "about.toml").read_text("utf-8"))
    assert any(
        f"last reviewed: {reviewed['last_reviewed']:%d %B %Y}" in c.value for c in page.caption
    )
    assert [s.value for s in page.header][-2:] == ["Glossary", "References"]
    data, _ = load_subtypes(DATA)
    missing = any(
        data.statement(form.key, attribute.key) is None
        for form in data.forms
        for attribute in data.attributes
    )
    assert ("*no sourced statement*" in table_markdown(page)) == missing
    assert 'href="#ref-' in table_markdown(page) and "](#glossary)" in table_markdown(page)
    assert "](#references)" not in table_markdown(page), "markers jump to their own entry"


def test_report_subdivisions_are_mapped_to_forms(page: AppTest):
    """The report's synonym and subdivisions are shown with the form each refers to."""
    mapping = next(m.value for m in page.markdown if m.value.startswith("**Names in the report"))
    assert "Neutropenia, Chronic Congenital → **Congenital**" in mapping.replace("\\", "")
    assert "Neutropenia, Autoimmune → **Autoimmune**" in mapping.replace("\\", "")


@pytest.mark.parametrize(
    "forms",
    [["cyclic", "congenital"], ["idiopathic", "autoimmune", "cyclic"], list(LABELS)],
    ids=["two", "three", "four"],
)
def test_form_picker_sets_the_columns(page: AppTest, forms: list[str]):
    """Whatever 2-4 forms are chosen become the columns, in the chosen order."""
    page.multiselect(key=FORMS_KEY).set_value(forms).run()
    assert not page.exception
    assert header(table_markdown(page)) == ["Attribute", *(LABELS[f] for f in forms)]


def test_form_picker_allows_at_most_four(page: AppTest):
    assert page.multiselect(key=FORMS_KEY).proto.max_selections == 4


def test_fewer_than_two_forms_asks_for_more(page: AppTest):
    """One form: a clear message, and no table or download."""
    page.multiselect(key=FORMS_KEY).set_value(["cyclic"]).run()
    assert not page.exception
    assert [w.value for w in page.warning if w.icon != FEVER_ICON] == [
        "Choose at least two forms to compare."
    ]
    assert safety_notices(page)[0], "the safety notice stays"
    assert table_markdown(page) == ""
    assert not page.get("download_button")


def test_attribute_picker_sets_the_rows(page: AppTest):
    """Only the chosen attributes are rows; the others are gone."""
    page.multiselect(key=ATTRIBUTES_KEY).set_value(["icd10", "onset"]).run()
    assert row_labels(table_markdown(page)) == ["ICD\\-10\\-CM code", "Typical age at onset"]
    assert "Natural course" not in table_markdown(page)


def test_differences_switch_hides_rows_where_forms_agree(page: AppTest):
    """Idiopathic and autoimmune share the ICD-10-CM statement: hidden when the switch is on."""
    page.multiselect(key=FORMS_KEY).set_value(["idiopathic", "autoimmune"]).run()
    assert "ICD\\-10\\-CM code" in row_labels(table_markdown(page))
    page.toggle(key=ONLY_DIFF_KEY).set_value(True).run()
    rows = row_labels(table_markdown(page))
    assert "ICD\\-10\\-CM code" not in rows
    assert "Typical age at onset" in rows
    page.toggle(key=ONLY_DIFF_KEY).set_value(False).run()
    assert "ICD\\-10\\-CM code" in row_labels(table_markdown(page))


def test_the_comparison_can_be_read_as_a_list_that_keeps_each_rows_name(page: AppTest):
    """For a phone: the list layout names each row, then each form's statement under it, with
    its markers; no table. The choice stays when the forms change."""
    page.multiselect(key=FORMS_KEY).set_value(["cyclic", "autoimmune"]).run()
    page.get("button_group")[0].set_value(LAYOUTS[1]).run()
    assert table_markdown(page) == ""
    listed = next(m.value for m in page.markdown if m.value.startswith("##### "))
    block = listed.split("##### Typical age at onset", 1)[1].split("#####", 1)[0]
    assert [line.split(":**")[0] for line in block.strip().splitlines()] == [
        "- **Cyclic",
        "- **Autoimmune",
    ]
    assert 'href="#ref-' in listed, "citation markers still jump to the references"
    page.multiselect(key=FORMS_KEY).set_value(["congenital", "cyclic"]).run()
    assert table_markdown(page) == "" and page.session_state[LAYOUT_KEY] == LAYOUTS[1]


def test_a_reference_no_marker_cites_links_back_to_the_comparison(page: AppTest):
    """After a citation jump the reader can go back (the browser's Back does not undo an
    in-page jump): to the markers (tests/test_citation_backlinks.py) or, for a reference
    whose citing forms are not shown, to the comparison's heading."""
    page.multiselect(key=FORMS_KEY).set_value(["congenital", "idiopathic"]).run()
    entries = [m.value for m in page.markdown if 'class="reference-entry"' in m.value]
    to_comparison = [e for e in entries if "[↑ Back to the comparison](#comparison)" in e]
    assert to_comparison and len(to_comparison) < len(entries)
    assert all('href="#cite-' not in entry for entry in to_comparison)
    assert [h.proto.anchor for h in page.subheader if h.value == "Side by side"] == ["comparison"]


def every_row_differs(at: AppTest) -> bool:
    return any("Every row differs" in caption.value for caption in at.caption)


def test_differences_switch_says_so_when_every_row_differs(page: AppTest):
    """Congenital and cyclic differ on onset and course: with only those rows and the switch
    on, nothing is hidden, and the page says why rather than looking unchanged."""
    page.multiselect(key=FORMS_KEY).set_value(["congenital", "cyclic"]).run()
    page.multiselect(key=ATTRIBUTES_KEY).set_value(["onset", "course"]).run()
    assert not every_row_differs(page), "no word while the switch is off"
    page.toggle(key=ONLY_DIFF_KEY).set_value(True).run()
    assert row_labels(table_markdown(page)) == ["Typical age at onset", "Natural course"]
    assert every_row_differs(page)
    page.multiselect(key=FORMS_KEY).set_value(["idiopathic", "autoimmune"]).run()
    page.multiselect(key=ATTRIBUTES_KEY).set_value(["icd10", "onset"]).run()
    assert row_labels(table_markdown(page)) == ["Typical age at onset"]
    assert not every_row_differs(page), "a row was hidden: nothing to explain"


def test_download_is_the_shown_comparison_as_safe_csv(monkeypatch: pytest.MonkeyPatch):
    """The CSV holds exactly the shown forms and rows, its references, and no formula cell."""
    saved: list[tuple[bytes, str | None]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        saved.append((path_or_data, filename))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    at = run_page()
    at.multiselect(key=FORMS_KEY).set_value(["congenital", "cyclic"])
    at.multiselect(key=ATTRIBUTES_KEY).set_value(["frequency"]).run()
    assert at.get("download_button")[0].proto.id.endswith(DOWNLOAD_KEY)
    content, filename = saved[-1]
    assert filename == "neutropenia_forms_comparison.csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Attribute", "Congenital", "Cyclic"]
    assert rows[1][0] == "How common it is" and len(rows[1]) == 3
    assert "Natural course" not in {row[0] for row in rows if row}
    assert ["Reference", "Citation", "URL"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.fixture
def broken_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A data copy with one uncited statement; returns that statement's line number."""
    shutil.copytree(DATA / "reports", tmp_path / "reports")
    shutil.copytree(DATA / "subtypes", tmp_path / "subtypes")
    statements = tmp_path / "subtypes" / "statements.csv"
    text = statements.read_text(encoding="utf-8")
    statements.write_text(text + "cyclic,marrow,Not described.,\n", encoding="utf-8")
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path))
    return text.count("\n") + 1


def test_uncited_statement_hides_the_table_and_names_file_and_line(broken_data: int):
    """The page refuses to show a table with an uncited statement and says where it is."""
    at = run_page()
    assert not at.exception
    assert any(f"subtypes/statements.csv:{broken_data}" in e.value for e in at.error)
    assert table_markdown(at) == ""
    assert not at.get("download_button")


def run_routed(**params: str | list[str]) -> AppTest:
    """The whole app (router and sidebar) opened on the Subtypes page from a link."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("pages/subtypes.py").run()


@pytest.mark.parametrize(
    "link",
    [
        {"form": ["cyclic", "autoimmune"], "row": ["course", "treatment"], "diff": "1"},  # old
        {
            "form": ["Cyclic", "Autoimmune"],
            "row": ["Natural course", "Standard treatment"],
            "diff": "true",
        },
    ],
)
def test_a_shared_link_restores_the_comparison(link):
    """Forms, rows and the differences switch come back from the link (an old one's tokens
    or Streamlit's labels), and stay in the URL in Streamlit's format."""
    at = run_routed(**link)
    assert not at.exception
    assert at.multiselect(key=FORMS_KEY).value == ["cyclic", "autoimmune"]
    assert at.multiselect(key=ATTRIBUTES_KEY).value == ["course", "treatment"]
    assert at.toggle(key=ONLY_DIFF_KEY).value is True
    assert header(table_markdown(at)) == ["Attribute", "Cyclic", "Autoimmune"]
    assert at.query_params["form"] == ["Cyclic", "Autoimmune"]
    assert at.query_params["diff"] == "true"


def test_a_link_at_the_defaults_leaves_the_url_clean():
    """No choice, no parameter; a link that spells out the defaults (every form of the
    page, every row, the switch off) is cleaned to none. (Changing a picker writes the link
    in the browser: tests/browser/test_deep_link.py.)"""
    at = run_routed()
    assert not {"form", "row", "diff"} & set(at.query_params)
    at = run_routed(form=list(LABELS.values()), diff="false")
    assert at.multiselect(key=FORMS_KEY).value == list(LABELS)
    assert not {"form", "row", "diff"} & set(at.query_params)


@pytest.mark.parametrize(
    "params",
    [
        {"form": "<script>alert(1)</script>"},
        {"form": ["cyclic", "x" * 5000]},
        {"row": "\x00\x1b[31m"},
        {"diff": "-1e308"},
    ],
)
def test_unknown_values_in_the_link_are_reported_not_applied(params):
    """Hostile or stale link values give a short escaped notice and the defaults."""
    at = run_routed(**params)
    assert not at.exception
    notices = [info.value for info in at.info if "Ignored unknown" in info.value]
    assert len(notices) == 1 and "<script>" not in notices[0] and len(notices[0]) < 120
    assert len(at.multiselect(key=FORMS_KEY).value) >= 2
    assert at.toggle(key=ONLY_DIFF_KEY).value is False
