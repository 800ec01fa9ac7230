"""Fill a Qt .ts file's unfinished entries from a JSON dictionary {source: translation}.

    .venv/bin/python tools/ts_fill.py resources/i18n/desk_app_zh_CN.ts tools/zh_CN.json

A developer's aid next to Qt Linguist: the .ts file stays the source of truth.
Entries already translated are left alone; sources missing from the dictionary
are listed and stay unfinished (the i18n test then fails until they are done).
Plural entries take a list of forms.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(ts_path: str, dict_path: str) -> int:
    table = json.loads(Path(dict_path).read_text(encoding="utf-8"))
    tree = ET.parse(ts_path)
    missing: list[str] = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") != "unfinished":
            continue
        if source not in table:
            missing.append(source)
            continue
        value = table[source]
        if message.get("numerus") == "yes":
            for child in list(translation):
                translation.remove(child)
            for form in value if isinstance(value, list) else [value]:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = value
        del translation.attrib["type"]
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


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
