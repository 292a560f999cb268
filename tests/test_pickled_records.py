"""A large report's listings kept pickled: the same records, read by index, in order or by
the merge, with no record unpickled that the merge does not need."""

from __future__ import annotations

import dataclasses
import itertools
import pickle

import pytest

from explorer import pickled_records
from explorer.catalog import merge_organizations, merged_listings
from explorer.identity import name_key
from explorer.pickled_records import BLOCK_ROWS, Concatenated, PickledRecords, identities
from explorer.pipeline import build_catalog
from tests.conftest import BUNDLED_DATA


@pytest.fixture(scope="module")
def listings():
    """Three blocks and a bit of distinct listings made from the bundled organizations."""
    bundled = build_catalog(BUNDLED_DATA).organizations
    return tuple(
        dataclasses.replace(bundled[n % len(bundled)], id=f"org-{n}", name=f"Group {n}")
        for n in range(BLOCK_ROWS * 3 + 5)
    )


def test_records_read_back_equal_by_index_in_order_and_after_pickling(listings):
    kept = PickledRecords.of(iter(listings))
    assert len(kept) == len(listings) and kept == listings and listings == kept
    assert tuple(kept) == listings
    for index in (0, BLOCK_ROWS - 1, BLOCK_ROWS, len(listings) - 1, -1, -len(listings)):
        assert kept[index] == listings[index]
    assert kept[3:70:5] == listings[3:70:5]
    with pytest.raises(IndexError):
        kept[len(listings)]
    assert pickle.loads(pickle.dumps(kept)) == listings
    assert hash(kept) == hash(listings)
    assert PickledRecords.of(()) == () and len(PickledRecords.of(())) == 0


def test_parts_of_any_size_join_into_the_records_in_order(listings):
    cuts = (0, 1, BLOCK_ROWS + 3, 2 * BLOCK_ROWS + 1, len(listings))
    parts = [PickledRecords.of(listings[a:b]) for a, b in itertools.pairwise(cuts)]
    joined = PickledRecords.joined(parts)
    assert joined == listings
    assert [joined[i] for i in range(len(listings))] == list(listings)
    assert list(joined.identities()) == [(name_key(o.name), o.id) for o in listings]
    assert tuple(Concatenated([*parts[:2], (), *parts[2:]])) == listings
    assert [Concatenated(parts)[i] for i in (-1, 0, 70, 130)] == [
        listings[i] for i in (-1, 0, 70, 130)
    ]


def test_identities_are_read_without_unpickling_a_record(listings, monkeypatch):
    kept = PickledRecords.of(listings)
    monkeypatch.setattr(PickledRecords, "_block", _no_record_read)
    assert list(identities(kept)) == list(identities(listings))


def test_the_merge_reads_only_the_listings_whose_name_is_repeated(listings, monkeypatch):
    """Listings kept pickled merge as a tuple of them does; the merge itself unpickles the
    blocks of listings that share a name with another (here two, in the first and the last
    block), not the others."""
    twin = dataclasses.replace(listings[1], id="twin", phones=(), email="twin@example.org")
    with_twin = (*listings, twin)
    kept = PickledRecords.of(with_twin)
    read = []
    block = PickledRecords._block
    monkeypatch.setattr(
        PickledRecords, "_block", lambda self, at: read.append(at) or block(self, at)
    )
    halves = Concatenated([kept, PickledRecords.of(listings[:3])])  # as the build reads them
    merged = merged_listings(halves, [])
    assert sorted(set(read)) == [0, len(with_twin) // BLOCK_ROWS]
    assert tuple(merged) == merge_organizations((*with_twin, *listings[:3]), [])
    assert len(merged) == len(listings) and merged[1].id == listings[1].id
    assert merged[1].sources == listings[1].sources * 3  # the twin's listings merged in


def _no_record_read(self, block):
    raise AssertionError(f"block {block} was unpickled")


def test_blocks_are_compressed(listings):
    block = listings[:BLOCK_ROWS]
    packed = pickled_records.packed_block(block)
    assert len(packed) - 8 < int.from_bytes(packed[:8], "little") / 2  # the pickle's length
    assert pickled_records.unpacked_block(packed) == block


def test_the_reports_find_their_uk_post_towns_only_when_a_page_asks(tmp_path, monkeypatch):
    """Read for a page, a large report's listings stay pickled: the UK post towns (near-me
    suggestions) are found from them the first time a page asks, once, not as they are
    read (every record unpickled and held, for a build that finds them again)."""
    import shutil

    from explorer import cache
    from tests.conftest import FIXTURES

    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    (tmp_path / "data" / "reports").mkdir(parents=True)
    shutil.copy(FIXTURES / "international_orgs.txt", tmp_path / "data" / "reports" / "i.txt")
    from components import data as loaders

    loaders.forget_loaded()
    calls = []
    towns = loaders.uk_postcode_towns
    monkeypatch.setattr(
        loaders, "uk_postcode_towns", lambda listed: calls.append(1) or towns(listed)
    )
    folder = tmp_path / "data"
    read = loaders.reports_in(str(folder), cache.files_signature(folder))
    assert calls == []
    assert read.postcode_towns["SW17"] == "London" and dict(read.postcode_towns) == {
        "SW17": "London"
    }
    assert calls == [1]
    loaders.forget_loaded()
