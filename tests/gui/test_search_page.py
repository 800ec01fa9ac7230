"""案件查询 page: typing a query, the results, the open case and its buttons."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import QApplication

from desk_app.models import Attachment
from desk_app.services import cases, numbering, search
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor
from desk_app.views import case_detail
from desk_app.views.case_detail import EventsModel, PartiesModel
from desk_app.views.search_page import CaseResultsModel, SearchPage
from desk_app.workers.tasks import TaskRunner
from tests.gui.conftest import type_text


@pytest.fixture
def page(qtbot, desk: Desk, clerk: Actor, runner: TaskRunner) -> SearchPage:
    widget = SearchPage(desk, clerk, runner)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def double_click(qtbot, widget, pos) -> None:
    """A real double click: QTest's mouseDClick sends only the second half (no first press)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def press_enter_in_query(qtbot, page: SearchPage) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        qtbot.keyClick(page.query, Qt.Key.Key_Return)


def test_case_number_typed_and_entered_finds_and_opens_the_case(qtbot, page, make_case) -> None:
    make_case("第一件")
    second = make_case("第二件")
    qtbot.keyClicks(page.query, "d03-00002")
    with qtbot.waitSignal(page.detail.loaded, timeout=5000) as loaded:  # one result opens
        press_enter_in_query(qtbot, page)
    model = page.model
    assert model.rowCount() == 1
    assert model.row_at(0).id == second.id
    assert cell(model, 0, CaseResultsModel.CASE_NO) == second.case_no
    assert cell(model, 0, CaseResultsModel.MATCHED) == "案件编号"
    assert cell(model, 0, CaseResultsModel.TITLE) == "第二件"
    assert loaded.args[0].id == second.id
    assert page.detail.case_no_label.text() == second.case_no


def test_name_typed_in_chinese_lists_matches_newest_first(qtbot, page, make_case) -> None:
    older = make_case("较早")
    newer = make_case("较晚")
    type_text(page.query, "玉香")
    assert page.query.text() == "玉香"
    press_enter_in_query(qtbot, page)
    model = page.model
    assert [model.row_at(r).id for r in range(model.rowCount())] == [newer.id, older.id]
    assert cell(model, 0, CaseResultsModel.MATCHED) == "姓名 玉香"
    assert cell(model, 0, CaseResultsModel.APPLICANT) == "玉香"
    assert cell(model, 0, CaseResultsModel.PLACE) == "勐龙镇 景龙村"
    assert cell(model, 0, CaseResultsModel.TYPE) == "房屋宅基地纠纷"
    received = cell(model, 0, CaseResultsModel.RECEIVED)
    local = model.row_at(0).received_at.astimezone(numbering.SHANGHAI)
    assert received == local.strftime("%Y-%m-%d %H:%M")
    assert cell(model, 0, CaseResultsModel.CASE_NO, Qt.ItemDataRole.UserRole) == newer.id
    assert page.detail.detail is None  # two results: nothing opens by itself


def test_id_number_with_lower_case_x_shows_it_masked(qtbot, page, make_case) -> None:
    ref = make_case()
    qtbot.keyClicks(page.query, "11010519491231002x")
    press_enter_in_query(qtbot, page)
    assert page.model.row_at(0).id == ref.id
    assert cell(page.model, 0, CaseResultsModel.MATCHED) == "身份证 110105********002X"


