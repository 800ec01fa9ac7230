"""Printing: the font, the receipt PDF (checked with poppler and zbar), codes and the CLI.

Needs the built font (./dev setup) and poppler-utils, zbar-tools and fonts-wqy-microhei
(./dev setup installs them); a missing one fails with a message saying so.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from desk_app import cli
from desk_app.models import Case, CaseEvent, Outbox
from desk_app.services.cases import PartyInput, register_case
from desk_app.services.errors import DeskError
from desk_app.services.printing import codes, fonts, receipt
from desk_app.services.settings import PRINT_FONT, PROGRESS_URL
from tests.conftest import sample_case

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
#: CJK Ext B U+20000: a real character, but in none of the fonts here.
NO_FONT_HAS = "\U00020000"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run ./dev setup (poppler-utils, zbar-tools)")
    return path


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(pdf: Path) -> list[dict[str, str]]:
    out = subprocess.run(
        [_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines()[2:]:
        # name, type (may hold spaces), encoding, emb, sub, uni, object, id
        m = re.match(r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        assert m, line
        rows.append({"name": m[1], "type": m[2], "emb": m[4], "sub": m[5], "uni": m[6]})
    return rows


def qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    """The QR codes zbarimg finds on the page rendered at 200 dpi."""
    stem = tmp_path / "page"
    subprocess.run([_tool("pdftoppm"), "-r", "200", "-png", str(pdf), str(stem)], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    result = subprocess.run(
        [_tool("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *map(str, pages)],
        capture_output=True,
        text=True,
    )
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture(scope="module", autouse=True)
def built_font() -> None:
    if not fonts.bundled_font().path.is_file():
        pytest.fail(
            f"{fonts.bundled_font().path} is missing: run ./dev setup "
            "(python -m desk_app.devtools.fontbuild builds it)",
            pytrace=False,
        )


def _write(tmp_path: Path, pdf: bytes, name: str = "receipt.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


# --- the font ------------------------------------------------------------------------------


def test_the_bundled_font_is_truetype_with_mainland_forms_and_wide_coverage():
    path = fonts.bundled_font().path
    with path.open("rb") as fh:
        assert fh.read(4) == b"\x00\x01\x00\x00"  # TrueType outlines, not CFF ("OTTO")
    fs = fonts.load_fonts()
    assert fs.choice.primary == fonts.bundled_font()
    for ch in "𠮷䶮龘〇吉景综〔〕：，。、（）ABCxyz0123456789":
        assert fs.font_for(ch) == fs.primary, ch
    # Every GB 2312 hanzi, and all of CJK URO (to U+9FA5) and Ext A (to U+4DB5) as GB 18030.
    gb2312 = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned positions
                gb2312.append(bytes([hi, lo]).decode("gb2312"))
    assert len(gb2312) == 6763
    everything = gb2312 + [chr(c) for c in (*range(0x4E00, 0x9FA6), *range(0x3400, 0x4DB6))]
    assert [ch for ch in everything if fs.font_for(ch) != fs.primary] == []
    assert fs.font_for(NO_FONT_HAS) is None


def test_wrapping_keeps_closing_punctuation_off_the_start_of_a_line():
    fs = fonts.load_fonts()
    text = "一二三四五，六七八九十。" * 3
    width = fs.width("一二三四五", 12)
    lines = fs.wrap(text, 12, width + 0.1)
    assert "".join(lines) == text
    assert all(not line.startswith(("，", "。")) for line in lines)
    assert all(fs.width(line, 12) <= width + 0.1 + fs.width("，", 12) for line in lines)
    latin = fs.wrap("Receipt for SOMCHAI PHOMMAVONG", 12, fs.width("Receipt for SOMCHAI", 12))
    assert latin == ["Receipt for SOMCHAI", "PHOMMAVONG"]


# --- the receipt PDF ---------------------------------------------------------------------------


def test_receipt_has_the_case_number_embedded_subset_fonts_and_a_qr_code(
    desk, clerk, make_case, tmp_path
):
    ref = make_case()
    pdf = _write(tmp_path, receipt.receipt_pdf(desk, clerk, ref.id))
    code = receipt.read_receipt(desk.db, ref.id).verify_code
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", code)

    text = pdf_text(pdf)
    assert ref.case_no in text
    for expected in (
        "景洪市综治中心",
        "受理回执",
        "受理回执存根",
        code,
        "玉香",
        "岩温",
        "受理当日",
    ):
        assert expected in text, expected
    assert "岩温" in text.split("受理回执存根")[0]  # the clerk (clerk1 is 岩温) on the receipt
    assert "11010519491231002X" not in text  # no ID number, no phone
    assert "13800138000" not in text

    used = pdf_fonts(pdf)
    assert used and all(f["emb"] == "yes" and f["sub"] == "yes" for f in used), used
    assert all(re.fullmatch(r"[A-Z]{6}\+\S+", f["name"]) for f in used), used
    assert {f["name"].split("+")[1] for f in used} == {"NotoSerifCJKsc-Regular"}

    assert qr_codes(pdf, tmp_path) == [f"{ref.case_no} 验证码 {code}"]
    assert codes.parse_scanned(qr_codes(pdf, tmp_path)[0]) == (ref.case_no, code)


def test_rare_name_characters_print_as_themselves(desk, clerk, tmp_path):
    data = replace(
        sample_case("三〇八国道旁宅基地争议"),
        parties=(
            PartyInput(name="吉𠮷", phone="13800138000"),
            PartyInput(name="龚䶮龘", phone="13900139000"),
        ),
    )
    ref = register_case(desk, clerk, data)
    text = pdf_text(_write(tmp_path, receipt.receipt_pdf(desk, clerk, ref.id)))
    assert "吉𠮷、龚䶮龘" in text and "三〇八国道旁宅基地争议" in text


def test_a_character_the_primary_font_lacks_comes_from_a_fallback(desk, clerk, tmp_path):
    if not WQY.is_file():
        pytest.fail("fonts-wqy-microhei is not installed: run ./dev setup", pytrace=False)
    data = replace(
        sample_case(), parties=(PartyInput(name="김민수", phone="13800138000", nationality="韩国"),)
    )
    ref = register_case(desk, clerk, data)
    pdf = _write(tmp_path, receipt.receipt_pdf(desk, clerk, ref.id))
    assert "김민수" in pdf_text(pdf)
    names = {f["name"].split("+")[1].removesuffix("-0") for f in pdf_fonts(pdf)}
    assert names == {"NotoSerifCJKsc-Regular", "WenQuanYiMicroHei"}


def test_a_character_in_no_font_is_refused_by_name(desk, clerk):
    data = replace(
        sample_case(), parties=(PartyInput(name=f"岩{NO_FONT_HAS}", phone="13800138000"),)
    )
    ref = register_case(desk, clerk, data)
    with pytest.raises(fonts.MissingGlyph) as caught:
        receipt.receipt_pdf(desk, clerk, ref.id)
    message = caught.value.message
    assert f"“{NO_FONT_HAS}”" in message and "U+20000" in message and "申请人姓名" in message
    assert caught.value.char == NO_FONT_HAS


def test_a_configured_system_font_prints_and_the_bundled_font_fills_its_gaps(desk, clerk, tmp_path):
    if not WQY.is_file():
        pytest.fail("fonts-wqy-microhei is not installed: run ./dev setup", pytrace=False)
    desk.settings.set(PRINT_FONT, str(WQY))  # a center's own font (no Ext B in it)
    data = replace(sample_case(), parties=(PartyInput(name="吉𠮷", phone="13800138000"),))
    ref = register_case(desk, clerk, data)
    pdf = _write(tmp_path, receipt.receipt_pdf(desk, clerk, ref.id))
    assert "吉𠮷" in pdf_text(pdf)
    names = {f["name"].split("+")[1].removesuffix("-0") for f in pdf_fonts(pdf)}
    assert names == {"WenQuanYiMicroHei", "NotoSerifCJKsc-Regular"}

    desk.settings.set(PRINT_FONT, str(tmp_path / "simsun.ttc"))
    with pytest.raises(DeskError, match="找不到打印字体文件"):
        receipt.receipt_pdf(desk, clerk, ref.id)


def test_a_progress_address_goes_into_the_qr_code_url_encoded(desk, clerk, make_case, tmp_path):
    desk.settings.set(PROGRESS_URL, "https://jh.example.gov.cn/jd?no={case_no}&code={code}")
    ref = make_case()
    pdf = _write(tmp_path, receipt.receipt_pdf(desk, clerk, ref.id))
    code = receipt.read_receipt(desk.db, ref.id).verify_code
    [address] = qr_codes(pdf, tmp_path)
    assert address.isascii() and address.startswith("https://jh.example.gov.cn/jd?no=%E6%99%AF")
    assert parse_qs(urlsplit(address).query) == {"no": [ref.case_no], "code": [code]}
    assert codes.parse_scanned(address) == (ref.case_no, code)
    assert "扫码查询办理进度" in pdf_text(pdf)

    desk.settings.set(PROGRESS_URL, "https://jh.example.gov.cn/jd?no={case_no}")
    with pytest.raises(DeskError, match=r"须含 \{code\}"):
        receipt.receipt_pdf(desk, clerk, ref.id)


def test_an_older_case_without_a_code_gets_one_as_a_recorded_change(desk, clerk, make_case):
    ref = make_case()
    with desk.db.write_session() as s, s.begin():  # as a case registered before codes existed
        s.execute(update(Case).where(Case.id == ref.id).values(verify_code=""))
    ops_before = desk.pending_ops()
    data = receipt.receipt_data(desk, clerk, ref.id)
    assert codes.normalise_code(data.verify_code) == data.verify_code
    assert receipt.receipt_data(desk, clerk, ref.id).verify_code == data.verify_code  # kept
    with desk.db.read() as s:
        assert s.scalar(select(Case.verify_code).where(Case.id == ref.id)) == data.verify_code
        event = s.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == ref.id, CaseEvent.kind == "verify_code_assigned"
            )
        ).one()
        assert event.actor == "clerk1"
        patch = s.scalars(
            select(Outbox).where(Outbox.entity_id == ref.id, Outbox.kind == "patch")
        ).one()
        assert patch.payload == {"verify_code": data.verify_code}
        assert patch.base == {"verify_code": ""}
    assert desk.pending_ops() == ops_before + 2  # the patch and the history event


def test_a_voided_case_has_no_receipt(desk, clerk, make_case):
    from desk_app.services.cases import void_case

    ref = make_case()
    void_case(desk, clerk, ref.id, "登记错误")
    with pytest.raises(DeskError, match="已作废"):
        receipt.receipt_pdf(desk, clerk, ref.id)


def test_a_long_title_and_many_applicants_still_fit_the_receipt(tmp_path):
    data = receipt.ReceiptData(
        center_name="景洪市综治中心",
        case_no="景综〔2026〕D03-00042",
        verify_code="ABCD2345",
        title="关于土地承包经营权流转合同履行中租金支付与地上附着物补偿纠纷的调处申请" * 2,
        received_at=datetime(2026, 5, 4, 2, 32, tzinfo=UTC),
        clerk="岩温",
        applicants=("SOMCHAI PHOMMAVONG", "玉香", "岩温", "吉𠮷", "䶮", "罗卜", "张三", "李四"),
    )
    text = pdf_text(_write(tmp_path, receipt.build_receipt(data)))
    head = text.split("受理回执存根")[0]
    assert "等 8 人" in head and "…" in head  # names and title cut to two lines each
    assert "2026年5月4日 10:32" in head  # Asia/Shanghai


# --- codes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scanned", "expected"),
    [
        ("景综〔2026〕D03-00042 验证码 ABCD2345", ("景综〔2026〕D03-00042", "ABCD2345")),
        # a scanner that cannot type Chinese drops or garbles it: the code still comes through
        ("2026D03-00042  ABCD2345", (None, "ABCD2345")),
        ("???2026?D03-00042 ??? ABCD2345", (None, "ABCD2345")),
        ("abcd2345", (None, "ABCD2345")),  # typed by hand, Caps Lock off
        ("ＡＢＣＤ２３４５", (None, "ABCD2345")),  # full-width
        ("景综〔2026〕D03-00042", ("景综〔2026〕D03-00042", None)),
        (
            "https://x.gov.cn/jd?no=%E6%99%AF%E7%BB%BC%E3%80%942026%E3%80%95D03-00042&code=ABCD2345",
            ("景综〔2026〕D03-00042", "ABCD2345"),
        ),
        ("https://x.gov.cn/case/ABCD2345", (None, "ABCD2345")),
        ("https://x.gov.cn/progress?id=7", (None, None)),
        ("玉香", (None, None)),
        ("AUNG KYAW", (None, None)),
        ("13800138000", (None, None)),
        ("11010519491231002X", (None, None)),
        ("ABCD234", (None, None)),  # seven characters
        ("ABCD2340", (None, None)),  # 0 is not in the alphabet
        ("", (None, None)),
    ],
)
def test_parse_scanned(scanned, expected):
    assert codes.parse_scanned(scanned) == expected


def test_find_by_code_and_find_case(desk, clerk, make_case):
    first, second = make_case("甲"), make_case("乙")
    code = receipt.read_receipt(desk.db, second.id).verify_code
    assert codes.find_by_code(desk.db, code) == [second.id]
    assert codes.find_by_code(desk.db, code.lower()) == [second.id]
    assert codes.find_by_code(desk.db, "ABCD234") == []
    assert receipt.find_case(desk.db, code) == second.id
    assert receipt.find_case(desk.db, codes.qr_text(second.case_no, code)) == second.id
    assert receipt.find_case(desk.db, first.case_no) == first.id
    short = first.case_no.rpartition("〕")[2]  # D03-00001
    assert receipt.find_case(desk.db, short) == first.id
    with pytest.raises(DeskError, match="找不到"):
        receipt.find_case(desk.db, "ZZZZ9999")


# --- the command line ------------------------------------------------------------------------


def test_cli_prints_a_receipt_by_code_or_number(
    desk, clerk, make_case, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "stdin", None)
    ref = make_case()
    code = receipt.read_receipt(desk.db, ref.id).verify_code
    root = str(desk.dirs.root)
    desk.close()  # the command opens the folder itself
    out = tmp_path / "by_code.pdf"
    assert cli.main(["--data-dir", root, "print", "receipt", code, "-o", str(out)]) == 0
    assert ref.case_no in capsys.readouterr().out
    assert ref.case_no in pdf_text(out)
    out2 = tmp_path / "by_number.pdf"
    assert cli.main(["--data-dir", root, "print", "receipt", ref.case_no, "-o", str(out2)]) == 0
    assert code in pdf_text(out2)

    assert cli.main(["--data-dir", root, "print", "receipt", "ZZZZ9999", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("desk-app: 找不到") and err.count("\n") == 1
    with pytest.raises(SystemExit) as usage:
        cli.main(["--data-dir", root, "print", "receipt", code])  # no -o
    assert usage.value.code == 2
