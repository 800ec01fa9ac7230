"""Deadline rules and deadline arithmetic (DOMAIN.md, "Deadlines").

Counting (DEFAULT, borrowed from 民事诉讼法 art. 85):

* The starting day is the Asia/Shanghai date of the moment the step starts; it
  is not counted.
* Calendar days: the end date is the start date + `days`; when that date is
  not a working day (a statutory day off or a weekend) the period ends on the
  next working day.
* Working days: the end date is the `days`-th working day after the start date.
* `days == 0`: the end of the starting day itself (no move to a working day).
* A deadline falls at the end of its day, Asia/Shanghai. It is stored as the
  last microsecond of that day (the first instant of the next Shanghai day
  minus 1 µs), in UTC: `now > due_at` is then exactly "the day has passed",
  and the Shanghai date of `due_at` is the due date.

临期 (`warn_at`): when 80 % of the step's time is used, counted in the rule's own
days. For `days >= 1`, k = floor(0.8 * days): the end of the k-th counted day
after the start (calendar or working days, like the rule; no move off a day
off); k == 0 (a one-day rule) gives the start (00:00 Shanghai) of the due date.
For `days == 0`, 80 % of the time between the start and the end of the day.

A year with no holiday schedule (see workcalendar) counts weekends only; every
such year a deadline's counting touches adds a warning.

A `Due` is what a step stores (`due_at`, `warn_at`) plus the rule's counting
(`days`, `working`); `paused` and `extended` take a `Due` rebuilt from the
stored values, so they need nothing else. `extended` makes `days` the new total
(rule days + extensions) and counts `warn_at` back from the new due date:
the end of the day (total - floor(0.8 * total)) rule days before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.models import DeadlineRule
from desk_app.services.errors import ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.uow import UnitOfWork
from desk_app.services.workcalendar import WorkCalendar

#: The share of a step's time after which it is 临期, as a fraction (4/5 = 80 %).
WARN_NUM, WARN_DEN = 4, 5
_ONE_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Rule:
    """A deadline rule (see `DeadlineRule`): "" in track/type/complexity matches any."""

    code: str
    stage: str
    days: int
    working_days: bool = False
    track: str = ""
    dispute_type_code: str = ""
    complexity: str = ""
    max_extension_days: int = 0
    extension_needs_consent: bool = False
    basis: str = ""
    active: bool = True

    @classmethod
    def from_row(cls, row: DeadlineRule) -> Rule:
        return cls(
            code=row.code,
            stage=row.stage,
            days=row.days,
            working_days=row.working_days,
            track=row.track or "",
            dispute_type_code=row.dispute_type_code or "",
            complexity=row.complexity or "",
            max_extension_days=row.max_extension_days or 0,
            extension_needs_consent=row.extension_needs_consent,
            basis=row.basis or "",
            active=row.active,
        )

    @property
    def specificity(self) -> int:
        """How many of track, dispute type and complexity the rule names."""
        return sum(1 for v in (self.track, self.dispute_type_code, self.complexity) if v)

    @property
    def span(self) -> float:
        """Rough length in calendar days (a working week is 7/5 calendar days), to compare."""
        return self.days * 7 / 5 if self.working_days else float(self.days)


def load_rules(session: Session) -> list[Rule]:
    """The active, non-voided deadline rules, by code."""
    rows = session.scalars(
        select(DeadlineRule)
        .where(DeadlineRule.voided_at.is_(None), DeadlineRule.active.is_(True))
        .order_by(DeadlineRule.code)
    ).all()
    return [Rule.from_row(r) for r in rows]


def _applies(rule: Rule, stage: str, track: str, dispute_type_code: str, complexity: str) -> bool:
    return (
        rule.active
        and rule.stage == stage
        and rule.track in ("", track)
        and rule.dispute_type_code in ("", dispute_type_code)
        and rule.complexity in ("", complexity)
    )


def _best(rules: Iterable[Rule]) -> Rule | None:
    """Most specific first; among equals the shorter (by `span`, then days), then by code."""
    return min(rules, key=lambda r: (-r.specificity, r.span, r.days, r.code), default=None)


def pick(
    rules: Iterable[Rule],
    stage: str,
    *,
    track: str = "",
    dispute_type_code: str = "",
    complexity: str = "",
) -> Rule | None:
    """The rule for `stage`: of those whose non-empty fields all match, the most specific;
    a tie goes to the shorter one. None if no rule applies."""
    return _best(r for r in rules if _applies(r, stage, track, dispute_type_code, complexity))


@dataclass(frozen=True)
class HandleChoice:
    """The handling rule: `default` applies; `longer`, when there is one, is the other
    applicable limit, which an officer may choose only with a recorded reason."""

    default: Rule
    longer: Rule | None = None


HANDLE = "handle"


def handle_options(
    rules: Iterable[Rule], *, track: str, dispute_type_code: str = "", complexity: str = ""
) -> HandleChoice:
    """The handling limit where a track limit and a complexity limit may both apply.

    The best applicable rule naming a track and the best naming none are compared:
    the shorter (by `Rule.span`) is the default, the other the longer option. A rule
    naming both the track and the complexity settles it alone. Equal lengths: the
    track's rule, with no longer option. No rule at all: ValidationError.
    """
    applicable = [r for r in rules if _applies(r, HANDLE, track, dispute_type_code, complexity)]
    combined = _best(r for r in applicable if r.track and r.complexity)
    if combined is not None:
        return HandleChoice(combined)
    by_track = _best(r for r in applicable if r.track)
    other = _best(r for r in applicable if not r.track)
    if by_track is None or other is None:
        only = by_track or other
        if only is None:
            raise ValidationError(
                {"complexity": "没有适用的办理期限规则：请先确定复杂程度，或请管理员补充规则"}
            )
        return HandleChoice(only)
    if by_track.span <= other.span:
        return HandleChoice(by_track, other if other.span > by_track.span else None)
    return HandleChoice(other, by_track)


# --- deadlines ---------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A step's deadline (`due_at`) and 临期 moment (`warn_at`), both aware UTC, and the
    counting they were made with: `days` rule days (with extensions), `working` or not."""

    due_at: datetime
    warn_at: datetime
    days: int
    working: bool
    warnings: tuple[str, ...] = ()

    @property
    def due_date(self) -> date:
        """The Asia/Shanghai date the step is due (the end of it)."""
        return local_date(self.due_at)


