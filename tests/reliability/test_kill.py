"""The sync client killed with SIGKILL mid-push and mid-pull, then resumed by a new process.

The client runs in a child process against the live server; the test watches the server's receipts, the laptop's
outbox and its pull cursor, and kills the child at a point it sees: the server has applied a batch the laptop has
not recorded yet (push), or some but not all pages are in (pull). After each kill the store file must be sound,
nothing lost (every op on the server or still waiting), and the pulled rows exactly those up to the saved cursor;
after the resume, laptop and server equal row by row with each op applied once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from central_server.schema import op_receipts, row_meta
from consultant_app.store import Store
from consultant_app.store.models import Company, KpiMeasurement
from tests.reliability.helpers import (
    content,
    edit_rows,
    integrity,
    laptop,
    outbox,
    server_book,
    token_for,
    write_programme,
)

ROOT = Path(__file__).resolve().parents[2]
PUSH_BATCH = 25
PULL_PAGE = 40
DEADLINE = 120.0

pytestmark = pytest.mark.slow


class Child:
    """``python -m tests.reliability.sync_child`` on a laptop's data folder, its output collected as it comes."""

    def __init__(self, data_dir: Path, base_url: str, token: str, *, push_batch: int = PUSH_BATCH,
                 pull_page: int = PULL_PAGE):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.sync_child", str(data_dir), base_url, str(push_batch),
             str(pull_page)], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        self.process.stdin.write(token + "\n")
        self.process.stdin.close()
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=10) == -signal.SIGKILL

    def finish(self) -> str:
        """Wait for the end; the ``done`` line."""
        code = self.process.wait(timeout=DEADLINE)
        self._reader.join(timeout=10)
        stderr = self.process.stderr.read()
        assert code == 0, stderr[-3000:]
        assert self.lines and self.lines[-1].startswith("done"), (self.lines[-5:], stderr[-3000:])
        return self.lines[-1]


def _laptop_file(data_dir: Path) -> sqlite3.Connection:
    """A plain reading connection on a laptop's store file, for watching it while the child writes."""
    path = next(data_dir.glob("*.sqlite3"))
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=5000")
    return connection


def _watch(child: Child, until, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not until():
        assert child.alive(), f"the child finished before {what}: {child.lines[-3:]}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.001)


def test_a_sync_killed_mid_push_and_mid_pull_resumes_with_nothing_lost_or_doubled(people, tmp_path):
    token = token_for(people, "kim")
    store = laptop(tmp_path, "a")
    made = write_programme(store, companies=20, years=3, kpis=8, visits=2, seed=21)  # 683 rows
    edit_rows(store, KpiMeasurement, made.kpis[:100], post=lambda row: round(row.post * 1.01, 2))
    edit_rows(store, Company, made.companies[:10], region="세종")
    ops = {op["op_id"] for op in outbox(store)}
    n = len(ops)
    assert n == made.rows + 110 == 793
    store.close()

    # -- mid-push: killed when the server has applied ops that the laptop still holds as pending
    watched = _laptop_file(tmp_path / "a")
    def receipts() -> int:
        with people.engine.connect() as server:  # a new transaction each time: a SQLite snapshot would stand still
            return server.execute(select(func.count()).select_from(op_receipts)).scalar()

    def pending() -> int:
        return watched.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]

    def server_ahead() -> bool:
        on_server = receipts()
        if on_server > n - pending() and on_server >= n // 5:
            seen.append("server ahead of the laptop")
            return True
        return on_server >= n * 2 // 3

    seen: list[str] = []
    child = Child(tmp_path / "a", people.base_url, token)
    _watch(child, server_ahead, "the push under way")
    child.kill()
    watched.close()
    assert integrity(next((tmp_path / "a").glob("*.sqlite3"))) == "ok"
    store = Store.open(tmp_path / "a", actor="a")
    waiting = {op["op_id"] for op in outbox(store) if op["status"] == "pending"}
    book = server_book(people.engine)
    on_server = set(book.receipt_rows)
    assert 0 < len(on_server) < n and waiting
    assert on_server | waiting == ops  # nothing lost: each op is on the server or still waiting
    assert ops - waiting <= on_server  # an op leaves the outbox only once the server has it
    assert len(on_server & waiting) <= PUSH_BATCH  # at most the batch in flight is on both sides
    assert book.seq == book.audit == len(on_server)  # each op the server has, applied once
    print(f"killed mid-push ({seen[0] if seen else 'at two thirds'}): {len(on_server)} ops on the server, "
          f"{len(waiting)} waiting, {len(on_server & waiting)} on both sides")
    store.close()

    done = Child(tmp_path / "a", people.base_url, token).finish()
    assert '"broken": 0' in done
    store = Store.open(tmp_path / "a", actor="a")
    assert outbox(store) == []
    book = server_book(people.engine)
    assert set(book.receipt_rows) == ops and book.receipts == n and book.statuses == {"applied": n}
    assert book.seq == book.max_row_seq == book.audit == n and book.row_meta == made.rows
    server = content(people.engine, exclude=())
    assert sum(len(rows) for rows in server.values()) == made.rows
    assert content(store, exclude=()) == server
    store.close()

    # -- mid-pull: an empty laptop killed after some pages are in, before all of them
    Store.open(tmp_path / "b", actor="b").close()
    watched = _laptop_file(tmp_path / "b")

    def cursor() -> int:
        found = watched.execute("SELECT value FROM meta WHERE key = 'sync.cursor'").fetchone()
        return int(found[0]) if found else 0

    child = Child(tmp_path / "b", people.base_url, token)
    _watch(child, lambda: cursor() >= n // 4, "the pull under way")
    child.kill()
    at = cursor()
    watched.close()
    assert 0 < at < n
    print(f"killed mid-pull at cursor {at} of {n}")
    assert integrity(next((tmp_path / "b").glob("*.sqlite3"))) == "ok"
    store = Store.open(tmp_path / "b", actor="b")
    partial = content(store, exclude=())
    with people.engine.connect() as connection:
        up_to_cursor = {(entity, row_id) for entity, row_id in connection.execute(
            select(row_meta.c.entity, row_meta.c.row_id).where(row_meta.c.seq <= at))}
    # The rows kept are exactly those up to the saved cursor, each whole.
    assert {(entity, row_id) for entity, rows in partial.items() for row_id in rows} == up_to_cursor
    assert all(server[entity][row_id] == row for entity, rows in partial.items() for row_id, row in rows.items())
    store.close()

    done = Child(tmp_path / "b", people.base_url, token).finish()
    assert f'"cursor": {n}' in done and '"broken": 0' in done
    assert integrity(next((tmp_path / "b").glob("*.sqlite3"))) == "ok"
    store = Store.open(tmp_path / "b", actor="b")
    assert content(store, exclude=()) == server == content(people.engine, exclude=())
    assert outbox(store) == []  # pulled rows are not local changes
    assert server_book(people.engine).seq == n  # the pull changed nothing on the server
    store.close()
