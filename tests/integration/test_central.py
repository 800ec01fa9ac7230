"""The central database: schema upgrade, hello(), enrollment — against a real PostgreSQL."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desk_app import cli
from desk_app.models import central as schema
from desk_app.models.db import backup_to
from desk_app.services import numbering
from desk_app.services.desk import open_desk
from desk_app.services.errors import ValidationError
from desk_app.services.settings import SYNC_SCOPE, SYNC_URL
from desk_app.services.sync import central, enroll, secrets


@pytest.fixture
def upgraded(central_db: str) -> str:
    engine = central.connect(central.central_url(central_db))
    central.upgrade(engine)
    engine.dispose()
    return central_db


def test_upgrade_creates_the_schema_and_is_repeatable(central_db: str) -> None:
    engine = central.connect(central.central_url(central_db))
    try:
        assert central.upgrade(engine) == (None, central.head_revision())
        assert central.upgrade(engine) == (central.head_revision(), central.head_revision())
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert set(schema.SYNCED_TABLES) <= tables
            assert {"applied_op", "change_log", "sync_conflict", "desk", "sync_sequence"} <= tables
            assert conn.execute(sa.text("SELECT count(*) FROM divisions")).scalar() == 178
            assert conn.execute(sa.text("SELECT value FROM sync_sequence")).scalar() == 0
            # Desk-local columns stay on the desks.
            columns = {c["name"] for c in sa.inspect(conn).get_columns("users")}
            assert "failed_attempts" not in columns and "password_hash" in columns
            diff = compare_metadata(
                MigrationContext.configure(
                    conn, opts={"compare_type": True, "version_table": central.VERSION_TABLE}
                ),
                schema.central_metadata,
            )
        assert diff == [], "the central migrations differ from models/central.py"
    finally:
        engine.dispose()


def test_case_numbers_are_unique_centrally(upgraded: str) -> None:
    engine = central.connect(central.central_url(upgraded))
    row = {
        "version": 1, "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC),
        "origin_desk": "D01", "updated_by": "x", "case_no": "景综〔2026〕D01-00001",
        "status": "pending_triage", "channel": "walk_in", "received_at": datetime.now(UTC),
        "registered_by": "x", "visitor_count": 1, "group_visit": False,
        "dispute_type_code": "02", "dispute_subtype": "", "division_code": "532801103201",
        "place_detail": "", "title": "t", "facts": "", "claims": "", "police_risk": False,
        "police_reported_to": "", "group_matter": False, "foreign_related": False,
        "urgent": False,
    }  # fmt: skip
    import uuid

    with engine.begin() as conn:
        conn.execute(schema.central_metadata.tables["cases"].insert(), {**row, "id": uuid.uuid4()})
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(schema.central_metadata.tables["cases"].insert(), {**row, "id": uuid.uuid4()})
    engine.dispose()


def test_hello_reports_versions_clock_and_counters(upgraded: str) -> None:
    engine = central.connect(central.central_url(upgraded))
    try:
        with engine.begin() as conn:
            conn.execute(
                schema.desk_counter.insert(),
                {"desk_code": "D03", "name": "case", "year": 2026, "value": 41},
            )
        hello = central.hello(engine, "D03", "0.1.0")
        assert hello.schema == central.head_revision() and hello.epoch
        assert hello.counters == {("case", 2026): 41}
        assert abs(hello.clock_skew_seconds) < 60 and hello.clock_warning is None
        with engine.begin() as conn:
            conn.execute(
                sa.update(schema.central_info)
                .where(schema.central_info.c.key == "min_desk_version")
                .values(value="9.0.0")
            )
        with pytest.raises(central.CentralError, match="低于中心要求"):
            central.hello(engine, "D03", "0.1.0")
    finally:
        engine.dispose()


def test_hello_says_what_is_wrong(central_db: str) -> None:
    engine = central.connect(central.central_url(central_db))
    with pytest.raises(central.CentralError, match="尚未建好"):
        central.hello(engine, "D03", "0.1.0")
    engine.dispose()
    wrong = central.connect(central.central_url(central_db).set(password="not-it"))
    with pytest.raises(central.CentralError, match="密码不正确"):
        central.hello(wrong, "D03", "0.1.0")
    wrong.dispose()


def test_enrolling_registers_the_scope_and_resumes_counters(upgraded, desk, tmp_path) -> None:
    url = central.central_url(upgraded)
    engine = central.connect(url)
    year = numbering.local_year()
    with engine.begin() as conn:
        conn.execute(
            schema.desk_counter.insert(),
            {"desk_code": "D03", "name": "case", "year": year, "value": 57},
        )
    engine.dispose()
    result = enroll.enroll(desk, url, "d03", ("532801103", "JH-FY"), "0.1.0")
    assert result.scope == ("532801103", "JH-FY") and result.counters_raised == 1
    assert desk.settings.get(SYNC_URL) == central.without_password(url)
    assert "desk@" in desk.settings.get(SYNC_URL) and ":desk@" not in desk.settings.get(SYNC_URL)
    assert desk.settings.get(SYNC_SCOPE) == "532801103,JH-FY"
    assert secrets.load_password(desk.dirs.root, desk.settings.get(SYNC_URL)) == url.password
    with desk.db.write_session() as s, s.begin():
        assert numbering.current(s, "case", year) == 57

    # Another installation holding D03 is refused, unless it takes over a retired PC.
    other_root = tmp_path / "other"
    other_root.mkdir()
    backup_to(desk.dirs.db, other_root / "desk.db")
    other = open_desk(other_root)
    try:
        with other.db.write_session() as s, s.begin():
            s.execute(sa.text("UPDATE desk_identity SET install_id = :i"), {"i": "0" * 32})
        with pytest.raises(ValidationError, match="已被另一台电脑登记"):
            enroll.enroll(other, url, "D03", ("532801103",), "0.1.0")
        assert enroll.enroll(other, url, "D03", ("532801103",), "0.1.0", replace=True).replaced
    finally:
        other.close()


def test_enrolling_checks_the_code_and_the_scope(upgraded, desk) -> None:
    url = central.central_url(upgraded)
    with pytest.raises(ValidationError, match="不一致"):
        enroll.enroll(desk, url, "D09", ("532801",), "0.1.0")
    with pytest.raises(ValidationError, match="不认识"):
        enroll.enroll(desk, url, "D03", ("532801999", "JH-NOPE"), "0.1.0")


def test_the_command_line_reads_the_password_from_stdin(central_db, desk, monkeypatch, capsys):
    plain = central.without_password(central.central_url(central_db))
    password = central.central_url(central_db).password
    monkeypatch.delenv("DESK_APP_CENTRAL_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{password}\n"))
    assert cli.main(["central", "upgrade", "--url", plain]) == 0
    assert "升级到" in capsys.readouterr().out
    monkeypatch.setenv("DESK_APP_CENTRAL_PASSWORD", password)
    args = ["--data-dir", str(desk.dirs.root), "central", "enroll", "--url", plain,
            "--desk-code", "D03", "--scope", "532801"]  # fmt: skip
    assert cli.main(args) == 0
    assert "已登记" in capsys.readouterr().out
    monkeypatch.setenv("DESK_APP_CENTRAL_PASSWORD", "wrong-password")
    assert cli.main(["central", "upgrade", "--url", plain]) == 1
    assert "密码不正确" in capsys.readouterr().err
