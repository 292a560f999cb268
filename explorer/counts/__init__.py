"""The neutrophil count diary: counts read and checked, a cycle looked for, a PDF made.

:mod:`.reading` reads a CSV (units, decimal commas, date orders) and checks typed or read
rows; :mod:`.cycle` looks for a cycle (Lomb–Scargle); :mod:`.diary` writes the diary back
as CSV; :mod:`.notes` loads the cited lines the page and PDF print; :mod:`.pdf` makes the
clinician's page; :mod:`.cli` is ``python -m explorer counts``. Nothing here writes a
count anywhere: the functions take bytes or records and return bytes or records.
"""

from __future__ import annotations

from explorer.counts.cycle import SEVERE, Estimate, estimate_cycle
from explorer.counts.reading import (
    MAX_UPLOAD_BYTES,
    PLAUSIBLE_MAX,
    Upload,
    check_entries,
    guess_unit,
    read_upload,
)
from explorer.counts.records import (
    DATE_ORDERS,
    DAY_FIRST,
    MONTH_FIRST,
    UNITS,
    Checked,
    Count,
    Entry,
    Problem,
    Unit,
)

__all__ = [
    "DATE_ORDERS",
    "DAY_FIRST",
    "MAX_UPLOAD_BYTES",
    "MONTH_FIRST",
    "PLAUSIBLE_MAX",
    "SEVERE",
    "UNITS",
    "Checked",
    "Count",
    "Entry",
    "Estimate",
    "Problem",
    "Unit",
    "Upload",
    "check_entries",
    "estimate_cycle",
    "guess_unit",
    "read_upload",
]
