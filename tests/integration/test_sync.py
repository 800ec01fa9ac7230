"""The sync engine against a real PostgreSQL: push, pull, scope, idempotence, conflicts."""

from __future__ import annotations

import io
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from desk_app import cli
from desk_app.models import (
    Assignment,
    Case,
    CaseEvent,
    DeskIdentity,
    Outbox,
    Party,
    Supervision,
    SyncState,
    Unit,
    utcnow,
)
from desk_app.models import central as schema
from desk_app.models.db import backup_to
from desk_app.services import cases, conflicts, numbering, supervision
from desk_app.services.cases import PartyInput
from desk_app.services.desk import Desk, open_desk
from desk_app.services.errors import PermissionDenied, ValidationError
from desk_app.services.roles import Actor
from desk_app.services.sync import central, enroll
from desk_app.services.sync.engine import SyncEngine, SyncStopped
from desk_app.services.sync.store import CentralStore, Op
from tests.conftest import actor_of, sample_case

VERSION = "0.1.0"


def make_desk(root: Path, template_db: Path, code: str) -> Desk:
    root.mkdir(parents=True)
    backup_to(template_db, root / "desk.db")
    desk = open_desk(root)
    with desk.db.write_session() as s, s.begin():
        identity = s.get(DeskIdentity, 1)
        assert identity is not None
        identity.desk_code = code
        identity.install_id = uuid.uuid4()
        state = s.get(SyncState, 1)
        assert state is not None
        state.desk_code = code
    desk.close()
    return open_desk(root)


