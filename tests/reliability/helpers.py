"""What the reliability tests share: laptops, made-up programmes written through the journal, and the counts and
contents to compare between laptops and the server (rows by content, receipts, the change sequence)."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from central_server.schema import (
    SEQ_COUNTER,
    counters,
    op_receipts,
    row_meta,
    server_audit,
)
from consultant_app.domain.kpi import Direction, default_catalogue
from consultant_app.domain.validation import business_no_check_digit
from consultant_app.store import Store
from consultant_app.store.models import (
    SYNCED_TABLES,
    Company,
    Engagement,
    KpiMeasurement,
    OutboxOp,
    Sponsor,
    Visit,
)
from consultant_app.sync.client import CentralClient
from consultant_app.sync.wire import PullPage
from tests.server.test_sync import content as synced_content

PASSWORD = "correct horse 1"
BOOKKEEPING = ("version", "created_at", "updated_at")


def laptop(root: Path, name: str) -> Store:
    return Store.open(root / name, actor=name)


class PagedClient(CentralClient):
    """The real client with a chosen pull page size (``sync`` always pulls with the client's default)."""

    def __init__(self, *args, pull_page: int = 1000, **kwargs):
        super().__init__(*args, **kwargs)
        self.pull_page = pull_page
        self.pulls = 0
        self.pushes = 0

    def pull(self, after: int, limit: int | None = None) -> PullPage:
        self.pulls += 1
        return super().pull(after, limit or self.pull_page)

    def push(self, batch):
        self.pushes += 1
        return super().push(batch)


def token_for(live, username: str) -> str:
    with CentralClient(live.base_url) as client:
        return client.login(username, PASSWORD)


def _engine(store_or_engine) -> Engine:
    return store_or_engine.engine if isinstance(store_or_engine, Store) else store_or_engine


def content(store_or_engine, *, exclude=BOOKKEEPING) -> dict[str, dict[str, dict]]:
    """Every synced row by table and id, by content (bookkeeping columns left out unless ``exclude=()``)."""
    return synced_content(store_or_engine, exclude=exclude)


def row_counts(store_or_engine) -> dict[str, int]:
    with _engine(store_or_engine).connect() as connection:
        return {entity: connection.execute(select(func.count()).select_from(model.__table__)).scalar()
                for entity, model in SYNCED_TABLES.items()}


def total_rows(found: dict[str, dict]) -> int:
    return sum(len(rows) for rows in found.values())


def outbox(store: Store) -> list[dict]:
    """The laptop's outbox, oldest first: op id, status, entity, row."""
    table = OutboxOp.__table__
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(
            select(table.c.op_id, table.c.status, table.c.entity, table.c.row_id, table.c.reason)
            .order_by(table.c.seq)).mappings()]


@dataclass
class ServerBook:
    """What the server holds about pushes and changes."""

    receipts: int  # op_receipts rows
    distinct_receipts: int
    statuses: Counter
    seq: int  # the change sequence counter
    max_row_seq: int
    row_meta: int
    audit: int
    receipt_rows: dict[str, str] = field(repr=False, default_factory=dict)  # op id → stored receipt


def server_book(engine: Engine) -> ServerBook:
    import json

    with engine.connect() as connection:
        rows = dict(connection.execute(select(op_receipts.c.op_id, op_receipts.c.receipt)).all())
        return ServerBook(
            receipts=connection.execute(select(func.count()).select_from(op_receipts)).scalar(),
            distinct_receipts=connection.execute(select(func.count(func.distinct(op_receipts.c.op_id)))).scalar(),
            statuses=Counter(json.loads(r)["status"] for r in rows.values()),
            seq=connection.execute(select(counters.c.value).where(counters.c.name == SEQ_COUNTER)).scalar(),
            max_row_seq=connection.execute(select(func.max(row_meta.c.seq))).scalar() or 0,
            row_meta=connection.execute(select(func.count()).select_from(row_meta)).scalar(),
            audit=connection.execute(select(func.count()).select_from(server_audit)).scalar(),
            receipt_rows=rows)


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of a store file (``ok`` when sound)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


# -- made-up programmes, written through the journal (each row an outbox op)

