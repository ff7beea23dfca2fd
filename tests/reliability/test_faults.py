"""A sync through a proxy that drops connections before the server, after the server committed, or cuts a body.

The client retries transport errors; the sync must still end with every op applied exactly once: the laptops and
the server equal row by row, one receipt per op, one change per op in the server's sequence.
"""

from __future__ import annotations

import copy

import httpx
import pytest

from consultant_app.store.models import Company, KpiMeasurement
from consultant_app.sync.client import SyncFailed, sync
from tests.reliability.fault_proxy import (
    CUT_BODY,
    DROP_AFTER,
    DROP_BEFORE,
    Fault,
    FaultProxy,
)
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

PUSH, PULL = r"/sync/push$", r"/sync/pull$"
OPS = 133
PUSH_BATCH, PULL_PAGE = 20, 20

SCENARIOS = {
    "push-dropped-before-the-server": (
        [Fault(DROP_BEFORE, PUSH, nth=2), Fault(DROP_BEFORE, PUSH, nth=4, times=2, reset=True)], []),
    "push-reply-lost-after-the-commit": (
        [Fault(DROP_AFTER, PUSH, nth=1), Fault(DROP_AFTER, PUSH, nth=3, times=2), Fault(DROP_AFTER, PUSH, nth=7,
                                                                                        reset=True)], []),
    "push-body-cut-midway": (
        [Fault(CUT_BODY, PUSH, nth=2, after_bytes=2000), Fault(CUT_BODY, PUSH, nth=5, after_bytes=1, reset=True)], []),
    "pull-dropped-and-reply-lost": (
        [Fault(DROP_AFTER, PULL, nth=2)],  # the pushing laptop's own pull too
        [Fault(DROP_BEFORE, PULL, nth=1), Fault(DROP_AFTER, PULL, nth=3, times=2),
         Fault(DROP_AFTER, PULL, nth=5, reset=True)]),
}


def _laptop_with_work(root):
    """A laptop with 113 new rows and 20 edits of them: 133 pending ops."""
    store = laptop(root, "a")
    made = write_programme(store, companies=10, years=2, kpis=3, visits=1, seed=7)
    edit_rows(store, KpiMeasurement, made.kpis[:15], post=lambda row: round(row.post * 1.01, 2))
    edit_rows(store, Company, made.companies[:5], employees=lambda row: row.employees + 1)
    return store, made


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_sync_through_dropped_connections_loses_and_doubles_nothing(people, tmp_path, scenario):
    push_faults, pull_faults = copy.deepcopy(SCENARIOS[scenario])  # faults count what they see
    first, made = _laptop_with_work(tmp_path)
    ops = {op["op_id"] for op in outbox(first)}
    assert len(ops) == made.rows + 20 == OPS
    token = token_for(people, "kim")
    with FaultProxy(people.base_url, list(push_faults)) as proxy:
        with PagedClient(proxy.url, token, retries=4, backoff=0.01, pull_page=PULL_PAGE) as client:
            report = sync(first, client, push_batch=PUSH_BATCH)
        proxy.add(*pull_faults)
        second = laptop(tmp_path, "b")
        with PagedClient(proxy.url, token, retries=4, backoff=0.01, pull_page=PULL_PAGE) as client:
            pulled = sync(second, client)
            second_retries = client.retried

    # Every fault happened, as planned, and the client retried each one.
    faults = [*push_faults, *pull_faults]
    assert [f.fired for f in faults] == [f.times for f in faults]
    assert report.retries + second_retries >= sum(f.times for f in faults)
    for fault in faults:
        hits = [e for e in proxy.requests(fault.path) if e.action == fault.action]
        if fault.action == DROP_AFTER:
            assert hits and all(e.status == 200 for e in hits)  # the server answered (a push: it committed)
        else:
            assert hits and all(e.status is None for e in hits)  # the server never answered these
    cut = [e for e in proxy.log if e.action == CUT_BODY]
    assert all(0 < e.body_bytes < 10_000 for e in cut)

    # The laptop: every op applied once, nothing waiting.
    assert (report.pushed, report.applied, report.conflicts, report.rejected) == (OPS, OPS, 0, 0)
    assert outbox(first) == [] and outbox(second) == []
    assert report.broken_links == pulled.broken_links == []

    # The server: one receipt per op (each applied), one change per op, a row_meta entry per row.
    book = server_book(people.engine)
    assert set(book.receipt_rows) == ops
    assert book.receipts == book.distinct_receipts == OPS and book.statuses == {"applied": OPS}
    assert book.seq == book.max_row_seq == book.audit == OPS
    assert book.row_meta == made.rows

    # The rows: the same on both laptops and the server, by content, bookkeeping included.
    server = content(people.engine, exclude=())
    assert total_rows(server) == made.rows
    assert row_counts(first) == row_counts(second) == row_counts(people.engine)
    assert content(first, exclude=()) == server
    assert content(second, exclude=()) == server
    assert pulled.pulled == made.rows and pulled.cursor == OPS
    first.close(), second.close()


