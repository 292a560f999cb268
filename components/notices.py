"""Messages every page may show: data problems, faults, the medical notice, safe text and links."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote

import streamlit as st

from explorer.catalog import Catalog
from explorer.config import DATA_DIR_ENV
from explorer.gazetteer import MissingPackageError
from explorer.links import is_allowed_link

MEDICAL_NOTICE = (
    "This site is for information only and is **not medical advice**. It does not replace "
    "the advice of a doctor: talk to your care team about diagnosis and treatment."
)
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
URL_SAFE = ":/?#@!$&*+,;=%.~-_"
"""Characters kept as they are in a link target; anything else (spaces, brackets, quotes,
angle brackets) is percent-encoded so it cannot end the Markdown link early."""
PREVIEW_LENGTH = 40


def plain(text: str) -> str:
    """Text from data, escaped so Markdown shows it literally (no links, no HTML, no styling)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def preview(value: str, length: int = PREVIEW_LENGTH) -> str:
    """A short, printable, escaped echo of untrusted input (e.g. a value from a link)."""
    printable = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in value)
    short = " ".join(printable.split())
    return plain(short[:length] + ("…" if len(short) > length else ""))


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label; only http(s), mailto and tel targets become links.

    Callers pass URLs already validated by :mod:`explorer.links`; this is the last guard.
    """
    if not url or not is_allowed_link(url):
        return plain(label)
    return f"[{plain(label)}]({quote(url, safe=URL_SAFE)})"


def medical_notice() -> None:
    st.info(MEDICAL_NOTICE, icon=":material/medical_information:")


@contextlib.contextmanager
def explain_faults() -> Iterator[None]:
    """Turn a missing package or an unreadable data folder into a message saying how to fix it.

    Wraps the whole run in ``app.py``: a visitor sees what is wrong instead of a traceback.
    """
    try:
        yield
    except MissingPackageError as exc:
        st.error(plain(str(exc)), icon=":material/extension_off:")
        st.stop()
    except OSError as exc:
        what = plain(str(exc.filename or "a data file"))
        st.error(
            f"The app cannot read {what}: {plain(exc.strerror or str(exc))}. Check that the "
            f"data directory exists and is readable by the app (or point {DATA_DIR_ENV} at "
            "one that is), then reload. `python -m explorer check` names the problem too.",
            icon=":material/folder_off:",
        )
        st.stop()


def show_data_errors(catalog: Catalog) -> None:
    """Errors stay visible on every page, each naming its file and line."""
    for issue in catalog.errors:
        where = (f"{issue.file}:{issue.line}" if issue.line else issue.file).replace("`", "'")
        st.error(f"Data problem in `{where}`: {plain(issue.message)}", icon=":material/error:")


def show_data_warnings(catalog: Catalog) -> None:
    """Warnings are for maintainers: folded away in one place, each naming file and line."""
    warnings = [issue for issue in catalog.issues if issue.severity == "warning"]
    if warnings:
        with st.expander(
            f"For maintainers: {len(warnings)} data warning(s) — the rest of the data is shown"
        ):
            st.caption("`python -m explorer check` lists the same warnings.")
            st.dataframe(
                [{"file": w.file, "line": w.line, "warning": w.message} for w in warnings],
                hide_index=True,
            )
