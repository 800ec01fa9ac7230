"""Case lookup: what a query is, what it finds (on the indexes), and one case read whole."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, date
from pathlib import Path

import pytest
from sqlalchemy import event

from desk_app.models import Attachment, Case, Party
from desk_app.services import search
from desk_app.services.cases import CaseInput, CaseRef, PartyInput, register_case
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError
from desk_app.services.roles import Actor

# An ID with a lower-case check character as typed, and a 15-digit legacy number.
ID_X = "53280119900307108X"  # check character X (GB 11643)
ID_LEGACY_15 = "532801850101001"  # stored as 532801198501010015


def register(desk: Desk, clerk: Actor, *parties: PartyInput, title: str = "土地纠纷") -> CaseRef:
    """Register a case with `parties`; applicants without a phone get one (intake wants it)."""
    parties = tuple(
        replace(p, phone="13700137000") if p.role == "applicant" and not p.phone else p
        for p in parties
    )
    return register_case(
        desk,
        clerk,
        CaseInput(
            title=title,
            dispute_type_code="06",
            division_code="532801103201",
            facts="双方因承包地边界发生争议。",
            claims="请求确认边界。",
            parties=parties,
        ),
    )


def void_directly(desk: Desk, actor: Actor, case_id: uuid.UUID, reason: str = "重复登记") -> None:
    with desk.uow(actor) as uow:
        case = uow.session.get(Case, case_id)
        assert case is not None
        case.voided_at = uow.now
        case.void_reason = reason


def ids(rows: list[search.CaseRow]) -> list[uuid.UUID]:
    return [r.id for r in rows]


# --- classify ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("景综〔2026〕D03-00042", "case_no"),
        ("〔2026〕D03-00042", "case_no"),
        ("景综[2026]D03-00042", "case_no"),  # a square bracket for 〔〕
        ("景综（2026）D03-00042", "case_no"),
        ("D03-00042", "case_no"),
        ("d03-00042", "case_no"),
        ("2026D03-00042", "case_no"),
        ("2026-D03-00042", "case_no"),
        ("Ｄ０３－０００４２", "case_no"),  # full-width, as some input methods type it
        ("00042", "case_no"),
        ("11010519491231002X", "id_number"),
        ("11010519491231002x", "id_number"),
        ("110105 19491231 002X", "id_number"),
        ("532801850101001", "id_number"),  # 15 digits: a legacy ID, not a phone
        ("E12345678", "id_number"),  # passport
        ("H12345678", "id_number"),  # 港澳通行证
        ("91532801MA6K3XYZ1B", "id_number"),  # credit code
        ("P8358510", "id_number"),
        ("13800138000", "phone"),
        ("+86 138-0013-8000", "phone"),
        ("138 0013 8000", "phone"),
        ("0691-2123456", "phone"),
        ("(0691) 2123456", "phone"),
        ("2123456", "phone"),  # a local landline without its area code
        ("玉香", "name"),
        ("岩·香", "name"),
        ("SOMPHONE VONGSA", "name"),
        ("aung", "name"),
        ("景洪锦程物业管理有限公司", "name"),
        ("", "name"),
    ],
)
def test_classify(query: str, kind: str) -> None:
    assert search.classify(query) == kind


def test_mask_phone() -> None:
    assert search.mask_phone("13800138000") == "138****8000"
    assert search.mask_phone("0691-2123456") == "0691-***3456"


# --- lookup -----------------------------------------------------------------------------


def test_lookup_by_full_and_short_case_number(desk: Desk, make_case) -> None:
    first = make_case("第一件")
    second = make_case("第二件")
    assert second.case_no.endswith("D03-00002")
    for query in (second.case_no, "D03-00002", "d03-00002", "00002", "2"):
        rows = search.lookup(desk.db, query)
        assert ids(rows) == [second.id], query
    year = second.case_no[3:7]
    rows = search.lookup(desk.db, f"{year}D03-00001")
    assert ids(rows) == [first.id]
    assert rows[0].matched == "案件编号"
    # The wrong year, or another desk's number, finds nothing.
    assert search.lookup(desk.db, f"{int(year) - 1}D03-00001") == []
    assert search.lookup(desk.db, "D04-00001") == []
    bracket = second.case_no.replace("〔", "[").replace("〕", "]")
    assert ids(search.lookup(desk.db, bracket)) == [second.id]


def test_lookup_row_shows_the_list_columns(desk: Desk, make_case) -> None:
    ref = make_case("宅基地边界争议")
    [row] = search.lookup(desk.db, ref.case_no)
    assert row.case_no == ref.case_no
    assert row.status == "pending_triage" and row.status_label == "待研判"
    assert row.title == "宅基地边界争议"
    assert row.dispute_type == "房屋宅基地纠纷"
    assert row.place == "勐龙镇 景龙村"  # 532801103201: township and village short names
    assert row.first_applicant == "玉香"
    assert row.received_at.tzinfo is not None
    assert row.received_at.utcoffset() == UTC.utcoffset(None)
    assert row.voided is False


def test_lookup_by_id_number_masks_what_matched(desk: Desk, make_case) -> None:
    ref = make_case()
    rows = search.lookup(desk.db, "11010519491231002x")  # lower-case x as typed
    assert ids(rows) == [ref.id]
    assert rows[0].matched == "身份证 110105********002X"


def test_lookup_by_id_number_finds_any_role(desk: Desk, clerk: Actor) -> None:
    ref = register(
        desk,
        clerk,
        PartyInput(name="刀建华"),
        PartyInput(name="岩·香", role="respondent", id_type="resident_id", id_number=ID_X),
    )
    rows = search.lookup(desk.db, ID_X.lower())
    assert ids(rows) == [ref.id]
    assert rows[0].first_applicant == "刀建华"  # the list still names the applicant


def test_lookup_by_legacy_15_digit_id(desk: Desk, clerk: Actor) -> None:
    stored = "532801198501010015"
    ref = register(desk, clerk, PartyInput(name="李强", id_type="resident_id", id_number=stored))
    assert ids(search.lookup(desk.db, ID_LEGACY_15)) == [ref.id]


def test_lookup_by_passport_number(desk: Desk, clerk: Actor) -> None:
    ref = register(
        desk,
        clerk,
        PartyInput(name="AUNG KYAW", id_type="passport", id_number="ME548108", nationality="缅甸"),
    )
    rows = search.lookup(desk.db, "me548108")
    assert ids(rows) == [ref.id]
    assert rows[0].matched == "护照 ME****08"


def test_lookup_by_phone_in_any_typed_form(desk: Desk, clerk: Actor, make_case) -> None:
    ref = make_case()  # 玉香, 13800138000
    other = register(desk, clerk, PartyInput(name="岩温", phone="13900139000"))
    for query in ("13800138000", "+86 138-0013-8000", "138 0013 8000", "8613800138000"):
        rows = search.lookup(desk.db, query)
        assert ids(rows) == [ref.id], query
        assert rows[0].matched == "电话 138****8000"
    assert ids(search.lookup(desk.db, "139-0013-9000")) == [other.id]


def test_lookup_local_landline_without_area_code(desk: Desk, clerk: Actor) -> None:
    ref = register(desk, clerk, PartyInput(name="白秀英", phone="0691-2123456"))
    for query in ("0691-2123456", "0691 2123456", "2123456"):
        rows = search.lookup(desk.db, query)
        assert ids(rows) == [ref.id], query
    assert rows[0].matched == "电话 0691-***3456"


def test_lookup_by_name_exact_first_then_prefix_newest_first(desk: Desk, clerk: Actor) -> None:
    prefix_old = register(desk, clerk, PartyInput(name="玉香应"), title="一")
    exact_old = register(desk, clerk, PartyInput(name="玉香"), title="二")
    prefix_new = register(desk, clerk, PartyInput(name="玉香·罕"), title="三")
    exact_new = register(desk, clerk, PartyInput(name="刀建华"), PartyInput("玉香", "respondent"))
    register(desk, clerk, PartyInput(name="玉罕"), title="不相干")
    rows = search.lookup(desk.db, "玉香")
    assert ids(rows) == [exact_new.id, exact_old.id, prefix_new.id, prefix_old.id]
    assert [r.matched for r in rows] == ["姓名 玉香", "姓名 玉香", "姓名 玉香·罕", "姓名 玉香应"]
    # A limit keeps the exact matches first.
    assert ids(search.lookup(desk.db, "玉香", limit=3)) == ids(rows)[:3]
    # A one-character prefix finds them all (and 玉罕).
    assert len(search.lookup(desk.db, "玉")) == 5


def test_lookup_name_with_middle_dot_in_any_form(desk: Desk, clerk: Actor) -> None:
    ref = register(desk, clerk, PartyInput(name="岩·香"))
    register(desk, clerk, PartyInput(name="岩香"))
    for query in ("岩·香", "岩・香", "岩•香"):
        rows = search.lookup(desk.db, query)
        assert ids(rows) == [ref.id], query
        assert rows[0].matched == "姓名 岩·香"


def test_lookup_latin_name_case_insensitively(desk: Desk, clerk: Actor) -> None:
    somphone = PartyInput(
        name="SOMPHONE VONGSA", id_type="passport", id_number="P1234567", nationality="老挝"
    )
    ref = register(desk, clerk, somphone)
    assert ids(search.lookup(desk.db, "somphone vongsa")) == [ref.id]
    assert ids(search.lookup(desk.db, "Somphone")) == [ref.id]  # prefix


def test_prefix_bound_covers_characters_beyond_the_bmp(desk: Desk, clerk: Actor) -> None:
    ref = register(desk, clerk, PartyInput(name="李𠮷"))
    assert ids(search.lookup(desk.db, "李")) == [ref.id]
    assert ids(search.lookup(desk.db, "李𠮷")) == [ref.id]


def test_unknown_queries_find_nothing(desk: Desk, make_case) -> None:
    make_case()
    for query in ("王小二", "13911112222", "110105194912310011", "D03-09999", "E99999999", "  "):
        assert search.lookup(desk.db, query) == [], query


def test_a_voided_case_is_found_and_flagged(desk: Desk, clerk: Actor, admin: Actor, make_case):
    kept = make_case("保留")
    voided = make_case("作废")
    void_directly(desk, admin, voided.id)
    rows = search.lookup(desk.db, "玉香")
    assert ids(rows) == [voided.id, kept.id]
    assert [r.voided for r in rows] == [True, False]


def test_a_voided_party_no_longer_matches(desk: Desk, clerk: Actor, admin: Actor) -> None:
    ref = register(desk, clerk, PartyInput(name="刀建华"), PartyInput("岩罕", "respondent"))
    with desk.uow(admin) as uow:
        party = uow.session.query(Party).filter_by(case_id=ref.id, name="岩罕").one()
        party.voided_at = uow.now
        party.void_reason = "登记错误"
    assert search.lookup(desk.db, "岩罕") == []
    assert ids(search.lookup(desk.db, "刀建华")) == [ref.id]


def test_one_case_appears_once_when_two_of_its_parties_match(desk: Desk, clerk: Actor) -> None:
    ref = register(desk, clerk, PartyInput(name="玉香"), PartyInput("玉香", "respondent"))
    rows = search.lookup(desk.db, "玉香")
    assert ids(rows) == [ref.id]


# --- the query plans ------------------------------------------------------------------------


def _plans(desk: Desk, query: str) -> list[list[str]]:
    """EXPLAIN QUERY PLAN of every statement `lookup(query)` runs, as it ran it."""
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(desk.db.engine, "before_cursor_execute", capture)
    try:
        search.lookup(desk.db, query)
    finally:
        event.remove(desk.db.engine, "before_cursor_execute", capture)
    raw = sqlite3.connect(desk.db.path)
    try:
        return [
            [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params)]  # type: ignore[arg-type]
            for sql, params in statements
        ]
    finally:
        raw.close()


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("D03-00001", "sqlite_autoindex_cases_"),  # the unique case number
        ("11010519491231002X", "ix_parties_id_number"),
        ("+86 138-0013-8000", "ix_parties_phone"),
        ("玉香", "ix_parties_name (name=?)"),
        ("玉", "ix_parties_name (name>? AND name<?)"),  # the prefix range
    ],
)
def test_each_kind_of_lookup_uses_its_index(desk: Desk, make_case, query: str, index: str):
    make_case()
    plans = _plans(desk, query)
    assert plans, "lookup ran no query"
    lines = [line for plan in plans for line in plan]
    assert any(index in line for line in lines), lines
    # No full scan of a big table; only the small materialised result (m) is scanned.
    scans = [line for line in lines if line.startswith("SCAN") and line != "SCAN m"]
    assert scans == [], scans


# --- one case, whole -----------------------------------------------------------------------


def test_case_detail_has_parties_with_full_and_masked_ids_and_age(desk: Desk, make_case) -> None:
    ref = make_case()
    detail = search.case_detail(desk.db, desk.dirs.attachments, ref.id, today=date(2026, 12, 31))
    assert detail.case_no == ref.case_no
    assert detail.status_label == "待研判"
    assert detail.channel_label == "窗口来访"
    assert detail.registered_by == "clerk1" and detail.registered_by_name == "岩温"
    assert detail.dispute_type == "房屋宅基地纠纷"
    assert (detail.town, detail.village) == ("勐龙镇", "景龙村民委员会")
    assert detail.facts == "双方因宅基地边界发生争议。"
    applicant, respondent = detail.parties
    assert applicant.role_label == "申请人" and respondent.role_label == "被申请人"
    assert applicant.id_number == "11010519491231002X"
    assert applicant.id_masked == "110105********002X"
    assert applicant.id_type_label == "居民身份证"
    assert applicant.birth_date == date(1949, 12, 31)  # read from the ID number
    assert applicant.age == 77  # on 2026-12-31: the birthday counts that day
    assert applicant.gender_label == "女"  # 17th digit 2: even
    assert (
        search.case_detail(desk.db, desk.dirs.attachments, ref.id, today=date(2026, 12, 30))
        .parties[0]
        .age
        == 76
    )
    assert respondent.id_number == "" and respondent.age is None
    assert not detail.voided


def test_case_detail_events_in_time_order_with_names(desk: Desk, admin: Actor, make_case) -> None:
    ref = make_case()
    with desk.uow(admin) as uow:
        uow.event(ref.id, "note", "补充材料")
    void_directly(desk, admin, ref.id, "重复登记")
    detail = search.case_detail(desk.db, desk.dirs.attachments, ref.id)
    assert [e.kind for e in detail.events] == ["registered", "note"]
    assert detail.events[0].summary == f"登记受理 {ref.case_no}"
    assert detail.events[0].actor == "clerk1" and detail.events[0].actor_name == "岩温"
    assert detail.events[1].actor_name == "管理员甲"
    assert detail.events[0].at <= detail.events[1].at
    assert detail.voided and detail.void_reason == "重复登记"


def test_case_detail_flags_voided_parties(desk: Desk, admin: Actor, make_case) -> None:
    ref = make_case()
    with desk.uow(admin) as uow:
        party = uow.session.query(Party).filter_by(case_id=ref.id, name="岩温").one()
        party.voided_at = uow.now
        party.void_reason = "登记错误"
    parties = search.case_detail(desk.db, desk.dirs.attachments, ref.id).parties
    assert [(p.name, p.voided, p.void_reason) for p in parties] == [
        ("玉香", False, ""),
        ("岩温", True, "登记错误"),
    ]


def test_case_detail_attachments_point_into_the_attachments_folder(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    content = b"\x89PNG fake photo"
    sha = hashlib.sha256(content).hexdigest()
    stored = desk.dirs.attachments / sha[:2] / sha
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    with desk.uow(clerk) as uow:
        uow.add(
            Attachment(
                case_id=ref.id,
                sha256=sha,
                filename="现场照片1.png",
                mime_type="image/png",
                size=len(content),
                category="photo",
            )
        )
        uow.add(
            Attachment(
                case_id=ref.id,
                sha256="ab" * 32,
                filename="未到的材料.pdf",
                mime_type="application/pdf",
                size=10,
                category="document",
            )
        )
    detail = search.case_detail(desk.db, desk.dirs.attachments, ref.id)
    photo, missing = detail.attachments
    assert photo.path == stored and photo.exists
    assert photo.filename == "现场照片1.png" and photo.category_label == "照片"
    assert photo.size == len(content)
    assert missing.path == desk.dirs.attachments / "ab" / ("ab" * 32)
    assert not missing.exists


def test_case_detail_of_an_unknown_case(desk: Desk) -> None:
    with pytest.raises(DeskError, match="找不到该案件"):
        search.case_detail(desk.db, Path("/nonexistent"), uuid.uuid4())


def test_age_on() -> None:
    assert search.age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert search.age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26


def test_who_may_change_a_case(desk: Desk, clerk: Actor, admin: Actor, make_case) -> None:
    from desk_app.services.roles import Role

    ref = make_case()
    detail = search.case_detail(desk.db, desk.dirs.attachments, ref.id)
    other_clerk = Actor("clerk2", "玉罕", frozenset({Role.CLERK}), uuid.uuid4())
    officer = Actor("officer9", "刀建华", frozenset({Role.OFFICER}), uuid.uuid4())
    assert search.may_change(clerk, detail)  # its own clerk
    assert search.may_change(officer, detail)
    assert search.may_change(admin, detail)
    assert not search.may_change(other_clerk, detail)
    void_directly(desk, admin, ref.id)
    voided = search.case_detail(desk.db, desk.dirs.attachments, ref.id)
    assert not search.may_change(admin, voided)


def test_viewable_copy_keeps_the_file_name(desk: Desk, clerk: Actor, make_case, tmp_path) -> None:
    ref = make_case()
    content = b"%PDF-1.4 fake"
    sha = hashlib.sha256(content).hexdigest()
    stored = desk.dirs.attachments / sha[:2] / sha
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    with desk.uow(clerk) as uow:
        for name, digest in (("../申请书:扫描.pdf", sha), ("缺失.pdf", "cd" * 32)):
            uow.add(
                Attachment(
                    case_id=ref.id,
                    sha256=digest,
                    filename=name,
                    mime_type="application/pdf",
                    size=len(content),
                    category="scan",
                )
            )
    present, missing = search.case_detail(desk.db, desk.dirs.attachments, ref.id).attachments
    copy = search.viewable_copy(present, tmp_path)
    assert copy.parent.parent == tmp_path  # no way out of the folder through the name
    assert copy.name == "申请书_扫描.pdf" and copy.read_bytes() == content
    assert search.viewable_copy(present, tmp_path) == copy  # a second open reuses it
    with pytest.raises(DeskError, match=r"缺失\.pdf"):
        search.viewable_copy(missing, tmp_path)


def test_lookup_by_verification_code_typed_or_scanned(desk: Desk, make_case) -> None:
    ref = make_case("受理回执验证码")
    make_case("另一件")
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None
        code = case.verify_code
    assert len(code) == 8
    scanned = f"{ref.case_no} 验证码 {code}"
    for query in (code, code.lower(), f"  {code} ", scanned):
        assert search.classify(query) == "verify_code"
        rows = search.lookup(desk.db, query)
        assert [r.id for r in rows] == [ref.id], query
        assert rows[0].matched == f"验证码 {code}"
    # A case renumbered after printing is still found by its code alone.
    with desk.db.write_session() as s, s.begin():
        renumbered = s.get(Case, ref.id)
        assert renumbered is not None
        renumbered.case_no = "景综〔2026〕D01-99999"
    assert [r.id for r in search.lookup(desk.db, scanned)] == [ref.id]
    # A code nobody holds finds nothing.
    other = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    assert search.lookup(desk.db, other) == []