@pytest.fixture
def center(central_db: str):
    url = central.central_url(central_db)
    engine = central.connect(url)
    central.upgrade(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture
def desks(center, template_db, tmp_path):
    url, _engine = center
    made = []
    for code, scope in (("D01", ("532801",)), ("D02", ("532801103",)), ("D05", ("532801001",))):
        desk = make_desk(tmp_path / code, template_db, code)
        enroll.enroll(desk, url, code, scope, VERSION)
        made.append(desk)
    yield made
    for desk in made:
        desk.close()


def engine_for(desk: Desk, center) -> SyncEngine:
    _url, engine = center
    return SyncEngine(desk, CentralStore(engine, desk.identity.desk_code), VERSION)


def central_count(engine, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} {where}")).scalar_one()


def register(desk: Desk, division: str = "532801103201", title: str = "宅基地边界争议"):
    return cases.register_case(desk, actor_of(desk, "clerk1"), replace(sample_case(title),
                               division_code=division))  # fmt: skip


def test_push_then_pull_brings_cases_to_the_desks_whose_scope_holds_them(desks, center):
    a, b, c = desks
    _url, engine = center
    menglong = register(a, "532801103201")
    elsewhere = register(a, "532801001003")  # 允景洪街道
    summary = engine_for(a, center).sync_once()
    assert summary.rejected == summary.conflicts == 0 and summary.applied == summary.pushed > 0
    with a.db.read() as s:
        assert (
            s.scalar(
                sa.select(sa.func.count()).select_from(Outbox).where(Outbox.state == "pending")
            )
            == 0
        )
        # Its own rows come back with the central version.
        assert s.get(Case, menglong.id).version == 1  # type: ignore[union-attr]
    assert central_count(engine, "cases") == 2
    engine_for(b, center).sync_once()
    engine_for(c, center).sync_once()
    with b.db.read() as s:
        assert {x.case_no for x in s.scalars(sa.select(Case))} == {menglong.case_no}
        assert s.scalar(sa.select(sa.func.count()).select_from(Party)) == 2
    with c.db.read() as s:
        assert {x.case_no for x in s.scalars(sa.select(Case))} == {elsewhere.case_no}


def test_a_resent_batch_changes_nothing(desks, center):
    a = desks[0]
    _url, engine = center
    register(a)
    store = CentralStore(engine, "D01")
    with a.db.read() as s:
        rows = s.scalars(
            sa.select(Outbox).where(Outbox.state == "pending").order_by(Outbox.seq)
        ).all()
        ops = [Op(r.op_id, r.entity, r.entity_id, r.kind, r.payload, r.base, r.user_id,
                  r.created_at) for r in rows]  # fmt: skip
    first = store.push(ops, {})  # the central side commits; then the desk "crashes"
    engine_for(a, center).push()  # the desk resends the same ops
    second = store.push(ops, {})
    assert first == second
    assert central_count(engine, "cases") == 1
    assert central_count(engine, "applied_op") == len(ops)
    assert central_count(engine, "change_log") == len(ops)


def _correct(desk: Desk, case_id, actor: Actor, reason: str, **changes):
    form = cases.load_input(desk.db, case_id)
    cases.correct_case(desk, actor, case_id, replace(form, **changes), reason)


def test_corrections_from_two_desks(desks, center):
    a, b, _ = desks
    _url, engine = center
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    clerk_a, officer_b = actor_of(a, "clerk1"), actor_of(b, "admin")
    # Different fields: both apply.
    _correct(a, ref.id, clerk_a, "补充地点", place_detail="三组")
    _correct(b, ref.id, officer_b, "标题不准确", title="宅基地边界纠纷")
    assert engine_for(a, center).sync_once().conflicts == 0
    assert engine_for(b, center).sync_once().conflicts == 0
    # The same field to the same value: no conflict.
    _correct(a, ref.id, clerk_a, "统一", claims="确认边界")
    _correct(b, ref.id, officer_b, "统一", claims="确认边界")
    assert engine_for(a, center).sync_once().conflicts == 0
    assert engine_for(b, center).sync_once().conflicts == 0
    # The same field to different values: a conflict keeps both, nothing overwritten.
    engine_for(a, center).sync_once()
    _correct(a, ref.id, clerk_a, "甲说", title="甲的标题")
    _correct(b, ref.id, officer_b, "乙说", title="乙的标题")
    assert engine_for(a, center).sync_once().conflicts == 0
    assert engine_for(b, center).sync_once().conflicts == 1
    with engine.connect() as conn:
        title = conn.execute(sa.text("SELECT title, place_detail FROM cases")).one()
        conflict = conn.execute(sa.select(schema.sync_conflict)).mappings().one()
    assert tuple(title) == ("甲的标题", "三组")
    assert (conflict["field"], conflict["desk_value"], conflict["central_value"]) == (
        "title", "乙的标题", "甲的标题")  # fmt: skip
    assert conflict["desk_code"] == "D02" and conflict["base_value"] == "宅基地边界纠纷"


def test_a_voided_case_is_never_resurrected(desks, center):
    a, b, _ = desks
    _url, engine = center
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    cases.void_case(a, actor_of(a, "clerk1"), ref.id, "重复登记")
    _correct(b, ref.id, actor_of(b, "admin"), "补充", title="改过的标题")
    engine_for(a, center).sync_once()
    summary = engine_for(b, center).sync_once()
    assert summary.conflicts == 1
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT title, void_reason FROM cases")).one()
        kinds = conn.execute(sa.text("SELECT kind FROM sync_conflict")).scalars().all()
    assert tuple(row) == ("宅基地边界争议", "重复登记") and kinds == ["voided"]


def test_a_transition_applies_only_from_its_expected_state(desks, center):
    a, b, _ = desks
    _url, engine = center
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    for desk, target in ((a, "dispatched"), (b, "escalated")):
        with desk.uow(actor_of(desk, "admin")) as uow:
            case = uow.session.get(Case, ref.id)
            assert case is not None
            case.status = target
    assert engine_for(a, center).sync_once().conflicts == 0
    assert engine_for(b, center).sync_once().conflicts == 1
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM cases")).scalar() == "dispatched"
        conflict = conn.execute(sa.select(schema.sync_conflict)).mappings().one()
    assert (conflict["kind"], conflict["base_value"]) == ("transition", "pending_triage")


def test_rows_with_pending_local_changes_keep_their_local_values(desks, center):
    a, b, _ = desks
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    _correct(a, ref.id, actor_of(a, "clerk1"), "甲改", title="甲的标题")
    engine_for(a, center).sync_once()
    _correct(b, ref.id, actor_of(b, "admin"), "乙改", urgent=True)
    summary = engine_for(b, center).pull()
    assert summary.kept_local == 1
    with b.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.title == "宅基地边界争议" and case.urgent
    engine_for(b, center).sync_once()  # pushed, then pulled with both changes
    with b.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.title == "甲的标题" and case.urgent


def test_numbers_resume_from_the_central_maximum(desks, center, template_db, tmp_path):
    a = desks[0]
    url, _engine = center
    for _ in range(3):
        register(a)
    engine_for(a, center).sync_once()
    # A replaced PC takes over D01 with an empty counter: it never reissues 1-3.
    fresh = make_desk(tmp_path / "new-pc", template_db, "D01")
    try:
        enroll.enroll(fresh, url, "D01", ("532801",), VERSION, replace=True)
        ref = register(fresh)
        assert ref.case_no.endswith("-00004")
        with fresh.db.write_session() as s, s.begin():
            assert numbering.current(s, "case", numbering.local_year()) == 4
    finally:
        fresh.close()


def test_sync_once_from_the_command_line(desks, center, monkeypatch, capsys):
    a = desks[0]
    register(a)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["--data-dir", str(a.dirs.root), "sync", "--once"]) == 0
    assert "推送" in capsys.readouterr().out


def test_sync_says_when_the_desk_is_not_enrolled(desk, capsys):
    assert cli.main(["--data-dir", str(desk.dirs.root), "sync", "--once"]) == 1
    assert "尚未登记" in capsys.readouterr().err


def test_a_party_added_on_one_desk_reaches_the_other(desks, center):
    a, b, _ = desks
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    form = cases.load_input(b.db, ref.id)
    form = replace(form, parties=(*form.parties, PartyInput(name="岩罕", role="third_party")))
    cases.correct_case(b, actor_of(b, "admin"), ref.id, form, "补充第三人")
    engine_for(b, center).sync_once()
    engine_for(a, center).sync_once()
    with a.db.read() as s:
        names = s.scalars(sa.select(Party.name).where(Party.case_id == ref.id)).all()
    assert sorted(names) == sorted(["玉香", "岩温", "岩罕"])


