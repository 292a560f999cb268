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
        "components.data.build_stored",
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

    monkeypatch.setattr("components.data.build_stored", directory_asked_for)
    app = _run("overview.py")
    assert drawn_before == ["asked"]
    assert app.exception  # the stand-in build stopped the script where it was asked
    assert next(w for w in app.main.warning if w.icon == FEVER_ICON)
    assert app.title and app.header, "the title and the general discussion were not drawn"
    assert "General discussion" in [h.value for h in app.header]


def test_a_directory_kept_on_disk_gives_the_reports_without_reading_them_apart(
    tmp_path, data_dir, monkeypatch
):
    """Once the disk cache holds the directory, a fresh process's first page maps it back
    and takes the reports from it: the reports alone (a pickle of every organization) are
    not read. With no directory on disk they are read apart (the test above)."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data_dir))
    loaders.forget_loaded()
    try:
        built = loaders.loaded()  # the directory built and written to the disk cache
        titles = [d.title for d in built.catalog.disorders]
        loaders.forget_loaded()  # a new process, as far as the data go
        monkeypatch.setattr(
            "components.data._read_reports",
            lambda *args: pytest.fail("the reports were read apart from the directory"),
        )
        reports = loaders.reports_loaded()
        assert [d.title for d in reports.catalog.disorders] == titles
        assert len(loaders.DIRECTORY) == 1 and len(loaders.REPORTS) == 0
        app = _run("overview.py")
        assert not app.exception, app.exception
        assert [m.label for m in app.metric] == ["Support organizations", "Countries"]
    finally:
        loaders.forget_loaded()
