"""Intake (登记受理): the reception form, its party editors, and correct/void dialogs."""

from desk_app.views.intake.dialogs import CorrectionDialog, VoidDialog
from desk_app.views.intake.form import IntakeForm
from desk_app.views.intake.party import PartyEditor

__all__ = ["CorrectionDialog", "IntakeForm", "PartyEditor", "VoidDialog"]
