"""GUI test helpers: real widgets, offscreen, Chinese typed through input-method events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.app import install_translations
from desk_app.workers.tasks import TaskRunner


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` as an input method commits it (qtbot.keyClicks only takes ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(scope="session", autouse=True)
def chinese_ui(qapp: QApplication) -> None:
    """The default language, as a user sees it."""
    install_translations(qapp, "zh_CN")


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.wait()
