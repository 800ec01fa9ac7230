"""Cases (matters brought to the desk), their parties, history and attachments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk_app.models.base import Base, SyncedRow

#: The statuses of open cases (the board's stages: services.board.STAGES, a test checks).
OPEN_STATUSES_SQL = (
    "'pending_triage', 'dispatched', 'signed', 'in_progress', 'fed_back', 'escalated'"
)
#: A case's place on the routing board (services.board), most urgent first: its step's
#: deadline while a clock runs; otherwise "z" and when it came in (after every deadline).
#: The board's query orders by exactly this text, so SQLite walks `ix_cases_board`.
BOARD_URGENCY_SQL = (
    "CASE WHEN paused_at IS NOT NULL OR step = '' OR due_at IS NULL "
    "THEN 'z' || received_at ELSE due_at END"
)


class Case(SyncedRow, Base):
    __tablename__ = "cases"
    __sync_transition_fields__: ClassVar[frozenset[str]] = frozenset({"status"})
    __table_args__ = (
        Index("ix_cases_status_received", "status", "received_at"),
        Index("ix_cases_division_code", "division_code"),
        Index("ix_cases_verify_code", "verify_code"),
        Index("ix_cases_repeat_of_id", "repeat_of_id"),
        Index("ix_cases_status_due", "status", "due_at"),
        Index("ix_cases_warn_at", "warn_at"),
        Index("ix_cases_lead_unit_code", "lead_unit_code"),
        # The routing board's cases in order of urgency, with every column its columns,
        # filters and warnings read: only open cases (a few per cent of a desk's), and a
        # snapshot never reads the table (50,000 open cases: 40 ms, not 85). On the desk
        # only: the center has no board.
        Index(
            "ix_cases_board",
            text(f"({BOARD_URGENCY_SQL})"),
            "status",
            "level",
            "lead_unit_code",
            "feedback_due_at",
            "warn_at",
            "dispute_type_code",
            "division_code",
            "channel",
            "received_at",
            "paused_at",
            "step",
            "due_at",
            sqlite_where=text(f"status IN ({OPEN_STATUSES_SQL}) AND voided_at IS NULL"),
            info={"desk_only": True},
        ),
    )

    #: The human number, e.g. 景综〔2026〕D03-00042; unique across all desks.
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(24))
    #: From whom (a transferring unit, the upper level) or what, for some channels.
    channel_note: Mapped[str] = mapped_column(String(100), default="", server_default="")
    received_at: Mapped[datetime]
    #: The registering user's id (None for the command line's system account).
    clerk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    registered_by: Mapped[str] = mapped_column(String(64))
    visitor_count: Mapped[int] = mapped_column(Integer, default=1)
    group_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    dispute_type_code: Mapped[str] = mapped_column(String(8))
    dispute_subtype: Mapped[str] = mapped_column(String(64), default="")
    #: 12-digit code of the matter's place (township or village).
    division_code: Mapped[str] = mapped_column(String(12))
    place_detail: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(100))
    facts: Mapped[str] = mapped_column(Text, default="")
    claims: Mapped[str] = mapped_column(Text, default="")
    #: 人民调解法 art. 25: may turn into a public-security or criminal case.
    police_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    police_reported_to: Mapped[str] = mapped_column(String(100), default="")
    police_reported_at: Mapped[datetime | None] = mapped_column(default=None)
    group_matter: Mapped[bool] = mapped_column(Boolean, default=False)
    foreign_related: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Printed on the receipt and in its QR code (no personal data): with the case number it
    #: lets a visitor ask about progress. Random, so it cannot be guessed from the number.
    verify_code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    #: 重复来访: the earlier case of the same person and matter this visit repeats. No
    #: foreign key: the earlier case may lie outside a desk's scope and never arrive there.
    repeat_of_id: Mapped[uuid.UUID | None] = mapped_column(default=None)

    # --- triage (研判) and routing: written only through services.workflow ----------------
    #: village | town | city | upper (reported to the upper center); "" before triage.
    level: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: mediation | petition | labour | medical | litigation | other; "" before triage.
    track: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: simple | ordinary | complex; "" before triage.
    complexity: Mapped[str] = mapped_column(String(8), default="", server_default="")
    triage_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    triaged_at: Mapped[datetime | None] = mapped_column(default=None)
    #: The responsible (lead) unit of the current dispatch, and all its units (lead first,
    #: comma-separated): a desk whose scope names one of them sees the case.
    lead_unit_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    unit_codes: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # --- the clock of the current step (stored when the step starts) -------------------
    #: triage | dispatch | sign | handle | review | followup | "" (no clock running).
    step: Mapped[str] = mapped_column(String(16), default="", server_default="")
    step_started_at: Mapped[datetime | None] = mapped_column(default=None)
    #: The step's deadline, and the moment 80 % of its time is used (临期).
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    warn_at: Mapped[datetime | None] = mapped_column(default=None)
    #: The step's allowed time in the rule's own days (with extensions) and how they count.
    due_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due_working_days: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: The handling deadline, set at dispatch (the clock starts then, not at signing), and
    #: the deadline for the unit's feedback after it.
    handle_due_at: Mapped[datetime | None] = mapped_column(default=None)
    feedback_due_at: Mapped[datetime | None] = mapped_column(default=None)
    paused_at: Mapped[datetime | None] = mapped_column(default=None)
    pause_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    extended_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: At closing: mediated (调解成功) | failed (调解不成) | terminated (终止) | upper (上级办结).
    outcome: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: After a failed mediation: arbitration | review | litigation | "" (handled outside).
    referral: Mapped[str] = mapped_column(String(16), default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.sort_order", lazy="selectin"
    )


class Party(SyncedRow, Base):
    """An applicant, respondent or third party: a person or an organisation."""

    __tablename__ = "parties"
    __table_args__ = (
        Index("ix_parties_id_number", "id_number"),
        Index("ix_parties_phone", "phone"),
        Index("ix_parties_name", "name"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # applicant | respondent | third_party
    kind: Mapped[str] = mapped_column(String(16))  # person | organisation
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str] = mapped_column(String(8), default="")
    #: GB/T 3304 code ("01" 汉族 … "97", "98"); empty for foreigners.
    ethnicity: Mapped[str] = mapped_column(String(4), default="")
    nationality: Mapped[str] = mapped_column(String(32), default="")
    id_type: Mapped[str] = mapped_column(String(24), default="")
    #: Normalised (upper case, no spaces); for organisations the unified social credit code.
    id_number: Mapped[str] = mapped_column(String(40), default="")
    birth_date: Mapped[date | None] = mapped_column(default=None)
    phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    occupation: Mapped[str] = mapped_column(String(64), default="")
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str] = mapped_column(String(32), default="")
    legal_representative: Mapped[str] = mapped_column(String(64), default="")
    contact_person: Mapped[str] = mapped_column(String(64), default="")
    #: One of the (at most five) elected representatives of a group visit.
    is_representative: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseEvent(SyncedRow, Base):
    """One entry of a case's history. Append-only: never patched, never voided."""

    __tablename__ = "case_events"
    __sync_create_kind__: ClassVar[str] = "append"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    #: Who did it: a username, or cli:<os user> for the command line.
    actor: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Attachment(SyncedRow, Base):
    """Metadata of an attached file; the file lives in attachments/ under its SHA-256."""

    __tablename__ = "attachments"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class Enquiry(SyncedRow, Base):
    """An advice-only visit (咨询登记): legal or policy advice, no dispute registered.

    It can be turned into a case later (`converted_case_id`).
    """

    __tablename__ = "enquiries"
    __table_args__ = (Index("ix_enquiries_received_at", "received_at"),)

    received_at: Mapped[datetime]
    visitor_name: Mapped[str] = mapped_column(String(100))
    visitor_phone: Mapped[str] = mapped_column(String(32), default="")
    topic: Mapped[str] = mapped_column(String(16))  # legal | policy | other
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    dispute_type_code: Mapped[str] = mapped_column(String(8), default="")
    division_code: Mapped[str] = mapped_column(String(12), default="")
    #: Who gave the answer (a username).
    answered_by: Mapped[str] = mapped_column(String(64))
    referred_to: Mapped[str] = mapped_column(String(100), default="")
    converted_case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
