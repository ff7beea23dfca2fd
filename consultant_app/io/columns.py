"""The four sheets' columns: one spec drives reading, header matching, validation and export."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from consultant_app.domain.codes import Capability, GrowthStage, SupportField
from consultant_app.domain.messages import FIELD_NAMES


class Kind(Enum):
    """How a column's cells are read and written."""

    TEXT = "text"
    INT = "int"
    MONEY = "money"
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    BUSINESS_NO = "business_no"
    CODE = "code"
    CODES = "codes"
    KPI = "kpi"


@dataclass(frozen=True)
class Column:
    """One column: its English header (also the field name issues use), kind, table column and aliases.

    ``table`` is where the value is stored; empty for columns that only point at a parent row
    (a KPI row's business_no and year name its engagement).
    """

    name: str
    kind: Kind
    attr: str = ""
    table: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    enum: Any = None
    empty: Any = None  # what an empty cell stores (None, or "" for non-null text columns)

    def headers(self) -> tuple[str, ...]:
        """Every header this column answers to: its name, its aliases, and the domain's words for it."""
        return (self.name, self.attr, *self.aliases, *FIELD_NAMES.get(self.name, ()))


@dataclass(frozen=True)
class SheetSpec:
    """A sheet (or CSV file): its columns and the columns that make its natural key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_header: dict[str, Column] = {}
        for column in self.columns:
            for header in column.headers():
                if not header:
                    continue
                other = by_header.setdefault(normalize_header(header), column)
                if other is not column:
                    raise AssertionError(f"{self.name}: header {header!r} means {other.name} and {column.name}")
        object.__setattr__(self, "by_header", by_header)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_IGNORED_IN_HEADERS = re.compile(r"\([^)]*\)|\[[^\]]*\]|[\s_\-]+")


def normalize_header(text: str) -> str:
    """Case, spaces, underscores and a unit in brackets don't matter: ``지원금액 (원)`` ≡ ``지원금액``."""
    return _IGNORED_IN_HEADERS.sub("", str(text)).casefold()


def _col(name: str, kind: Kind, table: str, *aliases: str, attr: str = "", **options: Any) -> Column:
    return Column(name, kind, attr or name, table, aliases=aliases, **options)


_BUSINESS_NO = ("사업자등록번호", "사업자번호", "등록번호")
_YEAR = ("차수", "차년도", "참여차수", "참여연차", "연차", "cohort")
_YEAR_SUFFIXES = ("차년도", "년차", "차")


def _business_no(table: str) -> Column:
    return _col("business_no", Kind.BUSINESS_NO, table, *_BUSINESS_NO, required=True)


def _year(table: str) -> Column:
    return _col("year", Kind.INT, table, *_YEAR, required=True, suffixes=_YEAR_SUFFIXES)


COMPANIES = SheetSpec("companies", key=("business_no",), aliases=("기업", "참여기업", "기업정보", "company"), columns=(
    _business_no("companies"),
    _col("name", Kind.TEXT, "companies", "기업명", "회사명", "업체명", "상호", "company", required=True),
    _col("representative", Kind.TEXT, "companies", "대표자", "대표자명", "대표", "ceo"),
    _col("region", Kind.TEXT, "companies", "지역", "소재지"),
    _col("industry", Kind.TEXT, "companies", "업종"),
    _col("manufacturing", Kind.BOOL, "companies", "제조업여부", "제조업"),
    _col("employees", Kind.INT, "companies", "종업원수", "직원수", "근로자수", suffixes=("명",)),
    _col("supplier_tier", Kind.INT, "companies", "협력사차수", "협력차수", "tier", suffixes=("차",)),
    _col("sponsor", Kind.TEXT, "companies", "후원기업", "후원사", "후원기관", attr="sponsor_id"),
    _col("growth_stage", Kind.CODE, "companies", "성장단계", enum=GrowthStage),
))

