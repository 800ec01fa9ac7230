"""Advice-only visits (咨询登记): validation, storage with its sync op, periods, conversion."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from desk_app.models import Case, CaseEvent, DeskCounter, Enquiry, Outbox, Party
from desk_app.services import enquiries
from desk_app.services.cases import CaseInput, PartyInput
from desk_app.services.desk import Desk
from desk_app.services.enquiries import EnquiryInput
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.roles import Actor


def _input(**changes: object) -> EnquiryInput:
    values: dict[str, object] = {
        "visitor_name": "玉香",
        "visitor_phone": "13800138000",
        "topic": "legal",
        "question": "邻居的树根伸到我家院子里，能不能要求他砍掉？",
        "answer": "可依民法典第二百九十六条请求排除妨碍，先协商，不成可申请调解。",
        "referred_to": "嘎栋街道司法所",
    }
    values.update(changes)
    return EnquiryInput(**values)  # type: ignore[arg-type]


def _valid_case(title: str = "树根越界纠纷") -> CaseInput:
    return CaseInput(
        title=title,
        dispute_type_code="02",
        division_code="532801103201",
        facts="邻居的树根伸进院子，协商不成。",
        parties=(PartyInput(name="玉香", role="applicant", phone="13800138000"),),
    )


def _count(desk: Desk, model: type) -> int:
    """Rows of `model`; for the number counters, the numbers issued so far."""
    with desk.db.read() as s:
        if model is DeskCounter:
            return s.scalar(select(func.coalesce(func.sum(DeskCounter.value), 0))) or 0
        return s.scalar(select(func.count()).select_from(model)) or 0


def _beijing(y: int, m: int, d: int, hh: int, mm: int) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=enquiries.numbering.SHANGHAI)


# --- registering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"visitor_name": "  "}, "visitor_name", "请填写来访人姓名"),
        ({"visitor_phone": "12345"}, "visitor_phone", "电话号码有误"),
        ({"answer": ""}, "answer", "请填写答复内容"),
        ({"question": "能离婚吗😀"}, "question", "表情符号"),
        ({"topic": "gossip"}, "topic", "请选择咨询类别"),
        ({"referred_to": "司法所\n二楼"}, "referred_to", "控制字符"),
    ],
)
def test_register_refuses_bad_input_with_a_message_beside_the_field(
    desk: Desk, clerk: Actor, changes: dict[str, object], field: str, says: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        enquiries.register_enquiry(desk, clerk, _input(**changes))
    assert set(caught.value.fields) == {field}
    assert says in caught.value.fields[field]
    assert _count(desk, Enquiry) == 0


def test_every_problem_is_reported_at_once(desk: Desk, clerk: Actor) -> None:
    bad = _input(visitor_name="", visitor_phone="12345", question="", answer="")
    with pytest.raises(ValidationError) as caught:
        enquiries.register_enquiry(desk, clerk, bad)
    assert set(caught.value.fields) == {"visitor_name", "visitor_phone", "question", "answer"}


def test_register_stores_the_visit_answered_by_the_clerk_with_its_sync_op(
    desk: Desk, clerk: Actor
) -> None:
    ops_before = _count(desk, Outbox)
    cases_before = _count(desk, Case)
    enquiry_id = enquiries.register_enquiry(
        desk,
        clerk,
        _input(visitor_name=" 岩 温 ", visitor_phone="+86 138-0013-8000", dispute_type_code="02"),
    )
    with desk.db.read() as s:
        row = s.get(Enquiry, enquiry_id)
        ops = s.scalars(select(Outbox).order_by(Outbox.seq).offset(ops_before)).all()
    assert row is not None
    assert row.answered_by == "clerk1"
    assert (row.visitor_name, row.visitor_phone) == ("岩 温", "13800138000")
    assert row.dispute_type_code == "02" and row.converted_case_id is None
    assert row.origin_desk == "D03"
    assert [(op.entity, op.kind, op.entity_id) for op in ops] == [
        ("enquiries", "create", enquiry_id)
    ]
    assert ops[0].user_id == "clerk1" and ops[0].state == "pending"
    assert ops[0].payload["answered_by"] == "clerk1"
    assert ops[0].payload["question"].startswith("邻居的树根")
    assert _count(desk, Case) == cases_before  # an enquiry is no case


def test_the_phone_may_be_left_empty(desk: Desk, clerk: Actor) -> None:
    enquiry_id = enquiries.register_enquiry(desk, clerk, _input(visitor_phone=""))
    with desk.db.read() as s:
        row = s.get(Enquiry, enquiry_id)
    assert row is not None and row.visitor_phone == ""


# --- listing and counting by period ---------------------------------------------------------


def test_periods_use_beijing_dates(desk: Desk, clerk: Actor) -> None:
    late = _beijing(2026, 3, 1, 23, 30)
    assert late.astimezone(UTC) == datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    first = enquiries.register_enquiry(desk, clerk, _input(received_at=late))
    enquiries.register_enquiry(  # 00:10 on March 2 in Beijing, still March 1 in UTC
        desk, clerk, _input(topic="policy", received_at=_beijing(2026, 3, 2, 0, 10))
    )
    enquiries.register_enquiry(  # the last minute of February
        desk, clerk, _input(topic="other", received_at=_beijing(2026, 2, 28, 23, 59))
    )

    march_first = enquiries.list_enquiries(desk.db, date(2026, 3, 1), date(2026, 3, 1))
    assert [r.id for r in march_first] == [first]
    assert march_first[0].received_at == late
    assert march_first[0].topic_label == "法律咨询"
    assert march_first[0].answered_by == "clerk1"

    march = enquiries.list_enquiries(desk.db, date(2026, 3, 1), date(2026, 3, 31))
    assert [r.topic for r in march] == ["policy", "legal"]  # newest first
    assert enquiries.count_enquiries(desk.db, date(2026, 3, 1), date(2026, 3, 31)) == {
        "legal": 1,
        "policy": 1,
        "other": 0,
        "total": 2,
        "converted": 0,
    }
    assert enquiries.count_enquiries(desk.db, date(2026, 2, 1), date(2026, 2, 28)) == {
        "legal": 0,
        "policy": 0,
        "other": 1,
        "total": 1,
        "converted": 0,
    }
    assert enquiries.list_enquiries(desk.db, date(2026, 3, 3), date(2026, 3, 31)) == []


# --- turning into a case --------------------------------------------------------------------


def test_convert_registers_and_links_a_case_with_a_history_event(desk: Desk, clerk: Actor) -> None:
    enquiry_id = enquiries.register_enquiry(desk, clerk, _input())
    ref = enquiries.convert_to_case(desk, clerk, enquiry_id, _valid_case())
    with desk.db.read() as s:
        row = s.get(Enquiry, enquiry_id)
        case = s.get(Case, ref.id)
        kinds = s.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == ref.id).order_by(CaseEvent.at)
        ).all()
        event = s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == ref.id, CaseEvent.kind == "from_enquiry")
        ).one()
        link_ops = s.scalars(
            select(Outbox).where(Outbox.entity == "enquiries", Outbox.kind == "patch")
        ).all()
    assert row is not None and row.converted_case_id == ref.id
    assert case is not None and case.title == "树根越界纠纷" and case.status == "pending_triage"
    assert set(kinds) == {"registered", "from_enquiry"}
    assert event.data == {"enquiry_id": str(enquiry_id)} and event.actor == "clerk1"
    assert [(op.entity_id, op.payload) for op in link_ops] == [
        (enquiry_id, {"converted_case_id": str(ref.id)})
    ]
    today = datetime.now(UTC).astimezone(enquiries.numbering.SHANGHAI).date()
    assert enquiries.count_enquiries(desk.db, today, today)["converted"] == 1
    assert enquiries.list_enquiries(desk.db, today, today)[0].converted_case_id == ref.id


def test_an_enquiry_is_converted_once_only(desk: Desk, clerk: Actor) -> None:
    enquiry_id = enquiries.register_enquiry(desk, clerk, _input())
    enquiries.convert_to_case(desk, clerk, enquiry_id, _valid_case())
    cases_before = _count(desk, Case)
    with pytest.raises(DeskError, match="已转为案件"):
        enquiries.convert_to_case(desk, clerk, enquiry_id, _valid_case("再次转办"))
    assert _count(desk, Case) == cases_before


def test_an_unknown_enquiry_cannot_be_converted(desk: Desk, clerk: Actor) -> None:
    with pytest.raises(DeskError, match="找不到"):
        enquiries.convert_to_case(desk, clerk, uuid.uuid4(), _valid_case())
    assert _count(desk, Case) == 0


def test_an_invalid_case_saves_nothing_neither_case_nor_link(desk: Desk, clerk: Actor) -> None:
    enquiry_id = enquiries.register_enquiry(desk, clerk, _input())
    before = {m: _count(desk, m) for m in (Case, Party, CaseEvent, Outbox, DeskCounter)}
    no_title = replace(_valid_case(), title="")
    no_phone = replace(_valid_case(), parties=(PartyInput(name="玉香", role="applicant"),))
    for case_input in (no_title, no_phone):
        with pytest.raises(ValidationError):
            enquiries.convert_to_case(desk, clerk, enquiry_id, case_input)
    assert {m: _count(desk, m) for m in before} == before
    with desk.db.read() as s:
        row = s.get(Enquiry, enquiry_id)
    assert row is not None and row.converted_case_id is None
    # …and the enquiry can still be converted properly afterwards.
    ref = enquiries.convert_to_case(desk, clerk, enquiry_id, _valid_case())
    assert ref.case_no


def test_a_failure_after_the_case_is_written_leaves_nothing(
    desk: Desk, clerk: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk_app.services.uow import UnitOfWork

    enquiry_id = enquiries.register_enquiry(desk, clerk, _input())
    before = {m: _count(desk, m) for m in (Case, Party, CaseEvent, Outbox, DeskCounter)}
    real_event = UnitOfWork.event

    def failing_link(self: UnitOfWork, case_id: uuid.UUID, kind: str, *args: object) -> object:
        if kind == "from_enquiry":
            self.session.flush()  # the case, its parties and the number are written by now
            raise OSError("disk unplugged")
        return real_event(self, case_id, kind, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(UnitOfWork, "event", failing_link)
    with pytest.raises(OSError):
        enquiries.convert_to_case(desk, clerk, enquiry_id, _valid_case())
    assert {m: _count(desk, m) for m in before} == before
    with desk.db.read() as s:
        row = s.get(Enquiry, enquiry_id)
    assert row is not None and row.converted_case_id is None
