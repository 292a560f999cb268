"""``check``'s audit of the subtype content: canonical reference hosts and ICD-10-CM codes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from explorer.models import ParseIssue
from explorer.subtypes import load_subtypes
from explorer.subtypes.audit import (
    icd10_issues,
    is_canonical,
    read_canonical_hosts,
    reference_host_issues,
)

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = "subtypes/references.csv"
STATEMENTS = "subtypes/statements.csv"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled subtype data whose every reference URL is on doi.org."""
    shutil.copytree(ROOT / "data" / "subtypes", tmp_path / "subtypes")
    shutil.copytree(ROOT / "data" / "reports", tmp_path / "reports")
    path = tmp_path / "subtypes" / "references.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    url = rows[0].index("url")
    for number, row in enumerate(rows[1:]):
        row[url] = f"https://doi.org/10.1000/test{number}"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return tmp_path


def plant(data: Path, url: str) -> int:
    """Add a cited reference with this URL; return its line in references.csv."""
    path = data / "subtypes" / "references.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"planted,Planted,,Pub,2020,{url},,\n", encoding="utf-8")
    glossary = data / "subtypes" / "glossary.csv"
    glossary.write_text(glossary.read_text() + "Planted,,A term.,planted\n", encoding="utf-8")
    return text.count("\n") + 1


def test_canonical_hosts_pass(data: Path):
    """Every URL on an allowed host: no issue at all."""
    assert reference_host_issues(data) == []


@pytest.mark.parametrize(
    "mirror",
    [
        "https://docslib.org/doc/5228265/cyclic-neutropenia",
        "https://iiab.me/kiwix/content/nih_rarediseases_en_all_maxi_2020-12/A/x.html",
        "http://ashpublications.net/blood/article/91/1/181/260323/Diagnosis",
        "https://doi.org.evil.example/10.1/x",
        "https://www.doi.org/10.1/x",
    ],
)
def test_a_planted_mirror_fails_at_its_line(data: Path, mirror: str):
    """A mirror, reprint or look-alike host is an error naming references.csv and the line."""
    line = plant(data, mirror)
    issues = reference_host_issues(data)
    assert [(i.file, i.line, i.severity) for i in issues] == [(REFERENCES, line, "error")]
    assert "planted: URL host" in issues[0].message
    assert load_subtypes(data)[0] is not None, "the app still shows the table"


def test_the_bundled_allow_list_reads_cleanly_and_has_no_mirror_hosts():
    """The shipped list parses without issue and lists none of the hosts the issue named."""
    issues: list[ParseIssue] = []
    hosts = read_canonical_hosts(ROOT / "data" / "subtypes", issues)
    assert issues == []
    assert {"doi.org", "pubmed.ncbi.nlm.nih.gov", "medlineplus.gov"} <= hosts
    assert not hosts & {"docslib.org", "iiab.me", "stfrancishealth.org", "imedicalcode.com"}


def test_allow_list_entries_are_hosts_or_path_prefixes(tmp_path: Path):
    """A prefix must end in '/', so 'host/reg' cannot also allow 'host/regular-page'."""
    (tmp_path / "canonical_hosts.txt").write_text(
        "# comment\nDOI.org  # resolver\nuni.example/registry/\nuni.example/reg\nhttps://x.org\n"
    )
    issues: list[ParseIssue] = []
    allowed = read_canonical_hosts(tmp_path, issues)
    assert allowed == {"doi.org", "uni.example/registry/"}
    assert [(i.line, i.severity) for i in issues] == [(4, "error"), (5, "error")]
    assert is_canonical("https://doi.org/10.1/x", allowed)
    assert is_canonical("https://uni.example/registry/Info.htm", allowed)
    assert not is_canonical("https://uni.example/other/registry/", allowed)
    assert not is_canonical("https://uni.example/registry-copy/x", allowed)
    assert not is_canonical("https://sub.doi.org/10.1/x", allowed)


def set_icd10(data: Path, form: str, text: str) -> int:
    """Replace the icd10 statement of ``form``; return its line in statements.csv."""
    path = data / "subtypes" / "statements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{form},icd10,"))
    lines[number] = f'{form},icd10,"{text}",icd10cm_d70'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def test_bundled_icd10_codes_and_titles_match_the_code_set():
    """Every code in the comparison exists and carries its official title."""
    subtypes, _ = load_subtypes(ROOT / "data")
    assert any(s.attribute == "icd10" for s in subtypes.statements)
    assert icd10_issues(subtypes) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("D70.0 Congenital neutropenia.", "titled 'Congenital agranulocytosis'"),
        ("D70.7 Neutropenia of unknown kind.", "D70.7 is not an ICD-10-CM code"),
        ("No code is given here.", "names no code"),
        ("D70.4 Cyclic neutropenia, or D70.9 unspecified.", "titled 'Neutropenia, unspecified'"),
    ],
)
def test_a_wrong_code_or_title_fails_at_its_line(data: Path, text: str, message: str):
    """Unknown codes, wrong titles and missing codes name statements.csv and the line."""
    line = set_icd10(data, "cyclic", text)
    subtypes, _ = load_subtypes(data)
    issues = icd10_issues(subtypes)
    assert [(i.file, i.line) for i in issues] == [(STATEMENTS, line)]
    assert message in issues[0].message


def test_title_comparison_ignores_case_and_a_closing_full_stop(data: Path):
    set_icd10(data, "cyclic", "d70.4 is not a code but D70.4 CYCLIC NEUTROPENIA.")
    subtypes, _ = load_subtypes(data)
    assert icd10_issues(subtypes) == []
