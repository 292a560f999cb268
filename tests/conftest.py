"""Shared fixtures: the bundled report and a way to build throw-away data directories."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from streamlit.components.v2 import manifest_scanner

from explorer.reading.reports import ParsedReport, parse_report

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = PROJECT_ROOT / "data"
BUNDLED_REPORT = BUNDLED_DATA / "reports" / "neutropenia_general.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Every new AppTest (Streamlit 1.67) scans the metadata of every installed package for
# custom components before its first run: measured, 0.15 s of CPU per AppTest, three
# quarters of a typical page test here. No package is installed or removed while the tests
# run, so one scan per test process gives every AppTest the same answer. A running server
# scans once, at its start.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    # CI replays the same examples on every run, so a red build always means a change
    # broke something; local runs keep exploring new examples (and found real bugs).
    settings.load_profile("ci")


def fresh_python_output(code: str) -> str:
    """What ``code`` prints in a new Python process started in the project folder: what an
    import loads shows only in a process that has imported nothing yet."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="session")
def bundled() -> ParsedReport:
    """The bundled NORD report, parsed."""
    return parse_report(BUNDLED_REPORT.read_text(encoding="utf-8"), file="reports/x.txt")


@pytest.fixture
def data_dir(tmp_path: Path):
    """A copy of the bundled data directory that a test may change freely."""
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, target)
    return target


HOSTILE_VALUES = (
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "[click me](javascript:alert(1))",
    "javascript:alert(1)",
    ":red[styled] **bold** # heading <b>b</b>",
    "A" * 5000,
    "\x00\x07\x1b[31m\r\n\t",
    "\u202e\u200b\ufeff",
    "ZZ",
    "-1",
    "-999999999999999999999",
    "1e309",
    "NaN",
    "",
    "   ",
    "😀" * 60,
    '=HYPERLINK("http://evil.example")',
    "../../etc/passwd",
)
"""Markup, links, huge and control-character strings, unknown codes, odd numbers."""


@pytest.fixture(scope="session")
def bundled_catalog():
    """The bundled data built once per test session (per xdist worker), shared by every
    test that only reads it; the pipeline keeps it for later builds of the same folder, so
    an in-process command on the bundled data does not build it again."""
    from explorer.pipeline import build_catalog

    return build_catalog(BUNDLED_DATA)
