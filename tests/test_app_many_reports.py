"""AppTest with several reports, a broken one, hostile text and an empty data directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.chrome import FRAME_SCRIPT
from explorer.pipeline import build_catalog
from tests.apptest_helpers import org_points, run_app
from tests.conftest import BUNDLED_DATA, FIXTURES

PAGES = ["pages/overview.py", "pages/subtypes.py", "pages/organizations.py"]


def make_data(tmp_path: Path, *extra: str, broken: bytes | None = None) -> Path:
    """The bundled data plus fixture reports (and optionally a broken file)."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    for name in extra:
        shutil.copy(FIXTURES / name, data / "reports" / name)
    if broken is not None:
        (data / "reports" / "broken.txt").write_bytes(broken)
    return data


def run(monkeypatch, data: Path, page: str | None = None, **params) -> AppTest:
    """The app on ``data`` (through EXPLORER_DATA_DIR)."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    return run_app(page, **params)


def test_second_report_adds_a_disorder_and_a_broken_one_warns(monkeypatch, tmp_path):
    """Two readable reports become two disorders; the broken file gets one clear error."""
    data = make_data(tmp_path, "kostmann_disease.txt", broken=b"\x00\x01\x02 garbage\n")
    at = run(monkeypatch, data)
    assert not at.exception
    selector = at.sidebar.selectbox(key="disorder")
    assert selector.options == ["Kostmann Disease", "Neutropenia, General"]
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "reports/broken.txt" in errors[0]
    assert at.title[0].value in ("Kostmann Disease", "Neutropenia, General")


def test_disorder_selector_drives_pages(monkeypatch, tmp_path):
    """Choosing a disorder changes Overview, Subtypes and the organizations listed."""
    data = make_data(tmp_path, "kostmann_disease.txt")
    at = run(monkeypatch, data, disorder="kostmann-disease")
    assert at.title[0].value == "Kostmann Disease"
    assert [m.value for m in at.metric] == ["2", "2"]
    at.switch_page("pages/subtypes.py").run()
    assert at.title[0].value == "Kostmann Disease: compare the forms", "the title follows it"
    assert any("No comparison of forms has been curated" in i.value for i in at.info)
    at.switch_page("pages/organizations.py").run()
    assert len(at.dataframe[0].value) == 2
    at.sidebar.checkbox(key="all").check().run()
    assert len(at.dataframe[0].value) == 8  # 7 + 1 new; GARD is merged, not doubled
    linked = run(monkeypatch, data, "pages/organizations.py", all="1")  # an old link's switch
    assert len(linked.dataframe[0].value) == 8 and linked.query_params["all"] == "true"


@pytest.mark.parametrize("page", PAGES)
def test_hostile_report_is_plain_text(monkeypatch, tmp_path, page):
    """HTML, scripts and Markdown links in a report are escaped on every page."""
    data = make_data(tmp_path, "hostile.txt")
    at = run(monkeypatch, data, page, disorder="b-hostile-b-disorder", all="1")
    assert not at.exception
    rendered = [m.value for m in at.markdown] + [t.value for t in at.title]
    rendered += [fragment.proto.body for fragment in at.get("html")]  # lists and phone lines
    rendered = [text for text in rendered if text != FRAME_SCRIPT]  # the app's own
    assert not [text for text in rendered if "<script>" in text or "](javascript:" in text]
    if page == "pages/overview.py":
        assert at.title[0].value == r"\<b\>Hostile\</b\> Disorder"


def test_hostile_organization_card(monkeypatch, tmp_path):
    """The hostile organization's card (opened from a link) shows text, and no bad link."""
    data = make_data(tmp_path, "hostile.txt")
    hostile = next(o for o in build_catalog(data).organizations if "<img" in o.name)
    at = run(monkeypatch, data, "pages/organizations.py", all="1", org=hostile.id)
    assert not at.exception
    assert r"\<img src=x" in " ".join(s.value for s in at.subheader)
    card = " ".join([m.value for m in at.markdown] + [h.proto.body for h in at.get("html")])
    card = card.replace(FRAME_SCRIPT, "")  # the app's own fixed script
    assert "javascript:" not in card
    assert "<script>" not in card


@pytest.mark.parametrize("page", PAGES)
def test_empty_data_directory(monkeypatch, tmp_path, page):
    """No reports: each page explains what is wrong and how to fix it, no traceback."""
    (tmp_path / "data").mkdir()
    at = run(monkeypatch, tmp_path / "data", page)
    assert not at.exception
    assert any("EXPLORER_DATA_DIR" in e.value.replace("\\", "") for e in at.error)


def test_made_up_address_is_listed_as_not_on_the_map(monkeypatch, tmp_path):
    """An address no gazetteer knows stays in the directory, off the map, with its reason."""
    data = make_data(tmp_path, "made_up_address.txt")
    at = run(monkeypatch, data, "pages/organizations.py", all="1")
    assert not at.exception
    assert "Nowhere Support Group" in list(at.dataframe[0].value["Organization"])
    assert len(at.dataframe[0].value) == 8
    warnings = [w.value for w in at.warning if "Nowhere Support Group" in w.value]
    assert len(warnings) == 1
    assert "not on the map" in warnings[0]
    names = [point["name"] for point in org_points(at)]
    assert "Nowhere Support Group" not in names
    assert len(names) == 7


def test_many_unplaced_addresses_are_named_then_counted(monkeypatch, tmp_path):
    """Five unplaceable organizations are named one by one, the rest counted in one message;
    every one of them is still in the table."""
    data = make_data(tmp_path)
    fixture = (FIXTURES / "made_up_address.txt").read_text(encoding="utf-8")
    head, block = fixture.split("Nowhere Support Group\n")
    block, tail = block.split("\n\nFor a Complete Report")
    blocks = [f"Nowhere Group {n}\n{block}" for n in range(8)]
    report = head + "\n\n".join(blocks) + "\n\nFor a Complete Report" + tail
    (data / "reports" / "made_up_many.txt").write_text(report, encoding="utf-8")
    at = run(monkeypatch, data, "pages/organizations.py", all="1")
    assert not at.exception
    table = list(at.dataframe[0].value["Organization"])
    assert all(f"Nowhere Group {n}" in table for n in range(8))
    named = [w.value for w in at.warning if w.value.startswith("**Nowhere Group")]
    assert len(named) == 5
    counted = [w.value for w in at.warning if "more organizations are not on the map" in w.value]
    assert len(counted) == 1 and counted[0].startswith("3 more")


def test_opens_on_the_configured_default_disorder(monkeypatch, tmp_path):
    """With a second report that sorts first, the app still opens on the bundled default
    (data/settings.toml), and the URL gains no disorder it did not have."""
    data = make_data(tmp_path, "kostmann_disease.txt")
    at = run(monkeypatch, data)
    assert at.title[0].value == "Neutropenia, General"
    assert "disorder" not in at.query_params
    (data / "settings.toml").write_text('default_disorder = "kostmann-disease"\n')
    at = run(monkeypatch, data)
    assert at.title[0].value == "Kostmann Disease"


def test_a_disorder_that_disappears_is_announced(monkeypatch, tmp_path):
    """A session whose disorder's report is deleted is told so, not switched silently."""
    data = make_data(tmp_path, "kostmann_disease.txt")
    at = run(monkeypatch, data, disorder="kostmann-disease")
    assert at.title[0].value == "Kostmann Disease"
    (data / "reports" / "kostmann_disease.txt").unlink()
    at.run()
    assert at.title[0].value == "Neutropenia, General"
    notices = " ".join(info.value for info in at.sidebar.info)
    assert "no longer listed" in notices
