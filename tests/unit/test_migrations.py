"""Schema migrations: from the first schema to now, without loss, with a copy first."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, text
from sqlalchemy.schema import CreateIndex

from desk_app.models import Base
from desk_app.models.db import (
    SCHEMA_HEAD,
    DatabaseError,
    check_sqlite_file,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    open_database,
    upgrade,
)

FIRST = "0001"


def _first_schema_with_data(path: Path) -> uuid.UUID:
    engine = make_engine(path)
    upgrade(engine, FIRST)
    case_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (id, version, created_at, updated_at, origin_desk, updated_by, "
                "case_no, status, channel, received_at, registered_by, visitor_count, group_visit, "
                "dispute_type_code, dispute_subtype, division_code, place_detail, title, facts, "
                "claims, "
                "police_risk, police_reported_to, group_matter, foreign_related, urgent) VALUES "
                "(:id, 0, '2026-01-05 02:00:00', '2026-01-05 02:00:00', 'D01', 'clerk1', "
                "'景综〔2026〕D01-00001', 'pending_triage', 'walk_in', '2026-01-05 02:00:00', "
                "'clerk1', 1, 0, '02', '', '532801001003', '', '邻里噪音', '楼上噪音', '', "
                "0, '', 0, 0, 0)"
            ),
            {"id": case_id.hex},
        )
        conn.execute(
            text(
                "INSERT INTO desk_counters (name, year, value, updated_at) "
                "VALUES ('case', 2026, 1, '2026-01-05 02:00:00')"
            )
        )
    engine.dispose()
    return case_id


def test_an_older_database_upgrades_without_loss(tmp_path: Path) -> None:
    db_path, backups = tmp_path / "desk.db", tmp_path / "backups"
    case_id = _first_schema_with_data(db_path)

    copy = migrate(db_path, backups)

    engine = make_engine(db_path)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT case_no, title FROM cases WHERE id = :id"), {"id": case_id.hex}
        ).one()
        assert tuple(row) == ("景综〔2026〕D01-00001", "邻里噪音")
        assert conn.execute(text("SELECT value FROM desk_counters")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM divisions")).scalar() == 178
    engine.dispose()
    # The copy taken before migrating is a complete database at the old revision.
    assert copy is not None and Path(copy).parent == backups
    with sqlite3.connect(copy) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == FIRST
        assert old.execute("SELECT count(*) FROM cases").fetchone()[0] == 1


def test_a_current_database_is_left_alone(tmp_path: Path) -> None:
    db = open_database(tmp_path / "desk.db", tmp_path / "backups")
    db.dispose()
    assert migrate(tmp_path / "desk.db", tmp_path / "backups") is None
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "desk.db", tmp_path / "backups")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(DatabaseError, match="新版程序"):
        migrate(tmp_path / "desk.db", tmp_path / "backups")


# Alembic cannot reflect SQLite's expression indexes: the next test compares those.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:.*expression-based index:sqlalchemy.exc.SAWarning")
def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "desk.db", tmp_path / "backups")
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    db.dispose()
    assert diff == []


def _words(sql: str) -> str:
    return " ".join(sql.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split())


def test_the_migrations_build_the_expression_indexes_of_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "desk.db", tmp_path / "backups")
    with db.engine.connect() as conn:
        stored = dict(
            conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            ).all()
        )
        dialect = conn.dialect
    db.dispose()
    expression_indexes = [
        index
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if any(not isinstance(e, Column) for e in index.expressions)
    ]
    assert [i.name for i in expression_indexes] == ["ix_cases_board"]
    for index in expression_indexes:
        wanted = str(CreateIndex(index).compile(dialect=dialect))
        assert _words(stored[str(index.name)]) == _words(wanted)


def test_the_board_index_holds_exactly_the_open_cases() -> None:
    from desk_app.models.case import OPEN_STATUSES_SQL
    from desk_app.services.board import STAGES

    assert ", ".join(f"'{s}'" for s in STAGES) == OPEN_STATUSES_SQL


def test_check_sqlite_file_tells_what_is_wrong(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    assert check_sqlite_file(junk) == "不是 SQLite 数据库文件"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert check_sqlite_file(other) == "不是本程序的数据库备份"
    db = open_database(tmp_path / "desk.db", tmp_path / "backups")
    db.dispose()
    assert check_sqlite_file(tmp_path / "desk.db") is None


def test_the_fast_start_up_check_knows_the_newest_migration() -> None:
    assert head_revision() == SCHEMA_HEAD, "set SCHEMA_HEAD in models/db.py to the new revision"
