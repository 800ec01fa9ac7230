"""Demo data: realistic, complete, reproducible, and made the way real work is made."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from desk_app.models import (
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    DisputeType,
    Division,
    Enquiry,
    JointMediation,
    JointMediationUnit,
    Outbox,
    Party,
    Supervision,
    User,
)
from desk_app.models.db import backup_to
from desk_app.services import cases as cases_service
from desk_app.services import demo as demo_module
from desk_app.services import supervision, users, warnings
from desk_app.services.cases import CHANNELS, STATUSES
from desk_app.services.demo import (
    DEMO_ACCOUNTS,
    DemoSummary,
    demo_statuses,
    ensure_demo_desk,
    generate,
    make_png,
)
from desk_app.services.desk import Desk, open_desk
from desk_app.services.identity import (
    ETHNICITIES,
    parse_resident_id,
    validate_id,
    validate_phone,
    validate_uscc,
)

CASES = 300
SEED = 7


@dataclass
class Demo:
    desk: Desk
    summary: DemoSummary
    progress: list[tuple[int, int]]


@pytest.fixture(scope="module")
def demo(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The conftest desk (景洪市综治中心, D03, admin and clerk1) with 300 demo cases.

    Made once for this module: the tests below only read it.
    """
    root = tmp_path_factory.mktemp("demo")
    backup_to(template_db, root / "desk.db")
    desk = open_desk(root)
    calls: list[tuple[int, int]] = []
    summary = generate(desk, CASES, SEED, progress=lambda done, total: calls.append((done, total)))
    yield Demo(desk, summary, calls)
    desk.close()


def _all(desk: Desk, model):  # type: ignore[no-untyped-def]
    with desk.db.read() as s:
        return list(s.scalars(select(model)))


def test_summary_matches_the_rows(demo: Demo) -> None:
    summary = demo.summary
    parties = _all(demo.desk, Party)
    assert summary.cases == CASES == len(_all(demo.desk, Case))
    assert summary.parties == len(parties)
    assert summary.organisations == sum(p.kind == "organisation" for p in parties) > 0
    assert summary.foreigners == sum(p.id_type in ("passport", "border_pass") for p in parties) > 0
    assert summary.attachments == len(_all(demo.desk, Attachment)) > 0
    events = _all(demo.desk, CaseEvent)
    assert summary.corrected == sum(e.kind == "corrected" for e in events) > 0
    assert summary.voided == sum(c.voided_at is not None for c in _all(demo.desk, Case)) > 0
    assert summary.enquiries == len(_all(demo.desk, Enquiry)) > 0
    assert summary.seconds > 0
    calls = demo.progress
    assert calls and calls[-1] == (CASES, CASES)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_resident_ids_are_valid_and_match_the_party(demo: Demo) -> None:
    people = [p for p in _all(demo.desk, Party) if p.id_type == "resident_id"]
    assert len(people) > CASES
    for p in people:
        rid = parse_resident_id(p.id_number)
        assert rid.number == p.id_number
        assert rid.birth_date == p.birth_date
        assert rid.gender == p.gender
        assert p.ethnicity in ETHNICITIES and p.nationality == "中国"
    codes = Counter(p.id_number[:6] for p in people)
    assert codes.most_common(1)[0][0] == "532801"
    assert len(codes) > 3  # people from elsewhere in Yunnan and other provinces too
    ethnicities = Counter(p.ethnicity for p in people)
    assert {"01", "18", "16", "56"} <= set(ethnicities)


