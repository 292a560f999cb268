"""The on-disk cache of built data: hit, miss on change, corrupt file, unwritable folder."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from explorer import cache
from explorer.cache import cache_file, code_version, load_or_build
from explorer.catalog import Catalog
from explorer.columnar import REST_FIELD
from explorer.directory.table import directory_frame
from explorer.models import ParseIssue
from explorer.pipeline import build_catalog
from explorer.stored import RECORD_COLUMN
from tests.conftest import PROJECT_ROOT, fresh_python_output


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    """An empty cache folder of the test's own (``EXPLORER_CACHE_DIR``)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    return folder


BUILT = (ParseIssue,)
"""What :class:`Builds` returns: a tuple of one record."""


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
    first, issues = load_or_build(tmp_path, ("sig", 1), build, expect=BUILT)
    second, again = load_or_build(tmp_path, ("sig", 1), build, expect=BUILT)
    assert build.calls == 1
    assert second == first
    assert issues == again == ()
    assert len(list(cache_folder.glob("catalog-*.pickle"))) == 1


def test_changed_data_is_a_miss_and_replaces_the_old_entry(cache_folder, tmp_path):
    """A new data signature builds again; the stale entry of that folder is removed."""
    build = Builds()
    load_or_build(tmp_path, ("sig", 1), build, expect=BUILT)
    value, _ = load_or_build(tmp_path, ("sig", 2), build, expect=BUILT)
    assert build.calls == 2
    assert value[0].line == 2
    files = list(cache_folder.glob("catalog-*.pickle"))
    assert files == [cache_file(tmp_path, ("sig", 2), code_version())]


def test_changed_code_is_a_miss(cache_folder, tmp_path):
    """The key covers the source files that produce the value."""
    source = tmp_path / "module.py"
    source.write_text("A = 1\n")
    build = Builds()
    load_or_build(tmp_path, (), build, expect=BUILT, sources=[source])
    source.write_text("A = 2\n")
    load_or_build(tmp_path, (), build, expect=BUILT, sources=[source])
    assert build.calls == 2


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05\x95garbage"])
def test_corrupt_file_is_rebuilt_with_a_warning(cache_folder, tmp_path, content):
    """An unreadable cache file is reported (naming it) and rebuilt; it never raises."""
    build = Builds()
    load_or_build(tmp_path, ("sig",), build, expect=BUILT)
    path = cache_file(tmp_path, ("sig",), code_version())
    path.write_bytes(content)
    value, issues = load_or_build(tmp_path, ("sig",), build, expect=BUILT)
    assert build.calls == 2
    assert value[0].message == "built"
    assert len(issues) == 1
    assert issues[0].severity == "warning"
    assert issues[0].file == str(path)
    assert "rebuilt" in issues[0].message
    # The rebuilt value replaced the corrupt file: the next load is a clean hit.
    assert load_or_build(tmp_path, ("sig",), build, expect=BUILT)[1] == ()
    assert build.calls == 2


def test_entry_of_another_key_is_not_trusted(cache_folder, tmp_path):
    """A file renamed to another entry's name is detected, not returned."""
    build = Builds()
    load_or_build(tmp_path, ("one",), build, expect=BUILT)
    os.replace(
        cache_file(tmp_path, ("one",), code_version()),
        cache_file(tmp_path, ("two",), code_version()),
    )
    _, issues = load_or_build(tmp_path, ("two",), build, expect=BUILT)
    assert build.calls == 2
    assert issues and issues[0].severity == "warning"


