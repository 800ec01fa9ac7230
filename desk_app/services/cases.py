"""Registering cases (the core of intake; the full form's rules grow in intake.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from desk_app.models import Case, DisputeType, Division, Party
from desk_app.services import numbering
from desk_app.services.desk import Desk
from desk_app.services.errors import ValidationError
from desk_app.services.roles import Actor, Role, require

CHANNELS: dict[str, str] = {
    "walk_in": "窗口来访",
    "phone": "来电",
    "qr_code": "解纷码/一码通",
    "grid_worker": "网格员上报",
    "transfer": "派出所/法院/部门移交",
    "upper_level": "上级交办",
    "hotline_12345": "12345",
    "other": "其他",
}

#: Statuses of a case. Triage and routing (a later issue) add the transitions between them.
STATUSES: dict[str, str] = {
    "pending_triage": "待研判",
}

PARTY_ROLES = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}


@dataclass(frozen=True)
class PartyInput:
    name: str
    role: str = "applicant"
    kind: str = "person"
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    gender: str = ""
    ethnicity: str = ""


@dataclass(frozen=True)
class CaseInput:
    title: str
    dispute_type_code: str
    division_code: str
    channel: str = "walk_in"
    facts: str = ""
    claims: str = ""
    received_at: datetime | None = None
    parties: tuple[PartyInput, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CaseRef:
    id: uuid.UUID
    case_no: str
    status: str


def register_case(desk: Desk, actor: Actor, data: CaseInput) -> CaseRef:
    """Register a matter: case, parties, history event and outbox ops in one transaction."""
    require(actor, Role.CLERK, Role.OFFICER)
    info = desk.identity
    with desk.uow(actor) as uow:
        s = uow.session
        errors: dict[str, str] = {}
        if not data.title.strip():
            errors["title"] = "请填写事项标题"
        if data.channel not in CHANNELS:
            errors["channel"] = "请选择来源渠道"
        if (
            s.scalar(select(DisputeType.id).where(DisputeType.code == data.dispute_type_code))
            is None
        ):
            errors["dispute_type_code"] = "请选择纠纷类型"
        if s.scalar(select(Division.id).where(Division.code == data.division_code)) is None:
            errors["division_code"] = "请选择发生地（乡镇、村）"
        if not data.parties:
            errors["parties"] = "请至少登记一名申请人"
        if errors:
            raise ValidationError(errors)
        case_no = numbering.allocate(
            s,
            "case",
            template=info.case_no_template,
            center=info.short_name,
            desk=info.desk_code,
            at=uow.now,
        )
        case = Case(
            case_no=case_no,
            status="pending_triage",
            channel=data.channel,
            received_at=data.received_at or uow.now,
            clerk_id=actor.user_id,
            registered_by=actor.username,
            dispute_type_code=data.dispute_type_code,
            division_code=data.division_code,
            title=data.title.strip(),
            facts=data.facts,
            claims=data.claims,
        )
        uow.add(case)
        s.flush()
        for order, p in enumerate(data.parties):
            uow.add(
                Party(
                    case_id=case.id,
                    role=p.role,
                    kind=p.kind,
                    name=p.name.strip(),
                    id_type=p.id_type,
                    id_number=p.id_number.strip().upper(),
                    phone=p.phone,
                    gender=p.gender,
                    ethnicity=p.ethnicity,
                    sort_order=order,
                )
            )
        uow.event(case.id, "registered", f"登记受理 {case_no}", {"channel": data.channel})
        return CaseRef(case.id, case_no, case.status)
