"""Backups: consistent copies of an open store, a bounded number kept, and restoring only what is healthy."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

import consultant_app.store.backup as backup_module
from consultant_app.errors import AppError
from consultant_app.store import Store
from consultant_app.store.backup import (
    AUTOMATIC_BACKUPS_KEPT,
    automatic_backup,
    backup_file,
    integrity_problem,
    latest_backup,
    restore_file,
)
from consultant_app.store.models import Company
from tests.store.rows import count


def _company_names(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM companies ORDER BY name")]
    finally:
        connection.close()


def _add_company(store: Store, business_no: str, name: str) -> None:
    with store.transaction() as db:
        db.add(Company(business_no=business_no, name=name))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()} if folder.exists() else {}


def test_backup_of_an_open_store_holds_the_commits_still_in_the_wal(store, tmp_path):
    _add_company(store, "1248100998", "대명정밀")
    _add_company(store, "2208112342", "한빛금속")
    assert Path(f"{store.path}-wal").stat().st_size > 0  # not yet checkpointed into the main file
    copy = backup_file(store.path, tmp_path / "copy" / "backup.sqlite3")
    assert integrity_problem(copy, full=True) is None
    assert _company_names(copy) == ["대명정밀", "한빛금속"]
    assert not list(copy.parent.glob("*.part"))
    _add_company(store, "1018600001", "서진테크")  # the store is still usable afterwards
    assert _company_names(copy) == ["대명정밀", "한빛금속"]


def test_backup_of_a_closed_store_creates_nothing_beside_it(store, tmp_path):
    _add_company(store, "1248100998", "대명정밀")
    store.close()
    before = _files(store.data_dir)
    copy = backup_file(store.path, tmp_path / "backup.sqlite3")
    assert _files(store.data_dir) == before
    assert _company_names(copy) == ["대명정밀"]


def test_backup_opens_as_a_store(store, tmp_path):
    _add_company(store, "1248100998", "대명정밀")
    backup_file(store.path, tmp_path / "restored" / "consultant.sqlite3")
    with Store.open(tmp_path / "restored", actor="tester") as copy:
        with copy.session() as db:
            assert count(db, Company) == 1
        assert copy.device_id == store.device_id


def test_automatic_backups_keep_at_most_the_kept_number_newest_first(store):
    made = [automatic_backup(store.path, store.backups_dir, "test") for _ in range(AUTOMATIC_BACKUPS_KEPT + 3)]
    kept = sorted(store.backups_dir.glob("*.sqlite3"))
    assert len(kept) == AUTOMATIC_BACKUPS_KEPT
    assert kept == sorted(made[3:])           # the three oldest went
    assert all(not p.exists() for p in made[:3])
    assert latest_backup(store.backups_dir) == made[-1]


def test_automatic_backup_names_say_when_and_why(store):
    path = automatic_backup(store.path, store.backups_dir, "before-upgrade-0001")
    assert path.parent == store.backups_dir
    assert path.name.startswith("consultant-") and path.name.endswith("-before-upgrade-0001.sqlite3")


def test_latest_backup_of_a_missing_folder_is_none(tmp_path):
    assert latest_backup(tmp_path / "nowhere") is None


def test_restore_refuses_a_damaged_backup_and_changes_nothing(store, tmp_path):
    _add_company(store, "1248100998", "대명정밀")
    store.close()
    damaged = backup_file(store.path, tmp_path / "damaged" / "backup.sqlite3")
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2:] = random.Random(3).randbytes(len(data) - len(data) // 2)
    damaged.write_bytes(bytes(data))
    store_files, damaged_files = _files(store.data_dir), _files(damaged.parent)
    with pytest.raises(AppError) as raised:
        restore_file(damaged, store.path, store.backups_dir)
    assert str(damaged) in raised.value.message("ko") and str(damaged) in raised.value.message("en")
    assert _files(store.data_dir) == store_files
    assert _files(damaged.parent) == damaged_files
    assert not store.backups_dir.exists()


def test_restore_refuses_a_missing_backup(store, tmp_path):
    store.close()
    with pytest.raises(AppError, match="No such backup"):
        restore_file(tmp_path / "missing.sqlite3", store.path, store.backups_dir)


def test_restore_puts_the_backup_in_place_and_keeps_a_safety_copy_of_the_current_file(store, tmp_path):
    _add_company(store, "1248100998", "대명정밀")
    good = backup_file(store.path, tmp_path / "good.sqlite3")
    _add_company(store, "2208112342", "한빛금속")  # made after the backup: the safety copy must keep it
    store.close()
    safety = restore_file(good, store.path, store.backups_dir)
    assert _company_names(store.path) == ["대명정밀"]
    assert safety is not None and safety.parent == store.backups_dir and "before-restore" in safety.name
    assert _company_names(safety) == ["대명정밀", "한빛금속"]
    assert not Path(f"{store.path}.restoring").exists()
    with Store.open(store.data_dir, actor="tester") as reopened:
        with reopened.session() as db:
            assert count(db, Company) == 1
        _add_company(reopened, "1018600001", "서진테크")


def test_restore_over_a_damaged_current_file_sets_it_aside_byte_for_byte(store, tmp_path):
    _add_company(store, "1248100998", "대명정밀")
    good = backup_file(store.path, tmp_path / "good.sqlite3")
    store.close()
    store.path.write_bytes(random.Random(4).randbytes(8192))
    damaged_bytes = store.path.read_bytes()
    wal_bytes = b"left by a crash" * 100
    Path(f"{store.path}-wal").write_bytes(wal_bytes)
    aside = restore_file(good, store.path, store.backups_dir)
    assert aside is not None and aside.read_bytes() == damaged_bytes
    assert Path(f"{aside}-wal").read_bytes() == wal_bytes  # its log goes with it
    assert _company_names(store.path) == ["대명정밀"]
    assert not Path(f"{store.path}-wal").exists() or Path(f"{store.path}-wal").read_bytes() != wal_bytes


def test_restore_into_a_folder_without_a_store_needs_no_safety_copy(tmp_path, store):
    _add_company(store, "1248100998", "대명정밀")
    good = backup_file(store.path, tmp_path / "good.sqlite3")
    target = tmp_path / "new" / "consultant.sqlite3"
    target.parent.mkdir()
    assert restore_file(good, target, tmp_path / "new" / "backups") is None
    assert _company_names(target) == ["대명정밀"]


def test_failed_backup_leaves_no_partial_file(tmp_path):
    source = tmp_path / "not-a-database.sqlite3"
    source.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        backup_file(source, tmp_path / "out" / "copy.sqlite3")
    assert not (tmp_path / "out" / "copy.sqlite3").exists()
    assert list((tmp_path / "out").glob("*.part")) == []


def test_kept_number_can_be_lowered(store, monkeypatch):
    monkeypatch.setattr(backup_module, "AUTOMATIC_BACKUPS_KEPT", 2)
    for _ in range(4):
        automatic_backup(store.path, store.backups_dir, "test")
    assert len(list(store.backups_dir.glob("*.sqlite3"))) == 2


def test_the_damaged_store_message_names_the_kind_of_the_latest_backup(store):
    from consultant_app.store.archive import free_archive_path, write_archive
    from consultant_app.store.backup import StoreCorrupt, manual_backup

    _add_company(store, "1248100998", "대명정밀")
    automatic = automatic_backup(store.path, store.backups_dir, "before-upgrade-0001")
    offered = StoreCorrupt(store.path, "malformed", latest_backup(store.backups_dir))
    assert offered.backup == automatic
    assert "최근 자동 백업" in offered.message("ko") and "Latest automatic backup" in offered.message("en")
    for newer, manual in enumerate((manual_backup(store.path, store.backups_dir),
                                    write_archive(store.data_dir, free_archive_path(store.backups_dir)).path)):
        os.utime(manual, (2_000_000_000 + newer, 2_000_000_000 + newer))  # the newest
        offered = StoreCorrupt(store.path, "malformed", latest_backup(store.backups_dir))
        assert offered.backup == manual
        assert f"최근 직접 백업: {manual}" in offered.message("ko") and "자동" not in offered.message("ko")
        assert f"Latest manual backup: {manual}" in offered.message("en")
