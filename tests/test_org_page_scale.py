"""The Organizations page at 20,000 synthetic organizations: a grouped map whose points near a
search still open the right card, and a directory table that shows 100 rows a page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.synthetic import write_dataset
from components.directory_table import PAGE_ROWS
from components.org_map import (
    APPROXIMATE_LAYER,
    GROUP_LAYER,
    PRECISE_LAYER,
    point_layer_kind,
    selected_id,
)
from explorer.directory.map_view import AGGREGATE_ABOVE
from tests.apptest_helpers import run_app

SIZE = 20_000
PLACE, RADIUS = "Detroit, MI", "100"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(SIZE, tmp_path_factory.mktemp("scale") / "data")


def organizations_page(monkeypatch: pytest.MonkeyPatch, data: Path, **params: str):
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    at = run_app("pages/organizations.py", all="1", **params)  # every report's organizations
    assert not at.exception
    return at


def layers(at) -> dict[str, list[dict]]:
    """Each layer's data by id; a clickable layer's by its kind (its id names the rows)."""
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {point_layer_kind(layer["id"]): layer.get("data") for layer in spec["layers"]}


def test_a_map_of_20000_groups_them_and_says_so(monkeypatch, big: Path):
    """With no search every organization is in a numbered group (no single points), the
    counts add up to what is on the map, and the legend and a caption say so."""
    at = organizations_page(monkeypatch, big)
    data = layers(at)
    groups = data[GROUP_LAYER]
    assert data[PRECISE_LAYER] == [] and data[APPROXIMATE_LAYER] == []
    assert sum(group["count"] for group in groups) > AGGREGATE_ABOVE
    assert len(groups) < 1_000, "a few hundred areas, not thousands of points"
    assert data[f"{GROUP_LAYER}-counts"] == groups
    assert any("organizations grouped by area" in m.value for m in at.markdown)
    assert any(c.value.startswith("The map groups") for c in at.caption)


def test_a_point_near_a_search_on_a_grouped_map_opens_its_card(monkeypatch, big: Path):
    """Near Detroit within 100 km the nearby organizations are single points, the rest
    grouped; the event deck.gl sends for a click on one of them names that organization,
    and opening it (as the map's callback does, by ``org``) shows its card."""
    at = organizations_page(monkeypatch, big, place=PLACE, radius=RADIUS)
    data = layers(at)
    points = data[PRECISE_LAYER] + data[APPROXIMATE_LAYER]
    grouped = sum(group["count"] for group in data[GROUP_LAYER])
    assert 0 < len(points) <= AGGREGATE_ABOVE and grouped > AGGREGATE_ABOVE
    nearby = at.dataframe[0].value
    assert set(nearby["Organization"]) >= {point["name"] for point in points[:5]}
    clicked = points[len(points) // 2]
    event = {"selection": {"indices": {PRECISE_LAYER: [0]}, "objects": {PRECISE_LAYER: [clicked]}}}
    assert selected_id(event) == clicked["id"]
    assert selected_id({"selection": {"objects": {GROUP_LAYER: [data[GROUP_LAYER][0]]}}}) == ""
    at = organizations_page(monkeypatch, big, place=PLACE, radius=RADIUS, org=clicked["id"])
    card = at.get("flex_container")  # the card's bordered container
    assert card, "a card is drawn"
    assert clicked["name"] in [h.value.replace("\\", "") for h in at.subheader]


def test_the_directory_table_shows_100_rows_a_page(monkeypatch, big: Path):
    """The whole directory is one table of 100 rows with the total and page controls; the
    second page holds rows 101-200 and the first page's rows are gone."""
    at = organizations_page(monkeypatch, big)
    table = at.dataframe[0].value
    assert len(table) == PAGE_ROWS
    pager = at.get("pagination")[0]
    assert pager.num_pages > 1
    assert any("Rows 1–100 of" in c.value for c in at.caption)
    first = list(table["Organization"])
    pager.set_value(2).run()
    second = list(at.dataframe[0].value["Organization"])
    assert len(second) == PAGE_ROWS and not set(first) & set(second)
    assert any("Rows 101–200 of" in c.value for c in at.caption)
