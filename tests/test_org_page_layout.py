"""The Organizations page after a near-me search: results before the map (a phone reaches
them without scrolling past it), no empty table after "No organization within this
distance.", and a sea that has no edge at world zoom."""

from __future__ import annotations

import json

import pandas as pd

from components.org_map import WORLD, build_deck
from tests.apptest_helpers import run_app


def main_kinds(at) -> list[str]:
    """The main area's elements in page order, by kind (header text for headers)."""
    kinds = []
    for node in at.main:
        kind = getattr(node, "type", "")
        kinds.append(f"header:{node.value}" if kind == "header" else kind)
    return kinds


def test_the_nearest_come_before_the_map():
    """Near 48116 the "Near …" header and the numbered list come before the map."""
    at = run_app("pages/organizations.py", place="48116")
    assert not at.exception
    kinds = main_kinds(at)
    near = next(i for i, k in enumerate(kinds) if k.startswith("header:Near 48116"))
    listed = next(i for i, k in enumerate(kinds) if k == "html" and i > near)
    assert listed < kinds.index("deck_gl_json_chart")


def test_no_empty_table_after_nothing_within_the_distance():
    """Within 25 km of Honolulu nothing is listed: the page says so once, and the nearby
    table is not drawn empty below it (the national organizations still have theirs)."""
    at = run_app("pages/organizations.py", place="Honolulu, HI", radius="25")
    assert not at.exception
    assert any(m.value == "No organization within this distance." for m in at.markdown)
    keys = [table.proto.id for table in at.dataframe]
    assert not any("near-" in key for key in keys), keys
    assert all(len(table.value) for table in at.dataframe), "no table is drawn empty"


def test_the_sea_reaches_past_the_date_line():
    """At world zoom a wide map shows more than 360° of longitude: the map view repeats the
    world, the sea with it, so no white band appears west of -180° (or east of 180°), even
    with no organization to show."""
    assert sorted({lon for lon, _ in WORLD}) == [-180, 180]
    empty = pd.DataFrame(
        columns=[
            "id",
            "name",
            "latitude",
            "longitude",
            "geocode_precision",
            "city",
            "address",
            "country",
            "org_type",
        ]
    )
    spec = json.loads(build_deck(empty.astype({"latitude": float, "longitude": float})).to_json())
    assert spec["views"][0]["repeat"] is True
    sea = next(layer for layer in spec["layers"] if layer["id"] == "sea")
    assert sea["data"][0]["polygon"] == WORLD
