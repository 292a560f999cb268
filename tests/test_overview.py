"""AppTests of the Overview: the report as it means it, its successor, its terms, and the
cited health guidance (fever rule, when to see a haematologist)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import run_app, safety_notices
from tests.conftest import BUNDLED_DATA

FIXTURE_GUIDANCE = Path(__file__).resolve().parent / "fixtures" / "health" / "guidance.csv"
SCN_ROW = 'SCN,,"Test definition: severe chronic neutropenia in the report.",nord_general'
FOUR_FORMS = ["Chronic Congenital", "Chronic Idiopathic", "Cyclic", "Autoimmune"]


def unescaped(text: str) -> str:
    return text.replace("\\", "")


def markdown_under(at: AppTest, header: str) -> str:
    """The Markdown of the innermost block (a column, or the page) that holds ``header``."""

    def search(block) -> str | None:
        for child in getattr(block, "children", {}).values():
            found = search(child)
            if found is not None:
                return found
        kids = list(getattr(block, "children", {}).values())
        if any(k.type == "header" and k.value == header for k in kids if hasattr(k, "value")):
            after = kids[[getattr(k, "value", None) for k in kids].index(header) + 1 :]
            return " ".join(k.value for k in after if k.type == "markdown")
        return None

    found = search(at.main)
    assert found is not None, f"no section {header!r}"
    return found


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data copy with the fixture guidance and no SCN glossary row; the app reads it."""
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, target)
    shutil.copy(FIXTURE_GUIDANCE, target / "subtypes" / "guidance.csv")
    glossary = target / "subtypes" / "glossary.csv"
    rows = glossary.read_text(encoding="utf-8").splitlines()
    glossary.write_text("\n".join(r for r in rows if not r.startswith("SCN,")) + "\n", "utf-8")
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(target))
    return target


def test_four_subdivisions_and_no_other_names(data: Path):
    """Through the erratum, autoimmune is the fourth subdivision, not another name, and the
    page says why."""
    at = run_app()
    assert not at.exception
    subdivisions = unescaped(markdown_under(at, "Disorder subdivisions"))
    assert [f"Neutropenia, {form}" in subdivisions for form in FOUR_FORMS] == [True] * 4
    names = unescaped(markdown_under(at, "Also known as"))
    assert names == "No other names listed."
    assert any("is read as a subdivision" in unescaped(c.value) for c in at.caption)


def test_newer_report_is_linked_from_the_references_file(data: Path):
    """The successor's link is the URL references.csv gives nord_scn_2022, and the page
    says the newer report groups the forms into three."""
    with (data / "subtypes" / "references.csv").open(encoding="utf-8") as handle:
        url = next(row["url"] for row in csv.DictReader(handle) if row["key"] == "nord_scn_2022")
    at = run_app()
    successor = next(i.value for i in at.info if i.value.startswith("**Newer report:**"))
    assert f"]({url})" in successor
    assert "into three" in successor


def test_scn_is_defined_where_the_report_uses_it(data: Path):
    """Without a glossary row there is no definition; with one, it is shown under the text
    that says SCN, with its source linked."""
    at = run_app()
    assert not any("SCN" in c.value for c in at.caption if c.value.startswith("Terms used"))
    glossary = data / "subtypes" / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + SCN_ROW + "\n", "utf-8")
    at = run_app()
    terms = next(c.value for c in at.caption if c.value.startswith("Terms used above"))
    assert "**SCN**: Test definition" in terms
    assert "(Source: [" in terms


def test_safety_notice_and_when_to_see_a_haematologist(data: Path):
    """The fever rule is the first fever row (with its two sources linked), the second row
    waits in the expander, and the haematologist section lists its cited rows."""
    at = run_app()
    fever, advice = safety_notices(at)
    assert unescaped(fever).startswith("A temperature of 38.0 °C (100.4 °F) or more")
    assert fever.count("](https://") == 2
    assert "Second fever line" not in fever
    expander = at.expander[0]
    assert expander.label == "What to do if there is a fever, and why"
    assert "Second fever line" in unescaped(" ".join(m.value for m in expander.markdown))
    assert "not medical advice" in advice
    reasons = unescaped(markdown_under(at, "When to see a haematologist"))
    assert "Counts repeatedly below 0.5 ×10⁹/L" in reasons
    assert "every three weeks" in reasons
    assert "Second fever line" not in reasons


def test_without_a_fever_row_the_notice_still_shows(data: Path):
    """A guidance file with no fever row shows a plain 'contact the care team' notice and no
    made-up threshold; the page still renders."""
    (data / "subtypes" / "guidance.csv").write_text(
        "topic,order,text,citations\nsee_haematologist,1,Reason.,genereviews_elane\n", "utf-8"
    )
    at = run_app()
    assert not at.exception
    fever, advice = safety_notices(at)
    assert "could not be read" in fever and "38" not in fever
    assert advice
