"""Attachment files through a proxy that cuts uploads midway, loses the server's replies, and cuts downloads.

An upload cut off goes on from what reached the server (never from the start, never twice); a download cut off
keeps its ``.part`` file and continues it with a range request. Either way the sync ends with the file
byte-identical everywhere, one attachment record, one receipt per op, and no partial file left on the server.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from central_server.schema import users
from consultant_app.store.attachments import blob_path
from consultant_app.sync.client import SyncFailed, sync
from tests.reliability.fault_proxy import CUT_BODY, DROP_AFTER, PASS, Fault, FaultProxy
from tests.reliability.helpers import (
    PagedClient,
    content,
    laptop,
    outbox,
    row_counts,
    server_book,
    token_for,
)
from tests.server.test_attachments import attach, evidence
from tests.server.test_sync import record_a_company

SIZE = 2_500_000  # three upload pieces: 1 MiB, 1 MiB and the rest
MIB = 1024 * 1024
FILE = r"/attachments/[0-9a-f]{64}$"
STATE = r"/attachments/[0-9a-f]{64}/upload$"
OPS = 5  # sponsor, company, engagement, KPI, attachment
CUT_AT = 300_000


# -- replies cut midway (the shared proxy cuts requests only) ----------------------------------------------------

@dataclass
class ReplyCut:
    """Cut the reply to the ``nth`` (1-based; several with ``times``) request matching ``method`` and ``path``:
    the server's whole reply is read, then only its head and the first ``after_bytes`` bytes of its body reach
    the client, and both connections close (a download cut midway)."""

    path: str
    method: str | None = None
    nth: int = 1
    times: int = 1
    after_bytes: int = 0
    seen: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and re.match(self.path, path) is not None

    def take(self) -> bool:
        self.seen += 1
        if self.nth <= self.seen < self.nth + self.times:
            self.fired += 1
            return True
        return False


@dataclass(frozen=True)
class Reply:
    """One reply as it went back to the client: its status, Content-Range, and whether it was cut."""

    method: str
    path: str
    status: int
    content_range: str | None
    cut: bool


class _CuttingSocket:
    """The client's socket as the proxy's connection thread uses it; a reply chosen for a cut goes out short."""

    def __init__(self, sock, proxy: ReplyCuttingProxy):
        self._sock, self._proxy = sock, proxy

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        pending = self._proxy._pending
        cut, (method, path) = getattr(pending, "cut", None), getattr(pending, "request", ("?", "?"))
        pending.cut = None
        head_end = data.find(b"\r\n\r\n") + 4
        lines = data[:head_end].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        ranges = [line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("content-range:")]
        self._proxy._replied(Reply(method, path, status, ranges[0] if ranges else None, cut is not None))
        if cut is None:
            self._sock.sendall(data)
            return
        self._sock.sendall(data[:head_end + cut.after_bytes])
        raise OSError("reply cut")  # the proxy's connection thread ends and closes both connections


class ReplyCuttingProxy(FaultProxy):
    """The fault proxy, plus ``cuts``: replies cut midway. ``replies`` lists every reply sent back."""

    def __init__(self, upstream: str, cuts: list[ReplyCut]):
        self.cuts = cuts
        self.replies: list[Reply] = []
        self._pending = threading.local()  # each client connection is served on a thread of its own
        super().__init__(upstream)

    def _decide(self, method: str, path: str) -> Fault | None:
        chosen = super()._decide(method, path)
        with self._lock:
            cut = None
            for candidate in self.cuts:
                if candidate.matches(method, path) and candidate.take() and cut is None:
                    cut = candidate
        self._pending.cut, self._pending.request = cut, (method, path)
        return chosen

    def _replied(self, reply: Reply) -> None:
        with self._lock:
            self.replies.append(reply)

    def _serve(self, client) -> None:
        try:
            super()._serve(_CuttingSocket(client, self))
        finally:
            with self._lock:
                self._open.discard(client)


# -- what the tests share --------------------------------------------------------------------------------------

def _laptop_with_a_file(tmp_path):
    """A laptop with a company, its engagement and KPI, and a 2.5 MB photo of it: five pending ops."""
    store = laptop(tmp_path, "a")
    _, engagement_id = record_a_company(store)
    source = evidence(tmp_path, "현장사진.jpg", SIZE)
    digest = attach(store, engagement_id, source)
    ops = outbox(store)
    assert len(ops) == OPS
    attachment_op = next(op["op_id"] for op in ops if op["entity"] == "attachments")
    return store, source, digest, attachment_op


def _user_id(live, username: str) -> str:
    with live.engine.connect() as connection:
        return connection.execute(select(users.c.id).where(users.c.username == username)).scalar_one()


def _server_files(live) -> tuple[list[str], list[str]]:
    """The server's complete files (by name), and what its ``.partial`` folder holds."""
    root = live.settings.attachments_dir
    partial = root / ".partial"
    whole = sorted(p.name for p in root.rglob("*") if p.is_file() and partial not in p.parents)
    return whole, sorted(p.name for p in partial.glob("*")) if partial.exists() else []


