"""A cache entry kept as one Arrow IPC file (Feather v2) instead of a pickle.

:func:`explorer.cache.load_or_build` keeps a value given a :class:`Columnar` form this way:
its table, with the small rest pickled into the file's schema metadata. Reading it back maps
the file into memory and builds no Python object per row. Apart from :mod:`explorer.cache`
so that what reads only pickled entries (every page's frame) never imports pyarrow.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

import pyarrow as pa

from explorer.cache import MAGIC, record_pickler

KEY_FIELD = b"explorer-cache-key"
"""Schema metadata of a columnar entry: :data:`~explorer.cache.MAGIC` and its key."""
REST_FIELD = b"explorer-cache-rest"
"""Schema metadata of a columnar entry: the pickled part of the value that is not a table."""

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Columnar(Generic[T]):
    """How a value is kept as an Arrow IPC file instead of a pickle.

    ``split`` gives the value's table (what is large: one row per organization) and a
    small picklable rest; ``join`` makes the value again from the table read back (memory
    mapped: its buffers are the file's pages) and that rest.
    """

    split: Callable[[T], tuple[pa.Table, object]]
    join: Callable[[pa.Table, object], T]
    write_errors: tuple[type[Exception], ...] = (pa.ArrowException,)
    """What a failed write raises besides ``OSError`` (logged, the value still used)."""

    def read(self, path: Path) -> tuple[str, T]:
        """The key and value of the entry at ``path``, its table memory-mapped (not copied).

        The map stays open as long as the table's buffers are alive. The file is never
        rewritten in place (a new entry is a new file renamed over it; an old one is
        unlinked), so its pages cannot change under the app. Anyone else must do the same: a
        mapped file truncated in place (``cp`` over it, a shell redirection) would take its
        pages from under a running app, which the system reports by killing it (SIGBUS).

        The file's footer and schema are read and the table's structure is checked (every
        buffer as large as its column's length says), so a file cut short or of another
        format fails here. Not every offset and character is checked: that would read all of
        the file's pages (70 ms at 100,000 organizations) for damage nothing but a disk fault
        makes.
        """
        reader = pa.ipc.open_file(pa.memory_map(str(path)))
        fields = reader.schema.metadata or {}
        stored = fields.get(KEY_FIELD, b"").decode().split("|", 1)
        if stored[0] != MAGIC or REST_FIELD not in fields:
            raise ValueError("the file is not an entry of this cache's format")
        table = reader.read_all()
        table.validate()
        return stored[1], self.join(table, pickle.loads(fields[REST_FIELD]))

    def write(self, path: Path, key: str, value: T) -> None:
        """``value`` as one Arrow IPC file: its table, the key and the pickled rest in the
        schema's metadata (uncompressed, so it can be mapped and read without a copy)."""
        table, rest = self.split(value)
        rest_bytes = io.BytesIO()
        record_pickler(rest_bytes).dump(rest)
        fields = (table.schema.metadata or {}) | {
            KEY_FIELD: f"{MAGIC}|{key}".encode(),
            REST_FIELD: rest_bytes.getvalue(),
        }
        table = table.replace_schema_metadata(fields)
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
