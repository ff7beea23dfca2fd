"""Whole backups: one zip with the database, every attachment and a manifest of digests; checked restores."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from consultant_app import __version__
from consultant_app.store import Store
from consultant_app.store.archive import (
    AUTOMATIC_ARCHIVES_KEPT,
    ArchiveCancelled,
    automatic_archive,
    daily_due,
    free_archive_path,
    last_backup,
    rotate_automatic,
    write_archive,
)
from consultant_app.store.attachments import add_attachment, blob_path
from consultant_app.store.backup import backup_file, list_backups
from consultant_app.store.database import head_revision
from consultant_app.store.models import Company, Engagement
from consultant_app.store.restore import ArchiveRefused, RestoreCancelled, restore_archive, restore_backup


def _names(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM companies ORDER BY name")]
    finally:
        connection.close()


def _photos(store: Store, tmp_path: Path, count: int = 3, size: int = 200_000) -> list[bytes]:
    """A company, an engagement and ``count`` random 'photos' kept as its evidence."""
    rng = random.Random(count)
    contents = [rng.randbytes(size) for _ in range(count)]
    with store.transaction() as db:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1, start_date=date(2018, 3, 1))
        db.add_all([company, engagement])
        for number, content in enumerate(contents):
            photo = tmp_path / f"사진{number}.jpg"
            photo.write_bytes(content)
            add_attachment(db, store.attachments_dir, photo, engagement_id=engagement.id)
    return contents


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes): what "nothing changed" compares."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def filled(store, tmp_path):
    """A store with a company and three photos, and an archive of it on a 'USB stick'."""
    contents = _photos(store, tmp_path)
    result = write_archive(store.data_dir, free_archive_path(tmp_path / "usb"))
    return store, contents, result


def test_the_archive_holds_the_database_every_attachment_and_a_manifest(filled, tmp_path):
    store, contents, result = filled
    assert result.path.parent == tmp_path / "usb" and result.path.name.startswith("consultant-backup-")
    assert result.path.suffix == ".zip" and result.files == 3 and not result.missing and not result.damaged
    assert sorted(p.name for p in result.path.parent.iterdir()) == [result.path.name]  # no .part left
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = {info.filename: info for info in archive.infolist()}
        assert members["consultant.sqlite3"].compress_type == zipfile.ZIP_DEFLATED
        for content in contents:
            digest = hashlib.sha256(content).hexdigest()
            info = members[f"attachments/{digest[:2]}/{digest}"]
            assert info.compress_type == zipfile.ZIP_STORED  # photos don't compress
            assert archive.read(info) == content
        database = archive.read("consultant.sqlite3")
    assert manifest["format"] == "consultant-app-backup" and manifest["app_version"] == __version__
    assert manifest["schema_revision"] == head_revision() and manifest["device_id"] == store.device_id
    assert manifest["kind"] == "manual"
    assert abs(datetime.fromisoformat(manifest["created_at"]) - datetime.now().astimezone()) < timedelta(minutes=1)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json"}
    assert listed["consultant.sqlite3"] == {"path": "consultant.sqlite3",
                                            "sha256": hashlib.sha256(database).hexdigest(), "size": len(database)}


def test_the_archive_holds_commits_still_in_the_wal_of_the_open_store(store, tmp_path):
    with store.transaction() as db:
        db.add(Company(business_no="2208112342", name="한빛금속"))
    assert Path(f"{store.path}-wal").stat().st_size > 0
    result = write_archive(store.data_dir, tmp_path / "b.zip")
    restore_archive(result.path, tmp_path / "elsewhere")
    assert _names(tmp_path / "elsewhere" / "consultant.sqlite3") == ["한빛금속"]


def test_an_attachment_the_laptop_lacks_is_named_in_the_manifest(store, tmp_path):
    _photos(store, tmp_path, count=2)
    lost = sorted(p for p in store.attachments_dir.rglob("*") if p.is_file())[0]
    lost.unlink()
    result = write_archive(store.data_dir, tmp_path / "b.zip")
    assert result.missing == (lost.name,) and result.files == 1
    with zipfile.ZipFile(result.path) as archive:
        assert json.loads(archive.read("manifest.json"))["missing_attachments"] == [lost.name]


def test_a_cancelled_or_failed_backup_leaves_no_file(filled, tmp_path, monkeypatch):
    store, _contents, _result = filled
    target = tmp_path / "stick" / "b.zip"
    calls = []
    with pytest.raises(ArchiveCancelled):
        write_archive(store.data_dir, target, cancelled=lambda: calls.append(1) or len(calls) > 2)
    assert list(target.parent.iterdir()) == []

    def broken_write(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", broken_write)
    with pytest.raises(OSError) as raised:
        write_archive(store.data_dir, target)
    assert raised.value.filename == str(target) + ".part"  # the error names the file it was writing
    assert list(target.parent.iterdir()) == []


def test_an_existing_file_is_never_overwritten(filled, tmp_path):
    store, _contents, result = filled
    before = result.path.read_bytes()
    with pytest.raises(Exception, match="already exists"):
        write_archive(store.data_dir, result.path)
    assert result.path.read_bytes() == before


def test_restore_on_another_laptop_brings_the_data_and_files_with_a_new_device_id(filled, tmp_path):
    store, contents, result = filled
    fresh = tmp_path / "new-laptop"
    restored = restore_backup(result.path, fresh)
    assert restored.safety is None and restored.files == 3 and not restored.kept_device_id
    with Store.open(fresh, actor="tester") as copy:
        with copy.session() as db:
            assert [c.name for c in db.exec(select(Company))] == ["대명정밀"]
        for content in contents:
            assert blob_path(copy.attachments_dir, hashlib.sha256(content).hexdigest()).read_bytes() == content
        # Two laptops never push under one id; where the data came from is kept.
        assert copy.device_id == restored.device_id != store.device_id
        assert json.loads(copy.meta("restored_from"))["device_id"] == store.device_id
    assert not list(fresh.glob(".restore-*"))


def test_restore_in_place_keeps_the_current_data_and_the_device_id(filled, tmp_path):
    store, contents, result = filled
    with store.transaction() as db:
        db.add(Company(business_no="2208112342", name="나중에 추가"))
    later = tmp_path / "later.jpg"
    later.write_bytes(b"photo taken after the backup" * 1000)
    with store.transaction() as db:
        engagement = db.exec(select(Engagement)).first()
        add_attachment(db, store.attachments_dir, later, engagement_id=engagement.id)
    device_id = store.device_id
    store.close()

    restored = restore_backup(result.path, store.data_dir)
    assert _names(store.path) == ["대명정밀"]
    assert restored.kept_device_id and restored.device_id == device_id
    assert restored.safety.parent == store.backups_dir and "before-restore" in restored.safety.name
    assert _names(restored.safety) == ["나중에 추가", "대명정밀"]  # the data replaced is kept
    # Files are never removed: the data file kept aside still finds the photo it names.
    assert blob_path(store.attachments_dir, hashlib.sha256(later.read_bytes()).hexdigest()).is_file()
    with Store.open(store.data_dir, actor="tester") as reopened:
        assert reopened.device_id == device_id


def test_restore_repairs_a_damaged_attachment_file_of_the_same_name(filled, tmp_path):
    store, contents, result = filled
    store.close()
    kept = blob_path(store.attachments_dir, hashlib.sha256(contents[0]).hexdigest())
    kept.write_bytes(b"rotten")
    restore_backup(result.path, store.data_dir)
    assert kept.read_bytes() == contents[0]


def test_an_old_database_copy_still_restores_and_keeps_the_device_id(store, tmp_path):
    with store.transaction() as db:
        db.add(Company(business_no="1248100998", name="대명정밀"))
    copy = backup_file(store.path, tmp_path / "old.sqlite3")
    device_id = store.device_id
    store.close()
    restored = restore_backup(copy, store.data_dir)
    assert restored.manifest is None and restored.kept_device_id and restored.device_id == device_id
    fresh = restore_backup(copy, tmp_path / "fresh")
    assert not fresh.kept_device_id and fresh.device_id != device_id


# -- damaged archives: refused, naming what is wrong, and nothing changes ------------------------------------

def _rewrite(source: Path, target: Path, *, manifest=None, drop: str | None = None,
             add: tuple[str, bytes] | None = None) -> Path:
    """A copy of an archive with its manifest changed, a member dropped or one added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == drop:
                continue
            if info.filename == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            new.writestr(info, data)
        if add:
            new.writestr(*add)
    return target


