"""What a user may see (consultants their assigned companies, supervisors and admins all) and assigning companies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from central_server.changes import advance_sequence, upsert_row_meta
from central_server.schema import assignments
from central_server.users import User
from consultant_app.domain.validation import format_business_no, normalize_business_no
from consultant_app.errors import AppError
from consultant_app.store.models import PULLED_TABLES, SYNCED_TABLES, utc_now


def assigned_company_ids(user: User) -> Select:
    """A subquery of the companies assigned to ``user``, for ``column.in_(...)`` filters in SQL."""
    return select(assignments.c.company_id).where(assignments.c.user_id == user.id)


def visible_company_ids(session: Session, user: User) -> set[str] | None:
    """The ids of the companies ``user`` may see, or None when they may see every company."""
    if user.sees_everything:
        return None
    return set(session.execute(assigned_company_ids(user)).scalars())


def can_see_company(session: Session, user: User, *, company_id: str) -> bool:
    """Whether ``user`` may see the company (the company's existence is the caller's question)."""
    if user.sees_everything:
        return True
    return session.execute(select(assignments.c.company_id).where(
        assignments.c.user_id == user.id, assignments.c.company_id == company_id)).first() is not None


@dataclass(frozen=True, slots=True)
class Assigned:
    """What ``assign`` did: companies newly assigned, those the user already had, and the rows re-stamped."""

    new: list[str]
    already: list[str]
    restamped: int


class UnknownCompanies(AppError):
    def __init__(self, numbers: list[str]):
        listed = ", ".join(numbers)
        super().__init__(f"그런 사업자등록번호의 기업이 없어 아무것도 배정하지 않았습니다: {listed}",
                         f"No company has these business numbers, so nothing was assigned: {listed}")


def company_rows(connection: Connection, company_ids: list[str]) -> list[tuple[str, str, str]]:
    """Every synced row of these companies, tombstones too: (entity, row id, company id)."""
    engagements = SYNCED_TABLES["engagements"].__table__
    rows = [("companies", company_id, company_id) for company_id in company_ids]
    rows += [("engagements", row_id, company_id) for row_id, company_id in connection.execute(
        select(engagements.c.id, engagements.c.company_id).where(engagements.c.company_id.in_(company_ids)))]
    for entity, model in PULLED_TABLES.items():
        table = model.__table__
        if entity != "engagements" and "engagement_id" in table.c:
            rows += [(entity, row_id, company_id) for row_id, company_id in connection.execute(
                select(table.c.id, engagements.c.company_id)
                .join(engagements, engagements.c.id == table.c.engagement_id)
                .where(engagements.c.company_id.in_(company_ids)))]
    return rows


def assign_companies(connection: Connection, user: User, business_numbers: list[str]) -> Assigned:
    """Assign the live companies with these numbers (dashes allowed) to ``user``; an unknown one assigns none."""
    numbers = list(dict.fromkeys(normalize_business_no(n) for n in business_numbers))
    companies = SYNCED_TABLES["companies"].__table__
    found = {number: company_id for number, company_id in connection.execute(
        select(companies.c.business_no, companies.c.id).where(
            companies.c.business_no.in_(numbers), companies.c.deleted == False))}  # noqa: E712
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise UnknownCompanies([format_business_no(n) for n in unknown])
    have = set(connection.execute(select(assignments.c.company_id).where(assignments.c.user_id == user.id)).scalars())
    new = [n for n in numbers if found[n] not in have]
    if not new:
        return Assigned([], numbers, 0)
    now = utc_now()
    connection.execute(insert(assignments), [{"user_id": user.id, "company_id": found[n], "assigned_at": now}
                                             for n in new])
    # A pull sends the rows changed after the laptop's cursor, and these rows may have changed long before it.
    # New sequence numbers make the companies' whole records (tombstones too) "changed" again, so the newly
    # assigned consultant's next pull brings them; others just receive them once more, unchanged.
    rows = company_rows(connection, [found[n] for n in new])
    last = advance_sequence(connection, len(rows))
    upsert_row_meta(connection, [{"entity": entity, "row_id": row_id, "company_id": company_id, "seq": seq}
                                 for seq, (entity, row_id, company_id) in enumerate(rows, start=last - len(rows) + 1)])
    return Assigned(new, [n for n in numbers if n not in new], len(rows))
