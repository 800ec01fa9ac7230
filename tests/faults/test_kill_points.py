"""SIGKILL of `desk-app sync --once` at each named point, then a clean rerun: convergence.

Each point is hit the 2nd time it is reached (fixed seeds), so the kill lands
mid-stream: after one push batch or pull page went through, before the rest.
tools/fault_soak.py runs the same scenario with random points, random N and chains
of kills.
"""

from __future__ import annotations

import pytest

from tests.faults.helpers import KILL_POINTS, World, kill_point_scenario

SEED = 20261227


@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_at_point_then_rerun_converges(world: World, point: str) -> None:
    outcome = kill_point_scenario(world, point, nth=2, seed=SEED)
    assert outcome.killed, f"the sync process was not killed at {point}:2"
    assert not outcome.problems, f"kill at {point}:2 broke convergence:\n- " + "\n- ".join(
        outcome.problems
    )