def test_a_case_moved_out_of_a_desks_scope_is_removed_there(desks, center):
    a, b, c = desks  # D01 the city, D02 勐龙镇, D05 允景洪街道
    ref = register(a, "532801103201")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    engine_for(c, center).sync_once()
    with b.db.read() as s:
        assert s.get(Case, ref.id) is not None
    # Registered at the wrong place: corrected to a community of 允景洪街道.
    _correct(a, ref.id, actor_of(a, "clerk1"), "发生地登记错误", division_code="532801001003")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    engine_for(c, center).sync_once()
    with b.db.read() as s:
        assert s.get(Case, ref.id) is None
        assert (
            s.scalar(sa.select(sa.func.count()).select_from(Party).where(Party.case_id == ref.id))
            == 0
        )
    with c.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.division_code == "532801001003"
    with a.db.read() as s:  # the desk that registered it keeps it
        assert s.get(Case, ref.id) is not None


def test_a_case_with_pending_changes_is_not_removed(desks, center):
    a, b, _ = desks
    ref = register(a, "532801103201")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    _correct(b, ref.id, actor_of(b, "admin"), "紧急", urgent=True)
    _correct(a, ref.id, actor_of(a, "clerk1"), "地点错误", division_code="532801001003")
    engine_for(a, center).sync_once()
    assert engine_for(b, center).pull().kept_local >= 1
    with b.db.read() as s:
        assert s.get(Case, ref.id) is not None


def _with_photo(desk: Desk, tmp_path: Path, size: int) -> tuple[str, bytes]:
    import hashlib
    import random

    content = b"\x89PNG\r\n\x1a\n" + random.Random(size).randbytes(size)
    photo = tmp_path / f"photo-{size}.png"
    photo.write_bytes(content)
    data = replace(
        sample_case(), attachments=(cases.AttachmentInput(path=photo, category="photo"),)
    )
    cases.register_case(desk, actor_of(desk, "clerk1"), data)
    return hashlib.sha256(content).hexdigest(), content


def test_attachment_files_travel_with_their_rows(desks, center, tmp_path):
    a, b, _ = desks
    sha, content = _with_photo(a, tmp_path, 700_000)  # three chunks
    assert engine_for(a, center).sync_once().files_sent == 1
    summary = engine_for(b, center).sync_once()
    assert summary.files_received == 1
    assert cases.attachment_path(b.dirs.attachments, sha).read_bytes() == content
    assert engine_for(b, center).sync_once().files_received == 0  # nothing twice


