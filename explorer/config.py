"""Where the app and the CLI read their data from."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR_ENV = "EXPLORER_DATA_DIR"


def data_dir() -> Path:
    """The data directory: ``$EXPLORER_DATA_DIR`` if set, else the bundled ``data/``.

    An environment variable (not a widget) so maintainers can point the same app
    and CLI at another set of reports without touching code.
    """
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else PROJECT_ROOT / "data"


SETTINGS_FILE = "settings.toml"


def _configured_default(folder: Path) -> str:
    """``default_disorder`` of a data folder's settings file; ``""`` if unset or unreadable."""
    try:
        with (folder / SETTINGS_FILE).open("rb") as handle:
            value = tomllib.load(handle).get("default_disorder", "")
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    return value if isinstance(value, str) else ""


def default_disorder(folder: Path, disorder_ids: Sequence[str]) -> str:
    """The disorder to open on: the data folder's setting, else the bundled folder's, else the
    first one (``""`` when there is none). A setting naming a missing disorder is skipped."""
    for candidate in (_configured_default(folder), _configured_default(PROJECT_ROOT / "data")):
        if candidate in disorder_ids:
            return candidate
    return disorder_ids[0] if disorder_ids else ""
