"""Fonts for everything printed: one Song-style TrueType font, fallbacks, and no blanks.

The primary font is the bundled Noto Serif CJK SC (mainland glyph forms, the
GB 18030 hanzi, CJK Ext A and the Ext B-G characters of 通用规范汉字表), built
by `desk_app.devtools.fontbuild` with TrueType outlines so that ReportLab can
embed it as a subset. A center may configure a system font instead (settings
`print.font`, e.g. 宋体 C:\\Windows\\Fonts\\simsun.ttc with `print.font_index`).

ReportLab prints a character its font lacks as a blank, silently. So every
character is looked up in the primary font's cmap first; one it lacks is taken
from the first fallback that has it (the configured `print.fallback_font`, the
bundled font when a system font is primary, then common Chinese system fonts),
drawn in a run of its own; a character no font has is refused with a
`MissingGlyph` error naming it.

Fonts are registered with ReportLab once per process, lazily and under a lock
(loading the bundled font takes about 0.3 s): call `load_fonts` off the GUI
thread.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from desk_app.paths import resource
from desk_app.services.errors import DeskError
from desk_app.services.settings import (
    PRINT_FALLBACK_FONT,
    PRINT_FALLBACK_FONT_INDEX,
    PRINT_FONT,
    PRINT_FONT_INDEX,
    Settings,
)

log = logging.getLogger(__name__)

#: The bundled font, made by `python -m desk_app.devtools.fontbuild` (./dev setup).
BUNDLED_FONT_FILE = "NotoSerifCJKsc-Regular.ttf"
BUNDLED_LABEL = "Noto Serif CJK SC"

#: Variation selectors pick a glyph variant; a font without them draws the base character.
_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))


class MissingGlyph(DeskError):
    """A character that no configured font can print."""

    def __init__(self, char: str, where: str = "") -> None:
        self.char = char
        place = f"{where}中的" if where else ""
        super().__init__(
            f"{place}“{char}”（U+{ord(char):04X}）在打印字体中没有字形，无法打印："
            "请改用同音的常用字并在备注中说明，或请管理员在设置中配置含此字的后备字体"
            "（print.fallback_font）"
        )


@dataclass(frozen=True)
class FontSpec:
    """A TrueType font file (a .ttc with the index of the face to use)."""

    path: Path
    index: int = 0

    @property
    def label(self) -> str:
        return self.path.name + (f"#{self.index}" if self.index else "")


def bundled_font() -> FontSpec:
    return FontSpec(resource("fonts", BUNDLED_FONT_FILE))


def system_fallbacks() -> list[FontSpec]:
    """Common Chinese TrueType fonts of this system that exist (Korean too, on Windows)."""
    if sys.platform == "win32":
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        names = ["simsun.ttc", "simsunb.ttf", "msyh.ttc", "malgun.ttf"]
        candidates = [FontSpec(folder / n) for n in names]
    else:
        candidates = [
            FontSpec(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
            FontSpec(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
            FontSpec(Path("/usr/share/fonts/truetype/arphic/uming.ttc")),
        ]
    return [c for c in candidates if c.path.is_file()]


@dataclass(frozen=True)
class FontChoice:
    """Which fonts a document uses: the primary one, then fallbacks in order."""

    primary: FontSpec
    fallbacks: tuple[FontSpec, ...]


def font_choice(settings: Settings | None = None) -> FontChoice:
    """The fonts the settings ask for (the bundled font and system fallbacks by default)."""
    bundled = bundled_font()
    primary, fallbacks = bundled, []
    if settings is not None:
        path = settings.get(PRINT_FONT).strip()
        if path:
            primary = FontSpec(Path(path), settings.get(PRINT_FONT_INDEX))
        extra = settings.get(PRINT_FALLBACK_FONT).strip()
        if extra:
            fallbacks.append(FontSpec(Path(extra), settings.get(PRINT_FALLBACK_FONT_INDEX)))
    if primary != bundled:
        fallbacks.append(bundled)
    fallbacks += system_fallbacks()
    unique = tuple(dict.fromkeys(f for f in fallbacks if f != primary))
    return FontChoice(primary, unique)


# --- registration (once per process) -------------------------------------------------------

_LOCK = threading.RLock()
#: Registered fonts by file and face: their ReportLab name and cmap (code point -> glyph).
_REGISTERED: dict[FontSpec, tuple[str, dict[int, int]]] = {}
#: Fallback files that could not be loaded (logged once, then skipped).
_UNUSABLE: set[FontSpec] = set()


def _fix_to_unicode() -> None:
    """Make ReportLab's ToUnicode maps right for characters beyond the BMP (𠮷 U+20BB7).

    ReportLab 5.1 writes them as five hex digits, which readers take as U+20BB and
    a stray 7: copy-paste and search (pdftotext) would lose the character. PDF
    wants UTF-16BE there, a surrogate pair. Patched only while ReportLab is wrong.
    """
    original = ttfonts.makeToUnicodeCMap
    if "<D842DFB7>" in original("probe", [0x20BB7]):
        return

    def utf16(cp: int) -> str:
        if cp <= 0xFFFF:
            return f"{cp:04X}"
        v = cp - 0x10000
        return f"{0xD800 | (v >> 10):04X}{0xDC00 | (v & 0x3FF):04X}"

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        text = original(fontname, subset)
        head, _, rest = text.partition(f"{len(subset)} beginbfchar")
        _, _, tail = rest.partition("endbfchar")
        pairs = "\n".join(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset))
        return f"{head}{len(subset)} beginbfchar\n{pairs}\nendbfchar{tail}"

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def _register(spec: FontSpec) -> tuple[str, dict[int, int]]:
    """Register `spec` with ReportLab (once) and return its name and cmap."""
    with _LOCK:
        known = _REGISTERED.get(spec)
        if known is not None:
            return known
        if not _REGISTERED:
            _fix_to_unicode()
        if not spec.path.is_file():
            raise DeskError(_missing_file_message(spec))
        name = f"DeskFont{len(_REGISTERED) + 1}"
        try:
            font = TTFont(name, str(spec.path), subfontIndex=spec.index)
        except Exception as exc:  # ReportLab raises TTFError, IndexError, struct.error …
            raise DeskError(
                f"打印字体 {spec.path} 无法使用（{exc}）：ReportLab 只能嵌入 TrueType 字体，"
                "请在设置中换一个 .ttf/.ttc 字体文件，或清空 print.font 使用随附字体"
            ) from exc
        pdfmetrics.registerFont(font)
        cmap = {cp: gid for cp, gid in font.face.charToGlyph.items() if gid}
        _REGISTERED[spec] = (name, cmap)
        log.info("registered print font %s (%s glyphs) as %s", spec.path, len(cmap), name)
        return name, cmap


def _missing_file_message(spec: FontSpec) -> str:
    if spec == bundled_font():
        return (
            f"找不到随附的打印字体 {spec.path}：开发环境请运行 ./dev setup "
            "（或 python -m desk_app.devtools.fontbuild）生成；安装版请重新安装程序"
        )
    return f"找不到打印字体文件 {spec.path}：请在设置中改正 print.font 或 print.fallback_font"


class FontSet:
    """The fonts of one choice, registered: which font draws each character, and how wide."""

    def __init__(self, choice: FontChoice) -> None:
        self.choice = choice
        self.primary, self._cmap = _register(choice.primary)
        self._fallbacks: list[tuple[str, dict[int, int]]] | None = None
        self._font_of: dict[str, str | None] = {}

    def _fallback_fonts(self) -> list[tuple[str, dict[int, int]]]:
        """The fallbacks, loaded the first time a character needs them."""
        with _LOCK:
            if self._fallbacks is None:
                loaded = []
                for spec in self.choice.fallbacks:
                    if spec in _UNUSABLE:
                        continue
                    try:
                        loaded.append(_register(spec))
                    except DeskError as exc:
                        _UNUSABLE.add(spec)
                        log.warning("fallback font skipped: %s", exc)
                self._fallbacks = loaded
            return self._fallbacks

    def font_for(self, ch: str) -> str | None:
        """The registered name of the font that draws `ch`, or None if none has it."""
        known = self._font_of.get(ch, "")
        if known != "":
            return known
        cp = ord(ch)
        found: str | None = None
        if cp in self._cmap:
            found = self.primary
        else:
            for name, cmap in self._fallback_fonts():
                if cp in cmap:
                    found = name
                    break
        self._font_of[ch] = found
        return found

    def check(self, text: str, where: str = "") -> None:
        """Raise `MissingGlyph` for the first character of `text` that no font has."""
        for _ in self.runs(text, where):
            pass

    def runs(self, text: str, where: str = "") -> Iterator[tuple[str, str]]:
        """`text` cut into (font name, piece) runs; selectors dropped, missing glyphs refused."""
        current, piece = self.primary, list[str]()
        for ch in text:
            if ord(ch) in _SELECTORS:
                continue
            font = self.font_for(ch)
            if font is None:
                raise MissingGlyph(ch, where)
            if font != current and piece:
                yield current, "".join(piece)
                piece = []
            current = font
            piece.append(ch)
        if piece:
            yield current, "".join(piece)

    def width(self, text: str, size: float, spacing: float = 0.0) -> float:
        """The width of `text` on one line (`spacing`: extra space after each character)."""
        plain = sum(float(pdfmetrics.stringWidth(p, f, size)) for f, p in self.runs(text))
        return plain + spacing * max(len(text) - 1, 0)

    def draw(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: str = "left",
        spacing: float = 0.0,
        bold: bool = False,
    ) -> float:
        """Draw `text` on one line with its baseline at y; return its width.

        `bold` strokes the outlines as well (the font has one weight): titles only.
        """
        width = self.width(text, size, spacing)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        styled = bool(spacing or bold)
        if styled:  # character spacing and render mode would outlive the text otherwise
            canvas.saveState()
        t = canvas.beginText(x, y)
        if spacing:
            t.setCharSpace(spacing)
        if bold:
            canvas.setLineWidth(size * 0.03)
            t.setTextRenderMode(2)
        for font, piece in self.runs(text):
            t.setFont(font, size)
            t.textOut(piece)
        canvas.drawText(t)
        if styled:
            canvas.restoreState()
        return width

    def draw_spread(
        self, canvas: Any, x: float, y: float, text: str, size: float, width: float
    ) -> None:
        """Draw `text` with its characters spread over `width` (form labels: 申 请 人)."""
        if len(text) < 2:
            self.draw(canvas, x, y, text, size)
            return
        gap = (width - self.width(text, size)) / (len(text) - 1)
        self.draw(canvas, x, y, text, size, spacing=max(gap, 0.0))

    def wrap(self, text: str, size: float, max_width: float) -> list[str]:
        """Lines of `text` no wider than `max_width`: CJK breaks anywhere, Latin words whole.

        A line does not start with closing punctuation (，。、） …): the character
        before it moves down with it.
        """
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for ch in paragraph:
                advance = self.width(ch, size)  # TrueType text here has no kerning
                if not line or used + advance <= max_width + 0.01:  # float sums
                    line, used = line + ch, used + advance
                    continue
                cut = _break_at(line, ch)
                lines.append(line[:cut].rstrip())
                line = (line[cut:] + ch).lstrip(" ")
                used = self.width(line, size)
            lines.append(line)
        return lines


#: Characters a line must not start with (行首禁则).
_NO_LINE_START = set("，。、；：？！）》」』〕】”’…—·%,.;:?!)]}")


def _break_at(line: str, next_char: str) -> int:
    """Where to cut `line` when `next_char` no longer fits after it."""
    cut = len(line)
    if next_char == " ":
        return cut
    if next_char in _NO_LINE_START and cut > 1:
        cut -= 1
    last = line[cut - 1 : cut]
    if last.isascii() and last.isalnum() and next_char.isascii() and next_char.isalnum():
        space = line.rfind(" ", 0, cut)
        if space > 0:
            cut = space + 1
    return cut


_SETS: dict[FontChoice, FontSet] = {}


def load_fonts(settings: Settings | None = None) -> FontSet:
    """The registered fonts for `settings` (made once per choice; thread-safe, slow once)."""
    choice = font_choice(settings)
    with _LOCK:
        found = _SETS.get(choice)
        if found is None:
            found = _SETS[choice] = FontSet(choice)
        return found
