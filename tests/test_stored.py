"""The directory as the app keeps it: a table, and each record unpickled only when asked."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pyarrow as pa
import pytest

from explorer import cache, stored
from explorer.cache import load_or_build
from explorer.catalog import read_in_order
from explorer.directory.map_points import with_map_points
from explorer.directory.table import directory_frame
from explorer.pickled_records import BLOCK_ROWS, unpacked_block
from explorer.pipeline import build_catalog
from explorer.stored import LazyRecords, StoredDirectory


def store(catalog):
    """``catalog`` as the app keeps it, its organizations made into the table at once."""
    return stored.stored_directory(catalog, *stored.directory_table(catalog.organizations))


@pytest.fixture
def built(data_dir):
    catalog = build_catalog(data_dir, read_files=read_in_order)
    return catalog, with_map_points(directory_frame(catalog.organizations))


def test_every_record_reads_back_equal_and_only_when_asked(built):
    """Each organization comes back equal to the built record, by its id; ``in``, ``len``
    and iteration unpickle nothing; an unknown id is missing as in a dict."""
    catalog, frame = built
    records = LazyRecords(store(catalog))
    assert len(records) == len(catalog.organizations) == len(frame)
    assert list(records) == [org.id for org in catalog.organizations]
    assert all(org.id in records for org in catalog.organizations)
    assert records._memo == {}, "a look-up by id unpickled a record"
    for org in catalog.organizations:
        assert records[org.id] == org
    assert records.get("no-such-organization") is None
    assert "no-such-organization" not in records
    with pytest.raises(KeyError):
        records["no-such-organization"]


def test_kept_catalog_has_the_disorders_and_issues_but_no_records(built):
    """What the pages read of the catalog stays (disorder ids, titles, issues); the
    million-object part (every record, and each disorder's list of them) is not kept."""
    catalog, _ = built
    kept = store(catalog)
    assert [(d.id, d.title) for d in kept.catalog.disorders] == [
        (d.id, d.title) for d in catalog.disorders
    ]
    assert kept.catalog.issues == catalog.issues
    assert kept.catalog.organizations == ()
    assert all(d.organizations == () for d in kept.catalog.disorders)
    for disorder in catalog.disorders:
        countries = {org.location.country for org in disorder.organizations if org.location}
        expected = (len(disorder.organizations), len(countries - {""}))
        assert kept.reach.get(disorder.id, (0, 0)) == expected
    assert kept.reach and kept.countries


@pytest.mark.parametrize("chunk_rows", [1, 2, 3])
def test_the_directory_table_is_the_same_made_a_chunk_at_a_time(built, chunk_rows):
    """A build makes the rows a chunk at a time (never every record's cells at once); the
    categories, the map points and the shared places, which name the others at a place in
    other chunks, come out as from the whole directory at once, and hold the frame's cells.
    Each column is one chunk (the disk cache's file one record batch: read back in batches,
    the app's frame took 90 MB more at 100,000 organizations)."""
    catalog, frame = built
    first = catalog.organizations[0]
    organizations = tuple(  # the first, second and last at one place: across chunks
        dataclasses.replace(org, location=first.location) if at in (1, 6) else org
        for at, org in enumerate(catalog.organizations)
    )
    whole, looked_up = stored.directory_table(organizations, len(organizations))
    chunked, looked_up_again = stored.directory_table(organizations, chunk_rows)
    assert all(column.num_chunks == 1 for column in chunked.columns), "a file of many batches"
    assert chunked.equals(whole) and looked_up_again == looked_up
    shared = chunked.column("map_place").to_pylist()
    assert shared[0] == shared[1] == shared[6] >= 0
    assert first.name in chunked.column("map_point")[6].as_py()
    kept = store(catalog).frame
    pd.testing.assert_frame_equal(kept, frame, check_dtype=False)


@pytest.mark.parametrize("columnar", [stored.COLUMNAR, None], ids=["arrow", "pickle"])
def test_stored_directory_round_trips_through_the_disk_cache(
    built, tmp_path, monkeypatch, columnar
):
    """Written to the disk cache and read back, the table, the look-ups and every record
    are equal (as an Arrow IPC file, as the app keeps it, or pickled whole)."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    catalog, frame = built
    value = (store(catalog),)
    kept = {"expect": (StoredDirectory,), "columnar": columnar}
    load_or_build(tmp_path, ("sig",), lambda: value, **kept)
    (again,), issues = load_or_build(tmp_path, ("sig",), lambda: pytest.fail("built again"), **kept)
    assert issues == ()
    [entry] = (tmp_path / "cache").glob("catalog-*")
    assert entry.suffix == (".pickle" if columnar is None else ".arrow")
    pd.testing.assert_frame_equal(again.frame, value[0].frame)
    assert list(again.frame.columns) == list(frame.columns)
    for name in frame.columns:
        assert list(again.frame[name]) == list(frame[name]), name
    assert (again.catalog, again.countries) == (value[0].catalog, value[0].countries)
    assert (again.reach, again.postcode_towns) == (value[0].reach, value[0].postcode_towns)
    records = LazyRecords(again)
    assert [records[org.id] for org in catalog.organizations] == list(catalog.organizations)


def test_read_back_builds_no_object_per_organization(built, tmp_path, monkeypatch):
    """Read back from the columnar cache, no column of the frame is a column of Python
    objects (text is Arrow-backed, few-valued text categorical), and the first look-ups by
    id scan the id column instead of building a dict of every id."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    catalog, frame = built
    value = (store(catalog),)
    kept = {"expect": (StoredDirectory,), "columnar": stored.COLUMNAR}
    load_or_build(tmp_path, ("sig",), lambda: value, **kept)
    (again,), _ = load_or_build(tmp_path, ("sig",), lambda: pytest.fail("built again"), **kept)
    assert pd.api.types.is_object_dtype(frame["address"]), (
        "the built table has object columns to convert"
    )
    objects = [
        name for name, dtype in again.frame.dtypes.items() if pd.api.types.is_object_dtype(dtype)
    ]
    assert objects == []
    text = [
        name for name, dtype in again.frame.dtypes.items() if pd.api.types.is_string_dtype(dtype)
    ]
    assert {"id", "address", "map_point"} <= set(text)
    assert isinstance(again.frame["currency"].dtype, pd.CategoricalDtype)  # a few phrasings
    assert all(again.frame[name].dtype.storage == "pyarrow" for name in text)
    records = LazyRecords(again)
    first = catalog.organizations[0]
    assert records[first.id] == first and first.id in records and "nope" not in records
    assert records._index is None, "a dict of every id was built for three look-ups"
    assert [records[org.id] for org in catalog.organizations] == list(catalog.organizations)


def test_an_empty_directory_is_stored_with_typed_text_columns(built):
    """No organization: the text columns are still Arrow text (not untyped), and a look-up
    finds nothing, as in an empty dict."""
    catalog, frame = built
    empty = dataclasses.replace(catalog, organizations=())
    kept = store(empty)
    assert len(kept.frame) == 0 and list(kept.frame.columns) == list(frame.columns)
    assert pd.api.types.is_string_dtype(kept.frame["id"])
    assert kept.ids.type == pa.string()
    records = LazyRecords(kept)
    assert len(records) == 0 and list(records) == []
    assert records.get("any") is None and "any" not in records


def test_records_are_stored_in_compressed_blocks_row_for_row_with_the_table():
    """The records column holds each block of records (pickled by the records' own pickler,
    compressed) at the block's first row and nothing at the others; every record reads
    back equal, by its id, from any block, the last one partly filled."""
    import io

    from explorer.cache import record_pickler
    from tests.conftest import BUNDLED_DATA

    bundled = build_catalog(BUNDLED_DATA).organizations
    rows = BLOCK_ROWS * 2 + 3
    organizations = tuple(
        dataclasses.replace(bundled[i % len(bundled)], id=f"org-{i}") for i in range(rows)
    )
    table, looked_up = stored.directory_table(organizations, chunk_rows=50)
    column = table.column(stored.RECORD_COLUMN)
    assert len(column) == rows and column.num_chunks == 1
    values = column.to_pylist()
    starts = range(0, rows, BLOCK_ROWS)
    assert [at for at, value in enumerate(values) if value] == list(starts)
    for start in starts:
        block = organizations[start : start + BLOCK_ROWS]
        own = io.BytesIO()
        record_pickler(own).dump(block)
        size = int.from_bytes(values[start][:8], "little")
        assert size == len(own.getvalue())
        assert pa.decompress(values[start][8:], size, codec="zstd").to_pybytes() == own.getvalue()
        assert unpacked_block(values[start]) == block
    catalog = dataclasses.replace(build_catalog(BUNDLED_DATA), organizations=organizations)
    records = LazyRecords(stored.stored_directory(catalog, table, looked_up))
    for org in reversed(organizations):  # blocks read out of order, each record its own
        assert records[org.id] == org
    assert len(stored.directory_table(())[0].column(stored.RECORD_COLUMN)) == 0


def test_a_value_column_grows_past_its_first_size_and_keeps_every_value():
    """The column's buffer grows in place many times over (the map points of a large
    directory are tens of megabytes); every value reads back as written."""
    column = stored._ValueColumn(pa.string())
    values = [f"value {n}, " * (n % 40) for n in range(5_000)]
    for value in values:
        column.write(value.encode())
        column.end_value()
    assert sum(map(len, values)) > 100 * 4096
    assert column.array().to_pylist() == values
