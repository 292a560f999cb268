"""The built directory as the app keeps it: columns, and each record as bytes until asked for.

A catalog of 100,000 organizations is about a million Python objects (records, addresses,
phones, sources). Kept whole, it made the disk cache slow to read back (every object
unpickled) and the app's memory large, while a page shows one organization's card at a
time. :func:`store` keeps instead

* the directory table (what the pages filter, list and map),
* each organization's full record pickled on its own, all of them in one Arrow binary
  column (one buffer, not one object per organization), and
* the look-ups the pages need over all organizations (countries, reach per disorder, UK
  post towns), computed once while building.

:class:`LazyRecords` gives a read-only mapping id → :class:`~explorer.models.Organization`
that unpickles a record only when it is asked for (the card shown, the rows exported).
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from types import MappingProxyType

import pandas as pd
import pyarrow as pa

from explorer.cache import record_pickler
from explorer.catalog import Catalog
from explorer.directory.table import uk_postcode_towns
from explorer.models import Organization

MEMO_SIZE = 256
"""Records kept once unpickled (the cards a few sessions are looking at)."""


@dataclasses.dataclass(frozen=True)
class StoredDirectory:
    """A built directory in the shape the disk cache and the app keep it.

    ``catalog`` holds the disorders (without their organization lists) and every issue;
    its ``organizations`` are empty: the records are in ``records``, by ``ids``.
    """

    catalog: Catalog
    frame: pd.DataFrame
    ids: pa.Array
    records: pa.Array
    countries: tuple[str, ...]
    reach: Mapping[str, tuple[int, int]]
    postcode_towns: Mapping[str, str]


def store(catalog: Catalog, frame: pd.DataFrame) -> StoredDirectory:
    """The catalog and its directory table as :class:`StoredDirectory` keeps them."""
    blobs = []
    for org in catalog.organizations:
        buffer = io.BytesIO()
        record_pickler(buffer).dump(org)
        blobs.append(buffer.getvalue())
    countries = {org.location.country for org in catalog.organizations if org.location}
    light = dataclasses.replace(
        catalog,
        disorders=tuple(dataclasses.replace(d, organizations=()) for d in catalog.disorders),
        organizations=(),
    )
    return StoredDirectory(
        catalog=light,
        frame=frame,
        ids=pa.array([org.id for org in catalog.organizations], pa.string()),
        records=pa.array(blobs, pa.large_binary()),
        countries=tuple(sorted(countries - {""})),
        reach=reach_by_disorder(catalog.organizations),
        postcode_towns=uk_postcode_towns(catalog.organizations),
    )


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
    hundred kept); ``in``, ``len`` and iteration never unpickle anything."""

    def __init__(self, stored: StoredDirectory) -> None:
        self._records = stored.records
        self._positions = {org_id: at for at, org_id in enumerate(stored.ids.to_pylist())}
        self._memo: dict[str, Organization] = {}
        self._lock = threading.Lock()

    def __getitem__(self, org_id: str) -> Organization:
        found = self._memo.get(org_id)
        if found is not None:
            return found
        position = self._positions[org_id]  # KeyError for an unknown id, as a dict
        record = pickle.loads(self._records[position].as_py())
        with self._lock:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)))
            self._memo[org_id] = record
        return record

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def read_only(mapping: Mapping) -> Mapping:
    """A read-only view of ``mapping`` (shared by every session)."""
    return MappingProxyType(dict(mapping))