def _flip_attachment_byte(result, contents, tmp_path) -> Path:
    data = bytearray(result.path.read_bytes())
    at = data.index(contents[1][:64]) + 1000
    data[at] ^= 0x01
    (tmp_path / "flipped.zip").write_bytes(bytes(data))
    return tmp_path / "flipped.zip"


def _first_attachment(manifest: dict) -> dict:
    return next(f for f in manifest["files"] if f["path"].startswith("attachments/"))


def _lie_about_digest(manifest: dict) -> dict:
    _first_attachment(manifest)["sha256"] = "0" * 64
    return manifest


def _lie_about_size(manifest: dict) -> dict:
    _first_attachment(manifest)["size"] += 1
    return manifest


def _damaged_database(result, tmp_path) -> Path:
    with zipfile.ZipFile(result.path) as old:
        database = bytearray(old.read("consultant.sqlite3"))
        manifest = json.loads(old.read("manifest.json"))
    page = 4096
    database[page * 2:page * 3] = random.Random(5).randbytes(page)
    entry = next(f for f in manifest["files"] if f["path"] == "consultant.sqlite3")
    entry["sha256"] = hashlib.sha256(database).hexdigest()  # a consistent manifest: only SQLite can tell
    with zipfile.ZipFile(result.path) as old, zipfile.ZipFile(tmp_path / "db.zip", "w") as new:
        for info in old.infolist():
            data = {"consultant.sqlite3": bytes(database), "manifest.json": json.dumps(manifest).encode()}.get(
                info.filename, old.read(info))
            new.writestr(info, data)
    return tmp_path / "db.zip"


