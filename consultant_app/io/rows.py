"""A sheet's rows parsed cell by cell, with problems placed at file, row and the column as written."""

from __future__ import annotations

from typing import Any, Iterator

from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.validation import Issue, Rule
from consultant_app.io.cells import CellError, Parser, parser_for
from consultant_app.io.columns import Column, HeaderMatch, match_headers
from consultant_app.io.problems import ImportProblem
from consultant_app.io.readers import RawSheet


class ParsedRow:
    """One data row: its number, the parsed values of the present columns, and the columns that failed."""

    __slots__ = ("number", "values", "bad")

    def __init__(self, number: int, values: dict[str, Any], bad: set[str]):
        self.number = number
        self.values = values
        self.bad = bad


class Sheet:
    """A raw sheet with its header matched and a parser per present column."""

    def __init__(self, raw: RawSheet, catalogue: KpiCatalogue):
        self.raw = raw
        self.spec = raw.spec
        self.label = raw.label
        self.match: HeaderMatch = match_headers(raw.spec, raw.headers)
        self.columns: list[tuple[Column, int, Parser]] = [
            (column, self.match.index[column.name], parser_for(column, catalogue))
            for column in raw.spec.columns if column.name in self.match.index]
        self.problems: list[ImportProblem] = []

    def present(self, name: str) -> bool:
        return name in self.match.index

    def header(self, name: str) -> str:
        """The column's header as the file writes it (its English name when the file has no such column)."""
        return self.match.written.get(name, name)

    def report(self, row: int | None, issue: Issue) -> None:
        self.problems.append(ImportProblem(self.label, row, self.header(issue.field), issue))

    def report_missing_columns(self) -> bool:
        """One problem per missing required column (row None); True when any is missing."""
        for name in self.match.missing:
            self.problems.append(ImportProblem(self.label, None, name, Issue(Rule.REQUIRED, name)))
        return bool(self.match.missing)

    def parse(self, number: int, cells: Any, *, only: tuple[str, ...] = ()) -> ParsedRow:
        """Parse the row's cells; a failed cell is reported, left out of ``values`` and named in ``bad``."""
        values: dict[str, Any] = {}
        bad: set[str] = set()
        width = len(cells)
        for column, index, parse in self.columns:
            if only and column.name not in only:
                continue
            raw = cells[index] if index < width else None
            if raw is None or (raw.__class__ is str and not (raw := raw.strip())):
                values[column.name] = column.empty
                continue
            try:
                values[column.name] = parse(raw)
            except CellError as exc:
                bad.add(column.name)
                self.report(number, Issue(exc.rule, column.name, {"value": exc.value}))
        return ParsedRow(number, values, bad)

    def rows(self, *, only: tuple[str, ...] = ()) -> Iterator[ParsedRow]:
        for number, cells in self.raw.rows:
            yield self.parse(number, cells, only=only)

    def stored(self, row: ParsedRow, table: str) -> dict[str, Any]:
        """The row's values for one table, by table column, for the columns the file has."""
        return {column.attr: row.values[column.name] for column, _, _ in self.columns
                if column.table == table and column.name in row.values}

    def report_issues(self, row: ParsedRow, issues: list[Issue]) -> bool:
        """Report the domain's issues, except on cells already reported; True when any is an error."""
        failed = bool(row.bad)
        for issue in issues:
            if issue.field in row.bad:
                continue
            self.report(row.number, issue)
            failed = failed or issue.is_error
        return failed
