"""Download buttons for the filtered directory (CSV, vCard, Open Referral HSDS)."""

from __future__ import annotations

import streamlit as st

from explorer.export import hsds_package, organizations_csv, organizations_vcard
from explorer.models import Organization


def export_buttons(organizations: tuple[Organization, ...]) -> None:
    """Three downloads of exactly the organizations listed on the page."""
    csv_column, vcard_column, hsds_column = st.columns(3)
    csv_column.download_button(
        "Download CSV",
        data=organizations_csv(organizations),
        file_name="neutropenia-organizations.csv",
        mime="text/csv",
        icon=":material/table:",
        key="export_csv",
        on_click="ignore",
    )
    vcard_column.download_button(
        "Download contacts (vCard)",
        data=organizations_vcard(organizations),
        file_name="neutropenia-organizations.vcf",
        mime="text/vcard",
        icon=":material/contacts:",
        key="export_vcard",
        on_click="ignore",
    )
    hsds_column.download_button(
        "Download Open Referral HSDS (zip)",
        data=hsds_package(organizations),
        file_name="neutropenia-organizations-hsds.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        key="export_hsds",
        on_click="ignore",
    )