DAMAGES = {
    "flipped byte in an attachment": (lambda r, c, t: _flip_attachment_byte(r, c, t), "attachments/"),
    "truncated": (lambda r, c, t: (t / "cut.zip").write_bytes(r.path.read_bytes()[:len(r.path.read_bytes()) // 2])
                  and t / "cut.zip", "zip"),
    "missing member": (lambda r, c, t: _rewrite(r.path, t / "m.zip", drop=_first_attachment(
        json.loads(zipfile.ZipFile(r.path).read("manifest.json")))["path"]), "attachments/"),
    "manifest lies about a digest": (lambda r, c, t: _rewrite(r.path, t / "d.zip", manifest=_lie_about_digest),
                                     "SHA-256"),
    "manifest lies about a size": (lambda r, c, t: _rewrite(r.path, t / "s.zip", manifest=_lie_about_size), "size"),
    "a member the manifest does not name": (lambda r, c, t: _rewrite(r.path, t / "x.zip", add=("notes.txt", b"hi")),
                                            "notes.txt"),
    "a name outside the data folder": (lambda r, c, t: _rewrite(r.path, t / "e.zip", add=("../evil", b"x"), manifest=(
        lambda m: {**m, "files": [*m["files"], {"path": "../evil", "sha256": hashlib.sha256(b"x").hexdigest(),
                                                "size": 1}]})), "../evil"),
    "no manifest": (lambda r, c, t: _rewrite(r.path, t / "n.zip", drop="manifest.json"), "manifest.json"),
    "another format": (lambda r, c, t: _rewrite(r.path, t / "f.zip", manifest=lambda m: {**m, "format": "other"}),
                       "not a backup of this app"),
    "a newer format": (lambda r, c, t: _rewrite(r.path, t / "v.zip", manifest=lambda m: {**m, "format_version": 9}),
                       "newer version"),
    "a damaged database": (lambda r, c, t: _damaged_database(r, t), "data file is damaged"),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize("into", ["same folder", "fresh folder"])
def test_a_damaged_archive_is_refused_naming_the_problem_and_nothing_changes(filled, tmp_path, damage, into):
    store, contents, result = filled
    store.close()
    make, expected = DAMAGES[damage]
    archive = make(result, contents, tmp_path)
    data_dir = store.data_dir if into == "same folder" else tmp_path / "fresh"
    before = _snapshot(data_dir)
    with pytest.raises(ArchiveRefused) as raised:
        restore_backup(archive, data_dir)
    assert expected in raised.value.message("en") and str(archive) in raised.value.message("en")
    assert "아무것도 바꾸지 않음" in raised.value.message("ko")
    assert _snapshot(data_dir) == before
    assert into == "same folder" or not data_dir.exists()


def test_a_cancelled_restore_changes_nothing(filled):
    store, _contents, result = filled
    store.close()
    before = _snapshot(store.data_dir)
    with pytest.raises(RestoreCancelled):
        restore_archive(result.path, store.data_dir, cancelled=lambda: True)
    assert _snapshot(store.data_dir) == before


# -- automatic archives ---------------------------------------------------------------------------------------

def test_automatic_archives_rotate_and_never_touch_manual_ones(store, tmp_path):
    folder = store.backups_dir
    manual = write_archive(store.data_dir, free_archive_path(folder)).path
    start = datetime(2024, 5, 1, 9, 0)
    made = []
    for number in range(AUTOMATIC_ARCHIVES_KEPT + 3):
        when = start + timedelta(hours=number)
        path = write_archive(store.data_dir, free_archive_path(folder, "daily", when), reason="daily").path
        os.utime(path, (when.timestamp(), when.timestamp()))
        made.append(path)
    os.utime(manual, (start.timestamp() - 60, start.timestamp() - 60))  # the oldest of all, and still kept
    assert rotate_automatic(folder) == made[:3]
    assert {b.path for b in list_backups(folder) if b.is_archive} == {manual, *made[3:]}
    kinds = {b.path: (b.kind, b.reason) for b in list_backups(folder)}
    assert kinds[manual] == ("manual", "") and kinds[made[-1]] == ("automatic", "daily")
    for number in range(3):  # automatic_archive rotates as it goes
        with store.transaction() as db:
            db.add(Company(business_no=f"{number + 1:010d}", name=f"회사 {number}"))
        assert automatic_archive(store.data_dir, reason="after-sync") is not None
    automatic = [b for b in list_backups(folder) if b.is_archive and b.kind == "automatic"]
    assert len(automatic) == AUTOMATIC_ARCHIVES_KEPT and manual.exists()


def test_an_automatic_archive_is_skipped_while_nothing_changed(store):
    first = automatic_archive(store.data_dir, reason="quit")
    assert first is not None and "-auto-quit" in first.path.name
    assert automatic_archive(store.data_dir, reason="quit") is None
    with store.transaction() as db:
        db.add(Company(business_no="1248100998", name="대명정밀"))
    assert automatic_archive(store.data_dir, reason="quit") is not None


def test_the_last_backup_is_remembered_wherever_it_went_and_daily_is_due_after_a_day(store, tmp_path):
    assert daily_due(store.data_dir)
    result = write_archive(store.data_dir, free_archive_path(tmp_path / "usb"))
    last = last_backup(store.data_dir)
    assert last.path == result.path and last.kind == "manual"
    assert not daily_due(store.data_dir)
    assert daily_due(store.data_dir, now=datetime.now() + timedelta(days=1, minutes=1))