def test_interrupted_transfers_resume(desks, center, tmp_path):
    a, b, _ = desks
    _url, engine = center
    sha, content = _with_photo(a, tmp_path, 600_000)
    store = CentralStore(engine, "D01")
    chunk = 256 * 1024
    engine_for(a, center).push()  # the rows, then the upload stops after one chunk
    assert not store.put_chunk(sha, len(content), chunk, 0, content[:chunk])
    assert store.file_status([sha])[sha].present == 1
    engine_for(a, center).push_files()
    status = store.file_status([sha])[sha]
    assert status.complete and status.present == status.chunks == 3
    engine_for(b, center).pull()
    # The download stopped part-way through its second chunk.
    target = cases.attachment_path(b.dirs.attachments, sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_name(target.name + ".part").write_bytes(content[: chunk + 1000])
    assert engine_for(b, center).pull_files().files_received == 1
    assert target.read_bytes() == content
    assert not target.with_name(target.name + ".part").exists()


def test_a_number_the_center_already_has_becomes_a_conflict_not_an_overwrite(desks, center):
    a, b, _ = desks
    _url, engine = center
    ref = register(a)
    engine_for(a, center).sync_once()
    # A desk restored from a stale copy registers the same number again (a different case).
    with b.db.write_session() as s, s.begin():
        s.execute(sa.text("UPDATE desk_identity SET desk_code = 'D01'"))
    b.info = replace(b.identity, desk_code="D01")
    clash = register(b)
    assert clash.case_no == ref.case_no and clash.id != ref.id
    summary = engine_for(b, center).sync_once()
    assert summary.conflicts >= 1
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar() == 1
        kinds = conn.execute(sa.text("SELECT kind, field FROM sync_conflict")).all()
    assert ("number_clash", "case_no") in [tuple(k) for k in kinds]


def test_a_correction_carries_who_made_it_and_when(desks, center):
    a, b, _ = desks
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    _correct(b, ref.id, actor_of(b, "admin"), "标题不准确", title="改过的标题")
    engine_for(b, center).sync_once()
    engine_for(a, center).sync_once()
    with a.db.read() as s:
        case = s.get(Case, ref.id)
        assert case is not None and case.updated_by == "admin" and case.title == "改过的标题"


def test_repeat_visit_links_and_verification_codes_reach_the_other_desks(desks, center):
    a, b, _ = desks
    earlier = register(a, title="第一次来访")
    later = cases.register_case(
        a,
        actor_of(a, "clerk1"),
        replace(sample_case("再次来访"), division_code="532801103201", repeat_of_id=earlier.id),
    )
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    with a.db.read() as s:
        codes = {c.id: c.verify_code for c in s.scalars(sa.select(Case))}
    with b.db.read() as s:
        pulled = {c.id: c for c in s.scalars(sa.select(Case))}
        assert pulled[later.id].repeat_of_id == earlier.id
        assert pulled[earlier.id].repeat_of_id is None
        assert {i: c.verify_code for i, c in pulled.items()} == codes
        assert all(len(code) == 8 for code in codes.values())
    # Unmarking it on desk B reaches desk A as a field change with its before-value.
    _correct(b, later.id, actor_of(b, "admin"), "并非同一事项", repeat_of_id=None)
    engine_for(b, center).sync_once()
    engine_for(a, center).sync_once()
    with a.db.read() as s:
        assert s.get(Case, later.id).repeat_of_id is None  # type: ignore[union-attr]


def test_a_stop_request_ends_the_round_between_whole_batches(desks, center):
    a = desks[0]
    _url, engine = center
    for i in range(5):
        register(a, title=f"第{i}件")
    asked = []

    def stop_after_two_batches() -> bool:
        asked.append(1)
        return len(asked) > 2

    sync = SyncEngine(
        a, CentralStore(engine, "D01"), VERSION, batch_size=4, should_stop=stop_after_two_batches
    )
    with pytest.raises(SyncStopped):
        sync.sync_once()
    # Two whole batches went and were recorded; the rest waits for the next round.
    with a.db.read() as s:
        states = s.scalars(sa.select(Outbox.state).order_by(Outbox.seq)).all()
    assert states[:8] == ["acked"] * 8 and set(states[8:]) == {"pending"}
    assert central_count(engine, "applied_op") == 8
    engine_for(a, center).sync_once()
    assert central_count(engine, "cases") == 5


def make_conflict(desks, center) -> cases.CaseRef:
    """A case in 勐龙镇 whose title desks A and B changed differently: B's push conflicts."""
    a, b, _ = desks
    ref = register(a)
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    _correct(a, ref.id, actor_of(a, "clerk1"), "甲说", title="甲的标题")
    _correct(b, ref.id, actor_of(b, "clerk1"), "乙说", title="乙的标题")
    engine_for(a, center).sync_once()
    assert engine_for(b, center).sync_once().conflicts == 1
    return ref


def test_a_conflict_reaches_the_desks_and_its_resolution_closes_it_everywhere(desks, center):
    a, b, c = desks  # A: the city, B: 勐龙镇, C: 允景洪街道 (not the case's place)
    _url, engine = center
    ref = make_conflict(desks, center)
    for desk in (a, b, c):
        engine_for(desk, center).sync_once()
    # Both desks whose scope holds the case see it, with both sides; the third does not.
    assert conflicts.count_open(c.db) == 0
    for desk in (a, b):
        (seen,) = conflicts.open_conflicts(desk.db)
        assert (seen.case_no, seen.field, seen.desk_text, seen.central_text) == (
            ref.case_no, "title", "乙的标题", "甲的标题")  # fmt: skip
        assert seen.desk_code == "D02" and seen.desk_user.endswith("（clerk1）")
        assert seen.central_user.endswith("（clerk1）") and seen.central_at is not None
    # A clerk may not settle it; an officer (here the administrator) on desk A merges.
    with pytest.raises(PermissionDenied):
        conflicts.resolve(a, actor_of(a, "clerk1"), seen.id, "central")
    with pytest.raises(ValidationError):
        conflicts.resolve(a, actor_of(a, "admin"), seen.id, "merged", "  ")
    conflicts.resolve(a, actor_of(a, "admin"), seen.id, "merged", "甲乙的标题", "双方确认")
    assert conflicts.count_open(a.db) == 0
    assert engine_for(a, center).sync_once().conflicts == 0
    engine_for(b, center).sync_once()
    with b.db.read() as s:
        assert s.get(Case, ref.id).title == "甲乙的标题"  # type: ignore[union-attr]
        events = s.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == ref.id)).all()
    assert "conflict_resolved" in events
    assert conflicts.count_open(b.db) == 0
    with engine.connect() as conn:
        closed = conn.execute(sa.select(schema.sync_conflict)).mappings().one()
    assert closed["resolved_by"] == "admin"
    assert closed["resolution"] == {"keep": "merged", "value": "甲乙的标题", "note": "双方确认"}


# --- the workflow across desks ------------------------------------------------------------


def _officer(desk: Desk) -> Actor:
    from desk_app.services.roles import Role

    return Actor("officer-" + desk.identity.desk_code, "研判员", frozenset({Role.OFFICER}), None)


def _act(desk: Desk, action: str, case_id: uuid.UUID, data: object) -> None:
    from desk_app.services import workflow

    with desk.uow(_officer(desk)) as uow:
        workflow.RUNNERS[action](uow, case_id, data)


def _dispatched(a: Desk, b: Desk, center) -> uuid.UUID:
    """A case registered and dispatched on desk A, known to desk B."""
    from desk_app.services import workflow

    ref = register(a)
    _act(a, "triage", ref.id, workflow.TriageInput(
        level="town", track="mediation", complexity="ordinary", unit_code="532801103-TWH",
        co_unit_codes=("532801103-SFS",), note="属地调处"))  # fmt: skip
    _act(a, "dispatch", ref.id, workflow.DispatchInput(asked="组织调解"))
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    return ref.id


