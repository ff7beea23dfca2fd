"""Sync routes: push a batch of ops (each applied exactly once), pull changes after a cursor, in scope."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import or_, select

from central_server.auth import current_user
from central_server.db import serialize_writers, write_transaction
from central_server.routes.attachments import blob_store
from central_server.schema import row_meta
from central_server.scope import assigned_company_ids
from central_server.sync_apply import apply_op, open_batch
from central_server.users import User
from consultant_app.store.models import PULLED_TABLES
from consultant_app.sync.wire import MAX_ROWS_PER_PULL, PulledRow, PullPage, PushRequest, PushResponse

router = APIRouter(prefix="/sync", tags=["sync"])
CurrentUser = Annotated[User, Depends(current_user)]
ID_CHUNK = 500


@router.post("/push", response_model=PushResponse)
def push(batch: PushRequest, request: Request, user: CurrentUser) -> PushResponse:
    """Apply the ops in order, in one transaction (a savepoint each); every op gets a receipt."""
    blobs = blob_store(request)
    with write_transaction(request.app.state.engine) as connection:
        serialize_writers(connection)  # a retried push beside its first attempt sees that attempt's receipts
        shared = open_batch(connection, user, batch.ops, blobs=blobs)
        receipts = [apply_op(connection, user, batch.device_id, op, shared) for op in batch.ops]
    return PushResponse(receipts=receipts, server_id=request.app.state.server_id)


@router.get("/pull", response_model=PullPage)
def pull(request: Request, user: CurrentUser, after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_ROWS_PER_PULL)] = 500) -> Response:
    """The rows changed after ``after`` that the user may see, their whole state, in sequence order."""
    engine = request.app.state.engine
    query = select(row_meta.c.entity, row_meta.c.row_id, row_meta.c.seq).where(row_meta.c.seq > after)
    if not user.sees_everything:
        query = query.where(or_(row_meta.c.company_id.is_(None), row_meta.c.company_id.in_(assigned_company_ids(user))))
    query = query.order_by(row_meta.c.seq).limit(limit)
    with engine.connect() as connection:
        with connection.begin():  # one snapshot: the rows as of the sequence numbers listed
            listed = connection.execute(query).all()
            by_entity: dict[str, list[str]] = defaultdict(list)
            for entity, row_id, _ in listed:
                by_entity[entity].append(row_id)
            rows: dict[tuple[str, str], dict] = {}
            for entity, ids in by_entity.items():
                table = PULLED_TABLES[entity].__table__
                for start in range(0, len(ids), ID_CHUNK):
                    for found in connection.execute(select(table).where(table.c.id.in_(ids[start:start + ID_CHUNK])))\
                            .mappings():
                        rows[(entity, found["id"])] = dict(found)  # dates: ISO text when serialized
    page = [PulledRow.model_construct(entity=entity, seq=seq, row=rows[(entity, row_id)])
            for entity, row_id, seq in listed if (entity, row_id) in rows]
    cursor = listed[-1][2] if listed else after
    # Serialized once here: the rows are the server's own, so FastAPI's second validation of them is skipped.
    return Response(PullPage.model_construct(rows=page, cursor=cursor, more=len(listed) == limit,
                                             server_id=request.app.state.server_id).model_dump_json(),
                    media_type="application/json")
