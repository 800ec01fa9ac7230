"""Supervision (督办) of the units handling a case: the ladder after the automatic 预警.

The center urges a unit that is slow (催办); if that does not help, it supervises
it formally (督办); a unit that still fails is listed (挂牌督办), named in a
circular (通报) or its head is summoned for a talk (约谈). Each rung is one row:
who raised it, when, against which unit, the message and the deadline given, and
later the unit's response (by the unit itself, or recorded for it by center staff
when the unit has no desk of its own). The rows count in the year-end assessment
of units (`for_unit`).

The ladder is climbed per unit and case: 催办 first; 督办 only after a 催办 of
that unit on that case; 挂牌督办, 通报 and 约谈 only after a 督办. A rung may be
raised again (a second 催办).

A rung raised in error is voided (撤销, `void_supervision`) with its reason, from
the top down: never deleted, it stays in the case's list (`for_case`, marked
voided) but no longer counts anywhere else (the ladder, the board's marks, the
case overview, the unit's records and assessment).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from desk_app.models import Assignment, Case, Supervision, User
from desk_app.services import workflow
from desk_app.services.errors import Conflict, DeskError, ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Role, require
from desk_app.services.text import check_text
from desk_app.services.uow import UnitOfWork
from desk_app.services.workflow import OPEN_STATUSES

#: The rungs, in ladder order (the later, the heavier).
LEVELS: dict[str, str] = {
    "urge": "催办",
    "supervise": "督办",
    "listed": "挂牌督办",
    "notice": "通报",
    "interview": "约谈",
}
#: The rung a level needs before it (on the same unit and case); None: none.
REQUIRES: dict[str, str | None] = {
    "urge": None,
    "supervise": "urge",
    "listed": "supervise",
    "notice": "supervise",
    "interview": "supervise",
}
_RANK = {code: i for i, code in enumerate(LEVELS)}
# Above this many ids `latest_levels` reads every supervised case and keeps the asked ones:
# an IN list of a board's 50 000 ids would pass SQLite's limit on bound variables.
_IN_LIMIT = 900


@dataclass(frozen=True)
class SuperviseInput:
    level: str
    #: The unit supervised; empty: the case's lead unit.
    unit_code: str = ""
    message: str = ""
    #: The deadline given for the response or the remedy (optional).
    respond_by: datetime | None = None


@dataclass(frozen=True)
class SupervisionView:
    id: uuid.UUID
    case_id: uuid.UUID
    case_no: str
    level: str
    unit_code: str
    unit_name: str
    at: datetime
    by: str
    by_name: str
    message: str
    respond_by: datetime | None
    response: str
    responded_at: datetime | None
    responded_by: str
    responded_by_name: str
    response_on_behalf: bool
    #: Set when the rung was voided (撤销): when, why and by whom.
    voided_at: datetime | None = None
    void_reason: str = ""
    voided_by: str = ""
    voided_by_name: str = ""

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)

    @property
    def answered(self) -> bool:
        return self.responded_at is not None

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


@dataclass(frozen=True)
class Target:
    """A unit the case is dispatched to, and the rungs the ladder allows against it now."""

    unit_code: str
    unit_name: str
    lead: bool
    next_levels: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """A case's supervision at a glance (the case overview)."""

    count: int
    #: The most recent rung and when it was raised.
    latest_level: str
    latest_at: datetime
    #: Rungs the units have not answered yet.
    unanswered: int


# --- commands ---------------------------------------------------------------------------------


