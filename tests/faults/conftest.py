"""Fixtures of the fault-injection tests: the PostgreSQL of tests/integration, desks, a world.

The cluster (`pg_server`) and the per-test database (`central_db`) are the integration
tests' own fixtures; here `world` adds the central schema and a way to make enrolled
desks from the session's template database (tests/conftest.py, `template_db`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.helpers import Center, World
from tests.integration.conftest import PgServer, central_db, pg_server  # noqa: F401


@pytest.fixture
def center(pg_server: PgServer, central_db: str) -> Iterator[Center]:  # noqa: F811
    made = Center.create(pg_server, central_db)
    yield made
    made.dispose()


@pytest.fixture
def world(center: Center, template_db: Path, tmp_path: Path) -> World:
    return World(center, template_db, tmp_path / "desks")
