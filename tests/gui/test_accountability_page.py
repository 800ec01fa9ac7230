"""The 单位考评 page over the June desk of tests/unit/test_accountability.py: the period
picker reads again, a unit's records show under the table, the PDF opens in a preview."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPageLayout

from desk_app.services.roles import Actor
from desk_app.views.accountability_page import (
    SERIOUS_BACKGROUND,
    SORT_ROLE,
    AccountabilityPage,
    FiguresModel,
    LandscapePreview,
    RecordsModel,
)
from desk_app.views.main_window import MainWindow
from desk_app.views.sync_status import RED
from tests.conftest import actor_of
from tests.unit.test_accountability import CO, LEAD, NAMES, NOW, OTHER, build_desk


@pytest.fixture
def built(desk):
    return build_desk(desk)


def _page(qtbot, desk, actor: Actor, runner) -> AccountabilityPage:
    page = AccountabilityPage(desk, actor, runner, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1400, 760)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()  # read when first shown
    return page


def _units(page: AccountabilityPage) -> list[str]:
    """The unit codes in the order the table shows them."""
    return [
        page.proxy.data(page.proxy.index(r, FiguresModel.UNIT), Qt.ItemDataRole.UserRole)
        for r in range(page.proxy.rowCount())
    ]


def _cells(page: AccountabilityPage, unit: str) -> list[str]:
    row = next(i for i, f in enumerate(page.model.rows) if f.unit_code == unit)
    return [page.model.data(page.model.index(row, c)) for c in range(page.model.columnCount())]


def test_the_period_picker_reads_the_figures_again(qtbot, qtmodeltester, desk, built, runner):
    page = _page(qtbot, desk, actor_of(desk, "admin"), runner)
    qtmodeltester.check(page.model)
    # This year by default (the page's clock says 1 July 2026): the dates follow, fixed.
    assert page.choice.currentData() == "this_year"
    assert (page.first_edit.date(), page.last_edit.date()) == (
        QDate(2026, 1, 1), QDate(2026, 12, 31),
    )  # fmt: skip
    assert not page.first_edit.isEnabled() and not page.last_edit.isEnabled()
    assert _units(page) == [OTHER, LEAD, CO]
    # 序号, 单位, 交办 (E in May too), 在办, 超期, 退单, 超时签收, 反馈, 平均, ladder (the
    # urging of 1 July too), 缺席.
    assert _cells(page, LEAD) == [
        "2", NAMES[LEAD], "4", "3", "1", "1", "1", "2", "10.5", "2", "1", "1", "0", "0", "0",
    ]  # fmt: skip

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_choice("last_year")
    assert (page.first_edit.date(), page.last_edit.date()) == (
        QDate(2025, 1, 1), QDate(2025, 12, 31),
    )  # fmt: skip
    # Nothing happened in 2025: the units holding open cases now are still listed.
    assert _units(page) == [OTHER, LEAD]
    assert _cells(page, LEAD)[2:5] == ["0", "3", "1"]

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_period(date(2026, 6, 1), date(2026, 6, 30))
    assert page.choice.currentData() == "custom" and page.first_edit.isEnabled()
    assert _cells(page, LEAD)[2] == "3"  # E's May dispatch is outside June
    assert page.report is not None and page.report.period == "2026年6月1日至2026年6月30日"

    # Typing a date reads again once the typing stops.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.first_edit.setDate(QDate(2026, 6, 9))
    assert _cells(page, LEAD)[2] == "0"  # A, B and C were dispatched on 8 June
    # The wrong way round: said next to the dates, nothing read, no PDF of it.
    page.first_edit.setDate(QDate(2026, 7, 9))
    qtbot.waitUntil(lambda: page.period_error.text() != "", timeout=5_000)
    assert "结束日期不能早于开始日期" in page.period_error.text()
    assert not page.export_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_choice("this_month")
    assert page.period_error.text() == "" and page.export_button.isEnabled()
    assert (page.first_edit.date(), page.last_edit.date()) == (
        QDate(2026, 7, 1),
        QDate(2026, 7, 31),
    )


def test_rows_are_marked_aligned_and_sortable(qtbot, desk, built, runner):
    page = _page(qtbot, desk, actor_of(desk, "admin"), runner)
    model = page.model

    def data(unit: str, column: int, role: int):
        row = next(i for i, f in enumerate(model.rows) if f.unit_code == unit)
        return model.data(model.index(row, column), role)

    # Units with 挂牌督办, 通报 or 约谈 are shaded; overdue counts and those rungs are red.
    assert data(OTHER, FiguresModel.UNIT, Qt.ItemDataRole.BackgroundRole).color() == QColor(
        SERIOUS_BACKGROUND
    )
    assert data(CO, FiguresModel.UNIT, Qt.ItemDataRole.BackgroundRole) is None
    assert data(LEAD, FiguresModel.OVERDUE, Qt.ItemDataRole.ForegroundRole).color() == QColor(RED)
    assert data(LEAD, FiguresModel.LISTED, Qt.ItemDataRole.ForegroundRole).color() == QColor(RED)
    assert data(LEAD, FiguresModel.NOTICE, Qt.ItemDataRole.ForegroundRole) is None
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert data(LEAD, FiguresModel.DISPATCHED, Qt.ItemDataRole.TextAlignmentRole) == right
    assert data(LEAD, FiguresModel.UNIT, Qt.ItemDataRole.TextAlignmentRole) is None
    assert data(CO, FiguresModel.AVG, SORT_ROLE) == -1.0  # no average sorts below any

    page.table.sortByColumn(FiguresModel.DISPATCHED, Qt.SortOrder.DescendingOrder)
    assert _units(page) == [LEAD, OTHER, CO]
    page.table.sortByColumn(FiguresModel.UNIT, Qt.SortOrder.AscendingOrder)
    assert set(_units(page)) == {LEAD, OTHER, CO}
    page.table.sortByColumn(FiguresModel.RANK, Qt.SortOrder.AscendingOrder)
    assert _units(page) == [OTHER, LEAD, CO]  # the default order again


def test_selecting_a_unit_shows_its_records(qtbot, qtmodeltester, desk, built, runner):
    page = _page(qtbot, desk, actor_of(desk, "admin"), runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_period(date(2026, 6, 1), date(2026, 6, 30))
    assert page.records.rowCount() == 0
    with qtbot.waitSignal(page.records_loaded, timeout=10_000):
        page.select_unit(LEAD)
    qtmodeltester.check(page.records)
    records = page.records

    def cell(row: int, column: int) -> str:
        return records.data(records.index(row, column))

    assert [cell(r, RecordsModel.KIND) for r in range(records.rowCount())] == [
        "退单", "催办", "挂牌督办", "督办",
    ]  # fmt: skip
    assert cell(0, RecordsModel.CASE_NO) == built.case_nos["C"]
    assert cell(0, RecordsModel.DATE) == "2026-06-09 10:00"
    assert cell(2, RecordsModel.MESSAGE) == "挂牌督办：超期未办结"
    assert cell(2, RecordsModel.RESPONSE) == "已组织调解，正在整改（2026-06-17）"
    assert cell(2, RecordsModel.BY) == "管理员甲"
    assert cell(0, RecordsModel.RESPONSE) == ""  # a return has no response to wait for
    kind = records.index(2, RecordsModel.KIND)
    assert records.data(kind, Qt.ItemDataRole.ForegroundRole).color() == QColor(RED)
    assert NAMES[LEAD] in page.records_title.text()

    # Another unit; reading the period again keeps the selection and its records.
    with qtbot.waitSignal(page.records_loaded, timeout=10_000):
        page.select_unit(CO)
    assert [cell(r, RecordsModel.KIND) for r in range(records.rowCount())] == ["联合调解缺席"]
    assert cell(0, RecordsModel.MESSAGE) == "另有公务"
    with qtbot.waitSignals([page.loaded, page.records_loaded], timeout=10_000):
        page.refresh()
    assert page.selected_unit() == CO and records.rowCount() == 1

    # Opening a record asks for its case.
    with qtbot.waitSignal(page.case_requested, timeout=5_000) as opened:
        page.records_table.activated.emit(records.index(0, RecordsModel.CASE_NO))
    assert opened.args == [built.cases["B"]]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run ./dev setup (poppler-utils)", pytrace=False)
    return path


def test_export_opens_the_preview_with_the_pdf(qtbot, desk, built, runner, tmp_path):
    page = _page(qtbot, desk, actor_of(desk, "admin"), runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_period(date(2026, 6, 1), date(2026, 6, 30))
    with qtbot.waitSignal(page.preview_opened, timeout=5_000) as opened:
        page.export_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, LandscapePreview) and dialog.isVisible()
    with qtbot.waitSignal(dialog.ready, timeout=30_000):
        pass
    assert dialog.pdf is not None and dialog.pdf.startswith(b"%PDF")
    assert dialog.document.pageCount() == 1
    assert dialog.make_printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert dialog.file_name == "责任单位考评情况统计表_20260601-20260630"
    pdf = tmp_path / "shown.pdf"
    pdf.write_bytes(dialog.pdf)
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "责任单位考评情况统计表" in text.replace(" ", "")
    assert "统计期间：2026年6月1日至2026年6月30日" in text.replace(" ", "")
    assert NAMES[LEAD] in text
    dialog.close()


def test_a_clerk_is_told_the_figures_are_not_for_them(qtbot, desk, built, runner):
    page = AccountabilityPage(desk, actor_of(desk, "clerk1"), runner, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: "无权" in page.summary.text(), timeout=10_000)
    assert page.model.rowCount() == 0 and not page.export_button.isEnabled()


def test_the_area_in_the_main_window_opens_a_record_case(qtbot, desk, built, runner):
    window = MainWindow(desk, actor_of(desk, "admin"), runner)
    qtbot.addWidget(window)
    window.show()
    window.show_area("accountability")
    page = window.accountability_page
    assert window.pages.currentWidget() is page and page.objectName() == "page_accountability"
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.set_period(date(2026, 6, 1), date(2026, 6, 30))
    with qtbot.waitSignal(page.records_loaded, timeout=10_000):
        page.select_unit(OTHER)
    page.records_table.activated.emit(page.records.index(0, RecordsModel.CASE_NO))
    assert window.pages.currentWidget() is window.search_page
    window._status_timer.stop()
    window._poll.stop()
    qtbot.waitUntil(lambda: runner.running == 0, timeout=10_000)
