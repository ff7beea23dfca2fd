"""The domain's rules over a whole stored row, entity by entity: what the central office checks before it saves.

The server judges a pushed op on the row as it would be stored (``central_server/sync_apply.py``); the laptop
judges a value a person chose or edited the same way before it writes anything, so the fixed op is not
rejected again for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.validation import (
    Issue,
    Rule,
    text_issues,
    validate_company,
    validate_engagement,
    validate_measurement,
    validate_outcome,
    validate_survey,
)
from consultant_app.store.queries import split_codes


def _measurement(row: dict[str, Any], catalogue: KpiCatalogue) -> list[Issue]:
    definition = catalogue.get(row["kpi_code"] or "")
    if definition is None:
        return [Issue(Rule.UNKNOWN_KPI, "kpi", {"value": row["kpi_code"]})]
    return validate_measurement(definition, baseline=row["baseline"], baseline_date=row["baseline_date"],
                                target=row["target"], post=row["post"], post_date=row["post_date"])


_VALIDATORS: dict[str, Callable[[dict[str, Any]], list[Issue]]] = {
    "companies": lambda r: validate_company(business_no=r["business_no"] or "", name=r["name"] or "",
                                            employees=r["employees"], supplier_tier=r["supplier_tier"],
                                            growth_stage=r["growth_stage"]),
    "engagements": lambda r: validate_engagement(year=r["year"], phase=r["phase"], field_code=r["field"],
                                                 support_krw=r["support_krw"], start_date=r["start_date"],
                                                 end_date=r["end_date"]),
    "outcomes": lambda r: validate_outcome(financial_effect_krw=r["financial_effect_krw"], new_hires=r["new_hires"],
                                           smart_factory_built=r["smart_factory_built"],
                                           smart_factory_level=r["smart_factory_level"]),
    "survey_responses": lambda r: validate_survey(satisfaction=r["satisfaction"],
                                                  improved=list(split_codes(r["improved"]))),
}


def row_errors(entity: str, row: dict[str, Any], catalogue: KpiCatalogue) -> list[Issue]:
    """The rule errors of ``row`` (stored values: dates as dates) as the office would find them, every text field
    storable and within its length included; warnings left out."""
    if row.get("deleted"):
        return []  # a tombstone is never judged on its values
    # The catalogue is passed in, never looked up: the office judges by the one in force in its database.
    validator = partial(_measurement, catalogue=catalogue) if entity == "kpi_measurements" else _VALIDATORS.get(entity)
    issues = (validator(row) if validator else []) + text_issues(row)
    return [issue for issue in issues if issue.is_error]