def test_phones_organisations_and_foreigners_are_well_formed(demo: Demo) -> None:
    parties = _all(demo.desk, Party)
    for p in parties:
        if p.phone:
            assert validate_phone(p.phone) == p.phone
    assert any("-" in p.phone for p in parties)  # some landlines
    orgs = [p for p in parties if p.kind == "organisation"]
    for o in orgs:
        assert o.id_type == "uscc" and validate_uscc(o.id_number) == o.id_number
        assert o.legal_representative and o.contact_person
        assert o.gender == "" and o.ethnicity == ""
    assert Counter(o.role for o in orgs).most_common(1)[0][0] == "respondent"
    foreigners = [p for p in parties if p.id_type in ("passport", "border_pass")]
    with demo.desk.db.read() as s:
        foreign_cases = {c.id for c in s.scalars(select(Case).where(Case.foreign_related))}
    for f in foreigners:
        assert f.nationality in ("老挝", "缅甸") and f.ethnicity == ""
        assert validate_id(f.id_type, f.id_number, f.nationality) == f.id_number
        assert f.name.isascii() and f.name == f.name.upper()
        assert f.case_id in foreign_cases


def test_every_status_type_channel_and_division_occurs(demo: Demo) -> None:
    cases = _all(demo.desk, Case)
    assert demo_statuses() == list(STATUSES), "extend demo.LIFECYCLE for the new statuses"
    assert {c.status for c in cases} == set(STATUSES)
    assert {c.channel for c in cases} == set(CHANNELS)
    with demo.desk.db.read() as s:
        top = set(s.scalars(select(DisputeType.code).where(DisputeType.parent_code.is_(None))))
        subs = {
            (d.parent_code, d.name)
            for d in s.scalars(select(DisputeType).where(DisputeType.parent_code.is_not(None)))
        }
        villages = set(s.scalars(select(Division.code).where(Division.level == "village")))
        towns = set(s.scalars(select(Division.code).where(Division.level == "town")))
    assert len(top) == 24 and len(villages) == 160 and len(towns) == 17
    assert {c.dispute_type_code for c in cases} == top
    for c in cases:
        assert c.dispute_subtype == "" or (c.dispute_type_code, c.dispute_subtype) in subs
        assert c.title and c.facts and c.claims and len(c.title) <= 100
    assert villages | towns <= {c.division_code for c in cases}
    assert len({c.title for c in cases}) > CASES * 0.9  # varied texts


def _history(desk: Desk) -> dict[object, list[CaseEvent]]:
    """Each case's events, in time order."""
    out: dict[object, list[CaseEvent]] = {}
    for e in sorted(_all(desk, CaseEvent), key=lambda e: e.at):
        out.setdefault(e.case_id, []).append(e)
    return out


def test_every_history_leads_to_the_case_status_in_time_order(demo: Demo) -> None:
    """The workflow's events chain from 待研判 to the status, between reception and ANCHOR;
    each workflow step is one transition op on the case from the step's status, as real
    work makes them."""
    history = _history(demo.desk)
    with demo.desk.db.read() as s:
        transitions: dict[object, list[str]] = {}
        for op in s.scalars(
            select(Outbox)
            .where(Outbox.entity == "cases", Outbox.kind == "transition")
            .order_by(Outbox.seq)
        ):
            transitions.setdefault(op.entity_id, []).append(op.base["status"])
    for case in _all(demo.desk, Case):
        events = history[case.id]
        assert events[0].kind == "registered", case.case_no
        assert case.received_at <= events[0].at and events[-1].at <= demo_module.ANCHOR
        status = "pending_triage"
        steps = []
        for e in events:
            if "action" in e.data:
                assert e.data["from"] == status, (case.case_no, e.kind, e.data)
                steps.append(status)
                status = e.data.get("to", status)
        assert status == case.status, (case.case_no, [e.kind for e in events])
        assert transitions.get(case.id, []) == steps, case.case_no
        if case.voided_at is not None:
            assert [e.kind for e in events] == ["registered", "voided"]
        # The current step's clock, as the workflow stored it.
        if case.status in ("escalated", "visited", "archived"):
            assert case.step == "" and case.due_at is None
        else:
            assert case.step and case.due_at is not None and case.warn_at is not None
            assert case.step_started_at is not None and case.step_started_at <= case.due_at
        if case.status == "pending_triage" and case.triaged_at is None:
            assert case.step in ("triage", "retriage")


