"""The local database's tables: synced records with UUID keys, versions and tombstones, plus the journal."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    """Timestamps are stored in UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """Keys are made where a row is created, so laptops never collide."""
    return str(uuid.uuid4())


class Synced(SQLModel):
    """Columns every synced row carries: key, timestamps, the server's version and a tombstone."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    version: int = Field(default=0, description="server version; 0 until the server has it")
    deleted: bool = Field(default=False, index=True)


def reference(target: str, *, nullable: bool = False) -> Any:
    """A foreign key checked at commit, so rows of one transaction may arrive in any order (imports, sync)."""
    foreign_key = ForeignKey(target, deferrable=True, initially="DEFERRED")
    return Field(default=None, sa_column=Column(String(36), foreign_key, nullable=nullable, index=True))


def money() -> Any:
    """An amount in won: 64-bit on PostgreSQL too (INTEGER is already 64-bit in SQLite), so billions fit."""
    return Field(default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), nullable=True))


# Bookkeeping columns that are not the user's data, so they never appear in a journal entry.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version"})


def _live_unique(name: str, *columns: str) -> Index:
    """A unique index over live rows only, so a tombstone never blocks re-creating a record."""
    return Index(name, *columns, unique=True, sqlite_where=text("deleted = 0"), postgresql_where=text("deleted = false"))


class Sponsor(Synced, table=True):
    __tablename__ = "sponsors"
    __table_args__ = (_live_unique("ux_sponsors_name", "name"),)

    name: str


class Company(Synced, table=True):
    __tablename__ = "companies"
    __table_args__ = (_live_unique("ux_companies_business_no", "business_no"),)

    business_no: str = Field(max_length=10)
    name: str = Field(index=True)
    representative: str | None = None
    region: str | None = None
    industry: str | None = None
    manufacturing: bool | None = None
    employees: int | None = None
    supplier_tier: int | None = None
    sponsor_id: str | None = reference("sponsors.id", nullable=True)
    growth_stage: str | None = None


class Engagement(Synced, table=True):
    __tablename__ = "engagements"
    __table_args__ = (_live_unique("ux_engagements_company_year", "company_id", "year"),)

    company_id: str = reference("companies.id")
    year: int
    phase: int | None = None
    field: str | None = None
    support_krw: int | None = money()
    start_date: date | None = None
    end_date: date | None = None
    status: str = Field(default="in_progress")
    consultant: str | None = None


class KpiMeasurement(Synced, table=True):
    __tablename__ = "kpi_measurements"
    __table_args__ = (_live_unique("ux_kpi_measurements_engagement_kpi", "engagement_id", "kpi_code"),)

    engagement_id: str = reference("engagements.id")
    kpi_code: str
    baseline: float | None = None
    baseline_date: date | None = None
    baseline_numerator: float | None = None
    baseline_denominator: float | None = None
    target: float | None = None
    post: float | None = None
    post_date: date | None = None
    post_numerator: float | None = None
    post_denominator: float | None = None
    note: str | None = None


class Visit(Synced, table=True):
    __tablename__ = "visits"

    engagement_id: str = reference("engagements.id")
    visit_date: date
    hours: float | None = None
    activities: str | None = None
    notes: str | None = None


class Attachment(Synced, table=True):
    __tablename__ = "attachments"

    engagement_id: str = reference("engagements.id")
    visit_id: str | None = reference("visits.id", nullable=True)
    sha256: str = Field(max_length=64, index=True)
    file_name: str
    media_type: str | None = None
    size_bytes: int
    caption: str | None = None


class Outcome(Synced, table=True):
    __tablename__ = "outcomes"
    __table_args__ = (_live_unique("ux_outcomes_engagement", "engagement_id"),)

    engagement_id: str = reference("engagements.id")
    financial_effect_krw: int | None = money()
    effect_productivity_krw: int | None = money()
    effect_labour_krw: int | None = money()
    effect_quality_krw: int | None = money()
    effect_other_krw: int | None = money()
    assumptions: str | None = None
    new_hires: int | None = None
    smart_factory_built: bool | None = None
    smart_factory_level: int | None = None


class SurveyResponse(Synced, table=True):
    __tablename__ = "survey_responses"
    __table_args__ = (_live_unique("ux_survey_responses_engagement", "engagement_id"),)

    engagement_id: str = reference("engagements.id")
    satisfaction: int | None = None
    wants_continue: bool | None = None
    would_recommend: bool | None = None
    improved: str = Field(default="", description="capability codes separated by ';'")


class LocalUser(SQLModel, table=True):
    """A person who uses this laptop; local only, never synced."""

    __tablename__ = "local_users"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    username: str = Field(unique=True)
    display_name: str | None = None
    role: str = Field(default="consultant")
    created_at: datetime = Field(default_factory=utc_now)


class AuditEntry(SQLModel, table=True):
    """Who changed what, when, from which value to which."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    actor: str
    device_id: str
    entity: str = Field(index=True)
    row_id: str = Field(index=True)
    action: str
    changes: str = Field(sa_column=Column(Text, nullable=False))


