"""The forms of severe chronic neutropenia compared side by side, every statement sourced.

The content is curated by hand in ``DATA_DIR/subtypes`` and checked here, so an
uncited or mis-cited statement is caught by ``python -m explorer check`` before it
reaches a parent or a clinician:

- ``references.csv`` — the sources (key, title, authors, publisher, year, url, …);
- ``attributes.csv`` — the rows of the comparison, in display order;
- ``forms.csv`` — the forms, the report names that map to each, and the parameters of
  the schematic ANC chart with the citations they come from;
- ``chart_lines.csv`` — the cited ANC thresholds drawn across the chart;
- ``statements.csv`` — one short statement per (form, attribute) with citation keys;
- ``glossary.csv`` — plain-language definitions of the jargon, also cited;
- ``guidance.csv`` — what to do (the fever rule, when to see a haematologist), cited;
- ``about.toml`` — the table-wide facts: last review date, classification note;
- ``canonical_hosts.txt`` — the publishers' hosts a reference URL may point to.

CSV keeps one record per line, so every problem is reported as ``file:line``. A
(form, attribute) pair without a row is shown as :data:`NO_STATEMENT`: we leave out
what we cannot source rather than write it from memory.

Modules: :mod:`.records` (the typed records), :mod:`.rows` (CSV reading shared by every
file), :mod:`.references`, :mod:`.guidance`, :mod:`.about` and :mod:`.loader` (reading
and checking), :mod:`.compare` and :mod:`.chart` (using the data), :mod:`.audit` (checks
against outside references that only ``check`` runs: canonical hosts, ICD-10-CM). The
chart is imported from its own module: it needs pandas, and every page's frame imports
this package.
"""

from explorer.subtypes.compare import (
    comparison_csv,
    comparison_table,
    glossary_mentions,
    is_curated_for,
    map_report_names_to_forms,
)
from explorer.subtypes.guidance import FEVER, SEE_HAEMATOLOGIST, load_guidance
from explorer.subtypes.loader import load_subtypes
from explorer.subtypes.records import (
    NO_STATEMENT,
    SUBTYPES_SUBDIR,
    Advice,
    Cell,
    Comparison,
    Guidance,
    Reference,
    SubtypeData,
)

__all__ = [
    "FEVER",
    "NO_STATEMENT",
    "SEE_HAEMATOLOGIST",
    "SUBTYPES_SUBDIR",
    "Advice",
    "Cell",
    "Comparison",
    "Guidance",
    "Reference",
    "SubtypeData",
    "comparison_csv",
    "comparison_table",
    "glossary_mentions",
    "is_curated_for",
    "load_guidance",
    "load_subtypes",
    "map_report_names_to_forms",
]