def test_the_lifecycle_has_the_variety_of_a_real_center(demo: Demo) -> None:
    cases = _all(demo.desk, Case)
    events = _all(demo.desk, CaseEvent)
    kinds = Counter(e.kind for e in events)
    statuses = Counter(c.status for c in cases)
    done = statuses["closed"] + statuses["visited"] + statuses["archived"]
    assert done > 0.8 * CASES
    for status in ("pending_triage", "dispatched", "signed", "in_progress", "fed_back"):
        assert 0 < statuses[status] < 0.08 * CASES, statuses
    assert 0 < statuses["escalated"] < 0.04 * CASES
    # 退单 (about 5 % of routed cases), 上报 and 上级交回, pauses for the citizen or an
    # appraisal (medical track only) and resumes, extensions, 退回重办.
    dispatched = kinds["dispatch"] - kinds["return"]
    assert 0 < kinds["return"] < 0.12 * dispatched
    assert kinds["escalate"] > statuses["escalated"] and kinds["send_back"] > 0
    assert kinds["pause"] > 0 and kinds["resume"] > 0 and kinds["rework"] > 0
    by_id = {c.id: c for c in cases}
    for e in events:
        if e.kind == "pause" and e.data["reason"] == "appraisal":
            assert by_id[e.case_id].track == "medical"
        if e.kind == "extend":
            track = by_id[e.case_id].track
            assert track in ("mediation", "petition")
            assert e.data["parties_consent"] == (track == "mediation")
    assert any(e.kind == "extend" for e in events)
    outcomes = Counter((c.outcome, c.referral) for c in cases)
    assert outcomes[("failed", "litigation")] and outcomes[("terminated", "")]
    assert sum(n for (o, _), n in outcomes.items() if o == "upper")
    # 联合调解: units summoned, confirmed, the meeting held; now and then a unit stays away.
    with demo.desk.db.read() as s:
        meetings = list(s.scalars(select(JointMediation)))
        summoned = list(s.scalars(select(JointMediationUnit)))
        returned = list(s.scalars(select(Assignment).where(Assignment.returned_at.is_not(None))))
    assert meetings and all(m.state == "held" and m.held_at > m.scheduled_at for m in meetings)
    assert 0 < sum(u.attended is False for u in summoned) < len(meetings)
    assert all(u.absence_reason for u in summoned if u.attended is False)
    assert len(returned) >= kinds["return"] and all(r.return_reason for r in returned)


