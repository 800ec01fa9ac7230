"""The routing slip (交办单) PDF: which dispatch it prints, what it says, how long text flows.

Checked with poppler (pdftotext, pdffonts, pdftoppm) like the receipt: needs the built
font (./dev setup) and poppler-utils; a missing one fails with a message saying so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app import cli
from desk_app.models.routing import Assignment
from desk_app.services.cases import PartyInput, register_case
from desk_app.services.errors import DeskError, PermissionDenied
from desk_app.services.numbering import SHANGHAI
from desk_app.services.printing import dispatch, fonts
from desk_app.services.roles import Actor
from tests.conftest import sample_case

#: CJK Ext B U+20000: a real character, but in none of the fonts here.
NO_FONT_HAS = "\U00020000"
#: The latest dispatch: 2026-05-06 10:32 in Shanghai.
DISPATCHED = datetime(2026, 5, 6, 2, 32, tzinfo=UTC)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run ./dev setup (poppler-utils)", pytrace=False)
    return path


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        [_tool("pdftotext"), "-layout", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def flat(text: str) -> str:
    """The text without the spaces and line breaks of the layout (and of spread labels)."""
    return re.sub(r"\s+", "", text)


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in out.splitlines())
    )


def page_count(pdf: Path) -> int:
    return int(pdf_info(pdf)["Pages"])


def embedded_fonts(pdf: Path) -> list[tuple[str, str, str]]:
    """(name, embedded, subset) of each font pdffonts lists."""
    out = subprocess.run(
        [_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = []
    for line in out.splitlines()[2:]:
        m = re.match(r"(\S+)\s+.+?\s+\S+\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        assert m, line
        rows.append((m[1], m[2], m[3]))
    return rows


def end_of_day(year: int, month: int, day: int) -> datetime:
    """A deadline as stored: the last microsecond of its Shanghai day, in UTC."""
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture(scope="module", autouse=True)
def built_font() -> None:
    if not fonts.bundled_font().path.is_file():
        pytest.fail(
            f"{fonts.bundled_font().path} is missing: run ./dev setup "
            "(python -m desk_app.devtools.fontbuild builds it)",
            pytrace=False,
        )


def _assignment(case_id, unit_code, unit_name, role, at, **kw) -> Assignment:  # type: ignore[no-untyped-def]
    values = {
        "level": "town",
        "dispatched_by": "admin",
        "sign_due_at": end_of_day(2026, 5, 7),
        "due_at": end_of_day(2026, 5, 21),
    } | kw
    return Assignment(
        case_id=case_id,
        unit_code=unit_code,
        unit_name=unit_name,
        role=role,
        dispatched_at=at,
        **values,
    )


@pytest.fixture
def dispatched(desk, admin, clerk):
    """A case dispatched three times: returned, then the latest, then once more but voided."""
    data = replace(
        sample_case("景龙村宅基地边界争议"),
        facts="双方因宅基地边界发生争议，申请人称被申请人建房占用其宅基地约三平方米。",
        claims="请求确认宅基地边界，被申请人拆除越界部分围墙。",
        place_detail="曼景龙寨子东侧",
        parties=(
            PartyInput(
                name="玉香",
                role="applicant",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13800138000",
            ),
            PartyInput(name="岩罕", role="applicant", phone="13900139000"),
            PartyInput(name="岩温", role="respondent"),
        ),
    )
    ref = register_case(desk, clerk, data)
    older = DISPATCHED - timedelta(days=2)
    with desk.uow(admin) as uow:
        uow.add(
            _assignment(
                ref.id,
                "U-MLZ",
                "景洪市勐龙镇人民政府",
                "lead",
                older,
                slip_no="景综交〔2026〕1号",
                asked="请核实情况后调处。",
                returned_at=older + timedelta(days=1),
                return_reason="涉及林地权属，不属于本单位职责",
            )
        )
        uow.add(_assignment(ref.id, "U-MLLY", "勐龙镇林业站", "co", older))
        uow.add(
            _assignment(
                ref.id,
                "U-NY",
                "景洪市农业农村局",
                "lead",
                DISPATCHED,
                level="city",
                slip_no="景综交〔2026〕2号",
                asked="请组织双方现场勘界，依法调处，并将办理结果报市综治中心。",
            )
        )
        uow.add(_assignment(ref.id, "U-MLZ", "景洪市勐龙镇人民政府", "co", DISPATCHED))
        uow.add(_assignment(ref.id, "U-JL", "景龙村民委员会", "co", DISPATCHED, level="village"))
        uow.add(
            _assignment(
                ref.id,
                "U-ZR",
                "景洪市自然资源局",
                "lead",
                DISPATCHED + timedelta(days=1),
                slip_no="景综交〔2026〕3号",
                voided_at=DISPATCHED + timedelta(days=1, hours=1),
                void_reason="误操作",
            )
        )
    return ref


# --- which dispatch ---------------------------------------------------------------------------


def test_the_latest_dispatch_that_is_not_void_is_read(desk, dispatched):
    with desk.db.read() as s:
        data = dispatch.slip_data(s, dispatched.case_no)
        assert dispatch.slip_data(s, dispatched.id) == data
        assert dispatch.slip_data(s, str(dispatched.id)) == data
    assert data.slip_no == "景综交〔2026〕2号"
    assert data.lead_unit == "景洪市农业农村局"
    assert data.co_units == ("景洪市勐龙镇人民政府", "景龙村民委员会")
    assert data.dispatched_at == DISPATCHED
    assert data.dispatched_by == "管理员甲"
    assert data.center_name == "景洪市综治中心"
    assert data.applicants == ("玉香", "岩罕") and data.respondents == ("岩温",)
    assert data.place.endswith("景龙村曼景龙寨子东侧") and "勐龙镇" in data.place
    assert data.due_at == end_of_day(2026, 5, 21)


def test_a_case_never_dispatched_has_no_slip(desk, make_case):
    ref = make_case()
    with desk.db.read() as s, pytest.raises(DeskError, match="该案件尚未交办，没有交办单"):
        dispatch.slip_data(s, ref.case_no)
    with desk.db.read() as s, pytest.raises(DeskError, match="找不到案件"):
        dispatch.slip_data(s, "景综〔2026〕D03-99999")


def test_only_voided_dispatches_count_as_none(desk, admin, make_case):
    ref = make_case()
    with desk.uow(admin) as uow:
        uow.add(
            _assignment(
                ref.id, "U-NY", "景洪市农业农村局", "lead", DISPATCHED, voided_at=DISPATCHED
            )
        )
    with desk.db.read() as s, pytest.raises(DeskError, match="尚未交办"):
        dispatch.slip_data(s, ref.id)


def test_an_empty_slip_number_prints_the_case_number(desk, admin, make_case, tmp_path):
    ref = make_case()
    with desk.uow(admin) as uow:
        uow.add(
            _assignment(ref.id, "U-NY", "景洪市农业农村局", "lead", DISPATCHED, sign_due_at=None)
        )
    pdf = tmp_path / "slip.pdf"
    data = dispatch.print_slip(desk, admin, ref.case_no, pdf)
    assert data.slip_no == ref.case_no
    text = flat(pdf_text(pdf))
    assert f"编号：{ref.case_no}" in text
    assert "协办单位无" in text  # no co-handling unit
    assert "前签收" not in text  # no signing deadline set
    assert "诉求（未填写）" in text  # never an empty cell


# --- the PDF -----------------------------------------------------------------------------------


def test_the_slip_says_what_is_asked_of_whom_by_when(desk, admin, dispatched, tmp_path):
    pdf = tmp_path / "slip.pdf"
    dispatch.print_slip(desk, admin, dispatched.id, pdf)
    text = pdf_text(pdf)
    compact = flat(text)
    for expected in (
        "景洪市综治中心",
        "矛盾纠纷交办单",
        "编号：景综交〔2026〕2号",
        "交办日期：2026年5月6日",
        f"案件编号{dispatched.case_no}",
        "纠纷类型",
        "案件名称景龙村宅基地边界争议",
        "发生地点",
        "曼景龙寨子东侧",
        "当事人",
        "申请人：玉香、岩罕",
        "被申请人：岩温",
        "主要事实",
        "双方因宅基地边界发生争议，申请人称被申请人建房占用其宅基地约",
        "诉求请求确认宅基地边界",
        "承办单位景洪市农业农村局",
        "协办单位景洪市勐龙镇人民政府、景龙村民委员会",
        "请组织双方现场勘界",
        "2026年5月21日前办结",
        "请于2026年5月7日前签收",
        "交办人管理员甲",
        "交办时间2026年5月6日10:32",  # Asia/Shanghai
        "如认为不属于本单位职责范围，请于交办之日起5个工作日内说明理由退回",
        "签收单位（盖章）：",
        "签收人：",
    ):
        assert expected in compact, expected
    assert re.search(r"签收时间：\s+年\s+月\s+日\s+时\s+分", text)
    assert re.search(r"交办事项\s", text) and "办理要求" in text
    assert re.search(r"办理期限\s+(2026年5月21日前办结|请于)", text)
    # Not the returned dispatch, its co unit, nor the voided one.
    for absent in ("景综交〔2026〕1号", "勐龙镇林业站", "景洪市自然资源局", "景综交〔2026〕3号"):
        assert absent not in compact, absent
    # No personal data beyond names.
    assert "11010519491231002X" not in compact and "13800138000" not in compact
    info = pdf_info(pdf)
    assert info["Pages"] == "1" and info["Page size"].endswith("(A4)"), info
    assert info["Title"] == "矛盾纠纷交办单 景综交〔2026〕2号"

    used = embedded_fonts(pdf)
    assert used and all(emb == "yes" and sub == "yes" for _, emb, sub in used), used
    assert {name.split("+")[1] for name, _, _ in used} == {"NotoSerifCJKsc-Regular"}


def test_long_facts_continue_on_a_second_page(desk, admin, dispatched, tmp_path):
    with desk.db.read() as s:
        data = dispatch.slip_data(s, dispatched.id)
    sentence = "第{}段：申请人称被申请人建房时占用其宅基地并砌筑围墙，双方多次协商未果。"
    data = replace(data, facts="".join(sentence.format(i) for i in range(1, 31)))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(dispatch.render_slip(data))
    assert page_count(pdf) == 2
    # The row's label sits centred beside its lines: take it out to read the facts whole.
    second_layout = pdf_text(pdf, 2)
    assert re.search(r"^\s*主要事实\s.*\n.*^\s*（续）\s", second_layout, re.M | re.S)
    first, second = (flat(pdf_text(pdf, n)).replace("主要事实", "") for n in (1, 2))
    second = second.replace("（续）", "")
    assert "第1段" in first and "第30段" not in first
    assert "第30段" in second
    assert "矛盾纠纷交办单（续页）" in second and "第2页共2页" in second
    assert "第1页共2页" in first
    # Every sentence printed once: none lost or doubled at the page break.
    assert (first + second).count("协商未果。") == 30
    assert first.count("协商未果。") > 20  # the first page is filled before the break
    # The rows after the facts, the note and the signature block follow on page 2.
    for expected in ("承办单位景洪市农业农村局", "说明理由退回", "签收单位（盖章）："):
        assert expected in second, expected


def test_a_character_in_no_font_is_refused_by_name(desk, admin, dispatched):
    with desk.db.read() as s:
        data = dispatch.slip_data(s, dispatched.id)
    with pytest.raises(fonts.MissingGlyph) as caught:
        dispatch.render_slip(replace(data, lead_unit=f"勐{NO_FONT_HAS}村民委员会"))
    assert "承办单位" in caught.value.message and caught.value.char == NO_FONT_HAS


def test_a_user_without_a_role_may_not_print(desk, dispatched):
    nobody = Actor("ghost", "无角色用户")
    with pytest.raises(PermissionDenied):
        dispatch.slip_pdf(desk, nobody, dispatched.id)


# --- the command line ------------------------------------------------------------------------


def test_cli_prints_a_slip_and_refuses_an_unknown_case(
    desk, dispatched, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "stdin", None)
    root = str(desk.dirs.root)
    desk.close()  # the command opens the folder itself
    out = tmp_path / "slip.pdf"
    argv = ["--data-dir", root, "print", "dispatch", dispatched.case_no, "-o", str(out)]
    assert cli.main(argv) == 0
    said = capsys.readouterr().out
    assert dispatched.case_no in said and "交办单" in said
    assert out.read_bytes().startswith(b"%PDF")
    assert "景综交〔2026〕2号" in flat(pdf_text(out))
    short = dispatched.case_no.rpartition("〕")[2]  # D03-00001, as for the receipt
    assert cli.main(["--data-dir", root, "print", "dispatch", short, "-o", str(out)]) == 0
    capsys.readouterr()

    missing = tmp_path / "none.pdf"
    argv = ["--data-dir", root, "print", "dispatch", "景综〔2026〕D03-99999", "-o", str(missing)]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("desk-app: 找不到") and err.count("\n") == 1
    assert not missing.exists()
    with pytest.raises(SystemExit) as usage:
        cli.main(["--data-dir", root, "print", "dispatch", dispatched.case_no])  # no -o
    assert usage.value.code == 2


def test_cli_explains_a_case_that_was_never_dispatched(make_case, desk, tmp_path, capsys):
    ref = make_case()
    root = str(desk.dirs.root)
    desk.close()
    out = tmp_path / "slip.pdf"
    assert cli.main(["--data-dir", root, "print", "dispatch", ref.case_no, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("desk-app: 该案件尚未交办，没有交办单") and err.count("\n") == 1
    assert not out.exists()


def test_a_voided_case_has_no_slip(desk, admin, clerk, dispatched):
    from desk_app.services.cases import void_case

    void_case(desk, clerk, dispatched.id, "登记错误")
    with pytest.raises(DeskError, match="已作废，不能打印交办单"):
        dispatch.slip_pdf(desk, admin, dispatched.case_no)
