"""A read-only data folder and a full disk, in words: one line saying what to do, and nothing half-written.

The real faults use a small tmpfs (tests/faults.py: mounted as root; CI fails rather than skips without it). The
same messages are also reached without privileges through SQLite itself: ``max_page_count`` makes it report a
full database, ``query_only`` a read-only one, each from the real write path.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import consultant_app.store.database as database_module
from consultant_app import cli
from consultant_app.command_errors import _known
from consultant_app.errors import LocalFault, error_text, local_fault
from consultant_app.store import Store
from consultant_app.store.models import Company
from tests.benchmarks.programme import generate
from tests.faults import files_under, fill, set_read_only, small_filesystem


def run_cli(*args: str, data_dir: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "consultant_app", "--lang", lang, "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "OperationalError" not in lines[0] and "[SQL" not in lines[0]
    assert len(lines[0]) < 300
    return lines[0]


def _companies(data_dir: Path, count: int = 3) -> None:
    with Store.open(data_dir, actor="tester") as store, store.transaction() as db:
        db.add_all(Company(business_no=f"{n + 1:010d}", name=f"대명정밀 {n}") for n in range(count))


def _names(data_dir: Path) -> list[str]:
    with Store.open(data_dir, actor="tester") as store, store.session() as db:
        return sorted(db.exec(select(Company.name)).all())


def _wrapped(message: str) -> OperationalError:
    """The error SQLAlchemy raises from a write: the driver's error, with the statement and its parameters."""
    try:
        raise sqlite3.OperationalError(message)
    except sqlite3.OperationalError as driver:
        return OperationalError("INSERT INTO companies (id, name) VALUES (?, ?)", [("x" * 40, "y" * 40)] * 60, driver)


# -- one function for both the command line and the window --------------------------------------------------

@pytest.mark.parametrize(("error", "kind"), [
    (_wrapped("database or disk is full"), "disk-full"),
    (_wrapped("attempt to write a readonly database"), "read-only"),
    (_wrapped("unable to open database file"), "cannot-open"),
    (sqlite3.OperationalError("database or disk is full"), "disk-full"),
    (OSError(errno.ENOSPC, "No space left on device", "/media/usb/b.zip.part"), "disk-full"),
    (OSError(errno.EDQUOT, "Disk quota exceeded", "/home/kim/data"), "disk-full"),
    (OSError(errno.EROFS, "Read-only file system", "/media/usb"), "read-only"),
    (PermissionError(errno.EACCES, "Permission denied", "/srv/data"), "read-only"),
])
def test_disk_faults_are_recognised_wrapped_or_not_and_worded_the_same_everywhere(error, kind):
    fault = local_fault(error)
    assert isinstance(fault, LocalFault) and fault.kind == kind
    for lang in ("ko", "en"):
        line = error_text(error, lang)
        assert _known(error, lang) == [line]  # the command lines' words are the window's
        assert "\n" not in line and "INSERT" not in line and "OperationalError" not in line
    assert getattr(error, "filename", None) is None or error.filename in error_text(error, "en")


def test_a_file_it_cannot_open_in_a_read_only_folder_is_called_read_only(tmp_path):
    with small_filesystem(tmp_path / "disk", "1m") as disk:
        set_read_only(disk)
        assert local_fault(_wrapped("unable to open database file"), disk).kind == "read-only"
    assert local_fault(_wrapped("unable to open database file"), tmp_path).kind == "cannot-open"


def test_other_database_errors_are_not_disk_faults_and_drop_the_statement():
    error = _wrapped("no such table: companies")
    assert local_fault(error) is None
    assert error_text(error) == "OperationalError: no such table: companies"


# -- the same faults reached through SQLite, no privileges needed ---------------------------------------------

@pytest.fixture
def limited_pragmas(monkeypatch):
    """Every new store connection gets these pragmas after the store's own."""
    extra: list[str] = []
    original = database_module._set_pragmas

    def with_limits(dbapi_connection, record) -> None:
        original(dbapi_connection, record)
        for pragma in extra:
            dbapi_connection.execute(f"PRAGMA {pragma}")

    monkeypatch.setattr(database_module, "_set_pragmas", with_limits)
    return extra


