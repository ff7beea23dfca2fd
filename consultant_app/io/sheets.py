"""Each sheet's rows checked by the domain's rules, matched to parents and live rows, and staged in a plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.validation import (
    Issue,
    Rule,
    validate_company,
    validate_engagement,
    validate_measurement,
    validate_outcome,
    validate_survey,
)
from consultant_app.io.plan import DEFAULTS, Existing, Plan
from consultant_app.io.rows import ParsedRow, Sheet

OUTCOME_FIELDS = ("financial_effect_krw", "new_hires", "smart_factory_built", "smart_factory_level")


class Parent(NamedTuple):
    """A child row's parent: its id; or None with the file and row that failed to import it; or None alone
    when neither the files nor the store know it (already reported)."""

    id: str | None
    rejected: tuple[str, int] | None = None
    column: str = ""

    @property
    def unknown(self) -> bool:
        return self.id is None and self.rejected is None


class Importing:
    """One import's state: the plan, which parents resolve to which ids, and which were rejected."""

    def __init__(self, *, existing: Existing, plan: Plan, catalogue: KpiCatalogue, keep_good_rows: bool,
                 tick: Callable[[], None]):
        self.existing = existing
        self.plan = plan
        self.catalogue = catalogue
        self.keep_good_rows = keep_good_rows
        self.tick = tick
        self.sponsor_ids = dict(existing.sponsors)
        self.company_ids = {number: row["id"] for number, row in existing.companies.items()}
        self.new_engagements: dict[tuple[str, int], str] = {}
        # Parents whose row was not imported (and that the store lacks): label and row, so children can say why.
        self.rejected_companies: dict[str, tuple[str, int]] = {}
        self.rejected_engagements: dict[tuple[str, int], tuple[str, int]] = {}

    # --- parents -------------------------------------------------------------------------------------------

    def company_id(self, sheet: Sheet, row: ParsedRow, *, business_no: str) -> Parent:
        """The company the row names: its id, or the file row that failed to make it, or unknown (reported)."""
        company_id = self.company_ids.get(business_no)
        if company_id is not None:
            return Parent(company_id)
        rejected = self.rejected_companies.get(business_no)
        if rejected is None:
            sheet.report(row.number, Issue(Rule.UNKNOWN_COMPANY, "business_no", {"value": business_no}))
            return Parent(None)
        return Parent(None, rejected, "business_no")

    def engagement_id(self, sheet: Sheet, row: ParsedRow, *, business_no: str, year: int) -> Parent:
        """The engagement (company, year) the row names, like ``company_id``."""
        company = self.company_id(sheet, row, business_no=business_no)
        if company.id is None:
            return company
        engagement_id = self.new_engagements.get((business_no, year))
        if engagement_id is None:
            live = self.existing.engagements.get((company.id, year))
            engagement_id = live["id"] if live else None
        if engagement_id is not None:
            return Parent(engagement_id)
        rejected = self.rejected_engagements.get((business_no, year))
        if rejected is None:
            sheet.report(row.number, Issue(Rule.UNKNOWN_ENGAGEMENT, "year",
                                                 {"value": year, "business_no": business_no}))
            return Parent(None)
        return Parent(None, rejected, "year")

    def skipped(self, sheet: Sheet, row: ParsedRow, *, parent: Parent, failed: bool) -> bool:
        """True when the row can't be written: its own errors, or a parent that wasn't imported.

        The row is checked either way, so every error shows at once; with ``keep_good_rows`` an otherwise good
        row says which parent row kept it out (an atomic import writes nothing anyway, and the parent's own
        problem is the one to fix).
        """
        if parent.rejected is not None and not failed and self.keep_good_rows:
            file, number = parent.rejected
            sheet.report(row.number, Issue(Rule.PARENT_REJECTED, parent.column,
                                                 {"parent": file, "parent_row": number}))
        return failed or parent.rejected is not None

    def sponsor_id(self, name: str | None) -> str | None:
        """Sponsors are found by name, or created with the first company row that names them."""
        if name is None:
            return None
        if name not in self.sponsor_ids:
            self.sponsor_ids[name] = self.plan.stage("sponsors", existing=None, values={"name": name})
        return self.sponsor_ids[name]

    # --- keys ----------------------------------------------------------------------------------------------

    def key(self, sheet: Sheet, row: ParsedRow, *, seen: dict[tuple, int]) -> tuple | None:
        """The row's natural key, or None when a key cell is missing, bad, or repeats an earlier row's."""
        key = []
        for name in sheet.spec.key:
            if name in row.bad:
                return None
            value = row.values.get(name)
            if value is None:
                sheet.report(row.number, Issue(Rule.REQUIRED, name))
                return None
            key.append(value)
        key = tuple(key)
        first = seen.setdefault(key, row.number)
        if first != row.number:
            text = " / ".join(str(k) for k in key)
            sheet.report(row.number, Issue(Rule.DUPLICATE_ROW, sheet.spec.key[-1],
                                                 {"first_row": first, "key": text}))
            return None
        return key

    def reject_sheet(self, sheet: Sheet) -> None:
        """A sheet missing a required column imports nothing; its keys still tell children why they're skipped."""
        if sheet.spec.name == "companies":
            for row in sheet.rows(only=("business_no",)):
                number = row.values.get("business_no")
                if number and number not in self.company_ids:
                    self.rejected_companies.setdefault(number, (sheet.label, row.number))
        elif sheet.spec.name == "engagements":
            for row in sheet.rows(only=("business_no", "year")):
                key = (row.values.get("business_no"), row.values.get("year"))
                if None not in key:
                    self.rejected_engagements.setdefault(key, (sheet.label, row.number))
        # The missing column says it all; warnings about the file itself (an unknown header …) stay.
        sheet.problems = [p for p in sheet.problems if p.row is None or not p.is_error]

    # --- sheets --------------------------------------------------------------------------------------------

    def companies(self, sheet: Sheet) -> None:
        seen: dict[tuple, int] = {}
        with_sponsor = sheet.present("sponsor")
        for row in sheet.rows():
            self.tick()
            key = self.key(sheet, row, seen=seen)
            if key is None:
                continue
            business_no = key[0]
            live = self.existing.companies.get(business_no)
            values = sheet.stored(row, "companies")
            merged = {**(live or DEFAULTS["companies"]), **values}
            issues = validate_company(business_no=business_no, name=merged["name"] or "",
                                      employees=merged["employees"], supplier_tier=merged["supplier_tier"],
                                      growth_stage=merged["growth_stage"])
            if sheet.report_issues(row, issues):
                if live is None:
                    self.rejected_companies.setdefault(business_no, (sheet.label, row.number))
                continue
            if with_sponsor:
                values["sponsor_id"] = self.sponsor_id(row.values["sponsor"])
            self.company_ids[business_no] = self.plan.stage("companies", existing=live, values=values)

    def engagements(self, sheet: Sheet) -> None:
        seen: dict[tuple, int] = {}
        with_outcome = any(sheet.present(name) for name in OUTCOME_FIELDS)
        for row in sheet.rows():
            self.tick()
            key = self.key(sheet, row, seen=seen)
            if key is None:
                continue
            business_no, year = key
            company = self.company_id(sheet, row, business_no=business_no)
            if company.unknown:
                self.rejected_engagements.setdefault(key, (sheet.label, row.number))
                continue
            live = self.existing.engagements.get((company.id, year))
            values = {"company_id": company.id, **sheet.stored(row, "engagements")}
            merged = {**(live or DEFAULTS["engagements"]), **values}
            issues = validate_engagement(year=year, phase=merged["phase"], field_code=merged["field"],
                                         support_krw=merged["support_krw"], start_date=merged["start_date"],
                                         end_date=merged["end_date"])
            live_outcome = self.existing.outcomes.get(live["id"]) if live else None
            outcome = sheet.stored(row, "outcomes")
            if with_outcome:
                o = {**(live_outcome or DEFAULTS["outcomes"]), **outcome}
                issues += validate_outcome(financial_effect_krw=o["financial_effect_krw"], new_hires=o["new_hires"],
                                           smart_factory_built=o["smart_factory_built"],
                                           smart_factory_level=o["smart_factory_level"])
            if self.skipped(sheet, row, parent=company, failed=sheet.report_issues(row, issues)):
                if live is None:
                    self.rejected_engagements.setdefault(key, (sheet.label, row.number))
                continue
            engagement_id = self.plan.stage("engagements", existing=live, values=values)
            if live is None:
                self.new_engagements[key] = engagement_id
            # An outcome row is made only when the file gives an outcome; empty cells never create one.
            if with_outcome and (live_outcome or any(v is not None for v in outcome.values())):
                self.plan.stage("outcomes", existing=live_outcome,
                                values={"engagement_id": engagement_id, **outcome})

    def kpis(self, sheet: Sheet) -> None:
        seen: dict[tuple, int] = {}
        for row in sheet.rows():
            self.tick()
            key = self.key(sheet, row, seen=seen)
            if key is None:
                continue
            business_no, year, code = key
            engagement = self.engagement_id(sheet, row, business_no=business_no, year=year)
            if engagement.unknown:
                continue
            live = self.existing.kpis.get((engagement.id, code))
            values = {"engagement_id": engagement.id, **sheet.stored(row, "kpi_measurements")}
            m = {**(live or DEFAULTS["kpi_measurements"]), **values}
            # Photos and documents attached to the engagement count as evidence for a large improvement.
            issues = validate_measurement(self.catalogue[code], baseline=m["baseline"],
                                          baseline_date=m["baseline_date"], target=m["target"], post=m["post"],
                                          post_date=m["post_date"],
                                          evidence_count=self.existing.evidence.get(engagement.id, 0))
            if self.skipped(sheet, row, parent=engagement, failed=sheet.report_issues(row, issues)):
                continue
            self.plan.stage("kpi_measurements", existing=live, values=values)

    def surveys(self, sheet: Sheet) -> None:
        seen: dict[tuple, int] = {}
        for row in sheet.rows():
            self.tick()
            key = self.key(sheet, row, seen=seen)
            if key is None:
                continue
            engagement = self.engagement_id(sheet, row, business_no=key[0], year=key[1])
            if engagement.unknown:
                continue
            live = self.existing.surveys.get(engagement.id)
            values = {"engagement_id": engagement.id, **sheet.stored(row, "survey_responses")}
            merged = {**(live or DEFAULTS["survey_responses"]), **values}
            improved = [code for code in (merged["improved"] or "").split(";") if code]
            issues = validate_survey(satisfaction=merged["satisfaction"], improved=improved)
            if self.skipped(sheet, row, parent=engagement, failed=sheet.report_issues(row, issues)):
                continue
            self.plan.stage("survey_responses", existing=live, values=values)

    def run(self, sheets: dict[str, Sheet]) -> None:
        """Parents before children, whatever order the files came in."""
        steps: dict[str, Callable[[Sheet], Any]] = {"companies": self.companies, "engagements": self.engagements,
                                                    "kpis": self.kpis, "surveys": self.surveys}
        for name, step in steps.items():
            sheet = sheets.get(name)
            if sheet is None:
                continue
            if sheet.report_missing_columns():
                self.reject_sheet(sheet)
                for _ in sheet.raw.rows:
                    self.tick()
                continue
            step(sheet)
