"""A large report's parsed listings kept pickled, each unpickled when it is used.

A report of 200,000 organizations parses into about two million Python objects (records,
addresses, phones, sources): 310 MB, beside the parse's freed temporaries, which the
directory build held from the parse until the last organization was in the table, while
it made the table. :class:`PickledRecords` holds them as one buffer of pickles instead
(100 MB): the merge reads each listing once, the finishing step once more, and neither
keeps it. A report shared between processes (:mod:`explorer.cold_build`) is read this way;
a small one stays a tuple. Either is a :class:`~collections.abc.Sequence`, and
:class:`Concatenated` lists several (every report's listings, in order) as one.
"""

from __future__ import annotations

import array
import bisect
import functools
import io
import itertools
import pickle
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar, overload

from explorer.identity import name_key
from explorer.models import Organization

if TYPE_CHECKING:
    import pyarrow as pa

T = TypeVar("T")


BLOCK_ROWS = 64
"""Records pickled and compressed together (:func:`packed_block`): a block's records share
its pickle's memo (their classes, repeated strings), which makes pickling and unpickling
about three times faster than one record at a time; and they repeat one another (the same
disorders, sources, labels, countries), which compression uses: at 200,000 organizations,
144 MB pickled one by one, 61 MB in blocks, 27 MB compressed."""
BLOCK_CODEC = "zstd"
"""Arrow's codec for the blocks (in every pyarrow wheel: no other dependency); about a
microsecond a record each way."""


BLOCKS_KEPT = 4
"""Blocks kept once unpickled: reading in order unpickles each block once, and a look back
(the merge meeting a name it has seen) does not evict the block being read."""
Identity = tuple[str, str]
"""A listing's name key (:func:`~explorer.identity.name_key`) and id: what the merge reads
of a listing whose name no other listing has (:func:`identities`)."""


class _Runs(Sequence[T]):
    """A sequence read as consecutive runs (blocks, parts): :attr:`_upto` counts the items
    up to each run, itself included, and :meth:`_run` gives a run."""

    __slots__ = ()
    _upto: Sequence[int]

    def _run(self, run: int) -> Sequence[T]:
        raise NotImplementedError

    def __len__(self) -> int:
        return self._upto[-1] if self._upto else 0

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self[at] for at in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("index out of range")
        run = bisect.bisect_right(self._upto, index)
        return self._run(run)[index - (self._upto[run - 1] if run else 0)]