@pytest.mark.parametrize(("pragma", "expected"), [
    ("max_page_count={pages}", "The disk is full"), ("query_only=ON", "This folder cannot be written to"),
])
def test_an_import_sqlite_refuses_is_one_line_and_writes_nothing(tmp_path, capsys, limited_pragmas, pragma,
                                                                 expected):
    data_dir = tmp_path / "data"
    _companies(data_dir)
    pages = sqlite3.connect(data_dir / "consultant.sqlite3").execute("PRAGMA page_count").fetchone()[0]
    generate(tmp_path / "sheets", 300, seed=3)
    before = files_under(data_dir)
    limited_pragmas.append(pragma.format(pages=pages + 2))

    code = cli.main(["--lang", "en", "--data-dir", str(data_dir), "import", str(tmp_path / "sheets")])
    captured = capsys.readouterr()
    assert code == 1
    [line] = captured.err.strip().splitlines()
    assert line.startswith(expected) and "[SQL" not in line and len(line) < 300
    limited_pragmas.clear()
    assert _names(data_dir) == [f"대명정밀 {n}" for n in range(3)]
    assert files_under(data_dir) == before


# -- a real full disk ---------------------------------------------------------------------------------------

def test_a_full_disk_is_one_line_and_the_store_keeps_what_it_had(tmp_path):
    generate(tmp_path / "sheets", 300, seed=3)
    with small_filesystem(tmp_path / "disk", "3m") as disk:
        data_dir = disk / "data"
        _companies(data_dir)
        before = files_under(data_dir)
        fill(disk, leave=64 * 1024)

        line = one_line(run_cli("import", str(tmp_path / "sheets"), data_dir=data_dir))
        assert line.startswith("The disk is full") and "free some space" in line
        korean = one_line(run_cli("import", str(tmp_path / "sheets"), data_dir=data_dir, lang="ko"))
        assert korean.startswith("디스크에 빈 공간이 없어")
        # Reading what is there still works, or says the disk is full: the file is not called damaged.
        listed = run_cli("companies", data_dir=data_dir)
        assert listed.returncode == 0 or "disk is full" in one_line(listed)
        assert "corrupt" not in listed.stderr

        (disk / "filler.bin").unlink()
        assert _names(data_dir) == [f"대명정밀 {n}" for n in range(3)]
        assert files_under(data_dir) == before  # nothing half-written, no partial files


def test_a_backup_to_a_full_stick_is_one_line_and_leaves_no_partial_file(store, tmp_path):
    _photo = tmp_path / "photo.jpg"
    _photo.write_bytes(os.urandom(900_000))
    from consultant_app.store.attachments import add_attachment
    from consultant_app.store.models import Engagement

    with store.transaction() as db:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1)
        db.add_all([company, engagement])
        add_attachment(db, store.attachments_dir, _photo, engagement_id=engagement.id)
    with small_filesystem(tmp_path / "stick", "1m") as stick:
        line = one_line(run_cli("backup", "--out", str(stick), data_dir=store.data_dir))
        assert line.startswith("The disk is full") and str(stick) in line
        assert list(stick.iterdir()) == []


def test_a_restore_onto_a_full_disk_is_refused_before_anything_changes(store, tmp_path):
    from consultant_app.store.archive import write_archive

    _companies(store.data_dir)
    archive = write_archive(store.data_dir, tmp_path / "b.zip").path
    with small_filesystem(tmp_path / "disk", "3m") as disk:
        data_dir = disk / "data"
        _companies(data_dir, count=1)
        before = files_under(data_dir)
        fill(disk, leave=256 * 1024)
        line = one_line(run_cli("restore", str(archive), data_dir=data_dir))
        assert "Not enough space" in line and "nothing was changed" in line
        assert files_under(data_dir) == before and not list(data_dir.glob(".restore-*"))


# -- a real read-only data folder -----------------------------------------------------------------------------

def test_a_read_only_data_folder_is_one_line_and_changes_nothing(tmp_path):
    with small_filesystem(tmp_path / "disk", "4m") as disk:
        data_dir = disk / "data"
        _companies(data_dir)
        before = files_under(data_dir)
        set_read_only(disk)

        for args in (("companies",), ("demo",), ("backup",)):
            line = one_line(run_cli(*args, data_dir=data_dir))
            assert line.startswith("This folder cannot be written to") and str(data_dir) in line, args
        korean = one_line(run_cli("companies", data_dir=data_dir, lang="ko"))
        assert korean.startswith("쓸 수 없는 폴더입니다")

        set_read_only(disk, False)
        assert files_under(data_dir) == before
        assert _names(data_dir) == [f"대명정밀 {n}" for n in range(3)]


def test_a_backup_to_a_read_only_stick_is_one_line(store, tmp_path):
    _companies(store.data_dir)
    with small_filesystem(tmp_path / "stick", "1m") as stick:
        set_read_only(stick)
        line = one_line(run_cli("backup", "--out", str(stick), data_dir=store.data_dir))
        assert line.startswith("This folder cannot be written to") and str(stick) in line
