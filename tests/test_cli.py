"""The maintainer CLI: ``python -m explorer check|orgs|nearby``.

The commands run in-process (``explorer.__main__.main(argv)``, output captured), so the
bundled data is built once per test session (:func:`tests.conftest.bundled_catalog`), not
once per command; two smoke tests run the real entry point as a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.exports.hsds import hsds_package
from tests.conftest import PROJECT_ROOT


@dataclass(frozen=True)
class Result:
    """What a run of the CLI gave: its exit code and its two output streams."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def explorer(capsys, bundled_catalog) -> Callable[..., Result]:
    """Run ``python -m explorer ARGS`` in this process (after the session's one build of the
    bundled data, which the pipeline then reuses) and capture what it prints."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse refuses a command line with exit code 2
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def real_explorer(*args: str) -> subprocess.CompletedProcess:
    """The real entry point in a process of its own, as a maintainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_entry_point_runs_check_as_a_process():
    """Smoke: ``python -m explorer check`` runs as its own process and exits 0."""
    result = real_explorer("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "organizations: 7" in result.stdout
    assert "errors: 0" in result.stdout


def test_entry_point_exit_code_2_for_an_unknown_place_as_a_process():
    """Smoke: the process's own exit code and stderr, without a traceback."""
    result = real_explorer("nearby", "Detriot, MI")
    assert result.returncode == 2
    assert "Did you mean" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_passes_on_bundled_data(explorer):
    """The bundled data checks clean, with the expected counts."""
    result = explorer("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "organizations: 7" in result.stdout
    assert "phones: 15" in result.stdout  # the moved registry lists one current number
    statuses = "contact status: active 0, moved 1, renamed 0, closed 1, unverified 5"
    assert statuses in result.stdout
    assert "errors: 0" in result.stdout


def test_check_names_a_broken_file(data_dir: Path, explorer):
    """A broken report fails the check with its file and line; the rest is still counted."""
    (data_dir / "reports" / "broken.txt").write_text("just words\nno structure\n")
    result = explorer("check", "--data", str(data_dir))
    assert result.returncode == 1
    assert "reports/broken.txt:1: error: not a NORD report abstract" in result.stdout
    assert "organizations: 7" in result.stdout


def test_check_warnings_alone_exit_zero(data_dir: Path, explorer):
    """Warnings are printed but do not fail the check."""
    report = data_dir / "reports" / "neutropenia_general.txt"
    report.write_text(report.read_text().replace("Tel: (810)229-5797", "Tel: 12"))
    result = explorer("check", "--data", str(data_dir))
    assert result.returncode == 0
    assert "neutropenia_general.txt:24: warning: phone number '12'" in result.stdout


def test_check_fails_on_a_planted_mirror_url(data_dir: Path, explorer):
    """A reference on a mirror host fails the check, naming references.csv and its line."""
    references = data_dir / "subtypes" / "references.csv"
    text = references.read_text(encoding="utf-8")
    mirror = "https://docslib.org/doc/1/neutropenia"
    references.write_text(text + f"mirror_copy,Copy,,Pub,2020,{mirror},,\n", encoding="utf-8")
    line = text.count("\n") + 1
    result = explorer("check", "--data", str(data_dir))
    assert result.returncode == 1
    assert f"subtypes/references.csv:{line}: error: mirror_copy: URL host 'docslib.org'" in (
        result.stdout
    )


def test_check_fails_on_an_erratum_that_misquotes_its_report(data_dir: Path, explorer):
    """An erratum whose line does not hold its text fails the check at the erratum's line."""
    errata = data_dir / "reports" / "errata.csv"
    errata.write_text(
        'file,line,text,read_as,why\nneutropenia_general.txt,12,"Neutropenia, Autoimmune",'
        "subdivision,Why.\n",
        encoding="utf-8",
    )
    result = explorer("check", "--data", str(data_dir))
    assert result.returncode == 1
    assert "reports/errata.csv:2: error: neutropenia_general.txt:12 reads" in result.stdout


def test_check_fails_on_a_wrong_icd10_title(data_dir: Path, explorer):
    """An ICD-10-CM title that the code set does not confirm fails the check."""
    statements = data_dir / "subtypes" / "statements.csv"
    text = statements.read_text(encoding="utf-8")
    assert "D70.4 Cyclic neutropenia" in text
    statements.write_text(text.replace("D70.4 Cyclic neutropenia", "D70.4 Cyclical"), "utf-8")
    result = explorer("check", "--data", str(data_dir))
    assert result.returncode == 1
    assert "D70.4 is titled 'Cyclic neutropenia' in ICD-10-CM" in result.stdout


def test_orgs_csv_lists_typed_and_placed_organizations(explorer):
    """Seven rows with HSDS column names, phones typed, coordinates and precision."""
    result = explorer("orgs", "--format", "csv")
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7
    gard = next(r for r in rows if r["name"].startswith("Genetic and Rare"))
    assert "textphone (toll-free, TTY/TDD): +18882053223" in gard["phones"]
    assert {r["geocode_precision"] for r in rows} == {"postal_code", "city"}
    assert all(r["latitude"] and r["longitude"] for r in rows)
    assert {r["country"] for r in rows} == {"US", "CA", "AU"}


def test_orgs_json(explorer):
    """JSON output has the same rows."""
    rows = json.loads(explorer("orgs", "--format", "json").stdout)
    assert [r["name"] for r in rows][:1] == ["National Neutropenia Network"]


def test_orgs_hsds_writes_the_package(tmp_path: Path, explorer, bundled_catalog):
    """``--format hsds --out`` writes the same zip the app offers; without --out it refuses."""
    out = tmp_path / "directory.zip"
    result = explorer("orgs", "--format", "hsds", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "wrote 7 organizations" in result.stderr
    catalog = bundled_catalog
    assert out.read_bytes() == hsds_package(catalog.organizations, reports=catalog.disorders)
    assert "organizations.csv" in zipfile.ZipFile(out).namelist()
    refused = explorer("orgs", "--format", "hsds")
    assert refused.returncode == 2
    assert "--out FILE.zip" in refused.stderr
    assert not refused.stdout


def test_orgs_out_reports_an_unwritable_file(tmp_path: Path, explorer):
    """A file that cannot be written is one clear error, not a traceback."""
    result = explorer("orgs", "--out", str(tmp_path / "missing" / "x.csv"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot write")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Detroit, MI", "National Neutropenia Network"),
        # The Winnipeg association is closed (data/curated), so it is not first here.
        ("R3M 3S7", "MUMS National Parent-to-Parent Network"),
        ("Ballarat, Australia", "Severe Chronic Neutropenia International Registry Australia"),
        ("Boston, MA", "Severe Chronic Neutropenia International Registry"),  # it moved
    ],
)
def test_nearby_orders_by_distance(query, first, explorer):
    """The nearest organization comes first and distances never decrease."""
    result = explorer("nearby", query, "--limit", "7")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["name"] == first
    distances = [float(r["distance_km"]) for r in rows]
    assert distances == sorted(distances)


def test_nearby_radius_limits_results(explorer):
    """A 100 km radius around Detroit keeps only the Brighton network."""
    rows = list(
        csv.DictReader(io.StringIO(explorer("nearby", "Detroit, MI", "--radius-km", "100").stdout))
    )
    assert [r["name"] for r in rows] == ["National Neutropenia Network"]


def test_nearby_unknown_place_exits_2(explorer):
    """An unknown place is a clear message with suggestions and exit code 2, not a traceback."""
    result = explorer("nearby", "Detriot, MI")
    assert result.returncode == 2
    assert "Did you mean: Detroit, Michigan, US?" in result.stderr
    assert "Traceback" not in result.stderr
