"""The built directory as the app keeps it: columns, and each record as bytes until asked for.

A catalog of 100,000 organizations is about a million Python objects (records, addresses,
phones, sources). Kept whole, it made the disk cache slow to read back (every object
unpickled) and the app's memory large, while a page shows one organization's card at a
time. :func:`store` keeps instead

* the directory table (what the pages filter, list and map) as Arrow columns, with
* each organization's full record pickled on its own in one more, binary, column (one
  buffer, not one object per organization), and
* the look-ups the pages need over all organizations (countries, reach per disorder, UK
  post towns), computed once while building.

The disk cache keeps that Arrow table as an IPC file (:data:`COLUMNAR`) and maps it back
into memory: the pandas frame the pages read is a view of its columns (text columns are
pandas' Arrow-backed ``str``), so reading it back builds no Python object per row. A
freshly built directory goes through the same table, so pages see the same dtypes either
way.

:class:`LazyRecords` gives a read-only mapping id → :class:`~explorer.models.Organization`
that unpickles a record only when it is asked for (the card shown, the rows exported).
"""

from __future__ import annotations

import array
import dataclasses
import io
import pickle
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from explorer.cache import record_pickler
from explorer.catalog import Catalog
from explorer.columnar import Columnar
from explorer.models import Organization
from explorer.places.resolve import uk_postcode_towns

MEMO_SIZE = 256
"""Records kept once unpickled (the cards a few sessions are looking at)."""
SCANS_BEFORE_INDEX = 64
"""Look-ups by scanning the id column before a dict of every id is built instead."""
RECORD_COLUMN = "__record__"
"""The table's column of pickled records (not part of the pandas frame)."""


@dataclasses.dataclass(frozen=True)
class StoredDirectory:
    """A built directory in the shape the disk cache and the app keep it.

    ``catalog`` holds the disorders (without their organization lists) and every issue;
    its ``organizations`` are empty: the records are in ``records``, by ``ids`` (both
    columns of ``table``, row for row with ``frame``, which is ``table``'s other columns).
    """

    catalog: Catalog
    table: pa.Table
    frame: pd.DataFrame
    ids: pa.ChunkedArray
    records: pa.ChunkedArray
    countries: tuple[str, ...]
    reach: Mapping[str, tuple[int, int]]
    postcode_towns: Mapping[str, str]


def store(catalog: Catalog, frame: pd.DataFrame) -> StoredDirectory:
    """The catalog and its directory table as :class:`StoredDirectory` keeps them."""
    records = pickled_records(catalog.organizations)
    countries = {org.location.country for org in catalog.organizations if org.location}
    light = dataclasses.replace(
        catalog,
        disorders=tuple(dataclasses.replace(d, organizations=()) for d in catalog.disorders),
        organizations=(),
    )
    table = _text_not_null(pa.Table.from_pandas(frame, preserve_index=False))
    table = table.append_column(RECORD_COLUMN, records)
    return from_table(
        table,
        (
            light,
            tuple(sorted(countries - {""})),
            reach_by_disorder(catalog.organizations),
            uk_postcode_towns(catalog.organizations),
        ),
    )


def pickled_records(organizations: Sequence[Organization]) -> pa.Array:
    """Each organization pickled on its own (unpickled alone when its card is shown), as
    one Arrow binary column.

    One pickler writes them one after another into one buffer, its memo cleared between
    two records, and the column is made of that buffer and the records' offsets: no bytes
    object per organization, no pickler set up per organization, no copy (at 200,000
    organizations that was 160 MB of peak memory and a second of CPU). Each record's bytes
    are those a pickler of its own writes.
    """
    buffer = io.BytesIO()
    pickler = record_pickler(buffer)
    offsets = array.array("q", [0])
    for org in organizations:
        pickler.dump(org)
        pickler.clear_memo()
        offsets.append(buffer.tell())
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        len(organizations),
        [None, pa.py_buffer(offsets), pa.py_buffer(buffer.getbuffer())],
    )


