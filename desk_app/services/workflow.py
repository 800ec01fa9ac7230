"""The case lifecycle: triage (研判), routing (分流交办) and every status change after it.

This module is the only way a case changes status. Each action is checked (from
which status, by which role, with what data), then done in one unit of work: the
case row (one transition op with its expected from-state, carrying the data
recorded with it), the dispatch rows, and one history event saying who, when
and why. A refused action writes nothing.

    待研判 -> 已交办 -> 已签收 -> 办理中 -> 已反馈 -> 已办结 -> 已回访 -> 已归档

A unit may return a case as outside its remit (退单) within the return window
(5 working days after dispatch); it goes back to triage. A case is escalated to
the upper center (已上报) when it is outside this level's authority; the upper
center either sends it back or closes it. The center reviews a unit's feedback
and closes the case (with its outcome) or sends it back for more work.

Deadlines (DOMAIN.md): each step's due date is stored when the step starts, from
the deadline rules and the holiday table, and moves only by a recorded pause or
extension. The clock of handling starts at dispatch, not at signing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.models import Assignment, Case, Unit, new_id
from desk_app.services import deadlines
from desk_app.services.cases import STATUSES
from desk_app.services.errors import Conflict, DeskError, ValidationError
from desk_app.services.roles import Actor, Role, require
from desk_app.services.uow import UnitOfWork
from desk_app.services.workcalendar import WorkCalendar, load_calendar

# --- vocabulary -----------------------------------------------------------------------------

#: Statuses in which a matter is still open (the board and the warnings watch these).
OPEN_STATUSES = frozenset(STATUSES) - {"closed", "visited", "archived"}
#: Statuses in which the lead unit holds the case (its handling clock runs).
WITH_UNIT = frozenset({"dispatched", "signed", "in_progress"})

LEVELS = {"village": "村（社区）", "town": "乡镇（街道）", "city": "市级", "upper": "上报上级中心"}
UNIT_LEVELS = ("village", "town", "city")
TRACKS = {
    "mediation": "人民调解",
    "petition": "信访",
    "labour": "劳动争议调解",
    "medical": "医疗纠纷调解",
    "litigation": "诉调对接",
    "administrative": "行政调解",
    "other": "其他",
}
COMPLEXITIES = {"simple": "简易", "ordinary": "一般", "complex": "复杂"}
OUTCOMES = {"mediated": "调解成功", "failed": "调解不成", "terminated": "终止", "upper": "上级办结"}
REFERRALS = {"arbitration": "转仲裁", "review": "转复议", "litigation": "转诉讼"}
PAUSE_REASONS = {"citizen": "等待当事人补充材料或到场", "appraisal": "鉴定（医疗纠纷）"}
SATISFACTION = {
    "satisfied": "满意",
    "mostly": "基本满意",
    "unsatisfied": "不满意",
    "unreached": "未能联系",
}
STEPS = {
    "triage": "研判",
    "dispatch": "交办",
    "sign": "签收",
    "handle": "办理",
    "review": "审核办结",
    "followup": "回访",
    "retriage": "重新研判",
}
#: The upper center (上级综治中心) of 景洪市.
UPPER_CENTER = "西双版纳州综治中心"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset[str]
    #: The status after it; None for actions that keep the status (triage, pause …).
    target: str | None
    roles: frozenset[Role]


def _action(
    name: str, label: str, sources: Iterable[str], target: str | None, *roles: Role
) -> Action:
    return Action(name, label, frozenset(sources), target, frozenset(roles))


_UNIT_SIDE = (Role.MEDIATOR, Role.OFFICER)
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _action("triage", "研判", ["pending_triage"], None, Role.OFFICER),
        _action("dispatch", "交办", ["pending_triage"], "dispatched", Role.OFFICER),
        _action(
            "escalate", "上报上级", ["pending_triage", "in_progress"], "escalated", Role.OFFICER
        ),
        _action("sign", "签收", ["dispatched"], "signed", *_UNIT_SIDE),
        _action("start", "开始办理", ["signed"], "in_progress", *_UNIT_SIDE),
        _action("return", "退单", ["dispatched", "signed"], "pending_triage", *_UNIT_SIDE),
        _action("feedback", "反馈", ["in_progress"], "fed_back", *_UNIT_SIDE),
        _action("rework", "退回重办", ["fed_back"], "in_progress", Role.OFFICER),
        _action("close", "办结", ["fed_back", "escalated"], "closed", Role.OFFICER),
        _action("send_back", "上级交回", ["escalated"], "pending_triage", Role.OFFICER),
        _action("visit", "回访", ["closed"], "visited", Role.OFFICER, Role.CLERK),
        _action("archive", "归档", ["visited"], "archived", Role.OFFICER),
        _action("pause", "暂停计时", ["signed", "in_progress"], None, Role.OFFICER),
        _action("resume", "恢复计时", ["signed", "in_progress"], None, Role.OFFICER),
        _action("extend", "延长期限", ["dispatched", "signed", "in_progress"], None, Role.OFFICER),
    )
}


def may(actor: Actor, action: str) -> bool:
    """Whether the actor's roles allow an action (administrators may do everything)."""
    return actor.has(Role.ADMIN, *ACTIONS[action].roles)


