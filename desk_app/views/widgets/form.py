"""Forms whose errors show in Chinese right beside the field that has them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.errors import DeskError, ValidationError
from desk_app.workers.tasks import TaskRunner

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


class ServiceDialog(QDialog):
    """A form dialog whose OK runs a service call in the background.

    It closes when the call succeeds; a validation error shows beside its field.
    """

    def __init__(
        self, runner: TaskRunner, action: Callable[[Any], Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._action = action
        self.form = QFormLayout()
        self.errors = FieldErrors(self.form)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def intro(self, text: str, name: str = "intro", *, rich: bool = False, at: int = 0) -> QLabel:
        """A wrapped line of context above the form (the case, the units, what the step
        means), at position `at` of the dialog's layout; rich text when `rich`."""
        label = QLabel(text)
        label.setObjectName(name)
        if rich:
            label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(at, label)
        return label

    def collect(self) -> Any:
        """The input for the action, or None (after showing why) to stay open."""
        raise NotImplementedError

    def submit(self) -> None:
        self.message.clear()
        self.errors.clear()
        data = self.collect()
        if data is None:
            return
        self.buttons.setEnabled(False)
        self.runner.run(lambda: self._action(data), self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: DeskError) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.message.setText("\n".join(self.errors.show(exc.fields)))
        else:
            self.message.setText(exc.message)
