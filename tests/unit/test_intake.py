"""Intake: validation of the whole form, saving in one transaction, corrections, voiding."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk_app.models import Attachment, Case, CaseEvent, Outbox, Party
from desk_app.services import cases
from desk_app.services.cases import AttachmentInput, CaseInput, PartyInput
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, PermissionDenied, ValidationError
from desk_app.services.identity import id_check_char
from desk_app.services.roles import Actor, Role
from desk_app.services.text import bad_character, check_name
from tests.conftest import sample_case


def resident_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def _errors(desk: Desk, clerk: Actor, data: CaseInput) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        cases.register_case(desk, clerk, data)
    return info.value.fields


def _count(desk: Desk, model: type) -> int:
    with desk.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _with_party(data: CaseInput, index: int, **changes: object) -> CaseInput:
    parties = list(data.parties)
    parties[index] = replace(parties[index], **changes)
    return replace(data, parties=tuple(parties))


# --- text rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("岩·香", "岩·香"),
        ("岩•香", "岩·香"),  # a bullet typed for the middle dot
        ("  玉  香 ", "玉 香"),
        ("阿卜杜热合曼·买买提艾力·吐尔逊托合提", "阿卜杜热合曼·买买提艾力·吐尔逊托合提"),
        ("𠮷田", "𠮷田"),  # outside the BMP
        ("SOMPHONE VONGSA", "SOMPHONE VONGSA"),
    ],
)
def test_names_are_normalised_and_accepted(name: str, stored: str) -> None:
    assert check_name(name, "姓名") == (stored, None)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("玉香😀", "表情符号"),
        ("玉\x00香", "空字符"),
        ("玉\x07香", "控制字符 U+0007"),
        ("玉\u202e香", "控制字符 U+202E"),  # right-to-left override
        ("玉\ue000香", "私用区字符"),
        ("玉#香", "不能用于姓名"),
    ],
)
def test_names_with_unprintable_characters_are_refused(value: str, fragment: str) -> None:
    _, problem = check_name(value, "姓名")
    assert problem is not None and fragment in problem


def test_line_breaks_are_fine_in_facts_but_not_elsewhere() -> None:
    assert bad_character("第一行\n第二行\t", multiline=True) is None
    assert bad_character("第一行\n第二行") is not None


# --- registering ----------------------------------------------------------------------------


def test_a_full_registration_stores_every_field(desk: Desk, clerk: Actor, tmp_path: Path) -> None:
    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    police_at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    data = replace(
        sample_case(),
        channel="transfer",
        channel_note="勐龙派出所",
        dispute_subtype="宅基地使用权",
        place_detail="景龙村三组",
        claims="确认边界",
        police_risk=True,
        police_reported_to="景洪市公安局勐龙派出所",
        police_reported_at=police_at,
        urgent=True,
        attachments=(AttachmentInput(path=photo, category="photo", note="界桩"),),
    )
    data = _with_party(data, 0, id_number="11010519491231002x", phone="+86 138-0013-8000")
    data = _with_party(
        data,
        1,
        kind="organisation",
        name="景洪某房地产开发有限公司",
        id_number="91350100M000100Y43",
        legal_representative="张三",
    )
    ref = cases.register_case(desk, clerk, data)
    assert ref.status == "pending_triage"
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        parties = s.scalars(
            select(Party).where(Party.case_id == ref.id).order_by(Party.sort_order)
        ).all()
        attachment = s.scalars(select(Attachment).where(Attachment.case_id == ref.id)).one()
    assert case is not None and case.channel_note == "勐龙派出所" and case.urgent
    assert case.police_reported_at == police_at
    applicant, respondent = parties
    assert applicant.id_number == "11010519491231002X"
    assert applicant.birth_date == date(1949, 12, 31) and applicant.gender == "female"
    assert applicant.phone == "13800138000"
    assert respondent.kind == "organisation" and respondent.id_type == "uscc"
    stored = cases.attachment_path(desk.dirs.attachments, attachment.sha256)
    assert stored.read_bytes() == photo.read_bytes() and attachment.note == "界桩"


def test_every_problem_is_reported_beside_its_field_and_nothing_is_saved(
    desk: Desk, clerk: Actor
) -> None:
    before = (_count(desk, Case), _count(desk, Party), _count(desk, Outbox))
    bad = replace(
        sample_case(),
        title="",
        channel="other",
        dispute_type_code="77",
        division_code="532801000000",  # the city itself: a township or village is needed
        police_risk=True,
        received_at=datetime.now(UTC) + timedelta(days=1),
    )
    bad = _with_party(bad, 0, id_number="11010519491231002", phone="12345")
    errors = _errors(desk, clerk, bad)
    assert set(errors) >= {
        "title",
        "channel_note",
        "dispute_type_code",
        "division_code",
        "police_reported_to",
        "police_reported_at",
        "received_at",
        "parties.0.id_number",
        "parties.0.phone",
    }
    assert all(message and not message.isascii() for message in errors.values())
    assert (_count(desk, Case), _count(desk, Party), _count(desk, Outbox)) == before


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"id_number": "110105194912310021"}, "parties.0.id_number", "校验位"),
        ({"id_number": resident_id("11010519990230001")}, "parties.0.id_number", "日期"),
        (
            {"id_number": "11010519491231002X", "birth_date": date(1950, 1, 1)},
            "parties.0.birth_date",
            "不一致",
        ),
        ({"id_number": "11010519491231002X", "gender": "male"}, "parties.0.gender", "不一致"),
        ({"id_type": "passport", "id_number": "P1234567"}, "parties.0.nationality", "国籍"),
        (
            {
                "id_type": "passport",
                "id_number": "P1234567",
                "nationality": "老挝",
                "ethnicity": "18",
            },
            "parties.0.ethnicity",
            "外籍",
        ),
        ({"needs_interpreter": True}, "parties.0.interpreter_language", "语种"),
        ({"phone": ""}, "parties.0.phone", "联系电话"),
        ({"name": "玉香🙂"}, "parties.0.name", "表情符号"),
    ],
)
def test_party_rules(desk: Desk, clerk: Actor, changes: dict, key: str, fragment: str) -> None:
    errors = _errors(desk, clerk, _with_party(sample_case(), 0, **changes))
    assert fragment in errors.get(key, ""), errors


def test_valid_documents_of_every_kind_are_accepted(desk: Desk, clerk: Actor) -> None:
    legacy = "110105491231002"  # 15 digits: stored as the 18-digit number
    data = replace(
        sample_case(),
        parties=(
            PartyInput(name="玉香", id_number=legacy, phone="0691-2123456"),
            PartyInput(
                name="SOMPHONE VONGSA",
                role="respondent",
                id_type="passport",
                id_number="p1234567",
                nationality="老挝",
                needs_interpreter=True,
                interpreter_language="老挝语",
            ),
            PartyInput(
                name="陈小明",
                role="third_party",
                id_type="hmt_residence",
                id_number=resident_id("81000019900101001"),
            ),
        ),
    )
    ref = cases.register_case(desk, clerk, data)
    with desk.db.read() as s:
        numbers = s.scalars(
            select(Party.id_number).where(Party.case_id == ref.id).order_by(Party.sort_order)
        ).all()
    assert numbers == ["11010519491231002X", "P1234567", resident_id("81000019900101001")]


def test_a_group_visit_needs_one_to_five_representatives(desk: Desk, clerk: Actor) -> None:
    applicants = tuple(
        PartyInput(name=f"村民{i}", phone="13800138000", is_representative=i < 6) for i in range(7)
    )
    data = replace(sample_case(), group_visit=True, visitor_count=3, parties=applicants)
    errors = _errors(desk, clerk, data)
    assert "5" in errors["parties"] and "不少于" in errors["visitor_count"]
    ok = replace(
        data,
        visitor_count=30,
        parties=tuple(replace(p, is_representative=i < 5) for i, p in enumerate(applicants)),
    )
    assert cases.register_case(desk, clerk, ok).case_no


def test_a_long_facts_field_is_kept_whole(desk: Desk, clerk: Actor) -> None:
    facts = ("双方因宅基地边界发生争议。\n" * 800)[:10_000]
    ref = cases.register_case(desk, clerk, replace(sample_case(), facts=facts))
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.facts == facts and len(facts) == 10_000
    errors = _errors(desk, clerk, replace(sample_case(), facts="争" * 20_001))
    assert "最多 20000 个字" in errors["facts"]


def test_attachments_are_checked_by_type_size_and_content(
    desk: Desk, clerk: Actor, tmp_path: Path
) -> None:
    exe = tmp_path / "病毒.exe"
    exe.write_bytes(b"MZ" + b"\x00" * 10)
    fake = tmp_path / "假照片.jpg"
    fake.write_bytes(b"not a jpeg at all")
    empty = tmp_path / "空.png"
    empty.write_bytes(b"")
    data = replace(
        sample_case(),
        attachments=(
            AttachmentInput(path=exe),
            AttachmentInput(path=fake),
            AttachmentInput(path=empty),
            AttachmentInput(path=tmp_path / "missing.png"),
        ),
    )
    errors = _errors(desk, clerk, data)
    assert "不支持" in errors["attachments.0"]
    assert "内容与扩展名不符" in errors["attachments.1"]
    assert "空文件" in errors["attachments.2"]
    assert "找不到文件" in errors["attachments.3"]


def test_the_same_file_twice_is_stored_once(desk: Desk, clerk: Actor, tmp_path: Path) -> None:
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    a.write_bytes(b"\x89PNG\r\n\x1a\n1234")
    b.write_bytes(a.read_bytes())
    data = replace(sample_case(), attachments=(AttachmentInput(path=a), AttachmentInput(path=b)))
    cases.register_case(desk, clerk, data)
    stored = [p for p in desk.dirs.attachments.rglob("*") if p.is_file()]
    assert len(stored) == 1


# --- corrections and voiding ---------------------------------------------------------------


def test_a_correction_records_before_after_and_reason_and_patches_with_base_values(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    form = cases.load_input(desk.db, ref.id)
    form = replace(form, title="宅基地边界争议（更正）")
    form = _with_party(form, 0, phone="13900139000")
    form = replace(form, parties=(*form.parties, PartyInput(name="岩罕", role="third_party")))
    cases.correct_case(desk, clerk, ref.id, form, "申请人提供了新的电话号码")
    with desk.db.read() as s:
        event = s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == ref.id, CaseEvent.kind == "corrected")
        ).one()
        ops = s.scalars(
            select(Outbox).where(Outbox.entity_id == ref.id, Outbox.kind == "patch")
        ).all()
        party_ops = s.scalars(
            select(Outbox).where(Outbox.entity == "parties", Outbox.kind == "patch")
        ).all()
        parties = s.scalars(
            select(Party).where(Party.case_id == ref.id, Party.voided_at.is_(None))
        ).all()
    changes = event.data["changes"]
    assert changes["title"] == ["宅基地边界争议", "宅基地边界争议（更正）"]
    assert changes["当事人 玉香.phone"] == ["13800138000", "13900139000"]
    assert changes["当事人 岩罕"] == [None, "新增"]
    assert event.data["reason"] == "申请人提供了新的电话号码" and event.actor == "clerk1"
    assert ops[-1].payload == {"title": "宅基地边界争议（更正）"}
    assert ops[-1].base == {"title": "宅基地边界争议"}
    assert party_ops[-1].base == {"phone": "13800138000"}
    assert len(parties) == 3


def test_removing_a_party_in_a_correction_voids_it(desk: Desk, clerk: Actor, make_case) -> None:
    ref = make_case()
    form = cases.load_input(desk.db, ref.id)
    form = replace(form, parties=form.parties[:1])
    cases.correct_case(desk, clerk, ref.id, form, "被申请人登记错误")
    with desk.db.read() as s:
        removed = s.scalars(
            select(Party).where(Party.case_id == ref.id, Party.voided_at.is_not(None))
        ).one()
        op = s.scalars(
            select(Outbox).where(Outbox.entity_id == removed.id, Outbox.kind == "void")
        ).one()
    assert removed.name == "岩温" and op.payload["void_reason"] == "被申请人登记错误"


def test_corrections_need_a_reason_a_change_and_the_right_person(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    form = cases.load_input(desk.db, ref.id)
    with pytest.raises(ValidationError, match="原因"):
        cases.correct_case(desk, clerk, ref.id, replace(form, title="改"), " ")
    with pytest.raises(ValidationError, match="没有任何改动"):
        cases.correct_case(desk, clerk, ref.id, form, "核对无误")
    other_clerk = Actor("clerk2", "玉罕", frozenset({Role.CLERK}))
    with pytest.raises(PermissionDenied):
        cases.correct_case(desk, other_clerk, ref.id, replace(form, title="改"), "别人登记的")
    officer = Actor("officer1", "刀建华", frozenset({Role.OFFICER}))
    cases.correct_case(desk, officer, ref.id, replace(form, title="改过"), "研判时发现")


def test_voiding_keeps_the_case_with_its_reason_and_blocks_corrections(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    with pytest.raises(ValidationError, match="作废原因"):
        cases.void_case(desk, clerk, ref.id, "")
    cases.void_case(desk, clerk, ref.id, "重复登记")
    with desk.db.read() as s:
        case = s.get(Case, ref.id)
        events = s.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == ref.id)).all()
    assert case is not None and case.voided_at is not None and case.void_reason == "重复登记"
    assert events == ["registered", "voided"]
    form = cases.load_input(desk.db, ref.id)
    with pytest.raises(DeskError, match="已作废"):
        cases.correct_case(desk, clerk, ref.id, replace(form, title="改"), "补充")
    with pytest.raises(DeskError, match="已作废"):
        cases.void_case(desk, clerk, ref.id, "再作废一次")


def test_a_desk_whose_clock_is_behind_can_still_correct_a_case(
    desk: Desk, clerk: Actor, make_case
) -> None:
    ref = make_case()
    later = datetime.now(UTC) + timedelta(hours=3)  # received by a desk whose clock is ahead
    with desk.db.write_session() as s, s.begin():
        case = s.get(Case, ref.id)
        assert case is not None
        case.received_at = later
    form = cases.load_input(desk.db, ref.id)
    cases.correct_case(desk, clerk, ref.id, replace(form, title="改过的标题"), "标题不准确")
    with pytest.raises(ValidationError, match="不能晚于现在"):
        cases.correct_case(
            desk, clerk, ref.id, replace(form, received_at=later + timedelta(hours=1)), "改时间"
        )
