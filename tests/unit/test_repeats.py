"""Repeat visitors: earlier cases by ID number, phone, or name in the same village; the
repeat-visit link saved with the case, checked, corrected and shown on both cases."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.models import Case, CaseEvent, Outbox
from desk_app.services import cases, repeats, search
from desk_app.services.cases import CaseInput, CaseRef, PartyInput, register_case
from desk_app.services.desk import Desk
from desk_app.services.errors import ValidationError
from desk_app.services.repeats import Person, RepeatQuery
from desk_app.services.roles import Actor

VILLAGE = "532801103201"  # 勐龙镇 景龙村
OTHER_VILLAGE = "532801103202"
ID_A = "11010519491231002X"
ID_B = "532801199003151231"


def register(
    desk: Desk,
    clerk: Actor,
    *,
    name: str = "玉香",
    id_number: str = "",
    phone: str = "13800138000",
    village: str = VILLAGE,
    received_at: datetime | None = None,
    title: str = "宅基地边界争议",
    repeat_of: uuid.UUID | None = None,
) -> CaseRef:
    return register_case(
        desk,
        clerk,
        CaseInput(
            title=title,
            dispute_type_code="03",
            division_code=village,
            received_at=received_at,
            repeat_of_id=repeat_of,
            parties=(
                PartyInput(name=name, id_number=id_number, phone=phone),
                PartyInput(name="岩温", role="respondent"),
            ),
        ),
    )


def find(desk: Desk, *people: Person, village: str = VILLAGE, exclude=None):
    return repeats.find_earlier(desk.db, RepeatQuery(tuple(people), village, exclude))


def void(desk: Desk, clerk: Actor, ref: CaseRef) -> None:
    cases.void_case(desk, clerk, ref.id, "登记错误")


# --- what is looked up ------------------------------------------------------------------


def test_keys_are_looked_up_only_once_they_can_match() -> None:
    assert repeats.id_forms("11010519") == ["11010519"]
    assert repeats.id_forms("1101") == []  # still being typed
    assert repeats.id_forms(" 11010519491231002x ") == [ID_A]
    assert repeats.id_forms("532801850101001") == ["532801850101001", "532801198501010015"]
    assert repeats.phone_forms("138 0013") == []
    assert repeats.phone_forms("138 0013 8000") == ["13800138000"]
    assert repeats.phone_forms("(0691) 2123456") == ["0691-2123456"]
    assert repeats.phone_forms("2123456") == ["0691-2123456"]
    assert repeats.name_forms("玉香", "") == []  # no village yet: a name alone means little
    assert repeats.name_forms("玉香", "532801103") == []  # a township is no village
    assert repeats.name_forms("岩•香", VILLAGE)[0] == "岩·香"
    assert not repeats.has_keys(RepeatQuery((Person(name="玉香", phone="1380"),)))
    assert repeats.has_keys(RepeatQuery((Person(name="玉香"),), VILLAGE))


# --- finding ----------------------------------------------------------------------------


def test_an_id_number_finds_the_earlier_case_whatever_the_name_and_place(
    desk: Desk, clerk: Actor
) -> None:
    earlier = register(desk, clerk, name="玉香", id_number=ID_A, village=OTHER_VILLAGE)
    register(desk, clerk, name="玉香", id_number=ID_B, phone="13900139000")  # someone else
    [row] = find(desk, Person(name="玉 香", id_number=ID_A.lower()), village="")
    assert row.id == earlier.id and row.case_no == earlier.case_no
    assert row.kinds == ("id_number",) and row.matches == (repeats.Match(0, "id_number"),)
    assert row.status == "pending_triage" and row.status_label == "待研判"
    assert row.dispute_type == "房屋宅基地纠纷" and row.place.endswith("村")
    assert row.party_name == "玉香" and row.title == "宅基地边界争议" and row.age_days == 0


def test_a_phone_finds_cases_of_every_party_that_gave_it(desk: Desk, clerk: Actor) -> None:
    one = register(desk, clerk, name="岩罕", phone="13800138000", village=OTHER_VILLAGE)
    two = register(desk, clerk, name="玉罕", phone="138-0013-8000")
    register(desk, clerk, name="岩罕", phone="13900139000", village=OTHER_VILLAGE)
    rows = find(desk, Person(phone="+86 138 0013 8000"), village="")
    assert [r.id for r in rows] == [two.id, one.id]  # newest first
    assert all(r.kinds == ("phone",) for r in rows)


def test_a_name_counts_only_in_the_same_village(desk: Desk, clerk: Actor) -> None:
    here = register(desk, clerk, name="岩·香", phone="13800138001")
    register(desk, clerk, name="岩·香", phone="13800138002", village=OTHER_VILLAGE)
    register(desk, clerk, name="岩香香", phone="13800138003")  # a longer name: no prefix match
    [row] = find(desk, Person(name="岩•香"))
    assert row.id == here.id and row.kinds == ("name",)
    assert find(desk, Person(name="岩·香"), village="") == []


def test_voided_cases_removed_parties_and_the_case_itself_are_left_out(
    desk: Desk, clerk: Actor
) -> None:
    voided = register(desk, clerk, id_number=ID_A)
    void(desk, clerk, voided)
    assert find(desk, Person(id_number=ID_A)) == []
    kept = register(desk, clerk, id_number=ID_A)
    assert [r.id for r in find(desk, Person(id_number=ID_A))] == [kept.id]
    # A correction that removes the party: it no longer matches.
    data = cases.load_input(desk.db, kept.id)
    corrected = replace(
        data,
        parties=(
            PartyInput(name="玉罕", id_number=ID_B, phone="13900139000"),
            *data.parties[1:],
        ),
    )
    cases.correct_case(desk, clerk, kept.id, corrected, "当事人登记错误")
    assert find(desk, Person(id_number=ID_A)) == []
    assert [r.id for r in find(desk, Person(id_number=ID_B))] == [kept.id]
    # The case being corrected is not its own earlier case.
    assert find(desk, Person(id_number=ID_B), exclude=kept.id) == []


def test_stronger_matches_come_first_then_newer_cases(desk: Desk, clerk: Actor) -> None:
    now = datetime.now(UTC)
    by_name_new = register(desk, clerk, name="玉香", phone="13800138009")
    by_phone = register(
        desk, clerk, name="玉罕", phone="13800138000", received_at=now - timedelta(days=40)
    )
    by_id_old = register(
        desk, clerk, name="玉罕", id_number=ID_A, phone="13900000001",
        received_at=now - timedelta(days=300),
    )  # fmt: skip
    by_id_new = register(
        desk, clerk, name="玉罕", id_number=ID_A, phone="13900000002",
        received_at=now - timedelta(days=3),
    )  # fmt: skip
    by_all = register(
        desk, clerk, name="玉香", id_number=ID_A, phone="13800138000",
        received_at=now - timedelta(days=200),
    )  # fmt: skip
    rows = find(desk, Person(name="玉香", id_number=ID_A, phone="13800138000"))
    assert [r.id for r in rows] == [
        by_all.id,  # ID, phone and name
        by_id_new.id,
        by_id_old.id,
        by_phone.id,
        by_name_new.id,
    ]
    assert rows[0].kinds == ("id_number", "phone", "name")
    assert rows[1].age_days in (3, 4)  # Beijing dates: 3 days ago, or 4 near midnight


def test_every_party_of_the_form_is_looked_up_and_named_in_the_match(
    desk: Desk, clerk: Actor
) -> None:
    earlier = register(desk, clerk, name="岩温", phone="13800138000")
    rows = find(
        desk,
        Person(name="玉罕", phone="13700137000"),
        Person(name="岩温", id_number=ID_B),  # the respondent of the earlier case
    )
    [row] = rows
    assert row.id == earlier.id
    assert row.matches == (repeats.Match(1, "name"),)
    assert row.party_name == "岩温"


def test_age_is_counted_in_beijing_days(desk: Desk, clerk: Actor) -> None:
    # 23:30 in Beijing on 1 March is 15:30 UTC; the next Beijing day it is one day old.
    at = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    ref = register(desk, clerk, id_number=ID_A, received_at=datetime.now(UTC))
    with desk.uow(clerk) as uow:
        row = uow.session.get(Case, ref.id)
        assert row is not None
        row.received_at = at
    q = RepeatQuery((Person(id_number=ID_A),))
    [r] = repeats.find_earlier(desk.db, q, today=date(2026, 3, 2))
    assert r.age_days == 1
    [r] = repeats.find_earlier(desk.db, q, today=date(2026, 3, 1))
    assert r.age_days == 0


def test_nothing_to_look_up_reads_nothing(desk: Desk) -> None:
    assert find(desk, Person(name="玉", phone="138"), village="") == []
    assert find(desk) == []


# --- the link -----------------------------------------------------------------------------


def test_a_repeat_visit_is_saved_with_the_case_synced_and_shown_on_both(
    desk: Desk, clerk: Actor
) -> None:
    earlier = register(desk, clerk, id_number=ID_A)
    later = register(desk, clerk, id_number=ID_A, repeat_of=earlier.id)
    with desk.db.read() as s:
        row = s.get(Case, later.id)
        assert row is not None and row.repeat_of_id == earlier.id
        op = s.scalars(
            select(Outbox).where(Outbox.entity == "cases", Outbox.entity_id == later.id)
        ).one()
        assert op.kind == "create" and op.payload["repeat_of_id"] == str(earlier.id)
        event = s.scalars(select(CaseEvent).where(CaseEvent.case_id == later.id)).one()
        assert earlier.case_no in event.summary and "重复来访" in event.summary
    folder = desk.dirs.attachments
    new = search.case_detail(desk.db, folder, later.id)
    assert new.repeat_of == search.CaseLink(earlier.id, earlier.case_no, False)
    assert new.repeats == []
    old = search.case_detail(desk.db, folder, earlier.id)
    assert old.repeat_of is None
    assert old.repeats == [search.CaseLink(later.id, later.case_no, False)]
    # The panel says which earlier case was itself a repeat.
    rows = find(desk, Person(id_number=ID_A))
    assert [(r.id, r.repeat_of_id) for r in rows] == [(later.id, earlier.id), (earlier.id, None)]


def test_the_earlier_case_must_exist_here_and_not_be_voided(desk: Desk, clerk: Actor) -> None:
    with pytest.raises(ValidationError) as missing:
        register(desk, clerk, repeat_of=uuid.uuid4())
    assert "不在本窗口" in missing.value.fields["repeat_of_id"]
    earlier = register(desk, clerk)
    void(desk, clerk, earlier)
    with pytest.raises(ValidationError) as voided:
        register(desk, clerk, repeat_of=earlier.id)
    assert earlier.case_no in voided.value.fields["repeat_of_id"]
    assert "作废" in voided.value.fields["repeat_of_id"]


def test_a_correction_sets_changes_and_clears_the_link_with_history_and_a_patch(
    desk: Desk, clerk: Actor
) -> None:
    first = register(desk, clerk, title="第一次来访")
    second = register(desk, clerk, title="第二次来访")
    third = register(desk, clerk, title="第三次来访")
    data = cases.load_input(desk.db, third.id)
    assert data.repeat_of_id is None
    cases.correct_case(desk, clerk, third.id, replace(data, repeat_of_id=second.id), "漏标重复")
    data = cases.load_input(desk.db, third.id)
    assert data.repeat_of_id == second.id
    # Not itself.
    with pytest.raises(ValidationError) as itself:
        cases.correct_case(desk, clerk, third.id, replace(data, repeat_of_id=third.id), "改标")
    assert "自己" in itself.value.fields["repeat_of_id"]
    cases.correct_case(desk, clerk, third.id, replace(data, repeat_of_id=first.id), "标错前案")
    with desk.db.read() as s:
        event = s.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == third.id, CaseEvent.kind == "corrected")
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        ).first()
        assert event is not None
        assert event.data["changes"]["repeat_of_id"] == [second.case_no, first.case_no]
        assert "重复来访的前案" in event.summary
        patch = s.scalars(
            select(Outbox)
            .where(Outbox.entity_id == third.id, Outbox.kind == "patch")
            .order_by(Outbox.seq.desc())
        ).first()
        assert patch is not None
        assert patch.payload == {"repeat_of_id": str(first.id)}
        assert patch.base == {"repeat_of_id": str(second.id)}
    # A link made before the earlier case was voided survives other corrections.
    void(desk, clerk, first)
    data = cases.load_input(desk.db, third.id)
    cases.correct_case(desk, clerk, third.id, replace(data, title="第三次来访（补）"), "补标题")
    detail = search.case_detail(desk.db, desk.dirs.attachments, third.id)
    assert detail.repeat_of == search.CaseLink(first.id, first.case_no, True)
    assert search.case_detail(desk.db, desk.dirs.attachments, first.id).repeats == [
        search.CaseLink(third.id, third.case_no, False)
    ]
    cases.correct_case(desk, clerk, third.id, replace(data, repeat_of_id=None), "不是重复来访")
    assert cases.load_input(desk.db, third.id).repeat_of_id is None
    assert search.case_detail(desk.db, desk.dirs.attachments, first.id).repeats == []


def test_an_earlier_case_not_on_this_desk_shows_without_a_number(desk: Desk, clerk: Actor) -> None:
    ref = register(desk, clerk)
    elsewhere = uuid.uuid4()
    with desk.uow(clerk) as uow:  # as a pulled row would have it: no foreign key
        row = uow.session.get(Case, ref.id)
        assert row is not None
        row.repeat_of_id = elsewhere
    detail = search.case_detail(desk.db, desk.dirs.attachments, ref.id)
    assert detail.repeat_of == search.CaseLink(elsewhere, "", False)
    assert repeats.brief(desk.db, elsewhere) is None
    assert repeats.brief(desk.db, ref.id) == repeats.CaseBrief(ref.id, ref.case_no, False)
