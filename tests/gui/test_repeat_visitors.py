"""The repeat-visitor panel: earlier cases while typing, one click to open, the mark saved
with the case and shown as links on both cases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyleOptionViewItem
from sqlalchemy import select

from desk_app.models import Case
from desk_app.services.cases import CaseInput, CaseRef, PartyInput, register_case
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor
from desk_app.views.case_detail import CaseDetailView
from desk_app.views.intake import IntakeForm
from desk_app.views.intake.repeats import RepeatPanel
from desk_app.views.main_window import MainWindow
from desk_app.workers.tasks import TaskRunner
from tests.gui.conftest import type_text
from tests.gui.test_intake_form import open_form

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"
)

ID_YU = "11010519491231002X"
VILLAGE = "532801103201"  # 勐龙镇 景龙村


def earlier_case(
    desk: Desk, clerk: Actor, *, name: str = "玉香", id_number: str = ID_YU, phone: str = ""
) -> CaseRef:
    return register_case(
        desk,
        clerk,
        CaseInput(
            title="宅基地边界争议",
            dispute_type_code="03",
            division_code=VILLAGE,
            parties=(
                PartyInput(name=name, id_number=id_number, phone=phone or "13800138000"),
                PartyInput(name="岩温", role="respondent"),
            ),
        ),
    )


def wait_results(qtbot, panel: RepeatPanel, n: int) -> None:
    qtbot.waitUntil(lambda: panel.model.rowCount() == n and panel.list.isVisible(), timeout=10_000)


def row_point(panel: RepeatPanel, row: int, *, button: bool) -> QPoint:
    """Where to click on an entry: its body, or its mark button."""
    index = panel.model.index(row)
    rect = panel.list.visualRect(index)
    if not button:
        return QPoint(rect.left() + 20, rect.top() + 10)
    opt = QStyleOptionViewItem()
    opt.initFrom(panel.list)
    opt.rect = rect
    marked = bool(index.data(panel.model.MarkedRole))
    return panel.delegate.button_rect(opt, marked).center()


def test_the_panel_lists_an_earlier_case_while_the_id_number_is_typed(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    earlier = earlier_case(desk, clerk)
    form = open_form(qtbot, desk, clerk, runner)
    panel = form.repeat_panel
    assert panel.isVisible() and not panel.list.isVisible()
    assert "证件号码" in panel.status.text()  # says what will appear
    qtbot.keyClicks(form.editors[0].id_number, ID_YU.lower())
    wait_results(qtbot, panel, 1)
    row = panel.model.row_at(0)
    assert row.id == earlier.id and row.case_no == earlier.case_no
    assert row.kinds == ("id_number",)
    assert "1 件" in panel.status.text()
    tooltip = panel.model.data(panel.model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert earlier.case_no in tooltip and "证件号码" in tooltip and "玉香" in tooltip
    # Clearing the number: nothing left to look up.
    form.editors[0].id_number.clear()
    qtbot.waitUntil(lambda: not panel.list.isVisible(), timeout=10_000)


def test_a_name_typed_in_chinese_matches_in_the_village_and_a_phone_anywhere(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    by_name = earlier_case(desk, clerk, name="岩温香", id_number="", phone="13800138001")
    by_phone = earlier_case(desk, clerk, name="玉罕", id_number="", phone="13900139000")
    form = open_form(qtbot, desk, clerk, runner)
    panel = form.repeat_panel
    applicant = form.editors[0]
    type_text(applicant.name, "岩温香")
    type_text(form.town, "勐龙镇")
    type_text(form.village, "景龙村")
    wait_results(qtbot, panel, 1)
    assert panel.model.row_at(0).id == by_name.id
    assert panel.model.row_at(0).kinds == ("name",)
    qtbot.keyClicks(applicant.phone, "139 0013 9000")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    assert [r.id for r in panel.model.rows()] == [by_phone.id, by_name.id]  # phone before name


def test_an_answer_for_text_typed_over_is_dropped(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    earlier_case(desk, clerk, phone="13800138000")
    other = earlier_case(desk, clerk, name="玉罕", id_number="", phone="13900139000")
    form = open_form(qtbot, desk, clerk, runner)
    panel = form.repeat_panel
    shown: list[list] = []
    panel.results_shown.connect(lambda _n: shown.append(panel.model.rows()))
    phone = form.editors[0].phone
    phone.setText("13800138000")
    form.lookup_repeats()  # asked at once; the answer comes back through the event loop …
    phone.setText("13900139000")  # … after the clerk has typed on
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    runner.wait()
    qtbot.wait(0)  # deliver anything still queued
    assert [[r.id for r in rows] for rows in shown] == [[other.id]]


def test_typing_never_waits_for_the_lookup(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    """Each keystroke only restarts the timer: no lookup runs until typing pauses."""
    earlier_case(desk, clerk)
    form = open_form(qtbot, desk, clerk, runner)
    started: list[int] = []
    original = runner.run

    def counting(fn, *args, **kwargs):
        started.append(1)
        return original(fn, *args, **kwargs)

    runner.run = counting  # type: ignore[method-assign]
    try:
        qtbot.keyClicks(form.editors[0].id_number, ID_YU)
        assert started == []  # typed 18 characters: nothing ran yet
        qtbot.waitSignal(form.repeat_panel.results_shown, timeout=10_000).wait()
        assert len(started) == 1  # one lookup after the pause
    finally:
        runner.run = original  # type: ignore[method-assign]


def fill_required(qtbot, form: IntakeForm) -> None:
    applicant, respondent = form.editors
    type_text(applicant.name, "玉香")
    qtbot.keyClicks(applicant.phone, "13800138000")
    type_text(respondent.name, "岩温")
    type_text(form.title, "宅基地边界争议再次来访")
    type_text(form.dispute_type, "房屋宅基地纠纷")
    type_text(form.town, "勐龙镇")
    type_text(form.village, "景龙村")


def test_one_click_opens_the_earlier_case_and_the_mark_links_both_cases(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    earlier = earlier_case(desk, clerk)
    window = MainWindow(desk, clerk, runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    form = window.intake_form
    qtbot.waitUntil(lambda: form.reference is not None, timeout=10_000)
    panel = form.repeat_panel
    qtbot.keyClicks(form.editors[0].id_number, ID_YU)
    wait_results(qtbot, panel, 1)

    # One click on the entry opens the earlier case in case lookup.
    qtbot.mouseClick(
        panel.list.viewport(), Qt.MouseButton.LeftButton, pos=row_point(panel, 0, button=False)
    )
    detail = window.search_page.detail
    qtbot.waitUntil(
        lambda: detail.detail is not None and detail.detail.id == earlier.id, timeout=10_000
    )
    assert window.pages.currentWidget() is window.search_page
    assert detail.case_no_label.text() == earlier.case_no

    # Back on the form, the entry's button marks this visit as a repeat of it.
    window.show_area("intake")
    qtbot.mouseClick(
        panel.list.viewport(), Qt.MouseButton.LeftButton, pos=row_point(panel, 0, button=True)
    )
    assert form.repeat_of_id == earlier.id
    assert panel.mark_box.isVisible() and earlier.case_no in panel.marked_label.text()
    fill_required(qtbot, form)
    with qtbot.waitSignal(form.case_registered, timeout=10_000) as signal:
        form.save()
    ref = signal.args[0]
    assert form.repeat_of_id is None and not panel.mark_box.isVisible()  # fresh form
    with desk.db.read() as s:
        saved = s.scalars(select(Case).where(Case.id == ref.id)).one()
        assert saved.repeat_of_id == earlier.id

    # Both cases show the link; each link opens the other case.
    window.open_case(ref.id)
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.id == ref.id)
    banner = detail.repeat_banner
    assert banner.isVisible()
    assert "重复来访，前案" in banner.text() and earlier.case_no in banner.text()
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        banner.linkActivated.emit(str(earlier.id))
    assert detail.detail is not None and detail.detail.id == earlier.id
    assert "后续重复来访" in banner.text() and ref.case_no in banner.text()
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        banner.linkActivated.emit(str(ref.id))
    assert detail.case_no_label.text() == ref.case_no


def test_enter_opens_and_space_marks_from_the_keyboard(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    earlier = earlier_case(desk, clerk)
    form = open_form(qtbot, desk, clerk, runner)
    panel = form.repeat_panel
    opened: list = []
    form.open_case_requested.connect(opened.append)
    qtbot.keyClicks(form.editors[0].id_number, ID_YU)
    wait_results(qtbot, panel, 1)
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.list, Qt.Key.Key_Space)
    assert form.repeat_of_id == earlier.id
    qtbot.keyClick(panel.list, Qt.Key.Key_Space)  # again: the mark is taken back
    assert form.repeat_of_id is None
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened == [earlier.id]
    # The mark can also be taken back with the button under the list.
    qtbot.keyClick(panel.list, Qt.Key.Key_Space)
    assert panel.unmark_button.isVisible()
    qtbot.mouseClick(panel.unmark_button, Qt.MouseButton.LeftButton)
    assert form.repeat_of_id is None and not panel.mark_box.isVisible()


def test_a_refused_mark_is_said_beside_the_panel(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    from desk_app.services import cases

    earlier = earlier_case(desk, clerk)
    form = open_form(qtbot, desk, clerk, runner)
    qtbot.keyClicks(form.editors[0].id_number, ID_YU)
    wait_results(qtbot, form.repeat_panel, 1)
    form.set_repeat_of(earlier.id, earlier.case_no)
    cases.void_case(desk, clerk, earlier.id, "登记错误")  # voided meanwhile, at another window
    fill_required(qtbot, form)
    with qtbot.waitSignal(form.errors_shown, timeout=10_000) as signal:
        form.save()
    assert set(signal.args[0]) == {"repeat_of_id"}
    error = form.repeat_panel.error
    assert error.isVisible() and "已作废" in error.text() and earlier.case_no in error.text()


def test_a_correction_shows_the_mark_and_leaves_the_case_itself_out(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    from desk_app.views.intake import CorrectionDialog

    first = earlier_case(desk, clerk)
    second = register_case(
        desk,
        clerk,
        CaseInput(
            title="再次来访",
            dispute_type_code="03",
            division_code=VILLAGE,
            repeat_of_id=first.id,
            parties=(PartyInput(name="玉香", id_number=ID_YU, phone="13800138000"),),
        ),
    )
    dialog = CorrectionDialog(desk, clerk, runner, second.id)
    qtbot.addWidget(dialog)
    dialog.resize(1300, 720)  # as on a 1366x768 screen (the offscreen one is smaller)
    dialog.show()
    form = dialog.form
    qtbot.waitSignal(form.correction_loaded, timeout=10_000).wait()
    panel = form.repeat_panel
    assert form.repeat_of_id == first.id
    qtbot.waitUntil(lambda: first.case_no in panel.marked_label.text(), timeout=10_000)
    wait_results(qtbot, panel, 1)
    assert [r.id for r in panel.model.rows()] == [first.id]  # not the case itself
    assert not panel.can_open  # the dialog is modal: marking only


def test_detail_view_says_when_the_earlier_case_is_not_on_this_desk(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    import uuid

    ref = earlier_case(desk, clerk)
    with desk.uow(clerk) as uow:
        row = uow.session.get(Case, ref.id)
        assert row is not None
        row.repeat_of_id = uuid.uuid4()
    view = CaseDetailView(desk, runner, clerk)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_case(ref.id)
    assert view.repeat_banner.isVisible()
    assert "不在本窗口" in view.repeat_banner.text() and "<a " not in view.repeat_banner.text()


def test_a_narrow_window_folds_the_panel_behind_a_button(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    earlier_case(desk, clerk)
    form = open_form(qtbot, desk, clerk, runner)
    panel, button = form.repeat_panel, form.repeats_button
    assert panel.isVisible() and not button.isVisible()  # 1180 pixels: side by side
    form.resize(820, 700)  # the form in a 1024-pixel window
    qtbot.waitUntil(lambda: not panel.isVisible() and button.isVisible())
    assert button.text() == "以往来访"
    qtbot.keyClicks(form.editors[0].id_number, ID_YU)
    qtbot.waitUntil(lambda: button.text() == "以往来访（1）", timeout=10_000)
    assert button.font().bold()
    button.click()
    assert panel.isVisible() and panel.model.rowCount() == 1
    button.click()
    assert not panel.isVisible()
    form.resize(1180, 700)
    qtbot.waitUntil(lambda: panel.isVisible() and not button.isVisible())
