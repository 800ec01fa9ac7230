"""A throwaway PostgreSQL cluster for integration and fault tests.

`pg_server` (session) starts one cluster on a free port of 127.0.0.1 with a `desk` role
(password `desk`); `central_db` (per test) makes a fresh database owned by `desk` and gives
its SQLAlchemy URL. The cluster itself is `desk_app.devtools.pgserver` (the bench uses it
too). See /work/shared/TESTING.md, "PostgreSQL for integration and fault tests".
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from desk_app.devtools.pgserver import (
    INSTALL_HINT,
    ClusterSetupError,
    PgServer,
    find_bindir,
    remove_cluster,
    start_cluster,
)

__all__ = ["PgServer", "central_db", "pg_server"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL cluster for the whole session, removed at its end."""
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    try:
        server = start_cluster(bindir)
    except ClusterSetupError as e:
        pytest.fail(str(e))
    except (RuntimeError, OSError, subprocess.SubprocessError, psycopg.Error) as e:
        pytest.fail(f"could not start a PostgreSQL cluster from {bindir}:\n{e}", pytrace=False)
    try:
        yield server
    finally:
        remove_cluster(server)


@pytest.fixture
def central_db(pg_server: PgServer) -> Iterator[str]:
    """A fresh database of its own, owned by `desk`: its SQLAlchemy URL (with password)."""
    if not pg_server.running:  # a previous test stopped it and did not start it again
        pg_server.start()
    name = f"central_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name)
    yield url
    if not pg_server.running:
        pg_server.start()
    pg_server.drop_database(name)