def test_slow_units_are_urged_and_supervised_up_the_ladder(demo: Demo) -> None:
    """催办 and 督办 (now and then a heavier rung) through `services.supervision`: against a
    unit the case is dispatched to, after the dispatch and before the case closes, each
    answer after its rung; most answered, some open ones waiting."""
    rows = _all(demo.desk, Supervision)
    cases = {c.id: c for c in _all(demo.desk, Case)}
    dispatches = [a for a in _all(demo.desk, Assignment) if a.voided_at is None]
    levels = Counter(r.level for r in rows)
    assert levels["urge"] > 0 and levels["supervise"] > 0
    assert set(levels) <= set(supervision.LEVELS)
    answered = [r for r in rows if r.responded_at is not None]
    assert demo.summary.supervisions == len(rows)
    assert demo.summary.supervisions_answered == len(answered)
    assert 0.5 * len(rows) < len(answered) < len(rows)
    with_unit = [c for c in cases.values() if c.lead_unit_code]
    supervised = {r.case_id for r in rows}
    assert 0.05 * len(with_unit) < len(supervised) < 0.25 * len(with_unit)
    for r in rows:
        case = cases[r.case_id]
        # The unit held the case when the rung was raised (dispatched, not yet returned).
        assert any(
            a.case_id == r.case_id and a.unit_code == r.unit_code and a.dispatched_at < r.at
            and (a.returned_at is None or a.returned_at > r.at)
            for a in dispatches
        ), (case.case_no, r.level, r.unit_code)  # fmt: skip
        assert r.message and r.by and r.respond_by is not None and r.respond_by > r.at
        assert r.at <= demo_module.ANCHOR and r.voided_at is None
        if case.closed_at is not None:
            assert r.at <= case.closed_at, case.case_no
        if r.responded_at is not None:
            assert r.at < r.responded_at <= demo_module.ANCHOR, case.case_no
            assert r.response and r.responded_by and r.response_on_behalf
            if case.closed_at is not None:
                assert r.responded_at <= case.closed_at, case.case_no
        # The ladder: 督办 after a 催办 of the same unit, the heavier rungs after a 督办.
        needs = supervision.REQUIRES[r.level]
        if needs is not None:
            assert any(
                o.case_id == r.case_id and o.unit_code == r.unit_code and o.level == needs
                and o.at < r.at
                for o in rows
            ), (case.case_no, r.level)  # fmt: skip
    assert any(r.responded_at is None and cases[r.case_id].closed_at is None for r in rows)
    # Made by the real commands: a create op and a history event per rung, an event per answer.
    events = Counter(e.kind for e in _all(demo.desk, CaseEvent))
    assert events["supervision"] == len(rows)
    assert events["supervision_response"] == len(answered)
    with demo.desk.db.read() as s:
        creates = set(
            s.scalars(
                select(Outbox.entity_id).where(
                    Outbox.entity == "supervisions", Outbox.kind == "create"
                )
            )
        )
    assert creates == {r.id for r in rows}


def test_some_open_cases_are_on_time_or_near_due_at_the_demo_end(demo: Demo) -> None:
    """Against ANCHOR (the demo's "today") open cases are on time, near due or overdue."""
    end = demo_module.ANCHOR
    with demo.desk.db.read() as s:
        counts = warnings.counts(s, end)
    done = ("closed", "visited", "archived")
    open_cases = [c for c in _all(demo.desk, Case) if c.status not in done]
    on_time = [c for c in open_cases if c.due_at is not None and c.due_at > end]
    assert counts["near_due"] > 0 and counts["overdue"] > 0
    assert len(on_time) > counts["near_due"]
    # The newest cases are open ones.
    newest = sorted(_all(demo.desk, Case), key=lambda c: c.received_at)[-5:]
    assert all(c.status not in ("visited", "archived") for c in newest)


def test_flags_are_consistent(demo: Demo) -> None:
    cases = _all(demo.desk, Case)
    parties = _all(demo.desk, Party)
    by_case: dict[object, list[Party]] = {}
    for p in parties:
        by_case.setdefault(p.case_id, []).append(p)
    assert any(c.group_matter for c in cases) and any(c.police_risk for c in cases)
    assert any(c.urgent for c in cases)
    for c in cases:
        reps = [p for p in by_case[c.id] if p.is_representative]
        if c.group_matter:
            assert 5 <= c.visitor_count <= 30
        # Representatives are chosen by a group that came to the window, and only then.
        assert (1 <= len(reps) <= 5) if c.group_visit else not reps
        if c.police_risk:
            assert c.police_reported_to.endswith("派出所") and c.police_reported_at is not None
        assert c.foreign_related == any(
            p.id_type in ("passport", "border_pass") for p in by_case[c.id]
        )
        assert any(p.role == "applicant" for p in by_case[c.id])


def test_every_case_passes_the_checks_a_correction_makes(demo: Demo) -> None:
    """Staff can correct any demo case without first repairing what the demo wrote."""
    live = [c for c in _all(demo.desk, Case) if c.voided_at is None]
    with demo.desk.db.read() as s:
        for case in live:
            data = cases_service.load_input(demo.desk.db, case.id)
            _data, errors = cases_service.validate(
                s, data, registered_at=case.received_at, case_id=case.id,
                repeat_of_before=case.repeat_of_id,
            )  # fmt: skip
            assert errors == {}, (case.case_no, errors)


