"""The same push batch sent again and again changes nothing: rows, change sequence, audit and receipts as after the
first time, and every replay answered with the first receipts (applied, conflict and rejected alike)."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select

from central_server.schema import counters, op_receipts, row_meta, server_audit
from consultant_app.store.models import Company, KpiMeasurement
from consultant_app.sync.client import CentralClient, sync
from consultant_app.sync.local import outgoing_ops
from consultant_app.sync.wire import Op, PushRequest
from tests.reliability.helpers import (
    content,
    edit_rows,
    laptop,
    server_book,
    token_for,
    write_programme,
)


def snapshot(engine) -> dict:
    """Everything a push may change on the server, whole."""
    with engine.connect() as connection:
        return {
            "rows": content(engine, exclude=()),
            "row_meta": sorted(tuple(r) for r in connection.execute(select(row_meta)).all()),
            "audit": sorted(tuple(r) for r in connection.execute(
                select(server_audit.c.seq, server_audit.c.entity, server_audit.c.row_id, server_audit.c.action,
                       server_audit.c.changes, server_audit.c.at)).all()),
            "receipts": sorted(tuple(r) for r in connection.execute(select(op_receipts)).all()),
            "counters": sorted(tuple(r) for r in connection.execute(select(counters)).all()),
        }


def _mixed_batch(live, tmp_path, token):
    """A laptop's rows already on the server, then a batch of new rows, edits, a conflict and two rejections."""
    store = laptop(tmp_path, "a")
    made = write_programme(store, companies=6, years=2, kpis=3, seed=11)
    with CentralClient(live.base_url, token) as client:
        sync(store, client)
    write_programme(store, companies=6, years=1, kpis=2, seed=12, sponsors=())
    edit_rows(store, KpiMeasurement, made.kpis[:10], post=lambda row: round(row.post * 0.99, 2))
    edit_rows(store, Company, made.companies[:3], region="울산")
    ops = outgoing_ops(store, limit=1000)
    conflict = Op(op_id=str(uuid.uuid4()), entity="companies", row_id=made.companies[4], action="update",
                  changes={"name": ["다른 사람이 본 옛 이름", "새 이름"]}, base_version=1)
    invalid = Op(op_id=str(uuid.uuid4()), entity="companies", row_id=str(uuid.uuid4()), action="create",
                 changes={"business_no": [None, "1234567890"], "name": [None, "번호틀림"]}, base_version=0)
    missing = Op(op_id=str(uuid.uuid4()), entity="engagements", row_id=str(uuid.uuid4()), action="update",
                 changes={"phase": [1, 2]}, base_version=1)
    return store, PushRequest(device_id=store.device_id, ops=[*ops[:5], conflict, invalid, *ops[5:], missing])


def test_a_batch_replayed_ten_times_changes_nothing(people, tmp_path):
    token = token_for(people, "kim")
    store, batch = _mixed_batch(people, tmp_path, token)
    before_push = server_book(people.engine)
    with CentralClient(people.base_url, token) as client:
        first = client.push(batch)
        statuses = [r.status for r in first.receipts]
        assert statuses.count("conflict") == 1 and statuses.count("rejected") == 2
        assert statuses.count("applied") == len(batch.ops) - 3
        after_first = snapshot(people.engine)
        for _ in range(10):
            assert client.push(batch).receipts == first.receipts
            assert snapshot(people.engine) == after_first
    book = server_book(people.engine)
    assert book.receipts == before_push.receipts + len(batch.ops)
    # Each applied op took one number of the sequence; conflicts and rejections took none.
    assert book.seq == before_push.seq + statuses.count("applied")
    assert book.audit == before_push.audit + statuses.count("applied")
    store.close()


def test_a_batch_sent_ten_times_at_once_is_applied_once(people, tmp_path):
    """A client that timed out and retried while the server was still working sends the same batch concurrently:
    every copy must get the same receipts, and the server must apply the ops once."""
    token = token_for(people, "kim")
    store, batch = _mixed_batch(people, tmp_path, token)
    before = server_book(people.engine)
    body = batch.model_dump_json()
    barrier = threading.Barrier(10)
    answers: list = [None] * 10

    def send(index: int) -> None:
        with people.client() as http:
            barrier.wait()
            answers[index] = http.post("/sync/push", content=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Nothing doubled, whatever the answers: one receipt per op, one change per applied op.
    book = server_book(people.engine)
    assert book.receipts == before.receipts + len(batch.ops)
    applied = sum(1 for op in batch.ops if '"applied"' in book.receipt_rows[op.op_id])
    assert applied == len(batch.ops) - 3
    assert book.seq == before.seq + applied and book.audit == before.audit + applied
    # And every copy answered with the same receipts (the client treats a 500 as a failed sync).
    assert [a.status_code for a in answers] == [200] * 10, [a.text[:200] for a in answers if a.status_code != 200]
    receipts = [a.json()["receipts"] for a in answers]
    assert all(r == receipts[0] for r in receipts)
    store.close()