def raise_supervision(uow: UnitOfWork, case_id: uuid.UUID, data: SuperviseInput) -> uuid.UUID:
    """Raise one rung of the ladder against a unit handling an open case."""
    require(uow.actor, Role.OFFICER)
    s = uow.session
    case = _open_case(s, case_id)
    targets = _active_units(s, case)
    if not targets:
        raise Conflict("案件尚未交办给承办单位，不能催办、督办")
    code = data.unit_code or case.lead_unit_code
    errors: dict[str, str] = {}
    if code not in targets:
        errors["unit_code"] = "该单位未承办本案：只能对本案的责任单位或协办单位催办、督办"
    if data.level not in LEVELS:
        errors["level"] = "请选择督办方式（催办、督办、挂牌督办、通报或约谈）"
    elif code in targets:
        missing = _missing_rung(s, case.id, code, data.level)
        if missing is not None:
            errors["level"] = (
                f"尚未对{targets[code]}{LEVELS[missing]}：须先{LEVELS[missing]}，"
                f"才能{LEVELS[data.level]}"
            )
    message = data.message.strip()
    if not message:
        errors["message"] = "请填写督办内容：要求该单位做什么、何时答复"
    if data.respond_by is not None and data.respond_by < uow.now:
        errors["respond_by"] = "答复期限不能早于现在"
    if errors:
        raise ValidationError(errors)
    row = Supervision(
        case_id=case.id, level=data.level, unit_code=code, unit_name=targets[code], at=uow.now,
        by=uow.actor.username, message=message, respond_by=data.respond_by,
    )  # fmt: skip
    uow.add(row)
    s.flush()
    label = LEVELS[data.level]
    summary = f"督办：{uow.actor.display_name}对{targets[code]}{label}：{message}"
    if data.respond_by is not None:
        summary += f"（限 {data.respond_by.astimezone(SHANGHAI):%Y-%m-%d} 前答复）"
    uow.event(
        case.id,
        "supervision",
        summary,
        {"supervision_id": row.id, "level": data.level, "unit": code,
         "respond_by": data.respond_by},
    )  # fmt: skip
    return row.id


def respond(uow: UnitOfWork, supervision_id: uuid.UUID, text: str, on_behalf: bool) -> None:
    """Record a unit's response to a rung: by the unit's own desk, or for it (代为登记)."""
    require(uow.actor, Role.MEDIATOR, Role.OFFICER)
    s = uow.session
    row = s.get(Supervision, supervision_id)
    if row is None or row.voided_at is not None:
        raise DeskError("督办记录不存在或已撤销")
    if row.responded_at is not None:
        raise Conflict(f"{row.unit_name}已于 {row.responded_at.astimezone(SHANGHAI):%Y-%m-%d} 答复")
    errors: dict[str, str] = {}
    text = text.strip()
    if not text:
        errors["response"] = "请填写单位的答复：做了什么、结果如何"
    # As in the unit's workflow steps: only a mediator at a unit with its own desk answers
    # for the unit; anyone else records the answer for it.
    behalf, behalf_error = workflow.recorded_for_unit(
        s, uow.actor, row.unit_code, row.unit_name, on_behalf
    )
    if behalf_error is not None:
        errors["on_behalf"] = behalf_error
    if errors:
        raise ValidationError(errors)
    row.response, row.responded_at = text, uow.now
    row.responded_by, row.response_on_behalf = uow.actor.username, behalf
    who = f"中心代{row.unit_name}登记" if behalf else row.unit_name
    uow.event(
        row.case_id,
        "supervision_response",
        f"{LEVELS.get(row.level, row.level)}答复（{who}）：{text}",
        {"supervision_id": row.id, "level": row.level, "unit": row.unit_code,
         "on_behalf": behalf},
    )  # fmt: skip


def void_supervision(uow: UnitOfWork, supervision_id: uuid.UUID, reason: str) -> None:
    """Void (撤销) a rung raised in error, with the reason: the row stays, marked void (a
    void op), and the case's history says who voided it and why.

    Who raised it, an officer or an administrator may void it; a rung that a live higher
    one against the same unit relies on (a 催办 under a 督办, a 督办 under a 挂牌督办,
    通报 or 约谈) is voided only after that one (from the top down).
    """
    s = uow.session
    row = s.get(Supervision, supervision_id)
    if row is None:
        raise DeskError("找不到该督办记录，可能尚未同步到本窗口")
    if row.by != uow.actor.username:
        require(uow.actor, Role.OFFICER)
    label = LEVELS.get(row.level, row.level)
    if row.voided_at is not None:
        raise Conflict(
            f"这条{label}已于 {row.voided_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 撤销"
            f"（{row.void_reason or '未写原因'}），无需再撤销"
        )
    case = s.get(Case, row.case_id)
    if case is None or case.voided_at is not None:
        raise DeskError("案件不存在或已作废，其督办记录不能再撤销")
    cleaned, problem = check_text(reason, "撤销原因", max_length=500, required=True)
    if problem is None and len(cleaned) < 2:
        problem = "请写明撤销原因（至少两个字）"
    if problem is not None:
        raise ValidationError({"reason": problem})
    above = _relying_on(s, row)
    if above is not None:
        higher = LEVELS.get(above.level, above.level)
        raise Conflict(
            f"对{row.unit_name}的{higher}（{above.at.astimezone(SHANGHAI):%Y-%m-%d}）以这条"
            f"{label}为前提：请先撤销{higher}，再撤销{label}"
        )
    row.voided_at, row.void_reason = uow.now, cleaned
    uow.event(
        row.case_id,
        "supervision_voided",
        f"撤销{label}（{row.unit_name}）：{cleaned}"[:200],
        {"supervision_id": row.id, "level": row.level, "unit": row.unit_code,
         "reason": cleaned},
    )  # fmt: skip


