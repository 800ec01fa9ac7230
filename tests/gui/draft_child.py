"""A desk session that types into the intake form and is then killed (tests/gui/test_drafts.py).

    python -m tests.gui.draft_child DATA_DIR     (password of clerk1 in DESK_APP_PASSWORD)

It logs in as clerk1, opens the main window, types a visitor into the form as an
input method would, and prints ``draft-kept <snapshot JSON>`` once the draft
keeper has written what was typed. Then it waits, typing nothing more, for the
test to kill it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from desk_app.app import install_translations
from desk_app.services import users
from desk_app.services.desk import open_desk
from desk_app.views.main_window import MainWindow
from desk_app.workers.tasks import TaskRunner

TITLE = "宅基地边界争议（断电前）"


def commit(widget: QWidget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def main() -> int:
    app = QApplication(sys.argv[:1])
    install_translations(app, "zh_CN")
    desk = open_desk(Path(sys.argv[1]))
    actor = users.login(desk.db, "clerk1", os.environ["DESK_APP_PASSWORD"])
    runner = TaskRunner()
    window = MainWindow(desk, actor, runner)
    window.show()
    form = window.intake_form
    keeper = form.keeper
    assert keeper is not None

    def type_visitor() -> None:
        applicant, respondent = form.editors
        commit(applicant.name, "玉香")
        commit(applicant.id_number, "11010519491231002X")
        commit(applicant.phone, "13800138000")
        commit(applicant.address, "景洪市勐龙镇景龙村")
        commit(respondent.name, "岩温")
        commit(form.title, TITLE)
        commit(form.dispute_type, "房屋宅基地纠纷")
        commit(form.town, "勐龙镇")
        commit(form.village, "景龙村")
        commit(form.facts, "双方因宅基地边界发生争议，")  # typing stops mid-sentence
        form.urgent.setChecked(True)

    def kept(snapshot: dict) -> None:
        if snapshot.get("title") == TITLE and snapshot.get("facts"):
            print("draft-kept", json.dumps(snapshot, ensure_ascii=False), flush=True)

    keeper.saved.connect(kept)
    if form.reference is None:
        form.reference_loaded.connect(type_visitor)
    else:
        type_visitor()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
