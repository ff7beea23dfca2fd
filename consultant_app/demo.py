"""A made-up but realistic Korean sample dataset, deterministic for a seed, written through the journal."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from consultant_app.domain.codes import Capability, EngagementStatus, GrowthStage, SupportField
from consultant_app.domain.kpi import KpiCatalogue, default_catalogue
from consultant_app.domain.validation import (
    Issue,
    ValidationFailed,
    business_no_check_digit,
    validate_company,
    validate_engagement,
    validate_measurement,
    validate_outcome,
    validate_survey,
)
from consultant_app.errors import AppError
from consultant_app.store.database import Store
from consultant_app.store.models import (
    Company,
    Engagement,
    KpiMeasurement,
    Outcome,
    Sponsor,
    SurveyResponse,
    Visit,
)
from consultant_app.store.queries import split_codes

DEFAULT_SEED = 2018

# Invented sponsors (large firms and tier-1 suppliers) and the industries of the suppliers they fund.
SPONSORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("한빛전자", ("전자부품", "사출성형")),
    ("청람자동차", ("자동차부품", "금속가공", "단조")),
    ("다온중공업", ("기계부품", "금속가공", "용접")),
    ("가온디스플레이", ("전자부품", "화학소재")),
    ("미르오토텍", ("자동차부품", "사출성형", "금형")),
    ("솔빛화학", ("화학소재", "사출성형")),
)

# Invented supplier names; the number says which sponsor funds each (index into SPONSORS).
COMPANIES: tuple[tuple[str, int], ...] = (
    ("대명정밀", 1), ("한길금속", 2), ("새솔정공", 4), ("보람테크", 0), ("다솜전자", 0),
    ("한울사출", 4), ("가람기계", 2), ("늘푸른산업", 5), ("미소화성", 5), ("청운정밀", 1),
    ("솔내금속", 1), ("해든부품", 4), ("온빛전자", 3), ("나래플라스틱", 0), ("별하정공", 2),
    ("이음테크", 3), ("다래산업", 1), ("푸른솔기계", 2), ("한결금형", 4), ("누리엔지니어링", 2),
    ("단비화학", 5), ("여울정밀", 1), ("초록전장", 0), ("바로테크", 3), ("새봄금속", 1),
    ("태솔산업", 5), ("라온부품", 4), ("마루정공", 2), ("슬기전자", 3), ("힘찬단조", 1),
)
PHASE2_COMPANIES = 10  # the last ten take part in phase 2; the others in phase 1

REGIONS = ("경기 안산", "경기 시흥", "경기 화성", "경남 창원", "경남 김해", "인천 남동", "충남 아산",
           "충남 천안", "대구 달서", "울산 북구", "부산 강서", "경북 구미", "광주 광산")
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN_NAMES = ("민준", "서연", "지훈", "영호", "성민", "현우", "지영", "은정", "동현", "재훈", "수진", "태호", "경민",
               "상철", "미경", "정훈", "윤희", "종현", "혜진", "승우", "병철", "선영", "기현", "명숙")
PHASE2_FIELDS = (SupportField.SMART_FACTORY, SupportField.TECH_INNOVATION, SupportField.ENV_SAFETY)
SMART_FACTORY_SYSTEMS = ("MES", "POP", "설비 모니터링", "WMS")

FIRST_VISIT = "현장 진단 및 개선과제 도출, KPI 기준값 측정"
LAST_VISIT = "개선 결과 측정 및 성과 정리"
ACTIVITIES = {
    SupportField.PRODUCTIVITY: ("5S 활동 점검", "공정 분석 및 병목 개선", "품질 불량 원인 분석(특성요인도)",
                                "작업표준서 작성 지도", "설비 예방보전 체계 점검", "작업준비시간 단축(SMED) 지도",
                                "재고 관리 개선(간판 방식 도입)", "라인 밸런싱 및 레이아웃 개선"),
    SupportField.SMART_FACTORY: ("스마트공장 수준 진단", "MES 도입 요구사항 정리", "생산실적 수집(POP) 단말 설치 점검",
                                 "설비 가동 데이터 수집 점검", "5S 활동 점검", "시스템 사용 교육"),
    SupportField.TECH_INNOVATION: ("제품 설계 검토 및 원가 분석", "시험·검사 방법 개선", "공정 능력(Cpk) 분석",
                                   "품질 불량 원인 분석(특성요인도)", "신공법 적용 검토"),
    SupportField.ENV_SAFETY: ("안전 위험성 평가", "작업장 유해요인 점검", "안전보건 교육", "화학물질 보관 상태 점검",
                              "5S 활동 점검", "아차사고 제안 활동 지도"),
}
NOTES = ("생산팀장 외 3명 참석", "대표이사 면담 포함", "개선 전후 사진 촬영", "다음 방문 전까지 개선안 실행 약속",
         None, None, None)

# KPIs a consultant picks in each support field.
FIELD_KPIS = {
    SupportField.PRODUCTIVITY: ("defect_rate", "on_time_delivery", "lead_time", "process_time_reduction",
                                "output_per_hour", "setup_time", "inventory_days", "cost_reduction",
                                "final_defect_rate", "return_rate", "improvement_suggestions", "safety_incidents"),
    SupportField.SMART_FACTORY: ("oee", "lead_time", "defect_rate", "output_per_hour", "inventory_days",
                                 "on_time_delivery"),
    SupportField.TECH_INNOVATION: ("final_defect_rate", "return_rate", "cost_reduction", "process_time_reduction",
                                   "defect_rate"),
    SupportField.ENV_SAFETY: ("safety_incidents", "improvement_suggestions", "defect_rate", "setup_time"),
}

CAPABILITY_WEIGHTS = ((Capability.PRODUCTIVITY, 0.6), (Capability.QUALITY, 0.5), (Capability.MINDSET, 0.4),
                      (Capability.COST, 0.2), (Capability.DELIVERY, 0.2), (Capability.SAFETY, 0.12))


class DemoAlreadyLoaded(AppError):
    """The demo companies or sponsors are in the store already; nothing was changed."""

    def __init__(self, companies: int, sponsors: int):
        super().__init__(f"데모 데이터가 이미 있습니다 (데모 기업 {companies}개, 후원기업 {sponsors}개). "
                         "아무것도 바꾸지 않았습니다.",
                         f"The demo data is already there ({companies} demo companies, {sponsors} sponsors). "
                         "Nothing was changed.")
        self.companies = companies
        self.sponsors = sponsors


class StoreNotEmpty(AppError):
    """Demo data is only loaded into a store without real companies, so it never mixes with them."""

    def __init__(self, companies: int):
        super().__init__(f"이 데이터 폴더에는 이미 기업 {companies}개가 있어 데모 데이터를 넣지 않았습니다. "
                         "빈 데이터 폴더(--data-dir)에서 실행하세요.",
                         f"This data folder already holds {companies} companies, so no demo data was added. "
                         "Run it on an empty data folder (--data-dir).")
        self.companies = companies


@dataclass
class DemoData:
    """The generated rows, in the order they are written."""

    sponsors: list[Sponsor] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    kpi_measurements: list[KpiMeasurement] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    survey_responses: list[SurveyResponse] = field(default_factory=list)

    def rows(self) -> list[SQLModel]:
        return [row for f in fields(self) for row in getattr(self, f.name)]

    def counts(self) -> dict[str, int]:
        """Rows per table (the fields are named after the tables)."""
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}


def load_demo(store: Store, *, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the demo dataset in one journalled transaction; returns how many rows of each table."""
    data = build_demo(seed)
    raise_on_issues(demo_issues(data))
    with store.transaction() as session:
        companies, sponsors = demo_rows_present(session)
        if companies or sponsors:
            raise DemoAlreadyLoaded(companies, sponsors)
        others = session.exec(select(func.count()).select_from(Company).where(Company.deleted == False)).one()  # noqa: E712
        if others:
            raise StoreNotEmpty(others)
        session.add_all(data.rows())
    return data.counts()


