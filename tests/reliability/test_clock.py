"""A laptop whose clock is a year wrong (ahead, behind, or jumping back between edits): the order and the outcome of
a sync are the same as with correct clocks, because the server orders changes by its own sequence."""

from __future__ import annotations

import dataclasses
import json
import random
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

from sqlalchemy import select

from central_server.schema import server_audit
from consultant_app.services.companies import (
    CompanyDraft,
    EngagementDraft,
    load_company,
    save_company,
    save_engagement,
)
from consultant_app.services.kpis import KpiEntry, load_kpis, save_kpis
from consultant_app.store import journal
from consultant_app.store.models import OutboxOp
from consultant_app.sync.client import CentralClient, sync
from tests.reliability.helpers import business_number, content, laptop, token_for

YEAR = timedelta(days=365)
TIMES = ("created_at", "updated_at")  # the server's clock: they differ from run to run
REAL_NOW = journal.utc_now


@contextmanager
def clock(offset: timedelta):
    """The laptop's clock ``offset`` away from the truth, for the journal (local_time, audit, created/updated)."""
    with mock.patch.object(journal, "utc_now", lambda: REAL_NOW() + offset):
        yield


def _edit_company(store, company_id, **changes):
    with store.session() as session:
        draft = load_company(session=session, company_id=company_id)
    save_company(store, dataclasses.replace(draft, **changes), company_id=company_id)


def _local_times(store) -> list[datetime]:
    with store.session() as session:
        return [op.local_time for op in session.execute(select(OutboxOp).order_by(OutboxOp.seq)).scalars()]


def _near(moment: datetime, expected: datetime) -> bool:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return abs(moment - expected) < timedelta(hours=1)


def run(live, root, client, tag: str, number: str, *, a_first: timedelta, a_second: timedelta, b: timedelta):
    """One scenario on its own company; returns what happened with every id replaced by its role."""
    first, second = laptop(root, f"a-{tag}"), laptop(root, f"b-{tag}")
    with clock(a_first):
        company_id = save_company(first, CompanyDraft(business_no=number, name="시계시험", region="경기",
                                                      employees=40))
        engagement_id = save_engagement(first, EngagementDraft(year=1, phase=1), company_id=company_id)
        save_kpis(first, engagement_id, entries=[KpiEntry(code="defect_rate", baseline=2.93, target=2.0, post=1.71)])
    assert all(_near(t, REAL_NOW() + a_first) for t in _local_times(first))  # the wrong clock is in the ops
    sync(first, client)
    sync(second, client)
    # Offline: a edits, b edits later, a edits again (its clock possibly jumped back by a year meanwhile).
    with clock(a_first):
        _edit_company(first, company_id, name="가나정밀")
        _edit_company(first, company_id, employees=41)
    with clock(b):
        _edit_company(second, company_id, name="다라정밀", region="부산")
        (entry,) = load_kpis(second, engagement_id)
        save_kpis(second, engagement_id, entries=[dataclasses.replace(entry, post=1.6)])
    with clock(a_second):
        _edit_company(first, company_id, name="마바정밀")
        (entry,) = load_kpis(first, engagement_id)
        save_kpis(first, engagement_id, entries=[dataclasses.replace(entry, target=1.9)])
    assert _near(_local_times(first)[-1], REAL_NOW() + a_second) and _near(_local_times(second)[0], REAL_NOW() + b)
    reports = [sync(second, client), sync(first, client), sync(second, client)]

    roles = {company_id: "company", engagement_id: "engagement"}
    server = content(live.engine, exclude=TIMES)
    names = {number: "the business number"}  # not a row, but different in every run
    roles.update({row_id: "kpi" for row_id, row in server["kpi_measurements"].items()
                  if row["engagement_id"] == engagement_id})

    def named(value):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        for row_id, role in {**roles, **names}.items():
            text = text.replace(row_id, role)
        return json.loads(text)

    def mine(found):
        return named({entity: {row_id: row for row_id, row in rows.items() if row_id in roles}
                      for entity, rows in found.items()})

    with live.engine.connect() as connection:
        audit = connection.execute(select(server_audit.c.row_id, server_audit.c.action, server_audit.c.changes)
                                   .where(server_audit.c.row_id.in_(list(roles))).order_by(server_audit.c.seq)).all()
        stamps = connection.execute(select(server_audit.c.at).where(server_audit.c.row_id.in_(list(roles)))).scalars()
        assert all(_near(at, REAL_NOW()) for at in stamps)  # the server's own clock, whatever the laptop's said

    def waiting(store):
        with store.session() as session:
            return [(op.entity, op.status, json.loads(op.reason) if op.reason else None)
                    for op in session.execute(select(OutboxOp).order_by(OutboxOp.seq)).scalars()]

    outcome = {
        "server": mine(server),
        "changes in order": named([(row_id, action, json.loads(changes)) for row_id, action, changes in audit]),
        "a": mine(content(first, exclude=TIMES)), "b": mine(content(second, exclude=TIMES)),
        "a waiting": waiting(first), "b waiting": named(waiting(second)),
        "reports": [(r.pushed, r.applied, r.conflicts, r.rejected) for r in reports],
    }
    stamped = content(live.engine, exclude=())["companies"][company_id]
    for moment in (stamped["created_at"], stamped["updated_at"]):
        assert _near(datetime.fromisoformat(moment), REAL_NOW())  # stamped by the server, not the laptop
    first.close(), second.close()
    return outcome


def test_a_clock_a_year_wrong_changes_neither_order_nor_outcome(people, tmp_path):
    rng, used = random.Random(5), set()
    with CentralClient(people.base_url, token_for(people, "kim")) as client:
        def scenario(tag, **clocks):
            return run(people, tmp_path, client, tag, business_number(rng, used), **clocks)

        right = scenario("right", a_first=timedelta(0), a_second=timedelta(0), b=timedelta(0))
        ahead = scenario("ahead", a_first=YEAR, a_second=YEAR, b=-YEAR)
        behind = scenario("behind", a_first=-YEAR, a_second=-YEAR, b=YEAR)
        jumped = scenario("jumped", a_first=YEAR, a_second=-YEAR, b=timedelta(0))
    # b synced first, so its name won; a's two renames are conflicts, its other edits merged.
    company = right["server"]["companies"]["company"]
    assert (company["name"], company["region"], company["employees"]) == ("다라정밀", "부산", 41)
    kpi = right["server"]["kpi_measurements"]["kpi"]
    assert (kpi["post"], kpi["target"]) == (1.6, 1.9)
    assert [status for _, status, _ in right["a waiting"]] == ["conflict", "conflict"]
    for wrong in (ahead, behind, jumped):
        assert wrong == right
