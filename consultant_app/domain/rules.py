"""The rules an input can break, by name: validation checks them, ``messages.py`` words them."""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    """Every rule an input can break; ``messages.py`` words each in Korean and English."""

    REQUIRED = "required"
    BUSINESS_NO_FORMAT = "business_no_format"
    BUSINESS_NO_CHECKSUM = "business_no_checksum"
    PERCENT_RANGE = "percent_range"
    MUST_BE_POSITIVE = "must_be_positive"
    MUST_NOT_BE_NEGATIVE = "must_not_be_negative"
    ABOVE_MAXIMUM = "above_maximum"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_A_DATE = "not_a_date"
    NOT_A_BOOLEAN = "not_a_boolean"
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_KPI = "unknown_kpi"
    POST_BEFORE_BASELINE = "post_before_baseline"
    END_BEFORE_START = "end_before_start"
    OUT_OF_CHOICES = "out_of_choices"
    LEVEL_WITHOUT_SMART_FACTORY = "level_without_smart_factory"
    CONTROL_CHARACTER = "control_character"
    TOO_LONG = "too_long"
    # rules only a set of imported rows can break
    DUPLICATE_ROW = "duplicate_row"
    UNKNOWN_COMPANY = "unknown_company"
    UNKNOWN_ENGAGEMENT = "unknown_engagement"
    PARENT_REJECTED = "parent_rejected"
    # rules only a file's own structure can break (a CSV file the importer cannot split into cells)
    UNCLOSED_QUOTE = "unclosed_quote"
    TEXT_AFTER_QUOTE = "text_after_quote"
    CELL_TOO_LARGE = "cell_too_large"
    CSV_UNREADABLE = "csv_unreadable"
    # warnings
    IMPLAUSIBLE_IMPROVEMENT = "implausible_improvement"
    TARGET_WRONG_WAY = "target_wrong_way"
    RATIO_MISMATCH = "ratio_mismatch"
    # warnings about a file: what it holds that the import leaves out, or takes in though a person may not see it
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    HIDDEN_ROWS = "hidden_rows"
    HIDDEN_SHEET = "hidden_sheet"
