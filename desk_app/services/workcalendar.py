"""The working-day calendar: the State Council's holiday notices, yearly.

A day is a working day when it is a make-up workday (调休上班) of its year, or a
Monday to Friday that is not a statutory day off. Where the schedule comes from:

* a `HolidayYear` row an administrator loaded (it overrides the package), else
* the `chinesecalendar` package for the years it knows (2004-2026 in 1.11), else
* nothing: the year counts weekends only (Monday to Friday work), and
  `WorkCalendar.unknown_years` names it so that deadlines can warn.

Counting runs on per-year tables (one flag per day and a prefix sum of working
days), built once per year and calendar, so adding or counting working days
costs a binary search per year touched, not a loop over the days.

Holiday file format (`parse_holiday_file`), UTF-8 (a byte-order mark is fine):

JSON, one year or a list of years::

    {"year": 2027,
     "holidays": ["2027-01-01", "2027-02-06..2027-02-12"],
     "workdays": ["2027-02-07"],
     "source": "国务院办公厅关于2027年部分节假日安排的通知"}

or plain text, one `key: value` per line, `#` starts a comment, each `year:`
line starts a new year; a key may repeat (its dates add up)::

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays: 2027-01-01, 2027-02-06..2027-02-12
    workdays: 2027-02-07

The keys may also be written 年份 / 放假 / 调休上班 (or 上班) / 来源. Dates are
ISO (YYYY-MM-DD), separated by commas (, ， 、) or spaces; `A..B` (or `A~B`) is
every day from A to B inclusive. `holidays` lists every statutory day off of
the notice (weekend days inside a holiday included); `workdays` lists the
weekend days that are working days.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.models import HolidayYear
from desk_app.services.errors import ValidationError
from desk_app.services.roles import Role, require
from desk_app.services.uow import UnitOfWork

#: Where a year's schedule came from (`YearInfo.origin`).
PACKAGE = "package"
LOADED = "loaded"
#: Years an administrator may load.
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SOURCE = 200

YearDays = tuple[Set[date], Set[date]]


# --- the package -------------------------------------------------------------------


@cache
def _package() -> tuple[str, dict[int, tuple[frozenset[date], frozenset[date]]]]:
    """chinesecalendar's version and its schedule per year (every year it claims to know)."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a dependency, but the app must still count
        return "", {}
    holidays = cast(Mapping[date, Any], chinese_calendar.holidays)
    workdays = cast(Mapping[date, Any], chinese_calendar.workdays)
    if not holidays:  # pragma: no cover
        return "", {}
    first, last = min(holidays).year, max(holidays).year
    off: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    on: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    for d in holidays:
        off[d.year].add(d)
    for d in workdays:
        if d.year in on:
            on[d.year].add(d)
    version = str(getattr(chinese_calendar, "__version__", ""))
    return version, {y: (frozenset(off[y]), frozenset(on[y])) for y in off}


def package_version() -> str:
    return _package()[0]


def package_years() -> list[int]:
    return sorted(_package()[1])


# --- per-year tables ---------------------------------------------------------------


@dataclass(frozen=True)
class _YearTable:
    """One year: a working-day flag per day and the running count of working days.

    `prefix[i]` is the number of working days among the year's first `i` days.
    """

    first: int  # ordinal of 1 January
    flags: bytes
    prefix: list[int]
    known: bool

    @property
    def total(self) -> int:
        return self.prefix[-1]


def _build(year: int, days: YearDays | None) -> _YearTable:
    first = date(year, 1, 1).toordinal()
    size = date(year + 1, 1, 1).toordinal() - first
    off, on = days if days is not None else (frozenset(), frozenset())
    flags = bytearray(size)
    for i in range(size):
        d = date.fromordinal(first + i)
        flags[i] = d in on or (d.weekday() < 5 and d not in off)
    return _YearTable(first, bytes(flags), [0, *accumulate(flags)], days is not None)


@cache
def _package_table(year: int) -> _YearTable | None:
    days = _package()[1].get(year)
    return None if days is None else _build(year, days)


@cache
def _weekend_table(year: int) -> _YearTable:
    return _build(year, None)


