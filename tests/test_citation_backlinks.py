"""Citation markers and the reference list's links back to them (Wikipedia's ↑ a b c).

After a jump from a marker to its reference the reader must be able to return to the
sentence they were reading: every marker has an id, every reference entry links back to
each marker citing it, and no id is used twice on the page.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from components.subtype_text import BACK_TO_COMPARISON, Citations, glossary_markdown
from components.subtype_views import FORMS_KEY, LAYOUTS
from explorer.subtypes import SubtypeData, load_subtypes
from tests.apptest_helpers import run_app

DATA = Path(__file__).resolve().parent.parent / "data"
MARKER = re.compile(
    r'<a id="(cite-[a-z0-9_]+-\d+)" class="citation-marker" href="#ref-([a-z0-9_]+)">'
)
ENTRY = re.compile(r'<span id="ref-([a-z0-9_]+)" class="reference-entry">(.*?)</span>', re.S)
BACK = re.compile(r'<a href="#(cite-[a-z0-9_]+-\d+)"')
IDS = re.compile(r'\bid="([^"]+)"')


@pytest.fixture(scope="module")
def data() -> SubtypeData:
    loaded, issues = load_subtypes(DATA)
    assert loaded is not None, [str(issue) for issue in issues]
    return loaded


def page_texts(at: AppTest) -> list[str]:
    """The Markdown source of every text element of the page (grouped by kind)."""
    kinds = ("markdown", "caption")
    return [element.value for kind in kinds for element in getattr(at, kind)]


def check_back_links(texts: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Markers by reference and back links by reference, after asserting they match."""
    markers: dict[str, list[str]] = {}
    for text in texts:
        for marker_id, key in MARKER.findall(text):
            markers.setdefault(key, []).append(marker_id)
    backs = {key: BACK.findall(body) for text in texts for key, body in ENTRY.findall(text)}
    assert markers, "the page prints citation markers with ids"
    ids = Counter(found for text in texts for found in IDS.findall(text))
    assert [name for name, count in ids.items() if count > 1] == [], "ids are unique"
    for key, marker_ids in markers.items():
        assert key in backs, f"reference {key} is cited but not listed"
        in_page_order = sorted(marker_ids, key=lambda marker: int(marker.rsplit("-", 1)[1]))
        assert backs[key] == in_page_order, f"{key}: one back link per marker, in page order"
    for key, links in backs.items():
        assert set(links) <= set(markers.get(key, [])), f"{key} links back to another's marker"
    return markers, backs


def test_every_marker_on_the_subtypes_page_has_a_back_link():
    """The default view (all four forms as a table, chart notes, glossary, classification
    note): each marker's id is linked from its own reference's entry, once."""
    at = run_app("pages/subtypes.py")
    assert not at.exception
    markers, backs = check_back_links(page_texts(at))
    assert any(len(ids) > 1 for ids in markers.values()), "some references are cited often"
    assert len(backs) == len(markers) + sum(not links for links in backs.values())


def test_the_list_layout_and_fewer_forms_keep_the_back_links_right():
    """With two forms as a list, markers are fewer; the back links follow, and a reference
    that nothing shown cites links back to the comparison instead of to no marker."""
    at = run_app("pages/subtypes.py")
    at.multiselect(key=FORMS_KEY).set_value(["cyclic", "autoimmune"]).run()
    at.get("button_group")[0].set_value(LAYOUTS[1]).run()
    assert not at.exception
    markers, backs = check_back_links(page_texts(at))
    uncited = [key for key, links in backs.items() if not links]
    assert uncited and not set(uncited) & set(markers)
    entries = dict(ENTRY.findall("\n".join(page_texts(at))))
    assert all(BACK_TO_COMPARISON in entries[key] for key in uncited)


def test_several_markers_get_letters_one_gets_an_arrow(data: SubtypeData):
    """Wikipedia's style: ``↑`` alone for one citing marker, ``↑ a b …`` for several, and
    ``aa`` after ``z``."""
    cites = Citations(data)
    once, often = data.references[0].key, data.references[1].key
    cites.markers([once])
    for _ in range(27):
        cites.markers([often])
    one = cites.back_links(once)
    assert re.fullmatch(r'<a href="#cite-[a-z0-9_]+-1" aria-label="[^"]+">↑</a>', one)
    letters = re.findall(r">([a-z]+)</a>", cites.back_links(often))
    assert letters[:3] == ["a", "b", "c"] and letters[-2:] == ["z", "aa"]
    assert len(set(BACK.findall(cites.back_links(often)))) == 27


HOSTILE = '<img src=x onerror=alert(1)> <a id="cite-x-1" href="javascript:alert(1)">x</a>'


def test_data_text_beside_the_markers_cannot_open_a_tag(data: SubtypeData):
    """The markers' HTML needs ``unsafe_allow_html``; text from the data files around them is
    escaped, so a CommonMark parser with HTML on (as Streamlit's) still makes it text."""
    reference = dataclasses.replace(data.references[0], title=HOSTILE, note=HOSTILE)
    term = dataclasses.replace(data.glossary[0], definition=HOSTILE)
    references = (reference, *data.references[1:])
    hostile = dataclasses.replace(data, glossary=(term,), references=references)
    cites = Citations(hostile)
    markdown = glossary_markdown(hostile, cites) + "\n\n" + cites.entry(1, reference)
    tags = Tags()
    tags.feed(MarkdownIt("commonmark", {"html": True}).render(markdown))
    assert {tag for tag, _ in tags.seen} <= {"ul", "li", "strong", "p", "span", "a"}
    hrefs = [value for _, attrs in tags.seen for name, value in attrs if name == "href"]
    assert hrefs and all(h.startswith(("#ref-", "#comparison", "https://")) for h in hrefs)
    ids = [value for _, attrs in tags.seen for name, value in attrs if name == "id"]
    assert "cite-x-1" not in ids and len(ids) == len(term.citations) + 1
    assert {name for _, attrs in tags.seen for name, _ in attrs} <= {"id", "class", "href"}


class Tags(HTMLParser):
    """Every start tag of an HTML text, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))
