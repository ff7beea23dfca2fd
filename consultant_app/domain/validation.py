"""Validation rules with typed issues: errors block saving, warnings only ask for a second look."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from consultant_app.domain.codes import Capability, GrowthStage, SupportField
from consultant_app.domain.formulas import improvement_pct, ratio_value
from consultant_app.domain.kpi import KpiDefinition
from consultant_app.domain.messages import issue_message
from consultant_app.domain.rules import Rule  # also found here, where callers have always imported it


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


WARNINGS = {Rule.IMPLAUSIBLE_IMPROVEMENT, Rule.TARGET_WRONG_WAY, Rule.RATIO_MISMATCH}
FILE_WARNINGS = {Rule.UNKNOWN_COLUMN, Rule.DUPLICATE_COLUMN, Rule.HIDDEN_ROWS, Rule.HIDDEN_SHEET}
WARNINGS |= FILE_WARNINGS

PLAUSIBLE_IMPROVEMENT_PCT = 90.0


@dataclass(frozen=True, slots=True)
class Issue:
    """One broken rule on one field, with the values its message needs."""

    rule: Rule
    field: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.rule in WARNINGS else Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, lang: str = "ko") -> str:
        """The issue in the user's language."""
        return issue_message(self, lang)


class ValidationFailed(ValueError):
    """Raised by services when input has errors; carries every issue, warnings included."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(i.message("en") for i in issues if i.is_error))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]


def raise_on_errors(issues: list[Issue]) -> list[Issue]:
    """Raise ValidationFailed when any issue is an error; otherwise return the warnings."""
    if any(i.is_error for i in issues):
        raise ValidationFailed(issues)
    return issues


_BUSINESS_NO_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def business_no_check_digit(first_nine: str) -> int:
    """The check digit the National Tax Service defines for a business registration number."""
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _BUSINESS_NO_WEIGHTS))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def normalize_business_no(text: str) -> str:
    """Digits only: ``123-45-67890`` → ``1234567890`` (full-width ``１２３`` typed in Korean input mode too)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or ""))


def check_business_no(text: str, field_name: str = "business_no") -> list[Issue]:
    """A business registration number is 10 digits whose last is the check digit."""
    number = normalize_business_no(text)
    if not number:
        return [Issue(Rule.REQUIRED, field_name)]
    if not re.fullmatch(r"[0-9]{10}", number):
        return [Issue(Rule.BUSINESS_NO_FORMAT, field_name, {"value": text})]
    if business_no_check_digit(number[:9]) != int(number[9]):
        return [Issue(Rule.BUSINESS_NO_CHECKSUM, field_name, {"value": text})]
    return []


def format_business_no(number: str) -> str:
    """``1234567890`` → ``123-45-67890``."""
    n = normalize_business_no(number)
    return f"{n[:3]}-{n[3:5]}-{n[5:]}" if len(n) == 10 else number


# Characters no worksheet (XML 1.0), PostgreSQL text or UTF-8 file can hold: C0 controls other than tab, line feed
# and carriage return (NUL among them), lone surrogates, and the two non-characters U+FFFE and U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Longest text per field, the same on the laptop and at the office; free-text notes get more room.
LONG_TEXT_FIELDS = frozenset({"activities", "notes", "note", "assumptions", "caption"})
SHORT_TEXT_LIMIT, LONG_TEXT_LIMIT = 300, 20_000


def text_limit(field_name: str) -> int:
    """How many characters a text field may hold."""
    return LONG_TEXT_LIMIT if field_name in LONG_TEXT_FIELDS else SHORT_TEXT_LIMIT


def unstorable_character(text: str) -> str | None:
    """The first character of ``text`` that no worksheet or database can keep, as ``U+0000``; None when none."""
    match = _UNSTORABLE.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def check_text(value: object, field_name: str) -> list[Issue]:
    """Free text holds no control character (tab and line breaks aside) and stays within its field's length."""
    if not isinstance(value, str):
        return []
    match = _UNSTORABLE.search(value)
    if match is not None:
        return [Issue(Rule.CONTROL_CHARACTER, field_name,
                      {"char": f"U+{ord(match.group()):04X}", "position": match.start() + 1})]
    limit = text_limit(field_name)
    if len(value) > limit:
        return [Issue(Rule.TOO_LONG, field_name, {"length": len(value), "limit": limit})]
    return []


def text_issues(values: dict[str, object]) -> list[Issue]:
    """``check_text`` over every text value of a record (by field name)."""
    return [issue for name, value in values.items() for issue in check_text(value, name)]


def check_kpi_value(definition: KpiDefinition, value: float | None, field_name: str) -> list[Issue]:
    """A value within the KPI's range: % in 0–100, counts ≥ 0, times > 0."""
    if value is None:
        return []
    if not math.isfinite(value):
        return [Issue(Rule.NOT_A_NUMBER, field_name, {"kpi": definition.code, "value": value})]
    params = {"kpi": definition.code, "value": value, "min": definition.minimum, "max": definition.maximum}
    if definition.is_percent and not (0 <= value <= 100):
        return [Issue(Rule.PERCENT_RANGE, field_name, params)]
    if definition.in_range(value):
        return []
    if definition.maximum is not None and value > definition.maximum:
        return [Issue(Rule.ABOVE_MAXIMUM, field_name, params)]
    rule = Rule.MUST_BE_POSITIVE if definition.minimum_exclusive else Rule.MUST_NOT_BE_NEGATIVE
    return [Issue(rule, field_name, params)]