def _assert_synced_once(live, store, other, source, digest, attachment_op) -> None:
    """The file byte-identical on the server and both laptops; every op applied once; rows equal by content."""
    data = source.read_bytes()
    whole, partial = _server_files(live)
    assert whole == [digest] and not [name for name in partial if name.startswith(digest)]
    assert live.settings.attachments_dir.joinpath(digest[:2], digest).read_bytes() == data
    assert blob_path(store.attachments_dir, digest).read_bytes() == data
    assert blob_path(other.attachments_dir, digest).read_bytes() == data

    book = server_book(live.engine)
    assert book.receipts == book.distinct_receipts == OPS and book.statuses == {"applied": OPS}
    # The attachment's op has its one receipt (op ids are the key), applied.
    assert json.loads(book.receipt_rows[attachment_op])["status"] == "applied"
    assert book.seq == book.max_row_seq == book.audit == OPS
    assert outbox(store) == [] and outbox(other) == []

    server = content(live.engine, exclude=())
    assert list(server["attachments"]) and len(server["attachments"]) == 1
    assert next(iter(server["attachments"].values()))["sha256"] == digest
    assert row_counts(store) == row_counts(other) == row_counts(live.engine)
    assert content(store, exclude=()) == server
    assert content(other, exclude=()) == server


# -- uploads ---------------------------------------------------------------------------------------------------

PUT = {"path": FILE, "method": "PUT"}
REST = SIZE - CUT_AT - 2 * MIB  # the last piece, after 300 KB, then two whole pieces from there

# name: (faults, client retries, syncs needed, the PUTs the proxy saw as (action, body bytes, status))
UPLOADS = {
    "first-piece-cut-then-a-piece-reply-lost": (
        [Fault(CUT_BODY, **PUT, nth=1, after_bytes=CUT_AT), Fault(DROP_AFTER, **PUT, nth=3)], 4, 1,
        [(CUT_BODY, CUT_AT, None),  # 300 KB of the first piece reach the server, kept
         (PASS, MIB, 409),  # the retry of that piece: the server says it has 300 KB
         (DROP_AFTER, MIB, 200),  # the piece from 300 KB: stored, its reply lost
         (PASS, MIB, 409),  # its retry: the server says where it stands (nothing written twice)
         (PASS, MIB, 200),
         (PASS, REST, 200)]),  # the rest: the file is whole
    "second-piece-cut-and-the-last-reply-lost": (
        [Fault(CUT_BODY, **PUT, nth=2, after_bytes=CUT_AT), Fault(DROP_AFTER, **PUT, nth=5, reset=True)], 4, 1,
        [(PASS, MIB, 200),
         (CUT_BODY, CUT_AT, None),
         (PASS, MIB, 409),
         (PASS, MIB, 200),
         (DROP_AFTER, REST, 200),  # the file was made whole, the reply lost
         (PASS, REST, 200)]),  # sent again: the server has the file and changes nothing
    "cut-more-often-than-the-client-retries": (
        [Fault(CUT_BODY, **PUT, nth=1, times=3, after_bytes=CUT_AT),
         Fault(DROP_AFTER, STATE, method="GET", nth=2)], 2, 2,  # the second sync's "where does it stand"
        [(CUT_BODY, CUT_AT, None)] * 3 + [(PASS, MIB, 200), (PASS, MIB, 200), (PASS, REST, 200)]),
}


