"""A damaged store file is refused and left exactly as it was, with the latest backup offered."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from sqlmodel import select

from consultant_app.paths import STORE_FILE_NAME
from consultant_app.store import Store, StoreCorrupt
from consultant_app.store.backup import automatic_backup, integrity_problem
from consultant_app.store.models import Company, Engagement

PAGE = 4096


def _filled_store(data_dir: Path, companies: int = 300) -> Path:
    """A closed, healthy store big enough to have many data and index pages."""
    with Store.open(data_dir, actor="tester") as store:
        with store.transaction() as db:
            for i in range(companies):
                company = Company(business_no=f"{i:010d}", name=f"대명정밀 {i} " + "가나다라" * 20, region="경남 창원")
                db.add_all([company, Engagement(company_id=company.id, year=1 + i % 4)])
        path = store.path
    assert integrity_problem(path, full=True) is None
    return path


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _damage_random_file(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STORE_FILE_NAME
    path.write_bytes(_random_bytes(1, 64 * 1024))
    return path


def _damage_middle_page(data_dir: Path) -> Path:
    path = _filled_store(data_dir)
    data = bytearray(path.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle:middle + PAGE] = _random_bytes(2, PAGE)
    path.write_bytes(bytes(data))
    return path


def _damage_truncate(data_dir: Path) -> Path:
    path = _filled_store(data_dir)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])  # cut mid-page, as a full disk or a bad copy would
    return path


DAMAGES = {"random-bytes": _damage_random_file, "garbage-middle-page": _damage_middle_page,
           "truncated": _damage_truncate}


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_store_is_refused_and_left_untouched(isolated_data_dir, damage):
    path = DAMAGES[damage](isolated_data_dir)
    before = _snapshot(isolated_data_dir)
    assert set(before) == {STORE_FILE_NAME}
    with pytest.raises(StoreCorrupt) as raised:
        Store.open(isolated_data_dir, actor="tester")
    assert _snapshot(isolated_data_dir) == before  # same bytes, same mtime, and no -wal/-shm made by us
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    error = raised.value
    assert error.path == path and error.backup is None
    for lang in ("ko", "en"):
        assert str(path) in error.message(lang)
    assert "백업이 없습니다" in error.message("ko") and "No backup exists" in error.message("en")


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_store_error_offers_the_latest_backup(isolated_data_dir, damage):
    with Store.open(isolated_data_dir, actor="tester") as store:
        older = automatic_backup(store.path, store.backups_dir, "manual")
        os.utime(older, ns=(1_000_000_000, 1_000_000_000))
        latest = automatic_backup(store.path, store.backups_dir, "manual")
    (isolated_data_dir / STORE_FILE_NAME).unlink()
    path = DAMAGES[damage](isolated_data_dir)
    backups_before = _snapshot(isolated_data_dir / "backups")
    with pytest.raises(StoreCorrupt) as raised:
        Store.open(isolated_data_dir, actor="tester")
    assert raised.value.backup == latest
    for lang in ("ko", "en"):
        message = raised.value.message(lang)
        assert str(path) in message and str(latest) in message
    assert _snapshot(isolated_data_dir / "backups") == backups_before


def test_integrity_problem_of_a_healthy_closed_store_is_none_and_creates_no_files(isolated_data_dir):
    path = _filled_store(isolated_data_dir, companies=5)
    before = _snapshot(isolated_data_dir)
    assert integrity_problem(path) is None and integrity_problem(path, full=True) is None
    assert _snapshot(isolated_data_dir) == before


def test_integrity_problem_sees_rows_still_in_the_wal_of_an_open_store(store):
    with store.transaction() as db:
        db.add(Company(business_no="1248100998", name="대명정밀"))
    assert Path(f"{store.path}-wal").stat().st_size > 0
    assert integrity_problem(store.path, full=True) is None


def test_integrity_problem_reports_what_sqlite_said(isolated_data_dir):
    path = _damage_middle_page(isolated_data_dir)
    problem = integrity_problem(path, full=True)
    assert problem and ("malformed" in problem or "corrupt" in problem or "Page" in problem)


def test_empty_file_is_a_new_store_not_a_corrupt_one(isolated_data_dir):
    isolated_data_dir.mkdir(parents=True)
    (isolated_data_dir / STORE_FILE_NAME).write_bytes(b"")
    with Store.open(isolated_data_dir, actor="tester") as store:
        with store.transaction() as db:
            db.add(Company(business_no="1248100998", name="대명정밀"))


@pytest.mark.parametrize("folder", ["김철수 문서", "data #1 [백업]", "100%20done", "what?now"])
def test_store_in_a_folder_with_korean_spaces_or_url_characters_uses_exactly_that_file(tmp_path, folder):
    data_dir = tmp_path / folder
    with Store.open(data_dir, actor="tester") as store:
        with store.transaction() as db:
            db.add(Company(business_no="1248100998", name="대명정밀"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # nothing written anywhere else
    with Store.open(data_dir, actor="tester") as store:
        with store.session() as db:
            assert db.exec(select(Company.name)).all() == ["대명정밀"]
        assert integrity_problem(store.path, full=True) is None
        copy = automatic_backup(store.path, store.backups_dir, "manual")
    assert integrity_problem(copy, full=True) is None
    assert integrity_problem(data_dir / STORE_FILE_NAME, full=True) is None
    with Store.open(data_dir, actor="tester"):
        pass
