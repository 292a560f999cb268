"""Nothing a visitor sees names the server's own folders."""

from __future__ import annotations

import shutil

from tests.conftest import BUNDLED_DATA
from tests.test_faults import deny_reading, errors, run_app


def test_an_unreadable_data_folder_is_named_relative_to_the_data_folder(monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    deny_reading(monkeypatch, data)
    at = run_app(monkeypatch, data, "pages/overview.py")
    message = errors(at)
    assert "Permission denied" in message
    assert str(tmp_path) not in message
    # the first file read: the safety notice's sources, before any report
    assert "subtypes/references.csv" in message
