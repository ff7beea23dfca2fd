"""record_changes: one sequence for every change, versions and row_meta kept, serialised in commit order."""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import select
from sqlmodel import Session

from central_server.changes import record_changes
from central_server.db import make_engine, write_transaction
from central_server.migrate import upgrade_database
from central_server.schema import counters, row_meta, server_audit
from consultant_app.store.journal import CREATE, UPDATE, Change
from consultant_app.store.models import Company, Engagement, KpiMeasurement, Sponsor


@pytest.fixture
def engine(settings):
    engine = make_engine(settings)
    upgrade_database(engine, settings)
    yield engine
    engine.dispose()


@pytest.fixture
def rows(engine) -> dict[str, str]:
    """A sponsor, a company, its engagement and a KPI, written without any journal; their ids by table."""
    sponsor = Sponsor(name="한빛자동차")
    company = Company(business_no="1234567891", name="한빛정밀", sponsor_id=sponsor.id)
    engagement = Engagement(company_id=company.id, year=1)
    kpi = KpiMeasurement(engagement_id=engagement.id, kpi_code="defect_rate", baseline=2.93)
    ids = {"sponsors": sponsor.id, "companies": company.id, "engagements": engagement.id,
           "kpi_measurements": kpi.id}
    with Session(engine) as session:
        session.add_all([sponsor, company, engagement, kpi])
        session.commit()
    return ids


def _version(engine, model, row_id: str) -> int:
    with engine.connect() as connection:
        return connection.execute(select(model.__table__.c.version).where(model.__table__.c.id == row_id)).scalar()


def test_each_change_takes_the_next_seq_and_bumps_its_rows_version(engine, rows):
    changes = [Change(table, row_id, CREATE, {"x": [None, 1]}, 0) for table, row_id in rows.items()]
    with write_transaction(engine) as connection:
        assert record_changes(connection, changes, actor="kim") == 4
    with write_transaction(engine) as connection:
        update = Change("kpi_measurements", rows["kpi_measurements"], UPDATE, {"post": [None, 1.71]}, 1)
        assert record_changes(connection, [update], actor="lee") == 5
    assert _version(engine, KpiMeasurement, rows["kpi_measurements"]) == 2
    assert _version(engine, Company, rows["companies"]) == 1
    with engine.connect() as connection:
        meta = {(r.entity, r.row_id): (r.company_id, r.seq) for r in connection.execute(select(row_meta))}
        audit = connection.execute(select(server_audit).order_by(server_audit.c.seq)).all()
        assert connection.execute(select(counters.c.value)).scalar() == 5
    company = rows["companies"]
    assert meta == {("sponsors", rows["sponsors"]): (None, 1), ("companies", company): (company, 2),
                    ("engagements", rows["engagements"]): (company, 3),
                    ("kpi_measurements", rows["kpi_measurements"]): (company, 5)}
    assert [a.seq for a in audit] == [1, 2, 3, 4, 5]
    last = audit[-1]
    assert (last.actor, last.entity, last.action, json.loads(last.changes)) == (
        "lee", "kpi_measurements", "update", {"post": [None, 1.71]})
    assert last.at.tzinfo is not None


def test_a_row_changed_twice_in_one_batch_keeps_its_later_seq(engine, rows):
    company = rows["companies"]
    changes = [Change("companies", company, UPDATE, {"name": ["a", "b"]}, 0),
               Change("companies", company, UPDATE, {"name": ["b", "c"]}, 1)]
    with write_transaction(engine) as connection:
        assert record_changes(connection, changes, actor="kim") == 2
    assert _version(engine, Company, company) == 2
    with engine.connect() as connection:
        assert connection.execute(select(row_meta.c.seq)).scalars().all() == [2]


def test_no_changes_take_no_number(engine):
    with write_transaction(engine) as connection:
        assert record_changes(connection, [], actor="kim") == 0
    with engine.connect() as connection:
        assert connection.execute(select(counters.c.value)).scalar() == 0


def test_a_change_to_a_missing_row_fails_and_rolls_everything_back(engine, rows):
    changes = [Change("companies", rows["companies"], UPDATE, {"name": ["a", "b"]}, 0),
               Change("engagements", "no-such-row", UPDATE, {"year": [1, 2]}, 0)]
    with pytest.raises(LookupError, match="no-such-row"):
        with write_transaction(engine) as connection:
            record_changes(connection, changes, actor="kim")
    assert _version(engine, Company, rows["companies"]) == 0
    with engine.connect() as connection:
        assert connection.execute(select(counters.c.value)).scalar() == 0


def test_a_second_writer_waits_for_the_first_to_commit_and_gets_the_next_seq(engine, rows):
    change = Change("companies", rows["companies"], UPDATE, {"name": ["a", "b"]}, 0)
    first_has_seq, results = threading.Event(), {}

    def first() -> None:
        with write_transaction(engine) as connection:
            results["first"] = record_changes(connection, [change], actor="first")
            first_has_seq.set()
            time.sleep(0.5)
        results["first_committed"] = time.monotonic()

    def second() -> None:
        first_has_seq.wait(10)
        with write_transaction(engine) as connection:
            results["second"] = record_changes(connection, [change], actor="second")
            results["second_has_seq"] = time.monotonic()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert (results["first"], results["second"]) == (1, 2)
    # The second could only take its number once the first had committed: sequence order is commit order.
    assert results["second_has_seq"] >= results["first_committed"] - 0.05
    assert _version(engine, Company, rows["companies"]) == 2


def test_a_reader_never_sees_a_gap_in_the_committed_sequence(engine, rows):
    # What a pull relies on: if seq N is visible, every seq below N is too (nothing commits out of order).
    changes = [Change("kpi_measurements", rows["kpi_measurements"], UPDATE, {"post": [1, 2]}, 0),
               Change("engagements", rows["engagements"], UPDATE, {"phase": [1, 2]}, 0)]
    writers_done = threading.Event()
    gaps, errors, snapshots = [], [], []

    def writer() -> None:
        try:
            for _ in range(8):
                with write_transaction(engine) as connection:
                    record_changes(connection, changes, actor="writer")
                    time.sleep(0.01)  # hold the transaction open a moment, as a real push would
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def reader() -> None:
        deadline = time.monotonic() + 60
        while not writers_done.is_set() and time.monotonic() < deadline:
            with engine.connect() as connection:
                seen = connection.execute(select(server_audit.c.seq).order_by(server_audit.c.seq)).scalars().all()
            snapshots.append(len(seen))
            if seen != list(range(1, len(seen) + 1)):
                gaps.append(seen)

    writers = [threading.Thread(target=writer) for _ in range(3)]
    watching = threading.Thread(target=reader)
    watching.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(60)
    writers_done.set()
    watching.join(60)
    assert errors == [] and gaps == []
    assert len(snapshots) > 3 and max(snapshots) > 0
    with engine.connect() as connection:
        assert connection.execute(select(counters.c.value)).scalar() == 3 * 8 * 2
        assert _version(engine, KpiMeasurement, rows["kpi_measurements"]) == 24
