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
from explorer.distance import KM_PER_MILE, haversine_km
from explorer.gazetteer import normalize
from explorer.geocode import geocode
from explorer.models import Organization, Phone
from explorer.phones import tel_uri
from explorer.places import PlaceResult

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
    catalog = load_catalog(
        data_dir,
        classify=make_classifier(overrides),
        locate=lambda org: geocode(org.address),
    )
    if not override_issues:
        return catalog
    return Catalog(
        catalog.data_dir,
        catalog.disorders,
        catalog.organizations,
        catalog.issues + tuple(override_issues),
    )


def main_phone(org: Organization) -> Phone | None:
    """The number to show first: the first valid voice line, else the first line."""
    voice = [p for p in org.phones if p.type == "voice" and p.valid]
    return (voice or list(org.phones) or [None])[0]


def directory_frame(organizations: tuple[Organization, ...]) -> pd.DataFrame:
    """One row per organization with the columns every filter, table, map and export use."""
    rows = []
    for org in organizations:
        loc = org.location
        address = org.address
        rows.append(
            {
                "id": org.id,
                "name": org.name,
                "org_type": org.org_type,
                "reach": org.reach,
                "city": (loc.city if loc and loc.city else "") or address.city,
                "state_province": address.state_province or (loc.state_province if loc else ""),
                "country": address.country or (loc.country if loc else ""),
                "address": ", ".join(address.lines),
                "latitude": loc.latitude if loc and loc.on_map else np.nan,
                "longitude": loc.longitude if loc and loc.on_map else np.nan,
                "geocode_precision": loc.precision if loc else "none",
                "geocode_matched": loc.matched if loc else "",
                "geocode_reason": loc.reason if loc else "not geocoded",
                "main_phone": phone.national if (phone := main_phone(org)) else "",
                "main_phone_tel": tel_uri(phone.number) if phone and phone.valid else "",
                "toll_free": any(p.toll_free for p in org.phones),
                "textphone": any(p.type == "textphone" for p in org.phones),
                "fax": any(p.type == "fax" for p in org.phones),
                "email": bool(org.email),
                "website": bool(org.website),
                "disorders": " ".join(org.disorders),
                "source": str(org.source),
            }
        )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["search_text"] = [
        normalize(f"{r.name} {r.address} {r.city} {r.state_province} {r.country}")
        for r in frame.itertuples()
    ]
    return frame


_COLUMNS = [
    "id", "name", "org_type", "reach", "city", "state_province", "country", "address",
    "latitude", "longitude", "geocode_precision", "geocode_matched", "geocode_reason",
    "main_phone", "main_phone_tel", "toll_free", "textphone", "fax", "email", "website",
    "disorders", "source",
]  # fmt: skip


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
    ``beyond``: how many local organizations the radius hid.
    """

    nearby: pd.DataFrame
    serve_everyone: pd.DataFrame
    unplaced: pd.DataFrame
    beyond: int = 0
    place: PlaceResult | None = None

    @property
    def shown(self) -> pd.DataFrame:
        """Every listed row, in the order the page lists them."""
        return pd.concat([self.nearby, self.serve_everyone, self.unplaced])


def filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Rows matching every non-location filter (all filters combine with AND)."""
    mask = np.ones(len(frame), dtype=bool)
    if filters.disorder:
        mask &= frame["disorders"].str.split().apply(lambda ids: filters.disorder in ids).to_numpy()
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
    """Apply the filters, then (with a found place) measure distances and apply the radius."""
    matched = frame[filter_mask(frame, filters)]
    empty = matched.iloc[0:0]
    if place is None or not place.found:
        return Results(nearby=matched, serve_everyone=empty, unplaced=empty, place=place)
    unplaced = matched[matched["latitude"].isna()]
    matched = matched[matched["latitude"].notna()]
    distances = haversine_km(
        place.latitude,
        place.longitude,
        matched["latitude"].to_numpy(dtype=float),
        matched["longitude"].to_numpy(dtype=float),
    )
    factor = KM_PER_MILE if filters.unit == "mi" else 1.0
    with_distance = matched.assign(distance_km=distances, distance=distances / factor)
    radius_km = filters.radius_km
    within = np.ones(len(distances), bool) if radius_km is None else distances <= radius_km
    reach = with_distance["reach"]
    wide_reach = (
        (reach == "international")
        | ((reach == "national") & (with_distance["country"] == place.country))
    ).to_numpy()
    nearby = with_distance[within].sort_values("distance_km", kind="stable")
    everyone = with_distance[~within & wide_reach].sort_values("distance_km", kind="stable")
    return Results(
        nearby=nearby,
        serve_everyone=everyone,
        unplaced=unplaced,
        beyond=int((~within & ~wide_reach).sum()),
        place=place,
    )
