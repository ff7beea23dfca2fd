"""The company list's table model: all rows held once as plain tuples, filtered and sorted as Python lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from consultant_app.domain.codes import EngagementStatus, label
from consultant_app.domain.validation import format_business_no
from consultant_app.services.companies import CompanyFilter, CompanyListRow, filter_rows, sort_rows
from consultant_app.ui.i18n import format_number, translate

Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class ColumnSpec:
    """One column: the row field it shows and sorts by, its title, how a value reads, alignment, width."""

    key: str
    title: Callable[[], str]
    text: Callable[[Any, str], str]
    align: Qt.AlignmentFlag
    width: int


def _plain(value: Any, _lang: str) -> str:
    return "" if value is None else str(value)


def _status(value: str | None, lang: str) -> str:
    if value is None:
        return ""
    try:
        return label(EngagementStatus(value), lang)
    except ValueError:  # a code from a newer version of the app
        return value


def _year(value: int | None, _lang: str) -> str:
    return "" if value is None else translate("CompanyTableModel", "%1차").replace("%1", str(value))


COLUMNS = (
    ColumnSpec("business_no", lambda: translate("CompanyTableModel", "사업자등록번호"),
               lambda v, _l: format_business_no(v), LEFT, 120),
    ColumnSpec("name", lambda: translate("CompanyTableModel", "기업명"), _plain, LEFT, 220),
    ColumnSpec("sponsor", lambda: translate("CompanyTableModel", "후원기업"), _plain, LEFT, 130),
    ColumnSpec("region", lambda: translate("CompanyTableModel", "지역"), _plain, LEFT, 100),
    ColumnSpec("industry", lambda: translate("CompanyTableModel", "업종"), _plain, LEFT, 110),
    ColumnSpec("engagements", lambda: translate("CompanyTableModel", "참여 횟수"),
               lambda v, _l: format_number(v), RIGHT, 80),
    ColumnSpec("latest_year", lambda: translate("CompanyTableModel", "최근 차수"), _year, CENTER, 80),
    ColumnSpec("latest_status", lambda: translate("CompanyTableModel", "최근 상태"), _status, CENTER, 90),
)
FIELD_INDEX = [CompanyListRow._fields.index(c.key) for c in COLUMNS]
NAME_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.key == "name")


class CompanyTableModel(QAbstractTableModel):
    """Companies as rows; ``set_rows`` takes the loaded list, ``set_filter`` and ``sort`` reorder what shows."""

    def __init__(self, lang: str = "ko", parent: Any = None):
        super().__init__(parent)
        self.lang = lang
        self._all: list[CompanyListRow] = []  # every company, in the current sort order
        self._shown: list[CompanyListRow] = []
        self._filter = CompanyFilter()
        self._sort_column = NAME_COLUMN
        self._descending = False
        self._titles = [c.title() for c in COLUMNS]

    # -- Qt's table interface --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            return COLUMNS[column].text(self._shown[index.row()][FIELD_INDEX[column]], self.lang)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return COLUMNS[index.column()].align
        if role == Qt.ItemDataRole.UserRole:
            return self._shown[index.row()].id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row by ``column``; the filter then keeps that order."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        # The selection (persistent indexes) follows its companies to their new rows.
        old = self.persistentIndexList()
        kept = [(self._shown[i.row()].id, i.column()) for i in old]
        self._all = sort_rows(self._all, COLUMNS[column].key, descending=self._descending)
        self._shown = filter_rows(self._all, self._filter)
        if old:
            rows = {r.id: n for n, r in enumerate(self._shown)}
            self.changePersistentIndexList(old, [self.index(rows[company_id], col) for company_id, col in kept])
        self.layoutChanged.emit()

    @property
    def sort_order(self) -> tuple[int, bool]:
        """The sort column and whether it is descending."""
        return self._sort_column, self._descending

    # -- ours ------------------------------------------------------------------------------------------------
    def set_rows(self, rows: list[CompanyListRow]) -> None:
        """Replace every row (a fresh load), keeping the filter and sort."""
        self.beginResetModel()
        self._all = sort_rows(rows, COLUMNS[self._sort_column].key, descending=self._descending)
        self._shown = filter_rows(self._all, self._filter)
        self.endResetModel()

    def set_filter(self, flt: CompanyFilter) -> None:
        """Show only the rows ``flt`` lets through."""
        if flt == self._filter:
            return
        self.beginResetModel()
        self._filter = flt
        self._shown = filter_rows(self._all, flt)
        self.endResetModel()

    @property
    def filter(self) -> CompanyFilter:
        return self._filter

    @property
    def all_rows(self) -> list[CompanyListRow]:
        return self._all

    def total_count(self) -> int:
        return len(self._all)

    def row(self, row: int) -> CompanyListRow:
        return self._shown[row]

    def company_id(self, row: int) -> str:
        return self._shown[row].id

    def row_of(self, company_id: str) -> int | None:
        """The shown row of a company, or None when it is filtered out or gone."""
        return next((i for i, r in enumerate(self._shown) if r.id == company_id), None)
