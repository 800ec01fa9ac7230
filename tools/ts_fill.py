"""Fill a Qt .ts file's unfinished entries from a JSON dictionary {source: translation}.

    .venv/bin/python tools/ts_fill.py resources/i18n/desk_app_zh_CN.ts tools/zh_CN.json

A developer's aid next to Qt Linguist: the .ts file stays the source of truth.
Entries already translated are left alone; sources missing from the dictionary
are listed and stay unfinished (the i18n test then fails until they are done).
Plural entries take a list of forms. A key "Context::source" applies to that context
only and wins over a plain "source" key. `--force` re-translates finished entries too.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any


def main(ts_path: str, dict_path: str, force: bool = False) -> int:
    table = json.loads(Path(dict_path).read_text(encoding="utf-8"))
    tree = ET.parse(ts_path)
    missing: list[str] = []
    for context in tree.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            if fill(message, table, name, force):
                continue
            missing.append(message.findtext("source") or "")
    ET.indent(tree, space="    ")
    Path(ts_path).write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        + ET.tostring(tree.getroot(), encoding="unicode")
        + "\n",
        encoding="utf-8",
    )
    for source in missing:
        print(f"untranslated: {source}", file=sys.stderr)
    return 1 if missing else 0


def fill(message: ET.Element, table: dict[str, Any], context: str, force: bool) -> bool:
    """Translate one message; False if the dictionary has nothing for it."""
    source = message.findtext("source") or ""
    translation = message.find("translation")
    assert translation is not None
    if translation.get("type") != "unfinished" and not force:
        return True
    value = table.get(f"{context}::{source}") or table.get(source)
    if value is None:
        return translation.get("type") != "unfinished"
    for child in list(translation):
        translation.remove(child)
    if message.get("numerus") == "yes":
        translation.text = None
        for form in value if isinstance(value, list) else [value]:
            ET.SubElement(translation, "numerusform").text = form
    else:
        translation.text = value
    translation.attrib.pop("type", None)
    return True


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--force"]
    raise SystemExit(main(args[0], args[1], force="--force" in sys.argv))
