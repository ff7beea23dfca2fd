"""What an import reports: problems by file, row and column, the result, and the errors it raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from consultant_app.domain.validation import Issue
from consultant_app.errors import AppError


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One issue at one place: file (or sheet), spreadsheet row (header = 1), column as written."""

    file: str
    row: int | None
    column: str | None
    issue: Issue

    @property
    def is_error(self) -> bool:
        return self.issue.is_error

    def where(self, lang: str = "ko") -> str:
        """``kpis.csv 5행 baseline`` / ``kpis.csv row 5, baseline``."""
        text = self.file
        if self.row is not None:
            text += f" row {self.row}" if lang == "en" else f" {self.row}행"
        if self.column:
            text += f", {self.column}" if lang == "en" else f" {self.column}"
        return text

    def message(self, lang: str = "ko") -> str:
        """Place and reason in the user's language, e.g. ``kpis.csv 5행 baseline: ...``."""
        return f"{self.where(lang)}: {self.issue.message(lang)}"


@dataclass
class ImportResult:
    """Rows created and updated per table, rows left as they were, problems, and whether anything was written."""

    created: dict[str, int]
    updated: dict[str, int]
    unchanged: int
    problems: list[ImportProblem] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]


class ImportFailed(AppError):
    """The files have errors, so nothing was written; ``problems`` lists them all (warnings too)."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first_ko = errors[0].message("ko") if errors else ""
        first_en = errors[0].message("en") if errors else ""
        super().__init__(f"파일에 오류가 {len(errors)}건 있어 아무것도 저장하지 않았습니다. 첫 오류: {first_ko}",
                         f"The files have {len(errors)} error(s), so nothing was saved. First: {first_en}")


class SourceUnreadable(AppError):
    """The path is not a folder of CSV files or a workbook we can read (named, with what is wrong); nothing was
    written."""


class ImportCancelled(AppError):
    """The user cancelled the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("가져오기를 취소했습니다. 아무것도 저장하지 않았습니다.",
                         "The import was cancelled; nothing was saved.")
