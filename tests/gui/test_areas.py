"""The main window's areas working together: lookup -> correct/void, enquiry -> case."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from desk_app.models import Case, CaseEvent, Enquiry
from desk_app.services import enquiries
from desk_app.services.enquiries import EnquiryInput
from desk_app.views import main_window as main_window_module
from desk_app.views.main_window import MainWindow


def _window(qtbot, desk, actor, runner) -> MainWindow:
    window = MainWindow(desk, actor, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.intake_form.reference is not None, timeout=10_000)
    return window


def test_an_enquiry_turned_into_a_case_is_completed_on_the_form_and_linked(
    qtbot, desk, clerk, runner
):
    enquiry_id = enquiries.register_enquiry(desk, clerk, EnquiryInput(
        visitor_name="岩罕", visitor_phone="13800138000", question="邻居占用通道，能否调解？",
        answer="可以申请人民调解。", dispute_type_code="02",
        received_at=datetime.now(UTC),
    ))  # fmt: skip
    window = _window(qtbot, desk, clerk, runner)
    window.show_area("intake")
    page = window.enquiries_page
    window.intake_tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    page.request_conversion()
    form = window.intake_form
    assert window.intake_tabs.currentWidget() is form and form.enquiry_id == enquiry_id
    assert form.editors[0].party()[0].name == "岩罕"
    # The clerk completes what the enquiry did not have: the place.
    form.town.setCurrentIndex(form.town.findText("勐龙镇"))
    with qtbot.waitSignal(form.case_registered, timeout=10_000) as signal:
        form.save()
    ref = signal.args[0]
    with desk.db.read() as s:
        linked = s.get(Enquiry, enquiry_id)
        kinds = s.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == ref.id)).all()
    assert linked is not None and linked.converted_case_id == ref.id
    assert set(kinds) == {"registered", "from_enquiry"}
    assert form.enquiry_id is None  # the next save is an ordinary registration


def test_void_from_the_lookup_page(qtbot, desk, clerk, runner, make_case, monkeypatch):
    ref = make_case()
    opened: list[object] = []

    def accept(dialog):
        opened.append(dialog)
        dialog.reason.setPlainText("重复登记")
        with qtbot.waitSignal(dialog.case_voided, timeout=10_000):
            dialog.submit()
        return 1

    monkeypatch.setattr(main_window_module.VoidDialog, "exec", accept)
    window = _window(qtbot, desk, clerk, runner)
    window.show_area("search")
    window.search_page.void_requested.emit(ref.id)
    assert opened
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
    assert case is not None and case.void_reason == "重复登记"
