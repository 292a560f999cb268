"""The cited guidance (fever rule, when to see a haematologist) and the other small curated
files the pages read: successors of a report and the ANC chart's threshold lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.models import ParseIssue
from explorer.subtypes import FEVER, SEE_HAEMATOLOGIST, load_guidance, load_subtypes

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "health" / "guidance.csv"
GUIDANCE = "subtypes/guidance.csv"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled data whose guidance.csv is the test fixture."""
    shutil.copytree(ROOT / "data" / "subtypes", tmp_path / "subtypes")
    shutil.copytree(ROOT / "data" / "reports", tmp_path / "reports")
    shutil.copy(FIXTURE, tmp_path / "subtypes" / "guidance.csv")
    return tmp_path


def write(data: Path, name: str, text: str) -> None:
    (data / "subtypes" / name).write_text(text, encoding="utf-8")


def append(data: Path, name: str, line: str) -> int:
    """Append one line to a data file; return its 1-based line number."""
    path = data / "subtypes" / name
    content = path.read_text(encoding="utf-8")
    path.write_text(content + line + "\n", encoding="utf-8")
    return content.count("\n") + 1


def test_topics_come_in_their_order_with_their_cited_references(data: Path):
    """Rows are grouped by topic and sorted by order, whatever the file order."""
    guidance, issues = load_guidance(data)
    assert issues == []
    fever = guidance.topic(FEVER)
    assert [a.order for a in fever] == [1, 2]
    assert fever[0].text.startswith("A temperature of 38.0 °C")
    assert fever[0].citations == ("genereviews_elane", "dale_cin_2017")
    assert guidance.reference("genereviews_elane").url.startswith("https://")
    assert len(guidance.topic(SEE_HAEMATOLOGIST)) == 2
    assert guidance.topic("unknown_topic") == ()
    assert {r.key for r in guidance.references} == {"genereviews_elane", "dale_cin_2017"}


@pytest.mark.parametrize(
    ("line_text", "message"),
    [
        ("fever,3,Uncited advice.,", "advice has no citation"),
        ("fever,3,Advice.,made_up_2020", "advice cites unknown reference 'made_up_2020'"),
        ("fever,1,Same order again.,genereviews_elane", "duplicate order 1 in topic 'fever'"),
        ("Fever Rule,3,Advice.,genereviews_elane", "must be lower_snake_case"),
        ("fever,first,Advice.,genereviews_elane", "order 'first' is not a whole number"),
        ("fever,3,,genereviews_elane", "advice has no text"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_left_out(data: Path, line_text: str, message):
    """Each bad row names guidance.csv and its line; the valid rows still load, and
    the comparison (which checks guidance too) is hidden until it is fixed."""
    line = append(data, "guidance.csv", line_text)
    guidance, issues = load_guidance(data)
    assert [(i.file, i.line) for i in issues if i.severity == "error"] == [(GUIDANCE, line)]
    assert any(message in i.message for i in issues), [str(i) for i in issues]
    assert [a.order for a in guidance.topic(FEVER)] == [1, 2], "the good rows stay"
    comparison, subtype_issues = load_subtypes(data)
    assert comparison is None
    assert any(i.file == GUIDANCE and i.line == line for i in subtype_issues)


def test_a_missing_topic_is_an_error(data: Path):
    """Both topics the pages show must have a row."""
    write(data, "guidance.csv", "topic,order,text,citations\nfever,1,Call now.,genereviews_elane\n")
    guidance, issues = load_guidance(data)
    assert ParseIssue(GUIDANCE, 1, "error", "no advice for topic 'see_haematologist'") in issues
    assert len(guidance.topic(FEVER)) == 1
    assert not any("'fever'" in i.message for i in issues)


def test_a_missing_file_is_one_error_and_no_advice(data: Path):
    (data / "subtypes" / "guidance.csv").unlink()
    guidance, issues = load_guidance(data)
    assert issues == [ParseIssue(GUIDANCE, 1, "error", "file is missing")]
    assert guidance.advice == ()


def test_guidance_survives_a_broken_statement(data: Path):
    """The fever rule does not depend on the comparison: an uncited statement hides the
    table, not the safety notice."""
    append(data, "statements.csv", "autoimmune,genetics,Not inherited.,")
    assert load_subtypes(data)[0] is None
    guidance, issues = load_guidance(data)
    assert issues == [] and guidance.topic(FEVER)


def test_references_cited_only_by_guidance_are_not_reported_unused(data: Path):
    """A source that only the guidance cites counts as cited."""
    append(data, "references.csv", "only_guidance,Title,,Pub,2020,https://doi.org/10.1/x,,")
    append(data, "guidance.csv", "fever,3,Advice.,only_guidance")
    comparison, issues = load_subtypes(data)
    assert comparison is not None
    assert not any("only_guidance" in i.message for i in issues)


def test_successor_links_a_report_to_a_known_reference(data: Path):
    """successors.csv names an existing report and a known reference, or is an error."""
    comparison, _ = load_subtypes(data)
    successor = comparison.successor("neutropenia_general.txt")
    assert successor.reference == "nord_scn_2022" and "three" in successor.note
    assert comparison.successor("other.txt") is None
    line = append(data, "successors.csv", "missing.txt,no_such_ref,A note.")
    comparison, issues = load_subtypes(data)
    assert comparison is None
    messages = [i.message for i in issues if i.line == line]
    assert "no report 'missing.txt' in reports/" in messages
    assert "successor cites unknown reference 'no_such_ref'" in messages


def test_chart_lines_are_read_with_their_citations(data: Path):
    """The thresholds drawn on the chart come from chart_lines.csv, each cited."""
    comparison, _ = load_subtypes(data)
    assert [line.anc for line in comparison.chart_lines] == [0.5, 1.5]
    assert all(line.citations and line.label for line in comparison.chart_lines)
    bad = append(data, "chart_lines.csv", "0.2,Uncited line,")
    comparison, issues = load_subtypes(data)
    assert comparison is None
    assert any(i.line == bad and "chart line has no citation" in i.message for i in issues)
