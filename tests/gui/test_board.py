"""The routing board: its model, filters, moves by drop and by context menu, refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select, update

from desk_app.models import Case, CaseEvent, Outbox, Unit
from desk_app.services import board, workflow
from desk_app.services.board import BoardFilter
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor, Role
from desk_app.services.sync.engine import SyncSummary
from desk_app.views.board import BoardPage
from desk_app.views.board.model import CARD_ROLE, CHUNK, KEY_ROLE, BoardModel
from desk_app.views.main_window import MainWindow
from desk_app.views.workflow_dialogs import (
    EscalateDialog,
    SignDialog,
    TriageDialog,
)
from desk_app.workers.tasks import TaskRunner
from tests.gui.conftest import type_text

OFFICER = Actor("officer1", "研判员", frozenset({Role.OFFICER}), uuid.uuid4())
LEAD = "532801103-TWH"
CITY = "JH-FY"  # 景洪市人民法院
TRIAGE = workflow.TriageInput(
    level="town", track="mediation", complexity="ordinary", unit_code=LEAD, note="属地调处"
)
DISPATCH = workflow.DispatchInput(asked="请组织调解并按期反馈")

# Typing into a searchable combo opens its completer popup; the offscreen platform then
# says it cannot raise the popup or grab the keyboard. Those notices are its own, not ours.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"
)


def walk(desk: Desk, case_id: uuid.UUID, *steps: tuple[str, Any]) -> None:
    for action, data in steps:
        with desk.uow(OFFICER) as uow:
            workflow.RUNNERS[action](uow, case_id, data)


def dispatched(desk: Desk, make_case, title: str = "宅基地边界争议") -> uuid.UUID:
    ref = make_case(title)
    walk(desk, ref.id, ("triage", TRIAGE), ("dispatch", DISPATCH))
    return ref.id


def status_of(desk: Desk, case_id: uuid.UUID) -> str:
    with desk.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None
        return case.status


def footprint(desk: Desk) -> tuple[int, int]:
    with desk.db.read() as s:
        events = s.scalar(select(func.count()).select_from(CaseEvent)) or 0
        ops = s.scalar(select(func.count()).select_from(Outbox)) or 0
        return events, ops


def open_page(qtbot, desk: Desk, runner: TaskRunner, actor: Actor = OFFICER) -> BoardPage:
    page = BoardPage(desk, actor, runner)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    qtbot.waitExposed(page)
    return page


def column(page: BoardPage, key: str):
    return next(c for c in page.columns if c.key == key and c.isVisible())


def case_ids(page: BoardPage, key: str) -> list[uuid.UUID]:
    """The cases in a column of the board (shown or scrolled out of sight)."""
    root = page.model.column_index(key)
    out = []
    for row in range(page.model.rowCount(root)):
        card = page.model.index(row, 0, root).data(CARD_ROLE)
        assert card is not None  # small boards come whole with the snapshot
        out.append(card.case_id)
    return out


def card_index(page: BoardPage, case_id: uuid.UUID):
    for c in page.model.columns:
        for row_id in c.rows:
            card = page.model.cached(row_id)
            if card is not None and card.case_id == case_id:
                return page.model.card_index(row_id)
    raise AssertionError(f"{case_id} is not on the board")


def drop(page: BoardPage, case_id: uuid.UUID, key: str) -> None:
    """Drag a card over another column and drop it there, as the mouse would."""
    mime = page.model.mimeData([card_index(page, case_id)])
    viewport = column(page, key).view.viewport()
    at = viewport.rect().center()
    move, buttons, none = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton, Qt.NoModifier
    enter = QDragEnterEvent(at, move, mime, buttons, none)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDragMoveEvent(at, move, mime, buttons, none))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(at), move, mime, buttons, none))


def wait_dialog(qtbot, page: BoardPage, kind: type) -> Any:
    qtbot.waitUntil(lambda: isinstance(page.action_dialog, kind), timeout=10_000)
    dialog = page.action_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    return dialog


def accept(qtbot, page: BoardPage, dialog: Any) -> workflow.Outcome:
    with (
        qtbot.waitSignal(page.action_done, timeout=10_000) as done,
        qtbot.waitSignal(page.loaded, timeout=10_000),
    ):
        dialog.submit()
    outcome: workflow.Outcome = done.args[0]
    return outcome


# --- the model -----------------------------------------------------------------------------------


def test_the_board_model_passes_qt_model_tester(
    qtmodeltester, qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    dispatched(desk, make_case)
    make_case("相邻通行纠纷")
    make_case("债务纠纷")
    with desk.db.read() as s:
        snap = board.snapshot(s, datetime.now(UTC), with_names=True)
    assert snap.names is not None
    model = BoardModel(runner, lambda now, rows: {})
    model.show_snapshot(snap, snap.names, [c.key for c in snap.columns])
    assert model.rowCount() == len(board.STAGES)
    pending = model.index(0, 0)
    assert pending.data(KEY_ROLE) == "pending_triage" and model.rowCount(pending) == 2
    assert model.index(0, 0, model.index(2, 0)).isValid() is False  # 已签收 is empty
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_cards_not_read_yet_are_fetched_in_the_background(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    for i in range(5):
        make_case(f"邻里纠纷{i}")
    db = desk.db
    with db.read() as s:
        snap = board.snapshot(s, datetime.now(UTC), with_names=True, prefetch=2)
    assert snap.names is not None

    def fetch(now: datetime, rows: list[int]) -> dict[int, board.Card]:
        with db.read() as s:
            return board.fetch(s, now, rows)

    model = BoardModel(runner, fetch)
    model.show_snapshot(snap, snap.names, [c.key for c in snap.columns])
    parent = model.index(0, 0)
    assert model.index(1, 0, parent).data(CARD_ROLE) is not None
    later = model.index(4, 0, parent)
    assert later.data(CARD_ROLE) is None and later.data() == "…"
    with qtbot.waitSignal(model.cards_arrived, timeout=10_000):
        pass
    card = later.data(CARD_ROLE)
    assert card is not None and card.title == "邻里纠纷4"  # same deadline: the newest last
    assert not model.fetching


def test_cards_ahead_of_the_first_screen_wait_until_it_settles_or_scrolls(
    qtbot, runner: TaskRunner
) -> None:
    asked: list[list[int]] = []

    def fetch(now: datetime, rows: list[int]) -> dict[int, board.Card]:
        asked.append(rows)
        return {}

    rows = list(range(1, 301))
    now = datetime.now(UTC)
    first = {r: _card(r) for r in rows[: board.PREFETCH]}
    columns = [board.Column(k, rows if k == "in_progress" else [], 0) for k in board.STAGES]
    snap = board.Snapshot(now, "stage", BoardFilter(), columns, 300, 300, first)
    model = BoardModel(runner, fetch)
    model.show_snapshot(snap, board.Names(), list(board.STAGES))
    handling = model.index(board.STAGES.index("in_progress"), 0)
    assert model.index(0, 0, handling).data(CARD_ROLE) is not None  # the first screen
    QApplication.processEvents()
    runner.wait()
    assert asked == []  # what lies ahead waits while the user looks at the first screen
    model.scrolled()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5_000)
    assert asked[0][0] == rows[board.PREFETCH] and len(asked[0]) > 40
    # A new snapshot settles again; left alone, the read ahead comes by itself.
    model.show_snapshot(snap, board.Names(), list(board.STAGES))
    assert model.index(0, 0, handling).data(CARD_ROLE) is not None
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5_000)


def test_a_long_column_is_handed_to_its_view_in_growing_chunks(runner: TaskRunner) -> None:
    rows = list(range(1, 25_001))
    columns = [board.Column(k, rows if k == "in_progress" else [], 0) for k in board.STAGES]
    snap = board.Snapshot(datetime.now(UTC), "stage", BoardFilter(), columns, 25_000, 25_000, {})
    model = BoardModel(runner, lambda now, rows: {})
    model.show_snapshot(snap, board.Names(), list(board.STAGES))
    handling = model.index(board.STAGES.index("in_progress"), 0)
    counts = [model.rowCount(handling)]
    while model.canFetchMore(handling):
        model.fetchMore(handling)
        counts.append(model.rowCount(handling))
    assert counts[0] == CHUNK and counts[-1] == 25_000
    # Each hand-over lays out every row shown so far: a few dozen, not 250, reach the end.
    assert len(counts) < 20
    assert all(b - a >= min(CHUNK, 25_000 - a) for a, b in pairwise(counts))


def _card(row: int) -> board.Card:
    return board.Card(
        row, uuid.uuid4().hex, f"景综〔2026〕D01-{row:05d}", "邻里纠纷", "in_progress", "handle",
        "01", "532801001001", "visit", "town", LEAD, 1, 0.0, None, 0, "", "玉香", 0, 0, 0, 0, "",
    )  # fmt: skip


# --- the page -----------------------------------------------------------------------------------


def test_a_filter_narrows_the_columns_and_counts(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    waiting = make_case("相邻通行纠纷").id
    routed = dispatched(desk, make_case, "承包地纠纷")
    page = open_page(qtbot, desk, runner)
    assert case_ids(page, "pending_triage") == [waiting]
    assert case_ids(page, "dispatched") == [routed]
    assert column(page, "pending_triage").count.text().split()[0] == "1"

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.level.setCurrentIndex(page.level.findData("town"))
    assert page.filter == BoardFilter(level="town")
    assert case_ids(page, "pending_triage") == []
    assert case_ids(page, "dispatched") == [routed]
    assert column(page, "pending_triage").count.text().split()[0] == "0"
    assert "1" in page.summary.text() and "2" in page.summary.text()

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.clear_filters()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        type_text(page.search, "相邻")  # typed: read once typing pauses
    assert case_ids(page, "pending_triage") == [waiting]
    assert case_ids(page, "dispatched") == []


def test_columns_by_unit_then_back_by_stage(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    routed = dispatched(desk, make_case)
    waiting = make_case("相邻通行纠纷").id
    page = open_page(qtbot, desk, runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.mode_buttons["unit"].click()
    assert [c.key for c in page.columns if c.isVisible()] == ["", LEAD]
    assert column(page, LEAD).title.text() == "勐龙镇调委会"
    assert case_ids(page, LEAD) == [routed] and case_ids(page, "") == [waiting]
    assert not page.model.flags(card_index(page, routed)) & Qt.ItemFlag.ItemIsDragEnabled
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.mode_buttons["stage"].click()
    assert case_ids(page, "dispatched") == [routed]


def test_a_drop_opens_the_transition_dialog_and_the_card_moves(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case_id = dispatched(desk, make_case)
    page = open_page(qtbot, desk, runner)
    drop(page, case_id, "signed")
    dialog = wait_dialog(qtbot, page, SignDialog)
    assert status_of(desk, case_id) == "dispatched"  # nothing happens before the dialog's OK
    outcome = accept(qtbot, page, dialog)
    assert outcome.status == "signed" and status_of(desk, case_id) == "signed"
    assert case_ids(page, "dispatched") == [] and case_ids(page, "signed") == [case_id]
    # The moved card stays selected in its new column; the board says what happened.
    assert page.selected_card() is not None and page.selected_card().case_id == case_id
    assert column(page, "signed").view.currentIndex() == card_index(page, case_id)
    assert outcome.case_no in page.message.text() and page.message.isVisible()


def test_a_context_action_opens_its_dialog_and_moves_the_card(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case_id = make_case().id
    page = open_page(qtbot, desk, runner)
    card = card_index(page, case_id).data(CARD_ROLE)
    menu = page.card_menu(card)
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == ["menu_open", "menu_triage", "menu_dispatch", "menu_escalate"]
    next(a for a in menu.actions() if a.objectName() == "menu_escalate").trigger()
    dialog = wait_dialog(qtbot, page, EscalateDialog)
    type_text(dialog.note, "涉及州级部门职权")
    accept(qtbot, page, dialog)
    assert status_of(desk, case_id) == "escalated"
    assert case_ids(page, "escalated") == [case_id]

    opened: list[object] = []
    page.case_requested.connect(opened.append)
    menu = page.card_menu(card_index(page, case_id).data(CARD_ROLE))
    next(a for a in menu.actions() if a.objectName() == "menu_open").trigger()
    assert opened == [case_id]


def test_a_forbidden_move_is_refused_with_a_message_and_writes_nothing(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case_id = make_case().id
    page = open_page(qtbot, desk, runner)
    before = footprint(desk)
    drop(page, case_id, "in_progress")
    qtbot.waitUntil(page.message.isVisible, timeout=10_000)
    assert page.message.text().startswith("不能把案件从“待研判”直接移到“办理中”")
    assert "已交办（交办）" in page.message.text()
    assert page.action_dialog is None
    assert footprint(desk) == before and status_of(desk, case_id) == "pending_triage"
    assert case_ids(page, "pending_triage") == [case_id]


def test_dropping_an_untriaged_case_on_dispatched_triages_it_first(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    case_id = make_case().id
    page = open_page(qtbot, desk, runner)
    drop(page, case_id, "dispatched")
    triage = wait_dialog(qtbot, page, TriageDialog)
    type_text(triage.note, "属地调处")
    accept(qtbot, page, triage)
    assert status_of(desk, case_id) == "pending_triage"
    # Triage done: the dispatch dialog follows on the case as it now is.
    dialog = wait_dialog(qtbot, page, workflow_dialog_type("dispatch"))
    type_text(dialog.asked, "请组织双方调解")
    accept(qtbot, page, dialog)
    assert status_of(desk, case_id) == "dispatched"
    assert case_ids(page, "dispatched") == [case_id]


def workflow_dialog_type(action: str) -> type:
    from desk_app.views.workflow_dialogs import DIALOGS

    return DIALOGS[action]


def test_double_click_asks_for_the_case(qtbot, desk: Desk, runner: TaskRunner, make_case) -> None:
    case_id = make_case().id
    page = open_page(qtbot, desk, runner)
    view = column(page, "pending_triage").view
    rect = view.visualRect(card_index(page, case_id))
    with qtbot.waitSignal(page.case_requested, timeout=5_000) as asked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == [case_id]


def test_a_refresh_after_changes_keeps_the_selection_and_the_scroll(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    cases = [make_case(f"邻里纠纷{i}").id for i in range(14)]
    page = open_page(qtbot, desk, runner)
    view = column(page, "pending_triage").view
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    chosen = cases[12]
    view.setCurrentIndex(card_index(page, chosen))
    bar.setValue(bar.maximum() // 2 + 7)  # the user scrolls on, away from the selection
    top_before = view.indexAt(QPoint(1, 1))
    top_card = page.model.row_id(top_before)
    offset = view.visualRect(top_before).top()
    # A case above them moves on (as a commit on this desk or a sync would bring it).
    walk(desk, cases[0], ("triage", TRIAGE), ("dispatch", DISPATCH))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.schedule_refresh()
    assert cases[0] in case_ids(page, "dispatched")
    assert view.currentIndex() == card_index(page, chosen)
    # The first visible card is the same one, at the same height: the list did not jump.
    top_after = view.indexAt(QPoint(1, 1))
    assert page.model.row_id(top_after) == top_card
    assert view.visualRect(top_after).top() == offset


def test_columns_that_do_not_fit_are_reached_with_the_scroll_bar(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    waiting = make_case().id
    page = open_page(qtbot, desk, runner)
    page.resize(900, 600)  # as in a 1024-pixel window: room for four columns
    qtbot.waitUntil(page.columns_bar.isVisible, timeout=5_000)
    shown = [c.key for c in page.columns if c.isVisible()]
    assert shown == ["pending_triage", "dispatched", "signed", "in_progress"]
    assert page.columns_bar.maximum() == len(board.STAGES) - 4
    assert all(c.width() >= 180 for c in page.columns if c.isVisible())
    page.columns_bar.setValue(page.columns_bar.maximum())
    shown = [c.key for c in page.columns if c.isVisible()]
    assert shown == ["signed", "in_progress", "fed_back", "escalated"]
    # Selecting a card brings its column into view.
    assert page.select_case(waiting)
    assert next(c.key for c in page.columns if c.isVisible()) == "pending_triage"
    assert column(page, "pending_triage").view.currentIndex() == card_index(page, waiting)


def test_the_board_is_the_main_windows_board_area(
    qtbot, desk: Desk, admin: Actor, runner: TaskRunner, make_case
) -> None:
    case_id = make_case().id
    window = MainWindow(desk, admin, runner)
    qtbot.addWidget(window)
    window.show()
    window.show_area("board")
    page = window.pages.currentWidget()
    assert isinstance(page, BoardPage) and page.objectName() == "page_board"
    qtbot.waitUntil(lambda: page.snapshot is not None, timeout=10_000)
    # A commit on this desk reaches the board (debounced) without being asked.
    walk(desk, case_id, ("triage", TRIAGE), ("dispatch", DISPATCH))
    qtbot.waitUntil(lambda: case_ids(page, "dispatched") == [case_id], timeout=10_000)
    # A sync that brought changes reaches it too (pulled rows pass no unit of work here).
    other = make_case("相邻通行纠纷").id
    qtbot.waitUntil(lambda: other in case_ids(page, "pending_triage"), timeout=10_000)
    with desk.db.write_session() as s, s.begin():
        s.execute(update(Case).where(Case.id == other).values(status="escalated", step=""))
    window._synced(SyncSummary(pulled=1))
    qtbot.waitUntil(lambda: case_ids(page, "escalated") == [other], timeout=10_000)
    page.case_requested.emit(case_id)
    assert window.pages.currentWidget().objectName() == "page_search"


def test_the_window_reads_the_board_ahead_and_again_after_cases_change(
    qtbot, desk: Desk, admin: Actor, runner: TaskRunner, make_case, monkeypatch
) -> None:
    from desk_app.views import main_window

    monkeypatch.setattr(main_window, "BOARD_AHEAD_AGAIN_MS", 200)
    first = make_case().id
    window = MainWindow(desk, admin, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.board_ahead is not None, timeout=10_000)
    ahead = window.board_ahead
    assert ahead is not None and ahead.names is not None  # the filters' names come with it
    # A change on this desk drops it (the board would show a case list that is gone by),
    # and once changes settle it is read again, with the change.
    second = make_case("相邻通行纠纷").id
    qtbot.waitUntil(lambda: window.board_ahead is None, timeout=10_000)
    qtbot.waitUntil(lambda: window.board_ahead is not None, timeout=10_000)
    again = window.board_ahead
    assert again is not None and again is not ahead and again.shown == 2
    # So does a sync that brought changes (pulled rows pass no unit of work here).
    window._synced(SyncSummary(pulled=3))
    assert window.board_ahead is None
    qtbot.waitUntil(lambda: window.board_ahead is not None, timeout=10_000)
    # Opened: the snapshot read ahead is shown without a read.
    ahead = window.board_ahead
    window.show_area("board")
    page = window.board_page
    assert page is not None
    qtbot.waitUntil(lambda: page.snapshot is not None, timeout=10_000)
    assert page.snapshot is ahead and window.board_ahead is None
    assert sorted(case_ids(page, "pending_triage")) == sorted([first, second])
    assert page.unit.count() > 1  # the unit filter was filled from the read-ahead names
    # With the page open, nothing is read ahead any more (the page reads for itself).
    make_case("债务纠纷")
    QApplication.processEvents()  # the commit's signal, queued from the committing thread
    assert not window._board_ahead_timer.isActive()
    runner.wait()
    window._read_board_ahead()
    assert runner.running == 0 and window.board_ahead is None


def test_a_read_ahead_older_than_the_interval_is_shown_then_read_again(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    make_case()
    old = datetime(2026, 6, 8, 1, 0, tzinfo=UTC)
    ahead = board.read_snapshot(desk.db, old, with_names=True)
    page = BoardPage(desk, OFFICER, runner, first=ahead)
    qtbot.addWidget(page)
    with qtbot.waitSignals([page.loaded, page.loaded], timeout=10_000):
        page.show()
    assert page.snapshot is not None and page.snapshot is not ahead
    assert page.snapshot.now > old


def test_the_filter_lists_follow_units_renamed_meanwhile_and_keep_the_choice(
    qtbot, desk: Desk, runner: TaskRunner, make_case
) -> None:
    dispatched(desk, make_case)
    page = open_page(qtbot, desk, runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_filter(BoardFilter(unit=LEAD))
    court = page.unit.findData(CITY)
    assert court > 0 and page.unit.itemText(court) == "景洪市人民法院"
    with desk.db.write_session() as s, s.begin():  # as a sync of the reference data would
        s.execute(update(Unit).where(Unit.code == CITY).values(name="景洪市人民法院（新址）"))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.unit.itemText(page.unit.findData(CITY)) == "景洪市人民法院（新址）"
    assert page.unit.currentData() == LEAD and page.filter.unit == LEAD
    assert page.current_filter() == page.filter  # refilling the list changed no filter


def test_a_closed_window_reads_nothing_ahead_and_ignores_a_read_it_began(
    qtbot, desk: Desk, admin: Actor, runner: TaskRunner, make_case
) -> None:
    make_case()
    window = MainWindow(desk, admin, runner)
    qtbot.addWidget(window)
    errors: list[str] = []
    runner.unexpected_error.connect(lambda message, _tb: errors.append(message))
    window.show()
    qtbot.waitUntil(lambda: window.board_ahead is not None, timeout=10_000)
    make_case("相邻通行纠纷")  # drops it; read again in a while …
    qtbot.waitUntil(lambda: window.board_ahead is None, timeout=10_000)
    window.close()  # … but not after closing
    assert not window._board_ahead_timer.isActive()
    window._read_board_ahead()
    runner.wait()
    QApplication.processEvents()
    assert window.board_ahead is None and errors == []