def demo_rows_present(session: Session) -> tuple[int, int]:
    """How many live demo companies and demo sponsors (found by their names) the store holds."""
    companies = session.exec(select(func.count()).select_from(Company).where(
        Company.deleted == False, Company.name.in_([name for name, _ in COMPANIES]))).one()  # noqa: E712
    sponsors = session.exec(select(func.count()).select_from(Sponsor).where(
        Sponsor.deleted == False, Sponsor.name.in_([name for name, _ in SPONSORS]))).one()  # noqa: E712
    return companies, sponsors


def raise_on_issues(issues: list[Issue]) -> None:
    """The demo must be clean: any issue, warnings included, is a bug in the generator."""
    if issues:
        raise ValidationFailed(issues)


def demo_issues(data: DemoData, catalogue: KpiCatalogue | None = None) -> list[Issue]:
    """Every validation issue (errors and warnings) the domain rules find in the generated rows."""
    catalogue = catalogue or default_catalogue()
    issues: list[Issue] = []
    for c in data.companies:
        issues += validate_company(business_no=c.business_no, name=c.name, employees=c.employees,
                                   supplier_tier=c.supplier_tier, growth_stage=c.growth_stage)
    for e in data.engagements:
        issues += validate_engagement(year=e.year, phase=e.phase, field_code=e.field, support_krw=e.support_krw,
                                      start_date=e.start_date, end_date=e.end_date)
    for m in data.kpi_measurements:
        issues += validate_measurement(catalogue[m.kpi_code], baseline=m.baseline, baseline_date=m.baseline_date,
                                       target=m.target, post=m.post, post_date=m.post_date,
                                       baseline_ratio=(m.baseline_numerator, m.baseline_denominator),
                                       post_ratio=(m.post_numerator, m.post_denominator))
    for o in data.outcomes:
        issues += validate_outcome(financial_effect_krw=o.financial_effect_krw, new_hires=o.new_hires,
                                   smart_factory_built=o.smart_factory_built,
                                   smart_factory_level=o.smart_factory_level)
    for s in data.survey_responses:
        issues += validate_survey(satisfaction=s.satisfaction, improved=list(split_codes(s.improved)))
    return issues


