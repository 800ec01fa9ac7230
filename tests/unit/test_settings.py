"""The settings file: typed options, atomic writes that keep other keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.services.settings import BACKUP_ENABLED, BACKUP_KEEP, LANGUAGE, Settings


def test_defaults_then_stored_values_with_their_types(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    assert settings.get(LANGUAGE) == "zh_CN"
    assert settings.get(BACKUP_KEEP) == 14
    settings.set(BACKUP_KEEP, 30)
    settings.set(BACKUP_ENABLED, False)
    settings.set(LANGUAGE, "en")
    fresh = Settings(tmp_path / "settings.ini")
    assert (fresh.get(BACKUP_KEEP), fresh.get(BACKUP_ENABLED), fresh.get(LANGUAGE)) == (
        30,
        False,
        "en",
    )
    assert not list(tmp_path.glob("*.tmp"))


def test_two_writers_do_not_clobber_each_others_keys(tmp_path: Path) -> None:
    a, b = Settings(tmp_path / "settings.ini"), Settings(tmp_path / "settings.ini")
    a.set(BACKUP_KEEP, 5)
    b.set(LANGUAGE, "en")
    assert Settings(tmp_path / "settings.ini").get(BACKUP_KEEP) == 5


def test_a_hand_edited_bad_value_falls_back_to_the_default(tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_text("[backup]\nkeep = lots\n", encoding="utf-8")
    assert Settings(tmp_path / "settings.ini").get(BACKUP_KEEP) == 14


def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        Settings(tmp_path / "settings.ini").set(BACKUP_KEEP, "5")