SPONSORS = ("한빛전자", "대성자동차", "세진중공업")
REGIONS = ("경기", "경남", "부산", "인천", "충남")


def business_number(rng: random.Random, used: set[str]) -> str:
    while True:
        first_nine = f"{rng.randint(101, 999)}{rng.randint(1, 99):02d}{rng.randint(0, 9999):04d}"
        number = first_nine + str(business_no_check_digit(first_nine))
        if number not in used:
            used.add(number)
            return number


def kpi_values(rng: random.Random, definition) -> tuple[float, float, float]:
    """Baseline, target and post that move the right way, within the KPI's range."""
    percent = definition.is_percent
    if definition.direction is Direction.LOWER:
        baseline = rng.uniform(2, 20) if percent else rng.uniform(10, 500)
        return round(baseline, 2), round(baseline * 0.7, 2), round(baseline * rng.uniform(0.6, 0.95), 2)
    baseline = rng.uniform(40, 80) if percent else rng.uniform(10, 100)
    return round(baseline, 2), round(baseline * 1.15, 2), round(baseline * rng.uniform(1.02, 1.2), 2)


@dataclass
class Programme:
    """Ids of what ``write_programme`` made."""

    sponsors: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    engagements: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)
    visits: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.sponsors) + len(self.companies) + len(self.engagements) + len(self.kpis) + len(self.visits)


def write_programme(store: Store, *, companies: int, years: int = 1, kpis: int = 2, visits: int = 0,
                    seed: int = 1, sponsors: tuple[str, ...] = SPONSORS, chunk: int = 2000) -> Programme:
    """Companies × years engagements, each with ``kpis`` KPIs and ``visits`` visits, journalled in transactions of
    about ``chunk`` rows; one create op per row."""
    rng = random.Random(seed)
    catalogue = list(default_catalogue())
    made = Programme()
    pending: list = []

    def flush() -> None:
        if pending:
            with store.transaction() as session:
                session.add_all(pending)
            pending.clear()

    sponsor_rows = [Sponsor(name=name) for name in sponsors]
    made.sponsors = [s.id for s in sponsor_rows]
    pending.extend(sponsor_rows)
    used: set[str] = set()
    for index in range(companies):
        company = Company(business_no=business_number(rng, used), name=f"신뢰시험 {seed}-{index}", representative="김대표",
                          region=rng.choice(REGIONS), industry="금속가공", manufacturing=True,
                          employees=rng.randint(5, 300), supplier_tier=2,
                          sponsor_id=rng.choice(made.sponsors) if made.sponsors else None)
        made.companies.append(company.id)
        pending.append(company)
        for year in range(1, years + 1):
            start = date(2019, 3, 1) + timedelta(days=365 * (year - 1))
            engagement = Engagement(company_id=company.id, year=year, phase=1, field="productivity",
                                    support_krw=30_000_000, start_date=start, end_date=start + timedelta(days=200),
                                    consultant="이컨설")
            made.engagements.append(engagement.id)
            pending.append(engagement)
            for definition in rng.sample(catalogue, kpis):
                baseline, target, post = kpi_values(rng, definition)
                kpi = KpiMeasurement(engagement_id=engagement.id, kpi_code=definition.code, baseline=baseline,
                                     baseline_date=start + timedelta(days=10), target=target, post=post,
                                     post_date=start + timedelta(days=190))
                made.kpis.append(kpi.id)
                pending.append(kpi)
            for number in range(visits):
                visit = Visit(engagement_id=engagement.id, visit_date=start + timedelta(days=7 * (number + 1)),
                              hours=4.0, activities=f"현장 점검 {number + 1}", notes="생산팀장 참석")
                made.visits.append(visit.id)
                pending.append(visit)
            if len(pending) >= chunk:
                flush()
    flush()
    return made


def edit_rows(store: Store, model, ids: list[str], **values) -> int:
    """Change ``values`` on the given rows (one update op per row); a callable value gets the row."""
    with store.transaction() as session:
        for row_id in ids:
            row = session.get(model, row_id)
            for name, value in values.items():
                setattr(row, name, value(row) if callable(value) else value)
    return len(ids)
