"""Accounts, roles and login with throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desk_app.models import Outbox, User, utcnow
from desk_app.services import users
from desk_app.services.cases import register_case
from desk_app.services.desk import Desk
from desk_app.services.errors import AuthError, PermissionDenied, ValidationError
from desk_app.services.roles import Actor, Role, parse_roles, require
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD, sample_case


def test_login_returns_the_user_with_roles(desk: Desk) -> None:
    actor = users.login(desk.db, "clerk1", CLERK_PASSWORD)
    assert actor.username == "clerk1" and actor.display_name == "岩温"
    assert actor.roles == {Role.CLERK}
    assert not actor.is_system


def test_passwords_are_stored_as_argon2_hashes(desk: Desk) -> None:
    with desk.db.read() as s:
        user = s.scalars(select(User).where(User.username == "admin")).one()
    assert user.password_hash.startswith("$argon2id$")
    assert ADMIN_PASSWORD not in user.password_hash


def test_wrong_passwords_slow_further_tries(desk: Desk) -> None:
    now = utcnow()
    for _ in range(users.FREE_ATTEMPTS - 1):
        with pytest.raises(AuthError, match="用户名或密码不正确"):
            users.login(desk.db, "clerk1", "wrong-password", now=now)
    with pytest.raises(AuthError, match="秒后再试"):
        users.login(desk.db, "clerk1", "wrong-password", now=now)
    # Even the right password waits until the delay has passed...
    with pytest.raises(AuthError, match="秒后再试"):
        users.login(desk.db, "clerk1", CLERK_PASSWORD, now=now + timedelta(seconds=1))
    # ...and then works, and clears the count.
    later = now + users.throttle_delay(users.FREE_ATTEMPTS) + timedelta(seconds=1)
    assert users.login(desk.db, "clerk1", CLERK_PASSWORD, now=later).username == "clerk1"
    with desk.db.read() as s:
        user = s.scalars(select(User).where(User.username == "clerk1")).one()
        assert user.failed_attempts == 0 and user.locked_until is None


def test_throttle_grows_and_is_capped() -> None:
    assert users.throttle_delay(users.FREE_ATTEMPTS - 1) == timedelta(0)
    assert users.throttle_delay(users.FREE_ATTEMPTS + 1) > users.throttle_delay(users.FREE_ATTEMPTS)
    assert users.throttle_delay(50) == users.MAX_DELAY


def test_failed_logins_write_no_outbox_op(desk: Desk) -> None:
    before = desk.pending_ops()
    with pytest.raises(AuthError):
        users.login(desk.db, "clerk1", "wrong-password")
    assert desk.pending_ops() == before


def test_unknown_and_disabled_users_cannot_log_in(desk: Desk, admin: Actor, clerk: Actor) -> None:
    with pytest.raises(AuthError, match="用户名或密码不正确"):
        users.login(desk.db, "nobody", "whatever-123")
    with desk.uow(admin) as uow:
        users.set_active(uow, clerk.user_id, False)
    with pytest.raises(AuthError, match="停用"):
        users.login(desk.db, "clerk1", CLERK_PASSWORD)


def test_only_administrators_manage_users(desk: Desk, clerk: Actor) -> None:
    with pytest.raises(PermissionDenied, match="管理员"), desk.uow(clerk) as uow:
        users.add_user(
            uow, users.UserInput("new1", "新用户", "new-pass-1", frozenset({Role.CLERK}))
        )
    assert [u.username for u in users.list_users(desk.db)] == ["admin", "clerk1"]


def test_adding_a_user_validates_every_field(desk: Desk, admin: Actor) -> None:
    with pytest.raises(ValidationError) as info, desk.uow(admin) as uow:
        users.add_user(uow, users.UserInput("1bad", "", "short", frozenset()))
    assert set(info.value.fields) == {"username", "full_name", "password", "roles"}
    with pytest.raises(ValidationError) as info, desk.uow(admin) as uow:
        users.add_user(
            uow, users.UserInput("clerk1", "重名", "long-enough-1", frozenset({Role.CLERK}))
        )
    assert "已存在" in info.value.fields["username"]


def test_the_last_administrator_cannot_be_disabled(desk: Desk, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="自己"), desk.uow(admin) as uow:
        users.set_active(uow, admin.user_id, False)
    cli = Actor.command_line()
    with pytest.raises(ValidationError, match="最后一个"), desk.uow(cli) as uow:
        users.set_active(uow, admin.user_id, False)


def test_a_reset_password_must_be_changed_at_next_login(
    desk: Desk, admin: Actor, clerk: Actor
) -> None:
    with desk.uow(admin) as uow:
        users.reset_password(uow, clerk.user_id, "temporary-1")
    actor = users.login(desk.db, "clerk1", "temporary-1")
    assert users.must_change_password(desk.db, actor)
    with pytest.raises(ValidationError, match="原密码"), desk.uow(actor) as uow:
        users.change_own_password(uow, "not-it-123", "brand-new-2")
    with desk.uow(actor) as uow:
        users.change_own_password(uow, "temporary-1", "brand-new-2")
    assert not users.must_change_password(desk.db, users.login(desk.db, "clerk1", "brand-new-2"))


def test_user_changes_sync_but_throttle_state_does_not(
    desk: Desk, admin: Actor, clerk: Actor
) -> None:
    with desk.uow(admin) as uow:
        users.reset_password(uow, clerk.user_id, "temporary-1")
    with desk.db.read() as s:
        op = s.scalars(select(Outbox).order_by(Outbox.seq.desc())).first()
    assert op is not None and op.entity == "users" and op.kind == "patch"
    assert set(op.payload) == {"password_hash", "must_change_password"}


def test_services_check_the_role_of_the_acting_user(desk: Desk) -> None:
    mediator = Actor("m1", "调解员甲", frozenset({Role.MEDIATOR}))
    with pytest.raises(PermissionDenied, match="窗口受理"):
        register_case(desk, mediator, sample_case())


def test_the_command_line_account_is_an_administrator() -> None:
    cli = Actor.command_line()
    assert cli.username.startswith("cli:") and cli.is_system
    require(cli, Role.ADMIN)


def test_roles_parse_from_codes_and_chinese_labels() -> None:
    assert parse_roles(["clerk", "研判督办"]) == {Role.CLERK, Role.OFFICER}
    with pytest.raises(PermissionDenied):
        parse_roles(["boss"])
