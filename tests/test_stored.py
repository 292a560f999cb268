"""The directory as the app keeps it: a table, and each record unpickled only when asked."""

from __future__ import annotations

import pytest

from explorer import cache, stored
from explorer.cache import load_or_build
from explorer.catalog import read_in_order
from explorer.pipeline import build_catalog, build_directory
from explorer.stored import LazyRecords, StoredDirectory, store


@pytest.fixture
def built(data_dir):
    catalog = build_catalog(data_dir, read_files=read_in_order)
    _, frame = build_directory(data_dir)
    return catalog, frame


def test_every_record_reads_back_equal_and_only_when_asked(built):
    """Each organization comes back equal to the built record, by its id; ``in``, ``len``
    and iteration unpickle nothing; an unknown id is missing as in a dict."""
    catalog, frame = built
    records = LazyRecords(store(catalog, frame))
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
    catalog, frame = built
    kept = store(catalog, frame)
    assert [(d.id, d.title) for d in kept.catalog.disorders] == [
        (d.id, d.title) for d in catalog.disorders
    ]
    assert kept.catalog.issues == catalog.issues
    assert kept.catalog.organizations == ()
    assert all(d.organizations == () for d in kept.catalog.disorders)
    assert kept.reach == stored.reach_by_disorder(catalog.organizations)
    assert kept.reach and kept.countries


def test_stored_directory_round_trips_through_the_disk_cache(built, tmp_path, monkeypatch):
    """Written to the disk cache and read back, the table and every record are equal."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    catalog, frame = built
    value = (store(catalog, frame),)
    load_or_build(tmp_path, ("sig",), lambda: value, expect=(StoredDirectory,))
    (again,), issues = load_or_build(
        tmp_path, ("sig",), lambda: pytest.fail("built again"), expect=(StoredDirectory,)
    )
    assert issues == ()
    assert again.frame.equals(frame)
    records = LazyRecords(again)
    assert [records[org.id] for org in catalog.organizations] == list(catalog.organizations)
