"""The safety notice's Markdown builders: the fever rule, its sources, and the details."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components.notices import (
    NO_FEVER_RULE,
    fever_details_markdown,
    fever_rule_markdown,
    source_name,
)
from explorer.subtypes import Guidance, load_guidance

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "health" / "guidance.csv"


@pytest.fixture
def guidance(tmp_path: Path) -> Guidance:
    """The fixture guidance, read against the bundled references."""
    shutil.copytree(ROOT / "data" / "subtypes", tmp_path / "subtypes")
    shutil.copy(FIXTURE, tmp_path / "subtypes" / "guidance.csv")
    loaded, issues = load_guidance(tmp_path)
    assert issues == []
    return loaded


def test_the_rule_is_the_first_fever_row_escaped_with_links_named_by_source(guidance):
    """Order 1 is shown (not the file's first row); each source is a short link named by its
    source (publisher and year), never a bare number."""
    line = fever_rule_markdown(guidance)
    assert line.startswith("A temperature of 38\\.0 °C \\(100\\.4 °F\\) or more")
    assert "Second fever line" not in line
    urls = [guidance.reference(k).url for k in ("genereviews_elane", "dale_cin_2017")]
    assert line.endswith(
        f"Sources: [GeneReviews 2018]({urls[0]}) · [Current Opinion in Hematology 2017]({urls[1]})"
    )
    assert "[1]" not in line and "[2]" not in line


def test_details_hold_the_other_rows_and_the_titles_behind_the_names(guidance):
    details = fever_details_markdown(guidance)
    assert details.startswith("- Second fever line")
    assert "A temperature of 38" not in details
    title = guidance.reference("dale_cin_2017").title
    assert f"- Current Opinion in Hematology 2017: [{title}" in details.replace("\\", "")
    assert "<" not in details.split("**Sources")[0], "data text is escaped, not HTML"


def test_no_fever_row_gives_a_plain_fallback_and_no_details():
    """Empty guidance: a 'contact the care team' line with no uncited threshold."""
    empty = Guidance((), ())
    assert fever_rule_markdown(empty) == NO_FEVER_RULE
    assert "38" not in NO_FEVER_RULE
    assert fever_details_markdown(empty) == ""


def test_source_names_prefer_the_publishers_acronym(guidance):
    """The bundled fever sources get names a reader recognises (NICE, GeneReviews)."""
    loaded, _ = load_guidance(ROOT / "data")
    names = [source_name(loaded.reference(key)) for key in loaded.topic("fever")[0].citations]
    assert names == [
        "GeneReviews 2018",
        "NICE 2012",
        "NICE 2016",
        "Clinical Infectious Diseases 2011",
    ]
