"""Automatic warnings (预警) on the clocks of open cases.

- 临期 (near_due): 80 % of the step's time is used (counted in the rule's own days;
  the moment is stored as `cases.warn_at` when the step starts) and it is not over;
- 超期未办理 (overdue): the step passed its deadline (`cases.due_at`);
- 逾期未反馈 (no_feedback): the unit holds the case past its feedback deadline
  (`cases.feedback_due_at`, by default 3 working days after the handling deadline).

Each is plain SQL over indexed columns, so the status bar's counts and the
warnings list stay cheap with tens of thousands of open cases. A paused clock
warns of nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desk_app.models import Case, Party
from desk_app.services.workflow import WITH_UNIT

KINDS: dict[str, str] = {"overdue": "超期未办理", "no_feedback": "逾期未反馈", "near_due": "临期"}
#: Most urgent first.
ORDER = ("no_feedback", "overdue", "near_due")


def _conditions(now: datetime) -> dict[str, sa.ColumnElement[bool]]:
    running = sa.and_(
        Case.voided_at.is_(None),
        Case.paused_at.is_(None),
        Case.step != "",
        Case.due_at.is_not(None),
    )
    no_feedback = sa.and_(
        Case.voided_at.is_(None),
        Case.paused_at.is_(None),
        Case.status.in_(sorted(WITH_UNIT)),
        Case.feedback_due_at.is_not(None),
        Case.feedback_due_at < now,
    )
    overdue = sa.and_(running, Case.due_at < now, sa.not_(no_feedback))
    near = sa.and_(running, Case.warn_at <= now, Case.due_at >= now)
    return {"no_feedback": no_feedback, "overdue": overdue, "near_due": near}


def kind_column(now: datetime) -> sa.ColumnElement[str | None]:
    """A CASE expression naming a row's warning ("" for none), for lists and boards."""
    conds = _conditions(now)
    return sa.case(*((conds[k], k) for k in ORDER), else_="")


def counts(session: Session, now: datetime) -> dict[str, int]:
    """How many open cases carry each warning."""
    conds = _conditions(now)
    row = session.execute(
        sa.select(*(sa.func.count().filter(conds[k]).label(k) for k in ORDER))
        .select_from(Case)
        # Only rows that can warn at all (the index on warn_at narrows it down).
        .where(sa.or_(Case.warn_at <= now, Case.feedback_due_at < now))
    ).one()
    return {k: int(getattr(row, k) or 0) for k in ORDER}


@dataclass(frozen=True)
class WarningRow:
    case_id: uuid.UUID
    case_no: str
    title: str
    status: str
    step: str
    kind: str
    due_at: datetime | None
    feedback_due_at: datetime | None
    unit_code: str
    applicant: str


def listing(
    session: Session, now: datetime, kinds: tuple[str, ...] = ORDER, limit: int = 2000
) -> list[WarningRow]:
    """Cases with a warning, most urgent first (then the earliest deadline)."""
    kind = kind_column(now).label("kind")
    applicant = (
        sa.select(Party.name)
        .where(Party.case_id == Case.id, Party.role == "applicant", Party.voided_at.is_(None))
        .order_by(Party.sort_order)
        .limit(1)
        .scalar_subquery()
    )
    inner = (
        sa.select(
            Case.id, Case.case_no, Case.title, Case.status, Case.step, Case.due_at,
            Case.feedback_due_at, Case.lead_unit_code, kind,
        )
        .where(sa.or_(Case.warn_at <= now, Case.feedback_due_at < now))
        .subquery()
    )  # fmt: skip
    rank = sa.case(*((inner.c.kind == k, i) for i, k in enumerate(ORDER)), else_=9)
    rows = session.execute(
        sa.select(inner, applicant.label("applicant"))
        .join_from(inner, Case, Case.id == inner.c.id)
        .where(inner.c.kind.in_(kinds))
        .order_by(rank, inner.c.due_at)
        .limit(limit)
    ).all()
    return [
        WarningRow(
            r.id, r.case_no, r.title, r.status, r.step, r.kind, r.due_at, r.feedback_due_at,
            r.lead_unit_code, r.applicant or "",
        )
        for r in rows
    ]  # fmt: skip
