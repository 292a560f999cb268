"""The 2026-12-06 content review: each correction is in the data with its citation."""

from __future__ import annotations

import pytest

from explorer.subtypes import FEVER, SEE_HAEMATOLOGIST, SubtypeData, load_guidance, load_subtypes
from explorer.takeaway import card_content, load_card_lines
from tests.conftest import BUNDLED_DATA


@pytest.fixture(scope="module")
def data() -> SubtypeData:
    subtypes, issues = load_subtypes(BUNDLED_DATA)
    assert subtypes is not None, issues
    return subtypes


def statement(data: SubtypeData, form: str, attribute: str):
    return next(s for s in data.statements if (s.form, s.attribute) == (form, attribute))


def test_the_fever_rule_cites_sepsis_guidance_and_a_chronic_neutropenia_guideline():
    guidance = load_guidance(BUNDLED_DATA)[0]
    fever = guidance.topic(FEVER)
    assert "nice_ng51" in fever[0].citations, "'seems unwell' rests on NICE NG51"
    assert any("eha_eunet_2023" in row.citations for row in fever)
    assert any("eha_eunet_2023" in row.citations for row in guidance.topic(SEE_HAEMATOLOGIST))
    own = [row.text for row in fever if "own practical advice" in row.text]
    assert own and own[0].startswith("Saying that they have neutropenia")


def test_the_card_says_why_it_uses_38(data):
    lines, issues = load_card_lines(BUNDLED_DATA, data)
    assert issues == []
    why = [c.text for c in card_content(data, lines).fever_rule if c.text.startswith("Why 38.0")]
    assert why and "38.3 °C" in why[0]


def test_genes_and_responders(data):
    genetics = statement(data, "congenital", "genetics")
    assert "SRP54" in genetics.text and "srp54_2018" in genetics.citations
    assert "2009" in genetics.text, "the 'no known gene' share is dated"
    assert "(8 µg/kg/day or more" in statement(data, "congenital", "mds_risk").text
    assert any(term.term == "poor responder" for term in data.glossary)


def test_figures_read_only_in_a_copy_are_not_cited(data):
    for form in ("congenital", "autoimmune"):
        dose = statement(data, form, "gcsf_dose")
        assert "statpearls_neutropenia" not in dose.citations
        assert "15 µg" not in dose.text and "0.5 to 3" not in dose.text


def test_marrow_genetics_and_autoimmune_scope(data):
    assert statement(data, "cyclic", "marrow").citations
    idiopathic = statement(data, "idiopathic", "genetics")
    assert "GFI1" in idiopathic.text and "omim_607847" in idiopathic.citations
    for attribute in ("onset", "anc", "symptoms", "treatment"):
        assert statement(data, "autoimmune", attribute).text.startswith("In infants")
    assert "adults" in statement(data, "autoimmune", "cause").text


def test_reference_labels_and_addresses(data):
    nord = data.reference("nord_general")
    assert "2022 successor" in nord.title
    assert data.reference("pch_neutropenia").url.startswith("https://pch.health.wa.gov.au/")
    assert "sitecore" not in data.reference("pch_neutropenia").url
    assert str(data.last_reviewed) == "2026-12-06"
