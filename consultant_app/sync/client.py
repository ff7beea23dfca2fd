"""Syncing with the central office over HTTP: push every pending op, then pull every change, with retries.

Both halves can be repeated safely: the server answers a replayed op with its first receipt, and a pulled page
is written with its cursor in one transaction. So a dropped connection, a lost reply or a killed process is
handled the same way: try again from where the store says it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.exc import IntegrityError

from consultant_app.errors import AppError
from consultant_app.files import write_atomically
from consultant_app.paths import OFFICE_KEYS_DIR
from consultant_app.store.attachments import blob_path
from consultant_app.store.database import Store
from consultant_app.sync import transfer
from consultant_app.sync.local import apply_pull_page, check_pulled_links, cursor, outgoing_ops, record_receipts
from consultant_app.sync.wire import PullPage, PushRequest, PushResponse

PUSH_BATCH = 500
PULL_PAGE = 1000
RETRIES = 5
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
Progress = Callable[[str, int, int], None]  # (phase, done, total)


class SyncFailed(AppError):
    """The sync stopped; what was already pushed or pulled is kept, and the next sync goes on from there."""


class NotLoggedIn(SyncFailed):
    """No token, or the server no longer accepts it: a password is needed."""

    lead = ("로그인이 필요합니다 (토큰이 없거나 만료·취소됨).", "Log in first (no token, or it expired or was revoked).")

    def __init__(self, detail: tuple[str, str] = ("", "")):
        self.detail = detail  # the server's reason (Korean, English), if it gave one
        super().__init__(*(" ".join(part for part in pair if part) for pair in zip(self.lead, detail)))


class LoginRefused(NotLoggedIn):
    """The server refused the user name and password; its own words say why."""

    lead = ("", "")


class ServerChanged(SyncFailed):
    """The address answered as another server midway (another server id than it first reported)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(f"{base_url}의 서버가 동기화 도중 다른 서버(다른 서버 ID)로 바뀌었습니다. 주소와 프록시 설정을 확인하세요. "
                         "이미 보내거나 받은 자료는 그대로입니다.",
                         f"The server at {base_url} turned into another server (another server id) during the sync. "
                         "Check the address and the proxy. What was already sent or received is kept.")


class SyncCancelled(SyncFailed):
    def __init__(self) -> None:
        super().__init__("동기화를 취소했습니다. 이미 보내거나 받은 자료는 그대로이며, 다음에 이어서 합니다.",
                         "Sync cancelled. What was already sent or received is kept; the next sync goes on.")


class KeyClash(SyncFailed):
    """A pulled record has the same key as a local record the office has not taken."""

    def __init__(self) -> None:
        super().__init__("받은 기록이 이 컴퓨터의 보내지 않은 기록과 같은 키(사업자등록번호, 차수, 지표 등)라 저장하지 못했습니다. "
                         "동기화 화면에서 거부된 변경을 고치거나 버린 뒤 다시 동기화하세요.",
                         "A received record has the same key (business number, year, KPI …) as a record of this "
                         "computer not yet on the server, so it was not saved. Fix or discard the rejected change on "
                         "the sync page, then sync again.")


@dataclass
class SyncReport:
    """What one sync did."""

    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    cursor: int = 0
    retries: int = 0
    files_sent: int = 0
    files_received: int = 0
    files_missing: int = 0  # files of pulled records the office could not give (the next sync tries again)
    catalogue_version: int | None = None  # the office's KPI catalogue in force after the pull (None: bundled)
    broken_links: list = field(default_factory=list)