def check_not_negative(value: float | None, field_name: str) -> list[Issue]:
    """Amounts and counts are 0 or more."""
    if value is not None and value < 0:
        return [Issue(Rule.MUST_NOT_BE_NEGATIVE, field_name, {"value": value})]
    return []


def check_choice(value: int | None, choices: range | tuple, field_name: str) -> list[Issue]:
    """A small integer from a fixed list (programme year, phase, tier, level, satisfaction)."""
    if value is not None and value not in choices:
        return [Issue(Rule.OUT_OF_CHOICES, field_name, {"value": value, "choices": _choice_text(choices)})]
    return []


def _choice_text(choices: range | tuple) -> str:
    if isinstance(choices, range) and len(choices) > 3:
        return f"{choices.start}–{choices.stop - 1}"
    return ", ".join(str(c) for c in choices)


def check_dates_in_order(earlier: date | None, later: date | None, rule: Rule, field_name: str) -> list[Issue]:
    """``later`` may not be before ``earlier``."""
    if earlier is not None and later is not None and later < earlier:
        return [Issue(rule, field_name, {"earlier": earlier.isoformat(), "later": later.isoformat()})]
    return []


def validate_company(*, business_no: str, name: str, employees: int | None, supplier_tier: int | None,
                     growth_stage: str | None) -> list[Issue]:
    """A company profile."""
    issues = check_business_no(business_no)
    if not (name or "").strip():
        issues.append(Issue(Rule.REQUIRED, "name"))
    issues += check_not_negative(employees, "employees")
    issues += check_choice(supplier_tier, (1, 2, 3), "supplier_tier")
    if growth_stage and growth_stage not in set(GrowthStage):
        issues.append(Issue(Rule.UNKNOWN_CODE, "growth_stage", {"value": growth_stage}))
    return issues


def validate_engagement(*, year: int | None, phase: int | None, field_code: str | None, support_krw: int | None,
                        start_date: date | None, end_date: date | None) -> list[Issue]:
    """An engagement: one company in one programme year."""
    issues = []
    if year is None:
        issues.append(Issue(Rule.REQUIRED, "year"))
    else:
        issues += check_choice(year, range(1, 100), "year")
    issues += check_choice(phase, (1, 2), "phase")
    if field_code and field_code not in set(SupportField):
        issues.append(Issue(Rule.UNKNOWN_CODE, "field", {"value": field_code}))
    issues += check_not_negative(support_krw, "support_krw")
    issues += check_dates_in_order(start_date, end_date, Rule.END_BEFORE_START, "end_date")
    return issues


def validate_outcome(*, financial_effect_krw: int | None, new_hires: int | None, smart_factory_built: bool | None,
                     smart_factory_level: int | None) -> list[Issue]:
    """Outcomes: financial effect and hires are 0 or more; a level only where a smart factory was built."""
    issues = check_not_negative(financial_effect_krw, "financial_effect_krw")
    issues += check_not_negative(new_hires, "new_hires")
    issues += check_choice(smart_factory_level, range(1, 6), "smart_factory_level")
    if smart_factory_level is not None and not smart_factory_built:
        issues.append(Issue(Rule.LEVEL_WITHOUT_SMART_FACTORY, "smart_factory_level", {"value": smart_factory_level}))
    return issues


def validate_survey(*, satisfaction: int | None, improved: list[str]) -> list[Issue]:
    """A satisfaction survey: 1–5, and capabilities from the code list."""
    issues = check_choice(satisfaction, range(1, 6), "satisfaction")
    known = set(Capability)
    issues += [Issue(Rule.UNKNOWN_CODE, "improved", {"value": c}) for c in improved if c not in known]
    return issues


def validate_measurement(definition: KpiDefinition, *, baseline: float | None, baseline_date: date | None,
                         target: float | None, post: float | None, post_date: date | None,
                         baseline_ratio: tuple[float | None, float | None] = (None, None),
                         post_ratio: tuple[float | None, float | None] = (None, None),
                         evidence_count: int = 0) -> list[Issue]:
    """One KPI's values: errors for out-of-range values and dates, warnings for implausible results."""
    issues = []
    for name, value in (("baseline", baseline), ("target", target), ("post", post)):
        issues += check_kpi_value(definition, value, name)
    issues += check_dates_in_order(baseline_date, post_date, Rule.POST_BEFORE_BASELINE, "post_date")
    if any(i.is_error for i in issues):
        return issues
    improvement = improvement_pct(definition.direction, baseline, post)
    if improvement.defined and improvement.value > PLAUSIBLE_IMPROVEMENT_PCT and evidence_count == 0:
        issues.append(Issue(Rule.IMPLAUSIBLE_IMPROVEMENT, "post",
                            {"kpi": definition.code, "improvement": improvement.value,
                             "limit": PLAUSIBLE_IMPROVEMENT_PCT}))
    planned = improvement_pct(definition.direction, baseline, target)
    if planned.defined and planned.value < 0:
        issues.append(Issue(Rule.TARGET_WRONG_WAY, "target", {"kpi": definition.code}))
    for name, value, (num, den) in (("baseline", baseline, baseline_ratio), ("post", post, post_ratio)):
        expected = ratio_value(num, den, percent=definition.is_percent)
        if expected is not None and value is not None and abs(expected - value) > max(0.005 * abs(expected), 1e-9):
            issues.append(Issue(Rule.RATIO_MISMATCH, name, {"value": value, "expected": expected}))
    return issues
