"""The intake form: registering by typing (IME and keyboard only), errors beside fields,
corrections with history, voiding, and shortcuts that wait for the input method."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from sqlalchemy import func, select

from desk_app.models import Attachment, Case, CaseEvent, Outbox, Party
from desk_app.services import identity
from desk_app.services.desk import Desk
from desk_app.services.reference import load_intake_reference
from desk_app.services.roles import Actor
from desk_app.views.intake import CorrectionDialog, IntakeForm, VoidDialog
from desk_app.views.intake.form import AttachmentListModel
from desk_app.workers.tasks import TaskRunner
from tests.gui.conftest import type_text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Typing into a searchable combo opens its completer popup; the offscreen platform then
# says it cannot raise the popup or grab the keyboard. Those notices are its own, not ours.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"
)


def resident_id(first17: str = "53280119900315123") -> str:
    """A valid resident ID (景洪市, born 1990-03-15, sequence 123: male)."""
    return first17 + identity.id_check_char(first17)


def credit_code(first17: str = "91532801MA6N12345") -> str:
    return first17 + identity.uscc_check_char(first17)


def case_count(desk: Desk) -> int:
    with desk.db.read() as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


def open_form(qtbot, desk: Desk, actor: Actor, runner: TaskRunner) -> IntakeForm:
    """A shown, active form whose reference lists have arrived."""
    form = IntakeForm(desk, actor, runner)
    qtbot.addWidget(form)
    form.resize(1180, 700)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.waitUntil(lambda: form.reference is not None, timeout=10_000)
    return form


# --- registering -------------------------------------------------------------------------------


def test_typed_form_registers_the_case_with_its_parties(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner, tmp_path: Path
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    assert [e.role_code() for e in form.editors] == ["applicant", "respondent"]
    applicant, respondent = form.editors
    type_text(applicant.name, "玉香")
    qtbot.keyClicks(applicant.id_number, "11010519491231002x")  # lower-case x is accepted
    assert applicant.birth_date.text() == "1949-12-31"  # filled live from the ID
    assert applicant.gender.currentData() == "female"
    assert applicant.age.text()
    qtbot.keyClicks(applicant.phone, "138 0013 8000")
    type_text(applicant.ethnicity, "傣族")
    type_text(applicant.address, "景洪市嘎洒街道曼景罕村")
    respondent.kind.setCurrentIndex(respondent.kind.findData("organisation"))
    assert respondent.org_code.isVisibleTo(form) and not respondent.id_number.isVisibleTo(form)
    type_text(respondent.name, "景洪市某物业服务有限公司")
    qtbot.keyClicks(respondent.org_code, credit_code())
    type_text(respondent.legal_representative, "岩罕")
    qtbot.keyClicks(respondent.phone, "0691-2123456")

    type_text(form.title, "物业费争议")
    type_text(form.dispute_type, "物业纠纷")
    type_text(form.dispute_subtype, "物业费")
    type_text(form.town, "嘎洒街道")
    type_text(form.village, "曼占宰社区")
    type_text(form.place_detail, "曼占宰小区3栋")
    type_text(form.facts, "申请人认为物业费收费过高。")
    type_text(form.claims, "请求核减物业费。")
    photo = tmp_path / "收据.png"
    photo.write_bytes(PNG)
    assert form.add_files([photo]) == []

    with qtbot.waitSignal(form.case_registered, timeout=10_000) as signal:
        form.save_button.click()
    ref = signal.args[0]
    assert ref.case_no in form.result_label.text() and form.result_label.isVisible()
    # The form is fresh for the next visitor.
    assert form.title.text() == "" and [e.name.text() for e in form.editors] == ["", ""]
    assert form.attachments.rowCount() == 0 and not form.is_dirty()

    ref_lists = load_intake_reference(desk.db)
    gasa = next(t for t in ref_lists.towns if t.short_name == "嘎洒街道")
    village = next(v for v in gasa.villages if v.short_name == "曼占宰社区")
    with desk.db.read() as s:
        case = s.scalars(select(Case).where(Case.case_no == ref.case_no)).one()
        assert (case.title, case.dispute_type_code, case.dispute_subtype) == (
            "物业费争议",
            "13",
            "物业费",
        )
        assert case.division_code == village.code
        assert case.channel == "walk_in" and case.registered_by == "clerk1"
        assert case.claims == "请求核减物业费。"
        parties = s.scalars(
            select(Party).where(Party.case_id == case.id).order_by(Party.sort_order)
        ).all()
        assert [(p.role, p.kind, p.name) for p in parties] == [
            ("applicant", "person", "玉香"),
            ("respondent", "organisation", "景洪市某物业服务有限公司"),
        ]
        yu = parties[0]
        assert yu.id_type == "resident_id" and yu.id_number == "11010519491231002X"
        assert (str(yu.birth_date), yu.gender, yu.ethnicity) == ("1949-12-31", "female", "18")
        assert yu.phone == "13800138000"
        company = parties[1]
        assert (company.id_type, company.id_number) == ("uscc", credit_code())
        assert company.legal_representative == "岩罕" and company.phone == "0691-2123456"
        files = s.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
        assert [(a.filename, a.category) for a in files] == [("收据.png", "photo")]


def test_a_wrong_check_character_is_shown_beside_that_partys_id_and_nothing_is_saved(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    applicant, respondent = form.editors
    type_text(applicant.name, "玉香")
    qtbot.keyClicks(applicant.phone, "13800138000")
    type_text(respondent.name, "岩温")
    good = resident_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    qtbot.keyClicks(respondent.id_number, bad)
    type_text(form.title, "宅基地边界争议")
    form.dispute_type.setCurrentIndex(2)
    form.town.setCurrentIndex(0)
    respondent.fields.error_label("id_number").clear()  # only the service's word counts here
    before = case_count(desk)

    with qtbot.waitSignal(form.errors_shown, timeout=10_000) as signal:
        form.save()
    assert set(signal.args[0]) == {"parties.1.id_number"}
    label = respondent.fields.error_label("id_number")
    assert label.isVisibleTo(form)
    assert label.text() == "身份证号校验位不正确，请核对最后一位"
    assert not applicant.fields.error_label("id_number").isVisibleTo(form)
    assert QApplication.focusWidget() is respondent.id_number
    runner.wait()
    assert case_count(desk) == before
    assert form.title.text() == "宅基地边界争议"  # nothing lost either


def test_service_errors_land_beside_their_fields_and_focus_the_first(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    type_text(form.editors[0].name, "玉香")
    with qtbot.waitSignal(form.errors_shown, timeout=10_000) as signal:
        form.save()
    errors = signal.args[0]
    assert {"title", "dispute_type_code", "division_code", "parties.0.phone"} <= set(errors)
    assert form.fields.error_label("title").text() == "请填写事项标题"
    assert form.fields.error_label("division_code").isVisibleTo(form)
    assert form.editors[0].fields.error_label("phone").isVisibleTo(form)
    assert "parties.1.name" in errors  # the empty respondent: beside its own name
    assert form.editors[1].fields.error_label("name").isVisibleTo(form)
    # The first error in tab order (the applicant's phone) has the focus.
    assert QApplication.focusWidget() is form.editors[0].phone


# --- the keyboard alone ------------------------------------------------------------------------


class Keyboard:
    """Keys sent to whatever has the focus; `presses` counts every key that is not typed text."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.presses = 0

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            focus = QApplication.focusWidget()
            assert focus is not None, "nothing has the focus"
            self.qtbot.keyClick(focus, key, modifier)
            self.presses += 1

    def text(self, text: str) -> None:
        """Typed text (not counted): ASCII as key clicks, Chinese as an input-method commit."""
        focus = QApplication.focusWidget()
        assert focus is not None, "nothing has the focus"
        if text.isascii():
            self.qtbot.keyClicks(focus, text)
        else:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(focus, event)


