"""The sidebar's "Show closed organizations" switch, through the whole app (AppTest)."""

from __future__ import annotations

import pandas as pd

from tests.apptest_helpers import org_points, run_app

CLOSED = "Neutropenia Support Association, Inc."


def _listed(at) -> set[str]:
    """Names on the map and in every table of the page."""
    tables = {name for frame in at.dataframe for name in frame.value["Organization"]}
    return tables | {point["name"] for point in org_points(at)}


def test_closed_organization_hidden_near_me_until_switched_on():
    """Near Winnipeg the closed association is left out and counted; the switch lists it,
    marked closed, with no call link in its row."""
    at = run_app("pages/organizations.py", place="R3M 3S7")
    assert not at.exception
    assert CLOSED not in _listed(at)
    assert any("closed organization(s) left out" in c.value for c in at.caption)
    at.sidebar.toggle(key="closed").set_value(True).run()
    assert not at.exception
    assert CLOSED in _listed(at)
    nearest = at.dataframe[0].value.iloc[0]
    assert (nearest["Organization"], nearest["Status"]) == (CLOSED, "closed")
    assert pd.isna(nearest["Phone"])
    assert not pd.isna(at.dataframe[0].value.iloc[1]["Phone"])  # an open one keeps its number
    result_list = " ".join(fragment.proto.body for fragment in at.get("html"))
    assert "<strong>closed</strong>" in result_list
    assert 'href="tel:+1-204' not in result_list
