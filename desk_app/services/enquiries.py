"""Advice-only visits (咨询登记): registered in a few fields, counted, turned into cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from desk_app.models import DisputeType, Division, Enquiry
from desk_app.models.db import Database
from desk_app.services import cases, drafts, identity, numbering
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.roles import Actor, Role, require
from desk_app.services.text import check_name, check_text

TOPICS = {"legal": "法律咨询", "policy": "政策咨询", "other": "其他咨询"}


@dataclass(frozen=True)
class EnquiryInput:
    visitor_name: str
    question: str
    answer: str
    topic: str = "legal"
    visitor_phone: str = ""
    dispute_type_code: str = ""
    division_code: str = ""
    referred_to: str = ""
    received_at: datetime | None = None


@dataclass(frozen=True)
class EnquiryRow:
    id: uuid.UUID
    received_at: datetime
    visitor_name: str
    visitor_phone: str
    topic: str
    topic_label: str
    question: str
    answer: str
    answered_by: str
    referred_to: str
    converted_case_id: uuid.UUID | None
    dispute_type_code: str = ""
    division_code: str = ""


def _validated(data: EnquiryInput) -> EnquiryInput:
    errors: dict[str, str] = {}
    name, problem = check_name(data.visitor_name, "来访人姓名")
    if problem:
        errors["visitor_name"] = problem
    phone = data.visitor_phone
    if phone.strip():
        try:
            phone = identity.validate_phone(phone)
        except ValidationError as exc:
            errors["visitor_phone"] = exc.fields["phone"]
    if data.topic not in TOPICS:
        errors["topic"] = "请选择咨询类别"
    texts = {}
    for key, label, limit, required in (
        ("question", "咨询内容", 5000, True),
        ("answer", "答复内容", 5000, True),
        ("referred_to", "引导去向", 100, False),
    ):
        texts[key], problem = check_text(
            getattr(data, key),
            label,
            max_length=limit,
            required=required,
            multiline=key != "referred_to",
        )
        if problem:
            errors[key] = problem
    if errors:
        raise ValidationError(errors)
    return EnquiryInput(
        visitor_name=name,
        visitor_phone=phone,
        topic=data.topic,
        question=texts["question"],
        answer=texts["answer"],
        referred_to=texts["referred_to"],
        dispute_type_code=data.dispute_type_code,
        division_code=data.division_code,
        received_at=data.received_at,
    )


def register_enquiry(desk: Desk, actor: Actor, data: EnquiryInput, draft: str = "") -> uuid.UUID:
    """Record an advice-only visit, answered by the acting user.

    `draft`: the form whose saved draft this completes, deleted in the same transaction.
    """
    require(actor, Role.CLERK, Role.OFFICER, Role.MEDIATOR)
    data = _validated(data)
    with desk.uow(actor) as uow:
        errors: dict[str, str] = {}
        if (
            data.dispute_type_code
            and uow.session.scalar(
                select(DisputeType.id).where(
                    DisputeType.code == data.dispute_type_code, DisputeType.parent_code.is_(None)
                )
            )
            is None
        ):
            errors["dispute_type_code"] = "请从列表中选择纠纷类型"
        if (
            data.division_code
            and uow.session.scalar(select(Division.id).where(Division.code == data.division_code))
            is None
        ):
            errors["division_code"] = "请从列表中选择乡镇（街道）或村（社区）"
        received_at = data.received_at or uow.now
        if received_at > uow.now + timedelta(minutes=5):
            errors["received_at"] = "来访时间不能晚于现在，请核对"
        if errors:
            raise ValidationError(errors)
        row = Enquiry(
            received_at=received_at,
            visitor_name=data.visitor_name,
            visitor_phone=data.visitor_phone,
            topic=data.topic,
            question=data.question,
            answer=data.answer,
            dispute_type_code=data.dispute_type_code,
            division_code=data.division_code,
            answered_by=actor.username,
            referred_to=data.referred_to,
        )
        uow.add(row)
        if draft:
            drafts.discard_in(uow.session, actor.user_id, draft)
        uow.session.flush()
        return row.id


def _range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Beijing time, as UTC instants."""
    lo = datetime.combine(start, time(0), numbering.SHANGHAI)
    hi = datetime.combine(end + timedelta(days=1), time(0), numbering.SHANGHAI)
    return lo, hi


