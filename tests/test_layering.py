"""The core's layering as a contract: the pipeline's stage packages import only earlier
stages, reading never reaches the geocoder's index, and nothing under ``explorer/`` imports
Streamlit.

The stages, in the order a report goes through them: ``reading`` (files to records) <
``places`` (the gazetteer, geocoding, the near-me resolver) < ``directory`` (the table,
search, facets, map points) < ``exports`` (CSV, vCard, HSDS). The drivers that run them
(``catalog``, ``pipeline``, ``cold_build``, ``stored``, ``__main__``) sit above every stage;
the shared helpers beside them import no stage at all. Read from the import statements
(an AST walk, every import wherever it is written, lazy ones included) and checked once
more by importing the reading stage in a fresh interpreter.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import fresh_python_output

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "explorer"
STAGES = ("reading", "places", "directory", "exports")
"""The stage packages, earliest first: a stage may import only itself and earlier ones."""
DRIVERS = ("catalog", "pipeline", "cold_build", "stored", "__main__")
"""Modules that run the stages: no stage may import them (they import the stages)."""
SHARED = (
    "cells",
    "config",
    "gazetteer_packages",
    "gc_pause",
    "links",
    "lookup_key",
    "models",
    "place_names",
)
"""Small helpers every stage may use; they import no stage."""


def module_name(path: Path) -> str:
    """``explorer/reading/reports.py`` -> ``explorer.reading.reports``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str) -> set[str]:
    """Every module an import statement in ``source`` names; ``from a import b`` counts as
    ``a`` and ``a.b`` (``b`` may be a module). A relative import keeps its dots (``..x``):
    the core has none, and the checks below refuse one rather than guess its target."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def stage_of(module: str) -> int | None:
    """The position of ``module``'s stage in :data:`STAGES`, or None outside the stages."""
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "explorer" and parts[1] in STAGES:
        return STAGES.index(parts[1])
    return None


def core_imports() -> dict[str, set[str]]:
    """Each module under ``explorer/`` with the modules it imports."""
    return {
        module_name(path): imported_modules(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def streamlit_imports(imports: dict[str, set[str]]) -> list[str]:
    """``module -> streamlit...`` for every import of Streamlit in ``imports``."""
    return sorted(
        f"{module} -> {name}"
        for module, names in imports.items()
        for name in names
        if name == "streamlit" or name.startswith("streamlit.")
    )


def is_driver(module: str) -> bool:
    """Whether ``module`` is (or is inside) one of the :data:`DRIVERS`."""
    return module.split(".")[:2] in (["explorer", driver] for driver in DRIVERS)


def is_upward(stage: int | None, name: str) -> bool:
    """Whether a module of ``stage`` may not import ``name``: a later stage or a driver (for
    a stage module), or a relative import (for any module)."""
    if name.startswith("."):
        return True
    target = stage_of(name)
    return stage is not None and ((target is not None and target > stage) or is_driver(name))


def upward_imports(imports: dict[str, set[str]]) -> list[str]:
    """``module -> name`` for every import :func:`is_upward` refuses."""
    return sorted(
        f"{module} -> {name}"
        for module, names in imports.items()
        for name in names
        if is_upward(stage_of(module), name)
    )


def test_the_stage_packages_and_shared_helpers_exist():
    """The contract names real folders and modules (a renamed stage would make every check
    below vacuous)."""
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    for helper in SHARED:
        assert (PACKAGE / f"{helper}.py").is_file(), helper
    imports = core_imports()
    assert all(any(stage_of(module) == i for module in imports) for i in range(len(STAGES)))


def test_nothing_under_explorer_imports_streamlit():
    """The core stays usable from the CLI, the benchmark and the tests without Streamlit."""
    assert streamlit_imports(core_imports()) == []


def test_a_stage_imports_no_later_stage_and_no_driver():
    """reading < places < directory < exports: each stage imports only itself, earlier
    stages and the shared modules, never a later stage or the code that drives them."""
    assert upward_imports(core_imports()) == []


def test_shared_helpers_import_no_stage():
    """The helpers every stage uses (``normalize``, ``gc_paused``, the name tables, safe
    links) stay below all stages, so using one never pulls a stage in."""
    imports = core_imports()
    found = sorted(
        f"{helper} -> {name}"
        for helper in SHARED
        for name in imports[f"explorer.{helper}"]
        if stage_of(name) is not None or is_driver(name)
    )
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "streamlit", "upward"),
    [
        ("explorer.reading.x", "import streamlit as st\n", True, False),
        ("explorer.places.x", "def f():\n    from streamlit import cache_data\n", True, False),
        ("explorer.directory.x", "import streamlit.components.v1\n", True, False),
        ("explorer.reading.x", "from explorer.places.gazetteer import Gazetteer\n", False, True),
        ("explorer.reading.x", "from explorer.places import geocode\n", False, True),
        ("explorer.places.x", "from ..exports import hsds\n", False, True),
        ("explorer.directory.x", "from explorer import pipeline\n", False, True),
        ("explorer.exports.x", "from explorer.directory.table import listing\n", False, False),
        ("explorer.places.x", "from explorer.reading.phones import parse_phone\n", False, False),
        ("explorer.reading.x", "import streamlit_x\nimport explorer.config\n", False, False),
        ("explorer.catalog", "from explorer.reading import reports\n", False, False),
    ],
)
def test_the_checks_catch_what_they_forbid(module, source, streamlit, upward):
    """The checks above flag a Streamlit import and an upward import wherever they are
    written (lazy, relative, ``from explorer import``) and nothing else."""
    imports = {module: imported_modules(source)}
    assert bool(streamlit_imports(imports)) is streamlit
    assert bool(upward_imports(imports)) is upward


def test_reading_never_loads_the_place_index_or_streamlit():
    """Importing every module of the reading stage in a fresh interpreter loads no module of
    ``explorer.places`` (directly or through a shared helper) and no Streamlit."""
    modules = sorted(
        module_name(path)
        for path in (PACKAGE / "reading").glob("*.py")
        if path.name != "__init__.py"
    )
    assert "explorer.reading.reports" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = fresh_python_output(code).split()
    assert "explorer.reading.reports" in loaded
    assert [name for name in loaded if name.startswith("explorer.places")] == []
    assert [name for name in loaded if name.split(".")[0] == "streamlit"] == []
