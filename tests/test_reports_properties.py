"""Property-based tests: the parser never raises, and never loses a named organization block."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.reading.reports import parse_report

HEADER = (
    "Some Disorder\n\nNational Organization for Rare Disorders, Inc.\n\nGeneral Discussion\n\n"
    "A paragraph of prose that is long enough not to be mistaken for an organization block, "
    "because it keeps going with more words.\n\n"
)
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
BOILERPLATE_OR_LABEL = ("for a complete", "related ", "this information", "this is an abstract")
name_text = (
    st.text(alphabet=PRINTABLE, min_size=1, max_size=60)
    .map(str.strip)
    .filter(lambda s: s and ":" not in s and not s.casefold().startswith(BOILERPLATE_OR_LABEL))
)
line_text = st.text(alphabet=PRINTABLE, max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_never_raises_on_any_text(text):
    """Any text yields a result; with no disorder there is an error naming the file."""
    parsed = parse_report(text, file="reports/any.txt")
    if parsed.disorder is None:
        assert any(i.severity == "error" and i.file == "reports/any.txt" for i in parsed.issues)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(name_text, st.lists(line_text, max_size=4)),
        min_size=1,
        max_size=6,
    )
)
def test_every_named_block_becomes_an_organization(blocks):
    """Each block after the discussion that starts with a name line is kept, in order."""
    body = "\n\n".join(
        "\n".join([name, "1 Main Street", *[line for line in lines if line.strip()]])
        for name, lines in blocks
    )
    parsed = parse_report(HEADER + body + "\n", file="r.txt")
    names = [org.name for org in parsed.disorder.organizations]
    assert names == [name for name, _ in blocks]
