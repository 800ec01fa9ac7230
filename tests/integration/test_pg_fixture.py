"""The throwaway PostgreSQL cluster of conftest.py works as the integration tests need."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from .conftest import PgServer


@pytest.fixture
def engine(central_db: str) -> Iterator[Engine]:
    e = sqlalchemy.create_engine(central_db)
    yield e
    e.dispose()


def db_name(url: str) -> str:
    name = make_url(url).database
    assert name
    return name


def test_select_one_over_tcp_as_desk(engine: Engine, pg_server: PgServer) -> None:
    assert make_url(str(engine.url)).host == "127.0.0.1"
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar_one() == 1
        assert conn.execute(text("select current_user")).scalar_one() == "desk"
        assert conn.execute(text("show server_encoding")).scalar_one() == "UTF8"


def test_server_version_is_at_least_13(engine: Engine) -> None:
    with engine.connect() as conn:
        version = int(conn.execute(text("show server_version_num")).scalar_one())
    assert version >= 130000


def test_password_is_required_over_tcp(central_db: str, pg_server: PgServer) -> None:
    e = sqlalchemy.create_engine(pg_server.url(db_name(central_db), password=False))
    try:
        with pytest.raises(sqlalchemy.exc.OperationalError):
            e.connect().close()
    finally:
        e.dispose()


def test_superuser_url_over_the_socket(pg_server: PgServer) -> None:
    e = sqlalchemy.create_engine(pg_server.superuser_url())
    try:
        with e.connect() as conn:
            assert conn.execute(text("select current_user")).scalar_one() == "postgres"
            assert conn.execute(text("select inet_server_addr()")).scalar_one() is None
    finally:
        e.dispose()


def test_central_databases_are_isolated(central_db: str, pg_server: PgServer) -> None:
    other = f"{db_name(central_db)}_other"
    other_url = pg_server.create_database(other)
    first, second = sqlalchemy.create_engine(central_db), sqlalchemy.create_engine(other_url)
    try:
        with first.begin() as conn:
            conn.execute(text("create table only_here (id int primary key)"))
        with first.connect() as conn:
            assert conn.execute(text("select to_regclass('only_here')")).scalar_one()
        with second.connect() as conn:
            assert conn.execute(text("select to_regclass('only_here')")).scalar_one() is None
    finally:
        first.dispose()
        second.dispose()
        pg_server.drop_database(other)
    assert not pg_server.execute("select 1 from pg_database where datname = %s", (other,))


def test_each_test_gets_a_new_database(central_db: str, pg_server: PgServer) -> None:
    rows = pg_server.execute("select 1 from pg_database where datname = %s", (db_name(central_db),))
    assert rows == [(1,)]
    e = sqlalchemy.create_engine(central_db)
    try:
        with e.connect() as conn:
            tables = conn.execute(
                text("select count(*) from pg_tables where schemaname = 'public'")
            ).scalar_one()
    finally:
        e.dispose()
    assert tables == 0


def test_restart_keeps_data_and_new_connections_work(engine: Engine, pg_server: PgServer) -> None:
    with engine.begin() as conn:
        conn.execute(text("create table kept (id int primary key, note text)"))
        conn.execute(text("insert into kept values (1, '调解记录')"))
    engine.dispose()

    pg_server.restart()

    with engine.connect() as conn:
        assert conn.execute(text("select note from kept where id = 1")).scalar_one() == "调解记录"


def test_stop_then_start_keeps_data(engine: Engine, pg_server: PgServer) -> None:
    with engine.begin() as conn:
        conn.execute(text("create table kept (id int primary key)"))
        conn.execute(text("insert into kept values (7)"))
    engine.dispose()

    pg_server.stop()
    try:
        with pytest.raises(sqlalchemy.exc.OperationalError):
            engine.connect().close()
    finally:
        pg_server.start()

    with engine.connect() as conn:
        assert conn.execute(text("select id from kept")).scalar_one() == 7


def test_terminate_backends_breaks_an_open_psycopg_connection(
    central_db: str, pg_server: PgServer
) -> None:
    name = db_name(central_db)
    with psycopg.connect(pg_server.conninfo(name, superuser=False), autocommit=True) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        assert pg_server.terminate_backends(name) == 1
        with pytest.raises(psycopg.OperationalError):
            conn.execute("select 1")
        # Closed, or (when the server's notice came before the socket's end) marked broken:
        # either way psycopg will not use it again.
        assert conn.closed or conn.broken


def test_terminate_backends_breaks_an_open_sqlalchemy_connection(
    engine: Engine, pg_server: PgServer
) -> None:
    name = engine.url.database
    assert name
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar_one() == 1
        assert pg_server.terminate_backends(name) == 1
        with pytest.raises(sqlalchemy.exc.OperationalError) as caught:
            conn.execute(text("select 1"))
        assert caught.value.connection_invalidated
    # The pool drops the dead connection: a new one works.
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar_one() == 1


def test_terminate_backends_spares_other_databases(engine: Engine, pg_server: PgServer) -> None:
    with engine.connect() as conn:
        conn.execute(text("select 1"))
        assert pg_server.terminate_backends("postgres") == 0
        assert conn.execute(text("select 1")).scalar_one() == 1