def list_enquiries(db: Database, start: date, end: date) -> list[EnquiryRow]:
    """Enquiries received from `start` to `end` (inclusive, Beijing dates), newest first."""
    lo, hi = _range(start, end)
    with db.read() as s:
        rows = s.scalars(
            select(Enquiry)
            .where(Enquiry.received_at >= lo, Enquiry.received_at < hi, Enquiry.voided_at.is_(None))
            .order_by(Enquiry.received_at.desc())
        ).all()
        return [
            EnquiryRow(
                e.id,
                e.received_at,
                e.visitor_name,
                e.visitor_phone,
                e.topic,
                TOPICS.get(e.topic, e.topic),
                e.question,
                e.answer,
                e.answered_by,
                e.referred_to,
                e.converted_case_id,
                e.dispute_type_code,
                e.division_code,
            )
            for e in rows
        ]


def count_enquiries(db: Database, start: date, end: date) -> dict[str, int]:
    """Enquiries per topic in the period, plus "total" and "converted" (turned into cases)."""
    lo, hi = _range(start, end)
    with db.read() as s:
        in_period = (
            Enquiry.received_at >= lo,
            Enquiry.received_at < hi,
            Enquiry.voided_at.is_(None),
        )
        counts = {topic: 0 for topic in TOPICS}
        for topic, n in s.execute(
            select(Enquiry.topic, func.count()).where(*in_period).group_by(Enquiry.topic)
        ):
            counts[topic] = n
        converted = s.scalar(
            select(func.count())
            .select_from(Enquiry)
            .where(*in_period, Enquiry.converted_case_id.is_not(None))
        )
    counts["total"] = sum(counts.values())  # topics from newer desks count too
    counts["converted"] = converted or 0
    return counts


#: Characters of the question that become the title of a case made from it.
CASE_TITLE_CHARS = 30


def case_input_from(row: EnquiryRow) -> cases.CaseInput:
    """The case an enquiry starts: its question as title and facts, the visitor applying.

    The clerk completes the rest (place, respondent …) on the intake form.
    """
    title = " ".join(row.question.split())[:CASE_TITLE_CHARS]  # a title is one line
    return cases.CaseInput(
        title=title,
        facts=row.question,
        dispute_type_code=row.dispute_type_code,
        division_code=row.division_code,
        parties=(
            cases.PartyInput(name=row.visitor_name, phone=row.visitor_phone, role="applicant"),
        ),
    )


def convert_to_case(
    desk: Desk, actor: Actor, enquiry_id: uuid.UUID, data: cases.CaseInput, draft: str = ""
) -> cases.CaseRef:
    """The visit turned out to be a dispute: register it as a case, linked to the enquiry.

    `draft`: the form whose saved draft this completes, deleted in the same transaction.
    """
    with desk.uow(actor) as uow:
        row = uow.session.get(Enquiry, enquiry_id)
        if row is None:
            raise DeskError("找不到该咨询登记")
        if row.voided_at is not None:
            raise DeskError("该咨询登记已作废，不能转为案件")
        if row.converted_case_id is not None:
            raise DeskError("该咨询已转为案件，不能重复转办")
        ref = cases.register_in(desk, uow, data)
        row.converted_case_id = ref.id
        uow.event(ref.id, "from_enquiry", "由咨询登记转为案件", {"enquiry_id": str(enquiry_id)})
        if draft:
            drafts.discard_in(uow.session, actor.user_id, draft)
    return ref
