"""Users: accounts, passwords (argon2), login with throttling, administration."""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from desk_app.models import User, utcnow
from desk_app.models.db import Database
from desk_app.services.errors import AuthError, ValidationError
from desk_app.services.roles import Actor, Role, require
from desk_app.services.uow import UnitOfWork

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,31}$")
MIN_PASSWORD = 8
#: Failed logins allowed before each further try has to wait.
FREE_ATTEMPTS = 3
MAX_DELAY = timedelta(minutes=5)

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so timing does not tell names apart.

    Made on first use: hashing takes ~0.1 s, which start-up should not pay.
    """
    return _hasher.hash("not-a-password")


@dataclass(frozen=True)
class UserInput:
    username: str
    full_name: str
    password: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class UserView:
    id: uuid.UUID
    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool
    must_change_password: bool
    created_at: datetime


def validate_password(password: str, field: str = "password") -> dict[str, str]:
    if len(password) < MIN_PASSWORD:
        return {field: f"密码至少 {MIN_PASSWORD} 位，请换一个更长的密码"}
    if len(set(password)) < 3:
        return {field: "密码过于简单（字符重复），请换一个"}
    if any(ord(c) < 32 for c in password):
        return {field: "密码不能包含控制字符"}
    return {}


def validate_account(username: str, password: str, full_name: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not USERNAME_RE.match(username.strip()):
        errors["username"] = "用户名以字母开头，2 到 32 位字母、数字或 _ . -，例如 zhangsan"
    if not 1 <= len(full_name.strip()) <= 32:
        errors["full_name"] = "请填写姓名（最多 32 个字）"
    errors.update(validate_password(password))
    return errors


def _actor(user: User) -> Actor:
    return Actor(
        username=user.username,
        display_name=user.full_name,
        roles=frozenset(Role(r) for r in user.roles),
        user_id=user.id,
    )


def _view(user: User) -> UserView:
    return UserView(
        user.id,
        user.username,
        user.full_name,
        frozenset(Role(r) for r in user.roles),
        user.active,
        user.must_change_password,
        user.created_at,
    )


def add_user(uow: UnitOfWork, data: UserInput) -> Actor:
    """Create an account (administrators only, or the first-start setup)."""
    require(uow.actor, Role.ADMIN)
    errors = validate_account(data.username, data.password, data.full_name)
    if not data.roles:
        errors["roles"] = "请至少选择一个角色"
    username = data.username.strip()
    if "username" not in errors and uow.session.scalar(
        select(User.id).where(User.username == username)
    ):
        errors["username"] = f"用户名“{username}”已存在，请换一个"
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        full_name=data.full_name.strip(),
        password_hash=_hasher.hash(data.password),
        roles=sorted(r.value for r in data.roles),
        active=True,
    )
    uow.add(user)
    uow.session.flush()
    return _actor(user)


def _get(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise ValidationError({"user": "找不到该用户"})
    return user


def set_active(uow: UnitOfWork, user_id: uuid.UUID, active: bool) -> None:
    require(uow.actor, Role.ADMIN)
    user = _get(uow, user_id)
    if not active and user.id == uow.actor.user_id:
        raise ValidationError({"user": "不能停用自己正在使用的账号"})
    if not active and Role.ADMIN.value in user.roles:
        admins = uow.session.scalars(select(User).where(User.active.is_(True))).all()
        if sum(1 for u in admins if Role.ADMIN.value in u.roles) <= 1:
            raise ValidationError({"user": "这是最后一个可用的管理员账号，不能停用"})
    user.active = active


def set_roles(uow: UnitOfWork, user_id: uuid.UUID, roles: frozenset[Role]) -> None:
    require(uow.actor, Role.ADMIN)
    if not roles:
        raise ValidationError({"roles": "请至少选择一个角色"})
    user = _get(uow, user_id)
    user.roles = sorted(r.value for r in roles)


def reset_password(uow: UnitOfWork, user_id: uuid.UUID, new_password: str) -> None:
    """An administrator sets a temporary password; the user changes it at next login."""
    require(uow.actor, Role.ADMIN)
    errors = validate_password(new_password, "new_password")
    if errors:
        raise ValidationError(errors)
    user = _get(uow, user_id)
    user.password_hash = _hasher.hash(new_password)
    user.must_change_password = user.id != uow.actor.user_id
    user.failed_attempts = 0
    user.locked_until = None


def change_own_password(uow: UnitOfWork, old_password: str, new_password: str) -> None:
    if uow.actor.user_id is None:
        raise ValidationError({"old_password": "命令行账号没有密码"})
    user = _get(uow, uow.actor.user_id)
    if not _verify(user.password_hash, old_password):
        raise ValidationError({"old_password": "原密码不正确"})
    errors = validate_password(new_password, "new_password")
    if new_password == old_password:
        errors["new_password"] = "新密码不能与原密码相同"
    if errors:
        raise ValidationError(errors)
    user.password_hash = _hasher.hash(new_password)
    user.must_change_password = False


def list_users(db: Database) -> list[UserView]:
    with db.read() as s:
        return [_view(u) for u in s.scalars(select(User).order_by(User.username))]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def throttle_delay(failed_attempts: int) -> timedelta:
    """How long a further try must wait after `failed_attempts` failures in a row."""
    if failed_attempts < FREE_ATTEMPTS:
        return timedelta(0)
    exponent = min(failed_attempts - FREE_ATTEMPTS, 16)
    return min(timedelta(seconds=5 * 2**exponent), MAX_DELAY)


def login(db: Database, username: str, password: str, now: datetime | None = None) -> Actor:
    """Check a password. Failures slow further tries of that account (local state only)."""
    now = now or utcnow()
    with db.write_session() as session, session.begin():
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None or not user.active:
            _verify(_dummy_hash(), password)
            raise AuthError("用户名或密码不正确" if user is None else "该账号已停用，请联系管理员")
        if user.locked_until is not None and user.locked_until > now:
            wait = int((user.locked_until - now).total_seconds()) + 1
            raise AuthError(f"密码错误次数过多，请 {wait} 秒后再试")
        if _verify(user.password_hash, password):
            user.failed_attempts = 0
            user.locked_until = None
            return _actor(user)
        user.failed_attempts += 1
        user.last_failed_at = now
        delay = throttle_delay(user.failed_attempts)
        user.locked_until = now + delay if delay else None
        failed = user.failed_attempts
    # Committed above; refuse after the commit so the count sticks.
    if delay:
        wait = int(delay.total_seconds())
        raise AuthError(f"用户名或密码不正确（已连续错误 {failed} 次，请 {wait} 秒后再试）")
    raise AuthError("用户名或密码不正确")


def must_change_password(db: Database, actor: Actor) -> bool:
    if actor.user_id is None:
        return False
    with db.read() as s:
        user = s.get(User, actor.user_id)
        return bool(user and user.must_change_password)
