"""Deadline rules and deadline arithmetic on the working-day calendar (DOMAIN.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from desk_app.services import deadlines
from desk_app.services.deadlines import (
    Due,
    Rule,
    compute_due,
    due_for,
    extended,
    handle_options,
    load_rules,
    paused,
    pick,
    remaining,
)
from desk_app.services.desk import Desk
from desk_app.services.errors import ValidationError
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import Actor
from desk_app.services.workcalendar import WorkCalendar, YearInput, load_calendar, load_year

D = date.fromisoformat
WARN_2027 = "2027年节假日安排尚未载入，期限仅按周末计算，请管理员载入后核对"


def at(text: str) -> datetime:
    """A Shanghai wall-clock time ("2026-02-05 10:00") as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def end(day: str) -> datetime:
    """The end of a Shanghai day, as stored: 23:59:59.999999 +08:00 in UTC."""
    return datetime.fromisoformat(f"{day}T23:59:59.999999").replace(tzinfo=SHANGHAI).astimezone(UTC)


def begin(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T00:00").replace(tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- computing a deadline ---------------------------------------------------------------


def test_the_deadline_is_the_end_of_the_day_in_shanghai_stored_in_utc(cal) -> None:
    due = compute_due(cal, at("2026-03-02 10:00"), 3, False)
    assert due.due_at == datetime(2026, 3, 5, 15, 59, 59, 999999, tzinfo=UTC)
    assert due.due_at.tzinfo is UTC and due.due_date == D("2026-03-05")
    assert due.due_at + timedelta(microseconds=1) == begin("2026-03-06")
    assert (due.days, due.working, due.warnings) == (3, False, ())


def test_the_starting_day_is_its_shanghai_date(cal) -> None:
    # 2026-03-01 20:00 UTC is 2026-03-02 04:00 in Shanghai: the start day is 3-02.
    due = compute_due(cal, datetime(2026, 3, 1, 20, 0, tzinfo=UTC), 3, False)
    assert due.due_at == end("2026-03-05")


def test_a_calendar_deadline_ending_on_the_spring_festival_moves_to_the_next_working_day(
    cal,
) -> None:
    # 2-05 + 15 = 2-20, a day off (2-15..2-23): the deadline is the end of Tuesday 2-24.
    due = compute_due(cal, at("2026-02-05 10:00"), 15, False)
    assert due.due_at == end("2026-02-24")
    assert due.warn_at == end("2026-02-17")  # day 12 of 15, counted in calendar days


def test_a_calendar_deadline_ending_on_national_day_moves_to_10_08(cal) -> None:
    # Petition handling, 60 days from 8-03: 10-02 is a day off (10-01..10-07).
    due = compute_due(cal, at("2026-08-03 09:30"), 60, False)
    assert due.due_at == end("2026-10-08")
    assert due.warn_at == end("2026-09-20")  # day 48
    # 15 days from 9-16 end on 10-01.
    assert compute_due(cal, at("2026-09-16 16:00"), 15, False).due_at == end("2026-10-08")


def test_a_calendar_deadline_on_a_make_up_saturday_stays_and_a_plain_weekend_moves(
    cal,
) -> None:
    assert compute_due(cal, at("2026-02-13 10:00"), 1, False).due_at == end("2026-02-14")
    assert compute_due(cal, at("2026-10-09 10:00"), 1, False).due_at == end("2026-10-10")
    # 3-06 + 1 = Saturday 3-07, an ordinary weekend: Monday 3-09.
    assert compute_due(cal, at("2026-03-06 10:00"), 1, False).due_at == end("2026-03-09")


def test_working_day_deadlines_across_the_spring_festival_and_national_day(cal) -> None:
    # Medical mediation, 30 working days from Tuesday 2-10: 2-11..13, 2-14 (make-up),
    # 2-24..27, 2-28 (make-up), then March weekdays: the 30th is 3-30.
    due = compute_due(cal, at("2026-02-10 11:00"), 30, True)
    assert due.due_at == end("2026-03-30")
    assert due.warn_at == end("2026-03-20")  # the 24th working day
    # The 5-working-day objection window from 9-29: 9-30, 10-08, 10-09, 10-10, 10-12.
    due = compute_due(cal, at("2026-09-29 15:00"), 5, True)
    assert due.due_at == end("2026-10-12")
    assert due.warn_at == end("2026-10-10")  # the 4th working day, a make-up Saturday
    # Sign within 1 working day, dispatched on the eve of the Spring Festival.
    assert compute_due(cal, at("2026-02-14 17:00"), 1, True).due_at == end("2026-02-24")


def test_a_same_day_step_ends_that_day(cal) -> None:
    start = at("2026-03-02 10:00")
    due = compute_due(cal, start, 0, False)
    assert due.due_at == end("2026-03-02")
    assert due.warn_at == start + (due.due_at - start) * 0.8
    # Even on a day off (the desk is open: the step is due the same day).
    assert compute_due(cal, at("2026-02-16 09:00"), 0, False).due_at == end("2026-02-16")


@pytest.mark.parametrize(
    ("days", "working", "due_day", "warn"),
    [
        # From Monday 2026-03-02 (no holiday until Qingming 4-04..4-06).
        (1, False, "2026-03-03", begin("2026-03-03")),  # floor(0.8) = 0: due date's start
        (3, False, "2026-03-05", end("2026-03-04")),
        (15, False, "2026-03-17", end("2026-03-14")),
        (30, False, "2026-04-01", end("2026-03-26")),
        (1, True, "2026-03-03", begin("2026-03-03")),
        (3, True, "2026-03-05", end("2026-03-04")),
        (15, True, "2026-03-23", end("2026-03-18")),
        # 30 working days cross Qingming (4-06 off): the 24th is 4-03, the 30th 4-14.
        (30, True, "2026-04-14", end("2026-04-03")),
    ],
)
def test_warn_at_is_80_percent_in_the_rules_days(cal, days, working, due_day, warn) -> None:
    due = compute_due(cal, at("2026-03-02 10:00"), days, working)
    assert due.due_at == end(due_day)
    assert due.warn_at == warn
    assert due.warn_at < due.due_at
    assert deadlines.is_due_soon(due, due.warn_at) and not deadlines.is_overdue(due, due.due_at)
    assert deadlines.is_overdue(due, due.due_at + timedelta(microseconds=1))


def test_negative_days_and_naive_times_are_refused(cal) -> None:
    with pytest.raises(ValidationError):
        compute_due(cal, at("2026-03-02 10:00"), -1, False)
    with pytest.raises(ValueError, match="naive"):
        compute_due(cal, datetime(2026, 3, 2, 10), 3, False)


# --- a year without a schedule ------------------------------------------------------------

#: A made-up 2027 schedule (the real notice comes out in late 2026).
YEAR_2027 = YearInput(
    2027,
    holidays=tuple(D("2027-01-01") + timedelta(days=i) for i in range(3))
    + tuple(D("2027-02-06") + timedelta(days=i) for i in range(7)),
    workdays=(D("2027-02-20"),),
    source="测试用 2027 年安排",
)


def test_a_deadline_reaching_2027_counts_weekends_and_warns_until_a_schedule_is_loaded(
    desk: Desk, admin: Actor
) -> None:
    with desk.db.read() as s:
        cal = load_calendar(s)
    # 12-20 + 15 = 2027-01-04, a Monday; no New Year known.
    due = compute_due(cal, at("2026-12-20 10:00"), 15, False)
    assert due.due_at == end("2027-01-04") and due.warnings == (WARN_2027,)
    # 2027-01-25 + 15 = 2-09, a Tuesday; 2-01 + 19 = Saturday 2-20 -> Monday 2-22.
    assert compute_due(cal, at("2027-01-25 10:00"), 15, False).due_at == end("2027-02-09")
    assert compute_due(cal, at("2027-02-01 10:00"), 19, False).due_at == end("2027-02-22")
    # 10 working days from 2026-12-28: 12-29, 12-30, 12-31, 1-01 (a Friday), 1-04..1-08, 1-11.
    due = compute_due(cal, at("2026-12-28 10:00"), 10, True)
    assert due.due_at == end("2027-01-11") and due.warnings == (WARN_2027,)
    # Within 2026: no warning.
    assert compute_due(cal, at("2026-12-01 10:00"), 15, False).warnings == ()

    with desk.uow(admin) as uow:
        load_year(uow, YEAR_2027)
    with desk.db.read() as s:
        cal = load_calendar(s)
    due = compute_due(cal, at("2026-12-20 10:00"), 15, False)
    assert due.due_at == end("2027-01-04") and due.warnings == ()
    # 2-09 is now a day off (2-06..2-12): the next working day is Monday 2-15.
    assert compute_due(cal, at("2027-01-25 10:00"), 15, False).due_at == end("2027-02-15")
    # Saturday 2-20 is now a make-up working day: the deadline stays.
    assert compute_due(cal, at("2027-02-01 10:00"), 19, False).due_at == end("2027-02-20")
    # 1-01 is off now: 12-29, 12-30, 12-31, 1-04..1-08, 1-11, 1-12.
    due = compute_due(cal, at("2026-12-28 10:00"), 10, True)
    assert due.due_at == end("2027-01-12") and due.warnings == ()


def test_one_warning_per_unknown_year(cal) -> None:
    due = compute_due(cal, at("2026-12-01 10:00"), 400, False)
    assert due.warnings == (WARN_2027, WARN_2027.replace("2027", "2028"))


# --- pauses and extensions ----------------------------------------------------------------


def test_a_pause_moves_the_deadline_by_the_paused_calendar_days(cal) -> None:
    due = compute_due(cal, at("2026-03-02 10:00"), 15, False)  # due 3-17, warn 3-14
    # Waiting on the citizen from 3-05 to 3-09: 4 days. 3-21 is a Saturday -> 3-23.
    after = paused(cal, due, at("2026-03-05 09:00"), at("2026-03-09 15:00"))
    assert after.due_at == end("2026-03-23")
    assert after.warn_at == end("2026-03-18")
    assert (after.days, after.working) == (15, False)


def test_a_pause_that_lands_the_deadline_on_a_holiday(cal) -> None:
    due = compute_due(cal, at("2026-09-14 10:00"), 15, False)  # 9-29
    after = paused(cal, due, at("2026-09-20 10:00"), at("2026-09-23 10:00"))  # 3 days
    assert after.due_at == end("2026-10-08")  # 10-02 is a day off


def test_a_pause_of_a_working_day_rule_counts_working_days(cal) -> None:
    # Medical mediation: 30 working days from 9-14 end on 10-30.
    due = compute_due(cal, at("2026-09-14 10:00"), 30, True)
    assert due.due_at == end("2026-10-30") and due.warn_at == end("2026-10-22")
    # Expert appraisal (鉴定) from 9-28 to 10-09: 9-29, 9-30, 10-08, 10-09 = 4 working days.
    after = paused(cal, due, at("2026-09-28 10:00"), at("2026-10-09 17:00"))
    assert after.due_at == end("2026-11-05")
    assert after.warn_at == end("2026-10-28")


def test_pauses_that_change_nothing_or_make_no_sense(cal) -> None:
    due = compute_due(cal, at("2026-03-02 10:00"), 15, False)
    assert paused(cal, due, at("2026-03-05 09:00"), at("2026-03-05 17:00")) == due
    assert paused(cal, due, at("2026-03-20 09:00"), at("2026-03-25 17:00")) == due  # overdue
    with pytest.raises(ValidationError) as info:
        paused(cal, due, at("2026-03-05 09:00"), at("2026-03-04 17:00"))
    assert "resumed_at" in info.value.fields


def test_a_pause_into_an_unknown_year_warns(cal) -> None:
    due = compute_due(cal, at("2026-12-01 10:00"), 15, False)
    assert due.warnings == ()
    after = paused(cal, due, at("2026-12-05 10:00"), at("2027-01-04 10:00"))
    assert after.warnings == (WARN_2027,)


def test_an_extension_of_a_calendar_rule(cal) -> None:
    # Petition handling: 60 days from 8-03 end on 10-08; +30 (with a reason) = 11-07, a
    # Saturday -> Monday 11-09. warn_at: 90 - 72 = 18 days before the new due date.
    due = compute_due(cal, at("2026-08-03 09:30"), 60, False)
    longer = extended(cal, due, 30)
    assert longer.due_at == end("2026-11-09")
    assert longer.warn_at == end("2026-10-22")
    assert (longer.days, longer.working, longer.warnings) == (90, False, ())
    assert extended(cal, due, 0) == due
    with pytest.raises(ValidationError):
        extended(cal, due, -1)


def test_an_extension_of_a_working_day_rule(cal) -> None:
    due = compute_due(cal, at("2026-09-14 10:00"), 30, True)  # 10-30
    longer = extended(cal, due, 10)  # 11-02..11-06, 11-09..11-13
    assert longer.due_at == end("2026-11-13")
    # total 40, warn at day 32: 8 working days before 11-13 is 11-03.
    assert longer.warn_at == end("2026-11-03")
    assert longer.days == 40


def test_an_extension_from_a_rebuilt_due(cal) -> None:
    """A step stores only due_at/warn_at; a Due rebuilt from them extends the same way."""
    due = compute_due(cal, at("2026-02-05 10:00"), 30, False)
    rebuilt = Due(due.due_at, due.warn_at, 30, False)
    assert extended(cal, rebuilt, 30) == extended(cal, due, 30)


def test_an_extension_into_an_unknown_year_warns(cal) -> None:
    due = compute_due(cal, at("2026-11-20 10:00"), 30, False)  # 12-20 (Sunday) -> 12-21
    assert due.due_at == end("2026-12-21") and due.warnings == ()
    longer = extended(cal, due, 30)  # 2027-01-20 (Wednesday)
    assert longer.due_at == end("2027-01-20") and longer.warnings == (WARN_2027,)


# --- remaining days -----------------------------------------------------------------------


def test_remaining_days(cal) -> None:
    due = compute_due(cal, at("2026-02-05 10:00"), 15, False)  # 2-24
    assert remaining(cal, due.due_at, at("2026-02-05 10:00"), False) == 19
    assert remaining(cal, due.due_at, at("2026-02-24 23:00"), False) == 0
    assert remaining(cal, due.due_at, at("2026-02-25 00:00"), False) == -1
    assert remaining(cal, due.due_at, at("2026-03-01 12:00"), False) == -5
    work = compute_due(cal, at("2026-02-10 11:00"), 30, True)  # 3-30
    assert remaining(cal, work.due_at, at("2026-03-27 09:00"), True) == 1  # Fri -> Mon
    assert remaining(cal, work.due_at, at("2026-03-28 09:00"), True) == 1  # Saturday
    assert remaining(cal, work.due_at, at("2026-03-30 09:00"), True) == 0
    assert remaining(cal, work.due_at, at("2026-03-31 09:00"), True) == -1
    assert remaining(cal, work.due_at, at("2026-04-07 09:00"), True) == -5  # 4-06 off
    # Overdue on a Friday, looked at on Saturday: overdue all the same.
    fri = compute_due(cal, at("2026-03-05 10:00"), 1, True)  # 3-06
    assert remaining(cal, fri.due_at, at("2026-03-07 10:00"), True) == -1


# --- rules --------------------------------------------------------------------------------


def test_load_rules_reads_the_shipped_defaults(desk: Desk) -> None:
    with desk.db.read() as s:
        rules = load_rules(s)
    by_code = {r.code: r for r in rules}
    assert by_code["handle:medical"] == Rule(
        code="handle:medical",
        stage="handle",
        days=30,
        working_days=True,
        track="medical",
        basis=by_code["handle:medical"].basis,
    )
    assert by_code["handle:petition"].max_extension_days == 30
    assert by_code["handle:mediation"].extension_needs_consent
    assert by_code["triage"].days == 0


def test_load_rules_skips_inactive_and_voided_rules(desk: Desk, admin: Actor) -> None:
    from sqlalchemy import select

    from desk_app.models import DeadlineRule

    with desk.uow(admin) as uow:
        rows = {r.code: r for r in uow.session.scalars(select(DeadlineRule))}
        rows["followup"].active = False
        rows["review"].voided_at = uow.now
        rows["review"].void_reason = "测试"
    with desk.db.read() as s:
        codes = {r.code for r in load_rules(s)}
    assert "followup" not in codes and "review" not in codes and "feedback" in codes


@pytest.fixture
def rules(desk: Desk) -> list[Rule]:
    with desk.db.read() as s:
        return load_rules(s)


def test_pick_takes_the_most_specific_rule(rules) -> None:
    assert pick(rules, "dispatch").code == "dispatch"
    assert pick(rules, "dispatch", track="petition").code == "dispatch:petition"
    assert pick(rules, "dispatch", track="mediation").code == "dispatch"
    assert pick(rules, "handle", complexity="complex").code == "handle:complex"
    assert pick(rules, "handle") is None  # every handling rule names a track or complexity
    assert pick(rules, "no-such-stage") is None


def test_pick_specificity_and_ties() -> None:
    rules = [
        Rule("h", "handle", 20),
        Rule("h:t", "handle", 40, track="petition"),
        Rule("h:c", "handle", 10, complexity="simple"),
        Rule("h:t:05", "handle", 50, track="petition", dispute_type_code="05"),
        Rule("h:off", "handle", 1, track="petition", dispute_type_code="05", active=False),
    ]
    assert pick(rules, "handle").code == "h"
    # One field each: a tie, the fewer days win.
    assert pick(rules, "handle", track="petition", complexity="simple").code == "h:c"
    # Two fields beat one, though longer; inactive rules never apply.
    got = pick(rules, "handle", track="petition", dispute_type_code="05", complexity="simple")
    assert got is not None and got.code == "h:t:05"
    # A working-day rule is compared by its length in calendar days.
    tie = [Rule("w", "x", 10, working_days=True, track="a"), Rule("c", "x", 12, complexity="b")]
    assert pick(tie, "x", track="a", complexity="b").code == "c"


def test_handle_options_the_shorter_wins(rules) -> None:
    # Petition track (60) and an ordinary matter (15): 15 unless an officer records a reason.
    choice = handle_options(rules, track="petition", dispute_type_code="03", complexity="ordinary")
    assert choice.default is not None and choice.default.code == "handle:ordinary"
    assert choice.longer is not None and choice.longer.code == "handle:petition"
    # Mediation (30) and a simple matter (3).
    choice = handle_options(rules, track="mediation", complexity="simple")
    assert (choice.default.code, choice.longer.code) == ("handle:simple", "handle:mediation")
    # Mediation (30) and a complex matter (30): the same, the track's rule, no choice.
    choice = handle_options(rules, track="mediation", complexity="complex")
    assert choice.default.code == "handle:mediation" and choice.longer is None
    # Medical: 30 working days are longer than complex's 30 calendar days.
    choice = handle_options(rules, track="medical", complexity="complex")
    assert (choice.default.code, choice.longer.code) == ("handle:complex", "handle:medical")
    # Only one applies.
    choice = handle_options(rules, track="labour", complexity="")
    assert choice.default.code == "handle:labour" and choice.longer is None
    choice = handle_options(rules, track="", complexity="complex")
    assert choice.default.code == "handle:complex" and choice.longer is None
    with pytest.raises(ValidationError) as info:
        handle_options(rules, track="", complexity="")
    assert "没有适用的办理期限规则" in info.value.fields["complexity"]


def test_handle_options_a_rule_for_the_combination_settles_it() -> None:
    rules = [
        Rule("t", "handle", 60, track="petition"),
        Rule("c", "handle", 15, complexity="ordinary"),
        Rule("tc", "handle", 45, track="petition", complexity="ordinary"),
    ]
    choice = handle_options(rules, track="petition", complexity="ordinary")
    assert choice.default is not None and choice.default.code == "tc" and choice.longer is None


def test_due_for_uses_the_rules_counting(cal, rules) -> None:
    medical = pick(rules, "handle", track="medical")
    assert medical is not None
    assert due_for(cal, medical, at("2026-02-10 11:00")).due_at == end("2026-03-30")