def test_competing_transitions_from_two_desks_apply_one_action_whole(desks, center):
    """Desk A records 签收 while desk B records 退单 of the same dispatch, both offline.
    The first to push wins; the other action changes nothing centrally (neither its case
    fields nor its dispatch rows nor its history), is one conflict, and both desks end
    with the central state."""
    from desk_app.services import workflow

    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    _act(a, "sign", case_id, workflow.UnitStepInput(on_behalf=True))
    _act(b, "return", case_id, workflow.UnitStepInput(on_behalf=True, text="不属于本单位"))
    assert engine_for(a, center).sync_once().conflicts == 0
    lost = engine_for(b, center).sync_once()
    assert lost.conflicts >= 1
    with engine.connect() as conn:
        case = conn.execute(sa.text("SELECT status, step, lead_unit_code FROM cases")).one()
        assert tuple(case) == ("signed", "handle", "532801103-TWH")
        returned = conn.execute(
            sa.text("SELECT count(*) FROM assignments WHERE returned_at IS NOT NULL")
        ).scalar_one()
        events = conn.execute(sa.text("SELECT kind FROM case_events")).scalars().all()
        kinds = conn.execute(sa.text("SELECT kind FROM sync_conflict")).scalars().all()
    assert returned == 0 and "return" not in events and "sign" in events
    assert kinds == ["transition"]
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    for desk in (a, b):
        with desk.db.read() as s:
            local = s.get(Case, case_id)
            assert local is not None and (local.status, local.step) == ("signed", "handle")
            # B's refused return is gone from B too: its dispatch rows are the center's.
            assert (
                s.scalar(sa.select(sa.func.count()).where(Assignment.returned_at.is_not(None))) == 0
            )
            assert s.scalar(sa.select(sa.func.count()).where(CaseEvent.kind == "return")) == 0
        assert conflicts.count_open(desk.db) == 1
    # Acknowledging it settles it on both desks; the central state stands.
    (open_one,) = conflicts.open_conflicts(b.db)
    conflicts.resolve(b, _officer(b), open_one.id, "central", note="已由其他窗口签收")
    engine_for(b, center).sync_once()
    engine_for(a, center).sync_once()
    assert conflicts.count_open(a.db) == 0


def test_the_same_transition_from_two_desks_is_no_conflict(desks, center):
    """Both desks record the unit's 签收 (the same target): the second finds the case
    already signed and is not a conflict; its fields are compared as a correction."""
    from desk_app.services import workflow

    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    _act(a, "sign", case_id, workflow.UnitStepInput(on_behalf=True))
    _act(b, "sign", case_id, workflow.UnitStepInput(on_behalf=True))
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM cases")).scalar_one() == "signed"
        kinds = conn.execute(sa.text("SELECT kind FROM sync_conflict")).scalars().all()
    # Only who signed, and when, can differ: field conflicts, never a transition conflict.
    assert "transition" not in kinds


# --- the supervision ladder across desks ----------------------------------------------------

LEAD = "532801103-TWH"


def _raise(desk: Desk, case_id: uuid.UUID, level: str, message: str = "请加快办理并报告进展",
           respond_by=None) -> uuid.UUID:  # fmt: skip
    data = supervision.SuperviseInput(level, LEAD, message, respond_by)
    with desk.uow(_officer(desk)) as uow:
        return supervision.raise_supervision(uow, case_id, data)


def _answer(desk: Desk, supervision_id: uuid.UUID, text: str) -> None:
    with desk.uow(_officer(desk)) as uow:  # center staff, for a unit without a desk
        supervision.respond(uow, supervision_id, text, on_behalf=True)


def _void_rung(desk: Desk, supervision_id: uuid.UUID, reason: str) -> None:
    with desk.uow(_officer(desk)) as uow:
        supervision.void_supervision(uow, supervision_id, reason)


def _rung_row(desk: Desk, supervision_id: uuid.UUID) -> dict[str, object]:
    """Every column of a supervision row on a desk."""
    with desk.db.read() as s:
        row = s.execute(
            sa.select(Supervision.__table__).where(Supervision.__table__.c.id == supervision_id)
        ).mappings().one()  # fmt: skip
    return dict(row)


def _central_rung(engine, supervision_id: uuid.UUID) -> dict[str, object]:
    table = schema.central_metadata.tables["supervisions"]
    with engine.connect() as conn:
        return dict(
            conn.execute(sa.select(table).where(table.c.id == supervision_id)).mappings().one()
        )


def _marks(desk: Desk, case_id: uuid.UUID) -> dict[uuid.UUID, str]:
    with desk.db.read() as s:
        return supervision.latest_levels(s, [case_id])


def _rungs(desk: Desk, case_id: uuid.UUID):
    with desk.db.read() as s:
        return supervision.for_case(s, case_id)


def _events(desk: Desk, case_id: uuid.UUID, kind: str) -> list[str]:
    with desk.db.read() as s:
        return list(
            s.scalars(
                sa.select(CaseEvent.summary)
                .where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
                .order_by(CaseEvent.at)
            )
        )


