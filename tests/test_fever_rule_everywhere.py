"""One fever rule, one source: every page, both card layouts, the visit summary and the
command line's PDFs print the words of the first ``fever`` row of ``guidance.csv``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from explorer.__main__ import main
from explorer.subtypes import FEVER, load_guidance
from tests.apptest_helpers import run_app, safety_notices
from tests.conftest import BUNDLED_DATA

PAGES = [
    "pages/overview.py",
    "pages/subtypes.py",
    "pages/organizations.py",
    "pages/conditions.py",
    "pages/take_away.py",
]


@pytest.fixture(scope="module")
def rule() -> str:
    """The rule as the data states it, spaces made single for comparison with PDF text."""
    fever = load_guidance(BUNDLED_DATA)[0].topic(FEVER)
    assert fever, "the bundled guidance has a fever row"
    return flat(fever[0].text)


def flat(text: str) -> str:
    """Text with Markdown escapes removed and every run of white space made one space."""
    return " ".join(text.replace("\\", "").split())


def pdf_text(path: Path) -> str:
    return flat(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
    )


def test_the_rule_says_seems_unwell_and_neutropenia(rule):
    """What the card used to drop is in the one rule."""
    assert "38.0 °C (100.4 °F)" in rule
    assert "seems unwell" in rule and "say that they have neutropenia" in rule


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_guidance_rule(page, rule):
    at = run_app(page)
    assert not at.exception
    fever, _ = safety_notices(at)
    assert rule in flat(fever)


@pytest.mark.parametrize("layout", ["wallet", "page"])
def test_card_command_prints_the_guidance_rule(tmp_path: Path, layout, rule):
    """``python -m explorer card``: the same words on both layouts."""
    out = tmp_path / f"{layout}.pdf"
    assert main(["card", "--layout", layout, "--out", str(out)]) == 0
    assert rule in pdf_text(out)


def test_summary_command_prints_the_guidance_rule(tmp_path: Path, rule):
    """The visit summary's first page carries the same rule."""
    out = tmp_path / "summary.pdf"
    assert main(["summary", "--form", "cyclic", "--form", "congenital", "--out", str(out)]) == 0
    first_page = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert rule in flat(first_page)