def available(status: str, actor: Actor, *, paused: bool = False) -> list[str]:
    """The actions open from a status to this actor, in the order of `ACTIONS`."""
    out = []
    for name, action in ACTIONS.items():
        if status not in action.sources or not may(actor, name):
            continue
        if (name == "pause" and paused) or (name == "resume" and not paused):
            continue
        out.append(name)
    return out


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageInput:
    level: str
    track: str
    complexity: str
    #: The responsible unit (empty when the matter is reported up).
    unit_code: str = ""
    co_unit_codes: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DispatchInput:
    asked: str
    #: The handling time granted, in the rule's days; None: the rule's default.
    handle_days: int | None = None
    #: Why a longer limit than the default applies (required when it is longer).
    longer_reason: str = ""


@dataclass(frozen=True)
class UnitStepInput:
    """签收, 开始办理, 退单 or 反馈, by the unit or recorded for it by center staff."""

    on_behalf: bool = False
    text: str = ""


@dataclass(frozen=True)
class CloseInput:
    outcome: str
    referral: str = ""
    note: str = ""


@dataclass(frozen=True)
class PauseInput:
    reason: str
    note: str = ""


@dataclass(frozen=True)
class ExtendInput:
    days: int
    reason: str
    #: Both parties agreed to a longer mediation (recorded; required where the rule says so).
    parties_consent: bool = False


@dataclass(frozen=True)
class VisitInput:
    satisfaction: str
    note: str = ""


@dataclass(frozen=True)
class NoteInput:
    """Escalate, send back, rework, archive: a reason or note (required for some)."""

    note: str = ""
    to: str = ""


@dataclass(frozen=True)
class Suggestion:
    level: str
    track: str
    complexity: str
    #: Unit codes in order of preference (the first is the suggested lead unit).
    units: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """What an action did, for the screen: the case's new status and any warnings."""

    case_id: uuid.UUID
    case_no: str
    status: str
    warnings: tuple[str, ...] = ()


# --- running an action ----------------------------------------------------------------------


