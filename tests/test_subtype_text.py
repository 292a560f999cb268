"""The pure builders of the Subtypes page: citation anchors, Markdown and the ANC chart."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from components.subtype_text import (
    anc_panel,
    chart_top,
    comparison_markdown,
    markers_markdown,
    reference_anchor,
    reference_markdown,
)
from components.text import plain
from explorer.subtypes import SubtypeData, comparison_table, load_subtypes
from explorer.subtypes.chart import anc_schematic

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def data() -> SubtypeData:
    loaded, issues = load_subtypes(DATA)
    assert loaded is not None, [str(issue) for issue in issues]
    return loaded


def test_each_marker_jumps_to_its_own_reference(data: SubtypeData):
    """``[n]`` links to ``#ref-<key>`` of the reference numbered n, in page order."""
    keys = ["genereviews_elane", "medlineplus_scn"]
    markdown = markers_markdown(data, reversed(keys))
    targets = re.findall(r'href="#([^"]+)">\\\[(\d+)\\\]</a>', markdown)
    assert targets == [(f"ref-{key}", str(data.marker(key))) for key in keys]
    assert "#references" not in markdown


def test_every_marker_in_the_table_has_an_anchor_on_the_page(data: SubtypeData):
    """Each anchor a table links to is the id of one reference entry, and no other."""
    forms = [form.key for form in data.forms]
    comparison = comparison_table(data, forms, [a.key for a in data.attributes])
    linked = set(re.findall(r'href="#(ref-[a-z0-9_]+)"', comparison_markdown(data, comparison)))
    ids = {reference_anchor(r.key) for r in data.references}
    assert linked and linked <= ids
    assert len(ids) == len(data.references)


@pytest.mark.parametrize(
    "key", ['x" onmouseover="alert(1)', "Ref-1", "ref key", "<b>", "", "javascript:x"]
)
def test_anchors_are_built_from_validated_keys_only(key: str):
    """Anything but a lower_snake_case key is refused before it can reach HTML."""
    with pytest.raises(ValueError):
        reference_anchor(key)
    assert reference_anchor("genereviews_elane") == "ref-genereviews_elane"


def test_reference_entry_escapes_data_and_keeps_its_url(data: SubtypeData):
    """Title text is escaped Markdown; the checked URL is shown in full."""
    reference = data.references[0]
    entry = reference_markdown(1, reference)
    assert entry.startswith("**[1]** ")
    assert f"<{reference.url}>" in entry
    assert "<div" not in entry


def layers(panel) -> list[dict]:
    return panel.to_dict()["layer"]


def test_anc_panel_draws_the_cited_threshold_lines_with_labels(data: SubtypeData):
    """Each panel has a rule and a text label at every chart_lines.csv value."""
    frame = anc_schematic(data, ["cyclic", "congenital"])
    panel = anc_panel(frame, "Cyclic", data, chart_top(frame, data))
    spec = panel.to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "line", "text"]
    datasets = spec["datasets"]
    line_values = [row for rows in datasets.values() for row in rows if "label" in row]
    assert sorted(row["anc"] for row in line_values) == [0.5, 1.5]
    assert all(row["label"] for row in line_values)
    curve = [row for rows in datasets.values() for row in rows if row.get("form")]
    assert {row["form"] for row in curve} == {"Cyclic"}, "one form per panel"


def test_anc_panel_fills_its_column_and_shares_the_scale(data: SubtypeData):
    """No fixed width (the page stretches it); the y domain is the shared top, not a constant."""
    frame = anc_schematic(data, ["cyclic", "autoimmune"])
    top = chart_top(frame, data)
    cyclic_high = data.form("cyclic").chart.anc_high
    assert top > max(cyclic_high, *(line.anc for line in data.chart_lines))
    for label in ("Cyclic", "Autoimmune"):
        spec = anc_panel(frame, label, data, top).to_dict()
        assert "width" not in spec
        curve = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
        assert curve["encoding"]["y"]["scale"]["domain"] == [0, top]


def test_reference_entry_says_when_the_page_was_read(data: SubtypeData):
    """A web source changes: each entry carries the date it was read (``accessed``), and an
    entry without one carries no empty "Accessed" label."""
    reference = data.references[0]
    assert reference.accessed
    assert plain(f"Accessed {reference.accessed}.") in reference_markdown(1, reference)
    undated = dataclasses.replace(reference, accessed="")
    assert "Accessed" not in reference_markdown(1, undated)
