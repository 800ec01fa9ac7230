"""Rules for text that is stored, synced and printed on official documents."""

from __future__ import annotations

import unicodedata

#: Characters a name may be written with besides letters: the middle dot of minority and
#: foreign names (岩·香), spaces and hyphens in romanised names, brackets and a few more.
_NAME_PUNCTUATION = set("·- '.()（）")
_DOT_VARIANTS = {"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·", "⋅": "·"}


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF  # emoji, pictographs, symbols and the like
        or 0x2600 <= cp <= 0x27BF  # miscellaneous symbols and dingbats
        or cp in (0xFE0F, 0x200D, 0x20E3)  # emoji presentation, joiner, keycap
    )


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """A Chinese description of the first character that cannot be stored or printed, or None."""
    for ch in value:
        cp = ord(ch)
        if ch in "\n\t" and multiline:
            continue
        if cp == 0:
            return "空字符（NUL）"
        category = unicodedata.category(ch)
        if category == "Cc" or (category in ("Cf", "Zl", "Zp") and not _is_emoji(ch)):
            return f"控制字符 U+{cp:04X}"
        if category == "Cs":
            return f"残缺的字符 U+{cp:04X}"
        if category == "Co":
            return f"私用区字符 U+{cp:04X}（无法打印）"
        if category == "Cn":
            return f"未定义的字符 U+{cp:04X}"
        if _is_emoji(ch):
            return f"表情符号“{ch}”（无法打印）"
    return None


def check_text(
    value: str, label: str, *, max_length: int, required: bool = False, multiline: bool = False
) -> tuple[str, str | None]:
    """Trim `value`; return it and a message saying how to fix it, if it is not acceptable."""
    cleaned = value.strip() if not multiline else value.strip("\n\r\t ")
    if multiline:
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    if required and not cleaned:
        return cleaned, f"请填写{label}"
    if len(cleaned) > max_length:
        return cleaned, f"{label}最多 {max_length} 个字，现在有 {len(cleaned)} 个，请精简"
    bad = bad_character(cleaned, multiline=multiline)
    if bad:
        return cleaned, f"{label}中有{bad}，请删去后再保存"
    return cleaned, None


def normalise_name(value: str) -> str:
    """A person's name as stored: trimmed, inner spaces folded, middle-dot variants unified."""
    folded = "".join(_DOT_VARIANTS.get(ch, ch) for ch in value.strip())
    return " ".join(folded.split())


def check_name(value: str, label: str, *, max_length: int = 100) -> tuple[str, str | None]:
    name = normalise_name(value)
    name, problem = check_text(name, label, max_length=max_length, required=True)
    if problem:
        return name, problem
    for ch in name:
        if not (ch.isalpha() or ch in _NAME_PUNCTUATION or ch.isdigit()):
            return name, f"{label}中有不能用于姓名的字符“{ch}”，请删去"
    return name, None