class _Run:
    """One action on one case, inside a unit of work."""

    def __init__(self, uow: UnitOfWork, case_id: uuid.UUID, action: str) -> None:
        self.uow = uow
        self.s: Session = uow.session
        self.action = ACTIONS[action]
        require(uow.actor, *self.action.roles)
        case = self.s.get(Case, case_id)
        if case is None or case.voided_at is not None:
            raise DeskError("案件不存在或已作废")
        if case.status not in self.action.sources:
            allowed = "、".join(STATUSES[s] for s in sorted(self.action.sources, key=_order))
            raise Conflict(
                f"案件当前状态为“{STATUSES.get(case.status, case.status)}”，不能{self.action.label}"
                f"（仅限{allowed}的案件）"
            )
        self.case = case
        self.from_status = case.status
        # Every step relies on the case's status, whether or not it changes it: the center
        # refuses the whole step if another desk moved the case on meanwhile. The step's
        # ops (written together at `finish`) carry one action id; what the unit of work
        # wrote before stays outside it.
        self.s.flush()
        uow.txn_id = new_id()
        uow.expect_state(case)
        # The action's changes to the case become one op at the end: no query in between
        # may flush half of them (as a patch of its own) on the way.
        self.s.autoflush = False
        self.warnings: list[str] = []
        self._cal: WorkCalendar | None = None
        self._rules: list[deadlines.Rule] | None = None

    @property
    def cal(self) -> WorkCalendar:
        if self._cal is None:
            self._cal = load_calendar(self.s)
        return self._cal

    @property
    def rules(self) -> list[deadlines.Rule]:
        if self._rules is None:
            self._rules = deadlines.load_rules(self.s)
        return self._rules

    def rule(self, stage: str) -> deadlines.Rule:
        found = deadlines.pick(
            self.rules,
            stage,
            track=self.case.track,
            dispute_type_code=self.case.dispute_type_code,
            complexity=self.case.complexity,
        )
        if found is None:
            raise DeskError(f"没有“{stage}”阶段的期限规则，请管理员检查期限规则设置")
        return found

    def due(self, start: datetime, days: int, working: bool) -> deadlines.Due:
        due = deadlines.compute_due(self.cal, start, days, working)
        self.warnings.extend(w for w in due.warnings if w not in self.warnings)
        return due

    def start_step(self, step: str, rule_stage: str | None = None) -> None:
        """Start the clock of a step now, on its rule."""
        rule = self.rule(rule_stage or step)
        due = self.due(self.uow.now, rule.days, rule.working_days)
        self.set_clock(step, self.uow.now, due)

    def set_clock(self, step: str, started: datetime | None, due: deadlines.Due | None) -> None:
        case = self.case
        case.step = step
        case.step_started_at = started
        case.due_at = due.due_at if due else None
        case.warn_at = due.warn_at if due else None
        case.due_days = due.days if due else 0
        case.due_working_days = due.working if due else False
        case.paused_at = None
        case.pause_reason = ""

    def finish(self, summary: str, data: dict[str, Any] | None = None) -> Outcome:
        target = self.action.target
        if target is not None:
            self.case.status = target
        payload = {"action": self.action.name, "from": self.from_status, **(data or {})}
        if target is not None:
            payload["to"] = target
        if self.warnings:
            payload["warnings"] = self.warnings
        self.uow.event(self.case.id, self.action.name, summary, payload)
        self.s.flush()
        self.s.autoflush = True
        self.uow.txn_id = None
        self.uow.expected.pop(("cases", self.case.id), None)
        return Outcome(self.case.id, self.case.case_no, self.case.status, tuple(self.warnings))

    def lead(self) -> Assignment:
        row = self.s.scalars(
            select(Assignment)
            .where(
                Assignment.case_id == self.case.id,
                Assignment.role == "lead",
                Assignment.voided_at.is_(None),
                Assignment.returned_at.is_(None),
            )
            .order_by(Assignment.dispatched_at.desc())
            .limit(1)
        ).first()
        if row is None:
            raise DeskError("找不到该案件的交办记录")
        return row


def _order(status: str) -> int:
    return list(STATUSES).index(status) if status in STATUSES else 99


def _unit(session: Session, code: str) -> Unit | None:
    return session.scalars(select(Unit).where(Unit.code == code, Unit.voided_at.is_(None))).first()


def _required(value: str, name: str, message: str, errors: dict[str, str]) -> str:
    value = value.strip()
    if not value:
        errors[name] = message
    return value


# --- the actions ------------------------------------------------------------------------------


def triage(uow: UnitOfWork, case_id: uuid.UUID, data: TriageInput) -> Outcome:
    """研判: level, responsible and co-handling units, track, complexity and the reasoning."""
    run = _Run(uow, case_id, "triage")
    errors: dict[str, str] = {}
    if data.level not in LEVELS:
        errors["level"] = "请选择处置层级"
    if data.track not in TRACKS:
        errors["track"] = "请选择办理类别"
    if data.complexity not in COMPLEXITIES:
        errors["complexity"] = "请选择复杂程度"
    note = data.note.strip()
    if not note:
        errors["note"] = "请填写研判意见（理由）"
    units: list[Unit] = []
    if data.level in UNIT_LEVELS:
        if not data.unit_code:
            errors["unit_code"] = "请选择责任单位"
        else:
            lead = _unit(run.s, data.unit_code)
            if lead is None or not lead.active:
                errors["unit_code"] = "责任单位不存在或已停用"
            else:
                units.append(lead)
        for code in data.co_unit_codes:
            if code == data.unit_code:
                errors["co_unit_codes"] = "协办单位不能与责任单位相同"
                continue
            co = _unit(run.s, code)
            if co is None or not co.active:
                errors["co_unit_codes"] = f"协办单位 {code} 不存在或已停用"
            else:
                units.append(co)
    elif data.unit_code or data.co_unit_codes:
        errors["unit_code"] = "上报上级中心的事项不在本级指定责任单位"
    if errors:
        raise ValidationError(errors)
    case = run.case
    case.level, case.track, case.complexity = data.level, data.track, data.complexity
    case.triage_note = note
    case.triaged_at = uow.now
    case.lead_unit_code = units[0].code if units else ""
    case.unit_codes = ",".join(u.code for u in units)
    # Routing follows triage: its own (short) clock, on the track's rule.
    run.start_step("dispatch")
    names = "、".join(u.name for u in units) if units else UPPER_CENTER
    summary = (
        f"研判：{LEVELS[data.level]}，{TRACKS[data.track]}，{COMPLEXITIES[data.complexity]}；"
        f"{'责任单位 ' if units else '拟上报 '}{names}。理由：{note}"
    )
    return run.finish(
        summary,
        {
            "level": data.level, "track": data.track, "complexity": data.complexity,
            "units": [u.code for u in units], "note": note,
        },
    )  # fmt: skip


