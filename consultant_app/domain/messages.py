"""Korean and English wording of validation issues and field names."""

from __future__ import annotations

from typing import Any, Protocol

from consultant_app.domain.formulas import Undefined
from consultant_app.domain.rules import Rule


class Worded(Protocol):
    """What wording an issue needs (``validation.Issue`` is one): its rule, field and values."""

    @property
    def rule(self) -> Rule: ...
    @property
    def field(self) -> str: ...
    @property
    def params(self) -> dict[str, Any]: ...

FIELD_NAMES = {
    "business_no": ("사업자등록번호", "business registration number"),
    "name": ("기업명", "company name"),
    "representative": ("대표자", "representative"),
    "region": ("지역", "region"),
    "industry": ("업종", "industry"),
    "manufacturing": ("제조업 여부", "manufacturing"),
    "employees": ("종업원 수", "employees"),
    "supplier_tier": ("협력사 차수", "supplier tier"),
    "sponsor": ("후원기업", "sponsor"),
    "growth_stage": ("성장단계", "growth stage"),
    "year": ("차수", "programme year"),
    "phase": ("단계", "phase"),
    "field": ("지원분야", "support field"),
    "support_krw": ("지원금액", "support amount"),
    "start_date": ("시작일", "start date"),
    "end_date": ("종료일", "end date"),
    "consultant": ("담당 컨설턴트", "consultant"),
    "financial_effect_krw": ("재무적 효과", "financial effect"),
    "new_hires": ("신규 채용", "new hires"),
    "smart_factory_built": ("스마트공장 구축", "smart factory built"),
    "smart_factory_level": ("스마트공장 수준", "smart factory level"),
    "kpi": ("지표", "KPI"),
    "baseline": ("기준값", "baseline"),
    "baseline_date": ("기준일", "baseline date"),
    "target": ("목표값", "target"),
    "post": ("개선값", "post value"),
    "post_date": ("개선 측정일", "post date"),
    "satisfaction": ("만족도", "satisfaction"),
    "continue": ("계속 참여 의향", "wants to continue"),
    "recommend": ("추천 의향", "would recommend"),
    "improved": ("향상된 역량", "capabilities improved"),
    "visit_date": ("방문일", "visit date"),
    "hours": ("방문 시간", "hours"),
    "activities": ("활동 내용", "activities"),
    "notes": ("메모", "notes"),
    "effect_productivity_krw": ("생산성 향상 효과", "productivity effect"),
    "effect_labour_krw": ("작업시간(인건비) 절감 효과", "labour-hours effect"),
    "effect_quality_krw": ("품질비용 절감 효과", "quality-cost effect"),
    "effect_other_krw": ("기타 효과", "other effect"),
    "baseline_numerator": ("기준 분자", "baseline numerator"),
    "baseline_denominator": ("기준 분모", "baseline denominator"),
}