def test_supervision_raised_on_one_desk_reaches_the_center_and_the_other_desk_whole(desks, center):
    """催办 then 督办 on desk A, after triage and dispatch: the rows reach the center and
    desk B (same scope) column for column, and B's board mark and case list show them."""
    from datetime import timedelta

    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    due = utcnow() + timedelta(days=3)
    urge = _raise(a, case_id, "urge", "请三日内报告调解进展", respond_by=due)
    supervise = _raise(a, case_id, "supervise", "逾期未报告，正式督办")
    summary = engine_for(a, center).sync_once()
    assert summary.conflicts == summary.rejected == 0
    engine_for(b, center).sync_once()
    assert central_count(engine, "supervisions") == 2
    for sid, level in ((urge, "urge"), (supervise, "supervise")):
        mine, there, pulled = _rung_row(a, sid), _central_rung(engine, sid), _rung_row(b, sid)
        assert mine == there == pulled, sid  # every column, the version (1) included
        assert (pulled["level"], pulled["unit_code"], pulled["by"], pulled["origin_desk"],
                pulled["version"]) == (level, LEAD, "officer-D01", "D01", 1)  # fmt: skip
    assert _rung_row(b, urge)["respond_by"] == due
    assert _rung_row(b, urge)["message"] == "请三日内报告调解进展"
    # B's board mark is the highest rung; its case list shows both, unanswered.
    assert _marks(b, case_id) == {case_id: "supervise"}
    views = _rungs(b, case_id)
    assert [(v.level, v.unit_code, v.message, v.answered, v.voided) for v in views] == [
        ("urge", LEAD, "请三日内报告调解进展", False, False),
        ("supervise", LEAD, "逾期未报告，正式督办", False, False),
    ]
    assert views[0].unit_name and views[0].case_no and views[0].respond_by == due
    assert len(_events(b, case_id, "supervision")) == 2
    # The ladder on B goes on from what A raised.
    with b.db.read() as s:
        assert supervision.next_levels(s, case_id, LEAD) == [
            "urge", "supervise", "listed", "notice", "interview"]  # fmt: skip


def test_supervision_response_recorded_on_one_desk_reaches_the_other(desks, center):
    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    urge = _raise(a, case_id, "urge")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    _answer(b, urge, "已组织双方调解，达成初步意向")
    assert engine_for(b, center).sync_once().conflicts == 0
    engine_for(a, center).sync_once()
    there = _central_rung(engine, urge)
    assert _rung_row(a, urge) == there == _rung_row(b, urge)
    assert there["response"] == "已组织双方调解，达成初步意向"
    assert (there["responded_by"], there["response_on_behalf"], there["version"]) == (
        "officer-D02", True, 2)  # fmt: skip
    assert there["responded_at"] is not None
    (view,) = _rungs(a, case_id)
    assert view.answered and view.response == "已组织双方调解，达成初步意向"
    with a.db.read() as s:
        got = supervision.summary(s, case_id)
    assert got is not None and (got.count, got.unanswered) == (1, 0)
    assert _events(a, case_id, "supervision_response") == [
        "催办答复（中心代勐龙镇人民调解委员会登记）：已组织双方调解，达成初步意向"
    ]


def test_supervision_voided_on_one_desk_no_longer_counts_on_the_other(desks, center):
    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    urge = _raise(a, case_id, "urge")
    supervise = _raise(a, case_id, "supervise")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    assert _marks(b, case_id) == {case_id: "supervise"}
    _void_rung(a, supervise, "督办对象选错")
    assert engine_for(a, center).sync_once().conflicts == 0
    engine_for(b, center).sync_once()
    there = _central_rung(engine, supervise)
    assert _rung_row(a, supervise) == there == _rung_row(b, supervise)
    assert there["void_reason"] == "督办对象选错" and there["voided_at"] is not None
    assert there["updated_by"] == "officer-D01" and there["version"] == 2
    assert _marks(b, case_id) == {case_id: "urge"}  # the void no longer counts on B
    # Voiding the 催办 too (top down): no mark at all; both stay listed, marked voided.
    _void_rung(a, urge, "催办对象选错")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    assert _marks(b, case_id) == {}
    views = _rungs(b, case_id)
    assert [(v.level, v.voided, v.void_reason, v.voided_by) for v in views] == [
        ("urge", True, "催办对象选错", "officer-D01"),
        ("supervise", True, "督办对象选错", "officer-D01"),
    ]