def handle_limit(session: Session, case_id: uuid.UUID) -> deadlines.HandleChoice:
    """The handling limits a dispatch may grant: the default (shorter) and a longer one."""
    case = session.get(Case, case_id)
    if case is None:
        raise DeskError("案件不存在")
    return deadlines.handle_options(
        deadlines.load_rules(session),
        track=case.track,
        dispute_type_code=case.dispute_type_code,
        complexity=case.complexity,
    )


def dispatch(uow: UnitOfWork, case_id: uuid.UUID, data: DispatchInput) -> Outcome:
    """交办: route the triaged case to its units; the sign and handling clocks start now."""
    run = _Run(uow, case_id, "dispatch")
    case = run.case
    errors: dict[str, str] = {}
    if case.triaged_at is None or not case.lead_unit_code:
        if case.level == "upper":
            raise Conflict("研判结论为上报上级中心：请使用“上报上级”，不能交办")
        raise Conflict("请先研判（确定层级和责任单位）再交办")
    asked = _required(data.asked, "asked", "请填写交办事项和要求", errors)
    choice = deadlines.handle_options(
        run.rules,
        track=case.track,
        dispute_type_code=case.dispute_type_code,
        complexity=case.complexity,
    )
    rule = choice.default
    days = rule.days if data.handle_days is None else data.handle_days
    reason = data.longer_reason.strip()
    if days < 1:
        errors["handle_days"] = "办理期限至少 1 天"
    elif days > rule.days:
        longer = choice.longer
        if longer is not None and days <= longer.days:
            if not reason:
                errors["longer_reason"] = (
                    f"办理期限超过默认的 {rule.days} 天，须填写理由"
                    "（两项规则取较短者，除非说明理由）"
                )
            rule = longer
        else:
            limit = longer.days if longer is not None else rule.days
            errors["handle_days"] = f"办理期限不能超过 {limit} 天；需要更长时间请办理延期"
    if errors:
        raise ValidationError(errors)
    now = uow.now
    handle = run.due(now, days, rule.working_days)
    sign_rule = run.rule("sign")
    sign = run.due(now, sign_rule.days, sign_rule.working_days)
    feedback_rule = run.rule("feedback")
    feedback = run.due(handle.due_at, feedback_rule.days, feedback_rule.working_days)
    previous = run.s.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.case_id == case.id, Assignment.role == "lead")
    )
    slip_no = f"{case.case_no}-{(previous or 0) + 1}"
    codes = case.unit_codes.split(",")
    for i, code in enumerate(codes):
        unit = _unit(run.s, code)
        if unit is None:
            raise ValidationError({"unit_code": f"单位 {code} 已不存在，请重新研判"})
        uow.add(
            Assignment(
                case_id=case.id, unit_code=unit.code, unit_name=unit.name,
                role="lead" if i == 0 else "co", level=case.level, asked=asked,
                slip_no=slip_no, dispatched_at=now, dispatched_by=uow.actor.username,
                sign_due_at=sign.due_at, due_at=handle.due_at, handle_days=days,
                handle_working_days=rule.working_days,
            )
        )  # fmt: skip
    case.handle_due_at = handle.due_at
    case.feedback_due_at = feedback.due_at
    case.extended_days = 0
    run.set_clock("sign", now, sign)
    lead_name = _unit(run.s, codes[0])
    summary = f"交办 {lead_name.name if lead_name else codes[0]}，办理期限 {days} 天：{asked}"
    if reason:
        summary += f"（较长期限理由：{reason}）"
    return run.finish(
        summary,
        {"units": codes, "asked": asked, "handle_days": days, "rule": rule.code,
         "longer_reason": reason, "slip_no": slip_no},
    )  # fmt: skip


def recorded_for_unit(
    session: Session, actor: Actor, unit_code: str, unit_name: str, on_behalf: bool
) -> tuple[bool, str | None]:
    """Whether center staff record something for a unit (代为登记), and the error if they
    did not say so: only a mediator at a unit with a desk of its own acts for the unit.

    Returns (on behalf, Chinese message for the `on_behalf` field or None).
    """
    unit = _unit(session, unit_code)
    has_desk = bool(unit and unit.has_desk)
    own = actor.has(Role.MEDIATOR) and has_desk
    if not own and not on_behalf:
        why = "没有自己的窗口" if not has_desk else "的窗口未登记此事"
        return True, f"{unit_name}{why}：请勾选“代为登记”，由中心工作人员代为登记"
    return on_behalf or not own, None