def test_cache_folder_that_is_a_file_still_works(tmp_path, monkeypatch):
    """A cache path that cannot be a folder (here: a file) is skipped, as root too."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker))
    build = Builds()
    value, issues = load_or_build(tmp_path, ("sig",), build, expect=BUILT)
    assert value[0].message == "built"
    assert issues == ()
    assert not list(tmp_path.glob("**/*.pickle"))


def test_old_entries_are_pruned(cache_folder, tmp_path):
    """At most MAX_ENTRIES files are kept however many data folders were cached."""
    for index in range(cache.MAX_ENTRIES + 3):
        folder = tmp_path / f"data-{index}"
        folder.mkdir()
        load_or_build(folder, (), Builds(), expect=BUILT)
    assert len(list(cache_folder.glob("catalog-*.pickle"))) == cache.MAX_ENTRIES
    assert not list(cache_folder.glob(".tmp-*"))


def test_catalog_and_directory_round_trip(cache_folder, data_dir):
    """What the app caches reads back equal: every record, every directory cell."""
    expect = (Catalog, pd.DataFrame)

    def build() -> tuple[Catalog, pd.DataFrame]:
        catalog = build_catalog(data_dir)
        return catalog, directory_frame(catalog.organizations)

    fresh, _ = load_or_build(data_dir, ("sig",), build, expect=expect)
    again, issues = load_or_build(
        data_dir, ("sig",), lambda: pytest.fail("built again"), expect=expect
    )
    assert issues == ()
    assert again[0] == fresh[0]
    pd.testing.assert_frame_equal(again[1], fresh[1])


def test_app_loader_reports_a_corrupt_cache(cache_folder, data_dir):
    """The app's loader lists the unreadable cache file among the data warnings."""
    from components.data import forget_loaded, load_folder
    from explorer.cache import files_signature

    signature = files_signature(data_dir)
    forget_loaded()
    assert not [
        i for i in load_folder(str(data_dir), signature).catalog.issues if "cache" in i.message
    ]
    for path in cache_folder.glob("directory-*.arrow"):
        _replace_bytes(path, b"\x00 truncated")
    forget_loaded()
    loaded = load_folder(str(data_dir), signature)
    catalog, frame = loaded.catalog, loaded.directory
    warnings = [i for i in catalog.issues if "cache" in i.message]
    expected = cache_file(data_dir, signature, code_version(), "directory", ".arrow")
    assert [w.file for w in warnings] == [str(expected)]
    assert len(frame) == len(loaded.by_id) == 7
    forget_loaded()


KILLED_WRITER = """
import os, pathlib, sys, time
from explorer.cache import load_or_build

class SlowToPickle:
    def __reduce__(self):
        pathlib.Path(sys.argv[2]).write_text("writing")  # the temporary file is open now
        time.sleep(120)
        return (SlowToPickle, ())

value = (b"x" * 1_000_000, SlowToPickle())
load_or_build(pathlib.Path(sys.argv[1]), ("sig",), lambda: value, expect=(bytes, SlowToPickle))
"""


def test_write_killed_midway_leaves_no_temporary_file_after_a_restart(cache_folder, tmp_path):
    """SIGKILL while the cache is written leaves a ``.tmp-*`` file; the next start removes it
    and writes its own entry."""
    started = tmp_path / "started"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(tmp_path), str(started)],
        cwd=PROJECT_ROOT,
        env=os.environ | {cache.CACHE_DIR_ENV: str(cache_folder)},
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline and writer.poll() is None:
            time.sleep(0.05)
        assert started.exists(), "the writer never reached the write"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert list(cache_folder.glob(".tmp-*")), "the killed write left its temporary file"
    build = Builds()
    load_or_build(tmp_path, ("sig",), build, expect=BUILT)
    assert build.calls == 1
    assert not list(cache_folder.glob(".tmp-*"))
    assert len(list(cache_folder.glob("catalog-*.pickle"))) == 1


def test_temporary_file_of_a_live_writer_is_kept(cache_folder, tmp_path):
    """A temporary file another running process is writing right now is not removed."""
    cache_folder.mkdir()
    live = cache_folder / f".tmp-{os.getpid()}-abcd"
    live.write_bytes(b"half written")
    load_or_build(tmp_path, ("sig",), Builds(), expect=BUILT)
    assert live.exists()


