"""Real-browser test of the Take-away page: fill the card's form, download the three PDFs,
read them back, and check that nothing typed reached the URL or the server's log (and that
axe-core finds no serious accessibility problem on the filled page)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from components.takeaway_views import CARD_FIELDS
from tests.browser.conftest import ARTIFACTS, axe_violations, describe, open_app, wait_for_app

pytestmark = pytest.mark.browser

TYPED = {
    "card_first_name": "Dana-4471 דנה",
    "card_usual_anc": "0.3 x10^9/L (probe-4471)",
    "card_gcsf_dose": "probe-dose-4471",
    "card_care_team": "probe-team-4471",
    "card_care_team_phone": "+1 734 555 4471",
    "card_hospital": "probe-hospital-4471",
}
SECRETS = ("4471", "probe", "Dana", "דנה")
"""Pieces of what was typed: none may appear in the URL or the server log."""


def type_into(page: Page, label: str, value: str) -> None:
    """Type ``value`` and press Enter; the box shows the value it sent (the downloads,
    made on the server, are then read back and checked, so a value that did not reach the
    server fails the test rather than passing unseen)."""
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(value)
    box.press("Enter")
    expect(box).to_have_value(value)
    wait_for_app(page)


def download(page: Page, label: str, target: Path) -> bytes:
    """Click a download button and return the file the browser saved."""
    with page.expect_download(timeout=60_000) as event:
        page.get_by_role("button", name=label).click()
    event.value.save_as(target)
    return target.read_bytes()


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_card_and_summary_download_and_stay_private(
    page: Page, app_server: tuple[subprocess.Popen, str]
):
    """Fill the form, search 48116, download both cards and the summary; the PDFs hold the
    typed details, the fever rule and the international numbers; the URL and the server
    log hold none of what was typed."""
    process, base = app_server
    open_app(page, f"{base}/organizations")
    type_into(page, "Find organizations near: ZIP, postal code or city", "48116")
    wait_for_app(page, page.get_by_role("heading", name=re.compile("Near 48116")))
    page.get_by_role("link", name="Take it with you").click()
    expect(page.locator("h1").first).to_contain_text("Take it with you")
    wait_for_app(page)
    for key, value in TYPED.items():
        type_into(page, CARD_FIELDS[key], value)
    page.get_by_text("Yes", exact=True).click()
    expect(page.get_by_role("radio", name="Yes", exact=True)).to_be_checked()
    wait_for_app(page)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "take-away.png", full_page=True)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert not [secret for secret in SECRETS if secret in page.url]

    wallet = text_of(download(page, "Download wallet card (PDF)", ARTIFACTS / "dl-wallet.pdf"))
    full = text_of(download(page, "Download full-page card (PDF)", ARTIFACTS / "dl-page.pdf"))
    summary = text_of(download(page, "Download visit summary (PDF)", ARTIFACTS / "dl-summary.pdf"))
    for text in (wallet, full):
        assert "38.0 °C (100.4 °F)" in text
        assert "Dana-4471" in text and "probe-team-4471" in text and "+1 734 555 4471" in text
    assert "Yes, probe-dose-4471" in full
    assert "near 48116 Brighton, Michigan, US" in summary
    assert "+1 810-229-5797" in summary
    assert "4471" not in summary, "the summary carries nothing from the card's form"

    assert not [secret for secret in SECRETS if secret in page.url]
    log = (ARTIFACTS / f"server-{base.rsplit(':', 1)[1]}.log").read_text(errors="replace")
    assert process.poll() is None
    assert not [secret for secret in SECRETS if secret in log]
