"""Unit tests of the subtype comparison core: the curated data, its checker, the table."""

from __future__ import annotations

import csv
import io
import itertools
import pickle
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from explorer.models import ParseIssue
from explorer.subtypes import (
    NO_STATEMENT,
    SubtypeData,
    comparison_csv,
    comparison_table,
    glossary_mentions,
    load_subtypes,
    map_report_names_to_forms,
)
from explorer.subtypes.chart import anc_schematic

DATA = Path(__file__).resolve().parent.parent / "data"
FORMS = ("congenital", "cyclic", "idiopathic", "autoimmune")
STATEMENTS = "subtypes/statements.csv"


@pytest.fixture(scope="module")
def data() -> SubtypeData:
    loaded, issues = load_subtypes(DATA)
    assert loaded is not None, [str(issue) for issue in issues]
    return loaded


SPARE = "spare_row"
"""An attribute the copy adds with no statement: a cell any test may fill or leave empty,
whatever the curated statements already cover."""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the curated data directory (subtypes, and the reports they name),
    with the extra attribute :data:`SPARE` that no statement fills yet."""
    shutil.copytree(DATA / "subtypes", tmp_path / "subtypes")
    shutil.copytree(DATA / "reports", tmp_path / "reports")
    append(tmp_path, "attributes.csv", f"{SPARE},Spare row")
    return tmp_path


def append(folder: Path, name: str, text: str) -> int:
    """Append one line to a data file; return its 1-based line number."""
    path = folder / "subtypes" / name
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    path.write_text(content + text + "\n", encoding="utf-8")
    return content.count("\n") + 1


def errors(issues: list[ParseIssue]) -> list[ParseIssue]:
    return [issue for issue in issues if issue.severity == "error"]


# --- the curated data -----------------------------------------------------------------


def test_curated_data_loads_without_errors_or_warnings():
    """The shipped files pass the checker cleanly: no error, no warning."""
    loaded, issues = load_subtypes(DATA)
    assert loaded is not None
    assert issues == []


def test_four_forms_named_by_the_report_are_all_present(data: SubtypeData):
    """The four forms the NORD report names are there, in that order."""
    assert tuple(form.key for form in data.forms) == FORMS


def test_every_statement_cites_existing_references(data: SubtypeData):
    """No statement is uncited, and every key it cites is in references.csv."""
    keys = {reference.key for reference in data.references}
    for statement in data.statements:
        assert statement.citations, statement
        assert set(statement.citations) <= keys, statement


def test_every_reference_has_an_http_url_and_a_year(data: SubtypeData):
    """A reader can look every source up: URL, year (or n.d.), title, publisher."""
    for reference in data.references:
        assert reference.url.startswith(("https://", "http://")), reference
        assert reference.year == "n.d." or reference.year.isdigit(), reference
        assert reference.title and reference.publisher, reference


def test_every_chart_parameter_set_is_cited(data: SubtypeData):
    """The chart's numbers come from cited sources, like the statements."""
    keys = {reference.key for reference in data.references}
    for form in data.forms:
        assert form.chart.citations and set(form.chart.citations) <= keys, form


def test_last_reviewed_and_classification_note(data: SubtypeData):
    """The table says when it was reviewed and that classifications differ."""
    assert date(2026, 1, 1) <= data.last_reviewed <= date.today()
    assert "three" in data.classification_note and "four" in data.classification_note
    assert {"nord_general", "nord_scn_2022"} <= set(data.classification_citations)


