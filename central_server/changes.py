"""The server's change journal: every change to a synced row takes the next numbers of one sequence.

``record_changes`` runs in the caller's transaction. It advances the ``counters`` row 'seq' with
UPDATE ... RETURNING, whose row lock makes every other writer wait until this transaction ends, so on PostgreSQL
too sequence order is commit order: a pull that read up to seq N never later finds a row committed below N.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from sqlalchemy import bindparam, null, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from central_server.schema import SEQ_COUNTER, counters, row_meta, server_audit
from consultant_app.store.journal import Change
from consultant_app.store.models import PULLED_TABLES, SYNCED_TABLES, utc_now

ID_CHUNK = 500  # ids per IN (...) list


# The statements a push runs for every op are built once, with bound parameters: building them op by op (and
# working out their cache keys) cost more than running them.
_ADVANCE = (update(counters).where(counters.c.name == SEQ_COUNTER)
            .values(value=counters.c.value + bindparam("count")).returning(counters.c.value))


def advance_sequence(connection: Connection, count: int) -> int:
    """Take ``count`` numbers of the change sequence (locking its row until commit); returns the last one."""
    last = connection.execute(_ADVANCE, {"count": count}).scalar()
    if last is None:
        raise RuntimeError("the change sequence row is missing from counters (the schema was not migrated?)")
    return last


@cache
def _company_select(entity: str):
    """SELECT row id, the company it belongs to (itself, its engagement's company, or NULL for sponsors), for
    the row ids bound to ``ids``."""
    table = PULLED_TABLES[entity].__table__
    ids = table.c.id.in_(bindparam("ids", expanding=True))
    if entity == "companies":
        return select(table.c.id, table.c.id).where(ids)
    if entity == "engagements":
        return select(table.c.id, table.c.company_id).where(ids)
    if "engagement_id" in table.c:
        engagements = SYNCED_TABLES["engagements"].__table__
        return (select(table.c.id, engagements.c.company_id)
                .join(engagements, engagements.c.id == table.c.engagement_id).where(ids))
    return select(table.c.id, null()).where(ids)


@cache
def _version_up(entity: str):
    table = SYNCED_TABLES[entity].__table__
    return update(table).where(table.c.id == bindparam("_id")).values(version=table.c.version + 1)


@cache
def _upsert_row_meta(dialect_name: str):
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(row_meta)
    return statement.on_conflict_do_update(
        index_elements=[row_meta.c.entity, row_meta.c.row_id],
        set_={"company_id": statement.excluded.company_id, "seq": statement.excluded.seq})


def company_of_rows(connection: Connection, entity: str, ids: Iterable[str]) -> dict[str, str | None]:
    """Each row's company (None for rows of no company); a row that does not exist raises LookupError."""
    ids = list(dict.fromkeys(ids))
    found: dict[str, str | None] = {}
    for start in range(0, len(ids), ID_CHUNK):
        found.update((row_id, company_id) for row_id, company_id
                     in connection.execute(_company_select(entity), {"ids": ids[start:start + ID_CHUNK]}))
    missing = [row_id for row_id in ids if row_id not in found]
    if missing:
        raise LookupError(f"{entity}: no such row(s): {', '.join(missing[:5])}")
    return found


def upsert_row_meta(connection: Connection, rows: list[dict]) -> None:
    """Insert or update row_meta rows (entity, row_id, company_id, seq)."""
    if rows:
        connection.execute(_upsert_row_meta(connection.dialect.name), rows)


def record_changes(connection: Connection, changes: list[Change], *, actor: str,
                   known_companies: dict[tuple[str, str], str | None] | None = None) -> int:
    """Journal ``changes`` (rows already written) in the caller's transaction; returns the last seq taken.

    Change ``i`` gets seq ``last - len(changes) + 1 + i``; each changed row's ``version`` goes up by one per
    change, its row_meta points at its newest seq and company, and each change gets a server_audit row.
    ``known_companies`` gives rows' companies the caller already knows ((entity, row id) -> company id).
    """
    if not changes:
        return 0
    last = advance_sequence(connection, len(changes))
    first = last - len(changes) + 1
    by_entity: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        by_entity[change.entity].append(change.row_id)
    known = known_companies or {}
    companies = {entity: {row_id: known[(entity, row_id)] for row_id in ids if (entity, row_id) in known}
                 for entity, ids in by_entity.items()}
    for entity, ids in by_entity.items():
        unknown = [row_id for row_id in ids if row_id not in companies[entity]]
        if unknown:
            companies[entity].update(company_of_rows(connection, entity, unknown))
    for entity, ids in by_entity.items():
        connection.execute(_version_up(entity), [{"_id": row_id} for row_id in ids])
    newest: dict[tuple[str, str], dict] = {}  # one row_meta row per row: a row changed twice keeps its later seq
    audits = []
    now = utc_now()
    for seq, change in enumerate(changes, start=first):
        company_id = companies[change.entity][change.row_id]
        newest[(change.entity, change.row_id)] = {"entity": change.entity, "row_id": change.row_id,
                                                  "company_id": company_id, "seq": seq}
        audits.append({"at": now, "actor": actor, "entity": change.entity, "row_id": change.row_id,
                       "action": change.action, "seq": seq,
                       "changes": json.dumps(change.changes, ensure_ascii=False, sort_keys=True)})
    upsert_row_meta(connection, list(newest.values()))
    connection.execute(server_audit.insert(), audits)
    return last


def publish_row(connection: Connection, entity: str, row_id: str, *, actor: str, action: str, changes: dict) -> int:
    """Give a row only the office writes (certificates, catalogues) the next change number, so every laptop
    whose scope holds it pulls it; returns that number."""
    seq = advance_sequence(connection, 1)
    company_id = company_of_rows(connection, entity, [row_id])[row_id]
    upsert_row_meta(connection, [{"entity": entity, "row_id": row_id, "company_id": company_id, "seq": seq}])
    connection.execute(server_audit.insert().values(at=utc_now(), actor=actor, entity=entity, row_id=row_id,
                                                    action=action, seq=seq,
                                                    changes=json.dumps(changes, ensure_ascii=False, sort_keys=True)))
    return seq


def restamp_children(connection: Connection, engagement_id: str, company_id: str) -> int:
    """An engagement moved to another company: its rows follow it (new change numbers, the new company), so the
    consultants of the new company pull them; returns how many rows."""
    rows = [(entity, row_id) for entity, model in PULLED_TABLES.items() if "engagement_id" in model.__table__.c
            for row_id in connection.execute(select(model.__table__.c.id)
                                             .where(model.__table__.c.engagement_id == engagement_id)).scalars()]
    if rows:
        last = advance_sequence(connection, len(rows))
        upsert_row_meta(connection, [{"entity": entity, "row_id": row_id, "company_id": company_id, "seq": seq}
                                     for seq, (entity, row_id) in enumerate(rows, start=last - len(rows) + 1)])
    return len(rows)