def test_supervision_answered_on_two_desks_keeps_both_answers(desks, center):
    """A and B both record the unit's response to one 催办 before either syncs. The
    response is a field patch from "" (no transition): the first to push wins, the
    second's fields are conflicts keeping its answer (never silently dropped, never an
    overwrite); both desks see it and settle it as any field conflict."""
    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    urge = _raise(a, case_id, "urge")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    _answer(a, urge, "甲：已电话督促，三日内调解")
    _answer(b, urge, "乙：单位称已完成第一次调解")
    assert engine_for(a, center).sync_once().conflicts == 0
    assert engine_for(b, center).sync_once().conflicts == 1  # one op: the response patch
    there = _central_rung(engine, urge)
    assert (there["response"], there["responded_by"], there["version"]) == (
        "甲：已电话督促，三日内调解", "officer-D01", 2)  # fmt: skip
    with engine.connect() as conn:
        found = conn.execute(
            sa.select(schema.sync_conflict).where(schema.sync_conflict.c.entity == "supervisions")
        ).mappings().all()  # fmt: skip
    by_field = {c["field"]: c for c in found}
    assert set(by_field) == {"response", "responded_at", "responded_by"}
    assert {c["kind"] for c in found} == {"field"} and {c["desk_code"] for c in found} == {"D02"}
    lost = by_field["response"]
    assert (lost["desk_value"], lost["central_value"], lost["base_value"]) == (
        "乙：单位称已完成第一次调解", "甲：已电话督促，三日内调解", "")  # fmt: skip
    assert by_field["responded_by"]["desk_value"] == "officer-D02"
    # Both answers are in the history everywhere (appends never conflict).
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    for desk in (a, b):
        answers = _events(desk, case_id, "supervision_response")
        assert len(answers) == 2 and any("乙：" in x for x in answers), desk.identity.desk_code
        # The row is the center's on both desks; B's answer waits as a conflict on both.
        assert _rung_row(desk, urge) == _central_rung(engine, urge)
        shown = {c.field: c for c in conflicts.open_conflicts(desk.db)}
        assert set(shown) == {"response", "responded_at", "responded_by"}
        assert shown["response"].desk_text == "乙：单位称已完成第一次调解"
        assert shown["response"].case_id == case_id and shown["response"].can_choose
        # The review screen names the fields in words, not as columns.
        assert shown["response"].field_label == "单位答复"
        assert shown["responded_at"].field_label == "答复时间"
    # An officer on B merges the two answers; the merged text reaches A.
    merged = "甲：已电话督促，三日内调解；乙：单位称已完成第一次调解"
    conflicts.resolve(b, _officer(b), shown["response"].id, "merged", merged, "两边都记了答复")
    for field in ("responded_at", "responded_by"):
        conflicts.resolve(b, _officer(b), shown[field].id, "central")
    assert engine_for(b, center).sync_once().conflicts == 0
    engine_for(a, center).sync_once()
    assert _rung_row(a, urge)["response"] == merged == _central_rung(engine, urge)["response"]
    assert conflicts.count_open(a.db) == conflicts.count_open(b.db) == 0


@pytest.mark.parametrize("first", ["raise", "other"])
@pytest.mark.parametrize("other", ["return", "void"])
def test_supervision_raised_while_the_other_desk_returns_or_voids_the_case(
    desks, center, first, other
):
    """A raises 催办 against the lead unit while B, offline too, records the unit's 退单 or
    voids the case. The rung is a create that relies on no state (not a workflow step,
    and a void edits the case, not its new rows): the center takes it in either order,
    B's step applies whole, and nothing is half applied: no conflict, the rung's case is
    there centrally, every desk ends with the same rows. Afterwards the ladder is closed
    for the unit (no longer dispatched, or the case voided). On a voided case the rung
    counts nowhere; after a return it stays on the unit's record, as raised while the
    unit held the case as far as A knew (clocks decide nothing)."""
    from desk_app.services import workflow

    a, b, _ = desks
    _url, engine = center
    case_id = _dispatched(a, b, center)
    urge = _raise(a, case_id, "urge")
    if other == "return":
        _act(b, "return", case_id, workflow.UnitStepInput(on_behalf=True, text="不属于本单位"))
    else:
        cases.void_case(b, actor_of(b, "admin"), case_id, "重复登记")
    order = (a, b) if first == "raise" else (b, a)
    for desk in order:
        assert engine_for(desk, center).sync_once().conflicts == 0
    for desk in (a, b):
        engine_for(desk, center).sync_once()
    assert central_count(engine, "sync_conflict") == 0
    with engine.connect() as conn:
        case = conn.execute(
            sa.text("SELECT status, voided_at, lead_unit_code FROM cases WHERE id = :i"),
            {"i": case_id},
        ).one()
        returned = conn.execute(
            sa.text("SELECT count(*) FROM assignments WHERE returned_at IS NOT NULL")
        ).scalar_one()
    if other == "return":
        assert case.voided_at is None and case.lead_unit_code == "" and returned == 2
    else:
        assert case.voided_at is not None and case.lead_unit_code == LEAD and returned == 0
    there = _central_rung(engine, urge)
    assert there["case_id"] == case_id and there["voided_at"] is None
    for desk in (a, b):
        assert _rung_row(desk, urge) == there
        with desk.db.read() as s:
            local = s.get(Case, case_id)
            assert local is not None
            assert (local.status, local.voided_at is not None) == (
                case.status,
                case.voided_at is not None,
            )
            assert supervision.targets(s, case_id) == []
            assert supervision.next_levels(s, case_id, LEAD) == []
            counted = supervision.for_unit(s, LEAD)
        assert [v.id for v in _rungs(desk, case_id)] == [urge]  # the history keeps it
        if other == "void":
            assert counted == []  # a voided case's rungs count for no unit
        else:
            assert [v.id for v in counted] == [urge]


