"""The organization card: everything needed to reach one organization, and where it came from."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from components.notices import link, plain
from explorer.directory import PRECISION_LABELS
from explorer.links import safe_email, safe_tel, safe_web_url
from explorer.models import Organization
from explorer.places import PlaceResult

PHONE_KIND = {"voice": "Phone", "fax": "Fax", "textphone": "TTY/TDD", "cell": "Mobile"}


def directions_url(org: Organization, place: PlaceResult | None) -> str:
    """OpenStreetMap directions from the searched place (or the map around the organization)."""
    loc = org.location
    if loc is None or not loc.on_map:
        return ""
    target = f"{loc.latitude:.5f},{loc.longitude:.5f}"
    if place is not None and place.found:
        start = f"{place.latitude:.5f},{place.longitude:.5f}"
        query = urlencode({"engine": "fossgis_osrm_car", "route": f"{start};{target}"})
        return f"https://www.openstreetmap.org/directions?{query}"
    return f"https://www.openstreetmap.org/?mlat={loc.latitude:.5f}&mlon={loc.longitude:.5f}#map=12/{loc.latitude:.5f}/{loc.longitude:.5f}"


def render_org_card(org: Organization, *, place: PlaceResult | None = None) -> None:
    """Name, address, phones as tel: links, email/web, map precision and source lines."""
    with st.container(border=True, key="org_card"):
        st.subheader(plain(org.name))
        st.caption(f"{plain(org.org_type)} · serves: {org.reach}")
        address, contact = st.columns(2)
        with address:
            st.markdown("**Address**")
            st.markdown(
                "  \n".join(plain(line) for line in org.address.lines) or "No address given."
            )
            loc = org.location
            if loc is not None and loc.on_map:
                st.caption(f"Map: {PRECISION_LABELS[loc.precision]} — {plain(loc.matched)}")
            elif loc is not None:
                st.caption(f"Not on the map: {plain(loc.reason)}")
            if url := directions_url(org, place):
                st.link_button("Directions (OpenStreetMap)", url, icon=":material/directions:")
        with contact:
            st.markdown("**Contact**")
            for phone in org.phones:
                kind = PHONE_KIND.get(phone.type, "Phone")
                extra = " · toll-free" if phone.toll_free else ""
                dialable = phone.valid and phone.type != "fax"
                tel = safe_tel(f"tel:{phone.number}") if dialable else ""
                st.markdown(f"{kind}{extra}: {link(phone.national, tel)}")
            if email := safe_email(org.email):
                st.markdown(f"Email: {link(email, f'mailto:{email}')}")
            if website := safe_web_url(org.website):
                st.markdown(f"Website: {link(website, website)}")
            if not org.phones and not org.email and not org.website:
                st.caption("No contact details given.")
        sources = "; ".join(f"`{source}`" for source in org.sources)
        st.caption(
            f"Source: {sources} (report file and line). Listed for: {', '.join(org.disorders)}. "
            "Details may be out of date — check before you travel."
        )
