"""The searchable directory: one table row per organization, filters and near-me ordering.

The catalog (frozen records) is turned once into a column table (:func:`directory_frame`);
each filter change is then a few vectorised numpy/pandas operations over it, so a
rerun stays fast at 100,000 organizations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from explorer.catalog import Catalog, load_catalog
from explorer.classify import load_overrides, make_classifier
from explorer.contact_status import load_contact_status, make_corrector
from explorer.distance import KM_PER_MILE, haversine_km
from explorer.gazetteer import normalize
from explorer.geocode import geocode
from explorer.links import safe_tel
from explorer.models import Organization, Phone
from explorer.phones import tel_uri
from explorer.places import PlaceResult, uk_outward_code

CHANNELS = {
    "toll_free": "Toll-free phone",
    "textphone": "TTY/TDD",
    "fax": "Fax",
    "email": "Email",
    "website": "Website",
}
"""Contact channels a user can require, keyed by the directory column that flags them."""

RADIUS_CHOICES = (25, 50, 100, 250, 500, None)
"""Radius options in the chosen unit; None means any distance."""
RADIUS_OPTIONS = ("any", *(str(r) for r in RADIUS_CHOICES if r is not None))
"""The same as the text a widget or a link holds; "any distance" first."""
UNITS = ("km", "mi")

PRECISION_LABELS = {
    "postal_code": "placed by postal code",
    "city": "placed at the city centre",
    "region": "placed at the state/province centre (approximate)",
    "country": "placed at the country centre (approximate)",
    "none": "not on the map",
}


def build_catalog(data_dir: Path) -> Catalog:
    """The app's and CLI's catalog: parsed, merged, classified and geocoded organizations."""
    overrides, override_issues = load_overrides(data_dir)
    corrections, status_issues = load_contact_status(data_dir)
    catalog = load_catalog(
        data_dir,
        classify=make_classifier(overrides),
        locate=lambda org: geocode(org.address),
        correct=make_corrector(corrections),
    )
    curated_issues = tuple(override_issues + status_issues)
    if not curated_issues:
        return catalog
    return Catalog(
        catalog.data_dir,
        catalog.disorders,
        catalog.organizations,
        catalog.issues + curated_issues,
    )


def uk_postcode_towns(organizations: tuple[Organization, ...]) -> dict[str, str]:
    """UK postcode districts (outward codes) → the post town printed with them, from the
    listed organizations' addresses: lets a near-me search for a bare UK postcode suggest
    its town (no packaged gazetteer ships UK postcodes)."""
    towns: dict[str, str] = {}
    for org in organizations:
        address = org.address
        if (
            address.country == "GB"
            and address.city
            and (outward := uk_outward_code(address.postal_code))
        ):
            towns.setdefault(outward, address.city)
    return towns


def main_phone(org: Organization) -> Phone | None:
    """The number to show first: the first valid voice line, else the first line."""
    voice = [p for p in org.phones if p.type == "voice" and p.valid]
    return (voice or list(org.phones) or [None])[0]


def _row(org: Organization) -> tuple:
    """One organization's cells, in :data:`_COLUMNS` order."""
    loc = org.location
    address = org.address
    phone = main_phone(org)
    return (
        org.id,
        org.name,
        org.org_type,
        (loc.city if loc and loc.city else "") or address.city,
        address.state_province or (loc.state_province if loc else ""),
        address.country or (loc.country if loc else ""),
        ", ".join(address.lines),
        loc.latitude if loc and loc.on_map else np.nan,
        loc.longitude if loc and loc.on_map else np.nan,
        loc.precision if loc else "none",
        loc.reason if loc else "not geocoded",
        phone.international if phone else "",
        safe_tel(tel_uri(phone.number)) if phone and phone.valid and not org.is_closed else "",
        org.status.status,
        org.currency,
        org.reach,
        loc.matched if loc else "",
        any(p.toll_free for p in org.phones),
        any(p.type == "textphone" for p in org.phones),
        any(p.type == "fax" for p in org.phones),
        bool(org.email),
        bool(org.website),
        " ".join(org.disorders),
        str(org.source),
    )


def directory_frame(organizations: tuple[Organization, ...]) -> pd.DataFrame:
    """One row per organization with the columns every filter, table, map and export use.

    Built column by column in one pass over the records: several times faster than a
    frame from a list of dicts at 100,000 rows. Most text columns hold the records' own
    Python strings (object dtype: no copy, and fast to iterate). The columns the page's
    tables show are Arrow strings (:data:`TABLE_TEXT`): ``st.dataframe`` sends Arrow,
    and converting object columns took most of a 100,000-row rerun. The two searched
    columns are Arrow strings too, whose substring search is vectorised:
    ``search_text`` (normalised name and address, for the text filter) and
    ``disorder_tags`` (`` id1 id2 ``, for the disorder filter). ``main_phone_tel`` is
    checked by :func:`~explorer.links.safe_tel` here, once, not on every rerun.
    """
    rows = [_row(org) for org in organizations]
    cells = zip(*rows, strict=True) if rows else [()] * len(_COLUMNS)
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=_DTYPES.get(name, object))
            for name, values in zip(_COLUMNS, cells, strict=True)
        }
    )
    frame["search_text"] = pd.Series(
        [
            normalize(f"{name} {address} {city} {region} {country}")
            for name, address, city, region, country in zip(
                frame["name"],
                frame["address"],
                frame["city"],
                frame["state_province"],
                frame["country"],
                strict=True,
            )
        ],
        dtype="str",
    )
    frame["disorder_tags"] = pd.Series([f" {tags} " for tags in frame["disorders"]], dtype="str")
    return frame


