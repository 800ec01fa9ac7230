"""Build the printing font: Noto Serif CJK SC with TrueType outlines, for ReportLab.

ReportLab embeds TrueType fonts only; Noto CJK ships with CFF outlines. This tool
takes the SC face of Noto Serif CJK (mainland glyph forms; OFL-1.1), keeps what
printed Chinese documents need and converts the outlines to quadratic curves
(fontTools cu2qu) into a `glyf` table:

- kept: every code point of the SC face's cmap (CJK URO, Ext A, the Ext B-G
  characters the font has, compatibility ideographs, kana, punctuation, Latin,
  Greek, Cyrillic, symbols) except Hangul, which Chinese documents do not use
  (a Korean name falls back to a second font: see services/printing/fonts.py);
- dropped: OpenType layout (GSUB/GPOS/GDEF/BASE: ReportLab does no shaping, and
  the glyphs only they reach are the JP/KR/TC/HK forms), vertical metrics,
  hinting and glyph names.

    python -m desk_app.devtools.fontbuild [--source FILE] [--output FILE] [--force]

`./dev setup` runs it; it returns at once when the output is current. The result
is cached under the user cache folder keyed by the source's SHA-256 and the
recipe version, so a fresh work tree copies it instead of converting again
(about two minutes on this machine's cores). The source is found in the Debian
package `fonts-noto-cjk`, or given with --source / $DESK_APP_FONT_SOURCE (the
NotoSerifCJK-Regular.ttc or NotoSerifCJKsc-Regular.otf of the noto-cjk
release, e.g. on a Windows build machine). Developer tooling: the app never
imports this module.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.paths import resource

#: Bump when the output changes for the same source (subset, conversion, names).
RECIPE = 1
FAMILY = "Noto Serif CJK SC"
OUTPUT_NAME = "NotoSerifCJKsc-Regular.ttf"
SOURCE_ENV = "DESK_APP_FONT_SOURCE"
CACHE_ENV = "DESK_APP_FONT_CACHE"
SOURCE_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),  # Debian fonts-noto-cjk
    Path("/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc"),  # Fedora, Arch
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJKsc-Regular.otf"),
)
#: Code points left out: Hangul syllables, jamo and their half-width forms.
DROPPED_RANGES = (
    (0x1100, 0x11FF),
    (0x3130, 0x318F),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xFFA0, 0xFFDC),
)
#: Largest distance (font units of a 1000-unit em) between a cubic curve and its quadratics.
MAX_ERROR = 1.0

Progress = Callable[[str], None]


class FontBuildError(Exception):
    pass


def output_path() -> Path:
    return resource("fonts", OUTPUT_NAME)


def stamp_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.json")


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("desk_app", appauthor=False)) / "fonts"


def find_source(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get(SOURCE_ENV)
    if env:
        return Path(env)
    for candidate in SOURCE_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise FontBuildError(
        "Noto Serif CJK (Regular) was not found: install the Debian package fonts-noto-cjk "
        f"(./dev setup does), or give the NotoSerifCJK-Regular.ttc with --source or ${SOURCE_ENV}"
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the conversion ---------------------------------------------------------------------


def _open_sc_face(source: Path) -> Any:
    """The SC face of a Noto Serif CJK collection, or the font of a single OTF."""
    from fontTools.ttLib import TTCollection, TTFont

    with source.open("rb") as fh:
        is_collection = fh.read(4) == b"ttcf"
    if is_collection:
        faces = TTCollection(str(source), lazy=True).fonts
        for index, face in enumerate(faces):
            if face["name"].getDebugName(1) == FAMILY:
                return TTFont(str(source), fontNumber=index, lazy=False)
        raise FontBuildError(f"{source} has no “{FAMILY}” face")
    font = TTFont(str(source), lazy=False)
    if font["name"].getDebugName(1) != FAMILY:
        raise FontBuildError(f"{source} is not {FAMILY} (it is {font['name'].getDebugName(1)})")
    return font


def _kept(codepoint: int) -> bool:
    return not any(lo <= codepoint <= hi for lo, hi in DROPPED_RANGES)


def _subset(font: Any) -> None:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for cp in font.getBestCmap() if _kept(cp)])
    subsetter.subset(font)


def _to_truetype(font: Any) -> None:
    """CFF outlines to quadratic `glyf` outlines (as fontTools' otf2ttf snippet does)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    quadratic = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        quadratic[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quadratic
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 0)
    maxp.maxComponentElements = max(
        (len(getattr(g, "components", [])) for g in glyf.glyphs.values()), default=0
    )
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _mark_modified(font: Any) -> None:
    """Say in the font's own names what was done to it (OFL: a Modified Version)."""
    table = font["name"]
    note = (
        f"Subset and converted to TrueType outlines for desk_app (recipe {RECIPE}) from "
        f"{table.getDebugName(3)}."
    )
    table.setName(note, 10, 3, 1, 0x409)
    version = table.getDebugName(5) or "Version 2.001"
    table.setName(f"{version}; desk_app TrueType r{RECIPE}", 5, 3, 1, 0x409)