class OutboxOp(SQLModel, table=True):
    """A change waiting to be pushed to the central office, in the order it was made."""

    __tablename__ = "outbox"

    seq: int | None = Field(default=None, primary_key=True)
    op_id: str = Field(default_factory=new_id, unique=True, max_length=36)
    entity: str
    row_id: str = Field(index=True)
    action: str
    changes: str = Field(sa_column=Column(Text, nullable=False))
    base_version: int
    device_id: str
    actor: str
    local_time: datetime = Field(default_factory=utc_now)
    status: str = Field(default="pending", index=True)
    reason: str | None = None


class Meta(SQLModel, table=True):
    """Small facts about this store: the device id, sync cursors."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class IssuedCertificate(SQLModel, table=True):
    """A certificate the central office issued: it comes down with the pull, and nothing here ever changes it."""

    __tablename__ = "certificates"

    id: str = Field(primary_key=True, max_length=36)
    engagement_id: str = Field(index=True, max_length=36)
    number: str = Field(max_length=32)
    version: int  # the certificate's version: a correction issues the next one under the same number
    code: str = Field(max_length=32, unique=True)  # the verification code the QR leads to
    status: str = Field(max_length=16)  # valid | revoked | superseded
    issued_on: date
    issued_at: datetime
    issued_by: str
    verify_url: str
    signed: str = Field(sa_column=Column(Text, nullable=False))  # the signed facts (SignedFacts.to_bytes)
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    superseded_by: str | None = Field(default=None, max_length=36)


class OfficeCatalogue(SQLModel, table=True):
    """A KPI catalogue the central office published (comes with the pull); the newest one is in force."""

    __tablename__ = "kpi_catalogue"

    id: str = Field(primary_key=True, max_length=36)
    version: int = Field(unique=True)
    csv: str = Field(sa_column=Column(Text, nullable=False))  # the catalogue file's text
    published_at: datetime
    published_by: str


def row_defaults(model: type[Synced]) -> dict[str, Any]:
    """What a new row holds in the user fields nobody set: the model's defaults, else None."""
    from pydantic_core import PydanticUndefined

    return {name: None if info.default is PydanticUndefined else info.default
            for name, info in model.model_fields.items() if name not in Synced.model_fields}


SYNCED_TABLES: dict[str, type[Synced]] = {
    model.__tablename__: model
    for model in (Sponsor, Company, Engagement, KpiMeasurement, Visit, Attachment, Outcome, SurveyResponse)
}

# What a pull brings: the synced records, and what only the office writes.
PULLED_TABLES: dict[str, type[SQLModel]] = {**SYNCED_TABLES, "certificates": IssuedCertificate,
                                            "kpi_catalogue": OfficeCatalogue}

metadata = SQLModel.metadata