RULE_MESSAGES: dict[Rule, tuple[str, str]] = {
    Rule.REQUIRED: ("{field}을(를) 입력하세요.", "{field} is required."),
    Rule.BUSINESS_NO_FORMAT: ("사업자등록번호는 숫자 10자리여야 합니다: '{value}'",
                              "A business registration number has 10 digits: '{value}'"),
    Rule.BUSINESS_NO_CHECKSUM: ("사업자등록번호의 검증번호가 맞지 않습니다: '{value}'",
                                "The business registration number's check digit is wrong: '{value}'"),
    Rule.PERCENT_RANGE: ("{field}은(는) 0에서 100 사이의 % 값이어야 합니다 (입력: {value}).",
                         "{field} is a percentage between 0 and 100 (got {value})."),
    Rule.MUST_BE_POSITIVE: ("{field}은(는) 0보다 커야 합니다 (입력: {value}).",
                            "{field} must be greater than 0 (got {value})."),
    Rule.MUST_NOT_BE_NEGATIVE: ("{field}은(는) 0 이상이어야 합니다 (입력: {value}).",
                                "{field} must be 0 or more (got {value})."),
    Rule.ABOVE_MAXIMUM: ("{field}은(는) {max} 이하여야 합니다 (입력: {value}).",
                         "{field} must be at most {max} (got {value})."),
    Rule.NOT_A_NUMBER: ("{field}은(는) 숫자여야 합니다: '{value}'", "{field} must be a number: '{value}'"),
    Rule.NOT_AN_INTEGER: ("{field}은(는) 정수여야 합니다: '{value}'", "{field} must be a whole number: '{value}'"),
    Rule.NOT_A_DATE: ("{field}은(는) 2018-06-26 또는 2018.06.26 형식의 날짜여야 합니다: '{value}'",
                      "{field} must be a date like 2018-06-26 or 2018.06.26: '{value}'"),
    Rule.NOT_A_BOOLEAN: ("{field}은(는) 예/아니오 (true/false, y/n, 1/0, O/X) 중 하나여야 합니다: '{value}'",
                         "{field} must be yes or no (true/false, y/n, 1/0, 예/아니오, O/X): '{value}'"),
    Rule.UNKNOWN_CODE: ("{field}에 알 수 없는 값입니다: '{value}'", "Unknown {field}: '{value}'"),
    Rule.UNKNOWN_KPI: ("지표 목록에 없는 KPI입니다: '{value}'", "No such KPI in the catalogue: '{value}'"),
    Rule.POST_BEFORE_BASELINE: ("개선 측정일({later})이 기준일({earlier})보다 앞섭니다.",
                                "The post date ({later}) is before the baseline date ({earlier})."),
    Rule.END_BEFORE_START: ("종료일({later})이 시작일({earlier})보다 앞섭니다.",
                            "The end date ({later}) is before the start date ({earlier})."),
    Rule.OUT_OF_CHOICES: ("{field}은(는) {choices} 중 하나여야 합니다 (입력: {value}).",
                          "{field} must be one of {choices} (got {value})."),
    Rule.LEVEL_WITHOUT_SMART_FACTORY: ("스마트공장을 구축하지 않았는데 수준({value})이 입력되었습니다.",
                                       "A smart-factory level ({value}) is given but none was built."),
    Rule.CONTROL_CHARACTER: ("{field}에 저장할 수 없는 제어 문자({char})가 {position}번째 글자에 있습니다.",
                             "{field} holds a control character ({char}) that cannot be stored, at character {position}."),
    Rule.TOO_LONG: ("{field}이(가) 너무 깁니다: {length:,}자 (최대 {limit:,}자).",
                    "{field} is too long: {length:,} characters (at most {limit:,})."),
    Rule.DUPLICATE_ROW: ("{first_row}행과 같은 항목({key})이 다시 나옵니다.", "Same entry ({key}) as row {first_row}."),
    Rule.UNKNOWN_COMPANY: ("사업자등록번호 {value}인 기업이 파일에도 저장된 자료에도 없습니다.",
                           "No company with business registration number {value} in the files or the store."),
    Rule.UNKNOWN_ENGAGEMENT: ("기업 {business_no}의 {value}차 참여 기록이 파일에도 저장된 자료에도 없습니다.",
                              "No year-{value} engagement of company {business_no} in the files or the store."),
    Rule.PARENT_REJECTED: ("이 행이 속한 {parent} {parent_row}행을 가져오지 못해 이 행도 건너뛰었습니다.",
                           "Skipped: {parent} row {parent_row}, which this row belongs to, was not imported."),
    Rule.UNCLOSED_QUOTE: ("이 칸에서 연 따옴표(\")가 닫히지 않아, 그 뒤의 내용이 모두 한 칸으로 읽힙니다. "
                          "따옴표를 닫거나 지운 뒤 다시 저장하세요.",
                          "A quote (\") opens in this cell and is never closed, so everything after it would be read "
                          "as one cell. Close or remove the quote and save again."),
    Rule.TEXT_AFTER_QUOTE: ("따옴표로 묶은 칸의 닫는 따옴표 뒤에 글자가 더 있습니다. 칸 안의 따옴표는 두 번(\"\") 쓰세요.",
                            "Text follows the closing quote of a quoted cell; a quote inside a quoted cell is "
                            "written twice (\"\")."),
    Rule.CELL_TOO_LARGE: ("한 칸이 {limit:,}자를 넘어 읽을 수 없습니다 (따옴표가 닫히지 않았을 수 있습니다).",
                          "A cell is longer than {limit:,} characters and cannot be read (perhaps a quote is never "
                          "closed)."),
    Rule.CSV_UNREADABLE: ("CSV 형식으로 읽을 수 없습니다: {detail}", "Not readable as CSV: {detail}"),
    Rule.UNKNOWN_COLUMN: ("알 수 없는 열 '{value}'은(는) 가져오지 않습니다{hint_ko}. 이 시트의 열: {expected_ko}",
                          "Unknown column '{value}' is not imported{hint_en}. This sheet's columns: {expected_en}"),
    Rule.DUPLICATE_COLUMN: ("'{value}' 열은 앞의 '{first}' 열과 같은 항목이라 가져오지 않습니다.",
                            "Column '{value}' means the same as the earlier column '{first}' and is not imported."),
    Rule.HIDDEN_ROWS: ("숨겨진 행 {count:,}개({rows}행)도 가져옵니다. 가져오지 않을 행이면 지우세요.",
                       "{count:,} hidden row(s) (rows {rows}) are imported too; delete any that should not be."),
    Rule.HIDDEN_SHEET: ("숨겨진 시트이지만 가져옵니다. 가져오지 않을 시트이면 지우거나 이름을 바꾸세요.",
                        "This sheet is hidden but is imported all the same; delete or rename it if it should not be."),
    Rule.IMPLAUSIBLE_IMPROVEMENT: ("개선율 {improvement:.1f}%는 {limit:.0f}%를 넘습니다. 증빙 자료를 첨부하세요.",
                                   "An improvement of {improvement:.1f}% is over {limit:.0f}%: attach evidence."),
    Rule.TARGET_WRONG_WAY: ("목표값이 기준값보다 나쁜 방향입니다.", "The target is worse than the baseline."),
    Rule.RATIO_MISMATCH: ("{field} {value}이(가) 분자÷분모로 계산한 {expected:.4g}와 다릅니다.",
                          "{field} {value} differs from numerator ÷ denominator = {expected:.4g}."),
}