def test_enter_on_a_row_opens_the_detail_with_masked_ids_and_history(
    qtbot, page, make_case
) -> None:
    first = make_case("第一件")
    make_case("第二件")
    page.search("玉香")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    row = page.model.row_of(first.id)
    page.results.setFocus()
    page.results.setCurrentIndex(page.model.index(row, 0))
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        qtbot.keyClick(page.results, Qt.Key.Key_Return)
    detail = page.detail
    assert detail.detail is not None and detail.detail.id == first.id
    parties = detail.parties_view.model()
    assert parties is detail.parties_model
    assert parties.rowCount() == 2
    assert cell(parties, 0, PartiesModel.NAME) == "玉香"
    assert cell(parties, 0, PartiesModel.ID_NUMBER) == "110105********002X"
    tooltip = cell(parties, 0, PartiesModel.ID_NUMBER, Qt.ItemDataRole.ToolTipRole)
    assert "11010519491231002X" in tooltip
    events = detail.events_view.model()
    kinds = [cell(events, r, 0, Qt.ItemDataRole.UserRole) for r in range(events.rowCount())]
    assert kinds == ["registered"]
    assert cell(events, 0, EventsModel.SUMMARY) == f"登记受理 {first.case_no}"
    assert cell(events, 0, EventsModel.ACTOR) == "岩温"  # clerk1's name
    assert detail.facts.toPlainText() == "双方因宅基地边界发生争议。"
    assert detail.correct_button.isEnabled() and detail.void_button.isEnabled()


def test_double_click_on_a_row_opens_the_detail(qtbot, page, make_case) -> None:
    make_case("第一件")
    second = make_case("第二件")
    page.search("玉香")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    index = page.model.index(page.model.row_of(second.id), CaseResultsModel.TITLE)
    center = page.results.visualRect(index).center()
    with qtbot.waitSignal(page.detail.loaded, timeout=5000) as loaded:
        double_click(qtbot, page.results.viewport(), center)
    assert loaded.args[0].id == second.id


def test_correct_and_void_buttons_emit_the_case_id(qtbot, page, make_case) -> None:
    ref = make_case()
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        page.open_case(ref.id)
    with qtbot.waitSignal(page.correct_requested) as asked:
        qtbot.mouseClick(page.detail.correct_button, Qt.MouseButton.LeftButton)
    assert asked.args == [ref.id]
    with qtbot.waitSignal(page.void_requested) as asked:
        qtbot.mouseClick(page.detail.void_button, Qt.MouseButton.LeftButton)
    assert asked.args == [ref.id]


def test_a_voided_case_is_greyed_marked_and_cannot_be_changed(
    qtbot, page, desk: Desk, admin: Actor, make_case
) -> None:
    kept = make_case("保留")
    voided = make_case("作废")
    cases.void_case(desk, admin, voided.id, "重复登记")
    page.search("玉香")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    model = page.model
    v, k = model.row_of(voided.id), model.row_of(kept.id)
    assert cell(model, v, CaseResultsModel.STATUS) != cell(model, k, CaseResultsModel.STATUS)
    assert cell(model, v, CaseResultsModel.STATUS).startswith("待研判")
    assert cell(model, v, CaseResultsModel.TITLE, Qt.ItemDataRole.ForegroundRole) is not None
    assert cell(model, k, CaseResultsModel.TITLE, Qt.ItemDataRole.ForegroundRole) is None
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        page.open_case(voided.id)
    assert not page.detail.correct_button.isEnabled()
    assert not page.detail.void_button.isEnabled()
    assert (
        page.detail.void_banner.isVisibleTo(page) and "重复登记" in page.detail.void_banner.text()
    )
    kinds = [
        cell(page.detail.events_model, r, 0, Qt.ItemDataRole.UserRole)
        for r in range(page.detail.events_model.rowCount())
    ]
    assert kinds == ["registered", "voided"]
    # Reopening a live case enables them again.
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        page.open_case(kept.id)
    assert page.detail.correct_button.isEnabled()


def test_reload_shows_a_correction(qtbot, page, desk: Desk, clerk: Actor, make_case) -> None:
    ref = make_case("原标题")
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        page.open_case(ref.id)
    data = cases.load_input(desk.db, ref.id)
    cases.correct_case(desk, clerk, ref.id, replace(data, title="更正后的标题"), "标题写错")
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        page.detail.reload()
    assert page.detail.title_label.text() == "更正后的标题"
    assert page.detail.events_model.rowCount() == 2


