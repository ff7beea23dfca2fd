"""An engagement's KPI measurements: load, check, save (journalled), company trends and chart data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from consultant_app.domain.kpi import Direction, KpiCatalogue, KpiDefinition, default_catalogue
from consultant_app.domain.validation import Issue, Rule, ValidationFailed, check_text, validate_measurement
from consultant_app.errors import AppError
from consultant_app.store import Store
from consultant_app.store.models import Attachment, Engagement, KpiMeasurement

# The measurement's user fields, in the order the table shows them.
VALUE_FIELDS = ("baseline", "baseline_date", "baseline_numerator", "baseline_denominator", "target", "post",
                "post_date", "post_numerator", "post_denominator", "note")


@dataclass(frozen=True, slots=True)
class KpiEntry:
    """One KPI of an engagement as the screen edits it; ``id`` is None until saved."""

    code: str
    id: str | None = None
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

    def values(self) -> dict[str, object]:
        """The user fields, without code and id."""
        return {name: getattr(self, name) for name in VALUE_FIELDS}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One programme year's values of a KPI in one of the company's engagements."""

    year: int
    baseline: float | None
    target: float | None
    post: float | None


@dataclass(frozen=True, slots=True)
class ChartEntry:
    """What a KPI's small chart draws: plain numbers, its name and unit, and whether it moved the better way."""

    code: str
    name: str
    unit: str
    baseline: float | None
    target: float | None
    post: float | None
    better: bool | None  # None: no change, or not computable


class EngagementMissing(AppError):
    """The engagement was deleted (or never existed) while its tab was open."""

    def __init__(self, engagement_id: str):
        super().__init__(f"참여 기록을 찾을 수 없습니다 (삭제되었을 수 있습니다): {engagement_id}",
                         f"The engagement was not found (it may have been deleted): {engagement_id}")


class DuplicateKpi(AppError):
    """The same KPI twice in one engagement (the screen never offers it, an API caller might)."""

    def __init__(self, codes: list[str]):
        listed = ", ".join(codes)
        super().__init__(f"같은 KPI가 두 번 있습니다: {listed}", f"The same KPI is listed twice: {listed}")


class KpisInvalid(ValidationFailed):
    """Some KPIs have errors; ``by_code`` says which issues belong to which KPI."""

    def __init__(self, by_code: dict[str, list[Issue]]):
        self.by_code = by_code
        super().__init__([issue for issues in by_code.values() for issue in issues])


def sort_key(catalogue: KpiCatalogue):
    """Order KPIs as the catalogue lists them (unknown codes last, by code)."""
    order = {definition.code: index for index, definition in enumerate(catalogue)}
    return lambda code: (order.get(code, len(order)), code)


def _live_engagement(session: Session, engagement_id: str) -> Engagement:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or engagement.deleted:
        raise EngagementMissing(engagement_id)
    return engagement


def _live_measurements(session: Session, engagement_id: str) -> list[KpiMeasurement]:
    return list(session.exec(select(KpiMeasurement).where(
        KpiMeasurement.engagement_id == engagement_id, KpiMeasurement.deleted == False)))  # noqa: E712


def _entry(m: KpiMeasurement) -> KpiEntry:
    return KpiEntry(code=m.kpi_code, id=m.id, **{name: getattr(m, name) for name in VALUE_FIELDS})


def load_kpis(store: Store, engagement_id: str, *, catalogue: KpiCatalogue | None = None) -> list[KpiEntry]:
    """The engagement's live KPIs in catalogue order."""
    key = sort_key(catalogue or default_catalogue())
    with store.session() as session:
        _live_engagement(session, engagement_id)
        entries = [_entry(m) for m in _live_measurements(session, engagement_id)]
    return sorted(entries, key=lambda e: key(e.code))


def evidence_count(store: Store, engagement_id: str) -> int:
    """How many live attachments (photos, documents) back the engagement's figures."""
    with store.session() as session:
        return session.exec(select(func.count()).select_from(Attachment).where(
            Attachment.engagement_id == engagement_id, Attachment.deleted == False)).one()  # noqa: E712


def entry_issues(definition: KpiDefinition, entry: KpiEntry, *, evidence: int = 0) -> list[Issue]:
    """The domain's errors and warnings for one KPI's values, and a note that can be stored."""
    issues = validate_measurement(
        definition, baseline=entry.baseline, baseline_date=entry.baseline_date, target=entry.target,
        post=entry.post, post_date=entry.post_date,
        baseline_ratio=(entry.baseline_numerator, entry.baseline_denominator),
        post_ratio=(entry.post_numerator, entry.post_denominator), evidence_count=evidence)
    return issues + check_text(entry.note, "note")


