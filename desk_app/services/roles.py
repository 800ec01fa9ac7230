"""Roles, the acting user, and role checks."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from desk_app.services.errors import PermissionDenied


class Role(StrEnum):
    CLERK = "clerk"  # 窗口受理
    OFFICER = "officer"  # 研判督办
    MEDIATOR = "mediator"  # 调解员
    ADMIN = "admin"  # 管理员

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "窗口受理",
    Role.OFFICER: "研判督办",
    Role.MEDIATOR: "调解员",
    Role.ADMIN: "管理员",
}


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    roles: set[Role] = set()
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            roles.add(Role(value))
        except ValueError:
            match = [r for r, label in ROLE_LABELS.items() if label == value]
            if not match:
                raise PermissionDenied(
                    f"未知角色“{value}”：可选 clerk、officer、mediator、admin"
                ) from None
            roles.add(match[0])
    return frozenset(roles)


@dataclass(frozen=True)
class Actor:
    """Who runs a command: a logged-in user or the command line's system account."""

    username: str
    display_name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    user_id: uuid.UUID | None = None

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @classmethod
    def command_line(cls) -> Actor:
        """`cli:<operating-system user>`, with administrator rights on this desk."""
        try:
            os_user = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            os_user = "unknown"
        name = f"cli:{os_user}"
        return cls(username=name, display_name=name, roles=frozenset(Role), user_id=None)


def require(actor: Actor, *roles: Role) -> None:
    """Refuse unless the actor holds one of `roles` (an administrator holds all rights)."""
    if actor.has(Role.ADMIN, *roles):
        return
    wanted = "、".join(ROLE_LABELS[r] for r in roles)
    raise PermissionDenied(f"当前用户（{actor.display_name}）无权执行此操作：需要“{wanted}”角色")