def test_only_the_latest_search_is_shown(qtbot, page, runner, make_case) -> None:
    make_case("第一件")
    second = make_case("第二件")
    shown: list[int] = []
    page.results_shown.connect(shown.append)
    page.search("玉香")  # two results, overtaken by the next search
    page.search("D03-00002")
    qtbot.waitUntil(lambda: runner.running == 0, timeout=5000)
    QApplication.processEvents()
    assert shown == [1]
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [second.id]


def test_typing_again_drops_the_answer_on_its_way(qtbot, page, runner, make_case) -> None:
    make_case()
    shown: list[int] = []
    page.results_shown.connect(shown.append)
    page.search("玉香")
    type_text(page.query, "应")  # the user goes on typing before the answer comes
    qtbot.waitUntil(lambda: runner.running == 0, timeout=5000)
    QApplication.processEvents()
    assert shown == []
    assert page.model.rowCount() == 0
    assert page.query.text() == "玉香应"


def test_escape_clears_the_query(qtbot, page) -> None:
    qtbot.keyClicks(page.query, "D03-00001")
    qtbot.keyClick(page.query, Qt.Key.Key_Escape)
    assert page.query.text() == ""


def test_nothing_found_says_so(qtbot, page, make_case) -> None:
    make_case()
    with qtbot.waitSignal(page.results_shown, timeout=5000) as shown:
        page.search("王小二")
    assert shown.args == [0]
    assert page.model.rowCount() == 0
    assert page.status.text()


def test_an_unknown_case_shows_the_error_in_place(qtbot, page) -> None:
    page.open_case(uuid.uuid4())
    qtbot.waitUntil(
        lambda: (
            page.detail.stack.currentWidget() is page.detail.message
            and "找不到该案件" in page.detail.message.text()
        ),
        timeout=5000,
    )
    assert page.detail.detail is None


def test_double_click_on_an_attachment_opens_a_named_copy(
    qtbot, page, desk: Desk, clerk: Actor, make_case, tmp_path: Path, monkeypatch
) -> None:
    ref = make_case()
    content = b"\x89PNG\r\n\x1a\n fake photo"
    sha = hashlib.sha256(content).hexdigest()
    stored = desk.dirs.attachments / sha[:2] / sha
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    with desk.uow(clerk) as uow:
        uow.add(
            Attachment(
                case_id=ref.id,
                sha256=sha,
                filename="现场照片1.png",
                mime_type="image/png",
                size=len(content),
                category="photo",
            )
        )
    opened: list[QUrl] = []

    class Services:
        @staticmethod
        def openUrl(url: QUrl) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(case_detail, "QDesktopServices", Services)
    monkeypatch.setattr(case_detail, "VIEWER_FOLDER", tmp_path / "viewer")
    with qtbot.waitSignal(page.detail.loaded, timeout=5000):
        page.open_case(ref.id)
    view = page.detail.attachments_view
    page.detail.tabs.setCurrentWidget(view)
    index = page.detail.attachments_model.index(0, 0)
    assert "现场照片1.png" in page.detail.attachments_model.data(index)
    double_click(qtbot, view.viewport(), view.visualRect(index).center())
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    path = Path(opened[0].toLocalFile())
    assert path.name == "现场照片1.png"
    assert path.read_bytes() == content


# --- the models, by Qt's model tester ------------------------------------------------------


def test_results_model_passes_the_model_tester(qtmodeltester, desk: Desk, make_case) -> None:
    make_case("第一件")
    make_case("第二件")
    model = CaseResultsModel()
    model.set_rows(search.lookup(desk.db, "玉香"))
    assert model.rowCount() == 2
    qtmodeltester.check(model)
    assert model.data(QModelIndex()) is None


def test_detail_models_pass_the_model_tester(qtmodeltester, desk: Desk, make_case) -> None:
    ref = make_case()
    detail = search.case_detail(desk.db, desk.dirs.attachments, ref.id)
    parties = PartiesModel()
    parties.set_rows(detail.parties)
    qtmodeltester.check(parties)
    events = EventsModel()
    events.set_rows(detail.events)
    qtmodeltester.check(events)
