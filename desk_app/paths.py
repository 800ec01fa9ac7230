"""Where things live: the shipped resources and the desk's data folder.

A leaf module (stdlib and platformdirs only) so that every layer may use it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "desk_app"
DATA_DIR_ENV = "DESK_APP_DATA"
DB_FILE = "desk.db"
SETTINGS_FILE = "settings.ini"
LOCK_FILE = "desk.lock"


def resources_dir() -> Path:
    """The `resources/` folder in a source tree, an installed wheel or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    packaged = here / "resources"  # wheel: force-included into the package
    if packaged.is_dir():
        return packaged
    return here.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, else $DESK_APP_DATA, else the per-user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


@dataclass(frozen=True)
class DataDir:
    """The layout of one desk's data folder (fixed in ARCHITECTURE.md)."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_FILE

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def settings(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def lock(self) -> Path:
        return self.root / LOCK_FILE

    def ensure(self) -> DataDir:
        for d in (self.root, self.attachments, self.backups, self.logs):
            d.mkdir(parents=True, exist_ok=True)
        return self

    def is_initialised_file(self) -> bool:
        """Cheap check without opening SQLite: does the database file exist?"""
        return self.db.is_file() and self.db.stat().st_size > 0
