"""Never lose typing: the forms keep a draft every couple of seconds, off the GUI thread,
and the next start offers it back to the user who typed it (and to nobody else)."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desk_app.app import Startup
from desk_app.paths import DataDir
from desk_app.services import drafts
from desk_app.services.cases import register_case
from desk_app.services.desk import Desk
from desk_app.services.roles import Actor
from desk_app.views.enquiries_page import EnquiriesPage
from desk_app.views.intake import IntakeForm
from desk_app.views.main_window import MainWindow
from desk_app.workers.tasks import TaskRunner
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD, sample_case
from tests.gui.conftest import type_text
from tests.gui.test_intake_form import PNG, credit_code

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"
)

ROOT = Path(__file__).resolve().parents[2]


def draft_form(qtbot, desk: Desk, actor: Actor, runner: TaskRunner) -> IntakeForm:
    """A registration form that keeps drafts, ready (reference lists in, keeper watching)."""
    form = IntakeForm(desk, actor, runner, keep_drafts=True)
    qtbot.addWidget(form)
    form.resize(1280, 720)
    form.show()
    qtbot.waitExposed(form)
    assert form.keeper is not None
    keeper = form.keeper
    qtbot.waitUntil(
        lambda: form.reference is not None and (keeper.active or bool(form.draft_offer.question)),
        timeout=10_000,
    )
    return form


def fill_everything(qtbot, form: IntakeForm, attachment: Path) -> None:
    """Every kind of field: texts, picks, checks, a third party, a file, the repeat mark."""
    form.channel.setCurrentIndex(form.channel.findData("transfer"))
    type_text(form.channel_note, "景洪市公安局勐龙派出所")
    form.visitor_count.setValue(3)
    applicant, respondent = form.editors
    type_text(applicant.name, "玉香")
    qtbot.keyClicks(applicant.id_number, "11010519491231002X")
    qtbot.keyClicks(applicant.phone, "138 0013 8000")
    type_text(applicant.ethnicity, "傣族")
    type_text(applicant.occupation, "农民")
    type_text(applicant.address, "景洪市勐龙镇景龙村")
    applicant.needs_interpreter.setChecked(True)
    type_text(applicant.language, "傣语")
    respondent.kind.setCurrentIndex(respondent.kind.findData("organisation"))
    type_text(respondent.name, "景洪市某物业服务有限公司")
    qtbot.keyClicks(respondent.org_code, credit_code())
    type_text(respondent.legal_representative, "岩罕")
    third = form.add_party("third_party")
    type_text(third.name, "SOMPHONE VONGSA")
    third.id_type.setCurrentIndex(third.id_type.findData("passport"))
    qtbot.keyClicks(third.id_number, "P1234567")
    type_text(third.nationality, "老挝")
    qtbot.keyClicks(third.birth_date, "1990-3-1")  # as typed, not yet in its stored form
    type_text(form.title, "宅基地边界争议")
    type_text(form.dispute_type, "房屋宅基地纠纷")
    type_text(form.town, "勐龙镇")
    type_text(form.village, "景龙村")
    type_text(form.place_detail, "三组")
    type_text(form.facts, "双方因宅基地边界发生争议。\n第二行。")
    type_text(form.claims, "请求确认边界。")
    form.police_risk.setChecked(True)
    type_text(form.police_reported_to, "勐龙派出所")
    form.foreign_related.setChecked(True)
    form.urgent.setChecked(True)
    assert form.add_files([attachment]) == []
    form.attachments.setData(form.attachments.index(0, 2), "scan")


def test_every_field_is_kept_and_restored_for_the_same_user_only(
    qtbot, desk: Desk, clerk: Actor, admin: Actor, runner: TaskRunner, tmp_path: Path
) -> None:
    earlier = register_case(desk, clerk, sample_case("前一次来访"))
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    form = draft_form(qtbot, desk, clerk, runner)
    assert form.draft_snapshot() is None  # nothing typed: nothing to keep
    fill_everything(qtbot, form, photo)
    form.set_repeat_of(earlier.id, earlier.case_no)
    typed = form.draft_snapshot()
    assert typed is not None
    assert form.keeper is not None
    # Kept by the keeper's own timer, within its interval, off the GUI thread.
    with qtbot.waitSignal(form.keeper.saved, timeout=5_000) as kept:
        pass
    assert kept.args[0] == typed
    stored = drafts.load(desk.db, clerk.user_id, "intake")
    assert stored is not None and stored.payload == typed

    # Another user on this desk is not offered it.
    other = draft_form(qtbot, desk, admin, runner)
    assert other.draft_offer is not None and other.draft_offer.question is None
    assert other.keeper is not None and other.keeper.active

    # The same user, at the next start: asked, and everything comes back.
    again = IntakeForm(desk, clerk, runner, keep_drafts=True)
    qtbot.addWidget(again)
    again.show()
    assert again.draft_offer is not None
    qtbot.waitUntil(lambda: again.draft_offer.question is not None, timeout=10_000)
    question = again.draft_offer.question
    assert isinstance(question, QMessageBox)
    assert "宅基地边界争议" in question.text() and "玉香" in question.text()
    assert again.draft_offer.restore_button.text() == "恢复(&R)"
    assert again.draft_offer.discard_button.text() == "丢弃(&D)"
    assert again.keeper is not None and not again.keeper.active  # nothing overwritten yet
    with qtbot.waitSignal(again.draft_restored, timeout=10_000):
        again.draft_offer.restore_button.click()
    assert again.draft_snapshot() == typed
    applicant, respondent, third = again.editors
    assert (applicant.name.text(), applicant.id_number.text()) == ("玉香", "11010519491231002X")
    assert applicant.birth_date.text() == "1949-12-31" and applicant.language.text() == "傣语"
    assert respondent.is_organisation() and respondent.org_code.text() == credit_code()
    assert third.birth_date.text() == "1990-3-1" and third.nationality.text() == "老挝"
    assert again.village.currentText() == "景龙村"
    assert again.facts.toPlainText().endswith("第二行。")
    assert [(r.filename, r.category) for r in again.attachments.rows()] == [("现场.png", "scan")]
    assert again.repeat_of_id == earlier.id
    qtbot.waitUntil(lambda: earlier.case_no in again.repeat_panel.marked_label.text())
    assert again.keeper.active


def test_discarding_the_offer_deletes_the_draft(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    drafts.save(desk.db, clerk.user_id, "intake", {"version": 1, "title": "不要了", "parties": []})
    form = IntakeForm(desk, clerk, runner, keep_drafts=True)
    qtbot.addWidget(form)
    form.show()
    assert form.draft_offer is not None and form.keeper is not None
    qtbot.waitUntil(lambda: form.draft_offer.question is not None, timeout=10_000)
    with qtbot.waitSignal(form.keeper.discarded, timeout=10_000):
        form.draft_offer.discard_button.click()
    assert drafts.load(desk.db, clerk.user_id, "intake") is None
    assert form.title.text() == ""


def test_saving_the_case_or_clearing_the_form_deletes_the_draft(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner, monkeypatch
) -> None:
    form = draft_form(qtbot, desk, clerk, runner)
    keeper = form.keeper
    assert keeper is not None
    applicant, respondent = form.editors
    type_text(applicant.name, "玉香")
    qtbot.keyClicks(applicant.phone, "13800138000")
    type_text(respondent.name, "岩温")
    type_text(form.title, "宅基地边界争议")
    type_text(form.dispute_type, "房屋宅基地纠纷")
    type_text(form.town, "勐龙镇")
    with qtbot.waitSignal(keeper.saved, timeout=5_000):
        keeper.check()
    assert drafts.load(desk.db, clerk.user_id, "intake") is not None
    with qtbot.waitSignal(form.case_registered, timeout=10_000):
        form.save()
    assert drafts.load(desk.db, clerk.user_id, "intake") is None  # same transaction
    keeper.check()
    assert not keeper.busy  # a fresh form: nothing to keep

    type_text(form.title, "又一件")
    with qtbot.waitSignal(keeper.saved, timeout=5_000):
        keeper.check()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(keeper.discarded, timeout=5_000):
        form.request_clear()  # Esc, confirmed
    assert drafts.load(desk.db, clerk.user_id, "intake") is None


def test_the_enquiry_form_keeps_its_draft_too(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    page = EnquiriesPage(desk, clerk, runner, keep_drafts=True)
    qtbot.addWidget(page)
    page.show()
    assert page.keeper is not None
    qtbot.waitUntil(lambda: page.keeper.active and page.dispute_type.count() > 1, timeout=10_000)
    type_text(page.visitor_name, "岩温")
    page.topic.setCurrentIndex(page.topic.findData("policy"))
    page.dispute_type.setCurrentIndex(3)
    type_text(page.question, "宅基地审批需要哪些材料？")
    with qtbot.waitSignal(page.keeper.saved, timeout=5_000) as kept:
        pass
    typed = kept.args[0]
    again = EnquiriesPage(desk, clerk, runner, keep_drafts=True)
    qtbot.addWidget(again)
    again.show()
    assert again.draft_offer is not None
    qtbot.waitUntil(lambda: again.draft_offer.question is not None, timeout=10_000)
    assert "岩温" in again.draft_offer.question.text()
    again.draft_offer.restore_button.click()
    qtbot.waitUntil(lambda: again.visitor_name.text() == "岩温", timeout=10_000)
    assert again.draft_snapshot() == typed
    assert again.question.toPlainText() == "宅基地审批需要哪些材料？"
    # Saving the enquiry deletes the draft in the same transaction.
    type_text(again.answer, "向乡镇自然资源所咨询。")
    with qtbot.waitSignal(again.enquiry_registered, timeout=10_000):
        again.save()
    assert drafts.load(desk.db, clerk.user_id, "enquiry") is None


def test_closing_the_window_keeps_the_last_keystrokes(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    window = MainWindow(desk, clerk, runner)
    qtbot.addWidget(window)
    window.show()
    form = window.intake_form
    assert form.keeper is not None
    qtbot.waitUntil(lambda: form.keeper.active, timeout=10_000)
    type_text(form.title, "关窗前最后一句")
    assert drafts.load(desk.db, clerk.user_id, "intake") is None  # the timer has not fired
    window.close()
    kept = drafts.load(desk.db, clerk.user_id, "intake")
    assert kept is not None and kept.payload["title"] == "关窗前最后一句"


def test_a_discard_waits_for_the_write_before_it_and_failures_are_reported_quietly(
    qtbot, desk: Desk, clerk: Actor, runner: TaskRunner
) -> None:
    from desk_app.workers.drafts import DraftKeeper

    typed = {"version": 1, "title": "宅基地"}
    keeper = DraftKeeper(runner, desk.db, clerk.user_id, "intake", lambda: typed)
    keeper.start()
    keeper.check()
    assert keeper.busy  # the write is on its way …
    keeper.discard()  # … so the discard waits for it, and lands last
    with qtbot.waitSignal(keeper.discarded, timeout=5_000):
        pass
    assert drafts.load(desk.db, clerk.user_id, "intake") is None
    keeper.stop()

    unexpected: list[str] = []
    runner.unexpected_error.connect(lambda message, _tb: unexpected.append(message))
    broken = DraftKeeper(runner, desk.db, clerk.user_id, "no-such-form", lambda: typed)
    broken.start()
    with qtbot.waitSignal(broken.failed, timeout=5_000) as failed:
        broken.check()
    assert failed.args[0].startswith("草稿未能保存")
    assert not broken.busy and unexpected == []  # the form says it quietly; no crash dialog
    broken.stop()


# --- a real crash ----------------------------------------------------------------------


def _read_line(proc: subprocess.Popen, prefix: str, timeout: float = 60.0) -> str:
    """The child's first stdout line starting with `prefix` (waiting on the pipe, no sleeps)."""
    assert proc.stdout is not None
    while True:
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {prefix!r} line from the child within {timeout} s")
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the child ended (exit {proc.wait()}) before {prefix!r}")
        if line.startswith(prefix):
            return line