def _unit_side(run: _Run, data: UnitStepInput) -> tuple[Assignment, bool]:
    """The lead dispatch, and whether center staff record this for the unit (代为)."""
    row = run.lead()
    behalf, error = recorded_for_unit(
        run.s, run.uow.actor, row.unit_code, row.unit_name, data.on_behalf
    )
    if error is not None:
        raise ValidationError({"on_behalf": error})
    return row, behalf


def _behalf(row: Assignment, on_behalf: bool) -> str:
    return f"（中心代{row.unit_name}登记）" if on_behalf else f"（{row.unit_name}）"


def sign(uow: UnitOfWork, case_id: uuid.UUID, data: UnitStepInput) -> Outcome:
    """签收: the unit receives the case; the handling clock (started at dispatch) runs on."""
    run = _Run(uow, case_id, "sign")
    row, on_behalf = _unit_side(run, data)
    row.signed_at, row.signed_by, row.signed_on_behalf = uow.now, uow.actor.username, on_behalf
    _handle_clock(run, row)
    late = row.sign_due_at is not None and uow.now > row.sign_due_at
    return run.finish(
        f"签收{_behalf(row, on_behalf)}{'（超过签收时限）' if late else ''}",
        {"unit": row.unit_code, "on_behalf": on_behalf, "late": late},
    )


def _handle_clock(run: _Run, row: Assignment) -> None:
    """The handling step's clock: started at dispatch, due at the stored handling deadline."""
    case = run.case
    due = run.due(row.dispatched_at, row.handle_days, row.handle_working_days)
    stored = case.handle_due_at or due.due_at
    # The stored deadline wins (it moved only by recorded pauses and extensions); 临期
    # keeps the rule's distance before it.
    run.set_clock(
        "handle",
        row.dispatched_at,
        deadlines.Due(
            due_at=stored,
            warn_at=_shifted_warn(due, stored),
            days=row.handle_days + case.extended_days,
            working=row.handle_working_days,
            warnings=due.warnings,
        ),
    )


def _shifted_warn(due: deadlines.Due, stored: datetime) -> datetime:
    """warn_at moved by as much as the deadline moved (a pause or an extension)."""
    return due.warn_at + (stored - due.due_at)


def start(uow: UnitOfWork, case_id: uuid.UUID, data: UnitStepInput) -> Outcome:
    """开始办理: the unit starts handling (mediation, investigation …)."""
    run = _Run(uow, case_id, "start")
    row, on_behalf = _unit_side(run, data)
    return run.finish(
        f"开始办理{_behalf(row, on_behalf)}" + (f"：{text}" if (text := data.text.strip()) else ""),
        {"unit": row.unit_code, "on_behalf": on_behalf},
    )


def return_case(uow: UnitOfWork, case_id: uuid.UUID, data: UnitStepInput) -> Outcome:
    """退单: the unit returns the case as outside its remit, within the return window."""
    run = _Run(uow, case_id, "return")
    reason = data.text.strip()
    if not reason:
        raise ValidationError({"text": "请说明退单理由（为何不属于本单位职责）"})
    row, on_behalf = _unit_side(run, data)
    window = run.rule("return_window")
    limit = run.due(row.dispatched_at, window.days, window.working_days)
    if uow.now > limit.due_at:
        raise Conflict(
            f"已超过退单时限（交办之日起 {window.days} 个"
            f"{'工作日' if window.working_days else '日'}），不能退单；请与中心协调"
        )
    row.returned_at, row.return_reason = uow.now, reason
    for co in run.s.scalars(
        select(Assignment).where(
            Assignment.case_id == run.case.id,
            Assignment.dispatched_at == row.dispatched_at,
            Assignment.role == "co",
            Assignment.returned_at.is_(None),
        )
    ):
        co.returned_at, co.return_reason = uow.now, "责任单位退单"
    case = run.case
    case.lead_unit_code, case.unit_codes = "", ""
    case.handle_due_at, case.feedback_due_at, case.extended_days = None, None, 0
    case.triaged_at = None  # back to triage: the next routing needs a new decision
    run.start_step("retriage")
    return run.finish(
        f"退单{_behalf(row, on_behalf)}：{reason}",
        {"unit": row.unit_code, "on_behalf": on_behalf, "reason": reason},
    )


