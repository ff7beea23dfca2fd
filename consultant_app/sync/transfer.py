"""Attachment files to and from the central office, by SHA-256, resuming where an interrupted transfer stopped.

Files go up before the records that name them (the office saves an attachment record only once it holds the
file), and come down after the pull brought records whose files this laptop lacks.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
from sqlalchemy import select

from consultant_app.store.attachments import blob_path
from consultant_app.store.database import Store
from consultant_app.store.models import Attachment, OutboxOp


class CentralClient(Protocol):
    """What a transfer needs of ``client.CentralClient`` (named here, so this module need not import it)."""

    retries: int
    retried: int

    def request(self, method: str, path: str, *, accept: tuple[int, ...] = (), headers: dict[str, str] | None = None,
                **kwargs: Any) -> httpx.Response: ...

    def stream(self, method: str, path: str, *, accept: tuple[int, ...] = (),
               headers: dict[str, str] | None = None) -> AbstractContextManager[httpx.Response]: ...

PIECE = 1024 * 1024  # bytes per upload request: well under the server's body limit
_CHUNK = 256 * 1024


@dataclass(frozen=True, slots=True)
class FileRef:
    """One attachment file: its digest and size."""

    sha256: str
    size: int


def files_to_upload(store: Store) -> list[FileRef]:
    """The files named by pending attachment ops, that this laptop holds (a missing one the office will refuse)."""
    outbox = OutboxOp.__table__
    wanted: dict[str, int] = {}
    with store.engine.connect() as connection:
        for (changes,) in connection.execute(select(outbox.c.changes).where(
                outbox.c.status == "pending", outbox.c.entity == "attachments").order_by(outbox.c.seq)):
            sha256 = json.loads(changes).get("sha256", [None, None])[1]
            if sha256:
                wanted.setdefault(sha256, 0)
    found = []
    for sha256 in wanted:
        try:
            found.append(FileRef(sha256, blob_path(store.attachments_dir, sha256).stat().st_size))
        except FileNotFoundError:
            continue
    return found


def files_to_download(store: Store) -> list[FileRef]:
    """Files named by live attachment records here that this laptop does not hold."""
    table = Attachment.__table__
    with store.engine.connect() as connection:
        rows = connection.execute(select(table.c.sha256, table.c.size_bytes).where(table.c.deleted == False)  # noqa: E712
                                  .distinct()).all()
    return [FileRef(sha256, size) for sha256, size in rows
            if not blob_path(store.attachments_dir, sha256).exists()]


def upload(client: CentralClient, path: Path, ref: FileRef, cancelled: Callable[[], bool]) -> None:
    """Send the file piece by piece, starting where the server's copy of this upload stands."""
    state = client.request("GET", f"/attachments/{ref.sha256}/upload").json()
    received = state["received"]
    with path.open("rb") as source:
        while not state["complete"]:
            if cancelled():
                return
            source.seek(received)
            piece = source.read(PIECE)
            response = client.request("PUT", f"/attachments/{ref.sha256}", content=piece, accept=(409,),
                                      headers={"Upload-Offset": str(received), "Upload-Length": str(ref.size),
                                               "Content-Type": "application/octet-stream"})
            if response.status_code == 409:  # elsewhere than we thought, or an earlier attempt still writing
                state = response.json()["detail"] | {"complete": False}
                time.sleep(0.1)
            else:
                state = response.json()
            received = state["received"]


def download(client: CentralClient, target: Path, ref: FileRef) -> bool:
    """Fetch the file into ``target`` (a partial copy is continued with a range request); False if not there."""
    partial = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(client.retries + 1):
        have = partial.stat().st_size if partial.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with client.stream("GET", f"/attachments/{ref.sha256}", headers=headers, accept=(404, 416)) as response:
                if response.status_code == 404:
                    return False
                if response.status_code == 416 or (have and response.status_code != 206):
                    partial.unlink(missing_ok=True)  # the server ignored or refused the range: start again
                    continue
                with partial.open("ab") as out:
                    for chunk in response.iter_bytes():  # as it arrives: a cut keeps all that came
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
        except httpx.TransportError:
            client.retried += 1
            continue  # what arrived is kept in the partial file
        if _digest(partial) == ref.sha256:
            os.replace(partial, target)
            return True
        partial.unlink(missing_ok=True)
    return False


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
