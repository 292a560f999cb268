"""The data pipeline, named once: a data folder → the catalog → the directory with map points.

:func:`build_catalog` is what the app's loader, the CLI, the benchmark and the tests build
from a data folder, so all of them see the same data and the same problems. Each step
lives with its job: reading and merging reports (:mod:`explorer.catalog`), the curated
contact status (:mod:`explorer.contact_status`) and type rules (:mod:`explorer.classify`),
placing addresses (:mod:`explorer.geocode`). :func:`build_directory` adds the directory
table and each organization's map point: the value the app's disk cache keeps, keyed on
this module and every module it imports (:func:`explorer.cache.sources_of`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from explorer.catalog import (
    Catalog,
    FileReader,
    Progress,
    currency,
    merge_organizations,
    read_phones_for_country,
    read_reports,
)
from explorer.classify import load_overrides, make_classifier
from explorer.cold_build import reports_beside_gazetteer
from explorer.contact_status import load_contact_status, make_corrector, unmatched_corrections
from explorer.directory import directory_frame
from explorer.gazetteer import gc_paused
from explorer.geocode import geocode
from explorer.map_points import with_map_points
from explorer.models import Disorder, Location, Organization

PLACING = "Placing organizations"
BUILDING_MAP = "Building the directory and the map"
PROGRESS_STEP = 5_000
"""Organizations placed between two progress reports."""


def build_catalog(
    data_dir: Path, progress: Progress | None = None, *, read_files: FileReader | None = None
) -> Catalog:
    """Every report under ``data_dir`` read, its organizations merged, corrected by the
    curated contact status, typed, placed, their phones read for the country they are in,
    and each given its currency (:func:`~explorer.catalog.currency`).

    Reports are read by ``read_files``, by default in worker processes while this one
    builds the gazetteer (:mod:`explorer.cold_build`); ``progress`` is told each stage's
    advance. The cyclic garbage collector is paused meanwhile: 100,000 organizations are
    about a million long-lived records, which it would otherwise rescan again and again
    (a third of the time).
    """
    overrides, override_issues = load_overrides(data_dir)
    corrections, status_issues = load_contact_status(data_dir)
    classify = make_classifier(overrides)
    correct = make_corrector(corrections)
    with gc_paused():
        disorders, issues = read_reports(
            data_dir, read_files or reports_beside_gazetteer(progress), progress
        )
        merged = merge_organizations((o for d in disorders for o in d.organizations), issues)
        status_issues += unmatched_corrections(corrections, merged)
        organizations = tuple(
            dataclasses.replace(corrected, org_type=org_type, reach=reach)
            for org in merged
            for corrected in [correct(org)]
            for org_type, reach in [classify(corrected)]
        )
        organizations = _placed(organizations, lambda org: geocode(org.address), progress)
        titles = {d.source.file: (d.title, d.retrieved) for d in disorders}
        organizations = tuple(
            dataclasses.replace(
                read_phones_for_country(org, issues), currency=currency(org, titles)
            )
            for org in organizations
        )
        return Catalog(
            data_dir=data_dir,
            disorders=_with_merged_organizations(disorders, organizations),
            organizations=organizations,
            issues=(*issues, *override_issues, *status_issues),
        )


def build_directory(
    data_dir: Path, progress: Progress | None = None
) -> tuple[Catalog, pd.DataFrame]:
    """The catalog and its directory table with each organization's map point serialised
    once (what the app's loader keeps in memory and on disk)."""
    catalog = build_catalog(data_dir, progress)
    if progress is not None:
        progress(BUILDING_MAP, 0, 1)
    frame = with_map_points(directory_frame(catalog.organizations))
    if progress is not None:
        progress(BUILDING_MAP, 1, 1)
    return catalog, frame


def _placed(
    organizations: tuple[Organization, ...],
    locate: Callable[[Organization], Location],
    progress: Progress | None,
) -> tuple[Organization, ...]:
    """Each organization with its location, telling ``progress`` every few thousand."""
    placed = []
    for done, org in enumerate(organizations):
        if progress is not None and done % PROGRESS_STEP == 0:
            progress(PLACING, done, len(organizations))
        placed.append(dataclasses.replace(org, location=locate(org)))
    if progress is not None:
        progress(PLACING, len(organizations), len(organizations))
    return tuple(placed)


def _with_merged_organizations(
    disorders: Iterable[Disorder], organizations: tuple[Organization, ...]
) -> tuple[Disorder, ...]:
    """Each disorder listing the merged, typed and placed records of its organizations.

    The catalog then holds one record per organization: the parsed per-report copies
    are dropped (about 15 % of the disk cache's load time at 100,000 organizations).
    """
    listed: dict[str, list[Organization]] = defaultdict(list)
    for org in organizations:
        for disorder_id in org.disorders:
            listed[disorder_id].append(org)
    return tuple(
        dataclasses.replace(disorder, organizations=tuple(listed[disorder.id]))
        for disorder in disorders
    )