def feedback(uow: UnitOfWork, case_id: uuid.UUID, data: UnitStepInput) -> Outcome:
    """反馈: the unit reports what it did and the result; the center reviews it."""
    run = _Run(uow, case_id, "feedback")
    text = data.text.strip()
    if not text:
        raise ValidationError({"text": "请填写办理情况和结果"})
    row, on_behalf = _unit_side(run, data)
    row.feedback_at, row.feedback_by = uow.now, uow.actor.username
    row.feedback_on_behalf, row.feedback_text = on_behalf, text
    late = run.case.feedback_due_at is not None and uow.now > run.case.feedback_due_at
    run.start_step("review")
    return run.finish(
        f"反馈{_behalf(row, on_behalf)}：{text}", {"unit": row.unit_code, "on_behalf": on_behalf,
                                                  "late": late},
    )  # fmt: skip


def rework(uow: UnitOfWork, case_id: uuid.UUID, data: NoteInput) -> Outcome:
    """退回重办: the center does not accept the feedback; handling goes on, on its deadline."""
    run = _Run(uow, case_id, "rework")
    note = data.note.strip()
    if not note:
        raise ValidationError({"note": "请说明退回重办的理由"})
    row = run.lead()
    row.feedback_at, row.feedback_text, row.feedback_by = None, "", ""
    _handle_clock(run, row)
    return run.finish(f"退回重办：{note}", {"note": note})


def close(uow: UnitOfWork, case_id: uuid.UUID, data: CloseInput) -> Outcome:
    """办结, with the outcome: mediated, failed (and where it went next), terminated."""
    run = _Run(uow, case_id, "close")
    errors: dict[str, str] = {}
    if data.outcome not in OUTCOMES:
        errors["outcome"] = "请选择办理结果"
    elif data.outcome == "upper" and run.from_status != "escalated":
        errors["outcome"] = "“上级办结”仅用于已上报的案件"
    if data.referral and (data.referral not in REFERRALS or data.outcome != "failed"):
        errors["referral"] = "只有调解不成的案件可以转仲裁、复议或诉讼"
    note = data.note.strip()
    if data.outcome in ("terminated", "failed") and not note:
        errors["note"] = "请说明调解不成或终止的原因"
    if errors:
        raise ValidationError(errors)
    case = run.case
    case.outcome, case.referral, case.closed_at = data.outcome, data.referral, uow.now
    run.start_step("followup")
    text = OUTCOMES[data.outcome] + (f"，{REFERRALS[data.referral]}" if data.referral else "")
    return run.finish(
        f"办结：{text}{('。' + note) if note else ''}",
        {"outcome": data.outcome, "referral": data.referral, "note": note},
    )


def escalate(uow: UnitOfWork, case_id: uuid.UUID, data: NoteInput) -> Outcome:
    """上报: the matter is outside this level's authority; the upper center takes it."""
    run = _Run(uow, case_id, "escalate")
    note = data.note.strip()
    if not note:
        raise ValidationError({"note": "请说明上报理由（为何超出本级权限）"})
    to = data.to.strip() or UPPER_CENTER
    case = run.case
    if run.from_status == "in_progress":
        row = run.lead()
        row.feedback_text = row.feedback_text or "（已上报上级中心）"
    case.level = "upper"
    run.set_clock("", None, None)
    return run.finish(f"上报{to}：{note}", {"to": to, "note": note})


def send_back(uow: UnitOfWork, case_id: uuid.UUID, data: NoteInput) -> Outcome:
    """上级交回: the upper center sends the matter back to be handled at this level."""
    run = _Run(uow, case_id, "send_back")
    note = data.note.strip()
    if not note:
        raise ValidationError({"note": "请填写上级中心的意见"})
    case = run.case
    case.triaged_at, case.lead_unit_code, case.unit_codes = None, "", ""
    run.start_step("retriage")
    return run.finish(f"上级交回：{note}", {"note": note})


def visit(uow: UnitOfWork, case_id: uuid.UUID, data: VisitInput) -> Outcome:
    """回访: a follow-up with the parties after closing."""
    run = _Run(uow, case_id, "visit")
    if data.satisfaction not in SATISFACTION:
        raise ValidationError({"satisfaction": "请选择回访结果"})
    note = data.note.strip()
    run.set_clock("", None, None)
    return run.finish(
        f"回访：{SATISFACTION[data.satisfaction]}{('。' + note) if note else ''}",
        {"satisfaction": data.satisfaction, "note": note},
    )


def archive(uow: UnitOfWork, case_id: uuid.UUID, data: NoteInput) -> Outcome:
    """归档."""
    run = _Run(uow, case_id, "archive")
    note = data.note.strip()
    return run.finish(f"归档{('：' + note) if note else ''}", {"note": note})