def _log_in(qtbot, qapp, root: Path, username: str, password: str) -> Startup:
    startup = Startup(qapp, DataDir(root))
    startup.start()
    dialog = startup.dialog
    qtbot.waitUntil(lambda: dialog.subtitle.text() != "", timeout=15_000)
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.submit()
    qtbot.waitUntil(lambda: startup.window is not None, timeout=15_000)
    assert isinstance(startup.window, MainWindow)
    qtbot.addWidget(startup.window)
    return startup


def test_a_draft_survives_sigkill_and_is_offered_back_at_the_next_start(
    qtbot, qapp, desk: Desk
) -> None:
    root = desk.dirs.root
    desk.close()
    env = {**os.environ, "DESK_APP_PASSWORD": CLERK_PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.draft_child", str(root)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        line = _read_line(proc, "draft-kept ")
        os.kill(proc.pid, signal.SIGKILL)  # a crash, or the power cord
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    typed = json.loads(line.removeprefix("draft-kept "))

    # Another user starting the app is not offered it.
    startup = _log_in(qtbot, qapp, root, "admin", ADMIN_PASSWORD)
    try:
        window = startup.window
        assert window is not None
        form = window.intake_form
        assert form.keeper is not None and form.draft_offer is not None
        qtbot.waitUntil(lambda: form.keeper.active, timeout=15_000)
        assert form.draft_offer.question is None
    finally:
        startup.shutdown()

    # The clerk who typed it is asked, and every field comes back.
    startup = _log_in(qtbot, qapp, root, "clerk1", CLERK_PASSWORD)
    try:
        window = startup.window
        assert window is not None
        form = window.intake_form
        offer = form.draft_offer
        assert offer is not None
        qtbot.waitUntil(lambda: offer.question is not None, timeout=15_000)
        assert "宅基地边界争议（断电前）" in offer.question.text()
        with qtbot.waitSignal(form.draft_restored, timeout=15_000):
            offer.restore_button.click()
        assert form.draft_snapshot() == typed
        assert form.editors[0].name.text() == "玉香"
        assert form.editors[0].id_number.text() == "11010519491231002X"
        assert form.title.text() == "宅基地边界争议（断电前）"
        assert form.village.currentText() == "景龙村"
        assert form.facts.toPlainText() == "双方因宅基地边界发生争议，"
        assert form.urgent.isChecked()
        # The restored visit registers as any other.
        with qtbot.waitSignal(form.case_registered, timeout=15_000):
            form.save()
    finally:
        startup.shutdown()