def test_supervision_of_a_case_moved_into_a_desks_scope_comes_with_it(desks, center):
    """A supervised case whose place is corrected to another township reaches that
    township's desk with its rungs (logged under the old place, which that desk never
    saw); the desk it left removes them with the case."""
    a, b, c = desks  # A: the city, B: 勐龙镇, C: 允景洪街道
    _url, engine = center
    case_id = _dispatched(a, b, center)
    urge = _raise(a, case_id, "urge")
    engine_for(a, center).sync_once()
    engine_for(b, center).sync_once()
    engine_for(c, center).sync_once()
    assert _marks(c, case_id) == {}
    _correct(a, case_id, actor_of(a, "clerk1"), "发生地登记错误", division_code="532801001003")
    for desk in (a, b, c):
        engine_for(desk, center).sync_once()
    assert _rung_row(c, urge) == _central_rung(engine, urge)
    assert _marks(c, case_id) == {case_id: "urge"}
    with c.db.read() as s:  # the rest of the case came too
        assert s.scalar(sa.select(sa.func.count()).where(Party.case_id == case_id)) == 2
        assert s.scalar(sa.select(sa.func.count()).where(Assignment.case_id == case_id)) == 2
    with b.db.read() as s:
        assert s.get(Case, case_id) is None and s.get(Supervision, urge) is None
    # C answers for the unit; the answer reaches A.
    _answer(c, urge, "已上门调解")
    assert engine_for(c, center).sync_once().conflicts == 0
    engine_for(a, center).sync_once()
    assert _rung_row(a, urge)["response"] == "已上门调解"


def test_a_unit_desk_receives_the_cases_dispatched_to_its_unit_whole(
    desks, center, template_db, tmp_path
):
    """A desk whose scope names a unit (景洪市人民法院) gets a case once it is dispatched
    there: with the parties and history made before (logged again as the case enters its
    scope), not while it waits for triage or dispatch; its steps reach the center's desk;
    a case the unit returns (退单) leaves it."""
    from desk_app.services import workflow

    url, _engine = center
    a, d02, d05 = desks
    court = make_desk(tmp_path / "U01", template_db, "U01")
    enroll.enroll(court, url, "U01", ("JH-FY",), VERSION)
    try:
        ref = register(a)  # in 勐龙镇: D01 and D02 see it by place
        engine_for(a, center).sync_once()
        _act(a, "triage", ref.id, workflow.TriageInput(
            level="city", track="litigation", complexity="ordinary", unit_code="JH-FY",
            note="涉及诉讼"))  # fmt: skip
        engine_for(a, center).sync_once()
        engine_for(court, center).sync_once()
        assert _case_count(court) == 0  # chosen at triage, not yet sent

        _act(a, "dispatch", ref.id, workflow.DispatchInput(asked="请依法处理"))
        engine_for(a, center).sync_once()
        engine_for(court, center).sync_once()
        engine_for(d02, center).sync_once()
        for desk in (court, d02):
            with desk.db.read() as s:
                case = s.get(Case, ref.id)
                assert case is not None and case.status == "dispatched"
                parties = s.scalar(sa.select(sa.func.count()).where(Party.case_id == ref.id))
                events = s.scalars(
                    sa.select(CaseEvent.kind).where(CaseEvent.case_id == ref.id)
                ).all()
                dispatches = s.scalar(
                    sa.select(sa.func.count()).where(Assignment.case_id == ref.id)
                )
            assert parties == 2 and {"registered", "triage", "dispatch"} <= set(events)
            assert dispatches == 1
        engine_for(d05, center).sync_once()
        assert _case_count(d05) == 0  # neither its place nor its unit

        # The unit signs on its own desk; the center's desk hears it.
        _by_unit(court, "sign", ref.id, workflow.UnitStepInput(on_behalf=False))
        assert engine_for(court, center).sync_once().conflicts == 0
        engine_for(a, center).sync_once()
        with a.db.read() as s:
            signed = s.get(Case, ref.id)
            assert signed is not None and signed.status == "signed"

        # A second case, returned by the unit: it leaves the unit's desk once pushed.
        other = register(a, title="房屋租赁纠纷")
        _act(a, "triage", other.id, workflow.TriageInput(
            level="city", track="litigation", complexity="ordinary", unit_code="JH-FY",
            note="涉及诉讼"))  # fmt: skip
        _act(a, "dispatch", other.id, workflow.DispatchInput(asked="请依法处理"))
        engine_for(a, center).sync_once()
        engine_for(court, center).sync_once()
        assert _case_count(court) == 2
        _by_unit(
            court,
            "return",
            other.id,
            workflow.UnitStepInput(on_behalf=False, text="不属于法院受理范围"),
        )
        engine_for(court, center).sync_once()  # pushes the return, then pulls it back
        engine_for(court, center).sync_once()
        with court.db.read() as s:
            assert s.get(Case, other.id) is None and s.get(Case, ref.id) is not None
            orphans = s.scalar(sa.select(sa.func.count()).where(Party.case_id == other.id))
        assert orphans == 0
        engine_for(a, center).sync_once()
        with a.db.read() as s:
            back = s.get(Case, other.id)
            assert back is not None and back.status == "pending_triage"
            # Enrolling a desk for the unit told every desk that it has one of its own.
            assert s.scalar(sa.select(Unit.has_desk).where(Unit.code == "JH-FY")) is True
    finally:
        court.close()


def _by_unit(desk: Desk, action: str, case_id: uuid.UUID, data: object) -> None:
    """A step recorded by the unit itself, on its own desk (its mediator)."""
    from desk_app.services import workflow
    from desk_app.services.roles import Role

    mediator = Actor("mediator-" + desk.identity.desk_code, "调解员", frozenset({Role.MEDIATOR}),
                     None)  # fmt: skip
    with desk.uow(mediator) as uow:
        workflow.RUNNERS[action](uow, case_id, data)


def _case_count(desk: Desk) -> int:
    with desk.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Case)) or 0
