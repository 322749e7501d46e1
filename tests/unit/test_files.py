"""kpi.files: a write is all or nothing, on disk before the call returns, and leaves no litter."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kpi import files


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every fsync (of an open file or a path) and every rename, in order, by name."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        real_fsync(fd)

    def replace(src, dst, *args, **kwargs):
        events.append(("rename", f"{Path(src).name} -> {Path(dst).name}"))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


def test_a_file_is_fsynced_renamed_over_its_target_then_its_folder_fsynced(
        tmp_path: Path, recorded: list[tuple[str, str]]) -> None:
    target = tmp_path / "state.json"
    target.write_text("old")
    files.write_atomic(target, "new é")
    assert target.read_bytes() == "new é".encode()
    [(_, temp), rename, folder] = recorded
    assert temp.startswith(".state.json-")  # the temporary file, before its rename
    assert rename == ("rename", f"{temp} -> state.json")
    assert folder == ("fsync", tmp_path.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "users.yaml"
    target.write_text("old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        files.write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["users.yaml"]


def test_a_private_file_is_never_readable_by_others(tmp_path: Path,
                                                    recorded: list[tuple[str, str]]) -> None:
    target = tmp_path / "auth.yaml"
    files.write_atomic(target, "secret", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_folder_is_written_aside_fsynced_then_swapped_for_the_old_one(
        tmp_path: Path, recorded: list[tuple[str, str]]) -> None:
    target = tmp_path / "draft"
    target.mkdir()
    (target / "old.parquet").write_text("old")
    with files.atomic_folder(target) as staging:
        assert staging.parent == tmp_path and staging.name.startswith(".draft-")
        (staging / "new.parquet").write_text("new")
        assert (target / "old.parquet").exists()  # untouched until the block ends
    assert [p.name for p in target.iterdir()] == ["new.parquet"]
    assert [p.name for p in tmp_path.iterdir()] == ["draft"]  # the old one removed
    renamed_in = recorded.index(("rename", f"{staging.name} -> draft"))
    assert ("fsync", "new.parquet") in recorded[:renamed_in]
    assert ("fsync", staging.name) in recorded[:renamed_in]
    assert recorded[renamed_in + 1:] == [("fsync", tmp_path.name)]


def test_a_failure_inside_the_block_keeps_the_old_folder_and_removes_the_staging(
        tmp_path: Path) -> None:
    target = tmp_path / "snapshot"
    target.mkdir()
    (target / "deals.parquet").write_text("old")
    with pytest.raises(OSError, match="No space"), files.atomic_folder(target) as staging:
        (staging / "deals.parquet").write_text("half")
        raise OSError(28, "No space left on device")
    assert (target / "deals.parquet").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot"]


def test_a_failed_swap_puts_the_old_folder_back(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "draft"
    target.mkdir()
    (target / "deals.parquet").write_text("old")
    real_replace = os.replace

    def swap_fails(src, dst, *args, **kwargs):
        if Path(src).name.startswith(".draft-") and Path(dst) == target:
            raise OSError(5, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", swap_fails)
    with pytest.raises(OSError, match="Input/output"), files.atomic_folder(target) as staging:
        (staging / "deals.parquet").write_text("new")
    assert (target / "deals.parquet").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["draft"]
