"""What a visitor can filter the directory by: the choices and their options, without the table.

Every page's frame reads these (a link's filters are checked on any page), so this module
imports nothing columnar: pandas, numpy and pyarrow cost a fresh server's first page about
0.4 s of CPU, and the pages that show no directory never need them.
"""

from __future__ import annotations

from dataclasses import dataclass

RADIUS_CHOICES = (25, 50, 100, 250, 500, None)
"""Radius options in the chosen unit; None means any distance."""
RADIUS_OPTIONS = ("any", *(str(r) for r in RADIUS_CHOICES if r is not None))
"""The same as the text a widget or a link holds; "any distance" first."""
UNITS = ("km", "mi")
KM_PER_MILE = 1.609344
"""International mile, exactly."""
CHANNELS = {
    "toll_free": "Toll-free phone",
    "textphone": "TTY/TDD",
    "fax": "Fax",
    "email": "Email",
    "website": "Website",
}
"""Contact channels a user can require, keyed by the directory column that flags them."""


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
