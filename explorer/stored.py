"""The built directory as the app keeps it: columns, and each record as bytes until asked for.

A catalog of 100,000 organizations is about a million Python objects (records, addresses,
phones, sources). Kept whole, it made the disk cache slow to read back (every object
unpickled) and the app's memory large, while a page shows one organization's card at a
time. :func:`directory_table` and :func:`stored_directory` keep instead

* the directory table (what the pages filter, list and map) as Arrow columns, with
* the organizations' full records, pickled and compressed a block at a time
  (:func:`~explorer.pickled_records.packed_block`), in one more, binary, column (one
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
import ctypes
import dataclasses
import itertools
import mmap
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc

from explorer.catalog import Catalog
from explorer.columnar import Columnar
from explorer.directory.map_points import (
    MAP_POINT_INPUTS,
    PLACE_COLUMN,
    POINT_COLUMN,
    place_groups,
    point_json,
    shared_notes,
)
from explorer.directory.table import CATEGORY_COLUMNS, FILTER_COLUMNS, directory_frame
from explorer.models import Organization
from explorer.pickled_records import BLOCK_ROWS, packed_block, unpacked_block
from explorer.places.resolve import uk_postcode_towns

MEMO_SIZE = 256
"""Records kept once unpickled (the cards a few sessions are looking at, the block read last)."""
SCANS_BEFORE_INDEX = 64
"""Look-ups by scanning the id column before a dict of every id is built instead."""
RECORD_COLUMN = "__record__"
"""The table's column of pickled records (not part of the pandas frame)."""
CHUNK_ROWS = 5_000
"""Organizations made into table rows at a time (:func:`directory_table`): a build holds
the Arrow table and one chunk's Python objects, never a frame of every organization's
cells (at 200,000 organizations that frame, its cells and the records were 600 MB). The
interpreter keeps the memory a chunk's objects took for later objects: 20,000 at a time
left it 46 MB more than 5,000."""


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


def stored_directory(catalog: Catalog, table: pa.Table, looked_up: LookUps) -> StoredDirectory:
    """The :func:`directory_table` of ``catalog``'s organizations, and ``catalog``'s
    disorders and issues (its organizations, in the table, are not kept twice)."""
    disorders = tuple(dataclasses.replace(d, organizations=()) for d in catalog.disorders)
    kept = dataclasses.replace(catalog, disorders=disorders, organizations=())
    return from_table(table, (kept, *looked_up))


LookUps = tuple[tuple[str, ...], dict[str, tuple[int, int]], dict[str, str]]
"""What the pages look up over every organization: the countries they are placed in, each
disorder's reach (how many organizations it lists, in how many countries) and the UK post
towns."""


def directory_table(
    organizations: Iterable[Organization],
    chunk_rows: int = CHUNK_ROWS,
    more: Iterable[TableRows] = (),
) -> tuple[pa.Table, LookUps]:
    """The directory table of ``organizations`` (an iterator is read once, in order) with
    their pickled records, and the look-ups over them; then the rows of ``more`` (made
    elsewhere by :func:`table_rows`: read once ``organizations`` are), in order.

    Made :data:`CHUNK_ROWS` organizations at a time (:func:`table_rows`). The columns that
    need every row (the categories, the map points, which name the others at a shared
    place) are made last, from the Arrow columns. The table is the same for any chunk size,
    and has one chunk per column (:func:`_joined`).
    """
    rows = table_rows(organizations, chunk_rows)
    for other in more:
        rows.extend(other)
    chunks = rows.chunks or [_rows_of(())]
    joined = _joined(chunks, rows.forget_pages_read)
    records = rows.records()  # joined before the map points, their parts freed
    _return_freed_heap()
    table = _with_map_points(_categorical(_text_not_null(joined)), chunk_rows)
    _return_freed_memory()
    return table.append_column(RECORD_COLUMN, records), rows.looked_up.result()