class WorkCalendar:
    """Working days from loaded years (`{year: (holidays, workdays)}`) and the package."""

    def __init__(self, loaded: Mapping[int, YearDays] | None = None, *, package: bool = True):
        self._loaded = dict(loaded or {})
        self._package = package
        self._tables: dict[int, _YearTable] = {}

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            if year in self._loaded:
                table = _build(year, self._loaded[year])
            else:
                table = (_package_table(year) if self._package else None) or _weekend_table(year)
            self._tables[year] = table
        return table

    def knows(self, year: int) -> bool:
        """Whether `year` has a holiday schedule (loaded or from the package)."""
        return year in self._loaded or (self._package and year in _package()[1])

    def source_of(self, year: int) -> str:
        """`loaded`, `package`, or "" for a year counted on weekends only."""
        if year in self._loaded:
            return LOADED
        return PACKAGE if self._package and year in _package()[1] else ""

    def is_workday(self, d: date) -> bool:
        table = self._table(d.year)
        return bool(table.flags[d.toordinal() - table.first])

    def next_workday(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        return d if self.is_workday(d) else self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The `n`-th working day after `start` (not counted); n=0: `start`; n<0: before it."""
        if n == 0:
            return start
        year = start.year
        table = self._table(year)
        if n > 0:
            base = table.prefix[start.toordinal() - table.first + 1]
            while True:
                target = base + n
                if target <= table.total:
                    k = bisect_left(table.prefix, target)
                    return date.fromordinal(table.first + k - 1)
                n -= table.total - base
                year += 1
                table = self._table(year)
                base = 0
        wanted = -n
        avail = table.prefix[start.toordinal() - table.first]
        while True:
            if wanted <= avail:
                j = bisect_right(table.prefix, avail - wanted) - 1
                return date.fromordinal(table.first + j)
            wanted -= avail
            year -= 1
            table = self._table(year)
            avail = table.total

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days d with a < d <= b (0 when b <= a)."""
        if b <= a:
            return 0
        ta, tb = self._table(a.year), self._table(b.year)
        before = ta.prefix[a.toordinal() - ta.first + 1]
        upto = tb.prefix[b.toordinal() - tb.first + 1]
        if a.year == b.year:
            return upto - before
        middle = sum(self._table(y).total for y in range(a.year + 1, b.year))
        return ta.total - before + middle + upto

    def unknown_years(self, a: date, b: date) -> list[int]:
        """Years from `a` to `b` (inclusive) that have no holiday schedule."""
        return [y for y in range(a.year, b.year + 1) if not self.knows(y)]


# --- loading the calendar ----------------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict[tuple[str, int], tuple[tuple[Any, ...], WorkCalendar]] = {}


def invalidate() -> None:
    """Forget every cached calendar (the next `load_calendar` reads the table again)."""
    with _cache_lock:
        _cache.clear()


def _row_days(row: HolidayYear) -> YearDays:
    def dates(values: Iterable[Any]) -> set[date]:
        out: set[date] = set()
        for value in values:
            try:
                d = date.fromisoformat(str(value))
            except ValueError:
                continue  # a bad value from elsewhere must not stop counting
            if d.year == row.year:
                out.add(d)
        return out

    return dates(row.holidays or ()), dates(row.workdays or ())


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar of this database: its non-voided holiday years over the package.

    Cached per database; a change to the table (a load here, a row pulled by sync,
    a void) changes the row count or the latest `updated_at`/version, which
    rebuilds it. `invalidate()` forgets the cache outright.
    """
    bind = session.get_bind()
    key = (str(getattr(bind, "url", "")), id(getattr(bind, "engine", bind)))
    stamp = tuple(
        session.execute(
            select(
                func.count(HolidayYear.id),
                func.count(HolidayYear.voided_at),
                func.max(HolidayYear.updated_at),
                func.coalesce(func.sum(HolidayYear.version), 0),
            )
        ).one()
    )
    with _cache_lock:
        known = _cache.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
    rows = session.scalars(select(HolidayYear).where(HolidayYear.voided_at.is_(None))).all()
    calendar = WorkCalendar({row.year: _row_days(row) for row in rows})
    with _cache_lock:
        _cache[key] = (stamp, calendar)
    return calendar


@dataclass(frozen=True)
class YearInfo:
    """A year the calendar knows: `origin` is `loaded` or `package`."""

    year: int
    origin: str
    source: str
    holidays: int
    workdays: int
    #: A loaded year that replaces the package's schedule.
    overrides_package: bool = False
    updated_at: datetime | None = None
    updated_by: str = ""


def list_years(session: Session) -> list[YearInfo]:
    """Every year with a schedule, oldest first, and where its schedule comes from."""
    version, package = _package()
    out: dict[int, YearInfo] = {
        year: YearInfo(year, PACKAGE, f"chinesecalendar {version}".strip(), len(off), len(on))
        for year, (off, on) in package.items()
    }
    rows = session.scalars(select(HolidayYear).where(HolidayYear.voided_at.is_(None))).all()
    for row in rows:
        off, on = _row_days(row)
        out[row.year] = YearInfo(
            row.year,
            LOADED,
            row.source,
            len(off),
            len(on),
            overrides_package=row.year in package,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
        )
    return [out[y] for y in sorted(out)]


# --- an administrator loads a year -------------------------------------------------


@dataclass(frozen=True)
class YearInput:
    """One year of a holiday notice: its statutory days off and make-up workdays."""

    year: int
    holidays: tuple[date, ...]
    workdays: tuple[date, ...] = ()
    source: str = ""


_KEYS = {
    "year": "year",
    "年份": "year",
    "年度": "year",
    "holidays": "holidays",
    "放假": "holidays",
    "节假日": "holidays",
    "workdays": "workdays",
    "调休上班": "workdays",
    "上班": "workdays",
    "调休": "workdays",
    "source": "source",
    "来源": "source",
}
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"\.\.|~|～")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LINE = re.compile(r"^([^:：]+)[:：](.*)$")


def _parse_date(text: str, where: str) -> date:
    text = text.strip()
    try:
        if not _ISO.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            {"file": f"{where}：“{text}”不是有效日期，请写成 2027-01-01 这样的格式"}
        ) from None


def _parse_dates(items: Iterable[Any], where: str) -> list[date]:
    out: list[date] = []
    for item in items:
        if not isinstance(item, str):
            raise ValidationError({"file": f'{where}：日期要写成文字，如 "2027-01-01"'})
        for token in _SEPARATORS.split(item.strip()):
            if not token:
                continue
            parts = _RANGE.split(token)
            if len(parts) == 1:
                out.append(_parse_date(token, where))
                continue
            if len(parts) != 2:
                raise ValidationError({"file": f"{where}：“{token}”不是有效的日期范围"})
            a, b = _parse_date(parts[0], where), _parse_date(parts[1], where)
            if b < a or (b - a).days > 366:
                raise ValidationError({"file": f"{where}：日期范围“{token}”有误"})
            out.extend(a + timedelta(days=i) for i in range((b - a).days + 1))
    return out


def _year_of(value: Any, where: str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        return int(str(value).strip())
    except ValueError:
        raise ValidationError({"file": f"{where}：年份“{value}”无效，应为如 2027 的数字"}) from None


def _from_json(obj: Any, where: str) -> YearInput:
    if not isinstance(obj, dict):
        raise ValidationError({"file": f'{where}：每一年应写成 {{"year": …, "holidays": […]}}'})
    unknown = sorted(set(obj) - {"year", "holidays", "workdays", "source"})
    if unknown:
        raise ValidationError({"file": f"{where}：不认识的字段 {'、'.join(map(str, unknown))}"})
    if "year" not in obj:
        raise ValidationError({"file": f"{where}：缺少 year（年份）"})
    lists: dict[str, list[date]] = {}
    for key in ("holidays", "workdays"):
        value = obj.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ValidationError({"file": f"{where}：{key} 应为日期列表"})
        lists[key] = _parse_dates(value, where)
    return YearInput(
        _year_of(obj["year"], where),
        tuple(lists["holidays"]),
        tuple(lists["workdays"]),
        str(obj.get("source", "")).strip(),
    )


def _from_text(text: str, name: str) -> list[YearInput]:
    blocks: list[dict[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{name} 第 {number} 行"
        match = _LINE.match(line)
        if match is None:
            raise ValidationError({"file": f"{where}：应写成“键: 值”，如 year: 2027"})
        key, value = match.group(1), match.group(2)
        field = _KEYS.get(key.strip().lower())
        if field is None:
            raise ValidationError(
                {"file": f"{where}：不认识“{key.strip()}”，可用 year、holidays、workdays、source"}
            )
        if field == "year":
            blocks.append({"year": _year_of(value, where), "holidays": [], "workdays": []})
            continue
        if not blocks:
            raise ValidationError({"file": f"{where}：请先写 year: 年份"})
        if field == "source":
            blocks[-1]["source"] = value.strip()
        else:
            blocks[-1][field].extend(_parse_dates([value], where))
    return [
        YearInput(b["year"], tuple(b["holidays"]), tuple(b["workdays"]), b.get("source", ""))
        for b in blocks
    ]


def parse_holiday_file(path: Path | str) -> list[YearInput]:
    """The years of a holiday file (format: see the module docstring). Raises ValidationError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError({"file": f"找不到文件 {path}"}) from None
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": f"{path.name} 不是 UTF-8 编码的文本，请另存为 UTF-8"}
        ) from None
    except OSError as exc:
        raise ValidationError({"file": f"无法读取 {path}：{exc.strerror or exc}"}) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {"file": f"{path.name} 第 {exc.lineno} 行 JSON 格式有误：{exc.msg}"}
            ) from None
        items = data if isinstance(data, list) else [data]
        years = [_from_json(item, f"{path.name} 第 {i} 项") for i, item in enumerate(items, 1)]
    else:
        years = _from_text(text, path.name)
    if not years:
        raise ValidationError({"file": f"{path.name} 里没有任何年份"})
    seen: set[int] = set()
    for y in years:
        if y.year in seen:
            raise ValidationError({"file": f"{path.name} 里 {y.year} 年出现了不止一次"})
        seen.add(y.year)
    return years


