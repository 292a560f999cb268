"""Where the app and the CLI read their data from."""

from __future__ import annotations

import os
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
