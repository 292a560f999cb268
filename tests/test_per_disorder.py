"""A second report (aplastic anaemia) gets its own content, not neutropenia's: no "When to
see a haematologist" list and no "Compare the forms" link, but where to add them; and an
organization both reports list names them unambiguously."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.subtypes import is_curated_for, load_subtypes
from tests.apptest_helpers import run_app
from tests.conftest import BUNDLED_DATA, FIXTURES

APLASTIC = "anemia-aplastic"
NEUTROPENIA = "neutropenia-general"


@pytest.fixture(scope="module")
def two_reports_folder(tmp_path_factory) -> Path:
    """The bundled data plus an aplastic anaemia report listing GARD as well: one folder
    for the module, read only, so the app's loaders build it once for all its tests."""
    data = tmp_path_factory.mktemp("two_reports") / "data"
    shutil.copytree(BUNDLED_DATA, data)
    shutil.copy(FIXTURES / "aplastic_anemia.txt", data / "reports" / "aplastic_anemia.txt")
    return data


@pytest.fixture
def two_reports(two_reports_folder: Path, monkeypatch) -> Path:
    """The app reads :func:`two_reports_folder`."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(two_reports_folder))
    return two_reports_folder


def page_links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def test_curated_content_belongs_to_the_reports_naming_a_form():
    data, _ = load_subtypes(BUNDLED_DATA)
    assert is_curated_for(data, ["Neutropenia, Cyclic", "Something else"])
    assert not is_curated_for(data, ["Aplastic Anemia", "Acquired Aplastic Anemia"])
    assert not is_curated_for(data, [])


def test_another_disorder_gets_no_neutropenia_advice_and_says_where_to_add_it(two_reports):
    at = run_app(None, disorder=APLASTIC)
    assert not at.exception
    assert at.title[0].value == "Anemia, Aplastic"
    headers = [header.value for header in at.header]
    assert "When to see a haematologist" not in headers
    assert "Compare the forms" not in page_links(at)
    info = " ".join(i.value for i in at.info)
    assert "No advice or comparison of forms has been curated for **Anemia, Aplastic**" in info
    assert "`forms.csv`" in info and "`guidance.csv`" in info


def test_neutropenia_keeps_its_advice_and_comparison_link(two_reports):
    at = run_app(None, disorder=NEUTROPENIA)
    assert not at.exception
    assert "When to see a haematologist" in [header.value for header in at.header]
    assert "Compare the forms" in page_links(at)
    assert not [i.value for i in at.info if "has been curated" in i.value]


def test_card_lists_each_report_title_unambiguously(two_reports):
    """GARD is in both reports: "Listed for" must not read as four items."""
    at = run_app("pages/organizations.py", disorder=NEUTROPENIA)
    picker = at.selectbox(key="org_picker")
    option = next(o for o in picker.options if o.startswith("Genetic and Rare Diseases"))
    picker.select(option).run()
    captions = " ".join(c.value for c in at.caption)
    assert "Listed for: “Anemia, Aplastic”; “Neutropenia, General”." in captions
