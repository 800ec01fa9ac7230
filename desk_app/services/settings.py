"""The desk's settings file (INI, in the data folder): every option declared once, typed.

Reads and writes go through one place. A write re-reads the file, changes one
key and replaces the file atomically, so two parts of the app never clobber
each other's keys.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T", str, int, bool)

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Option(Generic[T]):
    section: str
    key: str
    default: T
    doc: str = ""


LANGUAGE = Option("ui", "language", "zh_CN", "界面语言：zh_CN 或 en（重启后生效）")
WINDOW_GEOMETRY = Option("ui", "window_geometry", "", "主窗口位置和大小（base64）")
WINDOW_STATE = Option("ui", "window_state", "", "主窗口工具栏和停靠窗口（base64）")
LAST_USER = Option("ui", "last_user", "", "上次登录的用户名")
BACKUP_KEEP = Option("backup", "keep", 14, "保留的自动备份份数")
BACKUP_ENABLED = Option("backup", "daily", True, "每天自动备份数据库")

SYNC_URL = Option("sync", "url", "", "中心数据库地址（不含密码），由 desk-app central enroll 写入")
SYNC_SCOPE = Option("sync", "scope", "", "本窗口的同步范围（区划代码或单位代码，逗号分隔）")
SYNC_PAGE_SIZE = Option(
    "sync", "page_size", 2000, "每次拉取的行数（每页一个本地事务；机器较慢时可调小）"
)
SYNC_INTERVAL = Option(
    "sync", "interval", 30, "应用内后台同步的间隔秒数（本地有更改时约 2 秒后另行同步）"
)

CENTER_PHONE = Option("center", "phone", "", "中心对外咨询电话，印在受理回执上，如 0691-2123456")
PROGRESS_URL = Option(
    "center",
    "progress_url",
    "",
    "进度查询网址模板，{case_no} 和 {code} 处填入受理编号和验证码（网址编码），"
    "如 https://example.gov.cn/jd?no={case_no}&code={code}；空 = 回执二维码只含编号和验证码",
)
PRINT_FONT = Option(
    "print",
    "font",
    "",
    "打印用字体文件（TrueType .ttf/.ttc），空 = 随附的 Noto Serif CJK SC；"
    r"如 C:\Windows\Fonts\simsun.ttc（宋体）",
)
PRINT_FONT_INDEX = Option("print", "font_index", 0, "字体集合（.ttc）中所用字体的序号，从 0 起")
PRINT_FALLBACK_FONT = Option(
    "print",
    "fallback_font",
    "",
    "主字体缺字时先用的后备字体文件（TrueType）；随附字体和系统常见中文字体总在其后",
)
PRINT_FALLBACK_FONT_INDEX = Option(
    "print", "fallback_font_index", 0, "后备字体集合（.ttc）中所用字体的序号"
)

LANGUAGES = ("zh_CN", "en")


class Settings:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> configparser.ConfigParser:
        parser = configparser.ConfigParser(interpolation=None)
        if self.path.is_file():
            parser.read(self.path, encoding="utf-8")
        return parser

    def get(self, option: Option[T]) -> T:
        parser = self._read()
        if not parser.has_option(option.section, option.key):
            return option.default
        raw = parser.get(option.section, option.key)
        try:
            if isinstance(option.default, bool):
                return parser.getboolean(option.section, option.key)
            if isinstance(option.default, int):
                return int(raw)
        except ValueError:
            return option.default
        return raw

    def set(self, option: Option[T], value: T) -> None:
        if not isinstance(value, type(option.default)):
            raise TypeError(f"{option.section}.{option.key} takes {type(option.default).__name__}")
        parser = self._read()
        if not parser.has_section("meta"):
            parser.add_section("meta")
        parser.set("meta", "settings_version", str(SETTINGS_VERSION))
        if not parser.has_section(option.section):
            parser.add_section(option.section)
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        parser.set(option.section, option.key, text)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            parser.write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
