"""Synced records and their fields as people name them: ``한빛정밀 1차년도 · 불량률``, ``기업명``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.messages import FIELD_NAMES, field_name
from consultant_app.report_text import table_label, year_label
from consultant_app.store.models import SYNCED_TABLES

Key = tuple[str, str]  # (entity, row id)

# Columns whose name differs from the word the domain has for them, and columns the domain never names.
COLUMN_WORDS = {"wants_continue": "continue", "would_recommend": "recommend", "kpi_code": "kpi",
                 "sponsor_id": "sponsor"}
_EXTRA_NAMES = {
    "deleted": ("삭제", "deleted"), "status": ("진행 상태", "status"), "consultant": ("컨설턴트", "consultant"),
    "company_id": ("기업", "company"), "engagement_id": ("참여", "engagement"), "visit_id": ("방문", "visit"),
    "note": ("비고", "note"), "file_name": ("파일 이름", "file name"), "caption": ("설명", "caption"),
    "media_type": ("파일 형식", "media type"), "size_bytes": ("파일 크기", "file size"),
    "sha256": ("파일 지문(SHA-256)", "file digest (SHA-256)"), "assumptions": ("산출 근거", "assumptions"),
    "post_numerator": ("개선 분자", "post numerator"), "post_denominator": ("개선 분모", "post denominator"),
}
_PARTS = {"outcomes": ("성과", "outcomes"), "survey_responses": ("만족도 조사", "survey")}
# Reference columns and the table they point at, so a chosen sponsor shows as a name, not a key.
REFERENCES = {"sponsor_id": "sponsors", "company_id": "companies", "engagement_id": "engagements",
              "visit_id": "visits"}


def field_title(field: str, lang: str = "ko") -> str:
    """A column's name for people, in the words validation messages use."""
    word = COLUMN_WORDS.get(field, field)
    if word in FIELD_NAMES:
        return field_name(word, lang)
    ko, en = _EXTRA_NAMES.get(field, (field, field))
    return en if lang == "en" else ko


def _rows(connection: Connection, entity: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    table = SYNCED_TABLES[entity].__table__
    wanted = sorted(set(ids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        for row in connection.execute(select(table).where(table.c.id.in_(wanted[start:start + 500]))).mappings():
            found[row["id"]] = dict(row)
    return found


def record_labels(connection: Connection, keys: Iterable[Key], lang: str = "ko") -> dict[Key, str]:
    """Each record's label, read in a few queries (tombstones too); an unknown row answers its kind and key."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entity, row_id in keys:
        if entity in SYNCED_TABLES:
            wanted[entity].add(row_id)
    rows = {entity: _rows(connection, entity, ids) for entity, ids in wanted.items()}
    engagement_ids = set(rows.get("engagements", {}))
    for found in rows.values():
        engagement_ids.update(r["engagement_id"] for r in found.values() if r.get("engagement_id"))
    engagements = _rows(connection, "engagements", engagement_ids)
    company_ids = {r["company_id"] for r in engagements.values()} | set(rows.get("companies", {}))
    companies = _rows(connection, "companies", company_ids)

    def engagement(engagement_id: str | None) -> str:
        found = engagements.get(engagement_id or "")
        if found is None:
            return table_label("engagements", lang)
        company = companies.get(found["company_id"])
        return f"{company['name'] if company else '?'} {year_label(found['year'], lang)}"

    catalogue = default_catalogue()
    labels: dict[Key, str] = {}
    for entity, ids in wanted.items():
        for row_id in ids:
            row = rows[entity].get(row_id)
            if row is None:
                labels[(entity, row_id)] = f"{table_label(entity, lang)} {row_id[:8]}"
            elif entity in ("sponsors", "companies"):
                labels[(entity, row_id)] = row["name"]
            elif entity == "engagements":
                labels[(entity, row_id)] = engagement(row_id)
            else:
                labels[(entity, row_id)] = f"{engagement(row['engagement_id'])} · {_detail(entity, row, lang, catalogue)}"
    return labels


def _detail(entity: str, row: dict[str, Any], lang: str, catalogue) -> str:
    if entity == "kpi_measurements":
        definition = catalogue.get(row["kpi_code"])
        return definition.name(lang) if definition else row["kpi_code"]
    if entity == "visits":
        return f"{'visit' if lang == 'en' else '방문'} {row['visit_date'].isoformat() if row['visit_date'] else ''}"
    if entity == "attachments":
        return row["file_name"]
    ko, en = _PARTS.get(entity, (table_label(entity, "ko"), table_label(entity, "en")))
    return en if lang == "en" else ko