def test_a_push_that_keeps_failing_stops_the_sync_and_the_next_sync_finishes_it(people, tmp_path):
    """More lost replies than retries: the sync fails, keeps what it has, and a later sync completes exactly once."""
    first, _ = _laptop_with_work(tmp_path)
    ops = {op["op_id"] for op in outbox(first)}
    token = token_for(people, "kim")
    with FaultProxy(people.base_url, [Fault(DROP_AFTER, PUSH, nth=2, times=3)]) as proxy:
        with PagedClient(proxy.url, token, retries=2, backoff=0.01) as client:
            with pytest.raises(SyncFailed):
                sync(first, client, push_batch=PUSH_BATCH)
        # The first batch was recorded; the second was applied on the server three times over, never recorded here.
        assert len(outbox(first)) == OPS - PUSH_BATCH
        assert server_book(people.engine).receipts == 2 * PUSH_BATCH
        with PagedClient(proxy.url, token, retries=2, backoff=0.01) as client:
            report = sync(first, client, push_batch=PUSH_BATCH)
    assert report.applied == OPS - PUSH_BATCH and outbox(first) == []
    book = server_book(people.engine)
    assert set(book.receipt_rows) == ops and book.seq == book.audit == OPS
    assert content(first, exclude=()) == content(people.engine, exclude=())
    first.close()


class FirstPushTimesOut(httpx.BaseTransport):
    """The real HTTP transport, with a read timeout so short on the first push that the client gives up on it while
    the server is still applying the batch: the retry arrives while the first request is still being worked on."""

    def __init__(self, read_timeout: float = 0.05):
        self.inner = httpx.HTTPTransport()
        self.read_timeout = read_timeout
        self.pushes = 0
        self.timed_out = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sync/push":
            self.pushes += 1
            if self.pushes == 1:
                request.extensions = {**request.extensions, "timeout": {
                    "connect": 10.0, "read": self.read_timeout, "write": 10.0, "pool": 10.0}}
        try:
            return self.inner.handle_request(request)
        except httpx.ReadTimeout:
            self.timed_out += 1
            raise

    def close(self) -> None:
        self.inner.close()


def test_a_push_retried_after_a_client_timeout_while_the_server_still_works_completes(people, tmp_path):
    store = laptop(tmp_path, "a")
    made = write_programme(store, companies=6, years=5, kpis=8, visits=1, seed=8)  # 309 rows, one batch
    ops = {op["op_id"] for op in outbox(store)}
    transport = FirstPushTimesOut()
    with PagedClient(people.base_url, token_for(people, "kim"), transport=transport, retries=3,
                     backoff=0.01) as client:
        report = sync(store, client, push_batch=500)
    assert transport.timed_out == 1 and transport.pushes == 2
    assert (report.pushed, report.applied) == (made.rows, made.rows) and outbox(store) == []
    book = server_book(people.engine)
    assert set(book.receipt_rows) == ops and book.seq == book.audit == made.rows
    assert content(store, exclude=()) == content(people.engine, exclude=())
    store.close()