def pause(uow: UnitOfWork, case_id: uuid.UUID, data: PauseInput) -> Outcome:
    """暂停计时, only for the reasons the rules allow (waiting on the citizen; appraisal on
    the medical track, which the regulation excludes from the time limit)."""
    run = _Run(uow, case_id, "pause")
    case = run.case
    errors: dict[str, str] = {}
    if data.reason not in PAUSE_REASONS:
        errors["reason"] = "请选择暂停原因"
    elif data.reason == "appraisal" and case.track != "medical":
        errors["reason"] = "鉴定期间不计入期限仅适用于医疗纠纷调解"
    note = data.note.strip()
    if not note:
        errors["note"] = "请说明暂停的具体情况"
    if case.paused_at is not None:
        raise Conflict("该案件已在暂停计时中")
    if errors:
        raise ValidationError(errors)
    case.paused_at, case.pause_reason = uow.now, f"{PAUSE_REASONS[data.reason]}：{note}"
    return run.finish(
        f"暂停计时：{PAUSE_REASONS[data.reason]}：{note}",
        {"reason": data.reason, "note": note, "paused_at": uow.now},
    )


def resume(uow: UnitOfWork, case_id: uuid.UUID, data: NoteInput) -> Outcome:
    """恢复计时: the deadline moves by the paused time, counted in the rule's days."""
    run = _Run(uow, case_id, "resume")
    case = run.case
    if case.paused_at is None or case.due_at is None or case.warn_at is None:
        raise Conflict("该案件没有暂停计时")
    paused_at = case.paused_at
    before = deadlines.Due(case.due_at, case.warn_at, case.due_days, case.due_working_days, ())
    after = deadlines.paused(run.cal, before, paused_at, uow.now)
    run.warnings.extend(after.warnings)
    shift = after.due_at - before.due_at
    reason = case.pause_reason
    step, started = case.step, case.step_started_at
    run.set_clock(step, started, after)
    if case.handle_due_at is not None and step == "handle":
        case.handle_due_at = after.due_at
        row = run.lead()
        row.due_at = after.due_at
        if case.feedback_due_at is not None:
            case.feedback_due_at = case.feedback_due_at + shift
    note = data.note.strip()
    return run.finish(
        f"恢复计时（暂停原因：{reason}），期限顺延至 {_date(after.due_at)}"
        + (f"：{note}" if note else ""),
        {"paused_at": paused_at, "resumed_at": uow.now, "due_before": before.due_at,
         "due_after": after.due_at, "reason": reason, "note": note},
    )  # fmt: skip


def extend(uow: UnitOfWork, case_id: uuid.UUID, data: ExtendInput) -> Outcome:
    """延长期限 of handling, within the rule's limit, with a reason (and, for people's
    mediation, both parties' consent)."""
    run = _Run(uow, case_id, "extend")
    case = run.case
    row = run.lead()
    rule = _handle_rule(run, row)
    errors: dict[str, str] = {}
    reason = data.reason.strip()
    if not reason:
        errors["reason"] = "请说明延期理由"
    if data.days < 1:
        errors["days"] = "延长天数至少 1 天"
    elif rule.max_extension_days <= 0:
        errors["days"] = f"“{rule.basis or rule.code}”不允许延长期限"
    elif case.extended_days + data.days > rule.max_extension_days:
        left = rule.max_extension_days - case.extended_days
        errors["days"] = f"最多可再延长 {max(left, 0)} 天（共不超过 {rule.max_extension_days} 天）"
    if rule.extension_needs_consent and not data.parties_consent:
        errors["parties_consent"] = "人民调解延长期限须经双方当事人同意，请确认并记录"
    if case.paused_at is not None:
        errors["days"] = "暂停计时期间不能延期，请先恢复计时"
    if errors:
        raise ValidationError(errors)
    assert case.handle_due_at is not None
    handle = deadlines.Due(
        case.handle_due_at,
        case.warn_at if case.step == "handle" and case.warn_at else case.handle_due_at,
        row.handle_days + case.extended_days,
        row.handle_working_days,
        (),
    )
    after = deadlines.extended(run.cal, handle, data.days)
    run.warnings.extend(after.warnings)
    shift = after.due_at - handle.due_at
    case.extended_days += data.days
    case.handle_due_at = after.due_at
    row.due_at = after.due_at
    if case.feedback_due_at is not None:
        case.feedback_due_at = case.feedback_due_at + shift
    if case.step == "handle":
        run.set_clock("handle", case.step_started_at, after)
    return run.finish(
        f"延长办理期限 {data.days} 天至 {_date(after.due_at)}：{reason}"
        + ("（双方当事人同意）" if data.parties_consent else ""),
        {"days": data.days, "reason": reason, "parties_consent": data.parties_consent,
         "due_before": handle.due_at, "due_after": after.due_at},
    )  # fmt: skip