def test_attachment_files_are_content_addressed_pngs(demo: Demo) -> None:
    rows = _all(demo.desk, Attachment)
    assert rows
    for row in rows:
        path = demo.desk.dirs.attachments / row.sha256[:2] / row.sha256
        content = path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == row.sha256
        assert row.size == len(content) and row.mime_type == "image/png"
        assert row.category == "photo" and row.filename.endswith(".png")
        _check_png(content, 64, 48)


def _check_png(content: bytes, width: int, height: int) -> None:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(content):
        (length,) = struct.unpack(">I", content[pos : pos + 4])
        kind = content[pos + 4 : pos + 8]
        data = content[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", content[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + data)
        chunks.append((kind, data))
        pos += 12 + length
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", chunks[0][1]) == (width, height, 8, 2, 0, 0, 0)
    assert len(zlib.decompress(chunks[1][1])) == height * (1 + width * 3)


def test_make_png_draws_what_it_is_told() -> None:
    png = make_png(3, 2, lambda x, y: (x * 100, y * 200, 7))
    _check_png(png, 3, 2)
    raw = zlib.decompress(png[8 + 12 + 13 + 8 :].split(b"IEND")[0][:-8])
    assert raw == bytes([0, 0, 0, 7, 100, 0, 7, 200, 0, 7, 0, 0, 200, 7, 100, 200, 7, 200, 200, 7])


def test_cases_are_numbered_registered_and_logged_like_real_work(demo: Demo) -> None:
    cases = _all(demo.desk, Case)
    events = _all(demo.desk, CaseEvent)
    with demo.desk.db.read() as s:
        ops = list(s.scalars(select(Outbox).order_by(Outbox.seq)))
        clerk = s.scalars(select(User).where(User.username == "clerk1")).one()
    assert all("D03" in c.case_no and c.case_no.startswith("景综〔") for c in cases)
    assert len({c.case_no for c in cases}) == CASES
    # numbered in the order received, per year of reception
    ordered = sorted(cases, key=lambda c: c.received_at)
    for year in {c.case_no[3:7] for c in cases}:
        numbers = [c.case_no for c in ordered if c.case_no[3:7] == year]
        assert numbers == sorted(numbers)
    assert all(c.clerk_id == clerk.id and c.registered_by == "clerk1" for c in cases)
    assert all(c.origin_desk == "D03" for c in cases)

    registered = Counter(e.case_id for e in events if e.kind == "registered")
    assert registered == Counter({c.id: 1 for c in cases})
    creates = {op.entity_id: op for op in ops if op.entity == "cases" and op.kind == "create"}
    assert set(creates) == {c.id for c in cases}
    assert all(creates[c.id].payload["case_no"] == c.case_no for c in cases)
    appends = {op.entity_id for op in ops if op.entity == "case_events" and op.kind == "append"}
    assert appends == {e.id for e in events}
    party_ops = {op.entity_id for op in ops if op.entity == "parties" and op.kind == "create"}
    assert party_ops == {p.id for p in _all(demo.desk, Party)}
    attachment_ops = {op.entity_id for op in ops if op.entity == "attachments"}
    assert attachment_ops == {a.id for a in _all(demo.desk, Attachment)}
    assert all(op.state == "pending" for op in ops)
    # Corrections are patches with their before-values, voids are void ops, as at the window.
    for event in (e for e in events if e.kind == "corrected"):
        ((name, (before, after)),) = event.data["changes"].items()
        patch = [
            op for op in ops
            if op.entity_id == event.case_id and op.kind == "patch" and set(op.payload) == {name}
        ]  # fmt: skip
        assert patch and patch[-1].payload == {name: after} and patch[-1].base == {name: before}
    voided = {c.id for c in cases if c.voided_at is not None}
    assert voided == {op.entity_id for op in ops if op.entity == "cases" and op.kind == "void"}
    enquiry_ops = {op.entity_id for op in ops if op.entity == "enquiries" and op.kind == "create"}
    assert enquiry_ops == {e.id for e in _all(demo.desk, Enquiry)}


def _fingerprint(desk: Desk) -> list[tuple[str, ...]]:
    with desk.db.read() as s:
        cases = list(s.scalars(select(Case).order_by(Case.case_no)))
        first = {p.case_id: p for p in s.scalars(select(Party).where(Party.sort_order == 0))}
        history: dict[object, list[str]] = {}
        for e in s.scalars(select(CaseEvent).order_by(CaseEvent.at, CaseEvent.kind)):
            history.setdefault(e.case_id, []).append(f"{e.kind}@{e.at.isoformat()}")
    return [
        (
            c.case_no,
            c.title,
            first[c.id].name,
            first[c.id].id_number,
            c.division_code,
            c.dispute_type_code,
            c.channel,
            c.status,
            c.lead_unit_code,
            str(c.due_at),
            " ".join(history[c.id]),
        )
        for c in cases
    ]


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the demo accounts' hashing is not what is tested here."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


def test_the_same_seed_gives_the_same_data(tmp_path: Path, quick_passwords: None) -> None:
    one, two = ensure_demo_desk(tmp_path / "one"), ensure_demo_desk(tmp_path / "two")
    try:
        generate(one, 60, seed=11)
        generate(two, 60, seed=11)
        first, second = _fingerprint(one), _fingerprint(two)
        assert first == second and len(first) == 60
        assert all("D01" in row[0] for row in first)
        generate(two, 60, seed=12)  # continues the numbering; everything else differs
        other = _fingerprint(two)[60:]
        assert len(other) == 60
        assert [row[1:] for row in other] != [row[1:] for row in first]
        assert sum(a[1] == b[1] for a, b in zip(first, other, strict=True)) < 10
    finally:
        one.close()
        two.close()


def test_ensure_demo_desk_sets_up_the_documented_center(
    tmp_path: Path, quick_passwords: None
) -> None:
    desk = ensure_demo_desk(tmp_path / "demo")
    try:
        info = desk.identity
        assert (info.center_name, info.short_name, info.desk_code) == (
            "景洪市综治中心",
            "景综",
            "D01",
        )
        found = {u.username: u for u in users.list_users(desk.db)}
        assert set(found) == set(DEMO_ACCOUNTS) == {"admin", "clerk1", "officer1", "mediator1"}
        for name, account in DEMO_ACCOUNTS.items():
            assert found[name].full_name == account.full_name
            assert found[name].roles == account.roles
            assert users.login(desk.db, name, account.password).username == name
        assert found["clerk1"].full_name == "玉香"
        assert generate(desk, 0, seed=1).cases == 0
        # weekday cases are registered by clerk1, weekend ones by officer1
        generate(desk, 40, seed=3)
        with desk.db.read() as s:
            by = Counter(s.scalars(select(Case.registered_by)))
            actors = {(e.kind, e.actor) for e in s.scalars(select(CaseEvent))}
        assert set(by) == {"clerk1", "officer1"} and by["clerk1"] > by["officer1"]
        # Later steps by the demo officer; the units' steps recorded for them by the mediator.
        assert {a for k, a in actors if k in ("triage", "dispatch", "close")} == {"officer1"}
        assert {a for k, a in actors if k in ("sign", "start", "feedback")} == {"mediator1"}
        assert {a for _, a in actors} <= {"clerk1", "officer1", "mediator1"}
    finally:
        desk.close()
    again = ensure_demo_desk(tmp_path / "demo")  # initialised: opened as it is
    try:
        assert len(users.list_users(again.db)) == len(DEMO_ACCOUNTS)
        assert again.identity.desk_code == "D01"
    finally:
        again.close()


def test_every_dispute_text_fits_the_reference_data(demo: Demo) -> None:
    """Sub-type keys match dispute_types.json and every template fills without error."""
    with demo.desk.db.read() as s:
        rows = list(s.scalars(select(DisputeType)))
    subtypes: dict[str, set[str]] = {}
    for row in rows:
        if row.parent_code is not None:
            subtypes.setdefault(row.parent_code, set()).add(row.name)
        else:
            subtypes.setdefault(row.code, set())
    assert set(demo_module._T) == set(subtypes)
    values = dict.fromkeys(("a", "b", "v", "t", "p", "amt", "n", "d", "k", "issue", "g"), "x")
    values["police"] = "x"
    for code, texts in demo_module._T.items():
        assert set(texts.issues) == subtypes[code], code
        for mapping in (texts.sub_facts, texts.sub_claims, texts.sub_org):
            assert set(mapping) <= subtypes[code], code
        templates = [*texts.facts, *texts.claims]
        for group in (*texts.sub_facts.values(), *texts.sub_claims.values()):
            templates.extend(group)
        for template in templates:
            template.format(**values)
        for kind, _share in [(texts.org, 0.0), *texts.sub_org.values()]:
            assert kind == "" or kind in demo_module._ORGS


def test_some_people_come_back_and_some_visits_are_marked_as_repeats(
    tmp_path: Path, quick_passwords: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk_app.services import repeats

    # Registrations only: the later steps of 2000 cases are slow and not what is tested here.
    waiting = {"pending_triage": demo_module.LIFECYCLE["pending_triage"]}
    monkeypatch.setattr(demo_module, "LIFECYCLE", waiting)
    desk = ensure_demo_desk(tmp_path / "demo")
    try:
        summary = generate(desk, 2000, seed=3)
        with desk.db.read() as s:
            cases = {c.id: c for c in s.scalars(select(Case))}
            first = {p.case_id: p for p in s.scalars(select(Party).where(Party.sort_order == 0))}
            respondents = {
                p.case_id: p for p in s.scalars(select(Party).where(Party.role == "respondent"))
            }
            creates = {
                op.entity_id: op.payload
                for op in s.scalars(
                    select(Outbox).where(Outbox.entity == "cases", Outbox.kind == "create")
                )
            }
    finally:
        desk.close()
    marked = [c for c in cases.values() if c.repeat_of_id is not None]
    assert summary.repeat_marked == len(marked) > 10
    assert summary.repeat_visitors > summary.repeat_marked
    assert summary.repeat_visitors < 0.15 * summary.cases
    for case in marked:
        earlier = cases[case.repeat_of_id]
        assert earlier.received_at <= case.received_at
        assert (earlier.division_code, earlier.dispute_type_code) == (
            case.division_code,
            case.dispute_type_code,
        )
        before, now = first[earlier.id], first[case.id]
        assert (now.name, now.phone) == (before.name, before.phone)
        assert now.id_number in ("", before.id_number)
        assert respondents[case.id].name == respondents[earlier.id].name
        assert creates[case.id]["repeat_of_id"] == str(earlier.id)  # syncs as any field
    # Some come without their ID card: found by phone (and name in the village) only.
    without_id = [
        c for c in marked if not first[c.id].id_number and cases[c.repeat_of_id].voided_at is None
    ]
    assert without_id
    case = without_id[0]
    applicant = first[case.id]
    query = repeats.RepeatQuery(
        (repeats.Person(applicant.name, "", applicant.phone),), case.division_code, case.id
    )
    desk = open_desk(tmp_path / "demo")
    try:
        found = repeats.find_earlier(desk.db, query)
    finally:
        desk.close()
    match = next(r for r in found if r.id == case.repeat_of_id)
    assert set(match.kinds) >= {"phone", "name"}
