"""Safety first: the fever rule is drawn before any data is read, and pages that list no
organizations never wait for the place names (the directory is not loaded for them)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import data as loaders
from explorer import cache
from tests.apptest_helpers import FEVER_ICON, TIMEOUT_S
from tests.conftest import PROJECT_ROOT


@pytest.fixture
def cold(tmp_path, data_dir, monkeypatch):
    """A fresh process as far as the data go: nothing loaded, an empty disk cache, and a
    directory build that fails the test if anything starts it."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data_dir))
    monkeypatch.setattr(
        "explorer.pipeline.build_stored",
        lambda *args, **kwargs: pytest.fail("the directory was built for this page"),
    )
    loaders.forget_loaded()
    yield data_dir
    loaders.forget_loaded()


def _run(page: str) -> AppTest:
    """The app opened straight on ``page`` (a deep link as the session's first request)."""
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.switch_page(f"pages/{page}")
    app.run()
    return app


@pytest.mark.parametrize("page", ["subtypes.py", "conditions.py"])
def test_pages_without_organizations_do_not_load_the_directory(cold, page):
    """A cold Subtypes or Genetic conditions page shows its content, with the fever rule
    first, and neither builds the directory nor keeps one."""
    app = _run(page)
    assert not app.exception, app.exception
    first = next(iter(app.main.children.values()))
    assert first.type == "warning" and first.icon == FEVER_ICON
    assert app.title, "the page drew no title"
    assert len(loaders.DIRECTORY) == 0
    assert len(loaders.REPORTS) == 1


def test_the_overview_draws_its_text_before_the_directory(cold, monkeypatch):
    """The Overview's fever rule, title and report text come before it asks for the
    directory (its reach figures wait at the end of the script, in a slot kept above)."""
    drawn_before: list[str] = []

    def directory_asked_for(*args, **kwargs):
        drawn_before.append("asked")
        raise RuntimeError("stop here")

    monkeypatch.setattr("explorer.pipeline.build_stored", directory_asked_for)
    app = _run("overview.py")
    assert drawn_before == ["asked"]
    assert app.exception  # the stand-in build stopped the script where it was asked
    assert next(w for w in app.main.warning if w.icon == FEVER_ICON)
    assert app.title and app.header, "the title and the general discussion were not drawn"
    assert "General discussion" in [h.value for h in app.header]


def test_a_directory_kept_on_disk_gives_the_overview_its_figures_from_its_summary(
    tmp_path, data_dir, monkeypatch
):
    """Once the disk cache holds the directory, a fresh process's Overview takes the reports,
    the figures and the data warnings from the small summary kept beside it: the reports are
    not read apart and the directory is not mapped back. The figures are the directory's."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data_dir))
    loaders.forget_loaded()
    try:
        built = loaders.loaded()  # the directory built and written to the disk cache
        titles = [d.title for d in built.catalog.disorders]
        reach = {d.id: built.reach.get(d.id, (0, 0)) for d in built.catalog.disorders}
        warnings = [i for i in built.catalog.issues if i.severity == "warning"]
        loaders.forget_loaded()  # a new process, as far as the data go
        monkeypatch.setattr(
            "components.data._read_reports",
            lambda *args: pytest.fail("the reports were read apart from the directory"),
        )
        monkeypatch.setattr(
            "components.data._load_directory",
            lambda *args: pytest.fail("the directory was loaded for the Overview"),
        )
        reports = loaders.reports_loaded()
        assert [d.title for d in reports.catalog.disorders] == titles
        assert [i for i in reports.catalog.issues if i.severity == "warning"] == warnings
        assert dict(reports.reach) == dict(built.reach)
        assert reports.countries == built.countries
        app = _run("overview.py")
        assert not app.exception, app.exception
        shown = next(d for d in built.catalog.disorders if d.title == app.title[0].value)
        organizations, countries = reach[shown.id]
        assert [(m.label, m.value) for m in app.metric] == [
            ("Support organizations", str(organizations)),
            ("Countries", str(countries)),
        ]
        assert len(loaders.DIRECTORY) == 0
    finally:
        loaders.forget_loaded()


def test_a_directory_kept_without_a_summary_is_mapped_back_and_writes_one(
    tmp_path, data_dir, monkeypatch
):
    """A disk cache written before the summary existed (the directory alone): the first page
    maps the directory back rather than read the reports apart, and that writes the summary
    the next process reads."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data_dir))
    loaders.forget_loaded()
    try:
        loaders.loaded()
        (summary,) = (tmp_path / "cache").glob(f"{loaders.SUMMARY}-*.pickle")
        summary.unlink()
        loaders.forget_loaded()
        monkeypatch.setattr(
            "components.data._read_reports",
            lambda *args: pytest.fail("the reports were read apart from the directory"),
        )
        loaders.reports_loaded()
        assert len(loaders.DIRECTORY) == 1
        assert summary.is_file()
    finally:
        loaders.forget_loaded()


def test_a_summary_kept_without_its_directory_still_builds_every_organization(
    tmp_path, data_dir, monkeypatch
):
    """The summary has no organizations: when its directory is gone from the disk cache (an
    entry evicted, a file removed), the page that needs the directory builds it from the
    reports themselves, not from the summary, and lists every organization again."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data_dir))
    loaders.forget_loaded()
    try:
        built = loaders.loaded()
        loaders.forget_loaded()
        for directory in (tmp_path / "cache").glob("directory-*"):
            directory.unlink()
        assert loaders.reports_loaded().reach == built.reach  # from the summary
        rebuilt = loaders.loaded()
        assert rebuilt.reach == built.reach
        assert len(rebuilt.directory) == len(built.directory) > 0
    finally:
        loaders.forget_loaded()