def build_demo(seed: int = DEFAULT_SEED) -> DemoData:
    """Generate the dataset; the same seed gives the same numbers, names and figures."""
    return _Generator(random.Random(seed)).build()


class _Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.data = DemoData()
        self.consultants = [self.person() for _ in range(5)]
        self.zero_baseline_done = False

    def build(self) -> DemoData:
        self.data.sponsors = [Sponsor(name=name) for name, _ in SPONSORS]
        numbers = self.business_numbers(len(COMPANIES))
        phase1_count = len(COMPANIES) - PHASE2_COMPANIES
        for index, ((name, sponsor_index), number) in enumerate(zip(COMPANIES, numbers)):
            company = self.company(name, number, sponsor_index)
            self.data.companies.append(company)
            if index < phase1_count:
                first = self.rng.choice((1, 1, 1, 2, 2, 3, 4))
                years = range(first, min(4, first + self.rng.choice((0, 1, 1, 2))) + 1)
                for year in years:
                    self.engagement(company, phase=1, year=year, field_code=SupportField.PRODUCTIVITY)
            else:
                field_code = PHASE2_FIELDS[(index - phase1_count) % len(PHASE2_FIELDS)]
                last_company = index == len(COMPANIES) - 1
                years = (1, 2) if last_company or self.rng.random() < 0.4 else (1,)
                for year in years:
                    # The last company's second year is still under way: no post values, outcome or survey.
                    self.engagement(company, phase=2, year=year, field_code=field_code,
                                    in_progress=last_company and year == 2)
        return self.data

    # -- people and companies -------------------------------------------------

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)

    def business_numbers(self, n: int) -> list[str]:
        numbers: list[str] = []
        while len(numbers) < n:
            first_nine = f"{self.rng.randrange(101, 700):03d}{self.rng.choice((81, 86, 87)):02d}" \
                         f"{self.rng.randrange(0, 10000):04d}"
            number = first_nine + str(business_no_check_digit(first_nine))
            if number not in numbers:
                numbers.append(number)
        return numbers

    def company(self, name: str, number: str, sponsor_index: int) -> Company:
        rng = self.rng
        employees = int(min(300, max(10, rng.lognormvariate(3.9, 0.6))))
        stage = rng.choices(list(GrowthStage), weights=(3, 4, 3, 1))[0]
        return Company(business_no=number, name=name, representative=self.person(), region=rng.choice(REGIONS),
                       industry=rng.choice(SPONSORS[sponsor_index][1]), manufacturing=True, employees=employees,
                       supplier_tier=rng.choices((2, 3), weights=(7, 3))[0],
                       sponsor_id=self.data.sponsors[sponsor_index].id, growth_stage=stage.value)

    # -- engagements ----------------------------------------------------------

    def dates(self, phase: int, year: int) -> tuple[date, date]:
        """Start and end inside the programme year; one company's years never overlap."""
        rng = self.rng
        if phase == 1:  # year 1 from October 2013, later years from each September; all over by mid-2018
            start = date(2012 + year, 10 if year == 1 else 9, 1) + timedelta(days=rng.randrange(0, 60))
        else:  # phase 2 from July 2018
            start = date(2018, 7, 1) + timedelta(days=rng.randrange(0, 120)) if year == 1 \
                else date(2019, 8, 1) + timedelta(days=rng.randrange(0, 90))
        return start, start + timedelta(days=rng.randrange(180, 271))

    def engagement(self, company: Company, *, phase: int, year: int, field_code: SupportField,
                   in_progress: bool = False) -> None:
        rng = self.rng
        start, end = self.dates(phase, year)
        status = EngagementStatus.IN_PROGRESS if in_progress else EngagementStatus.COMPLETED
        engagement = Engagement(company_id=company.id, year=year, phase=phase, field=field_code.value,
                                support_krw=rng.randrange(20, 41) * 1_000_000, start_date=start, end_date=end,
                                status=status.value, consultant=rng.choice(self.consultants))
        self.data.engagements.append(engagement)
        baseline_date = start + timedelta(days=rng.randrange(3, 21))
        post_date = None if in_progress else end - timedelta(days=rng.randrange(0, 15))
        self.kpis(engagement, field_code, baseline_date, post_date)
        self.visits(engagement, field_code, start, baseline_date, post_date)
        if not in_progress:
            self.outcome(engagement, field_code)
            if rng.random() < 0.9:  # a few companies never returned the survey
                self.survey(engagement)

    def kpis(self, engagement: Engagement, field_code: SupportField, baseline_date: date,
             post_date: date | None) -> None:
        choices = list(FIELD_KPIS[field_code])
        codes = self.rng.sample(choices, self.rng.randint(3, min(5, len(choices))))
        if field_code is SupportField.ENV_SAFETY and "safety_incidents" not in codes:
            codes[0] = "safety_incidents"
        for code in codes:
            self.data.kpi_measurements.append(self.measurement(engagement, code, baseline_date, post_date))

    def measurement(self, engagement: Engagement, code: str, baseline_date: date,
                    post_date: date | None) -> KpiMeasurement:
        rng = self.rng
        m = KpiMeasurement(engagement_id=engagement.id, kpi_code=code, baseline_date=baseline_date,
                           post_date=post_date)
        if code == "safety_incidents" and not self.zero_baseline_done and engagement.field == SupportField.ENV_SAFETY:
            # No incident before and none after: the relative improvement is undefined, as it should be.
            self.zero_baseline_done = True
            m.baseline, m.target, m.post = 0.0, 0.0, 0.0
            m.note = "기준 기간 무재해, 무재해 유지 목표"
        elif code == "defect_rate":
            # Measured as defects ÷ units produced, and recorded with both counts.
            units = rng.randrange(8, 60) * 1000
            defects = round(units * rng.uniform(1.0, 5.0) / 100)
            m.baseline_numerator, m.baseline_denominator = float(defects), float(units)
            m.baseline = round(defects / units * 100, 3)
            m.target = round(m.baseline * 0.5, 2)
            post_units = rng.randrange(8, 60) * 1000
            post_defects = round(post_units * m.baseline * (1 - rng.uniform(0.4, 0.6)) / 100)
            m.post_numerator, m.post_denominator = float(post_defects), float(post_units)
            m.post = round(post_defects / post_units * 100, 3)
        else:
            m.baseline, m.target, m.post = _SIMPLE_KPIS[code](rng)
        if post_date is None:
            m.post = m.post_numerator = m.post_denominator = None
        return m

    def visits(self, engagement: Engagement, field_code: SupportField, start: date, baseline_date: date,
               post_date: date | None) -> None:
        rng = self.rng
        last_day = post_date or (start + timedelta(days=90))
        count = rng.randint(2, 6)
        middle = sorted(rng.sample(range((baseline_date - start).days + 1, (last_day - start).days), count - 2))
        days = [baseline_date, *(start + timedelta(days=d) for d in middle), last_day]
        activities = rng.sample(ACTIVITIES[field_code], min(count - 2, len(ACTIVITIES[field_code])))
        for number, day in enumerate(days):
            if number == 0:
                text = FIRST_VISIT
            elif number == count - 1:
                text = LAST_VISIT if post_date else rng.choice(ACTIVITIES[field_code])
            else:
                text = activities[(number - 1) % len(activities)]
            self.data.visits.append(Visit(engagement_id=engagement.id, visit_date=day,
                                          hours=rng.choice((3.0, 4.0, 4.0, 6.0, 8.0)), activities=text,
                                          notes=rng.choice(NOTES)))

    def outcome(self, engagement: Engagement, field_code: SupportField) -> None:
        rng = self.rng
        total = int(min(300, max(10, rng.lognormvariate(4.1, 0.6)))) * 1_000_000  # median about 60 million
        weights = [rng.uniform(0.2, 1.0) for _ in range(4)]
        parts = [int(total * w / sum(weights)) // 100_000 * 100_000 for w in weights]
        parts[0] += total - sum(parts)
        if field_code is SupportField.SMART_FACTORY:
            built = rng.random() < 0.9
        else:
            built = rng.random() < 0.1
        level = rng.choices((1, 2, 3), weights=(5, 4, 1))[0] if built else None
        assumptions = f"연간 생산량 기준, 인건비 시간당 {rng.choice((22_000, 25_000, 28_000)):,}원 적용"
        if built:
            assumptions += f"; {rng.choice(SMART_FACTORY_SYSTEMS)} 구축"
        self.data.outcomes.append(Outcome(
            engagement_id=engagement.id, financial_effect_krw=total, effect_productivity_krw=parts[0],
            effect_labour_krw=parts[1], effect_quality_krw=parts[2], effect_other_krw=parts[3],
            assumptions=assumptions, new_hires=rng.choices(range(9), weights=(6, 6, 5, 4, 3, 2, 1, 1, 1))[0],
            smart_factory_built=built, smart_factory_level=level))

    def survey(self, engagement: Engagement) -> None:
        rng = self.rng
        improved = [c.value for c, weight in CAPABILITY_WEIGHTS if rng.random() < weight]
        self.data.survey_responses.append(SurveyResponse(
            engagement_id=engagement.id,
            satisfaction=rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 7, 40, 50))[0],
            wants_continue=rng.random() < 0.9, would_recommend=rng.random() < 0.92,
            improved=";".join(improved or [Capability.PRODUCTIVITY.value])))


