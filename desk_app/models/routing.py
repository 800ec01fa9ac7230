"""Routing: dispatches to units, joint mediations, deadline rules and the holiday table.

The case itself carries its status and the deadlines of its current step (see
`Case`); the rows here record who was asked to do what, and the rules and
calendar that deadlines are counted on.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.models.base import Base, SyncedRow


class Assignment(SyncedRow, Base):
    """One dispatch (交办) of a case to a unit: the lead unit or a co-handling unit.

    A case dispatched again after a return (退单) gets new rows; the old ones keep
    their return. Sign (签收), return and feedback (反馈) are recorded on the lead
    unit's row, with `*_on_behalf` when center staff record them for a unit
    without a desk of its own.
    """

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_unit_code", "unit_code"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(32))
    #: The unit's name when dispatched (printed on the routing slip).
    unit_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(8))  # lead | co
    #: village | town | city: the level of the unit's handling.
    level: Mapped[str] = mapped_column(String(16))
    #: 交办事项: what the unit is asked to do.
    asked: Mapped[str] = mapped_column(Text, default="")
    #: The slip's number (交办单编号), from the desk's own counter.
    slip_no: Mapped[str] = mapped_column(String(64), default="")
    dispatched_at: Mapped[datetime]
    dispatched_by: Mapped[str] = mapped_column(String(64))
    sign_due_at: Mapped[datetime | None] = mapped_column(default=None)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    #: The handling time granted at dispatch, in the rule's own days, and how they count.
    handle_days: Mapped[int] = mapped_column(Integer, default=0)
    handle_working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signed_by: Mapped[str] = mapped_column(String(64), default="")
    signed_on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    returned_at: Mapped[datetime | None] = mapped_column(default=None)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None] = mapped_column(default=None)
    feedback_by: Mapped[str] = mapped_column(String(64), default="")
    feedback_on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_text: Mapped[str] = mapped_column(Text, default="")


class JointMediation(SyncedRow, Base):
    """中心吹哨、部门报到: the center summons several units to an on-site mediation."""

    __tablename__ = "joint_mediations"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    scheduled_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    matter: Mapped[str] = mapped_column(Text, default="")
    #: A video link to an expert who joins (the consultation feature comes later).
    expert_link: Mapped[str] = mapped_column(String(500), default="")
    convened_by: Mapped[str] = mapped_column(String(64))
    #: scheduled | held | cancelled
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    held_at: Mapped[datetime | None] = mapped_column(default=None)
    result: Mapped[str] = mapped_column(Text, default="")


class JointMediationUnit(SyncedRow, Base):
    """A unit summoned to a joint mediation: its confirmation and attendance."""

    __tablename__ = "joint_mediation_units"

    mediation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("joint_mediations.id"), index=True)
    #: The matter's case (its scope travels with it).
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(32), index=True)
    unit_name: Mapped[str] = mapped_column(String(128))
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_by: Mapped[str] = mapped_column(String(64), default="")
    #: None until the meeting is recorded; then whether the unit came.
    attended: Mapped[bool | None] = mapped_column(Boolean, default=None)
    absence_reason: Mapped[str] = mapped_column(Text, default="")


class DeadlineRule(SyncedRow, Base):
    """How long a step may take: per stage, and optionally per track, dispute type and
    complexity ("" matches any). Shipped defaults come from resources/data; a center
    administrator edits them and they sync like other rows."""

    __tablename__ = "deadline_rules"
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: triage | dispatch | sign | handle | feedback | review | followup | return
    stage: Mapped[str] = mapped_column(String(16))
    track: Mapped[str] = mapped_column(String(16), default="")
    dispute_type_code: Mapped[str] = mapped_column(String(8), default="")
    complexity: Mapped[str] = mapped_column(String(8), default="")
    days: Mapped[int] = mapped_column(Integer)
    #: True: working days on the holiday table; False: calendar days.
    working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The longest extension this rule allows (0: none).
    max_extension_days: Mapped[int] = mapped_column(Integer, default=0)
    #: An extension needs both parties' recorded consent (people's mediation).
    extension_needs_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    basis: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class HolidayYear(SyncedRow, Base):
    """One year of the State Council's holiday notice: its days off and make-up workdays.

    Years `chinesecalendar` knows need no row; an administrator loads later years
    (the notice comes out each November or December). A row overrides the package.
    """

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    #: ISO dates ("2027-02-06") that are statutory days off.
    holidays: Mapped[list[Any]] = mapped_column(default=list)
    #: ISO dates of weekend days that are working days (调休).
    workdays: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(String(200), default="")


class Supervision(SyncedRow, Base):
    """One rung of the supervision ladder against a unit on a case: 催办, then 督办, then
    挂牌督办 / 通报 / 约谈 — who, when, to whom, the message, and the unit's response."""

    __tablename__ = "supervisions"
    __table_args__ = (Index("ix_supervisions_unit_code_at", "unit_code", "at"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    #: urge (催办) | supervise (督办) | listed (挂牌督办) | notice (通报) | interview (约谈)
    level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(32))
    unit_name: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]
    #: Who raised it (a username).
    by: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text, default="")
    #: The deadline given for the response or the remedy, if any.
    respond_by: Mapped[datetime | None] = mapped_column(default=None)
    response: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(default=None)
    #: Who recorded the response (the unit's user, or center staff on its behalf).
    responded_by: Mapped[str] = mapped_column(String(64), default="")
    response_on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
