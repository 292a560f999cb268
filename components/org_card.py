"""The organization card: everything needed to reach one organization, how current it is,
and where it came from."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import page_state
from components.directory_table import CARD_VIEW, org_picker
from components.text import link, plain, tel_html
from explorer.directory.table import PRECISION_LABELS
from explorer.links import safe_email, safe_web_url
from explorer.models import Address, ListedContact, Organization, Phone
from explorer.places.directions import directions_link
from explorer.places.resolve import PlaceResult
from explorer.reading.currency_text import listed_for

PHONE_KIND = {"voice": "Phone", "fax": "Fax", "textphone": "TTY/TDD", "cell": "Mobile"}
STATUS_HEADLINES = {
    "moved": "Moved: the details below are the current ones",
    "renamed": "Renamed: the details below are the current ones",
    "active": "Checked and current",
}


def phone_line_html(phone: Phone, *, dialable: bool) -> str:
    """``Phone · toll-free: +1 810-229-5797`` (HTML for ``st.html``), the number a ``tel:``
    link that opens in place when it may be dialled, else text."""
    kind = PHONE_KIND.get(phone.type, "Phone")
    extra = " · toll-free" if phone.toll_free else ""
    tel = f"tel:{phone.number}" if dialable and phone.valid else ""
    unchecked = "" if phone.valid else " (not a valid number for its country: check it)"
    return f"{kind}{extra}: {tel_html(phone.international, tel)}{unchecked}"


def _address_lines(address: Address) -> str:
    return "  \n".join(plain(line) for line in address.lines)


def _status_notice(org: Organization) -> None:
    """Closed, moved, renamed or checked, with its source and date; or plainly unverified."""
    status = org.status
    source = link(status.source_url, safe_web_url(status.source_url))
    note = f" {plain(status.note)}" if status.note else ""
    if status.status == "closed":
        st.error(
            f"**Closed.**{note} Source: {source}, checked {status.checked}. "
            "Do not call or travel there.",
            icon=":material/block:",
        )
    elif status.status in STATUS_HEADLINES:
        st.info(
            f"**{STATUS_HEADLINES[status.status]}.**{note} Source: {source}, "
            f"checked {status.checked}.",
            icon=":material/update:",
        )
    else:
        st.warning(
            "**Not verified.** Nobody has checked these details against the organization "
            "since the report was retrieved. Check before you call or travel.",
            icon=":material/help:",
        )


def _listed_as(listed: ListedContact) -> None:
    """The report's original details, below the current ones (never as links)."""
    lines = [f"**{plain(listed.name)}**", _address_lines(listed.address)]
    lines += [f"{PHONE_KIND.get(p.type, 'Phone')}: {plain(p.international)}" for p in listed.phones]
    lines += [plain(value) for value in (listed.email, listed.website) if value]
    with st.expander("Listed in the report as …"):
        st.markdown("  \n".join(line for line in lines if line))
        st.caption("Kept for reference only: these details are out of date.")


def render_org_card(
    org: Organization,
    *,
    place: PlaceResult | None = None,
    disorder_titles: Mapping[str, str] | None = None,
) -> None:
    """Status, name, address, phones (``tel:`` links unless closed), email/web, currency, source."""
    with st.container(border=True, key="org_card"):
        st.subheader(plain(org.name))
        st.caption(f"{plain(org.org_type)} · serves: {org.reach}")
        _status_notice(org)
        address, contact = st.columns(2)
        with address:
            st.markdown("**Address**")
            st.markdown(_address_lines(org.address) or "No address given.")
            loc = org.location
            if loc is not None and loc.on_map:
                st.caption(f"Map: {PRECISION_LABELS[loc.precision]} — {plain(loc.matched)}")
            elif loc is not None:
                st.caption(f"Not on the map: {plain(loc.reason)}")
            if way := directions_link(org, place):
                st.link_button(way.label, way.url, icon=":material/directions:")
                if way.note:
                    st.caption(way.note)
        with contact:
            st.markdown("**Contact**")
            for phone in org.phones:
                dialable = phone.type != "fax" and not org.is_closed
                st.html(phone_line_html(phone, dialable=dialable))
            if email := safe_email(org.email):
                st.markdown(f"Email: {link(email, '' if org.is_closed else f'mailto:{email}')}")
            if website := safe_web_url(org.website):
                st.markdown(f"Website: {link(website, website)}")
            if not org.phones and not org.email and not org.website:
                st.caption("No contact details given.")
        if org.as_listed is not None:
            _listed_as(org.as_listed)
        st.markdown(f"Contact details {plain(org.currency)}.")
        sources = [str(source) for source in org.sources]
        if org.status.source.file:
            sources.append(str(org.status.source))
        st.caption(
            f"Source: {'; '.join(f'`{s}`' for s in sources)} (data file and line). "
            "Listed for: "
            + plain(listed_for([(disorder_titles or {}).get(d, d) for d in org.disorders]))
            + "."
        )


@st.fragment(key=CARD_VIEW)
def org_card_view(
    rows: pd.DataFrame,
    by_id: Mapping[str, Organization],
    *,
    place: PlaceResult | None = None,
    disorder_titles: Mapping[str, str] | None = None,
) -> None:
    """The picker and the chosen organization's card, as one fragment.

    Choosing an organization (picker, map point or table row) reruns only this: the
    search, the map and the tables are not rebuilt or resent (the choice writes the URL's
    ``org`` itself).
    """
    org_picker(rows)
    chosen = by_id.get(page_state.selected_org())
    if chosen:
        render_org_card(chosen, place=place, disorder_titles=disorder_titles)
    else:
        st.info("Choose an organization above, on the map or in a table to see how to reach it.")
