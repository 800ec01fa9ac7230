"""Competing lifecycle steps from two desks, both offline: each desk a separate process
for its sync, the full convergence check at the end."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from desk_app.services import workflow
from desk_app.services.roles import Actor, Role
from tests.faults.helpers import CITY, MENGLONG, FaultDesk, World, assert_converged, settle

TRIAGE = workflow.TriageInput(
    level="town", track="mediation", complexity="ordinary", unit_code="532801103-TWH",
    co_unit_codes=("532801103-SFS",), note="属地调处",
)  # fmt: skip
BEHALF = workflow.UnitStepInput(on_behalf=True)
RETURN = workflow.UnitStepInput(on_behalf=True, text="不属于本单位职责")


def act(desk: FaultDesk, case_id: uuid.UUID, action: str, data: Any) -> None:
    """A lifecycle step on this desk by its officer (one unit of work)."""
    officer = Actor(f"officer-{desk.code}", "研判员", frozenset({Role.OFFICER}), None)
    with desk.open() as opened, opened.uow(officer) as uow:
        workflow.RUNNERS[action](uow, case_id, data)


#: variant: (A's step, B's step, expected conflicts, the central status after both)
COMPETING = {
    # B's return finds the case signed: B's whole action (case fields, its dispatch rows'
    # return, its history event) is refused as one conflict.
    "sign_against_return": (
        ("sign", BEHALF), ("return", RETURN), [("D02", "cases", "transition", "status")],
        "signed",
    ),
    # Both record the same step: the same target is no conflict; who signed and when
    # differ and are field conflicts on the dispatch row.
    "the_same_sign": (
        ("sign", BEHALF), ("sign", BEHALF),
        [("D02", "assignments", "field", "signed_at"), ("D02", "assignments", "field",
                                                        "signed_by")],
        "signed",
    ),
    # An extension granted while the unit signed elsewhere: a step that keeps the status
    # still relies on it, so it is refused as a whole (its new deadlines would not fit
    # the clock the sign started).
    "extend_against_sign": (
        ("sign", BEHALF), ("extend", workflow.ExtendInput(days=10, reason="继续调解",
                                                          parties_consent=True)),
        [("D02", "cases", "transition", "status")], "signed",
    ),
}  # fmt: skip


@pytest.mark.parametrize("variant", list(COMPETING))
def test_two_desks_step_the_same_case(world: World, variant: str) -> None:
    center = world.center
    a = world.desk("D01", CITY)
    b = world.desk("D02", MENGLONG)
    (ref,) = a.register(1)
    act(a, ref.id, "triage", TRIAGE)
    act(a, ref.id, "dispatch", workflow.DispatchInput(asked="组织双方调解"))
    a.sync()
    b.sync()
    (mine, my_data), (theirs, their_data), conflicts, status = COMPETING[variant]
    act(a, ref.id, mine, my_data)
    act(b, ref.id, theirs, their_data)
    assert "冲突 0" in a.sync().stdout
    b.sync()
    settle([a, b], center)
    assert_converged(center, [a, b], conflicts, scenario=f"workflow: {variant}")
    assert center.scalar("SELECT status FROM cases WHERE id = :i", {"i": ref.id}) == status
    for desk in (a, b):
        with desk.read() as conn:
            local = conn.exec_driver_sql(
                "SELECT status FROM cases WHERE id = ?", (ref.id.hex,)
            ).scalar()
        assert local == status, (desk.code, local)