def _detail(response: httpx.Response) -> tuple[str, str]:
    """The server's reason in Korean and in English (the same text twice when it gave only one)."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return response.text[:200], response.text[:200]
    if isinstance(detail, dict):
        ko, en = detail.get("ko"), detail.get("en")
        return ko or en or str(detail), en or ko or str(detail)
    return str(detail), str(detail)


class CentralClient:
    """The central office's API, with a bearer token; every call retried on a dropped connection."""

    def __init__(self, base_url: str, token: str | None = None, *, transport: httpx.BaseTransport | None = None,
                 retries: int = RETRIES, backoff: float = 0.2):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retries = retries
        self.backoff = backoff
        self.retried = 0
        self.server_id: str | None = None  # the server's identity, from its first answer that reports it
        self._http = httpx.Client(base_url=self.base_url, timeout=TIMEOUT, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _check(self, response: httpx.Response, accept: tuple[int, ...]) -> None:
        """NotLoggedIn for 401, SyncFailed for any other error status not in ``accept``."""
        if response.status_code == 401:
            response.read()
            raise NotLoggedIn(_detail(response))
        if response.status_code >= 400 and response.status_code not in accept:
            response.read()
            ko, en = _detail(response)
            raise SyncFailed(f"서버가 요청을 거절했습니다 ({response.status_code}): {ko}",
                             f"The server refused ({response.status_code}): {en}")

    def request(self, method: str, path: str, *, accept: tuple[int, ...] = (), headers: dict[str, str] | None = None,
                **kwargs) -> httpx.Response:
        """One call; a connection error or a 502/503/504 is retried (the calls are safe to repeat)."""
        for attempt in range(self.retries + 1):
            try:
                response = self._http.request(method, path, headers=self._headers(headers), **kwargs)
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise SyncFailed(f"중앙추진본부 서버에 연결할 수 없습니다: {self.base_url} ({exc})",
                                     f"Cannot reach the central office's server: {self.base_url} ({exc})") from exc
            else:
                if response.status_code not in (502, 503, 504) or attempt == self.retries:
                    self._check(response, accept)
                    return response
            self.retried += 1
            time.sleep(self.backoff * (2 ** attempt))
        raise AssertionError("unreachable")

    @contextmanager
    def stream(self, method: str, path: str, *, accept: tuple[int, ...] = (),
               headers: dict[str, str] | None = None) -> Iterator[httpx.Response]:
        """A streamed call, not retried here (the caller resumes from what arrived)."""
        with self._http.stream(method, path, headers=self._headers(headers)) as response:
            self._check(response, accept)
            yield response

    def _same_server(self, server_id: object) -> None:
        """Keep the first server id reported; ServerChanged when a later answer reports another."""
        if not isinstance(server_id, str) or not server_id:
            return  # a server older than the ids reports none
        if self.server_id is None:
            self.server_id = server_id
        elif server_id != self.server_id:
            raise ServerChanged(self.base_url)

    def identify(self) -> str | None:
        """The server's id (``GET /health``, no login needed); None from a server older than the ids."""
        response = self.request("GET", "/health")
        try:
            self._same_server(response.json().get("server_id"))
        except (ValueError, AttributeError):
            pass  # not the office's JSON: the calls that follow will say what is wrong
        return self.server_id

    def login(self, username: str, password: str) -> str:
        """Log in; keeps and returns the token."""
        self.token = None
        try:
            response = self.request("POST", "/auth/login", json={"username": username, "password": password})
        except NotLoggedIn as exc:
            raise LoginRefused(exc.detail) from None
        answer = response.json()
        self._same_server(answer.get("server_id"))
        self.token = answer["token"]
        return self.token

    def push(self, batch: PushRequest) -> PushResponse:
        response = self.request("POST", "/sync/push", content=batch.model_dump_json(),
                                headers={"Content-Type": "application/json"})
        answer = PushResponse.model_validate_json(response.content)
        self._same_server(answer.server_id)
        return answer

    def pull(self, after: int, limit: int = PULL_PAGE) -> PullPage:
        page = PullPage.model_validate_json(self.request("GET", "/sync/pull",
                                                         params={"after": after, "limit": limit}).content)
        self._same_server(page.server_id)
        return page


def _pages(client: CentralClient, after: int) -> Generator[PullPage]:
    """The pages after ``after``, in order; the next is fetched while the caller writes this one (the network
    and the disk both busy). Each page carries its own cursor, so one the caller never wrote is fetched again by
    the next sync. Closing it waits for the fetch in flight: the client is free again after."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
        ahead: Future[PullPage] | None = fetcher.submit(client.pull, after)
        while ahead is not None:
            page = ahead.result()
            ahead = fetcher.submit(client.pull, page.cursor) if page.more else None
            yield page


def keep_office_key(store: Store, client: CentralClient) -> Path:
    """Save the office's public key (once per key) where ``consultant-app verify`` looks for it."""
    from consultant_app.domain.signing import load_public_key, public_key_id

    response = client.request("GET", "/public-key.pem")
    try:
        key_id = public_key_id(load_public_key(response.content))
    except ValueError as exc:
        raise SyncFailed("서버가 보낸 공개 키를 읽을 수 없습니다.", "The server's public key cannot be read.") from exc
    path = store.data_dir / OFFICE_KEYS_DIR / f"{key_id}.pem"
    if not path.exists():
        write_atomically(path, response.content)
    return path


def sync(store: Store, client: CentralClient, *, progress: Progress | None = None,
         cancelled: Callable[[], bool] | None = None, push_batch: int = PUSH_BATCH) -> SyncReport:
    """Push all pending ops, then pull all changes; each step is kept as it completes."""
    report = SyncReport()
    is_cancelled = cancelled or (lambda: False)
    notify = progress or (lambda _phase, _done, _total: None)
    from consultant_app.store.queries import pending_changes

    with store.session() as session:
        total = pending_changes(session=session)
    uploads = transfer.files_to_upload(store)
    for done, ref in enumerate(uploads, start=1):
        if is_cancelled():
            raise SyncCancelled()
        transfer.upload(client, blob_path(store.attachments_dir, ref.sha256), ref, is_cancelled)
        report.files_sent = done
        notify("upload", done, len(uploads))
    while True:
        if is_cancelled():
            raise SyncCancelled()
        ops = outgoing_ops(store, limit=push_batch)
        if not ops:
            break
        response = client.push(PushRequest(device_id=store.device_id, ops=ops))
        counts = record_receipts(store, response.receipts)
        report.pushed += len(ops)
        report.applied += counts.applied
        report.conflicts += counts.conflict
        report.rejected += counts.rejected
        notify("push", report.pushed, max(total, report.pushed))
    with closing(_pages(client, cursor(store))) as pages:  # leaving early waits for the page fetched ahead
        for page in pages:
            if is_cancelled():
                raise SyncCancelled()
            try:
                report.pulled += apply_pull_page(store, page)
            except IntegrityError as exc:
                # A pulled record with the key of a local one the office refused (two laptops made the same
                # company): the page was rolled back; once that local change is fixed or discarded, the next
                # sync goes on.
                raise KeyClash() from exc
            report.cursor = page.cursor
            notify("pull", report.pulled, report.pulled + (1 if page.more else 0))
    report.catalogue_version = store.install_office_catalogue()
    downloads = transfer.files_to_download(store)
    for done, ref in enumerate(downloads, start=1):
        if is_cancelled():
            raise SyncCancelled()
        if transfer.download(client, blob_path(store.attachments_dir, ref.sha256), ref):
            report.files_received += 1
        else:
            report.files_missing += 1
        notify("download", done, len(downloads))
    keep_office_key(store, client)
    report.retries = client.retried
    report.broken_links = check_pulled_links(store) if report.pulled else []  # a whole-file scan: only after rows came
    return report
