"""Fixtures shared by every test: a real desk in a temporary data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app.models import User
from desk_app.models.db import backup_to
from desk_app.services import users
from desk_app.services.cases import CaseInput, PartyInput, register_case
from desk_app.services.desk import Desk, InitInput, initialise, open_desk
from desk_app.services.roles import Actor, Role

ADMIN_PASSWORD = "admin-pass-1"
CLERK_PASSWORD = "clerk-pass-1"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk database made once (migrations and password hashing are slow): copied per test.

    景洪市综治中心, desk D03, administrator `admin`, clerk `clerk1`.
    """
    root = tmp_path_factory.mktemp("template")
    d = open_desk(root)
    admin = initialise(
        d,
        InitInput(
            center_name="景洪市综治中心",
            desk_code="D03",
            admin_username="admin",
            admin_full_name="管理员甲",
            admin_password=ADMIN_PASSWORD,
        ),
    )
    with d.uow(admin) as uow:
        users.add_user(
            uow, users.UserInput("clerk1", "岩温", CLERK_PASSWORD, frozenset({Role.CLERK}))
        )
    d.close()
    return root / "desk.db"


@pytest.fixture
def desk(data_dir: Path, template_db: Path) -> Iterator[Desk]:
    """An initialised desk of its own (a copy of the template database)."""
    data_dir.mkdir(parents=True)
    backup_to(template_db, data_dir / "desk.db")
    d = open_desk(data_dir)
    yield d
    d.close()


def actor_of(desk: Desk, username: str) -> Actor:
    """The actor a login of `username` gives, without the (slow) password check."""
    with desk.db.read() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return Actor(user.username, user.full_name, frozenset(Role(r) for r in user.roles), user.id)


@pytest.fixture
def admin(desk: Desk) -> Actor:
    return actor_of(desk, "admin")


@pytest.fixture
def clerk(desk: Desk) -> Actor:
    return actor_of(desk, "clerk1")


def sample_case(title: str = "宅基地边界争议") -> CaseInput:
    return CaseInput(
        title=title,
        dispute_type_code="03",
        division_code="532801103201",
        facts="双方因宅基地边界发生争议。",
        parties=(
            PartyInput(
                name="玉香",
                role="applicant",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13800138000",
            ),
            PartyInput(name="岩温", role="respondent"),
        ),
    )


@pytest.fixture
def make_case(desk: Desk, clerk: Actor):
    def make(title: str = "宅基地边界争议"):
        return register_case(desk, clerk, sample_case(title))

    return make
