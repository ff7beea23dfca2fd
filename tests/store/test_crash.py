"""Crash safety: a writer killed with SIGKILL at random moments never loses a commit it reported, nor its journal."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from consultant_app.store import Store
from consultant_app.store.backup import integrity_problem
from consultant_app.store.models import AuditEntry, Company, Engagement, OutboxOp

ROUNDS = 15
SEED = int(os.environ.get("CRASH_TEST_SEED", "20261124"))
WRITER = Path(__file__).with_name("crash_writer.py")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]


class Child:
    """The writer process, with a thread collecting the complete lines it prints."""

    def __init__(self, data_dir: Path, round_number: int, stderr_path: Path):
        self.stderr = stderr_path.open("wb")
        self.process = subprocess.Popen([sys.executable, str(WRITER), str(data_dir), str(round_number)],
                                        stdout=subprocess.PIPE, stderr=self.stderr)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            if not raw.endswith(b"\n"):
                continue  # a line cut by the kill promises nothing
            line = raw.decode().strip()
            if line == "ready":
                self.ready.set()
            else:
                self.lines.append(line)
        self.ready.set()

    def kill(self) -> int:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        code = self.process.wait(30)
        self.reader.join(30)
        self.stderr.close()
        return code


def _journal_counts_by_row(db, model) -> dict[str, int]:
    return dict(db.exec(select(model.row_id, func.count()).group_by(model.row_id)).all())


def test_sigkill_at_random_moments_never_loses_a_reported_commit(isolated_data_dir, tmp_path):
    rng = random.Random(SEED)
    reported: list[tuple[str, str]] = []
    path = isolated_data_dir / "consultant.sqlite3"
    for round_number in range(ROUNDS):
        child = Child(isolated_data_dir, round_number, tmp_path / f"writer-{round_number}.err")
        delay = rng.uniform(0.05, 0.5)
        try:
            assert child.ready.wait(60), "the writer never started"
            time.sleep(delay)
        finally:
            code = child.kill()  # a real SIGKILL: no exit handlers, no rollback, no WAL checkpoint
        errors = (tmp_path / f"writer-{round_number}.err").read_text(errors="replace")
        context = f"seed {SEED}, round {round_number}, killed after {delay:.3f} s"
        assert code == -signal.SIGKILL, f"{context}: the writer died on its own:\n{errors}"
        assert child.lines, f"{context}: nothing was committed before the kill"
        reported += [tuple(line.split()) for line in child.lines]

        assert integrity_problem(path, full=True) is None, context
        with Store.open(isolated_data_dir, actor="checker") as store:
            with store.session() as db:
                companies = set(db.exec(select(Company.id)).all())
                engagements = dict(db.exec(select(Engagement.id, Engagement.company_id)).all())
                audits = _journal_counts_by_row(db, AuditEntry)
                ops = _journal_counts_by_row(db, OutboxOp)
        assert integrity_problem(path, full=True) is None, context

        missing = [(c, e) for c, e in reported if c not in companies or engagements.get(e) != c]
        assert missing == [], f"{context}: reported commits are missing"
        # Each transaction creates a company and its engagement and updates the previous company, so every
        # company has 1 or 2 journal entries, every engagement 1, and audit and outbox always agree.
        assert audits == ops, context
        for company_id, engagement_id in reported:
            assert audits.get(engagement_id) == 1, context
            assert audits.get(company_id) in (1, 2), context
        # At most one commit per round can be durable but unreported (killed between commit and print);
        # nothing that was not committed whole is there: every engagement has its company and vice versa.
        assert len(reported) <= len(companies) <= len(reported) + round_number + 1, context
        assert set(engagements.values()) == companies, context
        assert set(audits) == companies | set(engagements), context
