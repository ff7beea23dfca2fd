"""A small valid programme as the office's sheets, and helpers to write, break and count it."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from consultant_app.domain.validation import business_no_check_digit
from consultant_app.store import Store

TABLES = ("sponsors", "companies", "engagements", "kpi_measurements", "outcomes", "survey_responses",
          "audit_log", "outbox")


def business_no(first_nine: str) -> str:
    """A valid 10-digit number from its first nine digits."""
    return first_nine + str(business_no_check_digit(first_nine))


def dashed(number: str) -> str:
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


A = business_no("123456789")
B = business_no("220811234")
C = business_no("314159265")  # in no sample file: "an unknown company"


def wrong_check_digit(number: str) -> str:
    return number[:9] + str((int(number[9]) + 1) % 10)


def sample() -> dict[str, list[list[str]]]:
    """Header row first; row numbers as a spreadsheet shows them: the header is 1, the first data row 2."""
    return {
        "companies": [
            ["business_no", "name", "representative", "region", "industry", "manufacturing", "employees",
             "supplier_tier", "sponsor", "growth_stage"],
            [dashed(A), "(주)한빛정밀", "김철수", "경기", "자동차부품", "true", "45", "2", "한빛자동차", "basic"],
            [B, "대성금속", "이영희", "부산", "금속가공", "true", "120", "3", "한빛자동차", "intermediate1"],
        ],
        "engagements": [
            ["business_no", "year", "phase", "field", "support_krw", "start_date", "end_date",
             "financial_effect_krw", "new_hires", "smart_factory_built", "smart_factory_level"],
            [A, "1", "1", "productivity", "30000000", "2018-01-10", "2018-10-30", "50000000", "2", "true", "2"],
            [A, "2", "2", "smart_factory", "35000000", "2019-01-10", "2019-10-30", "", "", "", ""],
            [B, "1", "1", "tech_innovation", "20000000", "2018-02-01", "2018-11-30", "12000000", "1", "false", ""],
        ],
        "kpis": [
            ["business_no", "year", "kpi", "baseline", "baseline_date", "target", "post", "post_date"],
            [A, "1", "defect_rate", "2.93", "2018-01-15", "1.5", "1.71", "2018-10-20"],
            [A, "1", "on_time_delivery", "85", "2018-01-15", "95", "93.5", "2018-10-20"],
            [A, "2", "lead_time", "10", "2019-01-15", "7", "8", "2019-10-20"],
            [B, "1", "output_per_hour", "40", "2018-02-10", "50", "48", "2018-11-20"],
        ],
        "surveys": [
            ["business_no", "year", "satisfaction", "continue", "recommend", "improved"],
            [A, "1", "5", "true", "true", "productivity;quality"],
            [B, "1", "4", "true", "false", "mindset"],
        ],
    }


def write_csvs(folder: Path, sheets: dict[str, list[list[str]]], *, encoding: str = "utf-8-sig") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def set_cell(sheets: dict[str, list[list[str]]], sheet: str, row: int, column: str, value: str) -> None:
    """Change one cell, addressed as a person would: spreadsheet row number and header."""
    rows = sheets[sheet]
    rows[row - 1][rows[0].index(column)] = value


def counts(store: Store) -> dict[str, int]:
    """Rows per table, journal included, read straight from the file."""
    with sqlite3.connect(store.path) as connection:
        return {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def query(store: Store, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(store.path) as connection:
        return connection.execute(sql, args).fetchall()