UNDEFINED_MESSAGES: dict[Undefined, tuple[str, str]] = {
    Undefined.ZERO_BASELINE: ("정의되지 않음: 기준값이 0", "undefined: baseline is 0"),
    Undefined.NO_BASELINE: ("정의되지 않음: 기준값 없음", "undefined: no baseline"),
    Undefined.NO_POST: ("정의되지 않음: 개선값 없음", "undefined: no post value"),
    Undefined.NO_TARGET: ("정의되지 않음: 목표값 없음", "undefined: no target"),
    Undefined.TARGET_EQUALS_BASELINE: ("정의되지 않음: 목표값이 기준값과 같음", "undefined: target equals baseline"),
    Undefined.NOT_PERCENT: ("해당 없음: % 지표가 아님", "not applicable: not a % KPI"),
    Undefined.NO_COMPUTABLE_KPI: ("정의되지 않음: 계산 가능한 지표 없음", "undefined: no computable KPI"),
    Undefined.NOT_FINITE: ("정의되지 않음: 값이 유한한 숫자가 아님", "undefined: a value is not a finite number"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def field_name(name: str, lang: str = "ko") -> str:
    """A field's name for people."""
    return _pick(FIELD_NAMES[name], lang) if name in FIELD_NAMES else name


def issue_message(issue: Worded, lang: str = "ko") -> str:
    """An issue's sentence, with its field and values filled in."""
    template = _pick(RULE_MESSAGES[issue.rule], lang)
    return template.format(field=field_name(issue.field, lang), **issue.params)


def undefined_message(reason: Undefined, lang: str = "ko") -> str:
    """Why a figure is undefined."""
    return _pick(UNDEFINED_MESSAGES[reason], lang)
