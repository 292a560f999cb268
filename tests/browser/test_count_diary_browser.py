"""Real-browser test of the Count diary: type counts into the table, upload a diary, see
the chart and the estimate, download the clinician PDF and the diary CSV; no count reaches
the URL or the server's log, and axe-core finds no serious problem on the filled page."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, axe_violations, describe, open_app
from tests.counts_helpers import cyclic_counts

pytestmark = pytest.mark.browser

TYPED = (("2026-03-02", "0.4173"), ("2026-03-04", "1.2961"))
ROW_PX = 35
"""Height of a row of Streamlit's data editor (the header row is as high)."""


def cyclic_diary() -> tuple[str, list[str]]:
    """A day-first CSV of 8 weeks of cyclic counts, and each count as written (4 decimals,
    so a count found in the log or the URL cannot be a coincidence)."""
    counts, _ = cyclic_counts(21, 8, np.random.default_rng(31))
    values = [f"{c.anc:.4f}" for c in counts]
    rows = "".join(
        f"{c.day:%d/%m/%Y};{v.replace('.', ',')}\n" for c, v in zip(counts, values, strict=True)
    )
    return "Datum;ANC (10^9/L)\n" + rows, values


def type_count(page: Page, row: int, day: str, value: str) -> None:
    """Add a row with the table's + button and type a date and a count into it, as a person
    does: each cell is found where the table is when it is double-clicked (not where it
    was before the previous edit), and the count is typed once the page has answered the
    date (a date with no count yet is listed as a row not used)."""
    table = page.locator("[data-testid=stDataFrame]").first
    table.hover()
    page.get_by_role("button", name="Add row").click()
    edit_cell(page, table, row, 0.25)
    page.locator("input[data-testid=date-picker-cell]").fill(day)
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"^1 row\(s\) are not used"))).to_be_visible()
    edit_cell(page, table, row, 0.75)
    page.locator("input.gdg-input").fill(value)
    page.keyboard.press("Enter")


def edit_cell(page: Page, table: Locator, row: int, across: float) -> None:
    """Double-click the cell of ``row`` at ``across`` (a fraction of the table's width), read
    from where the table is now."""
    box = table.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] * across, box["y"] + ROW_PX * row + ROW_PX / 2)


def download(page: Page, label: str, target: Path) -> bytes:
    with page.expect_download(timeout=60_000) as event:
        page.get_by_role("button", name=label).click()
    event.value.save_as(target)
    return target.read_bytes()


def test_type_and_upload_counts_see_chart_and_estimate_and_nothing_leaks(
    page: Page, app_server: tuple[subprocess.Popen, str], tmp_path: Path
):
    _, base = app_server
    open_app(page, f"{base}/count_diary")
    expect(page.get_by_role("heading", name="Count diary", exact=True)).to_be_visible()
    chart = page.locator("[data-testid=stVegaLiteChart]")
    expect(chart).to_have_count(0)

    type_count(page, 1, *TYPED[0])
    expect(page.get_by_text("1 count over 0 days")).to_be_visible()
    type_count(page, 2, *TYPED[1])
    expect(page.get_by_text("2 counts over 2 days")).to_be_visible()
    expect(page.get_by_text("Not enough yet to look for a cycle")).to_be_visible()
    expect(chart).to_have_count(1)
    named = page.locator("[aria-label^='Chart of 2 neutrophil counts']")
    expect(named.first).to_be_attached()  # the chart's text alternative

    text, values = cyclic_diary()
    diary = tmp_path / "lab-export.csv"
    diary.write_text(text, encoding="utf-8")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(diary)
    expect(page.get_by_text(re.compile(r"rise and fall about every 2[01] days"))).to_be_visible()
    expect(page.get_by_text(re.compile("read in ×10⁹/L because the column header"))).to_be_visible()
    expect(chart).to_have_count(1)
    # The guidance's one fever rule: in the page's safety notice, and again beside the estimate.
    rule = page.locator("[data-testid=stAlert]").filter(has_text="or seems unwell")
    expect(rule).to_have_count(2)
    page.screenshot(path=ARTIFACTS / "count-diary.png", full_page=True)

    pdf = download(page, "Download the page for the clinician (PDF)", tmp_path / "diary.pdf")
    pages = PdfReader(io.BytesIO(pdf)).pages
    said = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert len(pages) == 1
    assert re.search(r"rise and fall about every 2[01] days", said)
    kept = download(page, "Download the diary (CSV)", tmp_path / "kept.csv").decode("utf-8-sig")
    assert all(value.rstrip("0").rstrip(".") in kept for value in values)

    violations = axe_violations(page)
    assert not violations, describe(violations)

    secrets = [*values, *(value for _, value in TYPED)]
    assert not [s for s in secrets if s in page.url or s.replace(".", ",") in page.url]
    assert urlsplit(page.url).query == ""
    port = urlsplit(base).port
    log = (ARTIFACTS / f"server-{port}.log").read_text(encoding="utf-8", errors="replace")
    assert not [s for s in secrets if s in log or s.replace(".", ",") in log]