def check_kpis(entries: list[KpiEntry], *, catalogue: KpiCatalogue, evidence: int = 0) -> dict[str, list[Issue]]:
    """Issues (errors and warnings) by KPI code; codes without issues are left out."""
    codes = [entry.code for entry in entries]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DuplicateKpi(duplicates)
    by_code: dict[str, list[Issue]] = {}
    for entry in entries:
        definition = catalogue.get(entry.code)
        if definition is None:
            issues = [Issue(Rule.UNKNOWN_KPI, "kpi", {"value": entry.code})]
        else:
            issues = entry_issues(definition, entry, evidence=evidence)
        if issues:
            by_code.setdefault(entry.code, []).extend(issues)
    return by_code


def save_kpis(store: Store, engagement_id: str, *, entries: list[KpiEntry], removed_ids: list[str] = (),
              catalogue: KpiCatalogue | None = None) -> dict[str, str]:
    """Write the engagement's KPIs in one journalled transaction; returns the saved id of each code.

    Entries with an id update that row (only changed fields are journalled), entries without one are created,
    ``removed_ids`` are tombstoned. Any error raises KpisInvalid and writes nothing.
    """
    catalogue = catalogue or default_catalogue()
    evidence = evidence_count(store, engagement_id)
    by_code = check_kpis(entries, catalogue=catalogue, evidence=evidence)
    if any(issue.is_error for issues in by_code.values() for issue in issues):
        raise KpisInvalid({code: issues for code, issues in by_code.items() if any(i.is_error for i in issues)})
    saved: dict[str, str] = {}
    with store.transaction() as session:
        _live_engagement(session, engagement_id)
        live = {m.id: m for m in _live_measurements(session, engagement_id)}
        for row_id in removed_ids:
            if row_id in live:
                live.pop(row_id).deleted = True
        # Tombstones first: a KPI removed and added again must not meet its old row in the live-unique index.
        session.flush()
        for entry in entries:
            row = live.get(entry.id) if entry.id else None
            if row is None:
                row = KpiMeasurement(engagement_id=engagement_id, kpi_code=entry.code)
                session.add(row)
            for name, value in entry.values().items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
            saved[entry.code] = row.id
    return saved


def company_history(store: Store, engagement_id: str) -> tuple[int, dict[str, list[TrendPoint]]]:
    """The engagement's programme year, and each KPI's values in the company's OTHER engagements, by year."""
    with store.session() as session:
        engagement = _live_engagement(session, engagement_id)
        rows = session.exec(
            select(Engagement.year, KpiMeasurement)
            .join(KpiMeasurement, KpiMeasurement.engagement_id == Engagement.id)
            .where(Engagement.company_id == engagement.company_id, Engagement.id != engagement_id,
                   Engagement.deleted == False, KpiMeasurement.deleted == False)  # noqa: E712
        ).all()
        year = engagement.year
    history: dict[str, list[TrendPoint]] = defaultdict(list)
    for other_year, m in rows:
        history[m.kpi_code].append(TrendPoint(other_year, m.baseline, m.target, m.post))
    return year, {code: sorted(points, key=lambda p: p.year) for code, points in history.items()}


def trend(history: dict[str, list[TrendPoint]], entry: KpiEntry, *, year: int) -> list[TrendPoint]:
    """A KPI's values over the company's programme years, this year's taken from the entry being edited."""
    points = [p for p in history.get(entry.code, []) if p.year != year]
    points.append(TrendPoint(year, entry.baseline, entry.target, entry.post))
    return sorted(points, key=lambda p: p.year)


def better_way(direction: Direction, baseline: float | None, post: float | None) -> bool | None:
    """True when the post value moved the better way, False the worse way, None when unchanged or unknown."""
    if baseline is None or post is None or baseline == post:
        return None
    return (post < baseline) if direction is Direction.LOWER else (post > baseline)


def chart_entries(entries: list[KpiEntry], *, catalogue: KpiCatalogue, lang: str = "ko") -> list[ChartEntry]:
    """One entry per KPI the catalogue knows, in the entries' order."""
    result = []
    for entry in entries:
        definition = catalogue.get(entry.code)
        if definition is None:
            continue
        result.append(ChartEntry(code=entry.code, name=definition.name(lang), unit=definition.unit,
                                 baseline=entry.baseline, target=entry.target, post=entry.post,
                                 better=better_way(definition.direction, entry.baseline, entry.post)))
    return result
