"""Privacy of the Count diary: after a session with a typed-in file of counts, no count is
in the cache folder, the temp folder, the log or the page's link."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
import pytest

from components.diary_views import UNIT_KEY, UPLOAD_KEY
from tests.apptest_helpers import run_app
from tests.counts_helpers import cyclic_counts

PAGE = "pages/count_diary.py"


def secret_diary() -> tuple[bytes, list[str]]:
    """A diary whose counts (4 decimals) cannot appear anywhere by coincidence; each count
    is looked for as written and with a decimal comma."""
    counts, _ = cyclic_counts(23, 8, np.random.default_rng(41))
    values = [f"{c.anc:.4f}" for c in counts]
    rows = "".join(f"{c.day:%Y-%m-%d},{v}\n" for c, v in zip(counts, values, strict=True))
    secrets = [*values, *(v.replace(".", ",") for v in values)]
    return ("date,ANC (x10^9/L)\n" + rows).encode(), secrets


def files_holding(folder: Path, secrets: list[str]) -> list[str]:
    """Files under ``folder`` whose bytes hold any secret (UTF-8 or UTF-16)."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if any(s.encode() in content or s.encode("utf-16-le") in content for s in secrets):
                found.append(str(path.relative_to(folder)))
    return found


def test_a_session_leaves_no_count_in_cache_temp_log_or_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    cache, temp = tmp_path / "cache", tmp_path / "temp"
    cache.mkdir()
    temp.mkdir()
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(cache))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    caplog.set_level(logging.DEBUG)
    content, secrets = secret_diary()

    at = run_app(PAGE)
    at.file_uploader(key=UPLOAD_KEY).set_value(("diary.csv", content, "text/csv")).run()
    at.selectbox(key=UNIT_KEY).set_value("e3_per_ul").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "rise and fall about every 2" in shown, "the session really used the counts"
    assert secrets[0] in at.data_editor[0].value.to_csv(), "and they are in its table"

    assert files_holding(cache, secrets) == []
    assert files_holding(temp, secrets) == []
    assert not [s for s in secrets if s in caplog.text]
    link = repr(at.query_params)
    assert not [s for s in secrets if s in link]
    assert "diary" not in link


def test_the_file_check_finds_a_count_when_one_is_written(tmp_path: Path):
    """The check above can fail: a count written to a file in the folder is found."""
    _, secrets = secret_diary()
    (tmp_path / "leak.bin").write_bytes(b"x" + secrets[3].encode("utf-16-le"))
    assert files_holding(tmp_path, secrets) == ["leak.bin"]
