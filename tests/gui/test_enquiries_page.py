"""The enquiries page (咨询登记): real services on the runner's thread, Chinese typed as an IME."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from desk_app.services import enquiries, numbering
from desk_app.services.cases import CaseInput, PartyInput
from desk_app.services.desk import Desk
from desk_app.services.enquiries import EnquiryInput
from desk_app.services.roles import Actor
from desk_app.views.enquiries_page import CONVERTED_MARK, EnquiriesModel, EnquiriesPage
from tests.gui.conftest import type_text

QUESTION = "老板拖欠三个月工资，一直说下个月给，我该去哪里反映？能不能要求他付利息？\n他是个体户。"


def _register(desk: Desk, actor: Actor, **changes: object) -> uuid.UUID:
    values: dict[str, object] = {
        "visitor_name": "岩罕",
        "visitor_phone": "13988776655",
        "topic": "legal",
        "question": QUESTION,
        "answer": "可向人社局劳动保障监察投诉，也可申请劳动仲裁。",
    }
    values.update(changes)
    return enquiries.register_enquiry(desk, actor, EnquiryInput(**values))  # type: ignore[arg-type]


def _now() -> datetime:
    return datetime.now(numbering.SHANGHAI)


def _count_of(text: str, label: str) -> int:
    """The number after `label` (English or Chinese) in the counts line."""
    match = re.search(rf"(?:{label})[:：]\s*(\d+)", text)
    assert match, f"{label} not in {text!r}"
    return int(match.group(1))


@pytest.fixture
def page(qtbot, desk: Desk, clerk: Actor, runner) -> EnquiriesPage:
    """The page, shown, with its first list and the dispute types loaded."""
    widget = EnquiriesPage(desk, clerk, runner)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    with qtbot.waitSignal(widget.enquiries_loaded, timeout=10_000):
        widget.show()
    qtbot.waitUntil(lambda: widget.dispute_type.count() == 25, timeout=10_000)
    widget.activateWindow()
    return widget


def _loaded(qtbot, page: EnquiriesPage, action) -> None:
    with qtbot.waitSignal(page.enquiries_loaded, timeout=10_000):
        action()


def test_a_visit_typed_in_chinese_is_saved_listed_and_counted(
    qtbot, page: EnquiriesPage, desk: Desk
) -> None:
    assert page.model.rowCount() == 0
    assert _count_of(page.counts.text(), "Total|合计") == 0
    type_text(page.visitor_name, "玉香")
    qtbot.keyClicks(page.visitor_phone, "138 0013 8000")
    page.topic.setCurrentIndex(page.topic.findData("policy"))
    page.dispute_type.setCurrentIndex(page.dispute_type.findData("02"))
    type_text(page.question, "农村低保怎么申请？\n需要什么材料？")
    type_text(page.answer, "向户籍所在地乡镇（街道）提出申请，带身份证、户口本。")
    type_text(page.referred_to, "勐龙镇民政办")

    with qtbot.waitSignal(page.enquiry_registered, timeout=10_000) as saved:
        qtbot.keyClick(page.answer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)

    model = page.model
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert shown[EnquiriesModel.VISITOR] == "玉香"
    assert shown[EnquiriesModel.PHONE] == "13800138000"
    assert shown[EnquiriesModel.TOPIC] in ("政策咨询", "Policy advice")
    assert shown[EnquiriesModel.QUESTION] == "农村低保怎么申请？"  # the first line
    assert shown[EnquiriesModel.ANSWERED_BY] == "岩温"  # the clerk's name, not the user name
    assert shown[EnquiriesModel.REFERRED_TO] == "勐龙镇民政办"
    assert shown[EnquiriesModel.CONVERTED] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", shown[EnquiriesModel.RECEIVED])
    text = page.counts.text()
    assert _count_of(text, "Policy advice|政策咨询") == 1
    assert _count_of(text, "Legal advice|法律咨询") == 0
    assert _count_of(text, "Total|合计") == 1

    # The form is empty again for the next visitor.
    assert page.visitor_name.text() == "" and page.question.toPlainText() == ""
    assert page.dispute_type.currentData() == "" and page.topic.currentData() == "legal"
    today = _now().date()
    (row,) = enquiries.list_enquiries(desk.db, today, today)
    assert row.id == saved.args[0]
    assert (row.topic, row.answered_by) == ("policy", "clerk1")
    assert row.question == "农村低保怎么申请？\n需要什么材料？"


def test_tab_in_the_question_moves_on_to_the_answer(qtbot, page: EnquiriesPage) -> None:
    page.question.setFocus()
    qtbot.waitUntil(page.question.hasFocus, timeout=2_000)
    qtbot.keyClick(page.question, Qt.Key.Key_Tab)
    assert page.answer.hasFocus()
    assert page.question.toPlainText() == ""


def test_an_invalid_phone_is_shown_beside_it_and_nothing_is_saved(
    qtbot, page: EnquiriesPage, desk: Desk
) -> None:
    type_text(page.visitor_name, "玉香")
    qtbot.keyClicks(page.visitor_phone, "12345")
    type_text(page.question, "离婚后孩子归谁？")
    type_text(page.answer, "协商不成由法院按最有利于未成年子女的原则判决。")
    page.save_button.click()
    phone_error = page.errors.error_label("visitor_phone")
    qtbot.waitUntil(phone_error.isVisible, timeout=10_000)
    assert "电话号码有误" in phone_error.text()
    assert not page.errors.error_label("visitor_name").isVisible()
    assert page.save_button.isEnabled()
    assert page.visitor_name.text() == "玉香"  # kept, to be corrected
    today = _now().date()
    assert enquiries.list_enquiries(desk.db, today, today) == []
    assert page.model.rowCount() == 0


def test_the_period_excludes_enquiries_outside_it(
    qtbot, page: EnquiriesPage, desk: Desk, clerk: Actor
) -> None:
    now = _now()
    today_id = _register(desk, clerk, received_at=now)
    old_id = _register(desk, clerk, topic="other", received_at=now - timedelta(days=400))

    first = now.date().replace(day=1)
    assert page.period()[0] == first and page.period()[1].month == first.month  # this month
    assert (page.period()[1] + timedelta(days=1)).day == 1
    _loaded(qtbot, page, page.refresh)
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [today_id]
    assert _count_of(page.counts.text(), "Total|合计") == 1

    old_day = (now - timedelta(days=400)).date()
    _loaded(qtbot, page, lambda: page.start.setDate(old_day))  # typed into the "from" box
    assert page.period() == (old_day, page.period()[1])
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [today_id, old_id]
    assert _count_of(page.counts.text(), "Other advice|其他咨询") == 1

    _loaded(qtbot, page, lambda: page.end.setDate(old_day))
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [old_id]

    _loaded(qtbot, page, page.today_button.click)
    assert page.period() == (now.date(), now.date())
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [today_id]

    _loaded(qtbot, page, page.year_button.click)
    assert page.period() == (
        now.date().replace(month=1, day=1),
        now.date().replace(month=12, day=31),
    )
    assert today_id in [page.model.row_at(r).id for r in range(page.model.rowCount())]
    assert old_id not in [page.model.row_at(r).id for r in range(page.model.rowCount())]


def test_turn_into_a_case_hands_on_a_prefilled_case_once(
    qtbot, page: EnquiriesPage, desk: Desk, clerk: Actor
) -> None:
    enquiry_id = _register(desk, clerk, dispute_type_code="02")
    _loaded(qtbot, page, page.refresh)
    assert not page.convert_button.isEnabled()  # nothing selected yet
    page.table.selectRow(0)
    assert page.convert_button.isEnabled()

    with qtbot.waitSignal(page.convert_requested, timeout=2_000) as asked:
        page.convert_button.click()
    got_id, case_input = asked.args
    assert got_id == enquiry_id
    assert case_input == CaseInput(
        title="老板拖欠三个月工资，一直说下个月给，我该去哪里反映？能不能要",
        facts=QUESTION,
        claims="",
        dispute_type_code="02",
        division_code="",
        parties=(PartyInput(name="岩罕", phone="13988776655", role="applicant"),),
    )
    assert len(case_input.title) == 30

    # The intake form completes it; the main window converts and refreshes the page.
    completed = CaseInput(
        **{**case_input.__dict__, "division_code": "532801103201", "title": "拖欠工资"}
    )
    enquiries.convert_to_case(desk, clerk, enquiry_id, completed)
    _loaded(qtbot, page, page.refresh)
    assert page.model.index(0, EnquiriesModel.CONVERTED).data() == CONVERTED_MARK
    assert page.selected_enquiry() is not None  # the selection survives the reload
    assert not page.convert_button.isEnabled()
    assert _count_of(page.counts.text(), "Turned into cases|转为案件") == 1
    with qtbot.assertNotEmitted(page.convert_requested):
        page.request_conversion()


def test_the_title_of_a_prefilled_case_is_one_line(qtbot, page, desk: Desk, clerk: Actor) -> None:
    _register(desk, clerk, question="签合同\n被骗了")
    _loaded(qtbot, page, page.refresh)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.convert_requested, timeout=2_000) as asked:
        page.request_conversion()
    assert asked.args[1].title == "签合同 被骗了"
    assert asked.args[1].dispute_type_code == ""


def test_the_model_passes_qt_model_tester(qtmodeltester, desk: Desk, clerk: Actor) -> None:
    now = _now()
    ids = [
        _register(desk, clerk, topic=topic, received_at=now - timedelta(minutes=i))
        for i, topic in enumerate(("legal", "policy", "other"))
    ]
    enquiries.convert_to_case(
        desk,
        clerk,
        ids[2],
        CaseInput(
            title="拖欠工资",
            dispute_type_code="02",
            division_code="532801103201",
            parties=(PartyInput(name="岩罕", phone="13988776655"),),
        ),
    )
    model = EnquiriesModel()
    rows = enquiries.list_enquiries(desk.db, (now - timedelta(days=1)).date(), now.date())
    model.set_rows(rows, {"clerk1": "岩温"})
    assert model.rowCount() == 3
    assert model.row_of(ids[1]) == 1 and model.row_of(uuid.uuid4()) == -1
    assert [model.index(r, EnquiriesModel.CONVERTED).data() for r in range(3)] == [
        "",
        "",
        CONVERTED_MARK,
    ]
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_moving_one_end_of_the_period_past_the_other_drags_it_along(
    qtbot, page: EnquiriesPage
) -> None:
    start, end = page.period()
    later = end + timedelta(days=3)
    _loaded(qtbot, page, lambda: page.start.setDate(later))
    assert page.period() == (later, later)
    earlier = start - timedelta(days=3)
    _loaded(qtbot, page, lambda: page.end.setDate(earlier))
    assert page.period() == (earlier, earlier)
