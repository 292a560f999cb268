"""The map's behaviour where it is deterministic: through AppTest, not the pixels of a canvas.

These replace the browser tests that read deck.gl's software-drawn canvas or repeated
clicks until one landed (``tests/browser/test_map.py`` keeps one test that the deck draws
and one that a real click opens a card):

- legend swatches are the colours the map draws → the legend's SVG colours are the colours
  of the deck's points, and the red ring joins both only after a search;
- two organizations at one ZIP can each be opened → their points are drawn apart, each
  tooltip names the other, and the map's selection of each opens its own card;
- the map's light land panel in every theme → the deck's land layer carries the land colour.
"""

from __future__ import annotations

import base64
import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from components import org_map
from explorer.directory import map_points
from tests.apptest_helpers import run_app
from tests.conftest import BUNDLED_DATA

NNN = "National Neutropenia Network"
NEIGHBOUR = "Brighton Family Circle"
ANCHOR = "Brighton, MI 48116\nTel: (810)229-5797\n"
SVG_COLOUR = re.compile(r'(fill|stroke)="rgb\((\d+),(\d+),(\d+)\)"')


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory):
    """The bundled data plus a second organization at ZIP 48116 (as the browser map test)."""
    data = tmp_path_factory.mktemp("shared") / "data"
    shutil.copytree(BUNDLED_DATA, data)
    report = data / "reports" / "neutropenia_general.txt"
    text = report.read_text(encoding="utf-8")
    assert ANCHOR in text
    report.write_text(
        text.replace(ANCHOR, f"{ANCHOR}\n{NEIGHBOUR}\nPO Box 12\nBrighton, MI 48116\n", 1),
        encoding="utf-8",
    )
    return data


