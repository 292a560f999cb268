"""Download buttons for the filtered directory (CSV, vCard, Open Referral HSDS).

Each file is built only when its button is clicked (Streamlit's deferred download):
building all three on every rerun took most of the page's time at 10,000 organizations.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from explorer.export import hsds_package, organizations_csv, organizations_vcard
from explorer.models import Organization

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
        hsds_package,
        "zip",
        "application/zip",
        ":material/folder_zip:",
    ),
)
"""(widget key, label, builder, file extension, MIME type, icon) of each download."""


def export_buttons(organizations: tuple[Organization, ...]) -> None:
    """Three downloads of exactly the organizations listed on the page."""
    for column, (key, label, build, extension, mime, icon) in zip(
        st.columns(len(EXPORTS)), EXPORTS, strict=True
    ):
        column.download_button(
            label,
            data=partial(build, organizations),
            file_name=f"neutropenia-organizations.{extension}",
            mime=mime,
            icon=icon,
            key=key,
            on_click="ignore",
        )
