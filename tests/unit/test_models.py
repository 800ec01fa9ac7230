"""The schema, the SQLite settings and the shipped reference data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from desk_app.models import Case, DisputeType, Division, Unit, reference_id
from desk_app.models.refdata import SHIPPED_BY
from desk_app.services.desk import Desk


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(desk: Desk) -> None:
    with desk.db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_writes_begin_immediate_so_a_second_writer_waits(desk: Desk) -> None:
    import sqlite3

    with desk.db.write_session() as s, s.begin():
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(desk.dirs.db, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_foreign_keys_are_enforced(desk: Desk) -> None:
    from sqlalchemy.exc import IntegrityError

    from desk_app.models import Party

    with pytest.raises(IntegrityError), desk.db.write_session() as s, s.begin():
        s.add(Party(case_id=uuid.uuid4(), role="applicant", kind="person", name="无案件"))


def test_reference_data_is_complete_with_deterministic_ids(desk: Desk) -> None:
    with desk.db.read() as s:
        towns = s.scalars(select(Division).where(Division.level == "town")).all()
        villages = s.scalar(
            select(func.count()).select_from(Division).where(Division.level == "village")
        )
        types = s.scalars(select(DisputeType).where(DisputeType.parent_code.is_(None))).all()
        city = s.scalar(select(Division).where(Division.level == "city"))
        court = s.scalar(select(Unit).where(Unit.code == "JH-FY"))
        menglong_village_units = s.scalar(
            select(func.count())
            .select_from(Unit)
            .where(Unit.division_code.like("532801103%"), Unit.level == "village")
        )
    assert len(towns) == 17
    assert villages == 160
    assert sorted(t.code for t in types) == [f"{n:02d}" for n in range(1, 24)] + ["99"]
    assert city is not None and city.code == "532801000000"
    assert city.id == reference_id("divisions", "532801000000")
    assert court is not None and court.name == "景洪市人民法院"
    assert court.id == reference_id("units", "JH-FY")
    assert court.updated_by == SHIPPED_BY and court.version == 0
    assert menglong_village_units == 22  # one committee per village of 勐龙镇


def test_every_dispute_type_has_a_unit_that_takes_it(desk: Desk) -> None:
    with desk.db.read() as s:
        types = {
            t
            for (t,) in s.execute(select(DisputeType.code).where(DisputeType.parent_code.is_(None)))
        }
        taken = {code for u in s.scalars(select(Unit)) for code in u.dispute_types}
    assert types <= taken


def test_ids_are_uuid7_and_times_come_back_as_aware_utc(desk: Desk, make_case) -> None:
    ref = make_case()
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None
        assert case.id.version == 7
        assert case.created_at.tzinfo is not None
        assert case.created_at.utcoffset() == timedelta(0)
        assert abs(case.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_non_utc_time_is_stored_as_the_same_instant(desk: Desk, make_case) -> None:
    ref = make_case()
    beijing = timezone(timedelta(hours=8))
    at = datetime(2026, 3, 1, 9, 30, tzinfo=beijing)
    with desk.db.write_session() as s, s.begin():
        case = s.get(Case, ref.id)
        assert case is not None
        case.police_reported_at = at
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None
        assert case.police_reported_at == at
        assert case.police_reported_at.hour == 1  # 09:30 +08:00 is 01:30 UTC


def test_naive_times_are_refused(desk: Desk, make_case) -> None:
    from sqlalchemy.exc import StatementError

    ref = make_case()
    with pytest.raises(StatementError, match="naive"), desk.db.write_session() as s, s.begin():
        case = s.get(Case, ref.id)
        assert case is not None
        case.police_reported_at = datetime(2026, 3, 1, 9, 30)
        s.flush()