def test_guidance_rows_are_cited_and_the_fever_rule_comes_first():
    """guidance.csv: every row cites known references; the first fever row is the short rule."""

    def read(name: str) -> list[dict[str, str]]:
        with open(DATA / "subtypes" / name, encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    keys = {row["key"] for row in read("references.csv")}
    rows = read("guidance.csv")
    assert {row["topic"] for row in rows} == {"fever", "see_haematologist"}
    for row in rows:
        cited = row["citations"].split(";")
        assert row["text"] and cited and set(cited) <= keys, row
    fever = sorted((int(row["order"]), row["text"]) for row in rows if row["topic"] == "fever")
    first = fever[0][1]
    assert fever[0][0] == 1 and "38.0 °C (100.4 °F)" in first and "neutropenia" in first
    assert first.count(". ") == 0 and len(first) < 200, "one short sentence, shown on every page"
    orders = [(row["topic"], row["order"]) for row in rows]
    assert len(orders) == len(set(orders)), "no two rows share a topic and order"


def test_data_survives_pickling_for_the_streamlit_cache(data: SubtypeData):
    """st.cache_data pickles the return value: the frozen records must round-trip."""
    assert pickle.loads(pickle.dumps(data)) == data


# --- the checker: every failure names its file and line ----------------------------------


@pytest.mark.parametrize(
    ("line_text", "message"),
    [
        ("cyclic,frequency_x,Rare.,medlineplus_cyclic", "unknown attribute 'frequency_x'"),
        ("neonatal,onset,At birth.,medlineplus_scn", "unknown form 'neonatal'"),
        ("autoimmune,spare_row,Not inherited.,", "statement has no citation"),
        ("autoimmune,spare_row,Not inherited.,made_up_2020", "unknown reference 'made_up_2020'"),
        ("autoimmune,spare_row,,bux_1998", "statement has no text"),
        ("autoimmune,spare_row,No sourced statement,bux_1998", "leave the row out"),
        ("autoimmune,spare_row,Not inherited, really.,bux_1998", "expected 4 fields, found 5"),
        ("cyclic,onset,In infancy.,genereviews_elane", "duplicate statement for cyclic/onset"),
    ],
)
def test_bad_statement_is_rejected_with_file_and_line(copy: Path, line_text: str, message: str):
    """Each kind of bad statement row is an error at exactly that line, and hides the table."""
    line = append(copy, "statements.csv", line_text)
    loaded, issues = load_subtypes(copy)
    assert loaded is None
    found = [i for i in errors(issues) if i.file == STATEMENTS and i.line == line]
    assert any(message in issue.message for issue in found), [str(i) for i in issues]
    assert all(i.line == line for i in errors(issues)), "other lines must stay clean"


def test_uncited_statement_message_reads_as_file_colon_line(copy: Path):
    """The checker's output for an uncited statement is ``file:line: error: …``."""
    line = append(copy, "statements.csv", "autoimmune,spare_row,Not inherited.,")
    _, issues = load_subtypes(copy)
    assert f"{STATEMENTS}:{line}: error: statement has no citation" in [str(i) for i in issues]


def test_line_numbers_count_quoted_multiline_fields(copy: Path):
    """A record after a quoted field spanning two lines is still reported at its own line."""
    append(copy, "statements.csv", 'autoimmune,spare_row,"Two\nlines.",bux_1998')
    line = append(copy, "statements.csv", "neonatal,onset,At birth.,medlineplus_scn")
    _, issues = load_subtypes(copy)
    assert [(i.line, "unknown form" in i.message) for i in errors(issues)] == [(line, True)]


@pytest.mark.parametrize(
    ("file", "line_text", "message"),
    [
        ("references.csv", "genereviews_elane,Dup,,Pub,2020,https://example.org,,", "duplicate"),
        ("references.csv", "no_url,Title,,Pub,2020,,,", "reference has no URL"),
        ("references.csv", "no_year,Title,,Pub,,https://example.org,,", "reference has no year"),
        ("references.csv", "bad_url,Title,,Pub,2020,javascript:alert(1),,", "not a plain http"),
        ("references.csv", "Bad-Key,Title,,Pub,2020,https://example.org,,", "lower_snake_case"),
        ("attributes.csv", "onset,Again", "duplicate attribute 'onset'"),
        ("forms.csv", "neonatal,Neonatal,,steady,0.1,,,,nope_2020,", "unknown reference"),
        ("forms.csv", "neonatal,Neonatal,,steady,0.1,,,,,", "chart has no citation"),
        ("forms.csv", "neonatal,Neonatal,,wavy,0.1,,,,bux_1998,", "chart_shape 'wavy'"),
        ("forms.csv", "neonatal,Neonatal,,cyclic,0.5,0.2,21,4,bux_1998,", "anc_high must be"),
        ("forms.csv", "neonatal,Neonatal,,cyclic,0.2,1.5,7,9,bux_1998,", "low_days must be"),
        ("forms.csv", 'neonatal,N,"neutropenia,  CYCLIC",steady,0.1,,,,bux_1998,', "already maps"),
        ("glossary.csv", "ELANE,,A gene.,", "definition has no citation"),
        ("glossary.csv", "ELANE,,A gene.,nope_2020", "unknown reference 'nope_2020'"),
        ("glossary.csv", "Neutrophil count,ANC,A count.,dale_cin_2017", "'ANC' is already"),
    ],
)
def test_bad_rows_in_other_files_are_rejected_with_file_and_line(
    copy: Path, file: str, line_text: str, message: str
):
    """References, attributes, forms and glossary are checked the same way as statements."""
    line = append(copy, file, line_text)
    loaded, issues = load_subtypes(copy)
    assert loaded is None
    assert any(
        i.file == f"subtypes/{file}" and i.line == line and message in i.message
        for i in errors(issues)
    ), [str(i) for i in issues]


def test_bad_review_date_points_at_its_toml_line(copy: Path):
    """A quoted date in about.toml is an error on the line that sets it."""
    path = copy / "subtypes" / "about.toml"
    text = re.sub(
        r"(?m)^last_reviewed = .*$", 'last_reviewed = "last week"', path.read_text("utf-8")
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('last_reviewed = "last week"') + 1
    loaded, issues = load_subtypes(copy)
    assert loaded is None
    assert [(i.file, i.line) for i in errors(issues)] == [("subtypes/about.toml", line)]


def test_missing_file_and_unknown_column(copy: Path):
    """A missing file is an error; an extra column is only a warning."""
    (copy / "subtypes" / "glossary.csv").unlink()
    path = copy / "subtypes" / "attributes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0] + ",colour"] + [f"{line}," for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    loaded, issues = load_subtypes(copy)
    assert loaded is None
    assert ParseIssue("subtypes/glossary.csv", 1, "error", "file is missing") in issues
    assert ParseIssue("subtypes/attributes.csv", 1, "warning", "unknown column 'colour'") in issues


def test_uncited_reference_is_a_warning_not_an_error(copy: Path):
    """A source nobody cites is flagged, but the table still loads."""
    line = append(copy, "references.csv", "spare_2020,Spare,,Pub,2020,https://example.org,,")
    loaded, issues = load_subtypes(copy)
    assert loaded is not None
    assert issues == [
        ParseIssue("subtypes/references.csv", line, "warning", "'spare_2020' is never cited")
    ]


# --- the comparison ---------------------------------------------------------------------


COMBINATIONS = [c for n in (2, 3, 4) for c in itertools.combinations(FORMS, n)]


@pytest.mark.parametrize("forms", COMBINATIONS, ids="+".join)
def test_any_two_to_four_forms_compare(data: SubtypeData, forms: tuple[str, ...]):
    """Every choice of 2-4 forms gives a full table whose markers match its reference list."""
    attributes = [attribute.key for attribute in data.attributes]
    comparison = comparison_table(data, forms, attributes)
    table = comparison.table
    assert table.shape == (len(attributes), len(forms))
    assert list(table.columns) == [data.form(key).label for key in forms]
    listed = {number for number, _ in comparison.references}
    for cell in comparison.cells.values():
        assert cell.sourced or cell.text == NO_STATEMENT
        assert set(cell.markers) <= listed
    cited = {key for cell in comparison.cells.values() for key in cell.citations}
    assert {reference.key for _, reference in comparison.references} == cited


def test_missing_statement_reads_no_sourced_statement(copy: Path):
    """A cell we could not source says so instead of being blank or guessed."""
    append(copy, "statements.csv", f"cyclic,{SPARE},Sourced.,genereviews_elane")
    data, _ = load_subtypes(copy)
    comparison = comparison_table(data, ["cyclic", "autoimmune"], [SPARE])
    cell = comparison.cell(SPARE, "autoimmune")
    assert (cell.text, cell.markers, cell.display) == (NO_STATEMENT, (), NO_STATEMENT)
    assert comparison.cell(SPARE, "cyclic").display.startswith("Sourced. [")


def test_markers_are_page_numbers_of_references(data: SubtypeData):
    """Markers are stable: the reference's place in references.csv, whatever is selected."""
    cell = comparison_table(data, ["congenital", "cyclic"], ["frequency"]).cell(
        "frequency", "cyclic"
    )
    assert cell.markers == (data.marker("medlineplus_cyclic"),)
    assert cell.display.endswith(f"[{data.marker('medlineplus_cyclic')}]")


def test_only_differences_drops_rows_where_forms_agree(data: SubtypeData):
    """Idiopathic and autoimmune share their ICD-10-CM statement; that row is hidden."""
    attributes = [attribute.key for attribute in data.attributes]
    all_rows = comparison_table(data, ["idiopathic", "autoimmune"], attributes)
    differing = comparison_table(
        data, ["idiopathic", "autoimmune"], attributes, only_differences=True
    )
    kept = [attribute.key for attribute in differing.attributes]
    assert "icd10" not in kept
    assert "onset" in kept
    assert len(kept) == len(all_rows.attributes) - 1
    assert all(key[0] != "icd10" for key in differing.cells)


def test_only_differences_keeps_everything_when_all_differ(data: SubtypeData):
    """Congenital and cyclic differ on every attribute: nothing is hidden."""
    attributes = [attribute.key for attribute in data.attributes]
    comparison = comparison_table(data, ["congenital", "cyclic"], attributes, only_differences=True)
    assert len(comparison.attributes) == len(attributes)


def test_unknown_form_or_attribute_is_a_programming_error(data: SubtypeData):
    with pytest.raises(KeyError):
        comparison_table(data, ["congenital", "neonatal"], ["onset"])
    with pytest.raises(KeyError):
        comparison_table(data, ["congenital", "cyclic"], ["colour"])


def test_report_names_map_onto_forms(data: SubtypeData):
    """The report's synonym and subdivisions map to the four forms; other names to None."""
    names = [
        "Neutropenia, Autoimmune",
        "Neutropenia, Chronic Congenital",
        "neutropenia,   chronic idiopathic",
        "Neutropenia, Cyclic",
        "Neutropenia, General",
    ]
    assert map_report_names_to_forms(data, names) == {
        "Neutropenia, Autoimmune": "autoimmune",
        "Neutropenia, Chronic Congenital": "congenital",
        "neutropenia,   chronic idiopathic": "idiopathic",
        "Neutropenia, Cyclic": "cyclic",
        "Neutropenia, General": None,
    }


# --- the chart ------------------------------------------------------------------------


def test_cyclic_schematic_follows_its_cited_parameters(data: SubtypeData):
    """Cyclic: low for low_days of every period, peaking at anc_high; congenital flat."""
    chart = data.form("cyclic").chart
    frame = anc_schematic(data, ["cyclic", "congenital"], days=3 * chart.period_days)
    assert list(frame.columns) == ["form", "day", "anc"]
    cyclic = frame[frame["form"] == "Cyclic"].set_index("day")["anc"]
    assert cyclic.min() == chart.anc_low and cyclic.max() == pytest.approx(chart.anc_high)
    lows = [day for day in cyclic[cyclic == chart.anc_low].index if day < chart.period_days]
    assert lows == list(range(chart.low_days + 1)), "a flat segment lasting low_days days"
    congenital = frame[frame["form"] == "Congenital"]["anc"]
    assert set(congenital) == {data.form("congenital").chart.anc_low}
    assert len(congenital) == 3 * chart.period_days + 1


def test_schematic_rejects_an_empty_time_span(data: SubtypeData):
    with pytest.raises(ValueError):
        anc_schematic(data, ["cyclic"], days=0)


# --- glossary detection -----------------------------------------------------------------


def test_glossary_mentions_whole_words_longest_first(data: SubtypeData):
    """First mention of each term, ignoring case; 'autosomal dominant' is one mention."""
    text = "By chance, anc and ANC; autosomal dominant; filgrastim (G-CSF); MDS."
    found = [(text[m.start : m.end], m.term.term) for m in glossary_mentions(data.glossary, text)]
    assert found == [
        ("anc", "ANC"),
        ("autosomal dominant", "autosomal dominant"),
        ("filgrastim", "G-CSF"),
        ("MDS", "MDS"),
    ]
    assert glossary_mentions(data.glossary, "chance of dominance") == ()


# --- CSV export -------------------------------------------------------------------------


def test_comparison_csv_neutralises_formulas_and_lists_references(copy: Path):
    """A statement starting with '=' is exported inert; markers resolve to references."""
    append(copy, "statements.csv", f'autoimmune,{SPARE},"=HYPERLINK(""http://x"")",bux_1998')
    data, issues = load_subtypes(copy)
    assert data is not None, issues
    comparison = comparison_table(data, ["cyclic", "autoimmune"], [SPARE, "frequency"])
    raw = comparison_csv(data, comparison)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Attribute", "Cyclic", "Autoimmune"]
    assert rows[1][2].startswith("'=HYPERLINK")
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert f"[{data.marker('bux_1998')}]" in cells
    assert data.last_reviewed.isoformat() in cells