def _rewritten(path: Path, change: Callable[[pa.Table, object], tuple[pa.Table, object]]) -> None:
    """Rewrite the columnar cache entry at ``path`` with its key kept and its table and
    rest changed by ``change`` (what a bug in another version of the app could write)."""
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    fields = dict(table.schema.metadata)
    table, rest = change(table, pickle.loads(fields[REST_FIELD]))
    fields[REST_FIELD] = pickle.dumps(rest)
    table = table.replace_schema_metadata(fields)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    _replace_bytes(path, sink.getvalue().to_pybytes())


def _replace_bytes(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` as a new file (rename), as every writer of the cache must:
    a columnar entry is memory-mapped by the process that read it, and rewriting the
    mapped file in place would pull its pages from under that process (SIGBUS)."""
    temporary = path.with_name(f"{path.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


WRONG_SHAPES = {
    "rest is a string": lambda table, rest: (table, "a string"),
    "rest is empty": lambda table, rest: (table, ()),
    "rest of Nones": lambda table, rest: (table, (None, None, None, None)),
    "no record column": lambda table, rest: (table.drop_columns([RECORD_COLUMN]), rest),
    "no id column": lambda table, rest: (table.drop_columns(["id"]), rest),
}


@pytest.mark.parametrize("change", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_entry_of_the_right_key_but_the_wrong_shape_is_rebuilt(cache_folder, data_dir, change):
    """A columnar cache file whose key matches but whose table or rest is not what the
    directory is made of: the app's loader warns, naming the file, and rebuilds instead of
    raising."""
    from components.data import forget_loaded, load_folder
    from explorer.cache import files_signature

    signature = files_signature(data_dir)
    forget_loaded()
    load_folder(str(data_dir), signature)
    [path] = cache_folder.glob("directory-*.arrow")
    _rewritten(path, change)
    forget_loaded()
    try:
        loaded = load_folder(str(data_dir), signature)
    finally:
        forget_loaded()
    warnings = [i for i in loaded.catalog.issues if "cache" in i.message]
    assert [w.file for w in warnings] == [str(path)]
    assert len(loaded.directory) == len(loaded.by_id) == 7
    assert len(set(loaded.by_id)) == 7


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _offsets_broken(data: bytes) -> bytes:
    """The file with the id column's first offsets overwritten (its length stays)."""
    table = pa.ipc.open_file(pa.BufferReader(data)).read_all()
    ids = table.column("id").chunk(0)
    offsets = ids.buffers()[1]
    start = data.find(offsets.to_pybytes())
    assert start > 0, "the id column's offsets are not in the file"
    return data[:start] + b"\xff" * 16 + data[start + 16 :]


DAMAGE = {
    "truncated": _truncated,
    "offsets broken": _offsets_broken,
    "a pickle under the name": lambda data: pickle.dumps(("explorer-cache", "key", ())),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_columnar_entry_is_rebuilt_with_a_warning(cache_folder, data_dir, damage):
    """A columnar entry cut short, with broken offsets or of another format fails when it
    is read back (not later, when a page reads a row): a warning and a rebuild."""
    from components.data import forget_loaded, load_folder
    from explorer.cache import files_signature

    signature = files_signature(data_dir)
    forget_loaded()
    try:
        first = load_folder(str(data_dir), signature)
        ids = list(first.directory["id"])
        [path] = cache_folder.glob("directory-*.arrow")
        _replace_bytes(path, damage(path.read_bytes()))
        forget_loaded()
        loaded = load_folder(str(data_dir), signature)
        warnings = [i for i in loaded.catalog.issues if "cache" in i.message]
        assert [w.file for w in warnings] == [str(path)]
        assert list(loaded.directory["id"]) == ids
        assert [loaded.by_id[org_id].id for org_id in ids] == ids
    finally:
        forget_loaded()


IMPORTED_BY_BUILD = """
import sys
import explorer.pipeline
for name, module in sorted(sys.modules.items()):
    if name.split(".")[0] in ("explorer", "components", "pages"):
        print(module.__file__)
"""


def test_key_covers_every_file_the_build_imports_and_no_ui():
    """The default key (:func:`~explorer.cache.core_sources`) is exactly the code a fresh
    process runs to import the pipeline (the map's points and colours included), no page or
    component (a legend change does not rebuild), plus the numpy and pandas versions."""
    imported = fresh_python_output(IMPORTED_BY_BUILD).split()
    assert sorted(Path(path) for path in imported) == list(cache.core_sources())
    names = {path.relative_to(PROJECT_ROOT).as_posix() for path in cache.core_sources()}
    assert {
        "explorer/directory/map_points.py",
        "explorer/pipeline.py",
        "explorer/places/gazetteer/readers.py",
    } <= names
    assert not {"explorer/directory/map_view.py", "explorer/exports/hsds.py"} & names
    assert not [name for name in names if not name.startswith("explorer/")]
    assert {"numpy", "pandas"} <= set(cache.PACKAGES)


def test_sources_of_follows_package_imports_and_skips_other_code(tmp_path, monkeypatch):
    """``sources_of`` follows ``import a.b``, ``from a import b`` (b a module), ``from a.b
    import name`` and imports inside functions, adds the packages' ``__init__`` files, and
    leaves out modules outside the package and modules nothing imports."""
    package = tmp_path / "explorer"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "entry.py": "import os\nfrom explorer import first\n\n"
        "def late():\n    import explorer.sub.deep\n",
        "first.py": "from explorer.sub.leaf import VALUE\n",
        "sub/__init__.py": "",
        "sub/leaf.py": "VALUE = 1\n",
        "sub/deep.py": "",
        "unused.py": "",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(cache, "PROJECT_ROOT", tmp_path)
    found = cache.sources_of.__wrapped__("explorer.entry")
    names = sorted(path.relative_to(package).as_posix() for path in found)
    assert names == sorted(set(files) - {"unused.py"})


def test_core_sources_are_kept_on_disk_and_found_again_after_an_edit(
    tmp_path, cache_folder, monkeypatch
):
    """The core's file list is read back from the disk cache by a new process (no module's
    imports read again), and found again when a source file changes: an import added to
    the pipeline brings its module into the key."""
    package = tmp_path / "explorer"
    package.mkdir()
    for name, text in {"__init__.py": "", "pipeline.py": "", "late.py": ""}.items():
        (package / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(cache, "PROJECT_ROOT", tmp_path)

    def core_sources_of_a_new_process() -> list[str]:
        cache.core_sources.cache_clear()
        cache.sources_of.cache_clear()
        return sorted(path.name for path in cache.core_sources())

    try:
        assert core_sources_of_a_new_process() == ["__init__.py", "pipeline.py"]
        monkeypatch.setattr(cache, "_imported_modules", lambda *a: pytest.fail("read again"))
        assert core_sources_of_a_new_process() == ["__init__.py", "pipeline.py"]
        monkeypatch.undo()
        monkeypatch.setattr(cache, "PROJECT_ROOT", tmp_path)
        monkeypatch.setenv(cache.CACHE_DIR_ENV, str(cache_folder))
        (package / "pipeline.py").write_text("import explorer.late\n", encoding="utf-8")
        assert core_sources_of_a_new_process() == ["__init__.py", "late.py", "pipeline.py"]
    finally:
        cache.core_sources.cache_clear()
        cache.sources_of.cache_clear()


def test_code_version_changes_with_a_package_version(monkeypatch):
    """Another numpy (whose arrays the cached frame holds) or pyarrow (which writes and
    maps the columnar file) is another key; the versions are read once per process."""
    before = code_version()
    real = cache.metadata.version
    for package in ("numpy", "pyarrow"):
        assert code_version() == before
        monkeypatch.setattr(
            cache.metadata, "version", lambda name, p=package: "0.0" if name == p else real(name)
        )
        assert code_version() == before, "read again in the same process"
        cache._package_versions.cache_clear()  # as in a new process
        try:
            assert code_version() != before, package
        finally:
            monkeypatch.undo()
            cache._package_versions.cache_clear()


def test_kinds_of_one_folder_do_not_remove_each_other(cache_folder, tmp_path):
    """The reports-only entry and the directory entry of one folder are kept side by side."""
    load_or_build(tmp_path, ("sig",), Builds(), expect=BUILT)
    load_or_build(tmp_path, ("sig",), Builds(), expect=BUILT, kind="reports")
    assert len(list(cache_folder.glob("catalog-*.pickle"))) == 1
    assert len(list(cache_folder.glob("reports-*.pickle"))) == 1


class Value:
    """Something a weak reference can follow, to see that a dropped value is freed."""


def test_shared_value_is_built_once_per_signature_and_the_old_one_released():
    """The process-level cache builds a folder's value once; a new signature replaces it and
    the old value is freed at once (not kept until some entry limit), other folders stay."""
    shared = cache.SharedByFolder()
    builds = []

    def build() -> Value:
        builds.append(Value())
        return builds[-1]

    first = shared.get("a", ("v1",), build)
    assert shared.get("a", ("v1",), build) is first
    other = shared.get("b", ("v1",), build)
    old = weakref.ref(first)
    del first
    builds.clear()
    second = shared.get("a", ("v2",), build)
    assert old() is None, "the value of the old signature is still alive"
    assert shared.peek("a", ("v2",)) is second
    assert shared.peek("a", ("v1",)) is None
    assert shared.peek("b", ("v1",)) is other
    assert len(shared) == 2


def test_shared_values_are_bounded_by_folder():
    """At most ``max_folders`` folders are kept: the oldest goes first."""
    shared = cache.SharedByFolder(max_folders=2)
    for name in ("a", "b", "c"):
        shared.get(name, (), Value)
    assert shared.peek("a", ()) is None
    assert shared.peek("b", ()) is not None and shared.peek("c", ()) is not None


def test_a_visitors_clear_cache_does_not_throw_the_shared_data_away(
    cache_folder, data_dir, monkeypatch
):
    """Streamlit's ``clear_cache`` message (any visitor may send it) empties
    ``st.cache_resource`` and ``st.cache_data``: the loaded directory is kept all the same,
    not read again from disk or rebuilt."""
    import streamlit as st

    from components.data import forget_loaded, load_folder
    from explorer.cache import files_signature

    signature = files_signature(data_dir)
    forget_loaded()
    try:
        first = load_folder(str(data_dir), signature)
        monkeypatch.setattr(cache, "_read", lambda *a: pytest.fail("read from disk again"))
        monkeypatch.setattr(
            "explorer.pipeline.build_stored", lambda *a, **k: pytest.fail("built again")
        )
        st.cache_resource.clear()
        st.cache_data.clear()
        assert load_folder(str(data_dir), signature) is first
    finally:
        forget_loaded()


def test_a_cold_directory_build_keeps_the_directory_on_disk_not_the_reports_apart(
    cache_folder, data_dir, monkeypatch
):
    """A cold build keeps the directory and its summary on disk, not the reports it read on
    the way (the directory holds them; writing them cost 3.1 s of a 200,000-organization
    build), and reads them while the place names are built. Reports a page of text kept
    there already are read back, not parsed again."""
    from components import data as loaders
    from explorer import cold_build
    from explorer.cache import files_signature

    read_beside = []
    beside = cold_build.reports_beside_gazetteer

    def recorded(*args):
        read = beside(*args)
        return lambda jobs: read_beside.append(jobs) or read(jobs)

    monkeypatch.setattr(cold_build, "reports_beside_gazetteer", recorded)
    signature = files_signature(data_dir)
    loaders.forget_loaded()
    try:
        loaders.load_folder(str(data_dir), signature)
        kinds = {path.name.split("-")[0] for path in cache_folder.iterdir()}
        assert {"directory", "summary"} <= kinds and "reports" not in kinds
        assert len(read_beside) == 1, "the build's reports were not read beside the place names"
        for path in cache_folder.iterdir():
            path.unlink()
        loaders.forget_loaded()
        read = loaders.reports_in(str(data_dir), signature)  # a page of text, cold
        assert any(path.name.startswith("reports-") for path in cache_folder.iterdir())
        loaders.forget_loaded()
        monkeypatch.setattr(
            "explorer.pipeline.read_catalog", lambda *a: pytest.fail("parsed again")
        )
        built = loaders.load_folder(str(data_dir), signature)
        assert [d.title for d in built.catalog.disorders] == [
            d.title for d in read.catalog.disorders
        ]
    finally:
        loaders.forget_loaded()


def test_edited_reports_release_the_old_directory(cache_folder, data_dir):
    """A report edit (a new signature) loads the new data and frees the old ones, and the
    reports-only value is dropped once the directory holds the same disorders."""
    from components import data as loaders
    from explorer.cache import files_signature

    loaders.forget_loaded()
    try:
        signature = files_signature(data_dir)
        reports = loaders.reports_in(str(data_dir), signature)
        assert reports.catalog.organizations == ()
        assert [d.id for d in reports.catalog.disorders]
        first = loaders.load_folder(str(data_dir), signature)
        assert loaders.REPORTS.peek(str(data_dir), signature) is None
        assert first.reports.catalog is first.catalog
        old = weakref.ref(first)
        del first, reports
        report = next((data_dir / "reports").glob("*.txt"))
        report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        edited = files_signature(data_dir)
        assert edited != signature
        loaders.load_folder(str(data_dir), edited)
        assert old() is None, "the directory of the old signature is still alive"
        assert len(loaders.DIRECTORY) == 1
    finally:
        loaders.forget_loaded()


def test_gazetteer_is_built_once_then_read_from_the_disk_cache(cache_folder, monkeypatch):
    """A new process reads the gazetteer's index back from the disk cache instead of
    building it again, and finds the same places."""
    from explorer.places.gazetteer import build as gazetteer_build

    gazetteer_build.load_gazetteer.cache_clear()
    try:
        built = gazetteer_build.load_gazetteer()
        assert len(list(cache_folder.glob(f"{gazetteer_build.CACHE_KIND}-*.pickle"))) == 1
        gazetteer_build.load_gazetteer.cache_clear()  # as if in a new process
        monkeypatch.setattr(gazetteer_build, "build_gazetteer", lambda: pytest.fail("built again"))
        read = gazetteer_build.load_gazetteer()
        assert read is not built
        assert read.zips == built.zips and read.countries == built.countries
        assert read.find_cities("Winnipeg", country="CA") == built.find_cities(
            "Winnipeg", country="CA"
        )
    finally:
        gazetteer_build.load_gazetteer.cache_clear()


def test_place_names_not_on_disk_are_built_by_a_worker_and_read_back(cache_folder, monkeypatch):
    """While the reports are read in workers, place names the disk cache does not hold are
    built by one more worker and read back here (built here, their temporaries stayed in
    this process): this process never builds them, and the disk cache holds them after."""
    from explorer import cold_build
    from explorer.places.gazetteer import build as gazetteer_build

    gazetteer_build.load_gazetteer.cache_clear()
    try:
        assert not gazetteer_build.kept_on_disk()
        monkeypatch.setattr(gazetteer_build, "build_gazetteer", lambda: pytest.fail("built here"))
        cold_build._load_places_meanwhile(None)
        assert gazetteer_build.kept_on_disk()
        assert gazetteer_build.load_gazetteer.cache_info().currsize == 1
        assert gazetteer_build.load_gazetteer().find_cities("Winnipeg", country="CA")
    finally:
        gazetteer_build.load_gazetteer.cache_clear()