def local_date(at: datetime) -> date:
    """The Asia/Shanghai date of an aware moment."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: deadlines take aware times only")
    return at.astimezone(SHANGHAI).date()


def start_of_day(d: date) -> datetime:
    """00:00 Asia/Shanghai of `d`, in UTC."""
    return datetime.combine(d, time(0), tzinfo=SHANGHAI).astimezone(UTC)


def end_of_day(d: date) -> datetime:
    """The last microsecond of `d` in Asia/Shanghai, in UTC."""
    return (datetime.combine(d + _ONE_DAY, time(0), tzinfo=SHANGHAI) - _TICK).astimezone(UTC)


def unknown_year_warning(year: int) -> str:
    return f"{year}年节假日安排尚未载入，期限仅按周末计算，请管理员载入后核对"


def _warnings(cal: WorkCalendar, a: date, b: date, before: Sequence[str] = ()) -> tuple[str, ...]:
    """`before` plus a warning per year without a schedule that the days a < d <= b touch."""
    out = list(before)
    if b > a:
        for year in cal.unknown_years(a + _ONE_DAY, b):
            message = unknown_year_warning(year)
            if message not in out:
                out.append(message)
    return tuple(out)


def _end_date(cal: WorkCalendar, start: date, days: int, working: bool) -> date:
    if working:
        return cal.add_working_days(start, days)
    end = start + timedelta(days=days)
    return cal.next_workday(end) if days > 0 else end


def _warn_count(days: int) -> int:
    return days * WARN_NUM // WARN_DEN


def _check_days(days: int, what: str = "days") -> None:
    if days < 0:
        raise ValidationError({what: "天数不能为负数"})


def compute_due(cal: WorkCalendar, start: datetime, days: int, working: bool) -> Due:
    """The deadline of a step starting at `start` with a rule of `days` (working) days."""
    _check_days(days)
    start_day = local_date(start)
    end = _end_date(cal, start_day, days, working)
    due_at = end_of_day(end)
    if days == 0:
        warn_at = start + (due_at - start) * WARN_NUM / WARN_DEN
    else:
        k = _warn_count(days)
        if k == 0:
            warn_at = start_of_day(end)
        elif working:
            warn_at = end_of_day(cal.add_working_days(start_day, k))
        else:
            warn_at = end_of_day(start_day + timedelta(days=k))
    return Due(due_at, warn_at.astimezone(UTC), days, working, _warnings(cal, start_day, end))


def due_for(cal: WorkCalendar, rule: Rule, start: datetime) -> Due:
    """`compute_due` with a rule's days and counting."""
    return compute_due(cal, start, rule.days, rule.working_days)


