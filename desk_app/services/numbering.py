"""Numbers people see (case numbers, document numbers), allocated offline.

`{center}〔{year}〕{desk}-{seq:05d}` gives 景综〔2026〕D03-00042. The counter row
is bumped inside the unit of work that prints the number, so a committed
number is never issued again, even after a power cut.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from desk_app.models import DeskCounter, utcnow

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_CASE_TEMPLATE = "{center}〔{year}〕{desk}-{seq:05d}"
TEMPLATE_FIELDS = ("center", "year", "desk", "seq")


def local_year(at: datetime | None = None) -> int:
    return (at or utcnow()).astimezone(SHANGHAI).year


def check_template(template: str) -> str | None:
    """A reason why `template` cannot make numbers, or None."""
    try:
        sample = template.format(center="景综", year=2026, desk="D01", seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        return f"编号模板有误：{exc}；可用字段 {{center}} {{year}} {{desk}} {{seq:05d}}"
    if "{seq" not in template:
        return "编号模板必须包含序号 {seq}"
    if sample == template.format(center="景综", year=2026, desk="D01", seq=2):
        return "编号模板必须包含序号 {seq}"
    return None


def allocate(
    session: Session,
    counter: str,
    *,
    template: str,
    center: str,
    desk: str,
    at: datetime | None = None,
) -> str:
    """The next number of `counter` for this desk and year, formatted with `template`."""
    year = local_year(at)
    row = session.get(DeskCounter, (counter, year))
    if row is None:
        row = DeskCounter(name=counter, year=year, value=0)
        session.add(row)
    row.value += 1
    return template.format(center=center, year=year, desk=desk, seq=row.value)


def current(session: Session, counter: str, year: int) -> int:
    """The last number of `counter` issued in `year` (0 if none)."""
    row = session.get(DeskCounter, (counter, year))
    return row.value if row is not None else 0


def raise_to(session: Session, counter: str, year: int, value: int) -> None:
    """Make sure the counter is at least `value` (after a restore, or from the central side)."""
    row = session.get(DeskCounter, (counter, year))
    if row is None:
        session.add(DeskCounter(name=counter, year=year, value=value))
    elif row.value < value:
        row.value = value
