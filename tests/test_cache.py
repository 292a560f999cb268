"""The on-disk cache of built data: hit, miss on change, corrupt file, unwritable folder."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from explorer import cache
from explorer.cache import cache_file, code_version, load_or_build
from explorer.models import ParseIssue


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    """An empty cache folder of the test's own (``EXPLORER_CACHE_DIR``)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    return folder


class Builds:
    """A build function that counts its calls and returns records (as the app's does)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[ParseIssue, ...]:
        self.calls += 1
        return (ParseIssue("reports/a.txt", self.calls, "warning", "built"),)


def test_second_load_is_a_hit(cache_folder, tmp_path):
    """The second load reads the file the first one wrote, and does not build again."""
    build = Builds()
    first, issues = load_or_build(tmp_path, ("sig", 1), build)
    second, again = load_or_build(tmp_path, ("sig", 1), build)
    assert build.calls == 1
    assert second == first
    assert issues == again == ()
    assert len(list(cache_folder.glob("catalog-*.pickle"))) == 1


def test_changed_data_is_a_miss_and_replaces_the_old_entry(cache_folder, tmp_path):
    """A new data signature builds again; the stale entry of that folder is removed."""
    build = Builds()
    load_or_build(tmp_path, ("sig", 1), build)
    value, _ = load_or_build(tmp_path, ("sig", 2), build)
    assert build.calls == 2
    assert value[0].line == 2
    files = list(cache_folder.glob("catalog-*.pickle"))
    assert files == [cache_file(tmp_path, ("sig", 2), code_version())]


def test_changed_code_is_a_miss(cache_folder, tmp_path):
    """The key covers the source files that produce the value."""
    source = tmp_path / "module.py"
    source.write_text("A = 1\n")
    build = Builds()
    load_or_build(tmp_path, (), build, sources=[source])
    source.write_text("A = 2\n")
    load_or_build(tmp_path, (), build, sources=[source])
    assert build.calls == 2


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05\x95garbage"])
def test_corrupt_file_is_rebuilt_with_a_warning(cache_folder, tmp_path, content):
    """An unreadable cache file is reported (naming it) and rebuilt; it never raises."""
    build = Builds()
    load_or_build(tmp_path, ("sig",), build)
    path = cache_file(tmp_path, ("sig",), code_version())
    path.write_bytes(content)
    value, issues = load_or_build(tmp_path, ("sig",), build)
    assert build.calls == 2
    assert value[0].message == "built"
    assert len(issues) == 1
    assert issues[0].severity == "warning"
    assert issues[0].file == str(path)
    assert "rebuilt" in issues[0].message
    # The rebuilt value replaced the corrupt file: the next load is a clean hit.
    assert load_or_build(tmp_path, ("sig",), build)[1] == ()
    assert build.calls == 2


def test_entry_of_another_key_is_not_trusted(cache_folder, tmp_path):
    """A file renamed to another entry's name is detected, not returned."""
    build = Builds()
    load_or_build(tmp_path, ("one",), build)
    os.replace(
        cache_file(tmp_path, ("one",), code_version()),
        cache_file(tmp_path, ("two",), code_version()),
    )
    _, issues = load_or_build(tmp_path, ("two",), build)
    assert build.calls == 2
    assert issues and issues[0].severity == "warning"


def test_cache_folder_that_is_a_file_still_works(tmp_path, monkeypatch):
    """A cache path that cannot be a folder (here: a file) is skipped, as root too."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker))
    build = Builds()
    value, issues = load_or_build(tmp_path, ("sig",), build)
    assert value[0].message == "built"
    assert issues == ()
    assert not list(tmp_path.glob("**/*.pickle"))


def test_old_entries_are_pruned(cache_folder, tmp_path):
    """At most MAX_ENTRIES files are kept however many data folders were cached."""
    for index in range(cache.MAX_ENTRIES + 3):
        folder = tmp_path / f"data-{index}"
        folder.mkdir()
        load_or_build(folder, (), Builds())
    assert len(list(cache_folder.glob("catalog-*.pickle"))) == cache.MAX_ENTRIES
    assert not list(cache_folder.glob(".tmp-*"))


def test_catalog_and_directory_round_trip(cache_folder, data_dir):
    """What the app caches reads back equal: every record, every directory cell."""
    from components.data import build

    fresh, _ = load_or_build(data_dir, ("sig",), lambda: build(data_dir))
    again, issues = load_or_build(data_dir, ("sig",), lambda: pytest.fail("built again"))
    assert issues == ()
    assert again[0] == fresh[0]
    pd.testing.assert_frame_equal(again[1], fresh[1])


def test_app_loader_reports_a_corrupt_cache(cache_folder, data_dir):
    """The app's loader lists the unreadable cache file among the data warnings."""
    from components.data import CACHE_SOURCES, _load, data_signature

    signature = data_signature(data_dir)
    _load.clear()
    assert not [i for i in _load(str(data_dir), signature).catalog.issues if "cache" in i.message]
    for path in cache_folder.glob("catalog-*.pickle"):
        path.write_bytes(b"\x00 truncated")
    _load.clear()
    loaded = _load(str(data_dir), signature)
    catalog, frame = loaded.catalog, loaded.directory
    warnings = [i for i in catalog.issues if "cache" in i.message]
    assert [w.file for w in warnings] == [
        str(cache_file(data_dir, signature, code_version(CACHE_SOURCES)))
    ]
    assert len(frame) == len(catalog.organizations) == 7
    _load.clear()
