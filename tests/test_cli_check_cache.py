"""``python -m explorer check`` reads back what an earlier run built, and checks the same.

What is slow to build and does not change between runs (the ICD-10-CM code set's answers,
the genetic-conditions extract, the gazetteer) comes from the app's disk cache on a second
run; the checks and their results stay the same. No timings here: ``bench/run.py`` measures.
"""

from __future__ import annotations

import os
import pickle
import pickletools
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.conditions import cached
from explorer.places.gazetteer.records import Country, Place, PostalArea, Region
from explorer.subtypes import audit
from tests.conftest import FIXTURES, PROJECT_ROOT


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(folder))
    return folder


def test_icd10_answers_come_from_the_code_set_once_then_from_the_cache(cache_dir, monkeypatch):
    codes = ["D70.4", "D70.5"]
    first = audit.icd10_titles(codes)
    assert first == {"D70.4": "Cyclic neutropenia", "D70.5": None}

    def code_set_read(codes):
        raise AssertionError(f"the code set was read again for {codes}")

    monkeypatch.setattr(audit, "_icd10_answers", code_set_read)
    assert audit.icd10_titles(codes) == first
    with pytest.raises(AssertionError, match=r"D70\.9"):  # other codes: asked again
        audit.icd10_titles(["D70.4", "D70.9"])


def test_the_conditions_extract_is_built_once_then_read_back(cache_dir, monkeypatch):
    first, issues = cached.load_extract(FIXTURES / "hpo")
    assert issues == ()
    assert not first.conditions.empty

    def built(folder):
        raise AssertionError("the extract was built again")

    monkeypatch.setattr(cached, "build_extract", built)
    again, issues = cached.load_extract(FIXTURES / "hpo")
    assert issues == ()
    assert again.conditions.equals(first.conditions)
    assert again.features.equals(first.features)
    assert again.release == first.release


@pytest.mark.parametrize(
    "record",
    [
        Place("Brighton", "US", "MI", 42.5, -83.8, 7_500),
        PostalArea("48116", "Brighton", "Brighton", "MI", "US", 42.5, -83.8, po_box=True),
        Region("CA", "MB", "Manitoba", 53.8, -98.8),
        Country("CA", "Canada", 45.4, -75.7, "Ottawa", re.compile(r"^[A-Z]\d[A-Z]")),
    ],
)
def test_gazetteer_records_pickle_as_constructor_calls(record):
    """About 140,000 of these are read back from the disk cache by every new process: a
    call of the class reads back about twice as fast as the dataclass default's per-record
    ``__setstate__`` (a BUILD in the pickle)."""
    data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(data) == record
    assert "BUILD" not in {opcode.name for opcode, _, _ in pickletools.genops(data)}


def test_a_second_check_loads_no_code_set_astropy_or_pdf_maker_and_says_the_same(cache_dir, capsys):
    """The first run (here) fills the cache; a second run in a fresh process reads it and
    prints the same report, without importing the ICD-10-CM code set (seconds), astropy
    (only the count diary's cycle estimate uses it) or fpdf2 (only to draw a PDF)."""
    assert main(["check"]) == 0
    first = capsys.readouterr().out
    probe = (
        "import sys\n"
        "from explorer.__main__ import main\n"
        "code = main(['check'])\n"
        "loaded = [m for m in ('simple_icd_10_cm', 'astropy', 'fpdf') if m in sys.modules]\n"
        "print('loaded:', loaded, 'exit:', code)\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        env={**os.environ, "EXPLORER_CACHE_DIR": str(cache_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert second.returncode == 0, second.stderr
    report, _, last = second.stdout.rstrip("\n").rpartition("\n")
    assert last == "loaded: [] exit: 0"
    assert report + "\n" == first
