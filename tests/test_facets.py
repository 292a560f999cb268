"""Unit tests of filter-option counts and the default disorder setting."""

from __future__ import annotations

import dataclasses

from explorer.config import default_disorder
from explorer.directory.facets import facet_counts, offered
from explorer.directory.filters import Filters
from explorer.directory.search import filter_mask
from explorer.directory.table import directory_frame
from explorer.pipeline import build_catalog
from tests.conftest import BUNDLED_DATA


def test_counts_leave_out_the_filter_they_count():
    """A type's count is what choosing it would leave, with the other filters applied."""
    frame = directory_frame(build_catalog(BUNDLED_DATA).organizations)
    counts = facet_counts(frame, Filters(org_types=("Patient registry",)))
    assert counts.org_types["Patient registry"] == 2
    assert sum(counts.org_types.values()) == len(frame)
    only_au = Filters(countries=("AU",))
    assert sum(facet_counts(frame, only_au).org_types.values()) == 1
    for channel, count in facet_counts(frame, only_au).channels.items():
        with_channel = dataclasses.replace(only_au, channels=(channel,))
        assert count == filter_mask(frame, with_channel).sum()


def test_offered_drops_empty_options_but_keeps_chosen_ones():
    """Options that leave nobody are not offered, unless the user already chose them."""
    counts = {"a": 2, "b": 0, "c": 1}
    assert offered(["a", "b", "c", "d"], counts, []) == ["a", "c"]
    assert offered(["a", "b", "c", "d"], counts, ["b"]) == ["a", "b", "c"]


def test_default_disorder_falls_back_in_order(tmp_path):
    """The folder's setting, else the bundled folder's, else the first; never a missing id."""
    assert default_disorder(tmp_path, ["a", "neutropenia-general"]) == "neutropenia-general"
    (tmp_path / "settings.toml").write_text('default_disorder = "a"\n')
    assert default_disorder(tmp_path, ["a", "neutropenia-general"]) == "a"
    (tmp_path / "settings.toml").write_text('default_disorder = "gone"\n')
    assert default_disorder(tmp_path, ["x", "y"]) == "x"
    (tmp_path / "settings.toml").write_text("not toml [")
    assert default_disorder(tmp_path, ["x", "neutropenia-general"]) == "neutropenia-general"
    assert default_disorder(tmp_path, []) == ""
