"""Organization type and reach rules, and the maintainer's overrides file."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.reading.classify import OVERRIDES_FILE, load_overrides, make_classifier, rule_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Severe Chronic Neutropenia International Registry", "Patient registry"),
        (
            "NIH/National Heart, Lung and Blood Institute Information Center",
            "Government information centre",
        ),
        ("Genetic and Rare Diseases (GARD) Information Center", "Government information centre"),
        ("MUMS National Parent-to-Parent Network", "Parent network"),
        ("Neutropenia Support Association, Inc.", "Patient support group"),
        ("National Neutropenia Network", "Patient support group"),
        ("Acme Widgets", "Other organization"),
    ],
)
def test_rule_types(name, expected):
    """Each documented rule gives its type; no rule gives 'Other organization'."""
    assert rule_type(name) == expected


def test_bundled_reach(bundled):
    """Only the Australian registry-free local org would be local; toll-free lines are national."""
    classify = make_classifier({})
    reach = {o.name: classify(o)[1] for o in bundled.disorder.organizations}
    assert reach["Severe Chronic Neutropenia International Registry Australia"] == "international"
    assert reach["Neutropenia Support Association, Inc."] == "national"  # toll-free line
    assert reach["National Neutropenia Network"] == "national"
    assert "local" not in {reach[n] for n in reach if "International" in n}


def test_override_file(tmp_path: Path, bundled):
    """An override wins over the rules; a bad value is an error with its line."""
    path = tmp_path / OVERRIDES_FILE
    path.parent.mkdir(parents=True)
    path.write_text(
        "# comment\nname,org_type,reach,reason\n"
        "National Neutropenia Network,Parent network,local,test\n"
        "Somebody,Spaceship,,bad\n",
        encoding="utf-8",
    )
    overrides, issues = load_overrides(tmp_path)
    assert [(i.line, i.severity) for i in issues] == [(4, "error")]
    org = bundled.disorder.organizations[0]
    assert make_classifier(overrides)(org) == ("Parent network", "local")
    assert make_classifier({})(org) != ("Parent network", "local")