ENGAGEMENTS = SheetSpec("engagements", key=("business_no", "year"),
                        aliases=("참여", "참여이력", "지원사업", "engagement"), columns=(
    _business_no(""),
    _year("engagements"),
    _col("phase", Kind.INT, "engagements", "단계", "사업단계", suffixes=("단계",)),
    _col("field", Kind.CODE, "engagements", "지원분야", "분야", enum=SupportField),
    _col("support_krw", Kind.MONEY, "engagements", "지원금액", "지원금", "지원액", "support"),
    _col("start_date", Kind.DATE, "engagements", "시작일", "착수일"),
    _col("end_date", Kind.DATE, "engagements", "종료일", "완료일"),
    _col("consultant", Kind.TEXT, "engagements", "담당컨설턴트", "컨설턴트", "담당자"),
    _col("financial_effect_krw", Kind.MONEY, "outcomes", "재무적효과", "재무효과", "financial_effect"),
    _col("new_hires", Kind.INT, "outcomes", "신규채용", "신규채용인원", "신규고용", suffixes=("명",)),
    _col("smart_factory_built", Kind.BOOL, "outcomes", "스마트공장구축", "스마트공장구축여부"),
    _col("smart_factory_level", Kind.INT, "outcomes", "스마트공장수준", "스마트공장레벨", suffixes=("수준",)),
))

KPIS = SheetSpec("kpis", key=("business_no", "year", "kpi"), aliases=("지표", "성과지표", "핵심성과지표", "kpi"), columns=(
    _business_no(""),
    _year(""),
    _col("kpi", Kind.KPI, "kpi_measurements", "지표명", "지표코드", "핵심성과지표", "kpi_name", attr="kpi_code",
         required=True),
    _col("baseline", Kind.FLOAT, "kpi_measurements", "기준값", "개선전값", "개선전"),
    _col("baseline_date", Kind.DATE, "kpi_measurements", "기준일", "기준측정일"),
    _col("target", Kind.FLOAT, "kpi_measurements", "목표값", "목표"),
    _col("post", Kind.FLOAT, "kpi_measurements", "개선값", "개선후값", "개선후", "post_value"),
    _col("post_date", Kind.DATE, "kpi_measurements", "개선일", "측정일", "개선측정일"),
))

SURVEYS = SheetSpec("surveys", key=("business_no", "year"), aliases=("만족도", "만족도조사", "설문", "survey"), columns=(
    _business_no(""),
    _year(""),
    _col("satisfaction", Kind.INT, "survey_responses", "만족도", "만족도점수", suffixes=("점",)),
    _col("continue", Kind.BOOL, "survey_responses", "계속참여", "계속참여의향", attr="wants_continue"),
    _col("recommend", Kind.BOOL, "survey_responses", "추천", "추천의향", attr="would_recommend"),
    _col("improved", Kind.CODES, "survey_responses", "향상역량", "향상된역량", "개선역량", enum=Capability, empty=""),
))

SPECS: dict[str, SheetSpec] = {spec.name: spec for spec in (COMPANIES, ENGAGEMENTS, KPIS, SURVEYS)}
SHEETS: tuple[str, ...] = tuple(SPECS)


def sheet_for(name: str) -> SheetSpec | None:
    """The sheet a file or worksheet name stands for (``companies``, ``Companies``, ``기업`` …)."""
    wanted = normalize_header(name)
    for spec in SPECS.values():
        if wanted in (normalize_header(n) for n in (spec.name, *spec.aliases)):
            return spec
    return None


@dataclass(frozen=True)
class HeaderMatch:
    """Which cell index each column is read from, and its header as the file writes it."""

    index: dict[str, int]
    written: dict[str, str]
    missing: tuple[str, ...]


def match_headers(spec: SheetSpec, headers: list[Any]) -> HeaderMatch:
    """Match a header row to the spec; the first of two headers meaning the same column wins."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    for position, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        column = spec.by_header.get(normalize_header(header))
        if column is not None and column.name not in index:
            index[column.name] = position
            written[column.name] = str(header).strip()
    missing = tuple(c.name for c in spec.columns if c.required and c.name not in index)
    return HeaderMatch(index, written, missing)
