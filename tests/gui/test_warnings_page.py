"""The 预警 list and the status bar's badge, over cases whose clocks ran out in the past."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk_app.models import Case
from desk_app.services import workflow
from desk_app.services.cases import register_case
from desk_app.services.desk import Desk
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.views.main_window import MainWindow
from desk_app.views.sync_status import AMBER, RED
from desk_app.views.warnings_badge import WarningsBadge, count_now
from desk_app.views.warnings_page import WarningsModel, WarningsPage
from tests.conftest import sample_case

#: The page's clock in these tests (cases are placed relative to it).
NOW = datetime.now(UTC).replace(microsecond=0)
LEAD = "532801103-TWH"  # 勐龙镇人民调解委员会
CO = "532801103-SFS"  # 勐龙镇司法所


def _register(desk: Desk, actor: Actor, title: str, ago: timedelta, applicant: str) -> uuid.UUID:
    data = sample_case(title)
    first = dataclasses.replace(data.parties[0], name=applicant)
    data = dataclasses.replace(data, parties=(first, *data.parties[1:]), received_at=NOW - ago)
    return register_case(desk, actor, data).id


def _walk(desk: Desk, actor: Actor, case_id: uuid.UUID, start: datetime, complexity: str) -> None:
    """Triage, dispatch, sign and start handling, each at a fixed (past) moment."""
    steps = (
        ("triage", workflow.TriageInput(
            level="town", track="mediation", complexity=complexity, unit_code=LEAD,
            co_unit_codes=(CO,), note="属地调处",
        )),
        ("dispatch", workflow.DispatchInput(asked="请组织双方调解")),
        ("sign", workflow.UnitStepInput(on_behalf=True, text="已签收")),
        ("start", workflow.UnitStepInput(on_behalf=True, text="开始调解")),
    )  # fmt: skip
    for i, (action, data) in enumerate(steps):
        with desk.uow(actor) as uow:
            uow.now = start + timedelta(minutes=10 * i)
            workflow.RUNNERS[action](uow, case_id, data)


@pytest.fixture
def warned(desk: Desk, admin: Actor, clerk: Actor) -> dict[str, uuid.UUID]:
    """One case of each warning kind and one on time."""
    # Received three weeks ago and never triaged (triage is due the same day).
    overdue = _register(desk, clerk, "邻里噪音纠纷", timedelta(days=20), "岩罕")
    # Handled from six weeks ago: 15 days to handle, then 3 working days to report back.
    late = _register(desk, clerk, "宅基地边界争议", timedelta(days=40), "玉香")
    _walk(desk, admin, late, NOW - timedelta(days=40), "ordinary")
    # 30 days to handle, 27 used: past the 80 % mark.
    near = _register(desk, clerk, "拖欠农民工工资", timedelta(days=27), "玉儿")
    _walk(desk, admin, near, NOW - timedelta(days=27), "complex")
    # Started now with 30 days ahead: no warning.
    fine = _register(desk, clerk, "婚姻家庭纠纷", timedelta(minutes=5), "依香")
    _walk(desk, admin, fine, NOW, "complex")
    return {"overdue": overdue, "no_feedback": late, "near_due": near, "fine": fine}


def _ids(page: WarningsPage) -> list[uuid.UUID]:
    return [page.model.row_at(r).case_id for r in range(page.model.rowCount())]


def _page(qtbot, desk: Desk, actor: Actor, runner) -> WarningsPage:
    page = WarningsPage(desk, actor, runner, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1200, 500)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()  # read when shown
    return page


def test_the_list_shows_each_warning_most_urgent_first(
    qtbot, qtmodeltester, desk, admin, runner, warned
) -> None:
    page = _page(qtbot, desk, admin, runner)
    qtmodeltester.check(page.model)
    assert _ids(page) == [warned["no_feedback"], warned["overdue"], warned["near_due"]]
    assert page.counts == {"no_feedback": 1, "overdue": 1, "near_due": 1}

    def cell(row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole):
        return page.model.data(page.model.index(row, column), role)

    with desk.db.read() as s:
        case = s.get(Case, warned["overdue"])
        near = s.get(Case, warned["near_due"])
        assert case is not None and case.due_at is not None
        assert near is not None and near.due_at is not None
        due, near_due = case.due_at, near.due_at
    # The never-triaged case: red, still 待研判 at 研判, no unit yet, a day-by-day count.
    assert cell(1, WarningsModel.KIND) == "超期未办理"
    assert cell(1, WarningsModel.CASE_NO) == case.case_no
    assert (cell(1, WarningsModel.TITLE), cell(1, WarningsModel.APPLICANT)) == (
        "邻里噪音纠纷", "岩罕",
    )  # fmt: skip
    assert (cell(1, WarningsModel.STATUS), cell(1, WarningsModel.STEP)) == ("待研判", "研判")
    assert cell(1, WarningsModel.UNIT) == "—"
    assert cell(1, WarningsModel.DUE) == due.astimezone(SHANGHAI).strftime("%Y-%m-%d")
    assert str((NOW - due).days) in cell(1, WarningsModel.LEFT)
    assert cell(1, WarningsModel.KIND, Qt.ItemDataRole.ForegroundRole).color() == QColor(RED)
    # The handled one: late with its feedback, its unit named; the near one in amber.
    assert cell(0, WarningsModel.KIND) == "逾期未反馈"
    assert (cell(0, WarningsModel.STATUS), cell(0, WarningsModel.STEP)) == ("办理中", "办理")
    assert cell(0, WarningsModel.UNIT) == "勐龙镇人民调解委员会"
    assert cell(0, WarningsModel.KIND, Qt.ItemDataRole.ForegroundRole).color() == QColor(RED)
    assert cell(2, WarningsModel.KIND) == "临期"
    assert cell(2, WarningsModel.KIND, Qt.ItemDataRole.ForegroundRole).color() == QColor(AMBER)
    assert str((near_due - NOW).days) in cell(2, WarningsModel.LEFT)  # days still left
    # Each filter button says how many it holds.
    assert page.filter_buttons["overdue"].text() == "超期未办理（1）"
    assert "3" in page.filter_buttons["all"].text()


def test_a_filter_narrows_the_list_and_all_brings_it_back(
    qtbot, desk, admin, runner, warned
) -> None:
    page = _page(qtbot, desk, admin, runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000) as shown:
        page.filter_buttons["overdue"].click()
    assert shown.args == [1]
    assert _ids(page) == [warned["overdue"]]
    assert page.filter_buttons["overdue"].isChecked()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.filter_buttons["near_due"].click()
    assert _ids(page) == [warned["near_due"]]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.filter_buttons["all"].click()
    assert len(_ids(page)) == 3 and warned["fine"] not in _ids(page)


def test_double_click_or_enter_asks_for_the_case(qtbot, desk, admin, runner, warned) -> None:
    page = _page(qtbot, desk, admin, runner)
    index = page.model.index(1, WarningsModel.TITLE)
    rect = page.table.visualRect(index)
    with qtbot.waitSignal(page.case_requested, timeout=5_000) as asked:
        # As a hand does it: the first click, then the second one that makes it a double.
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == [warned["overdue"]]
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(2, 0))
    with qtbot.waitSignal(page.case_requested, timeout=5_000) as asked:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert asked.args == [warned["near_due"]]


def test_refresh_reads_again_after_a_case_moves_on(qtbot, desk, admin, runner, warned) -> None:
    page = _page(qtbot, desk, admin, runner)
    triage = workflow.TriageInput(
        level="town", track="mediation", complexity="ordinary", unit_code=LEAD, note="属地调处"
    )
    with desk.uow(admin) as uow:
        workflow.triage(uow, warned["overdue"], triage)  # now: its routing clock has time
    with qtbot.waitSignal(page.loaded, timeout=10_000) as shown:
        page.refresh()
    assert shown.args == [2] and warned["overdue"] not in _ids(page)


def test_the_badge_counts_goes_red_and_opens_the_list(qtbot, desk, admin, runner, warned) -> None:
    badge = WarningsBadge(runner, lambda: count_now(desk.db))
    qtbot.addWidget(badge)
    badge.show()
    qtbot.waitUntil(lambda: badge.total == 3, timeout=10_000)
    assert badge.text().endswith(" 3")
    tip = badge.toolTip()
    assert all(label in tip for label in ("逾期未反馈", "超期未办理", "临期"))
    assert RED in badge.styleSheet()
    with qtbot.waitSignal(badge.clicked, timeout=5_000):
        qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)


def test_the_badge_is_grey_at_nought(qtbot, desk, runner) -> None:
    badge = WarningsBadge(runner, lambda: count_now(desk.db))
    qtbot.addWidget(badge)
    with qtbot.waitSignal(badge.counts_changed, timeout=10_000) as counted:
        badge.refresh()
    assert counted.args == [{"no_feedback": 0, "overdue": 0, "near_due": 0}]
    assert badge.text().endswith(" 0") and RED not in badge.styleSheet()


def test_the_main_window_badge_opens_the_warnings_and_a_row_opens_the_case(
    qtbot, desk, admin, clerk, runner
) -> None:
    overdue = _register(desk, clerk, "邻里噪音纠纷", timedelta(days=20), "岩罕")
    window = MainWindow(desk, admin, runner)
    qtbot.addWidget(window)
    window.show()
    badge = window.warnings_badge
    qtbot.waitUntil(lambda: badge.total == 1, timeout=10_000)
    assert badge.isVisible()
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget().objectName() == "page_warnings"
    page = window.warnings_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.case_requested.emit(overdue)
    assert window.pages.currentWidget().objectName() == "page_search"
    detail = window.search_page.detail
    qtbot.waitUntil(
        lambda: detail.detail is not None and detail.detail.id == overdue, timeout=10_000
    )
