"""The zh_CN translation is complete and current, and is what the app loads by default."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "desk_app_zh_CN.ts"
BIN = Path(sys.executable).parent


def _unfinished(ts: Path) -> list[str]:
    out = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        assert translation is not None
        text = "".join(translation.itertext())
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not text.strip():
            out.append(message.findtext("source") or "")
    return out


def test_every_string_in_the_ts_file_is_translated() -> None:
    assert _unfinished(TS) == []


def test_the_ts_file_has_every_string_of_the_code(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            "-extensions",
            "py",
            "-locations",
            "none",
            "-no-obsolete",
            "desk_app/app.py",
            "desk_app/views",
            "-ts",
            str(copy),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert _unfinished(copy) == [], "run ./dev i18n and translate the new strings"


def test_mnemonics_survive_translation() -> None:
    for message in ET.parse(TS).iter("message"):
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        if "&" in source.replace("&&", ""):
            assert "(&" in translation, f"{source!r} lost its mnemonic in {translation!r}"