def _relying_on(s: Session, row: Supervision) -> Supervision | None:
    """The latest live rung against the same unit on the same case that needs `row`'s
    level and, without `row`, would have no live rung of that level raised before it;
    None: none (another 催办 before the 督办 still opens it, say)."""
    dependants = {code for code, needs in REQUIRES.items() if needs == row.level}
    if not dependants:
        return None
    live = s.scalars(
        select(Supervision)
        .where(
            Supervision.case_id == row.case_id,
            Supervision.unit_code == row.unit_code,
            Supervision.voided_at.is_(None),
            Supervision.id != row.id,
        )
        .order_by(Supervision.at.desc(), Supervision.id)
    ).all()
    same = [other.at for other in live if other.level == row.level]
    for other in live:
        if other.level in dependants and not any(at <= other.at for at in same):
            return other
    return None


# --- reading ----------------------------------------------------------------------------------


def for_case(session: Session, case_id: uuid.UUID) -> list[SupervisionView]:
    """A case's rungs, oldest first, voided ones too (marked `voided`: the history stays
    visible); everything else leaves voided rungs out."""
    return _views(
        session,
        select(Supervision, Case.case_no)
        .join(Case, Case.id == Supervision.case_id)
        .where(Supervision.case_id == case_id)
        .order_by(Supervision.at, Supervision.id),
    )


def for_unit(
    session: Session, unit_code: str, since: datetime | None = None, until: datetime | None = None
) -> list[SupervisionView]:
    """The rungs raised against a unit in [since, until), oldest first (for its assessment)."""
    q = (
        select(Supervision, Case.case_no)
        .join(Case, Case.id == Supervision.case_id)
        .where(
            Supervision.unit_code == unit_code,
            Supervision.voided_at.is_(None),
            Case.voided_at.is_(None),
        )
        .order_by(Supervision.at, Supervision.id)
    )
    if since is not None:
        q = q.where(Supervision.at >= since)
    if until is not None:
        q = q.where(Supervision.at < until)
    return _views(session, q)


