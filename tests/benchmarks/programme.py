"""A synthetic programme for benchmarks: valid, deterministic by seed, written as the office's CSV folder."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from consultant_app.domain.codes import Capability, GrowthStage, SupportField
from consultant_app.domain.kpi import Direction, default_catalogue
from consultant_app.domain.validation import business_no_check_digit

SPONSORS = ("한빛전자", "대성자동차", "세진중공업", "미래화학", "동방전기", "태광에너지", "서해조선",
            "청운식품", "한결통신", "대륙항공", "금강제철", "새한정밀", "누리소재", "한마음전력", "푸른물산")
REGIONS = ("서울", "경기", "인천", "부산", "대구", "광주", "대전", "울산", "세종", "강원", "충북", "충남", "전북",
           "전남", "경북", "경남", "제주")
INDUSTRIES = ("자동차부품", "전자부품", "금속가공", "플라스틱", "기계", "화학", "식품", "섬유", "조선기자재")
SYLLABLES = "한빛대성동양신진세화우진태광삼우영진대원성우청원금강미래정밀산업기계전자화학테크"


@dataclass(frozen=True)
class ProgrammeSize:
    """How many rows of each sheet a generated programme holds."""

    companies: int
    engagements: int
    kpis: int
    surveys: int

    @property
    def total(self) -> int:
        return self.companies + self.engagements + self.kpis + self.surveys


def business_number(rng: random.Random, used: set[str]) -> str:
    """A fresh 10-digit business registration number with a valid check digit."""
    while True:
        first_nine = f"{rng.randint(101, 999)}{rng.randint(1, 99):02d}{rng.randint(0, 9999):04d}"
        number = first_nine + str(business_no_check_digit(first_nine))
        if number not in used:
            used.add(number)
            return number


def _dashed(number: str) -> str:
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def _name(rng: random.Random, index: int) -> str:
    core = "".join(rng.choice(SYLLABLES) for _ in range(2))
    return f"(주){core}{rng.choice(('정밀', '산업', '테크', '기공', '전자'))} {index}"


def _kpi_values(rng: random.Random, definition) -> tuple[float, float, float]:
    """Baseline, target and post that move the right way by 5–60%, within the KPI's range."""
    percent = definition.is_percent
    if definition.direction is Direction.LOWER:
        baseline = rng.uniform(2, 20) if percent else rng.uniform(10, 500)
        target = baseline * rng.uniform(0.5, 0.8)
        post = baseline * rng.uniform(0.4, 0.95)
    else:
        baseline = rng.uniform(40, 80) if percent else rng.uniform(10, 100)
        target = baseline * rng.uniform(1.1, 1.2)
        post = baseline * rng.uniform(1.05, 1.2)
    return round(baseline, 2), round(target, 2), round(post, 2)


def _write(path: Path, headers: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def generate(folder: Path, engagements: int = 10_000, *, seed: int = 2018, kpis_per_engagement: int = 4,
             survey_share: float = 1.0) -> ProgrammeSize:
    """Write companies/engagements/kpis/surveys CSVs: ``engagements`` rows over about 0.6× as many companies."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    catalogue = list(default_catalogue())
    n_companies = max(1, min(engagements, engagements // 2 + engagements // 10))
    used: set[str] = set()
    numbers = [business_number(rng, used) for _ in range(n_companies)]
    companies = [[_dashed(n), _name(rng, i + 1), f"대표{i + 1}", rng.choice(REGIONS), rng.choice(INDUSTRIES),
                  "true", rng.randint(5, 300), rng.choice((2, 2, 3)), rng.choice(SPONSORS),
                  rng.choice(list(GrowthStage)).value] for i, n in enumerate(numbers)]
    # Every company has year 1; the remaining engagements give the first companies years 2, 3, …
    pairs = [(numbers[i % n_companies], i // n_companies + 1) for i in range(engagements)]
    engagement_rows, kpi_rows, survey_rows = [], [], []
    for number, year in pairs:
        start = date(2013, 3, 1) + timedelta(days=365 * (year - 1) + rng.randint(0, 120))
        end = start + timedelta(days=rng.randint(150, 300))
        built = rng.random() < 0.15
        engagement_rows.append([number, year, 1 if start.year < 2018 else 2, rng.choice(list(SupportField)).value,
                                rng.randrange(20_000_000, 40_000_001, 1000), start.isoformat(), end.isoformat(),
                                rng.randrange(0, 300_000_000, 10_000), rng.randint(0, 5),
                                "true" if built else "false", rng.randint(1, 3) if built else ""])
        for definition in rng.sample(catalogue, kpis_per_engagement):
            baseline, target, post = _kpi_values(rng, definition)
            kpi_rows.append([number, year, definition.code, baseline, (start + timedelta(days=10)).isoformat(),
                             target, post, (end - timedelta(days=10)).isoformat()])
        if rng.random() < survey_share:
            improved = rng.sample(list(Capability), rng.randint(1, 3))
            survey_rows.append([number, year, rng.choice((3, 4, 4, 5, 5, 5)), rng.choice(("true", "true", "false")),
                                rng.choice(("true", "true", "false")), ";".join(c.value for c in improved)])
    _write(folder / "companies.csv", ["business_no", "name", "representative", "region", "industry",
                                      "manufacturing", "employees", "supplier_tier", "sponsor", "growth_stage"],
           companies)
    _write(folder / "engagements.csv", ["business_no", "year", "phase", "field", "support_krw", "start_date",
                                        "end_date", "financial_effect_krw", "new_hires", "smart_factory_built",
                                        "smart_factory_level"], engagement_rows)
    _write(folder / "kpis.csv", ["business_no", "year", "kpi", "baseline", "baseline_date", "target", "post",
                                 "post_date"], kpi_rows)
    _write(folder / "surveys.csv", ["business_no", "year", "satisfaction", "continue", "recommend", "improved"],
           survey_rows)
    return ProgrammeSize(len(companies), len(engagement_rows), len(kpi_rows), len(survey_rows))