@pytest.mark.parametrize("scenario", list(UPLOADS))
def test_an_upload_cut_off_goes_on_from_what_arrived_and_the_file_arrives_once(people, tmp_path, scenario):
    faults, retries, syncs, expected_puts = copy.deepcopy(UPLOADS[scenario])
    store, source, digest, attachment_op = _laptop_with_a_file(tmp_path)
    token = token_for(people, "kim")
    with FaultProxy(people.base_url, list(faults)) as proxy:
        reports = []
        for attempt in range(1, syncs + 1):
            with PagedClient(proxy.url, token, retries=retries, backoff=0.01) as client:
                if attempt < syncs:
                    with pytest.raises(SyncFailed):
                        sync(store, client)
                    # Nothing pushed yet (files go first), and the server holds the 300 KB that arrived.
                    assert len(outbox(store)) == OPS and server_book(people.engine).receipts == 0
                    assert _server_files(people) == ([], [f"{digest}.{_user_id(people, 'kim')}"])
                    assert people.settings.attachments_dir.joinpath(".partial", _server_files(people)[1][0]) \
                        .read_bytes() == source.read_bytes()[:CUT_AT]
                else:
                    reports.append(sync(store, client))

    assert [f.fired for f in faults] == [f.times for f in faults]
    assert [(e.action, e.body_bytes, e.status) for e in proxy.requests(FILE, "PUT")] == expected_puts
    report = reports[-1]
    assert (report.files_sent, report.pushed, report.applied, report.rejected) == (1, OPS, OPS, 0)
    assert report.retries >= 1  # the last sync, too, met a fault and retried it

    other = laptop(tmp_path, "b")
    with PagedClient(people.base_url, token) as client:
        pulled = sync(other, client)
    assert (pulled.files_received, pulled.files_missing, pulled.pulled) == (1, 0, OPS)
    _assert_synced_once(people, store, other, source, digest, attachment_op)
    store.close(), other.close()


# -- downloads -------------------------------------------------------------------------------------------------

def test_a_download_cut_off_keeps_its_part_file_and_resumes_with_a_range(people, tmp_path):
    store, source, digest, attachment_op = _laptop_with_a_file(tmp_path)
    token = token_for(people, "kim")
    with PagedClient(people.base_url, token) as client:
        assert sync(store, client).files_sent == 1
    data = source.read_bytes()
    other = laptop(tmp_path, "b")
    target = blob_path(other.attachments_dir, digest)
    part = target.with_name(digest + ".part")
    cuts = [ReplyCut(FILE, method="GET", nth=1, times=3, after_bytes=700_000)]
    with ReplyCuttingProxy(people.base_url, cuts) as proxy:
        # More cuts than the client tries: the file is missing for now, what arrived is kept.
        with PagedClient(proxy.url, token, retries=1, backoff=0.01) as client:
            first = sync(other, client)
        assert (first.files_received, first.files_missing, first.pulled) == (0, 1, OPS)
        assert not target.exists() and part.exists()
        kept = part.read_bytes()
        assert 0 < len(kept) < SIZE and kept == data[:len(kept)]
        # The next sync continues the .part file from where it stands: one more cut, then the rest.
        with PagedClient(proxy.url, token, retries=4, backoff=0.01) as client:
            second = sync(other, client)
        assert (second.files_received, second.files_missing) == (1, 0)

    assert cuts[0].fired == 3
    replies = [(r.status, r.content_range, r.cut) for r in proxy.replies if re.match(FILE, r.path)]
    assert len(replies) == 4 and [r[2] for r in replies] == [True, True, True, False]
    assert replies[0][:2] == (200, None)  # the first try asks for the whole file
    starts = [int(r[1].removeprefix("bytes ").split("-")[0]) for r in replies[1:]]
    assert all(status == 206 and r.endswith(f"-{SIZE - 1}/{SIZE}") for status, r, _ in replies[1:])
    assert 0 < starts[0] < starts[1] == len(kept) < starts[2] < SIZE  # each range goes on from the .part file
    assert target.read_bytes() == data and not part.exists()
    _assert_synced_once(people, store, other, source, digest, attachment_op)
    store.close(), other.close()
