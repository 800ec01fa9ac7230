"""Joint mediation (中心吹哨、部门报到): the center summons several units at once.

The officer sets the time, the place and the matter and names each unit asked
to come; each unit's confirmation and, after the meeting, its attendance are
recorded. A unit that was summoned and did not come stays visible to
supervision (`absences`). An expert may join by a video link.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.models import Case, JointMediation, JointMediationUnit, Unit
from desk_app.services.errors import Conflict, DeskError, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Role, require
from desk_app.services.uow import UnitOfWork
from desk_app.services.workflow import OPEN_STATUSES

STATES = {"scheduled": "已通知", "held": "已召开", "cancelled": "已取消"}


@dataclass(frozen=True)
class ConveneInput:
    scheduled_at: datetime
    place: str
    matter: str
    unit_codes: tuple[str, ...]
    expert_link: str = ""


@dataclass(frozen=True)
class Attendance:
    unit_code: str
    attended: bool
    absence_reason: str = ""


@dataclass(frozen=True)
class UnitView:
    id: uuid.UUID
    unit_code: str
    unit_name: str
    confirmed_at: datetime | None
    confirmed_by: str
    attended: bool | None
    absence_reason: str


@dataclass(frozen=True)
class MediationView:
    id: uuid.UUID
    case_id: uuid.UUID
    scheduled_at: datetime
    place: str
    matter: str
    expert_link: str
    state: str
    result: str
    convened_by: str
    units: list[UnitView]


def convene(uow: UnitOfWork, case_id: uuid.UUID, data: ConveneInput) -> uuid.UUID:
    """Summon units to an on-site mediation of an open case."""
    require(uow.actor, Role.OFFICER)
    s = uow.session
    case = s.get(Case, case_id)
    if case is None or case.voided_at is not None:
        raise DeskError("案件不存在或已作废")
    if case.status not in OPEN_STATUSES:
        raise Conflict("案件已办结，不能再组织联合调解")
    errors: dict[str, str] = {}
    place, matter = data.place.strip(), data.matter.strip()
    if not place:
        errors["place"] = "请填写调解地点"
    if not matter:
        errors["matter"] = "请填写调解事项"
    if data.scheduled_at < uow.now.replace(second=0, microsecond=0):
        errors["scheduled_at"] = "调解时间不能早于现在"
    codes = list(dict.fromkeys(c for c in data.unit_codes if c))
    units = {
        u.code: u
        for u in s.scalars(
            select(Unit).where(Unit.code.in_(codes), Unit.voided_at.is_(None), Unit.active)
        )
    }
    missing = [c for c in codes if c not in units]
    unit_errors = []
    if len(codes) < 2:
        unit_errors.append("联合调解至少通知两个单位")
    if missing:
        unit_errors.append(f"单位不存在或已停用：{'、'.join(missing)}")
    if unit_errors:
        errors["unit_codes"] = "；".join(unit_errors)
    link = data.expert_link.strip()
    if link and not link.lower().startswith(("https://", "http://")):
        errors["expert_link"] = "视频链接须以 https:// 开头"
    if errors:
        raise ValidationError(errors)
    meeting = JointMediation(
        case_id=case.id, scheduled_at=data.scheduled_at, place=place, matter=matter,
        expert_link=link, convened_by=uow.actor.username, state="scheduled",
    )  # fmt: skip
    uow.add(meeting)
    s.flush()
    for code in codes:
        uow.add(
            JointMediationUnit(
                mediation_id=meeting.id, case_id=case.id, unit_code=code,
                unit_name=units[code].name,
            )
        )  # fmt: skip
    when = data.scheduled_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    names = "、".join(units[c].name for c in codes)
    uow.event(
        case.id,
        "joint_convened",
        f"组织联合调解：{when}，{place}；通知 {names}" + ("；专家视频连线" if link else ""),
        {"mediation_id": meeting.id, "units": codes, "scheduled_at": data.scheduled_at},
    )
    return meeting.id


def confirm(uow: UnitOfWork, mediation_id: uuid.UUID, unit_code: str) -> None:
    """A summoned unit confirms it will come (recorded by the center or by the unit)."""
    require(uow.actor, Role.OFFICER, Role.MEDIATOR)
    row = _unit_row(uow.session, mediation_id, unit_code)
    meeting = _meeting(uow.session, mediation_id)
    if meeting.state != "scheduled":
        raise Conflict("该联合调解已召开或已取消")
    if row.confirmed_at is not None:
        return
    row.confirmed_at, row.confirmed_by = uow.now, uow.actor.username
    uow.event(meeting.case_id, "joint_confirmed", f"{row.unit_name}确认参加联合调解",
              {"mediation_id": mediation_id, "unit": unit_code})  # fmt: skip


def record(
    uow: UnitOfWork, mediation_id: uuid.UUID, attendance: list[Attendance], result: str
) -> None:
    """After the meeting: who came (a reason for each absence) and what came of it."""
    require(uow.actor, Role.OFFICER)
    s = uow.session
    meeting = _meeting(s, mediation_id)
    if meeting.state != "scheduled":
        raise Conflict("该联合调解已记录或已取消")
    rows = {
        r.unit_code: r
        for r in s.scalars(
            select(JointMediationUnit).where(JointMediationUnit.mediation_id == mediation_id)
        )
    }
    errors: dict[str, str] = {}
    given = {a.unit_code: a for a in attendance}
    if set(given) != set(rows):
        errors["attendance"] = "请逐一记录每个被通知单位是否到场"
    else:
        unexplained = [
            row.unit_name
            for code, row in rows.items()
            if not given[code].attended and not given[code].absence_reason.strip()
        ]
        if unexplained:  # supervision needs to know why a unit did not come
            errors["attendance"] = f"请填写未到场的原因：{'、'.join(unexplained)}"
    result = result.strip()
    if not result:
        errors["result"] = "请填写调解情况"
    if errors:
        raise ValidationError(errors)
    absent = []
    for code, row in rows.items():
        row.attended = given[code].attended
        row.absence_reason = given[code].absence_reason.strip()
        if not row.attended:
            absent.append(row.unit_name)
    meeting.state, meeting.held_at, meeting.result = "held", uow.now, result
    summary = f"联合调解已召开：{result}"
    if absent:
        summary += f"；未到场：{'、'.join(absent)}"
    uow.event(meeting.case_id, "joint_held", summary,
              {"mediation_id": mediation_id, "absent": absent})  # fmt: skip


def cancel(uow: UnitOfWork, mediation_id: uuid.UUID, reason: str) -> None:
    require(uow.actor, Role.OFFICER)
    meeting = _meeting(uow.session, mediation_id)
    if meeting.state != "scheduled":
        raise Conflict("该联合调解已召开或已取消")
    if not reason.strip():
        raise ValidationError({"reason": "请说明取消原因"})
    meeting.state = "cancelled"
    meeting.result = reason.strip()
    uow.event(meeting.case_id, "joint_cancelled", f"取消联合调解：{reason.strip()}",
              {"mediation_id": mediation_id})  # fmt: skip


def for_case(session: Session, case_id: uuid.UUID) -> list[MediationView]:
    meetings = session.scalars(
        select(JointMediation)
        .where(JointMediation.case_id == case_id, JointMediation.voided_at.is_(None))
        .order_by(JointMediation.scheduled_at.desc())
    ).all()
    out = []
    for m in meetings:
        units = session.scalars(
            select(JointMediationUnit)
            .where(JointMediationUnit.mediation_id == m.id)
            # In the order they were summoned (the rows of one meeting share a time).
            .order_by(JointMediationUnit.created_at, JointMediationUnit.id)
        )
        out.append(
            MediationView(
                m.id, m.case_id, m.scheduled_at, m.place, m.matter, m.expert_link, m.state,
                m.result, m.convened_by,
                [UnitView(u.id, u.unit_code, u.unit_name, u.confirmed_at, u.confirmed_by,
                          u.attended, u.absence_reason) for u in units],
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class Absence:
    unit_code: str
    unit_name: str
    case_id: uuid.UUID
    case_no: str
    scheduled_at: datetime
    reason: str


def absences(session: Session, since: datetime | None = None) -> list[Absence]:
    """Units summoned to a held joint mediation that did not come: for supervision."""
    q = (
        select(JointMediationUnit, JointMediation.scheduled_at, Case.case_no)
        .join(JointMediation, JointMediation.id == JointMediationUnit.mediation_id)
        .join(Case, Case.id == JointMediationUnit.case_id)
        .where(
            JointMediationUnit.attended.is_(False),
            JointMediationUnit.voided_at.is_(None),
            JointMediation.voided_at.is_(None),
            Case.voided_at.is_(None),
        )
        .order_by(JointMediation.scheduled_at.desc())
    )
    if since is not None:
        q = q.where(JointMediation.scheduled_at >= since)
    return [
        Absence(u.unit_code, u.unit_name, u.case_id, case_no, at, u.absence_reason)
        for u, at, case_no in session.execute(q)
    ]


def _meeting(session: Session, mediation_id: uuid.UUID) -> JointMediation:
    meeting = session.get(JointMediation, mediation_id)
    if meeting is None or meeting.voided_at is not None:
        raise DeskError("联合调解记录不存在")
    return meeting


def _unit_row(session: Session, mediation_id: uuid.UUID, unit_code: str) -> JointMediationUnit:
    row = session.scalars(
        select(JointMediationUnit).where(
            JointMediationUnit.mediation_id == mediation_id,
            JointMediationUnit.unit_code == unit_code,
        )
    ).first()
    if row is None:
        raise DeskError("该单位未被通知参加此次联合调解")
    return row
