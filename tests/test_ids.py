"""Organization ids: same-named organizations elsewhere get distinct ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from explorer.catalog import merge_organizations
from explorer.reading.reports import parse_report

CITIES = ("Paris", "Lyon", "Lyon", "Springfield, IL 62701", "Springfield, MA 01101", "Berlin")
NAMES = ("Twin Charity", "Twin Charity", "Other Group")


def _report(blocks: list[tuple[str, str, str]]) -> str:
    body = "\n\n".join(
        "\n".join(filter(None, (name, city, f"Tel: {phone}" if phone else "")))
        for name, city, phone in blocks
    )
    return (
        "Test Disorder\n\nNational Organization for Rare Disorders, Inc.\n\nGeneral Discussion\n\n"
        "A paragraph long enough to read as prose, not as an organization block, that goes on "
        "about the disorder for a while.\n\n" + body + "\n"
    )


def test_twin_charities_in_paris_and_lyon_have_distinct_ids():
    """No postal code and no phone: the city tells them apart (one id each, one card each)."""
    text = _report([("Twin Charity", "Paris, France", ""), ("Twin Charity", "Lyon, France", "")])
    orgs = merge_organizations(parse_report(text, file="t.txt").disorder.organizations)
    assert len(orgs) == 2
    assert orgs[0].id != orgs[1].id
    assert [o.address.city for o in orgs] == ["Paris", "Lyon"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from(CITIES),
            st.sampled_from(("", "(217)555-0100", "(413)555-0199")),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_ids_are_unique_across_any_catalog(blocks):
    """After merging, no two organizations share an id, whatever names, places and phones."""
    orgs = merge_organizations(parse_report(_report(blocks), file="t.txt").disorder.organizations)
    ids = [org.id for org in orgs]
    assert len(ids) == len(set(ids))
    assert all(ids)
