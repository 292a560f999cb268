"""Using the validated data: which form a report name means, the table, and its CSV.

The CSV export neutralises formula cells with the directory exports' own
:func:`explorer.cells.neutralise_cell`, so there is one list of formula triggers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from explorer.cells import neutralise_cell
from explorer.subtypes.records import (
    NO_STATEMENT,
    Cell,
    Comparison,
    GlossaryTerm,
    Mention,
    SubtypeData,
    normalise_report_name,
)


def map_report_names_to_forms(data: SubtypeData, names: Iterable[str]) -> dict[str, str | None]:
    """Which form each report name (synonym or subdivision) refers to.

    Returns a dict in the order given, mapping each name to a form key, or to None when
    the name is not one the curated data knows (e.g. a report for another disorder).
    """
    lookup = {normalise_report_name(n): form.key for form in data.forms for n in form.report_names}
    return {name: lookup.get(normalise_report_name(name)) for name in names}


def is_curated_for(data: SubtypeData, names: Iterable[str]) -> bool:
    """Whether the curated comparison and its advice belong to a report with these names.

    The curated content is per disorder: it covers the reports whose synonyms or
    subdivisions name a curated form (``forms.csv``'s ``report_names``). Another
    disorder's report (aplastic anaemia, say) gets none of it, rather than neutropenia's.
    """
    return any(map_report_names_to_forms(data, names).values())


def _markers(data: SubtypeData, citations: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted(data.marker(key) for key in citations))


def _same(texts: Iterable[str]) -> bool:
    return len({" ".join(text.split()).casefold() for text in texts}) <= 1


def comparison_table(
    data: SubtypeData,
    forms: Sequence[str],
    attributes: Sequence[str],
    *,
    only_differences: bool = False,
) -> Comparison:
    """Compare forms attribute by attribute.

    Parameters
    ----------
    data
        Validated subtype data.
    forms, attributes
        Keys to show, in the order to show them. Unknown keys raise ``KeyError``.
    only_differences
        Keep only attributes whose statements are not all the same (compared without
        regard to case and spacing; two missing statements count as the same).

    Returns
    -------
    Comparison
        Cells keyed by ``(attribute, form)`` with their citation markers, the references
        the shown cells cite (numbered as on the page), and ``.table`` as a DataFrame.
    """
    chosen_forms = tuple(data.form(key) for key in dict.fromkeys(forms))
    chosen_attributes = tuple(data.attribute(key) for key in dict.fromkeys(attributes))
    cells: dict[tuple[str, str], Cell] = {}
    for attribute in chosen_attributes:
        for form in chosen_forms:
            statement = data.statement(form.key, attribute.key)
            cells[(attribute.key, form.key)] = (
                Cell(statement.text, statement.citations, _markers(data, statement.citations))
                if statement
                else Cell(NO_STATEMENT, (), ())
            )
    if only_differences:
        chosen_attributes = tuple(
            a
            for a in chosen_attributes
            if not _same(cells[(a.key, f.key)].text for f in chosen_forms)
        )
        cells = {k: v for k, v in cells.items() if k[0] in {a.key for a in chosen_attributes}}
    cited = {key for cell in cells.values() for key in cell.citations}
    references = tuple(
        (number, reference)
        for number, reference in enumerate(data.references, start=1)
        if reference.key in cited
    )
    return Comparison(chosen_forms, chosen_attributes, cells, references)


def glossary_mentions(glossary: Iterable[GlossaryTerm], text: str) -> tuple[Mention, ...]:
    """The first place each glossary term (or one of its aliases) occurs in ``text``.

    Matching ignores case and needs whole words, so ``ANC`` is not found in "chance";
    longer names win, so "autosomal dominant" is one mention, not two.
    """
    by_name = {name.casefold(): term for term in glossary for name in term.names}
    if not by_name or not text:
        return ()
    alternatives = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    mentions: dict[str, Mention] = {}
    for match in pattern.finditer(text):
        term = by_name[match[0].casefold()]
        mentions.setdefault(term.term, Mention(match.start(), match.end(), term))
    return tuple(sorted(mentions.values(), key=lambda mention: mention.start))


def comparison_csv(data: SubtypeData, comparison: Comparison) -> bytes:
    """The comparison as CSV bytes (UTF-8 with BOM so spreadsheets show ×10⁹ correctly).

    The table comes first, then the references its markers point to, the review date
    and the notice, so the file stands on its own when opened or printed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows: list[list[str]] = [["Attribute", *(form.label for form in comparison.forms)]]
    rows += [
        [a.label, *(comparison.cell(a.key, f.key).display for f in comparison.forms)]
        for a in comparison.attributes
    ]
    rows += [[], ["Reference", "Citation", "URL"]]
    rows += [[f"[{n}]", ref.citation(), ref.url] for n, ref in comparison.references]
    rows += [
        [],
        ["Last reviewed", data.last_reviewed.isoformat()],
        ["Note", data.classification_note],
        ["Notice", "For information only; not medical advice. Talk to your care team."],
    ]
    writer.writerows([[neutralise_cell(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")
