"""Download buttons for the filtered directory (CSV, vCard, Open Referral HSDS).

Each file is built only when its button is clicked (Streamlit's deferred download):
building all three on every rerun took most of the page's time at 10,000 organizations.
The listed organizations' records are looked up then too; a rerun only hands over ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial

import streamlit as st

from components.data import loaded
from explorer.directory.filters import Filters
from explorer.exports.csv_vcard import organizations_csv, organizations_vcard
from explorer.exports.hsds import hsds_package
from explorer.models import Disorder, Organization


def _hsds_citing_reports(organizations: tuple[Organization, ...]) -> bytes:
    """The HSDS package, each listing citing its report's title and retrieval date."""
    return hsds_package(organizations, reports=loaded().catalog.disorders)


EXPORTS = (
    ("export_csv", "Download CSV", organizations_csv, "csv", "text/csv", ":material/table:"),
    (
        "export_vcard",
        "Download contacts (vCard)",
        organizations_vcard,
        "vcf",
        "text/vcard",
        ":material/contacts:",
    ),
    (
        "export_hsds",
        "Download Open Referral HSDS (zip)",
        _hsds_citing_reports,
        "zip",
        "application/zip",
        ":material/folder_zip:",
    ),
)
"""(widget key, label, builder, file extension, MIME type, icon) of each download."""


def _build_listed(
    build: Callable[[tuple[Organization, ...]], bytes],
    ids: Iterable[str],
    by_id: Mapping[str, Organization],
) -> bytes:
    return build(tuple(by_id[org_id] for org_id in ids))


def export_buttons(
    ids: Iterable[str], by_id: Mapping[str, Organization], *, file_stem: str
) -> None:
    """Three downloads of exactly the organizations listed on the page (``ids``, in order),
    named after what they hold (e.g. ``kostmann-disease-organizations.csv``).

    ``ids`` is read only when a button is clicked: the page passes its id column as it is
    (turning 100,000 Arrow strings into Python ones cost milliseconds on every rerun)."""
    for column, (key, label, build, extension, mime, icon) in zip(
        st.columns(len(EXPORTS)), EXPORTS, strict=True
    ):
        column.download_button(
            label,
            data=partial(_build_listed, build, ids, by_id),
            file_name=f"{file_stem}.{extension}",
            mime=mime,
            icon=icon,
            key=key,
            on_click="ignore",
        )


def export_file_stem(filters: Filters, disorder: Disorder | None) -> str:
    """File names follow what is listed: the chosen disorder's organizations, or all."""
    if filters.disorder and disorder is not None:
        return f"{disorder.id}-organizations"
    return "all-organizations"
