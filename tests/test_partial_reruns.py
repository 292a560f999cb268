"""Choosing an organization reruns the card alone: the search is not run again, the card
and the link follow the choice."""

from __future__ import annotations

import pytest

import explorer.directory.search
from tests.apptest_helpers import run_app

NNN = "national-neutropenia-network-5f5ed8c6"


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the page's near-me searches (the page imports ``search`` on every run)."""
    calls: list[int] = []
    real = explorer.directory.search.search

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(explorer.directory.search, "search", counted)
    return calls


def test_choosing_an_organization_reruns_only_the_card(searches: list[int]):
    """Picking another organization changes the card and the link's ``org`` without a new
    search (a full rerun would search again)."""
    at = run_app("pages/organizations.py", place="48116", org=NNN)
    assert not at.exception
    before = len(searches)
    assert before >= 1
    assert at.subheader[0].value == "National Neutropenia Network"
    picker = at.selectbox(key="org_picker")
    assert picker.value == NNN
    other = next(name for name in picker.options if name != "National Neutropenia Network")
    picker.select(other).run()
    assert not at.exception
    assert len(searches) == before, "the search ran again: the whole page was rerun"
    assert at.subheader[0].value.replace("\\", "") == other
    assert at.query_params["org"] not in (NNN, ""), "the link names the new choice"
