"""Errors a person can act on. Messages are in Chinese and say how to fix the problem."""

from __future__ import annotations

from collections.abc import Mapping


class DeskError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DeskError):
    """Input that cannot be saved; `fields` maps a field name to its message."""

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        self.fields = dict(fields)
        super().__init__(message or "；".join(self.fields.values()) or "输入有误")


class PermissionDenied(DeskError):
    """The acting user's roles do not allow this command."""


class AuthError(DeskError):
    """Login refused (wrong password, disabled account, too many attempts)."""


class NotInitialised(DeskError):
    """The data folder has no desk yet: run the first-start dialog or `desk-app init`."""


class AlreadyRunning(DeskError):
    """Another instance of the app holds this data folder."""


class Conflict(DeskError):
    """The data changed underneath the command (e.g. the row was voided meanwhile)."""