def convert(source: Path, target: Path, progress: Progress) -> None:
    """Write the TrueType subset of `source` to `target` (atomically)."""
    started = time.perf_counter()
    font = _open_sc_face(source)
    progress(f"subsetting {source.name} ({font['maxp'].numGlyphs} glyphs)")
    _subset(font)
    progress(f"converting {len(font.getGlyphOrder())} glyphs to TrueType outlines")
    _to_truetype(font)
    _mark_modified(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    font.save(str(part))
    part.replace(target)
    seconds = time.perf_counter() - started
    size = target.stat().st_size / 1024 / 1024
    progress(f"built {target} ({size:.1f} MB) in {seconds:.0f} s")


# --- keeping the output current --------------------------------------------------------------


def _stat_key(source: Path) -> dict[str, Any]:
    st = source.stat()
    return {"source": str(source.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def is_current(source: Path, output: Path) -> bool:
    """Whether `output` was made from this very `source` file by this recipe (no hashing)."""
    stamp = stamp_path(output)
    if not (output.is_file() and stamp.is_file()):
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return bool(
        recorded.get("recipe") == RECIPE
        and recorded.get("output_size") == output.stat().st_size
        and all(recorded.get(k) == v for k, v in _stat_key(source).items())
    )


def ensure_font(
    source: Path | None = None,
    output: Path | None = None,
    *,
    force: bool = False,
    progress: Progress = lambda _m: None,
) -> Path:
    """Make `output` current: as it is, copied from the cache, or converted (then cached)."""
    source = find_source(source)
    output = output or output_path()
    if not source.is_file():
        raise FontBuildError(f"font source {source} does not exist")
    if not force and is_current(source, output):
        return output
    sha = sha256_of(source)
    cached = cache_dir() / f"{output.stem}-{sha[:16]}-r{RECIPE}{output.suffix}"
    if force or not cached.is_file():
        convert(source, cached, progress)
    else:
        progress(f"copying {output.name} from the cache {cached}")
    output.parent.mkdir(parents=True, exist_ok=True)
    part = output.with_name(output.name + ".part")
    shutil.copyfile(cached, part)
    part.replace(output)
    stamp = {
        **_stat_key(source),
        "sha256": sha,
        "recipe": RECIPE,
        "output_size": output.stat().st_size,
    }
    stamp_path(output).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m desk_app.devtools.fontbuild", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--source", help="NotoSerifCJK-Regular.ttc or NotoSerifCJKsc-Regular.otf")
    parser.add_argument("--output", help=f"default: resources/fonts/{OUTPUT_NAME}")
    parser.add_argument("--force", action="store_true", help="convert again, ignoring the cache")
    args = parser.parse_args(argv)

    def progress(message: str) -> None:
        print(f"fontbuild: {message}", file=sys.stderr, flush=True)

    try:
        ensure_font(
            Path(args.source) if args.source else None,
            Path(args.output) if args.output else None,
            force=args.force,
            progress=progress,
        )
    except (FontBuildError, OSError) as exc:
        print(f"fontbuild: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
