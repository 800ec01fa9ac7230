"""Named points where the fault-injection tests kill the sync process (SIGKILL).

`DESK_APP_FAULT=push.after_central_commit` (optionally `:N`, the N-th time the point
is reached) makes the process kill itself there, as a power cut would. Unset, a
point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "DESK_APP_FAULT"
POINTS = (
    "push.before_send",  # ops read from the outbox, nothing sent
    "push.after_central_commit",  # the center committed the batch; the desk has not recorded it
    "push.before_local_commit",  # results being recorded, the SQLite transaction still open
    "pull.mid_page",  # half a page written locally, its transaction still open
    "pull.after_page",  # a page and its cursor committed
)

_target: tuple[str, int] | None = None
_seen: dict[str, int] = {}


def _parse() -> tuple[str, int] | None:
    value = os.environ.get(ENV, "")
    if not value:
        return None
    name, _, nth = value.partition(":")
    if name not in POINTS:
        raise ValueError(f"{ENV}: unknown point {name!r}; known: {', '.join(POINTS)}")
    return name, int(nth or 1)


def point(name: str) -> None:
    """Die here if the tests asked for it (the N-th time this point is reached)."""
    global _target
    if _target is None:
        _target = _parse() or ("", 0)
    if _target[0] != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] == _target[1]:
        os.kill(os.getpid(), signal.SIGKILL)