def _shift(cal: WorkCalendar, at: datetime, n: int, working: bool, *, settle: bool) -> datetime:
    """`at` moved by `n` rule days, keeping its Shanghai time of day; `settle`: a calendar
    count that ends on a day off moves to the next working day."""
    local = at.astimezone(SHANGHAI)
    if working:
        day = cal.add_working_days(local.date(), n)
    else:
        day = local.date() + timedelta(days=n)
        if settle:
            day = cal.next_workday(day)
    return datetime.combine(day, local.timetz()).astimezone(UTC)


def paused(cal: WorkCalendar, due: Due, paused_at: datetime, resumed_at: datetime) -> Due:
    """`due` after the clock stopped from `paused_at` to `resumed_at`.

    Both moments move by the rule days in the pause: calendar days between the
    Shanghai dates, or working days d with paused date < d <= resumed date. A
    calendar due date that lands on a day off moves on to the next working day.
    A pause starting after the deadline changes nothing (the step is overdue).
    """
    if resumed_at < paused_at:
        raise ValidationError({"resumed_at": "恢复计时的时间不能早于暂停的时间"})
    if paused_at > due.due_at:
        return due
    a, b = local_date(paused_at), local_date(resumed_at)
    n = cal.working_days_between(a, b) if due.working else (b - a).days
    if n <= 0:
        return due
    due_at = _shift(cal, due.due_at, n, due.working, settle=True)
    warn_at = _shift(cal, due.warn_at, n, due.working, settle=False)
    warnings = _warnings(cal, due.due_date, local_date(due_at), due.warnings)
    return replace(due, due_at=due_at, warn_at=min(warn_at, due_at), warnings=warnings)


def extended(cal: WorkCalendar, due: Due, extra_days: int) -> Due:
    """`due` extended by `extra_days` rule days, counted on from the current due date.

    `days` becomes the new total and `warn_at` is counted back from the new due
    date: the end of the day (total - floor(0.8 * total)) rule days before it
    (the start of the due date when floor(0.8 * total) is 0).
    """
    _check_days(extra_days, "extra_days")
    if extra_days == 0:
        return due
    old_end = due.due_date
    end = _end_date(cal, old_end, extra_days, due.working)
    total = due.days + extra_days
    k = _warn_count(total)
    if k == 0:
        warn_at = start_of_day(end)
    elif due.working:
        warn_at = end_of_day(cal.add_working_days(end, -(total - k)))
    else:
        warn_at = end_of_day(end - timedelta(days=total - k))
    return Due(
        end_of_day(end), warn_at, total, due.working, _warnings(cal, old_end, end, due.warnings)
    )