def _text_not_null(table: pa.Table) -> pa.Table:
    """``table`` with its untyped columns as text: an empty directory's text columns hold
    no value to tell Arrow their type, and would otherwise differ from a full one's."""
    schema = pa.schema(
        [
            field.with_type(pa.string()) if pa.types.is_null(field.type) else field
            for field in table.schema
        ],
        metadata=table.schema.metadata,
    )
    return table.cast(schema)


def from_table(table: pa.Table, rest: tuple) -> StoredDirectory:
    """The stored directory of ``table`` (the frame's columns and :data:`RECORD_COLUMN`)
    and ``rest`` (catalog, countries, reach, UK post towns).

    The frame wraps the table's buffers: Arrow strings stay Arrow (``str``), dictionary
    columns become categoricals, numbers are not copied into 2-D blocks.
    """
    catalog, countries, reach, postcode_towns = rest
    frame = table.drop_columns([RECORD_COLUMN]).to_pandas(split_blocks=True)
    return StoredDirectory(
        catalog=catalog,
        table=table,
        frame=frame,
        ids=table.column("id"),
        records=table.column(RECORD_COLUMN),
        countries=countries,
        reach=reach,
        postcode_towns=postcode_towns,
    )


def _split(value: tuple[StoredDirectory]) -> tuple[pa.Table, tuple]:
    (stored,) = value
    return stored.table, (stored.catalog, stored.countries, stored.reach, stored.postcode_towns)


def _join(table: pa.Table, rest: object) -> tuple[StoredDirectory]:
    if not (isinstance(rest, tuple) and len(rest) == 4 and isinstance(rest[0], Catalog)):
        raise TypeError("the stored rest is not (catalog, countries, reach, post towns)")
    if RECORD_COLUMN not in table.column_names or "id" not in table.column_names:
        raise TypeError("the stored table has no ids or records")
    return (from_table(table, rest),)


COLUMNAR = Columnar(split=_split, join=_join)
"""How the disk cache keeps ``(StoredDirectory,)``: one Arrow IPC file."""


def reach_by_disorder(organizations: tuple[Organization, ...]) -> dict[str, tuple[int, int]]:
    """How many organizations each disorder lists, and in how many countries."""
    counts: defaultdict[str, int] = defaultdict(int)
    countries: defaultdict[str, set[str]] = defaultdict(set)
    for org in organizations:
        for disorder_id in org.disorders:
            counts[disorder_id] += 1
            if org.location and org.location.country:
                countries[disorder_id].add(org.location.country)
    return {key: (count, len(countries[key])) for key, count in counts.items()}


class LazyRecords(Mapping[str, Organization]):
    """Read-only id → organization, each record unpickled when first asked for (a few
    hundred kept); ``in``, ``len`` and iteration never unpickle anything.

    Reading the directory back builds no per-organization object, and neither do the first
    look-ups: each is a scan of the id column in Arrow (well under a millisecond at
    100,000). Only after :data:`SCANS_BEFORE_INDEX` of them (an export, many cards) is
    a dict of every id built, once, for the rest.
    """

    def __init__(self, stored: StoredDirectory) -> None:
        self._ids = stored.ids
        self._records = stored.records
        self._index: dict[str, int] | None = None
        self._scans = 0
        self._memo: dict[str, Organization] = {}
        self._lock = threading.Lock()

    def _position(self, org_id: object) -> int | None:
        """The row of ``org_id``, or None if it is not listed."""
        if not isinstance(org_id, str):
            return None
        if self._index is None and self._scans < SCANS_BEFORE_INDEX:
            self._scans += 1
            at = pc.index(self._ids, org_id).as_py()
            return None if at < 0 else at
        return self._positions().get(org_id)

    def _positions(self) -> dict[str, int]:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = {org_id: at for at, org_id in enumerate(self._ids.to_pylist())}
        return self._index

    def __getitem__(self, org_id: str) -> Organization:
        found = self._memo.get(org_id)
        if found is not None:
            return found
        position = self._position(org_id)
        if position is None:
            raise KeyError(org_id)
        record = pickle.loads(self._records[position].as_py())
        with self._lock:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)))
            self._memo[org_id] = record
        return record

    def __contains__(self, org_id: object) -> bool:
        return self._position(org_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids.to_pylist())

    def __len__(self) -> int:
        return len(self._ids)
