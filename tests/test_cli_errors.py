"""The CLI never says success when it failed, and never answers an argument with a traceback.

Called in process (``main(argv)``) with ``capsys``: what a scheduled export would see.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from explorer.__main__ import main
from tests.conftest import HOSTILE_VALUES


@pytest.mark.parametrize(
    "argv",
    [
        ["orgs"],
        ["orgs", "--format", "json"],
        ["nearby", "48116"],
        ["summary", "--form", "cyclic", "--form", "congenital", "--out", "x.pdf"],
        ["check"],
    ],
)
def test_a_missing_data_folder_fails_with_a_clear_message(tmp_path: Path, capsys, argv):
    code = main([*argv, "--data", str(tmp_path / "nowhere")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "no data folder" in err and "--data" in err
    assert "Traceback" not in err


def test_a_data_folder_without_reports_is_not_an_empty_success(tmp_path: Path, capsys):
    code = main(["orgs", "--data", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "no reports folder" in err and "nothing to list" in err


def test_an_unwritable_output_is_blamed_on_writing_not_on_the_data(tmp_path: Path, capsys):
    target = tmp_path / "missing-folder" / "orgs.csv"
    code = main(["orgs", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"cannot write {target}" in err
    assert "cannot read" not in err and "data directory" not in err


def test_a_full_disk_leaves_the_previous_export_whole(tmp_path: Path, capsys, monkeypatch):
    target = tmp_path / "orgs.zip"
    target.write_bytes(b"yesterday's export")

    def disk_full(_descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    code = main(["orgs", "--format", "hsds", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 1
    assert "No space left on device" in err and "nothing was written" in err
    assert target.read_bytes() == b"yesterday's export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orgs.zip"]  # no temporary left


def test_an_export_replaces_the_file_whole(tmp_path: Path, capsys):
    target = tmp_path / "orgs.csv"
    target.write_bytes(b"old")
    assert main(["orgs", "--out", str(target)]) == 0
    assert target.read_bytes().decode("utf-8-sig").startswith("id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orgs.csv"]


@pytest.mark.parametrize("radius", ["nan", "1e309", "inf", "-5", "0", "five", "40000"])
def test_an_invalid_radius_is_refused_with_a_message(capsys, radius):
    with pytest.raises(SystemExit) as exit_info:
        main(["nearby", "48116", f"--radius-km={radius}"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "--radius-km" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["summary", "--form", "cyclic", "--form", "congenital", "--out", "OUT"],
        ["nearby", "48116"],
    ],
)
@pytest.mark.parametrize("limit", ["1000000", "-1", "2.5", "many"])
def test_a_limit_out_of_bounds_is_refused(capsys, tmp_path, argv, limit):
    argv = [str(tmp_path / "x.pdf") if arg == "OUT" else arg for arg in argv]
    try:
        code = main([*argv, f"--limit={limit}"])
    except SystemExit as exit_info:  # refused by argparse, before any work
        code = exit_info.code
    assert code == 2
    assert "--limit" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_hostile_places_get_an_answer_not_a_traceback(capsys):
    for value in HOSTILE_VALUES:
        code = main(["nearby", value])
        err = capsys.readouterr().err
        assert code in (0, 2), value
        assert "Traceback" not in err
