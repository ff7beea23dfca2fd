"""The rows an import will write, matched to the live rows by natural key, and writing them with the journal."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Date, bindparam, column, func, insert, select, update
from sqlalchemy import table as table_clause
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import TableClause

from consultant_app.store.journal import CREATE, UPDATE, Change, row_changes_for_create, to_json_value, write_changes
from consultant_app.store.models import (
    Attachment,
    Company,
    Engagement,
    KpiMeasurement,
    Outcome,
    Sponsor,
    SurveyResponse,
    Synced,
    new_id,
    row_defaults,
    utc_now,
)

MODELS: dict[str, type[Synced]] = {m.__tablename__: m for m in
                                   (Sponsor, Company, Engagement, KpiMeasurement, Outcome, SurveyResponse)}
TABLE_ORDER = tuple(MODELS)  # parents first (foreign keys are deferred, but the order reads naturally)
CHUNK = 5000  # rows per executemany: large enough to be fast, small enough to report progress and cancel


DEFAULTS: dict[str, dict[str, Any]] = {name: row_defaults(model) for name, model in MODELS.items()}

# Rows are staged in the form the database stores (on SQLite: dates and timestamps as the text SQLAlchemy
# itself writes for them, using its own processors) and written through untyped table clauses: SQLAlchemy's
# per-value type processing was the largest part of the write time.
_BARE: dict[str, TableClause] = {name: table_clause(name, *(column(c.name) for c in model.__table__.columns))
                                 for name, model in MODELS.items()}
_DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(c.name for c in model.__table__.columns
                if isinstance(c.type, Date) and c.name not in Synced.model_fields)
    for name, model in MODELS.items()}


def _processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any]:
    """SQLAlchemy's own conversion of a Python value of this type for this database (or none needed)."""
    return type_.dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)


@dataclass
class Existing:
    """The live rows an import matches against, by natural key."""

    sponsors: dict[str, str] = field(default_factory=dict)  # name → id
    companies: dict[str, dict] = field(default_factory=dict)  # business_no → row
    engagements: dict[tuple[str, int], dict] = field(default_factory=dict)  # (company_id, year) → row
    kpis: dict[tuple[str, str], dict] = field(default_factory=dict)  # (engagement_id, kpi_code) → row
    outcomes: dict[str, dict] = field(default_factory=dict)  # engagement_id → row
    surveys: dict[str, dict] = field(default_factory=dict)  # engagement_id → row
    evidence: dict[str, int] = field(default_factory=dict)  # engagement_id → live attachments


def _live(connection: Connection, model: type[Synced]) -> list[dict]:
    table = model.__table__
    return [dict(r) for r in connection.execute(select(table).where(table.c.deleted == False)).mappings()]  # noqa: E712


def load_existing(connection: Connection, sheets: set[str]) -> Existing:
    """A few bulk SELECTs of the live rows the given sheets can match."""
    existing = Existing()
    if "companies" in sheets:
        existing.sponsors = {r["name"]: r["id"] for r in _live(connection, Sponsor)}
    existing.companies = {r["business_no"]: r for r in _live(connection, Company)}
    if sheets - {"companies"}:
        existing.engagements = {(r["company_id"], r["year"]): r for r in _live(connection, Engagement)}
    if "engagements" in sheets:
        existing.outcomes = {r["engagement_id"]: r for r in _live(connection, Outcome)}
    if "kpis" in sheets:
        existing.kpis = {(r["engagement_id"], r["kpi_code"]): r for r in _live(connection, KpiMeasurement)}
        attachments = Attachment.__table__
        existing.evidence = dict(connection.execute(
            select(attachments.c.engagement_id, func.count()).where(attachments.c.deleted == False)  # noqa: E712
            .group_by(attachments.c.engagement_id)).all())
    if "surveys" in sheets:
        existing.surveys = {r["engagement_id"]: r for r in _live(connection, SurveyResponse)}
    return existing


class Plan:
    """Inserts, updates and journal entries, gathered before anything touches the database."""

    def __init__(self, dialect: Dialect, now: datetime | None = None):
        self.now = now or utc_now()
        self.now_stored = _processor(Company.__table__.c.created_at.type, dialect)(self.now)
        self._date = _processor(Date(), dialect)
        self.inserts: dict[str, list[dict]] = defaultdict(list)
        self.updates: dict[str, list[dict]] = defaultdict(list)
        self.changes: list[Change] = []
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.unchanged = 0

    def stage(self, table: str, *, existing: dict | None, values: dict[str, Any]) -> str:
        """Create the row, or update only the fields that differ from ``existing``; returns the row's id."""
        if existing is None:
            return self._create(table, values)
        changed = {}
        for name, new in values.items():
            old = existing[name]
            if old != new:
                changed[name] = [to_json_value(old), to_json_value(new)]
        row_id = existing["id"]
        if not changed:
            self.unchanged += 1
            return row_id
        self.updates[table].append(self._stored(table, {"_id": row_id, "updated_at": self.now_stored,
                                                   **{name: values[name] for name in changed}}))
        self.changes.append(Change(table, row_id, UPDATE, changed, existing["version"]))
        self.updated[table] += 1
        return row_id

    def _create(self, table: str, values: dict[str, Any]) -> str:
        row = self._stored(table, {"id": new_id(), "created_at": self.now_stored, "updated_at": self.now_stored,
                              "version": 0, "deleted": False, **DEFAULTS[table], **values})
        self.inserts[table].append(row)
        # Dates may be ISO text already here, which is what the journal writes for them anyway.
        self.changes.append(Change(table, row["id"], CREATE, row_changes_for_create(row), 0))
        self.created[table] += 1
        return row["id"]

    def _stored(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with dates as the database stores them (booleans and numbers go as they are)."""
        for name in _DATE_COLUMNS[table]:
            if values.get(name) is not None:
                values[name] = self._date(values[name])
        return values

    @property
    def size(self) -> int:
        """Units of work to write: each row and each journal entry pair."""
        return sum(self.created.values()) + sum(self.updated.values()) + len(self.changes)


def _chunks(rows: list, size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def write_plan(connection: Connection, plan: Plan, *, actor: str, device_id: str,
               step: Callable[[int], None],
               journal: Callable[[Connection, list[Change]], int] | None = None) -> None:
    """Execute the plan in the caller's transaction: bulk inserts, grouped updates, then the journal."""
    for name in TABLE_ORDER:
        statement = insert(_BARE[name])
        for chunk in _chunks(plan.inserts.get(name, [])):
            connection.execute(statement, chunk)
            step(len(chunk))
    for name in TABLE_ORDER:
        by_fields: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for row in plan.updates.get(name, []):
            by_fields[tuple(sorted(row))].append(row)  # one executemany per set of changed fields
        bare = _BARE[name]
        statement = update(bare).where(bare.c.id == bindparam("_id"))
        for rows in by_fields.values():
            for chunk in _chunks(rows):
                connection.execute(statement, chunk)
                step(len(chunk))
    for chunk in _chunks(plan.changes):
        if journal is None:  # the laptop's audit log and outbox; the central server passes its own journal
            write_changes(connection, chunk, actor=actor, device_id=device_id)
        else:
            journal(connection, chunk)
        step(len(chunk))
