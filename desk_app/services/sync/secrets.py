"""The central database password: in the operating system's keyring, or a private file.

Servers and CI have no keyring backend; there the password goes into a file in
the data folder that only its owner can read, and the caller is told so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SERVICE = "desk_app central"
SECRET_FILE = "central.secret"


@dataclass(frozen=True)
class Stored:
    where: str  # "keyring" | "file"
    warning: str | None = None


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    return not isinstance(keyring.get_keyring(), fail.Keyring)


def _key(data_dir: Path, url: str) -> str:
    # One entry per data folder and database, so two desks on one PC do not collide.
    return f"{data_dir.resolve()}|{url}"


def store_password(data_dir: Path, url: str, password: str) -> Stored:
    if _keyring_usable():
        import keyring

        keyring.set_password(SERVICE, _key(data_dir, url), password)
        return Stored("keyring")
    path = data_dir / SECRET_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password)
    os.chmod(path, 0o600)  # also when the file existed with looser rights
    return Stored(
        "file",
        f"本机没有系统密钥环，中心数据库密码已保存在仅本用户可读的文件 {path} 中",
    )


def load_password(data_dir: Path, url: str) -> str | None:
    if _keyring_usable():
        import keyring

        value = keyring.get_password(SERVICE, _key(data_dir, url))
        if value is not None:
            return value
    path = data_dir / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return None