LISTED_COLUMNS = (
    "id", "name", "org_type", "city", "state_province", "country", "address",
    "latitude", "longitude", "geocode_precision", "geocode_reason", "main_phone",
    "main_phone_tel", "status", "currency",
)  # fmt: skip
"""What a listing (tables, result list, map, CLI) reads. They come first in the frame, so
:func:`listing` is a cheap column slice and :func:`search` copies only these rows' cells."""
FILTER_COLUMNS = (
    "reach", "geocode_matched", *CHANNELS, "disorders", "source", "search_text",
    "disorder_tags",
)  # fmt: skip
"""Columns only filters and look-ups read; they follow the listed ones (the last two are
derived in :func:`directory_frame`)."""
_COLUMNS = [*LISTED_COLUMNS, *FILTER_COLUMNS[:-2]]
TABLE_TEXT = ("name", "city", "state_province", "main_phone_tel")
"""Text columns the directory tables show, stored as Arrow strings (pandas' ``str``)."""
_DTYPES = (
    {"latitude": float, "longitude": float}
    | dict.fromkeys(CHANNELS, bool)
    | dict.fromkeys(("org_type", "reach", "country", "geocode_precision", "status"), "category")
    | dict.fromkeys(TABLE_TEXT, "str")
)
"""Column dtypes other than object (text). Few distinct values are categorical: filters and
comparisons then work on small integer codes, and the column takes little memory."""


def listing(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its filter-only columns: a slice, so no cell is copied."""
    return frame.iloc[:, : frame.columns.get_loc(FILTER_COLUMNS[0])]


def with_listed_column(frame: pd.DataFrame, name: str, values: pd.Series) -> pd.DataFrame:
    """A copy of the directory with one more column that listings carry (e.g. map points)."""
    frame = frame.copy(deep=False)
    frame.insert(frame.columns.get_loc(FILTER_COLUMNS[0]), name, values)
    return frame


@dataclass(frozen=True, slots=True)
class Filters:
    """Everything a user can set in the sidebar; hashable so it can key caches and map keys."""

    disorder: str = ""
    org_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    text: str = ""
    place: str = ""
    radius: int | None = None
    unit: str = "km"
    show_closed: bool = False

    @property
    def radius_km(self) -> float | None:
        if self.radius is None:
            return None
        return self.radius * KM_PER_MILE if self.unit == "mi" else float(self.radius)


@dataclass(frozen=True)
class Results:
    """Filtered rows split the way the page shows them.

    ``nearby``: within the radius (all matches when no place is searched), nearest first.
    ``serve_everyone``: organizations outside the radius that serve the searched place
    anyway — international ones, and national ones of the place's country — kept visible
    because they help by phone or online wherever you live. ``unplaced``: matches whose
    address could not be placed, so their distance is unknown (listed, never dropped).
    ``beyond``: how many local organizations the radius hid. ``closed_hidden``: how many
    closed organizations a near-me search left out (``Filters.show_closed`` shows them).
    """

    nearby: pd.DataFrame
    serve_everyone: pd.DataFrame
    unplaced: pd.DataFrame
    beyond: int = 0
    place: PlaceResult | None = None
    closed_hidden: int = 0

    @property
    def shown(self) -> pd.DataFrame:
        """Every listed row, in the order the page lists them."""
        return pd.concat([self.nearby, self.serve_everyone, self.unplaced])


def filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Rows matching every non-location filter (all filters combine with AND)."""
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
    return mask


def search(frame: pd.DataFrame, filters: Filters, place: PlaceResult | None = None) -> Results:
    """Apply the filters, then (with a found place) measure distances and apply the radius.

    Works on row positions and numpy arrays, and takes each listed group out of the frame
    once, already in distance order and with the :data:`LISTED_COLUMNS` only: sorting or
    re-filtering whole frames would copy every column several times (tens of
    milliseconds at 100,000 rows).
    """
    mask = filter_mask(frame, filters)
    listed = listing(frame)
    if place is None or not place.found:
        rows = listed.take(np.flatnonzero(mask))
        empty = rows.iloc[0:0]
        return Results(nearby=rows, serve_everyone=empty, unplaced=empty, place=place)
    closed = (frame["status"] == "closed").to_numpy(dtype=bool) & mask
    if not filters.show_closed:
        mask &= ~closed  # a closed organization cannot help anyone near them
    matched = np.flatnonzero(mask)
    latitudes = frame["latitude"].to_numpy(dtype=float)[matched]
    on_map = ~np.isnan(latitudes)
    placed = matched[on_map]
    distances = haversine_km(
        place.latitude,
        place.longitude,
        latitudes[on_map],
        frame["longitude"].to_numpy(dtype=float)[placed],
    )
    radius_km = filters.radius_km
    within = np.ones(len(distances), bool) if radius_km is None else distances <= radius_km
    reach = frame["reach"]
    wide_reach = (
        (reach == "international") | ((reach == "national") & (frame["country"] == place.country))
    ).to_numpy()[placed]
    factor = KM_PER_MILE if filters.unit == "mi" else 1.0

    def nearest_first(selected: np.ndarray) -> pd.DataFrame:
        order = np.argsort(distances[selected], kind="stable")
        km = distances[selected][order]
        return listed.take(placed[selected][order]).assign(distance_km=km, distance=km / factor)

    return Results(
        nearby=nearest_first(within),
        serve_everyone=nearest_first(~within & wide_reach),
        unplaced=listed.take(matched[~on_map]),
        beyond=int((~within & ~wide_reach).sum()),
        place=place,
        closed_hidden=0 if filters.show_closed else int(closed.sum()),
    )
