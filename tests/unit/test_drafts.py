"""Drafts: kept per user and form, replaced on each save, never synced, and deleted in the
same transaction as the registration that completes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desk_app.models import Draft, Outbox
from desk_app.services import cases, drafts, enquiries
from desk_app.services.desk import Desk
from desk_app.services.enquiries import EnquiryInput
from desk_app.services.errors import DeskError
from desk_app.services.roles import Actor
from tests.conftest import sample_case


def outbox_count(desk: Desk) -> int:
    with desk.db.read() as s:
        return s.scalar(select(func.count()).select_from(Outbox)) or 0


def test_a_draft_is_kept_per_user_and_form_and_replaced_by_the_next_save(
    desk: Desk, clerk: Actor, admin: Actor
) -> None:
    ops = outbox_count(desk)
    at = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    drafts.save(desk.db, clerk.user_id, "intake", {"title": "宅基地", "parties": []}, now=at)
    drafts.save(
        desk.db,
        clerk.user_id,
        "intake",
        {"title": "宅基地边界争议", "parties": [{"name": "玉香"}]},
        now=at + timedelta(seconds=2),
    )
    drafts.save(desk.db, clerk.user_id, "enquiry", {"visitor_name": "岩温"})
    kept = drafts.load(desk.db, clerk.user_id, "intake")
    assert kept is not None
    assert kept.payload == {"title": "宅基地边界争议", "parties": [{"name": "玉香"}]}
    assert kept.updated_at == at + timedelta(seconds=2)
    other = drafts.load(desk.db, clerk.user_id, "enquiry")
    assert other is not None and other.payload == {"visitor_name": "岩温"}
    # Only the user who typed it gets it back.
    assert drafts.load(desk.db, admin.user_id, "intake") is None
    with desk.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 2
    # Drafts never sync: no outbox op for any of it.
    drafts.discard(desk.db, clerk.user_id, "enquiry")
    assert drafts.load(desk.db, clerk.user_id, "enquiry") is None
    assert outbox_count(desk) == ops


def test_the_system_account_keeps_no_drafts_and_unknown_forms_are_refused(desk: Desk) -> None:
    drafts.save(desk.db, None, "intake", {"title": "x"})
    assert drafts.load(desk.db, None, "intake") is None
    drafts.discard(desk.db, None, "intake")
    with pytest.raises(ValueError, match="unknown draft form"):
        drafts.save(desk.db, uuid.uuid4(), "nonsense", {})


def test_an_oversized_snapshot_is_refused(desk: Desk, clerk: Actor) -> None:
    with pytest.raises(DeskError, match="草稿过大"):
        drafts.save(desk.db, clerk.user_id, "intake", {"facts": "字" * 800_000})
    assert drafts.load(desk.db, clerk.user_id, "intake") is None


def test_registering_the_case_deletes_its_draft_in_the_same_transaction(
    desk: Desk, clerk: Actor, admin: Actor
) -> None:
    drafts.save(desk.db, clerk.user_id, "intake", {"title": "宅基地边界争议"})
    drafts.save(desk.db, admin.user_id, "intake", {"title": "别人的草稿"})
    cases.register_case(desk, clerk, sample_case(), draft="intake")
    assert drafts.load(desk.db, clerk.user_id, "intake") is None
    assert drafts.load(desk.db, admin.user_id, "intake") is not None


def test_a_refused_registration_keeps_the_draft(desk: Desk, clerk: Actor) -> None:
    from dataclasses import replace

    from desk_app.services.errors import ValidationError

    drafts.save(desk.db, clerk.user_id, "intake", {"title": ""})
    with pytest.raises(ValidationError):
        cases.register_case(desk, clerk, replace(sample_case(), title=""), draft="intake")
    assert drafts.load(desk.db, clerk.user_id, "intake") is not None


def test_enquiries_and_conversions_delete_their_drafts(desk: Desk, clerk: Actor) -> None:
    drafts.save(desk.db, clerk.user_id, "enquiry", {"visitor_name": "岩温"})
    enquiry_id = enquiries.register_enquiry(
        desk,
        clerk,
        EnquiryInput(visitor_name="岩温", question="工资被拖欠怎么办？", answer="可申请仲裁。"),
        draft="enquiry",
    )
    assert drafts.load(desk.db, clerk.user_id, "enquiry") is None
    drafts.save(desk.db, clerk.user_id, "intake", {"title": "欠薪"})
    enquiries.convert_to_case(desk, clerk, enquiry_id, sample_case("欠薪"), draft="intake")
    assert drafts.load(desk.db, clerk.user_id, "intake") is None
