"""The safety notice's Markdown builders: the fever rule, its sources, and the details."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components.notices import NO_FEVER_RULE, fever_details_markdown, fever_rule_markdown
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


def test_the_rule_is_the_first_fever_row_escaped_with_numbered_source_links(guidance):
    """Order 1 is shown (not the file's first row); each source is a short numbered link."""
    line = fever_rule_markdown(guidance)
    assert line.startswith("A temperature of 38\\.0 °C \\(100\\.4 °F\\) or more")
    assert "Second fever line" not in line
    urls = [guidance.reference(k).url for k in ("genereviews_elane", "dale_cin_2017")]
    assert line.endswith(f"Sources: [1]({urls[0]}) [2]({urls[1]})")


def test_details_hold_the_other_rows_and_the_titles_behind_the_numbers(guidance):
    details = fever_details_markdown(guidance)
    assert details.startswith("- Second fever line")
    assert "A temperature of 38" not in details
    title = guidance.reference("dale_cin_2017").title
    assert f"- 2: [{title}" in details.replace("\\", "")
    assert "<" not in details.split("**Sources")[0], "data text is escaped, not HTML"


def test_no_fever_row_gives_a_plain_fallback_and_no_details():
    """Empty guidance: a 'contact the care team' line with no uncited threshold."""
    empty = Guidance((), ())
    assert fever_rule_markdown(empty) == NO_FEVER_RULE
    assert "38" not in NO_FEVER_RULE
    assert fever_details_markdown(empty) == ""