class PickledRecords(_Runs[Organization]):
    """Organizations pickled and compressed in blocks of up to :data:`BLOCK_ROWS`
    (:func:`packed_block`) in one buffer, with where each block ends in the buffer and in
    the records, and each record's :data:`Identity` (packed apart, read by the merge
    without unpickling a record). A record is unpickled with its block (a few kept:
    :data:`BLOCKS_KEPT`). Equal to any sequence of the same organizations."""

    __slots__ = ("_data", "_ends", "_identities", "_kept", "_lock", "_upto")

    def __init__(
        self, data: bytes, ends: array.array, upto: array.array, identities: tuple[bytes, ...]
    ) -> None:
        self._data = data
        self._ends = ends
        self._upto = upto
        """The records in the blocks up to each one, itself included."""
        self._identities = identities
        """Packed tuples of the records' identities, in order (one per part joined)."""
        self._kept: dict[int, tuple[Organization, ...]] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, records: Iterable[Organization]) -> PickledRecords:
        """``records`` pickled as they come (an iterator's are never all held)."""
        buffer = io.BytesIO()
        ends, upto = array.array("q"), array.array("q")
        identities: list[Identity] = []
        rest = iter(records)
        while block := tuple(itertools.islice(rest, BLOCK_ROWS)):
            buffer.write(packed_block(block))
            ends.append(buffer.tell())
            upto.append(len(block) + (upto[-1] if upto else 0))
            identities.extend((name_key(record.name), record.id) for record in block)
        return cls(buffer.getvalue(), ends, upto, (packed_block(tuple(identities)),))

    @classmethod
    def joined(cls, parts: Iterable[PickledRecords]) -> PickledRecords:
        """The records of ``parts``, in order, in one buffer (their blocks as they are)."""
        parts = list(parts)
        ends, upto = array.array("q"), array.array("q")
        offset = records = 0
        for part in parts:
            ends.extend(end + offset for end in part._ends)
            upto.extend(count + records for count in part._upto)
            offset += len(part._data)
            records += len(part)
        identities = tuple(packed for part in parts for packed in part._identities)
        return cls(b"".join(part._data for part in parts), ends, upto, identities)

    def identities(self) -> Iterator[Identity]:
        """Each record's :data:`Identity`, in order, without unpickling a record."""
        for packed in self._identities:
            yield from unpacked_block(packed)

    def _run(self, run: int) -> tuple[Organization, ...]:
        """Block ``run``'s records, unpickled (a few kept: :data:`BLOCKS_KEPT`)."""
        records = self._kept.get(run)
        if records is None:
            records = self._block(run)
            with self._lock:
                if len(self._kept) >= BLOCKS_KEPT:
                    del self._kept[next(iter(self._kept))]
                self._kept[run] = records
        return records

    def _block(self, block: int) -> tuple[Organization, ...]:
        start = self._ends[block - 1] if block else 0
        return unpacked_block(memoryview(self._data)[start : self._ends[block]])

    def __iter__(self) -> Iterator[Organization]:
        for block in range(len(self._ends)):
            yield from self._block(block)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PickledRecords({len(self)} organizations, {len(self._data):,} bytes)"

    def __reduce__(self) -> tuple[type[PickledRecords], tuple]:
        return PickledRecords, (self._data, self._ends, self._upto, self._identities)


def identities(records: Sequence[Organization]) -> Iterator[Identity]:
    """Each record's :data:`Identity`, in order: those kept with :class:`PickledRecords`
    (in a :class:`Concatenated` too), without unpickling a record."""
    if isinstance(records, PickledRecords):
        return records.identities()
    if isinstance(records, Concatenated):
        return itertools.chain.from_iterable(identities(part) for part in records.parts)
    return ((name_key(record.name), record.id) for record in records)


def packed_block(records: tuple) -> bytes:
    """``records`` (a tuple of records, or of their identities) pickled together
    (:func:`~explorer.cache.record_pickler`) and compressed: the pickle's length (8 bytes,
    little-endian), then the compressed pickle."""
    from explorer.cache import record_pickler  # here: the cache's module reads reports

    pickled = io.BytesIO()
    record_pickler(pickled).dump(records)
    raw = pickled.getbuffer()
    return len(raw).to_bytes(8, "little") + _codec().compress(raw, asbytes=True)


def unpacked_block(packed: bytes | memoryview) -> tuple:
    """The records of a :func:`packed_block`."""
    size = int.from_bytes(packed[:8], "little")
    return pickle.loads(_codec().decompress(packed[8:], size, asbytes=True))


@functools.cache
def _codec() -> pa.Codec:
    # pyarrow imported here: only large reports and the directory pack blocks, and a page
    # that reads a few small reports does not pay for its import.
    import pyarrow

    return pyarrow.Codec(BLOCK_CODEC)


class Concatenated(_Runs[T]):
    """Several sequences read as one, in order, none copied."""

    __slots__ = ("_parts", "_upto")

    def __init__(self, parts: Iterable[Sequence[T]]) -> None:
        self._parts = [part for part in parts if len(part)]
        self._upto = list(itertools.accumulate(len(part) for part in self._parts))

    @property
    def parts(self) -> tuple[Sequence[T], ...]:
        """The sequences read, in order (the empty ones left out)."""
        return tuple(self._parts)

    def _run(self, run: int) -> Sequence[T]:
        return self._parts[run]

    def __iter__(self) -> Iterator[T]:
        for part in self._parts:
            yield from part