def latest_levels(session: Session, case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The highest rung raised on each case that has one (for the marks on a board)."""
    wanted = set(case_ids)
    if not wanted:
        return {}
    rank = sql_case(_RANK, value=Supervision.level, else_=-1)
    q = (
        select(Supervision.case_id, func.max(rank))
        .where(Supervision.voided_at.is_(None))
        .group_by(Supervision.case_id)
    )
    if len(wanted) <= _IN_LIMIT:
        q = q.where(Supervision.case_id.in_(wanted))
    order = list(LEVELS)
    return {
        case_id: order[top]
        for case_id, top in session.execute(q)
        if case_id in wanted and top is not None and top >= 0
    }


def next_levels(session: Session, case_id: uuid.UUID, unit_code: str) -> list[str]:
    """The rungs the ladder allows against the unit now, in ladder order (empty: none —
    the case is closed or not dispatched to that unit)."""
    case = session.get(Case, case_id)
    if case is None or case.voided_at is not None or case.status not in OPEN_STATUSES:
        return []
    if unit_code not in _active_units(session, case):
        return []
    return _allowed(_raised(session, case_id, unit_code))


def targets(session: Session, case_id: uuid.UUID) -> list[Target]:
    """The units an open case is dispatched to (lead first), each with its `next_levels`."""
    case = session.get(Case, case_id)
    if case is None or case.voided_at is not None or case.status not in OPEN_STATUSES:
        return []
    units = _active_units(session, case)
    raised: dict[str, set[str]] = {code: set() for code in units}
    for code, level in session.execute(
        select(Supervision.unit_code, Supervision.level)
        .where(Supervision.case_id == case_id, Supervision.voided_at.is_(None))
        .distinct()
    ):
        raised.setdefault(code, set()).add(level)
    return [
        Target(code, name, code == case.lead_unit_code, tuple(_allowed(raised[code])))
        for code, name in units.items()
    ]


def summary(session: Session, case_id: uuid.UUID) -> Summary | None:
    """How many rungs a case has, the most recent, and how many wait for an answer."""
    rows = session.execute(
        select(Supervision.level, Supervision.at, Supervision.responded_at)
        .where(Supervision.case_id == case_id, Supervision.voided_at.is_(None))
        .order_by(Supervision.at, Supervision.id)
    ).all()
    if not rows:
        return None
    last = rows[-1]
    return Summary(len(rows), last.level, last.at, sum(1 for r in rows if r.responded_at is None))


# --- helpers ----------------------------------------------------------------------------------


def _open_case(s: Session, case_id: uuid.UUID) -> Case:
    case = s.get(Case, case_id)
    if case is None or case.voided_at is not None:
        raise DeskError("案件不存在或已作废")
    if case.status not in OPEN_STATUSES:
        raise Conflict("案件已办结，不能再催办、督办")
    return case


def _active_units(s: Session, case: Case) -> dict[str, str]:
    """The units the case is dispatched to now (code -> name at dispatch), lead first."""
    codes = [c for c in case.unit_codes.split(",") if c]
    names = {
        code: name
        for code, name in s.execute(
            select(Assignment.unit_code, Assignment.unit_name).where(
                Assignment.case_id == case.id,
                Assignment.unit_code.in_(codes),
                Assignment.voided_at.is_(None),
                Assignment.returned_at.is_(None),
            )
        )
    }
    return {code: names[code] for code in codes if code in names}


def _raised(s: Session, case_id: uuid.UUID, unit_code: str) -> set[str]:
    return set(
        s.scalars(
            select(Supervision.level)
            .where(
                Supervision.case_id == case_id,
                Supervision.unit_code == unit_code,
                Supervision.voided_at.is_(None),
            )
            .distinct()
        )
    )


def _allowed(raised: set[str]) -> list[str]:
    return [code for code, needs in REQUIRES.items() if needs is None or needs in raised]


def _missing_rung(s: Session, case_id: uuid.UUID, unit_code: str, level: str) -> str | None:
    needs = REQUIRES[level]
    if needs is None or needs in _raised(s, case_id, unit_code):
        return None
    return needs


def _views(session: Session, q: Select[Supervision, str]) -> list[SupervisionView]:
    rows = session.execute(q).all()
    users = {r.by for r, _no in rows} | {r.responded_by for r, _no in rows if r.responded_by}
    users |= {r.updated_by for r, _no in rows if r.voided_at is not None and r.updated_by}
    names: dict[str, str] = {}
    if users:
        names = {
            username: full_name
            for username, full_name in session.execute(
                select(User.username, User.full_name).where(User.username.in_(sorted(users)))
            )
        }
    out: list[SupervisionView] = []
    for r, case_no in rows:
        # The void is the row's last change: its stamp names who voided it.
        voided_by = r.updated_by if r.voided_at is not None else ""
        out.append(SupervisionView(
            r.id, r.case_id, case_no, r.level, r.unit_code, r.unit_name, r.at, r.by,
            names.get(r.by, r.by), r.message, r.respond_by, r.response, r.responded_at,
            r.responded_by, names.get(r.responded_by, r.responded_by), r.response_on_behalf,
            r.voided_at, r.void_reason or "", voided_by, names.get(voided_by, voided_by),
        ))  # fmt: skip
    return out