def _handle_rule(run: _Run, row: Assignment) -> deadlines.Rule:
    choice = deadlines.handle_options(
        run.rules,
        track=run.case.track,
        dispute_type_code=run.case.dispute_type_code,
        complexity=run.case.complexity,
    )
    # The track's rule governs extensions (the petition and mediation limits), whichever
    # limit was granted at dispatch.
    track_rule = deadlines.pick(run.rules, "handle", track=run.case.track)
    if track_rule is not None and track_rule.track:
        return track_rule
    for rule in (choice.default, choice.longer):
        if rule is not None and rule.days == row.handle_days:
            return rule
    return choice.default


def _date(at: datetime) -> str:
    from desk_app.services.numbering import SHANGHAI

    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d")


# --- routing suggestions -----------------------------------------------------------------

#: Dispute types usually settled where people live (village or community first).
_LOCAL_TYPES = frozenset({"01", "02", "03", "07", "08", "20", "21"})
#: Dispute types with a specialist track and a city-level body.
_TRACK_OF_TYPE = {"11": "labour", "12": "medical", "23": "petition"}
_CITY_TYPES = frozenset({"09", "10", "11", "12", "14", "17", "22", "23"})


def suggest(session: Session, dispute_type_code: str, division_code: str) -> Suggestion:
    """The usual level, track and units for a dispute type and place (reference tables);
    the officer decides."""
    is_village = len(division_code) == 12 and not division_code.endswith("000")
    town9 = division_code[:9]
    track = _TRACK_OF_TYPE.get(dispute_type_code, "mediation")
    if dispute_type_code in _CITY_TYPES:
        level = "city"
    elif dispute_type_code in _LOCAL_TYPES and is_village:
        level = "village"
    else:
        level = "town"
    local = [f"{division_code}-CWH"] if is_village else []
    local += [f"{town9}-TWH", f"{town9}-SFS", f"{town9}-ZF"]
    city = [
        u.code
        for u in session.scalars(
            select(Unit)
            .where(Unit.level == "city", Unit.voided_at.is_(None), Unit.active.is_(True))
            .order_by(Unit.sort_order)
        )
        if dispute_type_code in (u.dispute_types or [])
    ]
    ordered = (city + local) if level == "city" else (local + city)
    known = set(
        session.scalars(select(Unit.code).where(Unit.code.in_(ordered), Unit.voided_at.is_(None)))
    )
    units = [c for c in ordered if c in known]
    reason = {
        "city": "该类纠纷通常由市级专门机构办理",
        "village": "婚姻家庭、邻里等纠纷宜先由村（社区）就地化解",
        "town": "由乡镇（街道）调委会、司法所组织调处",
    }[level]
    return Suggestion(level=level, track=track, complexity="ordinary", units=units, reason=reason)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchView:
    unit_code: str
    unit_name: str
    role: str
    asked: str
    slip_no: str
    dispatched_at: datetime
    dispatched_by: str
    due_at: datetime | None
    signed_at: datetime | None
    signed_on_behalf: bool
    returned_at: datetime | None
    return_reason: str
    feedback_at: datetime | None
    feedback_text: str


def dispatches(session: Session, case_id: uuid.UUID) -> list[DispatchView]:
    """A case's dispatches, newest first (lead before co units)."""
    rows = session.scalars(
        select(Assignment)
        .where(Assignment.case_id == case_id, Assignment.voided_at.is_(None))
        .order_by(Assignment.dispatched_at.desc(), Assignment.role.desc())
    )
    return [
        DispatchView(
            r.unit_code, r.unit_name, r.role, r.asked, r.slip_no, r.dispatched_at,
            r.dispatched_by, r.due_at, r.signed_at, r.signed_on_behalf, r.returned_at,
            r.return_reason, r.feedback_at, r.feedback_text,
        )
        for r in rows
    ]  # fmt: skip


#: The functions behind each action, for front ends that dispatch by name.
RUNNERS: dict[str, Any] = {
    "triage": triage,
    "dispatch": dispatch,
    "escalate": escalate,
    "sign": sign,
    "start": start,
    "return": return_case,
    "feedback": feedback,
    "rework": rework,
    "close": close,
    "send_back": send_back,
    "visit": visit,
    "archive": archive,
    "pause": pause,
    "resume": resume,
    "extend": extend,
}
