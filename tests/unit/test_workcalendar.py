"""The working-day calendar: chinesecalendar, loaded years, counting, loading a year."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from sqlalchemy import select

from desk_app.models import HolidayYear, Outbox
from desk_app.services import workcalendar
from desk_app.services.desk import Desk
from desk_app.services.errors import PermissionDenied, ValidationError
from desk_app.services.roles import Actor
from desk_app.services.workcalendar import (
    WorkCalendar,
    YearInput,
    list_years,
    load_calendar,
    load_year,
    parse_holiday_file,
)

D = date.fromisoformat


def days(a: str, b: str) -> tuple[date, ...]:
    first, last = D(a), D(b)
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


#: A made-up 2027 schedule for the tests (the real notice comes out in late 2026).
YEAR_2027 = YearInput(
    2027,
    holidays=days("2027-01-01", "2027-01-03") + days("2027-02-06", "2027-02-12"),
    workdays=(D("2027-02-20"),),
    source="测试用 2027 年安排",
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- the 2026 notice, as chinesecalendar has it ----------------------------------------


def test_chinesecalendar_has_the_2026_spring_festival_and_national_day() -> None:
    # 国办发明电〔2025〕7号: 春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班；
    # 国庆节、中秋节 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班.
    off = {d for d in chinese_calendar.holidays if d.year == 2026}
    on = {d for d in chinese_calendar.workdays if d.year == 2026}
    assert set(days("2026-02-15", "2026-02-23")) <= off
    assert set(days("2026-10-01", "2026-10-07")) <= off
    assert {D("2026-02-14"), D("2026-02-28"), D("2026-09-20"), D("2026-10-10")} <= on
    assert D("2026-02-14").weekday() == 5 and D("2026-09-20").weekday() == 6


def test_the_calendar_agrees_with_chinesecalendar_on_every_day_it_knows(cal) -> None:
    d = D("2004-01-01")
    while d.year <= 2026:
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D("2027-01-04"))
    assert cal.knows(2004) and cal.knows(2026) and not cal.knows(2027) and not cal.knows(2003)


def test_spring_festival_and_national_day_2026(cal) -> None:
    assert cal.is_workday(D("2026-02-14"))  # Saturday, make-up
    assert not any(cal.is_workday(d) for d in days("2026-02-15", "2026-02-23"))
    assert cal.is_workday(D("2026-02-24")) and cal.is_workday(D("2026-02-28"))
    assert not cal.is_workday(D("2026-03-01"))  # an ordinary Sunday
    assert cal.is_workday(D("2026-09-20"))  # Sunday, make-up
    assert not any(cal.is_workday(d) for d in days("2026-10-01", "2026-10-07"))
    assert cal.is_workday(D("2026-10-08")) and cal.is_workday(D("2026-10-10"))


def test_next_workday(cal) -> None:
    assert cal.next_workday(D("2026-02-24")) == D("2026-02-24")
    assert cal.next_workday(D("2026-02-15")) == D("2026-02-24")
    assert cal.next_workday(D("2026-10-03")) == D("2026-10-08")
    assert cal.next_workday(D("2026-03-07")) == D("2026-03-09")  # Saturday -> Monday
    assert cal.next_workday(D("2026-12-31")) == D("2026-12-31")


def test_add_working_days_across_the_holidays(cal) -> None:
    assert cal.add_working_days(D("2026-02-13"), 0) == D("2026-02-13")
    assert cal.add_working_days(D("2026-02-13"), 1) == D("2026-02-14")  # make-up Saturday
    assert cal.add_working_days(D("2026-02-14"), 1) == D("2026-02-24")
    assert cal.add_working_days(D("2026-02-13"), 6) == D("2026-02-28")
    # 2026-09-29 + 5: 9-30, 10-8, 10-9, 10-10 (Saturday, make-up), 10-12.
    assert cal.add_working_days(D("2026-09-29"), 5) == D("2026-10-12")
    assert cal.add_working_days(D("2026-10-12"), -5) == D("2026-09-29")
    assert cal.add_working_days(D("2026-02-24"), -1) == D("2026-02-14")
    # Into a year without a schedule: weekends only (2027-01-01 is a Friday).
    assert cal.add_working_days(D("2026-12-31"), 1) == D("2027-01-01")


def test_working_days_between(cal) -> None:
    # 2-14, 2-24..27, 2-28.
    assert cal.working_days_between(D("2026-02-13"), D("2026-02-28")) == 6
    # 9-20, 9-21..24 (9-25 is 中秋), 9-28..30, 10-8, 10-9, 10-10, 10-12.
    assert cal.working_days_between(D("2026-09-18"), D("2026-10-12")) == 12
    assert cal.working_days_between(D("2026-10-12"), D("2026-09-18")) == 0
    assert cal.working_days_between(D("2026-10-12"), D("2026-10-12")) == 0
    # A whole year: 2026 has 261 weekdays, 19 of them statutory days off, and 6 make-up
    # Saturdays/Sundays: 248 working days.
    assert cal.working_days_between(D("2025-12-31"), D("2026-12-31")) == 248


def test_counting_matches_a_day_by_day_count() -> None:
    cal = WorkCalendar({2027: (set(YEAR_2027.holidays), set(YEAR_2027.workdays))})
    rng = random.Random(7)

    def slow_add(start: date, n: int) -> date:
        d, step = start, (1 if n > 0 else -1)
        while n:
            d += timedelta(days=step)
            n -= step if cal.is_workday(d) else 0
        return d

    for _ in range(500):
        a = D("2024-06-01") + timedelta(days=rng.randrange(1200))
        b = a + timedelta(days=rng.randrange(-30, 800))
        n = rng.randrange(-300, 300)
        assert cal.add_working_days(a, n) == slow_add(a, n)
        expected = sum(cal.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
        assert cal.working_days_between(a, b) == expected


def test_a_year_without_a_schedule_counts_weekends_only(cal) -> None:
    assert cal.is_workday(D("2027-01-01"))  # a Friday: New Year unknown
    assert not cal.is_workday(D("2027-01-02"))
    assert cal.unknown_years(D("2026-12-20"), D("2028-01-05")) == [2027, 2028]
    assert cal.unknown_years(D("2026-01-01"), D("2026-12-31")) == []
    assert cal.unknown_years(D("2027-01-02"), D("2026-12-31")) == []


def test_a_loaded_year_overrides_the_package() -> None:
    # An administrator's correction of 2026: 10-08 off as well, no make-up on 10-10.
    holidays = set(days("2026-10-01", "2026-10-08"))
    cal = WorkCalendar({2026: (holidays, {D("2026-09-20")})})
    assert not cal.is_workday(D("2026-10-08")) and not cal.is_workday(D("2026-10-10"))
    # The loaded year replaces the package's whole year: 2-16 is an ordinary Monday now.
    assert cal.is_workday(D("2026-02-16"))
    assert cal.source_of(2026) == workcalendar.LOADED and cal.knows(2026)
    assert not WorkCalendar(package=False).knows(2026)


def test_load_calendar_reads_loaded_years_and_is_cached(desk: Desk, admin: Actor) -> None:
    with desk.db.read() as s:
        first = load_calendar(s)
        assert load_calendar(s) is first
    assert not first.knows(2027)
    with desk.uow(admin) as uow:
        assert load_year(uow, YEAR_2027) == "created"
    with desk.db.read() as s:
        second = load_calendar(s)
    assert second is not first and second.knows(2027)
    assert not second.is_workday(D("2027-02-08")) and second.is_workday(D("2027-02-20"))
    assert second.source_of(2027) == workcalendar.LOADED
    assert second.source_of(2026) == workcalendar.PACKAGE
    workcalendar.invalidate()
    with desk.db.read() as s:
        assert load_calendar(s) is not second


# --- loading a year ---------------------------------------------------------------------


def test_load_year_records_the_row_and_its_sync_op(desk: Desk, admin: Actor) -> None:
    with desk.uow(admin) as uow:
        load_year(uow, YEAR_2027)
    with desk.db.read() as s:
        row = s.scalars(select(HolidayYear).where(HolidayYear.year == 2027)).one()
        assert row.holidays[0] == "2027-01-01" and len(row.holidays) == 10
        assert row.workdays == ["2027-02-20"] and row.source == "测试用 2027 年安排"
        op = s.scalars(select(Outbox).where(Outbox.entity == "holiday_years")).one()
        assert op.kind == "create" and op.user_id == "admin"
    # Loading the same again changes nothing; a corrected notice patches the row.
    with desk.uow(admin) as uow:
        assert load_year(uow, YEAR_2027) == "unchanged"
    corrected = YearInput(2027, (*YEAR_2027.holidays, D("2027-02-13")), (), "更正后的通知")
    with desk.uow(admin) as uow:
        assert load_year(uow, corrected) == "updated"
    with desk.db.read() as s:
        row = s.scalars(select(HolidayYear).where(HolidayYear.year == 2027)).one()
        assert row.workdays == [] and "2027-02-13" in row.holidays
        ops = s.scalars(
            select(Outbox).where(Outbox.entity == "holiday_years").order_by(Outbox.seq)
        ).all()
        assert [o.kind for o in ops] == ["create", "patch"]
        assert set(ops[1].payload) == {"holidays", "workdays", "source"}


def test_load_year_needs_an_administrator(desk: Desk, clerk: Actor) -> None:
    with pytest.raises(PermissionDenied, match="管理员"), desk.uow(clerk) as uow:
        load_year(uow, YEAR_2027)


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        (YearInput(2027, ()), "holidays", "没有填写放假日期"),
        (YearInput(2027, (D("2026-12-31"), D("2027-01-01"))), "holidays", "不在 2027 年内"),
        (YearInput(2027, (D("2027-01-01"),), (D("2028-01-01"),)), "workdays", "不在 2027 年内"),
        (YearInput(2027, (D("2027-01-01"),), (D("2027-02-08"),)), "workdays", "周六或周日"),
        (YearInput(2027, (D("2027-02-06"),), (D("2027-02-06"),)), "dates", "既是放假日"),
        (YearInput(1999, (D("1999-01-01"),)), "year", "年份 1999 无效"),
        (YearInput(2027, (D("2027-01-01"),), (), "通" * 201), "source", "最多 200"),
    ],
)
def test_load_year_refuses_bad_schedules(desk: Desk, admin: Actor, data, field, text) -> None:
    with pytest.raises(ValidationError) as info, desk.uow(admin) as uow:
        load_year(uow, data)
    assert text in info.value.fields[field]
    with desk.db.read() as s:
        assert s.scalars(select(HolidayYear)).all() == []


def test_list_years(desk: Desk, admin: Actor) -> None:
    with desk.db.read() as s:
        years = list_years(s)
    assert [y.year for y in years] == list(range(2004, 2027))
    assert years[-1].origin == workcalendar.PACKAGE and years[-1].source.startswith("chinesecal")
    with desk.uow(admin) as uow:
        load_year(uow, YEAR_2027)
    with desk.db.read() as s:
        last = list_years(s)[-1]
    assert (last.year, last.origin, last.source) == (2027, "loaded", "测试用 2027 年安排")
    assert (last.holidays, last.workdays, last.overrides_package) == (10, 1, False)


# --- the holiday file --------------------------------------------------------------------


def test_parse_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "2027.json"
    obj = {
        "year": 2027,
        "holidays": ["2027-01-01..2027-01-03", "2027-02-06", "2027-02-07..2027-02-12"],
        "workdays": ["2027-02-20"],
        "source": "测试用 2027 年安排",
    }
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    assert parse_holiday_file(path) == [YEAR_2027]
    path.write_text(json.dumps([obj, {**obj, "year": 2028, "holidays": ["2028-01-01"]}]))
    assert [y.year for y in parse_holiday_file(path)] == [2027, 2028]


def test_parse_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "2027.txt"
    path.write_text(
        "\ufeff# 国务院办公厅通知（测试）\n"
        "年份：2027\n"
        "来源: 测试用 2027 年安排\n"
        "holidays: 2027-01-01..2027-01-03，2027-02-06~2027-02-09\n"
        "放假: 2027-02-10 2027-02-11、2027-02-12\n"
        "调休上班: 2027-02-20  # 周六\n",
        encoding="utf-8",
    )
    assert parse_holiday_file(path) == [YEAR_2027]


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ('{"year": 2027, "holidays": ["2027-13-01"]}', "不是有效日期"),
        ('{"year": 2027, "holidays": ["2027/01/01"]}', "不是有效日期"),
        ('{"year": 2027, "holiday": []}', "不认识的字段"),
        ('{"holidays": []}', "缺少 year"),
        ('{"year": 2027, "holidays": [', "JSON 格式有误"),
        ("holidays: 2027-01-01\n", "请先写 year"),
        ("year: 2027\nfoo: 1\n", "不认识“foo”"),
        ("year 2027\n", "键: 值"),
        ("year: 2027\nyear: 2027\n", "不止一次"),
        ("# nothing\n", "没有任何年份"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, content: str, text: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=text):
        parse_holiday_file(path)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="找不到文件"):
        parse_holiday_file(tmp_path / "missing.json")
    path = tmp_path / "gbk.txt"
    path.write_bytes("年份: 2027\n".encode("gbk"))
    with pytest.raises(ValidationError, match="UTF-8"):
        parse_holiday_file(path)