@dataclasses.dataclass
class TableRows:
    """Organizations made into directory rows (:func:`table_rows`): the rows' chunks, each
    with its categories as plain text; their records column's values (whole blocks); and
    the look-ups over them. Rows made in another process come back in this shape, to be
    joined to the others (:meth:`extend`)."""

    chunks: list[pa.Table]
    record_values: list[pa.Array]
    looked_up: _LookingUp
    mapped: list[mmap.mmap] = dataclasses.field(default_factory=list)
    """Files the chunks are read from in place (:meth:`received`)."""

    def extend(self, other: TableRows) -> None:
        """``other``'s rows moved after these (these end with a whole block of records):
        ``other`` is left empty, so the join frees its chunks as it frees these."""
        rows = sum(chunk.num_rows for chunk in self.chunks)
        if rows % BLOCK_ROWS:
            raise ValueError(f"{rows} rows end inside a block of records")
        self.chunks += other.chunks
        self.record_values += other.record_values
        self.looked_up.extend(other.looked_up)
        self.mapped += other.mapped
        other.chunks, other.record_values, other.mapped = [], [], []

    def forget_pages_read(self) -> None:
        """Let go of the pages of the files read in place that are in memory now: the join
        copies the chunks a column at a time, and without this a file's every page read
        stayed in this process until its last column was joined (62 MB at 200,000
        organizations). A page asked for again is read again from the file."""
        for mapped in self.mapped:
            mapped.madvise(mmap.MADV_DONTNEED)

    def sent(self, path: str) -> _LookingUp:
        """These rows written for the process that asked for them (:meth:`received`): each
        chunk with its records, as one Arrow IPC file at ``path``, which that process made
        (and removes); and the look-ups. The file must exist: one already removed (the
        build that asked has failed) is not made again, so none is left behind."""
        records = pa.chunked_array(self.record_values)
        with open(path, "r+b") as out:
            out.truncate()
            writer = None
            at = 0
            for chunk in self.chunks:
                table = chunk.append_column(RECORD_COLUMN, records.slice(at, chunk.num_rows))
                at += chunk.num_rows
                writer = writer or pa.ipc.new_file(out, table.schema)
                writer.write_table(table)
            if writer is not None:
                writer.close()
        return self.looked_up

    @classmethod
    def received(cls, path: str, looked_up: _LookingUp) -> TableRows:
        """The rows :meth:`sent` to ``path``, their columns read in place from the memory
        mapped file (:meth:`forget_pages_read`); the caller may remove the file at once
        (the mapping keeps it readable)."""
        with open(path, "rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        reader = pa.ipc.open_file(pa.py_buffer(mapped))
        chunks, values = [], []
        for at in range(reader.num_record_batches):
            table = pa.Table.from_batches([reader.get_batch(at)])
            values.extend(table.column(RECORD_COLUMN).chunks)
            chunks.append(table.drop_columns([RECORD_COLUMN]))
        # The records copied out (11 MB at 200,000): kept until the table is made, they
        # would keep the whole file mapped past the join.
        return cls(chunks, [pa.concat_arrays(values)] if values else [], looked_up, [mapped])

    def records(self) -> pa.Array:
        """The records column of every row, its parts joined (and then let go)."""
        if len(self.record_values) != 1:
            values = self.record_values or [pa.array([], pa.large_binary())]
            self.record_values = [pa.concat_arrays(values)]
            del values
            _return_freed_memory()
        return self.record_values[0]


def table_rows(organizations: Iterable[Organization], chunk_rows: int = CHUNK_ROWS) -> TableRows:
    """The directory rows of ``organizations`` (an iterator is read once, in order),
    :data:`CHUNK_ROWS` at a time: a chunk's rows become Arrow columns
    (:func:`~explorer.directory.table.directory_frame`, then Arrow) and its records
    blocks, and its Python objects are freed before the next chunk."""
    chunks: list[pa.Table] = []
    records = _RecordBlocks()
    looked_up = _LookingUp()
    rest = iter(organizations)
    while chunk := tuple(itertools.islice(rest, chunk_rows)):
        chunks.append(_rows_of(chunk))
        records.extend(chunk)
        looked_up.add(chunk)
        _return_freed_memory()
    return TableRows(chunks, [records.array()], looked_up)


def _return_freed_memory() -> None:
    """Hand the memory Arrow's pool keeps after the build's temporaries back to the system.

    The pool (mimalloc) keeps freed pages for later allocations: once the chunks were
    joined, the chunks' 136 MB at 200,000 organizations, which nothing in a server
    allocates again. Arrow's docs discourage calling this often (it walks the pool's
    pages): after each chunk and each joined column, 67 times in a build of 200,000
    organizations, it took 17 ms in all.
    """
    pa.default_memory_pool().release_unused()


def _return_freed_heap() -> None:
    """Hand the C heap's freed pages back to the system once the rows are joined (glibc's
    ``malloc_trim``; nothing where there is none). The chunks' frames, lists and arrays
    were freed into the heap, which gives back only its top: 40 MB of a 200,000-organization
    build that a server never reuses, and the map points are made next."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has none)
        return None


_MALLOC_TRIM = _malloc_trim()


def _joined(chunks: list[pa.Table], after_each: Callable[[], None] = lambda: None) -> pa.Table:
    """The rows of ``chunks`` (emptied) as one table of one chunk per column.

    Written in chunks, the disk cache's file held one record batch per chunk, and reading
    it back joined the frame's columns: the app from the cache took 90 MB more at 100,000
    organizations. Joined a column at a time, each column's chunks released once joined,
    the build holds the table and one column more, not two tables.
    """
    names = chunks[0].column_names
    columns = []
    for _ in names:
        parts = [part for t in chunks for part in t.column(0).chunks]  # none when empty
        columns.append(pa.chunked_array(parts, chunks[0].schema.field(0).type).combine_chunks())
        chunks[:] = [t.remove_column(0) for t in chunks]
        del parts
        _return_freed_memory()
        after_each()
    return pa.table(columns, names=names)


def _rows_of(organizations: Sequence[Organization]) -> pa.Table:
    """A chunk's directory rows, without pandas' metadata and with its categories as plain
    text: a chunk's categories (and their codes' width) are its own, the directory's are
    made from every row (:func:`_categorical`)."""
    table = pa.Table.from_pandas(directory_frame(organizations), preserve_index=False)
    schema = pa.schema(
        [
            field.with_type(field.type.value_type) if pa.types.is_dictionary(field.type) else field
            for field in table.schema
        ]
    )
    return table.cast(schema)


def _categorical(table: pa.Table) -> pa.Table:
    """The :data:`~explorer.directory.table.CATEGORY_COLUMNS` made categorical as pandas
    makes them (sorted categories, the narrowest codes)."""
    for name in CATEGORY_COLUMNS:
        at = table.schema.get_field_index(name)
        values = table.column(at).to_pandas().astype("category")
        table = table.set_column(at, name, pa.array(values))
    return table


def _with_map_points(table: pa.Table, chunk_rows: int) -> pa.Table:
    """The table with its map points and shared places, listed before the filter columns.
    The shared places are found from every row's coordinates and names; the points' JSON
    is made ``chunk_rows`` at a time, from that chunk's columns only (made pandas for it),
    each chunk's Python strings freed once written into the column's one buffer."""
    places = place_groups(table.select(["latitude", "longitude"]).to_pandas())
    notes = shared_notes(table.select(["name"]).to_pandas(), places)
    points = _ValueColumn(pa.string())
    for at in range(0, table.num_rows, chunk_rows):
        rows = table.slice(at, chunk_rows).select(MAP_POINT_INPUTS).to_pandas()
        for point in point_json(rows, notes[at : at + chunk_rows]):
            points.write(point.encode())
            points.end_value()
    at = table.schema.get_field_index(FILTER_COLUMNS[0])
    table = table.add_column(at, POINT_COLUMN, points.array())
    return table.add_column(at + 1, PLACE_COLUMN, pa.array(places, pa.int64()))


class _ValueColumn:
    """An Arrow column of text or bytes written value after value into one buffer, with
    the values' offsets: no Python object per value, and no copy when the column is made
    (at 200,000 organizations, a bytes object per pickled record was 160 MB of peak memory
    and a second of CPU).

    The buffer is a private anonymous memory map that grows in place (``mremap``; a shared
    one would fault past its first size). A ``BytesIO`` grows by copying, and the C heap
    kept the copies it left: 55 MB of the build's peak at 200,000 organizations, for the
    map points' 73 MB.
    """

    def __init__(self, arrow_type: pa.DataType) -> None:
        self._buffer = mmap.mmap(-1, mmap.PAGESIZE, flags=mmap.MAP_PRIVATE)
        self._type = arrow_type
        self._offsets = array.array("q" if arrow_type == pa.large_binary() else "i", [0])

    def write(self, data: bytes) -> None:
        """Add ``data`` to the value being written."""
        end = self._buffer.tell() + len(data)
        if end > len(self._buffer):
            self._buffer.resize(max(end, 2 * len(self._buffer)))
        self._buffer.write(data)

    def end_value(self) -> None:
        """What was written since the last value is the next value."""
        self._offsets.append(self._buffer.tell())

    def array(self) -> pa.Array:
        written = memoryview(self._buffer)[: self._buffer.tell()]
        return pa.Array.from_buffers(
            self._type,
            len(self._offsets) - 1,
            [None, pa.py_buffer(self._offsets), pa.py_buffer(written)],
        )


class _RecordBlocks:
    """The records column: each run of :data:`~explorer.pickled_records.BLOCK_ROWS` records
    pickled and compressed together (:func:`~explorer.pickled_records.packed_block`: at
    200,000 organizations, 144 MB pickled one by one, 27 MB in blocks), the block's bytes at
    its first row and the other rows of the run empty, so the column stays row for row with
    the table. A card unpickles its block (about 0.3 ms)."""

    def __init__(self) -> None:
        self._column = _ValueColumn(pa.large_binary())
        self._pending: list[Organization] = []

    def extend(self, organizations: Iterable[Organization]) -> None:
        for org in organizations:
            self._pending.append(org)
            if len(self._pending) == BLOCK_ROWS:
                self._write_block()

    def array(self) -> pa.Array:
        if self._pending:
            self._write_block()
        return self._column.array()

    def _write_block(self) -> None:
        self._column.write(packed_block(tuple(self._pending)))
        for _ in self._pending:
            self._column.end_value()  # the block, then an empty value per other row
        self._pending.clear()


class _LookingUp:
    """:data:`LookUps` gathered chunk by chunk."""

    def __init__(self) -> None:
        self.countries: set[str] = set()
        self.counts: defaultdict[str, int] = defaultdict(int)
        self.reach_countries: defaultdict[str, set[str]] = defaultdict(set)
        self.towns: dict[str, str] = {}

    def add(self, organizations: Sequence[Organization]) -> None:
        for org in organizations:
            country = org.location.country if org.location else ""
            self.countries.add(country)
            for disorder_id in org.disorders:
                self.counts[disorder_id] += 1
                if country:
                    self.reach_countries[disorder_id].add(country)
        for outward, town in uk_postcode_towns(organizations).items():
            self.towns.setdefault(outward, town)

    def extend(self, other: _LookingUp) -> None:
        """``other``'s organizations added after these."""
        self.countries |= other.countries
        for disorder_id, count in other.counts.items():
            self.counts[disorder_id] += count
        for disorder_id, countries in other.reach_countries.items():
            self.reach_countries[disorder_id] |= countries
        for outward, town in other.towns.items():
            self.towns.setdefault(outward, town)

    def result(self) -> LookUps:
        reach = {key: (n, len(self.reach_countries[key])) for key, n in self.counts.items()}
        return tuple(sorted(self.countries - {""})), reach, self.towns


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


class LazyRecords(Mapping[str, Organization]):
    """Read-only id → organization, each record unpickled when first asked for, with the
    others of its block (:data:`~explorer.pickled_records.BLOCK_ROWS`; a few hundred kept,
    so reading rows in order unpickles each block once); ``in``, ``len`` and iteration never
    unpickle anything.

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
        start = position - position % BLOCK_ROWS
        block = unpacked_block(self._records[start].as_py())
        with self._lock:
            for record in block:
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.pop(next(iter(self._memo)))
                self._memo[record.id] = record
        return block[position - start]

    def __contains__(self, org_id: object) -> bool:
        return self._position(org_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids.to_pylist())

    def __len__(self) -> int:
        return len(self._ids)
