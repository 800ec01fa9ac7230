"""Forms whose errors show in Chinese right beside the field that has them."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b3261e;"


class FieldErrors:
    """Adds labelled rows to a QFormLayout, each with an error line under its field."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add_row(self, name: str, label: str, widget: QWidget) -> QLabel:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.layout.addRow(caption, box)
        self._fields[name] = (widget, error)
        return error

    def error_label(self, name: str) -> QLabel:
        return self._fields[name][1]

    def clear(self) -> None:
        for _widget, error in self._fields.values():
            error.clear()
            error.hide()

    def show(self, errors: Mapping[str, str]) -> list[str]:
        """Show each message beside its field; focus the first. Returns fields not on this form."""
        self.clear()
        unplaced: list[str] = []
        first: QWidget | None = None
        for name, message in errors.items():
            if name not in self._fields:
                unplaced.append(message)
                continue
            widget, error = self._fields[name]
            error.setText(message)
            error.show()
            first = first or widget
        if first is not None:
            first.setFocus()
        return unplaced
