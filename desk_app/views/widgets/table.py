"""A read-only table model over a list of plain rows (the dataclasses services return)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel, Generic[T]):
    """Rows in a list, one column per header; subclasses say what each cell shows.

    HEADERS are marked with QT_TRANSLATE_NOOP under the subclass's name, which is
    the translation context they are looked up in.
    """

    HEADERS: ClassVar[tuple[object, ...]] = ()  # QT_TRANSLATE_NOOP returns object in the stubs

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace_row(self, row: int, value: T) -> None:
        """Put a new value in one row, keeping the others (and the view's place)."""
        self._rows[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def row_at(self, row: int) -> T:
        return self._rows[row]

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return QCoreApplication.translate(type(self).__name__, str(self.HEADERS[section]))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def cell(self, row: T, column: int, role: int) -> Any:
        """What `row` shows in `column` for `role` (None: nothing)."""
        raise NotImplementedError


def row_table(model: QAbstractItemModel, name: str, *stretch: int) -> QTableView:
    """A read-only table of whole-row single selection over `model`: columns fit their
    contents, the `stretch` columns take the rest."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table
