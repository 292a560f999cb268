"""Faults a maintainer can cause: data folder missing, not a folder or unreadable, and a
gazetteer package missing. The app and ``python -m explorer check`` say what is wrong and
how to fix it; neither shows a traceback. (A corrupt cache is covered in test_cache.py.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.gazetteer_packages import GAZETTEER_PACKAGES
from explorer.places.gazetteer import load_gazetteer
from tests.conftest import BUNDLED_DATA, PROJECT_ROOT

PAGES = ["pages/overview.py", "pages/subtypes.py", "pages/organizations.py"]


def run_app(monkeypatch, data: Path, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def check(*args: str, prelude: str = "") -> subprocess.CompletedProcess:
    """``python -m explorer check`` in a fresh interpreter (``prelude`` runs first)."""
    code = f"{prelude}\nfrom explorer.__main__ import main\nraise SystemExit(main({list(args)}))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )


def deny_reading(monkeypatch, folder: Path) -> None:
    """Make every file and folder under ``folder`` unreadable, even for root (CI runs as root)."""

    def guard(original):
        def wrapper(self, *args, **kwargs):
            if Path(self).is_relative_to(folder):
                raise PermissionError(13, "Permission denied", str(self))
            return original(self, *args, **kwargs)

        return wrapper

    for name in ("iterdir", "open", "read_bytes", "read_text"):
        monkeypatch.setattr(Path, name, guard(getattr(Path, name)))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_data_directory_missing_or_not_a_folder(monkeypatch, tmp_path, page, kind):
    """The app names the folder and the variable to set; no traceback."""
    data = tmp_path / "data"
    if kind == "a file":
        data.write_text("not a folder")
    at = run_app(monkeypatch, data, page)
    assert not at.exception
    assert "EXPLORER_DATA_DIR" in errors(at)
    assert "`reports`" in errors(at)  # named relative to the data folder:
    assert str(tmp_path) not in errors(at)  # a visitor never sees the server's paths


@pytest.mark.parametrize("page", PAGES)
def test_data_directory_unreadable(monkeypatch, tmp_path, page):
    """Permission denied on the data folder: a message saying what and how, not a traceback."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    deny_reading(monkeypatch, data)
    at = run_app(monkeypatch, data, page)
    assert not at.exception
    message = errors(at)
    assert "Permission denied" in message
    assert "readable" in message
    assert "Traceback" not in message


def test_check_reports_unreadable_folder(tmp_path):
    """The CLI says the folder cannot be read, exits 1, and prints no traceback."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    prelude = (
        "import pathlib\n"
        "def denied(self, *a, **k): raise PermissionError(13, 'Permission denied', str(self))\n"
        "pathlib.Path.iterdir = denied"
    )
    result = check("check", "--data", str(data), prelude=prelude)
    assert result.returncode == 1
    assert "reports:0: error: cannot list the reports folder: Permission denied" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("package", GAZETTEER_PACKAGES)
def test_app_names_missing_gazetteer_package(monkeypatch, tmp_path, package):
    """Without a gazetteer package the app names it and how to install it."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)  # a new folder: not served from the data cache
    monkeypatch.setitem(sys.modules, package, None)  # import now fails as if not installed
    load_gazetteer.cache_clear()
    try:
        at = run_app(monkeypatch, data, "pages/organizations.py", place="48116")
    finally:
        load_gazetteer.cache_clear()
    assert not at.exception
    message = errors(at)
    assert f"'{package}' is not installed" in message
    assert "pip install -r requirements.txt" in message
    assert not at.dataframe, "nothing half-built is shown"


@pytest.mark.parametrize("package", GAZETTEER_PACKAGES)
def test_check_names_missing_gazetteer_package(package):
    """``python -m explorer check`` exits 1 with one line naming the package to install."""
    result = check("check", prelude=f"import sys\nsys.modules[{package!r}] = None")
    assert result.returncode == 1
    assert f"'{package}' is not installed" in result.stderr
    assert "requirements.txt" in result.stderr
    assert "Traceback" not in result.stderr