def remaining(cal: WorkCalendar, due_at: datetime, now: datetime, working: bool) -> int:
    """Rule days left until `due_at` as of `now`: 0 on the due date itself, negative
    once overdue (at least -1 once the deadline has passed, even over a weekend)."""
    due_day, today = local_date(due_at), local_date(now)
    if now <= due_at:
        if working:
            return cal.working_days_between(today, due_day)
        return max((due_day - today).days, 0)
    late = cal.working_days_between(due_day, today) if working else (today - due_day).days
    return -max(late, 1)


def is_due_soon(due: Due, now: datetime) -> bool:
    """临期: the warning moment has come and the deadline has not passed."""
    return due.warn_at <= now <= due.due_at


def is_overdue(due: Due, now: datetime) -> bool:
    return now > due.due_at


# --- administration of the rules ------------------------------------------------------

STAGES = {
    "triage": "研判",
    "dispatch": "分流交办",
    "sign": "签收",
    "handle": "办理",
    "feedback": "反馈",
    "review": "审核办结",
    "followup": "回访",
    "retriage": "退单后重新研判",
    "return_window": "退单时限",
}


@dataclass(frozen=True)
class RuleInput:
    """A rule as an administrator sets it (`code` names it; a new code adds a rule)."""

    code: str
    stage: str
    days: int
    working_days: bool = False
    track: str = ""
    dispute_type_code: str = ""
    complexity: str = ""
    max_extension_days: int = 0
    extension_needs_consent: bool = False
    basis: str = ""
    active: bool = True


def validate_rule(data: RuleInput) -> dict[str, str]:
    from desk_app.services.workflow import COMPLEXITIES, TRACKS

    errors: dict[str, str] = {}
    if not data.code.strip() or len(data.code) > 64:
        errors["code"] = "请填写规则代码（不超过 64 个字符）"
    if data.stage not in STAGES:
        errors["stage"] = f"阶段须为：{'、'.join(STAGES)}"
    if data.track and data.track not in TRACKS:
        errors["track"] = f"办理类别须为：{'、'.join(TRACKS)}（或留空表示任意）"
    if data.complexity and data.complexity not in COMPLEXITIES:
        errors["complexity"] = f"复杂程度须为：{'、'.join(COMPLEXITIES)}（或留空表示任意）"
    if not 0 <= data.days <= 365:
        errors["days"] = "期限天数须在 0 到 365 之间"
    if not 0 <= data.max_extension_days <= 365:
        errors["max_extension_days"] = "可延长天数须在 0 到 365 之间"
    return errors


def set_rule(uow: UnitOfWork, data: RuleInput) -> str:
    """Add a rule or change one (an administrator's act, recorded and synced like any edit).

    Deadlines already stored keep their dates: a rule applies to steps started after it
    changed. Returns "created", "updated" or "unchanged".
    """
    from desk_app.services.roles import Role, require

    require(uow.actor, Role.ADMIN)
    errors = validate_rule(data)
    if errors:
        raise ValidationError(errors)
    s = uow.session
    row = s.scalars(select(DeadlineRule).where(DeadlineRule.code == data.code)).first()
    values = {
        "stage": data.stage, "days": data.days, "working_days": data.working_days,
        "track": data.track, "dispute_type_code": data.dispute_type_code,
        "complexity": data.complexity, "max_extension_days": data.max_extension_days,
        "extension_needs_consent": data.extension_needs_consent, "basis": data.basis.strip(),
        "active": data.active,
    }  # fmt: skip
    if row is None:
        uow.add(DeadlineRule(code=data.code, **values))
        return "created"
    if row.voided_at is not None:
        raise ValidationError({"code": "该规则已作废，请换一个规则代码"})
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    for key, value in changed.items():
        setattr(row, key, value)
    return "updated" if changed else "unchanged"