def _lower(rng: random.Random, low: float, high: float, better: tuple[float, float], digits: int,
           ) -> tuple[float, float, float]:
    """Baseline in [low, high], post lower by a fraction in ``better``, target halfway-plus."""
    baseline = round(rng.uniform(low, high), digits)
    gain = rng.uniform(*better)
    post = round(baseline * (1 - gain), digits)
    target = round(baseline * (1 - rng.uniform(better[0], (better[0] + better[1]) / 2 + 0.05)), digits)
    return baseline, target, post


def _higher(rng: random.Random, low: float, high: float, better: tuple[float, float], digits: int,
            cap: float | None = None) -> tuple[float, float, float]:
    baseline = round(rng.uniform(low, high), digits)
    post = baseline * (1 + rng.uniform(*better))
    target = baseline * (1 + rng.uniform(better[0], (better[0] + better[1]) / 2 + 0.05))
    if cap is not None:
        post, target = min(post, cap), min(target, cap)
    return baseline, round(target, digits), round(post, digits)


def _on_time(rng: random.Random) -> tuple[float, float, float]:
    baseline = round(rng.uniform(80, 95), 1)
    return baseline, round(rng.uniform(max(96.0, baseline + 1), 99), 1), round(rng.uniform(max(95.0, baseline + 0.5), 99), 1)