def test_a_two_party_dispute_is_registered_with_the_keyboard_alone(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    assert QApplication.focusWidget() is form.first_field()
    kb = Keyboard(qtbot)
    tab = Qt.Key.Key_Tab
    alt = Qt.KeyboardModifier.AltModifier

    kb.key(Qt.Key.Key_E, alt)  # Parti&es: the first party's name
    applicant, respondent = form.editors
    assert QApplication.focusWidget() is applicant.name
    kb.text("玉香")
    kb.key(tab, times=2)  # ID type (resident ID already), ID number
    assert QApplication.focusWidget() is applicant.id_number
    kb.text(resident_id())
    assert applicant.birth_date.text() == "1990-03-15"
    kb.key(tab)
    assert QApplication.focusWidget() is applicant.phone
    kb.text("13800138000")
    # gender, born, ethnicity, occupation, address, interpreter, remove | role, kind, name
    kb.key(tab, times=10)
    assert QApplication.focusWidget() is respondent.name
    kb.text("岩温")

    kb.key(Qt.Key.Key_M, alt)  # &Matter: the title
    assert QApplication.focusWidget() is form.title
    kb.text("宅基地边界争议")
    kb.key(tab)
    assert QApplication.focusWidget() is form.dispute_type
    kb.key(Qt.Key.Key_Down, times=3)  # 01 婚姻家庭, 02 邻里, 03 房屋宅基地
    assert form.dispute_type.currentText() == "房屋宅基地纠纷"
    kb.key(tab)
    kb.key(Qt.Key.Key_Down)  # the first sub-type
    assert form.dispute_subtype.currentText() == "宅基地使用权"
    kb.key(tab)
    assert QApplication.focusWidget() is form.town
    kb.key(Qt.Key.Key_Down, times=6)  # 允景洪, 江北, 嘎洒, 嘎栋, 曼弄枫, 勐龙镇
    assert form.town.currentText() == "勐龙镇"
    kb.key(tab)
    kb.key(Qt.Key.Key_Down, times=2)
    village = form.village.currentData()
    assert village and village.startswith("532801103")
    kb.key(tab, times=2)  # place, facts
    assert QApplication.focusWidget() is form.facts
    kb.text("双方因宅基地边界发生争议。")

    with qtbot.waitSignal(form.case_registered, timeout=10_000) as signal:
        kb.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    print(f"\nkeyboard-only registration: {kb.presses} key presses besides the typed text")
    assert kb.presses < 40

    with desk.db.read() as s:
        case = s.get(Case, signal.args[0].id)
        assert case is not None
        assert (case.dispute_type_code, case.division_code) == ("03", village)
        assert [(p.role, p.name) for p in case.parties] == [
            ("applicant", "玉香"),
            ("respondent", "岩温"),
        ]
        assert case.parties[0].id_number == resident_id()
        assert case.parties[0].gender == "male"
    # Ready for the next visitor, focus back in the first field.
    assert QApplication.focusWidget() is form.first_field()


def test_add_party_shortcuts_insert_after_the_same_role_and_focus_the_name(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    kb = Keyboard(qtbot)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    kb.key(Qt.Key.Key_T, shift_ctrl)
    kb.key(Qt.Key.Key_A, shift_ctrl)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.editors[1].name)
    assert [e.role_code() for e in form.editors] == [
        "applicant",
        "applicant",
        "respondent",
        "third_party",
    ]
    assert [e.number.text() for e in form.editors] == ["1.", "2.", "3.", "4."]
    form.editors[3].remove_button.click()
    assert len(form.editors) == 3


# --- the input method ------------------------------------------------------------------------


def fill_minimal(form: IntakeForm) -> None:
    applicant, respondent = form.editors
    type_text(applicant.name, "玉香")
    applicant.phone.setText("13800138000")
    type_text(respondent.name, "岩温")
    form.dispute_type.setCurrentIndex(0)
    form.town.setCurrentIndex(0)


def test_no_shortcut_fires_while_the_input_method_composes(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner, monkeypatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Yes,
    )
    form = open_form(qtbot, desk, clerk, runner)
    fill_minimal(form)
    form.title.setFocus()
    type_text(form.title, "宅基地")
    before = case_count(desk)
    composing = QInputMethodEvent("jing", [])
    QApplication.sendEvent(form.title, composing)

    for key, modifier in (
        (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    ):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    assert runner.running == 0 and form.save_button.isEnabled()  # no save started
    assert form.composing
    assert asked == [] and len(form.editors) == 2
    assert form.title.text() == "宅基地" and QApplication.focusWidget() is form.title
    runner.wait()
    assert case_count(desk) == before

    commit = QInputMethodEvent()
    commit.setCommitString("景")
    QApplication.sendEvent(form.title, commit)
    assert not form.composing
    with qtbot.waitSignal(form.case_registered, timeout=10_000):
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
    assert case_count(desk) == before + 1
    with desk.db.read() as s:
        assert s.scalars(select(Case.title).order_by(Case.created_at.desc())).first() == "宅基地景"


def test_escape_and_ctrl_n_ask_before_throwing_typing_away(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner, monkeypatch
) -> None:
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(*args, **_kw):
        asked.append(args[1])
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    form = open_form(qtbot, desk, clerk, runner)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked == []  # nothing typed: nothing to ask about
    type_text(form.title, "噪音扰民")
    assert form.is_dirty()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert len(asked) == 1 and form.title.text() == "噪音扰民"  # answered No
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 2 and form.title.text() == ""  # answered Yes
    assert not form.is_dirty()


# --- attachments -------------------------------------------------------------------------------


def test_attachments_are_checked_at_once_and_can_be_dropped(
    qtbot, qtmodeltester, desk: Desk, clerk: Actor, runner: TaskRunner, tmp_path: Path
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    scan = tmp_path / "协议.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    word = tmp_path / "材料.docx"
    word.write_bytes(b"PK\x03\x04")
    empty = tmp_path / "空.png"
    empty.write_bytes(b"")
    refused = form.add_files([scan, word, empty])
    assert len(refused) == 2
    assert form.attachments_error.isVisibleTo(form)
    assert "材料.docx" in form.attachments_error.text()
    assert "空.png" in form.attachments_error.text()
    assert [(r.filename, r.category) for r in form.attachments.rows()] == [("协议.pdf", "scan")]

    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"\x00" * 32)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    copy, left, plain = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(10, 10), copy, mime, left, plain)
    QApplication.sendEvent(form.title, enter)  # onto a field: still an attachment
    assert enter.isAccepted()
    QApplication.sendEvent(form.title, QDropEvent(QPointF(10, 10), copy, mime, left, plain))
    assert form.title.text() == ""
    assert [r.filename for r in form.attachments.rows()] == ["协议.pdf", "现场.jpg"]

    model: AttachmentListModel = form.attachments
    index = model.index(1, AttachmentListModel.CATEGORY)
    assert model.setData(index, "scan")
    assert model.data(index) == "扫描件"
    assert not model.setData(index, "nonsense")
    qtmodeltester.check(model)
    form.attachment_view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(form.attachment_view, Qt.Key.Key_Delete)
    assert [r.filename for r in model.rows()] == ["现场.jpg"]


# --- live hints ----------------------------------------------------------------------------------


def test_dependent_fields_follow_their_switches(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    assert not form.channel_note.isEnabled()
    form.channel.setCurrentIndex(form.channel.findData("transfer"))
    assert form.channel_note.isEnabled()
    assert not form.police_reported_to.isEnabled()
    form.police_risk.setChecked(True)
    assert form.police_reported_to.isEnabled() and form.police_reported_at.isEnabled()
    applicant = form.editors[0]
    assert not applicant.representative.isVisibleTo(form)
    form.group_visit.setChecked(True)
    assert applicant.representative.isVisibleTo(form)
    applicant.id_type.setCurrentIndex(applicant.id_type.findData("passport"))
    assert applicant.nationality.isEnabled() and not applicant.ethnicity.isEnabled()
    form.dispute_type.setCurrentIndex(0)
    assert form.dispute_subtype.itemText(0) == "婚姻"
    form.dispute_type.setCurrentIndex(1)
    assert form.dispute_subtype.itemText(0) != "婚姻" and form.dispute_subtype.currentText() == ""


def test_every_field_has_a_caption_and_tab_goes_on_to_save(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    inputs = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox, QTableView)
    fields = [
        w
        for w in form.findChildren(QWidget)
        if isinstance(w, inputs)
        and w.isVisibleTo(form)
        and w.parent() is not None
        and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))  # their inner edits
    ]
    buddies = {id(label.buddy()) for label in form.findChildren(QLabel) if label.buddy()}
    captionless = [w for w in fields if id(w) not in buddies]
    assert captionless == []
    assert len(fields) > 30

    kb = Keyboard(qtbot)
    form.urgent.setFocus()
    for expected in (
        form.attachment_view,
        form.add_file_button,
        form.remove_file_button,
        form.new_button,
        form.save_button,
    ):
        kb.key(Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected


def test_the_form_fits_a_1366_by_768_window_without_horizontal_scrolling(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    body = QWidget()
    nav = QWidget()
    nav.setFixedWidth(168)  # the main window's navigation column
    form = IntakeForm(desk, clerk, runner)
    row = QHBoxLayout(body)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(nav)
    row.addWidget(form, 1)
    window.setCentralWidget(body)
    window.menuBar().addMenu("&Desk")
    window.statusBar().showMessage("status")
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: form.reference is not None, timeout=10_000)
    for editor in form.editors:
        type_text(editor.name, "岩温香")
    form.add_party("third_party")
    viewport = form.scroll_area.viewport()
    content = form.scroll_area.widget()
    assert content.minimumSizeHint().width() <= viewport.width()
    assert content.width() <= viewport.width()
    assert form.save_button.isVisible()
    assert form.save_button.geometry().right() <= form.width()


# --- correcting and voiding --------------------------------------------------------------------


def test_a_correction_records_each_change_with_before_and_after(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner, make_case
) -> None:
    ref = make_case()
    dialog = CorrectionDialog(desk, clerk, runner, ref.id, case_no=ref.case_no)
    qtbot.addWidget(dialog)
    assert ref.case_no in dialog.windowTitle()
    form = dialog.form
    with qtbot.waitSignal(form.correction_loaded, timeout=10_000):
        dialog.show()
    assert form.save_button.text() != "" and form.reason.isVisibleTo(dialog)
    assert form.title.text() == "宅基地边界争议"
    assert [e.name.text() for e in form.editors] == ["玉香", "岩温"]
    assert form.town.currentData() == "532801103000"  # 勐龙镇, from the village's code
    assert form.village.currentData() == "532801103201"
    assert not form.is_dirty()

    form.title.clear()
    type_text(form.title, "宅基地边界纠纷")
    form.editors[0].phone.clear()
    qtbot.keyClicks(form.editors[0].phone, "13900139000")
    with qtbot.waitSignal(form.errors_shown, timeout=10_000) as signal:
        form.save_button.click()  # no reason yet
    assert set(signal.args[0]) == {"reason"}
    assert form.fields.error_label("reason").text() == "请填写更正原因"
    assert QApplication.focusWidget() is form.reason

    type_text(form.reason, "申请人更换了手机号，标题写错")
    with qtbot.waitSignal(dialog.case_corrected, timeout=10_000) as corrected:
        form.save_button.click()
    assert corrected.args[0].id == ref.id
    assert not dialog.isVisible()

    with desk.db.read() as s:
        event = s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == ref.id, CaseEvent.kind == "corrected")
        ).one()
        assert event.data["reason"] == "申请人更换了手机号，标题写错"
        # Exactly the two edits: nothing the form merely showed counts as a change.
        assert event.data["changes"] == {
            "title": ["宅基地边界争议", "宅基地边界纠纷"],
            "当事人 玉香.phone": ["13800138000", "13900139000"],
        }
        patches = s.scalars(select(Outbox).where(Outbox.kind == "patch")).all()
        case_patch = next(p for p in patches if p.entity_id == ref.id)
        assert case_patch.payload == {"title": "宅基地边界纠纷"}
        assert case_patch.base == {"title": "宅基地边界争议"}
        party_patch = next(p for p in patches if p.entity == "parties")
        assert party_patch.base == {"phone": "13800138000"}
        assert party_patch.payload == {"phone": "13900139000"}


def test_void_needs_a_reason_then_voids_the_case(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner, make_case
) -> None:
    ref = make_case()
    dialog = VoidDialog(desk, clerk, runner, ref.id)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    error = dialog.errors.error_label("reason")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "请填写作废原因"
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.voided_at is None

    type_text(dialog.reason, "重复登记")
    with qtbot.waitSignal(dialog.case_voided, timeout=10_000) as signal:
        ok.click()
    assert signal.args[0] == ref.id
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.voided_at is not None
        assert case.void_reason == "重复登记"


def test_correcting_a_missing_case_says_so(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    form = open_form(qtbot, desk, clerk, runner)
    form.load_for_correction(uuid.uuid4())
    qtbot.waitUntil(lambda: bool(form.message.text()), timeout=10_000)
    assert "找不到该案件" in form.message.text()
    assert not form.save_button.isEnabled()


@pytest.fixture(autouse=True)
def _no_real_message_boxes(monkeypatch) -> None:
    """A modal box would hang an offscreen test: fail loudly instead."""

    def refuse(*_args, **_kw):
        raise AssertionError("unexpected message box")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, refuse)
