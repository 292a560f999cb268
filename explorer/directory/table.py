"""The directory: one table row per organization, the columns every listing and filter reads.

The catalog (frozen records) is turned once into a column table (:func:`directory_frame`);
each filter change is then a few vectorised numpy/pandas operations over it
(:mod:`explorer.directory.search`), so a rerun stays fast at 100,000 organizations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.directory.filters import CHANNELS
from explorer.links import safe_tel
from explorer.lookup_key import normalize
from explorer.models import Organization, Phone
from explorer.reading.phones import tel_uri

PRECISION_LABELS = {
    "postal_code": "placed by postal code",
    "city": "placed at the city centre",
    "region": "placed at the state/province centre (approximate)",
    "country": "placed at the country centre (approximate)",
    "none": "not on the map",
}


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
    Python strings here; what the app keeps goes through one Arrow table
    (:mod:`explorer.stored`), so the pages see Arrow strings whether the disk cache was hit
    or not. The columns the page's
    tables show are Arrow strings (:data:`TABLE_TEXT`): ``st.dataframe`` sends Arrow,
    and converting object columns took most of a 100,000-row rerun. The two searched
    columns are Arrow strings too, whose substring search is vectorised:
    ``search_text`` (normalised name and address, for the text filter) and
    ``disorder_tags`` (`` id1 id2 ``, for the disorder filter). ``main_phone_tel`` is
    checked by :func:`~explorer.links.safe_tel` here, once, not on every rerun.
    """
    rows = [_row(org) for org in organizations]
    columns = zip(*rows, strict=True) if rows else [()] * len(_COLUMNS)
    cells = dict(zip(_COLUMNS, columns, strict=True))
    # The derived columns read the cells, not the frame: its Arrow-backed text columns
    # are slow to iterate value by value.
    cells["search_text"] = [
        normalize(f"{name} {address} {city} {region} {country}")
        for name, address, city, region, country in zip(
            cells["name"],
            cells["address"],
            cells["city"],
            cells["state_province"],
            cells["country"],
            strict=True,
        )
    ]
    cells["disorder_tags"] = [f" {tags} " for tags in cells["disorders"]]
    return pd.DataFrame(
        {name: pd.Series(values, dtype=_DTYPES.get(name, object)) for name, values in cells.items()}
    )


LISTED_COLUMNS = (
    "id", "name", "org_type", "city", "state_province", "country", "address",
    "latitude", "longitude", "geocode_precision", "geocode_reason", "main_phone",
    "main_phone_tel", "status", "currency",
)  # fmt: skip
"""What a listing (tables, result list, map, CLI) reads. They come first in the frame, so
:func:`listing` is a cheap column slice and :func:`explorer.directory.search.search` copies
only these rows' cells."""
FILTER_COLUMNS = (
    "reach", "geocode_matched", *CHANNELS, "disorders", "source", "search_text",
    "disorder_tags",
)  # fmt: skip
"""Columns only filters and look-ups read; they follow the listed ones (the last two are
derived in :func:`directory_frame`)."""
_COLUMNS = [*LISTED_COLUMNS, *FILTER_COLUMNS[:-2]]
TABLE_TEXT = ("name", "city", "state_province", "main_phone_tel")
"""Text columns the directory tables show, stored as Arrow strings (pandas' ``str``)."""
CATEGORY_COLUMNS = ("org_type", "reach", "country", "geocode_precision", "status", "currency")
"""Columns of few distinct values, kept categorical (categories sorted, as pandas makes them)."""
_DTYPES = (
    {"latitude": float, "longitude": float}
    | dict.fromkeys(CHANNELS, bool)
    | dict.fromkeys(CATEGORY_COLUMNS, "category")
    | dict.fromkeys((*TABLE_TEXT, *FILTER_COLUMNS[-2:]), "str")
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