def _fmt(days: Iterable[date]) -> str:
    items = sorted(days)
    text = "、".join(d.isoformat() for d in items[:5])
    return text + (f" 等 {len(items)} 天" if len(items) > 5 else "")


def validate_year(data: YearInput) -> dict[str, str]:
    """Field -> message for everything wrong with `data` (empty: it can be loaded)."""
    errors: dict[str, str] = {}
    year = data.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        return {"year": f"年份 {year} 无效：应在 {MIN_YEAR} 到 {MAX_YEAR} 之间"}
    holidays, workdays = set(data.holidays), set(data.workdays)
    if not holidays:
        errors["holidays"] = f"{year} 年没有填写放假日期：请按国务院办公厅的通知填写"
    elif outside := {d for d in holidays if d.year != year}:
        errors["holidays"] = f"放假日期不在 {year} 年内：{_fmt(outside)}"
    if outside := {d for d in workdays if d.year != year}:
        errors["workdays"] = f"调休上班日期不在 {year} 年内：{_fmt(outside)}"
    elif weekdays := {d for d in workdays if d.weekday() < 5}:
        errors["workdays"] = f"调休上班日应是周六或周日：{_fmt(weekdays)} 本来就是工作日"
    if both := holidays & workdays:
        errors["dates"] = f"同一天既是放假日又是调休上班日：{_fmt(both)}"
    if len(data.source.strip()) > MAX_SOURCE:
        errors["source"] = f"来源最多 {MAX_SOURCE} 个字"
    return errors


def load_year(uow: UnitOfWork, data: YearInput) -> Literal["created", "updated", "unchanged"]:
    """Record one year's holiday schedule (administrators only); it overrides the package."""
    require(uow.actor, Role.ADMIN)
    errors = validate_year(data)
    if errors:
        raise ValidationError(errors)
    holidays = sorted(d.isoformat() for d in set(data.holidays))
    workdays = sorted(d.isoformat() for d in set(data.workdays))
    source = data.source.strip()
    row = uow.session.scalar(select(HolidayYear).where(HolidayYear.year == data.year))
    if row is None:
        uow.add(HolidayYear(year=data.year, holidays=holidays, workdays=workdays, source=source))
        result: Literal["created", "updated", "unchanged"] = "created"
    elif row.voided_at is not None:
        raise ValidationError(
            {"year": f"{data.year} 年的节假日记录已作废，不能再次载入：请联系中心管理员"}
        )
    elif (list(row.holidays), list(row.workdays), row.source) == (holidays, workdays, source):
        return "unchanged"
    else:
        row.holidays = holidays
        row.workdays = workdays
        row.source = source
        result = "updated"
    uow.session.flush()
    invalidate()
    return result