def deck_spec(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def layer(spec: dict, layer_id: str) -> dict | None:
    """The layer of that id; for a clickable layer, of that kind (its id names the rows)."""
    return next(
        (item for item in spec["layers"] if org_map.point_layer_kind(item["id"]) == layer_id),
        None,
    )


def legend_swatches(at: AppTest) -> list[dict[str, tuple[int, int, int]]]:
    """Each legend swatch's circle colours (``fill``/``stroke``), decoded from its SVG."""
    legend = next(m.value for m in at.markdown if "data:image/svg+xml;base64," in m.value)
    swatches = []
    for encoded in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", legend):
        circle = base64.b64decode(encoded).decode().split("<circle", 1)[1]
        swatches.append(
            {kind: (int(r), int(g), int(b)) for kind, r, g, b in SVG_COLOUR.findall(circle)}
        )
    return swatches


def point_colours(spec: dict) -> set[tuple[int, int, int]]:
    return {
        tuple(point["colour"])
        for layer_id in (org_map.PRECISE_LAYER, org_map.APPROXIMATE_LAYER)
        for point in (layer(spec, layer_id) or {"data": []})["data"]
    }


def test_legend_colours_are_the_colours_of_the_points_and_the_ring_follows_a_search():
    """Every point is drawn in a colour its legend swatch shows; before a search there is no
    red ring in the legend or on the map, after one there is, in the same red."""
    at = run_app("pages/organizations.py")
    assert not at.exception
    swatches = legend_swatches(at)
    fills = [s["fill"] for s in swatches if "fill" in s]
    assert fills == [tuple(c) for c in map_points.TYPE_COLOURS.values()]
    spec = deck_spec(at)
    drawn = point_colours(spec)
    assert drawn and drawn <= set(fills) | {tuple(map_points.OTHER_COLOUR)}
    assert len(swatches) == len(map_points.TYPE_COLOURS) + 1  # types + hollow circle
    assert tuple(org_map.SEARCH_COLOUR) not in {s.get("stroke") for s in swatches}
    assert layer(spec, "search-place") is None

    searched = run_app("pages/organizations.py", place="48116")
    strokes = [s.get("stroke") for s in legend_swatches(searched)]
    assert strokes[-1] == tuple(org_map.SEARCH_COLOUR)
    ring = layer(deck_spec(searched), "search-place")
    assert ring is not None
    assert tuple(ring["getLineColor"]) == tuple(org_map.SEARCH_COLOUR)


def test_the_map_draws_its_own_land_on_its_sea():
    """The map's light panel (every theme): the land carries the land colour, under the
    border lines, and the sea its own."""
    spec = deck_spec(run_app("pages/organizations.py"))
    ids = [item["id"] for item in spec["layers"]]
    assert ids.index("sea") < ids.index("land") < ids.index("outline-0")
    assert layer(spec, "land")["getFillColor"] == org_map.LAND_COLOUR
    assert layer(spec, "sea")["getFillColor"] == org_map.SEA_COLOUR
    outlines = [item for item in spec["layers"] if item["id"].startswith("outline")]
    assert len(outlines) == len(org_map.OUTLINE_FILES)
    for item in outlines:  # lines only: a flat wireframe, nothing filled over the land
        assert item["wireframe"] and item["extruded"] and not item["filled"]
        assert item["getElevation"] == 0 and item["getLineColor"] == org_map.BORDER_COLOUR


def _select_script(event: dict, before: str) -> None:
    """A page that holds ``before`` open, shows the chosen organization in the card's
    fragment, and hands the map's selection ``event`` to the map's own callback when its
    probe button is pressed (the callback reruns the card's fragment, as on the page)."""
    import streamlit as st

    from components import page_state
    from components.directory_table import CARD_VIEW, select_from_map

    if before and "probe-opened" not in st.session_state:
        st.session_state["probe-opened"] = True
        page_state.select_org(before)
    st.session_state["map-probe"] = event

    @st.fragment(key=CARD_VIEW)
    def card() -> None:
        st.text(page_state.selected_org())

    card()
    st.button("Select", key="probe-select", on_click=select_from_map, args=("map-probe",))


def selection(layer_id: str, index: int, point: dict) -> dict:
    """What the browser sends when a point is clicked (Streamlit's pydeck selection)."""
    return {"selection": {"indices": {layer_id: [index]}, "objects": {layer_id: [point]}}}


def selected_after(event: dict, *, before: str = "") -> str:
    at = AppTest.from_function(_select_script, args=(event, before), default_timeout=30).run()
    at.button(key="probe-select").click().run()
    assert not at.exception
    return at.text[0].value


def test_two_organizations_at_one_zip_are_apart_and_each_opens_its_own_card(
    shared_data, monkeypatch
):
    """At one ZIP the two points are drawn apart, each tooltip says they share the place and
    names the other; selecting each on the map opens its own card, not its neighbour's."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(shared_data))
    at = run_app("pages/organizations.py", place="48116", radius="25")
    assert not at.exception
    precise_layer = layer(deck_spec(at), org_map.PRECISE_LAYER)
    precise = precise_layer["data"]
    at_zip = {p["name"]: (i, p) for i, p in enumerate(precise) if p["name"] in (NNN, NEIGHBOUR)}
    assert set(at_zip) == {NNN, NEIGHBOUR}
    (_, first), (_, second) = at_zip[NNN], at_zip[NEIGHBOUR]
    assert first["position"] != second["position"]
    assert NEIGHBOUR in first["shared"] and NNN in second["shared"]
    assert "2 organizations share this place" in first["shared"]

    for name, (index, point) in at_zip.items():
        chosen = selected_after(selection(precise_layer["id"], index, point))
        assert chosen == point["id"]
        card = run_app("pages/organizations.py", place="48116", radius="25", org=chosen)
        assert not card.exception
        titles = [s.value for s in card.subheader]
        assert name in titles, f"no card for {name}: {titles}"
        assert ({NNN, NEIGHBOUR} - {name}).isdisjoint(titles)  # not the neighbour's card


def test_a_click_on_the_empty_map_keeps_the_open_card():
    """A click that hits no point (an empty selection) leaves the open card as it was."""
    empty = {"selection": {"indices": {}, "objects": {}}}
    assert selected_after(empty, before="kept-id") == "kept-id"
    assert selected_after(empty) == ""
