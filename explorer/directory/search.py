"""Searching the directory: the sidebar's filters, near-me distances and the result groups.

Works on the column table :func:`explorer.directory.table.directory_frame` builds, by row
positions and numpy arrays, so a rerun stays fast at 100,000 organizations.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from explorer.directory.filters import CHANNELS, KM_PER_MILE, Filters
from explorer.directory.map_points import POINT_COLUMN
from explorer.directory.per_frame import PerFrame
from explorer.directory.table import listing
from explorer.lookup_key import normalize
from explorer.places.distance import EARTH_RADIUS_KM, haversine_km
from explorer.places.resolve import PlaceResult


@dataclass(frozen=True, eq=False)
class Results:
    """Filtered rows split the way the page shows them, as row positions into the directory.

    :func:`search` only decides which rows belong to which group; ordering by distance
    and building frames (listed columns only) happen on first use, so a query pays for
    what a table or list shows: :meth:`nearest` orders and builds just the first few.
    ``nearby``: within the radius (all matches when no place is searched), nearest first.
    ``serve_everyone``: organizations outside the radius that serve the searched place
    anyway — international ones, and national ones of the place's country — kept visible
    because they help by phone or online wherever you live. ``unplaced``: matches whose
    address could not be placed, so their distance is unknown (listed, never dropped).
    ``beyond``: how many local organizations the radius hid. ``closed_hidden``: how many
    closed organizations a near-me search left out (``Filters.show_closed`` shows them).
    """

    listed: pd.DataFrame = field(repr=False)
    """The directory's listed columns (:func:`~explorer.directory.table.listing`); the positions
    index its rows."""
    nearby_rows: np.ndarray
    """Positions of the nearby group, in directory order (see :attr:`nearby` for distance order)."""
    serve_everyone_rows: np.ndarray = field(default_factory=lambda: _NO_ROWS)
    unplaced_rows: np.ndarray = field(default_factory=lambda: _NO_ROWS)
    beyond: int = 0
    place: PlaceResult | None = None
    closed_hidden: int = 0
    distances: Distances | None = field(default=None, repr=False)
    """Kilometres from the searched place to any row; None when no place was searched."""
    km_per_unit: float = 1.0
    directory_key: str = ""
    """A digest of the directory's ids (:func:`directory_key`): with the positions, it names
    the rows listed (:attr:`rows_key`)."""

    def __len__(self) -> int:
        """How many rows are listed (without building any frame)."""
        return len(self.nearby_rows) + len(self.serve_everyone_rows) + len(self.unplaced_rows)

    def nearest(self, count: int) -> pd.DataFrame:
        """The first ``count`` rows of :attr:`nearby` (a result list), without ordering the rest."""
        if self.distances is None:
            return self._frame(self.nearby_rows[:count], None)
        km = self.distances.of(self.nearby_rows)
        if count < len(km):
            # Every row as near as the count-th nearest (ties included), then a stable order:
            # the same rows, in the same order, as the head of the fully ordered group.
            cutoff = np.partition(km, count - 1)[count - 1] if count > 0 else -np.inf
            kept = np.flatnonzero(km <= cutoff)
            positions, km = _by_distance(self.nearby_rows[kept], km[kept])
            return self._frame(positions[:count], km[:count])
        return self._frame(*_by_distance(self.nearby_rows, km))

    @cached_property
    def nearby(self) -> pd.DataFrame:
        return self._frame(*self._ordered(self.nearby_rows))

    @cached_property
    def serve_everyone(self) -> pd.DataFrame:
        return self._frame(*self._ordered(self.serve_everyone_rows))

    @cached_property
    def unplaced(self) -> pd.DataFrame:
        """Listed without distances: they are unknown."""
        return self._frame(self.unplaced_rows, None)

    @cached_property
    def shown(self) -> pd.DataFrame:
        """Every listed row, in the order the page lists them (one copy of the rows).

        Without a searched place every listed row is in :attr:`nearby`, in the same order:
        the same frame, not a second copy of every row (a whole-directory copy per filter
        change at 100,000 rows)."""
        if self.distances is None:
            return self.nearby
        return self._frame(*self._shown_positions)

    @cached_property
    def rows_key(self) -> str:
        """A digest naming the rows of :attr:`shown`, in their order, in this directory (a
        cache key for what is drawn from them, such as the map's deck).

        From the row positions and :attr:`directory_key`: a millisecond at 100,000 rows,
        where joining and hashing the rows' ids took tens of milliseconds per rerun."""
        digest = hashlib.blake2b(self.directory_key.encode(), digest_size=16)
        digest.update(np.ascontiguousarray(self._shown_order, dtype=np.int64).tobytes())
        return digest.hexdigest()

    @cached_property
    def _shown_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """The positions and kilometres of :attr:`shown` (with a searched place)."""
        groups = (self._ordered(self.nearby_rows), self._ordered(self.serve_everyone_rows))
        unknown = np.full(len(self.unplaced_rows), np.nan)
        positions = np.concatenate([*(rows for rows, _ in groups), self.unplaced_rows])
        return positions, np.concatenate([*(km for _, km in groups), unknown])

    def _ordered(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        if self.distances is None:
            return positions, None
        return _by_distance(positions, self.distances.of(positions))

    def shown_points(self) -> np.ndarray | None:
        """The map's serialised point (:data:`~explorer.directory.map_points.POINT_COLUMN`)
        of each row of :attr:`shown`, in order; None when the directory has none.

        Read only when a map is built for these rows: the frames leave that column out
        (copying every row's point JSON was a third of a filter change at 100,000 rows)."""
        if POINT_COLUMN not in self.listed.columns:
            return None
        return self.listed[POINT_COLUMN].take(self._shown_order).to_numpy()

    @property
    def _shown_order(self) -> np.ndarray:
        """The positions of :attr:`shown`'s rows, in order."""
        return self._shown_positions[0] if self.distances is not None else self.nearby_rows

    @cached_property
    def _frame_columns(self) -> pd.DataFrame:
        """The listed columns the frames copy: all but the map's points (see
        :meth:`shown_points`)."""
        return self.listed.drop(columns=[POINT_COLUMN], errors="ignore")

    def _frame(self, positions: np.ndarray, km: np.ndarray | None) -> pd.DataFrame:
        rows = self._frame_columns.take(positions)
        if km is None:
            return rows
        return rows.assign(distance_km=km, distance=km / self.km_per_unit)


def _by_distance(positions: np.ndarray, km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions and distances, nearest first (ties keep directory order)."""
    order = np.argsort(km, kind="stable")
    return positions[order], km[order]


_NO_ROWS = np.empty(0, dtype=np.intp)


@dataclass(frozen=True, eq=False)
class Distances:
    """Great-circle distances from one place to directory rows, computed for the rows asked
    about only (a 100,000-row directory costs milliseconds per full pass)."""

    latitude: float
    longitude: float
    latitudes: np.ndarray = field(repr=False)
    longitudes: np.ndarray = field(repr=False)

    def of(self, positions: np.ndarray) -> np.ndarray:
        """Kilometres to the rows at ``positions``."""
        return haversine_km(
            self.latitude, self.longitude, self.latitudes[positions], self.longitudes[positions]
        )

    def within(self, positions: np.ndarray, radius_km: float | None) -> np.ndarray:
        """Which of the (placed) rows at ``positions`` lie within ``radius_km``.

        A latitude/longitude box around the place rules out most rows with a few
        comparisons; distances are measured for the rows inside the box only.
        """
        if radius_km is None:
            return np.ones(len(positions), dtype=bool)
        candidates = np.flatnonzero(self._in_box(positions, radius_km))
        within = np.zeros(len(positions), dtype=bool)
        within[candidates] = self.of(positions[candidates]) <= radius_km
        return within

    def _in_box(self, positions: np.ndarray, radius_km: float) -> np.ndarray:
        """A box that holds every point within ``radius_km`` (a little more, never less)."""
        angle = radius_km / EARTH_RADIUS_KM * _BOX_MARGIN
        dlat = np.degrees(angle)
        inside = np.abs(self.latitudes[positions] - self.latitude) <= dlat
        spread = math.sin(angle) / math.cos(math.radians(self.latitude))
        if abs(self.latitude) + dlat >= 90 or angle >= math.pi / 2 or spread >= 1:
            return inside  # the box reaches a pole or wraps: every longitude
        dlon = np.degrees(math.asin(spread))
        offset = (self.longitudes[positions] - self.longitude + 180.0) % 360.0 - 180.0
        return inside & (np.abs(offset) <= dlon)


_BOX_MARGIN = 1.001
"""Widens the pre-filter box so rounding never drops a row on the radius itself."""


def filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Rows matching every non-location filter (all filters combine with AND).

    Kept per process for each frame and filters (the place, radius, unit and closed switch
    left out: they do not change it), so a search of a new place does not scan the text
    columns again (a substring scan of 100,000 rows is about 5 ms). Read-only."""
    return _MASKS(
        frame, dataclasses.replace(filters, place="", radius=None, unit="km", show_closed=False)
    )


def _filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    if filters.disorder:
        tag = f" {filters.disorder} "
        mask &= frame["disorder_tags"].str.contains(tag, regex=False).to_numpy(dtype=bool)
    if filters.org_types:
        mask &= frame["org_type"].isin(filters.org_types).to_numpy()
    if filters.countries:
        mask &= frame["country"].isin(filters.countries).to_numpy()
    for channel in filters.channels:
        if channel in CHANNELS:
            mask &= frame[channel].to_numpy(dtype=bool)
    words = normalize(filters.text).split()
    for word in words:
        mask &= frame["search_text"].str.contains(word, regex=False).to_numpy()
    mask.flags.writeable = False  # shared between sessions
    return mask


_MASKS: PerFrame[Filters, np.ndarray] = PerFrame(_filter_mask, max_entries=32)


def search(frame: pd.DataFrame, filters: Filters, place: PlaceResult | None = None) -> Results:
    """Apply the filters, then (with a found place) measure distances and apply the radius.

    Works on row positions and numpy arrays only: the groups' frames (with the
    :data:`~explorer.directory.table.LISTED_COLUMNS` only) are built by :class:`Results` when first
    read, so a search that lists ten rows does not copy or sort 100,000.

    Kept per process for each frame, filters and place (:data:`_KEPT`): every session that
    opens the page, or searches a place another has searched, gets the same results, with
    the frames already built; treat them as read-only.
    """
    return _KEPT(frame, (filters, place))


def directory_key(frame: pd.DataFrame) -> str:
    """A digest of the directory's ids in order (computed once per frame and process): two
    directories with other rows, or the same rows in another order, get other keys."""
    return _DIRECTORY_KEYS(frame, None)


def _ids_digest(frame: pd.DataFrame, _: None) -> str:
    ids = "\x1f".join(frame["id"].astype(str).tolist())
    return hashlib.blake2b(ids.encode(), digest_size=16).hexdigest()


_DIRECTORY_KEYS: PerFrame[None, str] = PerFrame(_ids_digest, max_entries=8)


def _search(frame: pd.DataFrame, query: tuple[Filters, PlaceResult | None]) -> Results:
    filters, place = query
    mask = filter_mask(frame, filters)
    listed = listing(frame)
    key = directory_key(frame)
    if place is None or not place.found:
        return Results(listed, np.flatnonzero(mask), place=place, directory_key=key)
    closed = (frame["status"] == "closed").to_numpy(dtype=bool) & mask
    if not filters.show_closed:
        mask = mask & ~closed  # a closed organization cannot help anyone near them
    matched = np.flatnonzero(mask)
    latitudes = frame["latitude"].to_numpy(dtype=float)
    on_map = ~np.isnan(latitudes[matched])
    placed = matched[on_map]
    distances = Distances(
        place.latitude, place.longitude, latitudes, frame["longitude"].to_numpy(dtype=float)
    )
    within = distances.within(placed, filters.radius_km)
    wide_reach = _serves_everyone_in(frame, place.country)[placed]
    return Results(
        listed,
        placed[within],
        placed[~within & wide_reach],
        matched[~on_map],
        beyond=int((~within & ~wide_reach).sum()),
        place=place,
        closed_hidden=0 if filters.show_closed else int(closed.sum()),
        distances=distances,
        km_per_unit=KM_PER_MILE if filters.unit == "mi" else 1.0,
        directory_key=key,
    )


def _serves_everyone_in(frame: pd.DataFrame, country: str) -> np.ndarray:
    """Per row: international, or national in ``country``. Compared on the categorical
    columns' integer codes (a category the frame lacks matches nothing)."""
    reach = frame["reach"].cat
    codes = reach.codes.to_numpy()
    wide = codes == _category_code(reach.categories, "international")
    national = codes == _category_code(reach.categories, "national")
    countries = frame["country"].cat
    in_country = countries.codes.to_numpy() == _category_code(countries.categories, country)
    return wide | (national & in_country)


def _category_code(categories: pd.Index, value: str) -> int:
    """The code of ``value`` among ``categories``; -2 (never a code) when it is absent."""
    found = categories.get_indexer([value])[0]
    return int(found) if found >= 0 else -2


KEPT_ROWS_MIN = 5_000
"""Rows of results kept per process however small the directory (see :data:`_KEPT`)."""
KEPT_DIRECTORIES = 2
"""Rows of results kept per process, in directories' worth: the unfiltered list (the page's
default, one directory) and as many rows again of other searches. With one directory's worth,
the unfiltered list pushed every other result out and was pushed out by any: going back and
forth between it and one filter computed every result, table page and list again (every
filter change of the benchmark's cycle at 10,000 and 100,000 rows, none at 1,000)."""
_KEPT: PerFrame[tuple[Filters, PlaceResult | None], Results] = PerFrame(
    _search,
    max_entries=64,
    weight=len,
    max_weight=lambda frame: max(KEPT_DIRECTORIES * len(frame), KEPT_ROWS_MIN),
)
"""Results by (filters, place). Bounded by rows, not only by entries: a result holds copies
of its rows once read (26 MB for every row of a 100,000-row directory), so
:data:`KEPT_DIRECTORIES` directories' worth of rows is kept in all (the least recently used
results go first)."""
