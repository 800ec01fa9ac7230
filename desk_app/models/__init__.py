"""SQLAlchemy 2 models, engines and migrations. No Qt here."""

from desk_app.models.base import Base, SyncedRow, new_id, reference_id, utcnow
from desk_app.models.case import Attachment, Case, CaseEvent, Enquiry, Party
from desk_app.models.draft import Draft
from desk_app.models.reference import DisputeType, Division, Unit
from desk_app.models.routing import (
    Assignment,
    DeadlineRule,
    HolidayYear,
    JointMediation,
    JointMediationUnit,
    Supervision,
)
from desk_app.models.sync import DeskCounter, DeskIdentity, Outbox, SyncConflict, SyncState
from desk_app.models.user import User

__all__ = [
    "Assignment",
    "Attachment",
    "Base",
    "Case",
    "CaseEvent",
    "DeadlineRule",
    "DeskCounter",
    "DeskIdentity",
    "DisputeType",
    "Division",
    "Draft",
    "Enquiry",
    "HolidayYear",
    "JointMediation",
    "JointMediationUnit",
    "Outbox",
    "Party",
    "Supervision",
    "SyncConflict",
    "SyncState",
    "SyncedRow",
    "Unit",
    "User",
    "new_id",
    "reference_id",
    "utcnow",
]
