"""Programme-wide results, each figure with how it was computed and what was left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from consultant_app.domain.codes import Capability
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.records import EngagementRecord
from consultant_app.domain.summary import summarize

SATISFIED_MIN = 4


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which engagements a report covers; None means all."""

    year: int | None = None
    sponsor: str | None = None
    phase: int | None = None

    def matches(self, record: EngagementRecord) -> bool:
        return ((self.year is None or record.year == self.year)
                and (self.sponsor is None or record.sponsor == self.sponsor)
                and (self.phase is None or record.phase == self.phase))


@dataclass
class ProgrammeReport:
    """The figures of the programme office's results report."""

    engagements: int
    companies: int
    kpi_improvement_mean_pct: float | None
    financial_effect_total_krw: int
    financial_effect_per_company_krw: float | None
    new_hires_total: int
    new_hires_by_year: dict[str, int]
    smart_factories_built: int
    survey: dict[str, Any]
    method: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The report as the JSON object ``report programme --json`` prints."""
        return {
            "engagements": self.engagements,
            "companies": self.companies,
            "kpi_improvement_mean_pct": self.kpi_improvement_mean_pct,
            "financial_effect_total_krw": self.financial_effect_total_krw,
            "financial_effect_per_company_krw": self.financial_effect_per_company_krw,
            "new_hires_total": self.new_hires_total,
            "new_hires_by_year": self.new_hires_by_year,
            "smart_factories_built": self.smart_factories_built,
            "survey": self.survey,
            "method": self.method,
        }


def _pct(part: int, whole: int) -> float | None:
    return part / whole * 100.0 if whole else None


def _texts(lang: str) -> dict[str, str]:
    return _METHOD_EN if lang == "en" else _METHOD_KO


def programme_report(records: Iterable[EngagementRecord], catalogue: KpiCatalogue,
                     report_filter: ReportFilter = ReportFilter(), lang: str = "ko") -> ProgrammeReport:
    """Aggregate engagements into the programme figures, unweighted, with a method note per figure."""
    chosen = [r for r in records if report_filter.matches(r)]
    texts = _texts(lang)

    engagement_means, no_kpi, none_computable = [], 0, 0
    for record in chosen:
        if not record.kpis:
            no_kpi += 1
            continue
        mean = summarize(record.kpis, catalogue).mean_improvement
        if mean.defined:
            engagement_means.append(mean.value)
        else:
            none_computable += 1

    effects = [r.financial_effect_krw for r in chosen if r.financial_effect_krw is not None]
    hires_by_year: Counter[int] = Counter()
    for r in chosen:
        if r.new_hires is not None:
            hires_by_year[r.year] += r.new_hires
    smart_companies = {r.business_no for r in chosen if r.smart_factory_built}
    smart_engagements = sum(1 for r in chosen if r.smart_factory_built)

    survey, survey_notes = _survey_figures([r for r in chosen if r.survey is not None], texts)
    n = len(chosen)
    method = {
        "engagements": texts["engagements"].format(n=n),
        "companies": texts["companies"].format(n=len({r.business_no for r in chosen})),
        "kpi_improvement_mean_pct": texts["kpi"].format(
            used=len(engagement_means), no_kpi=no_kpi, none_computable=none_computable),
        "financial_effect_total_krw": texts["effect_total"].format(used=len(effects), missing=n - len(effects)),
        "financial_effect_per_company_krw": texts["effect_per"].format(used=len(effects)),
        "new_hires_total": texts["hires"].format(
            used=sum(1 for r in chosen if r.new_hires is not None),
            missing=sum(1 for r in chosen if r.new_hires is None)),
        "new_hires_by_year": texts["hires_by_year"],
        "smart_factories_built": texts["smart"].format(engagements=smart_engagements, companies=len(smart_companies)),
        **survey_notes,
    }
    return ProgrammeReport(
        engagements=n,
        companies=len({r.business_no for r in chosen}),
        kpi_improvement_mean_pct=fmean(engagement_means) if engagement_means else None,
        financial_effect_total_krw=sum(effects),
        financial_effect_per_company_krw=sum(effects) / len(effects) if effects else None,
        new_hires_total=sum(hires_by_year.values()),
        new_hires_by_year={str(y): hires_by_year[y] for y in sorted(hires_by_year)},
        smart_factories_built=len(smart_companies),
        survey=survey,
        method=method,
    )


def _survey_figures(records: list[EngagementRecord], texts: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    answers = [r.survey for r in records]
    rated = [a.satisfaction for a in answers if a.satisfaction is not None]
    cont = [a.wants_continue for a in answers if a.wants_continue is not None]
    reco = [a.would_recommend for a in answers if a.would_recommend is not None]
    improved = Counter(code for a in answers for code in set(a.improved))
    survey = {
        "responses": len(answers),
        "satisfied_pct": _pct(sum(1 for s in rated if s >= SATISFIED_MIN), len(rated)),
        "continue_pct": _pct(sum(cont), len(cont)),
        "recommend_pct": _pct(sum(reco), len(reco)),
        "improved_pct": {c.value: _pct(improved[c.value], len(answers)) for c in Capability},
    }
    notes = {
        "survey.responses": texts["responses"].format(n=len(answers)),
        "survey.satisfied_pct": texts["satisfied"].format(rated=len(rated), blank=len(answers) - len(rated)),
        "survey.continue_pct": texts["yes_no"].format(answered=len(cont), blank=len(answers) - len(cont)),
        "survey.recommend_pct": texts["yes_no"].format(answered=len(reco), blank=len(answers) - len(reco)),
        "survey.improved_pct": texts["improved"].format(n=len(answers)),
    }
    return survey, notes


_METHOD_KO = {
    "engagements": "필터에 맞는 참여(기업×차수) {n}건을 셉니다.",
    "companies": "참여 건의 사업자등록번호를 중복 없이 센 기업 수 {n}개입니다.",
    "kpi": ("참여 건마다 계산 가능한 지표(기준값·개선값이 있고 기준값이 0이 아닌 지표)의 개선율을 단순 평균하고, "
            "그 값을 참여 {used}건에 대해 다시 단순 평균했습니다(가중치 없음). 제외: 지표가 없는 참여 {no_kpi}건, "
            "계산 가능한 지표가 없는 참여 {none_computable}건(개선값 없음 또는 기준값 0)."),
    "effect_total": "재무적 효과(원/년)를 기록한 참여 {used}건의 합계입니다. 기록하지 않은 {missing}건은 0으로 세지 않고 제외했습니다.",
    "effect_per": "재무적 효과 합계 ÷ 재무적 효과를 기록한 참여 {used}건입니다.",
    "hires": "신규 채용을 기록한 참여 {used}건의 합계입니다. 기록하지 않은 {missing}건은 제외했습니다.",
    "hires_by_year": "신규 채용 합계를 참여 차수별로 나눈 값입니다.",
    "smart": "스마트공장을 구축한 참여 {engagements}건의 기업을 중복 없이 센 {companies}개입니다.",
    "responses": "만족도 조사에 응답한 참여 {n}건입니다.",
    "satisfied": "만족도 4(만족) 또는 5(매우 만족) 응답 ÷ 만족도 응답 {rated}건 × 100. 만족도 무응답 {blank}건은 제외했습니다.",
    "yes_no": "'예' 응답 ÷ 이 문항 응답 {answered}건 × 100. 무응답 {blank}건은 제외했습니다.",
    "improved": "역량별로 그 역량을 고른 응답 ÷ 전체 응답 {n}건 × 100 (복수 선택이라 합계가 100을 넘을 수 있음).",
}

_METHOD_EN = {
    "engagements": "Counts the {n} engagements (company × programme year) matching the filter.",
    "companies": "Counts the {n} distinct business registration numbers among those engagements.",
    "kpi": ("Per engagement, the unweighted mean improvement over its computable KPIs (baseline and post present, "
            "baseline not 0); then the unweighted mean over the {used} engagements that have one. Excluded: "
            "{no_kpi} engagements with no KPI, {none_computable} with no computable KPI (no post value or a zero "
            "baseline)."),
    "effect_total": ("Sum over the {used} engagements that recorded a financial effect (KRW per year); "
                     "{missing} without one are excluded, not counted as 0."),
    "effect_per": "Financial-effect total ÷ the {used} engagements that recorded a financial effect.",
    "hires": "Sum over the {used} engagements that recorded new hires; {missing} without are excluded.",
    "hires_by_year": "New hires summed by programme year.",
    "smart": "Distinct companies among the {engagements} engagements that built a smart-factory system: {companies}.",
    "responses": "Engagements with a satisfaction survey: {n}.",
    "satisfied": ("Responses with satisfaction 4 or 5 ÷ the {rated} responses that rated satisfaction × 100; "
                  "{blank} without a rating are excluded."),
    "yes_no": "'Yes' answers ÷ the {answered} responses that answered × 100; {blank} blank are excluded.",
    "improved": ("For each capability, responses that chose it ÷ all {n} responses × 100 (several may be chosen, "
                 "so the figures can add up to more than 100)."),
}