def _oee(rng: random.Random) -> tuple[float, float, float]:
    baseline = round(rng.uniform(55, 75), 1)
    return baseline, round(baseline + rng.uniform(10, 18), 1), round(baseline + rng.uniform(8, 20), 1)


def _count_lower(rng: random.Random, low: int, high: int) -> tuple[float, float, float]:
    baseline = rng.randint(low, high)
    post = baseline - rng.randint(1, baseline // 2)
    return float(baseline), float(max(0, baseline - baseline // 2)), float(post)


def _count_higher(rng: random.Random, low: int, high: int) -> tuple[float, float, float]:
    baseline = rng.randint(low, high)
    return float(baseline), float(round(baseline * 1.5)), float(round(baseline * rng.uniform(1.3, 1.8)))


_SIMPLE_KPIS = {
    "final_defect_rate": lambda rng: _lower(rng, 0.5, 3.0, (0.3, 0.55), 2),
    "return_rate": lambda rng: _lower(rng, 0.5, 2.5, (0.3, 0.6), 2),
    "on_time_delivery": _on_time,
    "oee": _oee,
    "lead_time": lambda rng: _lower(rng, 10, 30, (0.2, 0.45), 1),
    "process_time_reduction": lambda rng: _lower(rng, 30, 120, (0.15, 0.4), 1),
    "output_per_hour": lambda rng: _higher(rng, 40, 200, (0.15, 0.45), 1),
    "cost_reduction": lambda rng: _lower(rng, 2_000, 50_000, (0.05, 0.15), 0),
    "inventory_days": lambda rng: _lower(rng, 15, 45, (0.2, 0.4), 1),
    "setup_time": lambda rng: _lower(rng, 30, 90, (0.3, 0.6), 0),
    "safety_incidents": lambda rng: _count_lower(rng, 2, 6),
    "improvement_suggestions": lambda rng: _count_higher(rng, 5, 20),
}
