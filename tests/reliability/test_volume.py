"""5,000 ops pushed in one sync: every one applied once, and an empty laptop pulls the same rows back."""

from __future__ import annotations

import pytest

from consultant_app.store.models import KpiMeasurement
from consultant_app.sync.client import PUSH_BATCH, CentralClient, sync
from consultant_app.sync.wire import MAX_OPS_PER_PUSH
from tests.reliability.helpers import (
    PagedClient,
    content,
    edit_rows,
    laptop,
    outbox,
    row_counts,
    server_book,
    token_for,
    total_rows,
    write_programme,
)

OPS = 5000

pytestmark = pytest.mark.slow


def test_five_thousand_ops_in_one_sync_are_all_applied_and_pulled_back_whole(people, tmp_path):
    store = laptop(tmp_path, "a")
    made = write_programme(store, companies=100, years=4, kpis=9, visits=2, seed=31)  # 4,903 rows
    edit_rows(store, KpiMeasurement, made.kpis[:OPS - made.rows], post=lambda row: round(row.post * 1.02, 2))
    ops = {op["op_id"] for op in outbox(store)}
    assert len(ops) == OPS and made.rows == 4903
    token = token_for(people, "kim")
    with PagedClient(people.base_url, token) as client:
        report = sync(store, client)
        pushes = client.pushes
    assert (report.pushed, report.applied, report.conflicts, report.rejected) == (OPS, OPS, 0, 0)
    assert pushes == -(-OPS // PUSH_BATCH) and PUSH_BATCH <= MAX_OPS_PER_PUSH
    assert outbox(store) == [] and report.broken_links == []

    book = server_book(people.engine)
    assert set(book.receipt_rows) == ops and book.receipts == book.distinct_receipts == OPS
    assert book.statuses == {"applied": OPS}
    assert book.seq == book.max_row_seq == book.audit == OPS and book.row_meta == made.rows

    other = laptop(tmp_path, "b")
    with CentralClient(people.base_url, token) as client:
        pulled = sync(other, client)
    assert pulled.pulled == made.rows and pulled.cursor == OPS and pulled.broken_links == []
    server = content(people.engine, exclude=())
    assert total_rows(server) == made.rows
    counts = row_counts(people.engine)
    assert row_counts(store) == row_counts(other) == counts
    assert {table: rows for table, rows in counts.items() if rows} == {
        "sponsors": 3, "companies": 100, "engagements": 400, "kpi_measurements": 3600, "visits": 800}
    assert content(store, exclude=()) == server
    assert content(other, exclude=()) == server
    store.close(), other.close()
