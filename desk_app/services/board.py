"""The routing board (分流看板): every open case as a card, in columns, most urgent first.

The board is a model over SQL: `snapshot` reads, for a filter and a grouping (by
stage, lead unit or level), only each column's case row ids in order of urgency
and the columns' counts; the cards' fields are read by `fetch` for the rows a
view is about to show (the first rows of each column come with the snapshot).
Both run on the session's own sqlite3 connection (no ORM objects): 50,000 open
cases give a snapshot in about a tenth of a second, most of it SQLite reading
each open case's row (an index covering the clock columns would spare that).
A card's supervision mark is `supervision.latest_levels` (the highest rung).

Urgency: overdue first (the most overdue first), then the least time left, then
cases with no running clock (paused, or a status without a step deadline),
oldest first. The warning of a card and the deadline it counts down to are
computed from the stored clock columns at the snapshot's `now`, with exactly
the conditions of `services.warnings` (same columns, same comparisons).

Moves: dragging a card to another stage is a workflow action, derived from
`workflow.ACTIONS` (an action with a target status is a move from each of its
sources to that target). `plan_move` says which dialogs a move opens, in order,
or why it is refused, in Chinese. Dispatch (交办) needs triage (研判) first: a
case not yet triaged that is dropped on 已交办 opens the triage dialog and then
the dispatch dialog (the officer meant to route it; refusing would only send
them to look for the triage action first). A case triaged as one for the upper
center is refused: it goes to 已上报, not to a unit.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from desk_app.models.case import BOARD_URGENCY_SQL
from desk_app.models.db import Database
from desk_app.services import supervision
from desk_app.services.cases import STATUSES
from desk_app.services.numbering import SHANGHAI
from desk_app.services.roles import ROLE_LABELS, Actor, Role
from desk_app.services.workflow import ACTIONS, OPEN_STATUSES, WITH_UNIT, available, may

#: The board's stages: the open statuses, in the order of the lifecycle.
STAGES: tuple[str, ...] = tuple(s for s in STATUSES if s in OPEN_STATUSES)
#: How cards can be grouped into columns.
MODES = ("stage", "unit", "level")
#: The levels in column order; "" is a case not triaged yet.
LEVEL_ORDER = ("", "village", "town", "city", "upper")
#: Filter values: cases not triaged yet (level); any warning, no warning (warning).
NO_LEVEL = "-"
ANY_WARNING = "any"
NO_WARNING = "none"
#: Cards read with a snapshot at the top of each column (one shows 8 to 13 at a time).
PREFETCH = 24


def _moves() -> dict[tuple[str, str], str]:
    moves: dict[tuple[str, str], str] = {}
    for name, action in ACTIONS.items():
        if action.target is None:
            continue
        for source in action.sources:
            key = (source, action.target)
            assert key not in moves, f"two actions move {key}: {moves.get(key)} and {name}"
            moves[key] = name
    return moves


#: (from status, to status) -> the workflow action that makes the move.
MOVES: dict[tuple[str, str], str] = _moves()


class Card(NamedTuple):
    """One open case as a card shows it (a tuple: they are read by the hundred).

    Times are POSIX seconds (UTC). `deadline` is the one the card counts down to: the
    feedback deadline when feedback is late (逾期未反馈), otherwise the step's; None when
    no step clock runs. A paused clock keeps its deadline (`paused` says it stands still).
    """

    row: int  # the case's SQLite rowid: the board's handle on it within a snapshot
    id: str  # the case's UUID as 32 hex digits, as stored
    case_no: str
    title: str
    status: str
    step: str
    dispute_type: str
    division: str
    channel: str
    level: str
    lead_unit: str
    triaged: int  # 0/1: the routing decision is made (研判)
    received: float
    deadline: float | None
    paused: int  # 0/1
    kind: str  # "", or a kind of services.warnings.KINDS
    applicant: str  # the first applicant's name
    repeat: int  # 0/1: a repeat visit (重复来访)
    police_risk: int  # 0/1
    urgent: int  # 0/1
    group_matter: int  # 0/1
    supervision: str  # the highest supervision rung (services.supervision.LEVELS), or ""

    @property
    def case_id(self) -> uuid.UUID:
        return uuid.UUID(self.id)

    @property
    def township(self) -> str:
        return self.division[:9] + "000"


@dataclass(frozen=True)
class Names:
    """Names for codes, for columns, cards and filters (voided units too: old cases name them)."""

    #: unit code -> (full name, short name)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: top-level dispute type code -> name
    dispute_types: dict[str, str] = field(default_factory=dict)
    #: township-level division code -> name
    townships: dict[str, str] = field(default_factory=dict)
    #: unit codes in reference order (active units first)
    unit_order: tuple[str, ...] = ()

    def unit(self, code: str, short: bool = True) -> str:
        names = self.units.get(code)
        if names is None:
            return code
        return (names[1] or names[0]) if short else names[0]


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows; empty values do not filter."""

    #: The lead unit's code.
    unit: str = ""
    #: A level of `LEVEL_ORDER` other than "", or NO_LEVEL for cases not triaged yet.
    level: str = ""
    dispute_type: str = ""
    #: A township-level division code (12 digits ending in 000).
    township: str = ""
    channel: str = ""
    #: A kind of services.warnings.KINDS, ANY_WARNING or NO_WARNING.
    warning: str = ""
    #: Received on or after / on or before these dates (Asia/Shanghai).
    received_from: date | None = None
    received_to: date | None = None
    #: Part of the case number, the matter or an applicant's name.
    text: str = ""

    @property
    def active(self) -> bool:
        return self != BoardFilter()


@dataclass(frozen=True)
class Column:
    """One column: its key (a status, a unit code or a level; "" for none) and its cases."""

    key: str
    #: The cases' row ids, most urgent first.
    rows: list[int]
    #: How many of them are overdue (超期未办理 or 逾期未反馈).
    overdue: int


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    mode: str
    filter: BoardFilter
    columns: list[Column]
    #: Open cases in all, and how many the filter lets through.
    total: int
    shown: int
    #: The first cards of each column, by row id.
    cards: dict[int, Card]
    names: Names | None = None

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


# --- reading -----------------------------------------------------------------------------

_EPOCH_JD = 2440587.5  # julianday('1970-01-01')


def stored(at: datetime) -> str:
    """`at` as SQLAlchemy stores a UTC time in SQLite, so that strings compare as times."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: pass an aware time")
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under `session`, inside the session's transaction."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


@contextmanager
def _released_map(raw: sqlite3.Connection) -> Iterator[None]:
    """Read through SQLite's memory map (models.db sets one), then let go of the pages.

    A snapshot reads every open case's row, and cards are read from pages all over the
    file; mapped, each page touched (and on Linux the pages around it) would stay
    resident in the app: some 100 MB for 50,000 open cases, 30 MB for a screenful of
    cards. The operating system's cache keeps them all the same; the next read through
    the map finds them there.
    """
    try:
        yield
    finally:
        (size,) = raw.execute("PRAGMA mmap_size").fetchone()
        if size:  # a smaller size unmaps at once; the old one maps again when next read
            raw.execute("PRAGMA mmap_size=0")
            raw.execute(f"PRAGMA mmap_size={int(size)}")


_OPEN = ", ".join(f"'{s}'" for s in STAGES)
_WITH_UNIT = ", ".join(f"'{s}'" for s in sorted(WITH_UNIT))
_LIVE = f"c.status IN ({_OPEN}) AND c.voided_at IS NULL"
_LATE_FEEDBACK = (
    f"c.paused_at IS NULL AND c.status IN ({_WITH_UNIT}) "
    "AND c.feedback_due_at IS NOT NULL AND c.feedback_due_at < :now"
)
_RUNNING = "c.paused_at IS NULL AND c.step != '' AND c.due_at IS NOT NULL"
# The warning of a row: the conditions of services.warnings._conditions, in its order.
_KIND = f"""CASE
    WHEN {_LATE_FEEDBACK} THEN 'no_feedback'
    WHEN {_RUNNING} AND c.due_at < :now THEN 'overdue'
    WHEN {_RUNNING} AND c.warn_at <= :now AND c.due_at >= :now THEN 'near_due'
    ELSE '' END"""
_DEADLINE = f"""CASE
    WHEN {_LATE_FEEDBACK} THEN c.feedback_due_at
    WHEN c.step != '' THEN c.due_at END"""
# Urgency: running deadlines (overdue ones first, being earliest), then clocks that stand
# still (paused, or no step), by when the case came in; as `ix_cases_board` has it.
_ORDER = f"({BOARD_URGENCY_SQL})"
# The index of open cases in that order (it holds every column the snapshot reads). Named:
# a filter on a code would otherwise lead SQLite to that code's index over all the
# desk's cases, most of them closed, and a sort.
_BY_URGENCY = "INDEXED BY ix_cases_board"
_CARD = f"""
SELECT c.rowid, c.id, c.case_no, c.title, c.status, c.step, c.dispute_type_code,
       c.division_code, c.channel, c.level, c.lead_unit_code, c.triaged_at IS NOT NULL,
       (julianday(c.received_at) - {_EPOCH_JD}) * 86400.0,
       (julianday({_DEADLINE}) - {_EPOCH_JD}) * 86400.0,
       c.paused_at IS NOT NULL, {_KIND},
       coalesce((SELECT p.name FROM parties p
                 WHERE p.case_id = c.id AND p.role = 'applicant' AND p.voided_at IS NULL
                 ORDER BY p.sort_order LIMIT 1), ''),
       c.repeat_of_id IS NOT NULL, c.police_risk, c.urgent, c.group_matter
FROM cases c
"""
#: SQLite's smallest limit on bound parameters (older builds): fetch in chunks of it.
_CHUNK = 900


def _ordered(rows: list[int], due: list[str], late: list[tuple[str, int]]) -> list[int]:
    """A column's rows most urgent first: `rows` in the index's order (the overdue ones,
    whose deadlines `due` are, first), the late-feedback rows `late` placed among those
    by their feedback deadline."""
    if not late:
        return rows
    overdue = sorted([*zip(due, rows, strict=False), *late])  # two sorted runs: one merge
    return [row for _, row in overdue] + rows[len(due) :]


def _where(f: BoardFilter, params: dict[str, Any]) -> str:
    """The SQL conditions of a filter (its values put into `params`)."""
    out = [_LIVE]
    if f.unit:
        out.append("c.lead_unit_code = :unit")
        params["unit"] = f.unit
    if f.level:
        out.append("c.level = :level")
        params["level"] = "" if f.level == NO_LEVEL else f.level
    if f.dispute_type:
        out.append("c.dispute_type_code = :dispute_type")
        params["dispute_type"] = f.dispute_type
    if f.township:
        # A range on the division code (its index) rather than a substring of it.
        out.append("c.division_code >= :town_lo AND c.division_code < :town_hi")
        prefix = f.township[:9]
        params["town_lo"] = prefix
        params["town_hi"] = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if f.channel:
        out.append("c.channel = :channel")
        params["channel"] = f.channel
    if f.warning == ANY_WARNING:
        out.append(f"({_KIND}) != ''")
    elif f.warning == NO_WARNING:
        out.append(f"({_KIND}) = ''")
    elif f.warning:
        out.append(f"({_KIND}) = :kind")
        params["kind"] = f.warning
    if f.received_from is not None:
        out.append("c.received_at >= :received_from")
        params["received_from"] = stored(_day_start(f.received_from))
    if f.received_to is not None:
        out.append("c.received_at < :received_to")
        params["received_to"] = stored(_day_start(f.received_to + timedelta(days=1)))
    text = f.text.strip()
    if text:
        out.append(
            "(instr(c.case_no, :text) > 0 OR instr(c.title, :text) > 0 OR EXISTS ("
            "SELECT 1 FROM parties p WHERE p.case_id = c.id AND p.role = 'applicant' "
            "AND p.voided_at IS NULL AND instr(p.name, :text) > 0))"
        )
        params["text"] = text
    return " AND ".join(out)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), SHANGHAI)


def _cards(session: Session, rows: list[tuple[Any, ...]]) -> list[Card]:
    """Cards from rows of `_CARD`, with the highest supervision rung of each case."""
    levels = supervision.latest_levels(session, (uuid.UUID(r[1]) for r in rows))
    return [Card._make((*r, levels.get(uuid.UUID(r[1]), ""))) for r in rows]


def fetch(session: Session, now: datetime, rows: Iterable[int]) -> dict[int, Card]:
    """The cards of these case row ids at `now` (rows gone meanwhile are left out)."""
    raw = _sqlite(session)
    wanted = list(rows)
    out: dict[int, Card] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        # ?1 is `now` (used several times); the row ids follow it as ?2, ?3 …
        sql = _CARD.replace(":now", "?1") + f"WHERE c.rowid IN ({marks}) AND c.voided_at IS NULL"
        with _released_map(raw):
            rows = raw.execute(sql, [stored(now), *chunk]).fetchall()
        for card in _cards(session, rows):
            out[card.row] = card
    return out


def card_of(session: Session, now: datetime, case_id: uuid.UUID) -> Card | None:
    """One case's card (None when it is not open or not there)."""
    raw = _sqlite(session)
    with _released_map(raw):
        rows = raw.execute(
            _CARD + f"WHERE c.id = :id AND {_LIVE}", {"id": case_id.hex, "now": stored(now)}
        ).fetchall()
    return _cards(session, rows)[0] if rows else None


def names(session: Session) -> Names:
    """The names of units, dispute types and townships."""
    raw = _sqlite(session)
    units: dict[str, tuple[str, str]] = {}
    order: list[str] = []
    for code, name, short in raw.execute(
        "SELECT code, name, short_name FROM units "
        "ORDER BY voided_at IS NOT NULL, active = 0, sort_order, code"
    ):
        units[code] = (name, short or "")
        order.append(code)
    types = dict(
        raw.execute(
            "SELECT code, name FROM dispute_types WHERE parent_code IS NULL "
            "AND voided_at IS NULL ORDER BY sort_order, code"
        ).fetchall()
    )
    towns = dict(
        raw.execute(
            "SELECT code, name FROM divisions WHERE level = 'town' AND voided_at IS NULL "
            "ORDER BY sort_order, code"
        ).fetchall()
    )
    return Names(units, types, towns, tuple(order))


def group_keys(mode: str, counts: dict[str, int], names: Names | None = None) -> list[str]:
    """The columns of a mode, in order. Stages and levels always show all their columns;
    units show those with cases, the busiest first (cases with no unit yet leftmost)."""
    if mode == "stage":
        return list(STAGES)
    if mode == "level":
        return list(LEVEL_ORDER)
    if mode != "unit":
        raise ValueError(mode)
    rank = {code: i for i, code in enumerate(names.unit_order if names else ())}
    return sorted(counts, key=lambda u: (u != "", -counts[u], rank.get(u, len(rank)), u))


def _case(column: str, keys: Sequence[str]) -> str:
    """A CASE giving the position of `column`'s value in `keys` (0 when not among them)."""
    whens = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(keys))
    return f"CASE {column} {whens} ELSE 0 END"


# The column of a row: its position among the mode's fixed columns, or the unit's code.
_GROUP = {
    "stage": _case("c.status", STAGES),
    "level": _case("c.level", LEVEL_ORDER),
    "unit": "coalesce(c.lead_unit_code, '')",
}


def snapshot(
    session: Session,
    now: datetime,
    f: BoardFilter = BoardFilter(),
    mode: str = "stage",
    *,
    with_names: bool = False,
    prefetch: int = PREFETCH,
    prefetch_columns: int = 12,
) -> Snapshot:
    """The board at `now` for a filter and grouping: each column's cases in order of
    urgency, and the first `prefetch` cards of the first `prefetch_columns` columns."""
    if mode not in _GROUP:
        raise ValueError(mode)
    raw = _sqlite(session)
    params: dict[str, Any] = {"now": stored(now)}
    where = _where(f, params)
    # SQLite walks `ix_cases_board` in the order of the stored clocks' urgency (no sort,
    # no table read). Running deadlines before now are exactly the overdue ones
    # (超期未办理) and lead each column; they come with their deadline, to place the
    # cases whose feedback is late (逾期未反馈: by the feedback deadline, which depends
    # on `now`) among them. What crosses into Python is four strings, not 50,000 rows:
    # the sqlite3 module lets go of the interpreter lock for each row it steps to, and
    # while the GUI thread is busy (painting the page this snapshot is for) a row-by-row
    # read would wait for the lock 50,000 times (three to five times as long). The
    # strings list the rows in the order the subquery yields them: the named index's
    # (SQLite may drop a FROM subquery's ORDER BY under an aggregate, and the index then
    # leaves one order to read in; the tests check the order).
    with _released_map(raw):
        ids, keys_text, due_text, late_text = raw.execute(
            "SELECT group_concat(r), group_concat(g, char(31)), group_concat(d), "
            "group_concat(l) FROM ("
            f"SELECT c.rowid AS r, {_GROUP[mode]} AS g, "
            f"CASE WHEN {_ORDER} < :now THEN {_ORDER} ELSE '' END AS d, "
            f"CASE WHEN {_LATE_FEEDBACK} THEN c.feedback_due_at ELSE '' END AS l "
            f"FROM cases c {_BY_URGENCY} WHERE {where} ORDER BY {_ORDER})",
            params,
        ).fetchone()
    rows = list(map(int, ids.split(","))) if ids else []
    keys: list[Any] = keys_text.split("\x1f") if rows else []
    # Per column: the rows in the index's order, the deadlines of its overdue ones (they
    # lead it), and its late-feedback rows with their deadlines. Inline: 50,000 rows.
    if mode == "unit":
        groups: list[Any] = list(dict.fromkeys(keys))
        index_of: Any = {k: i for i, k in enumerate(groups)}.__getitem__
    else:
        groups = list(STAGES if mode == "stage" else LEVEL_ORDER)
        index_of = int
    ordered: list[list[int]] = [[] for _ in groups]
    dues: list[list[str]] = [[] for _ in groups]
    lates: list[list[tuple[str, int]]] = [[] for _ in groups]
    for row, key, due, late in zip(
        rows, keys, due_text.split(",") if rows else [], late_text.split(",") if rows else [],
        strict=True,
    ):  # fmt: skip
        i = index_of(key)
        if not late:
            ordered[i].append(row)
            if due:
                dues[i].append(due)
        else:
            lates[i].append((late, row))
    buckets = {
        key: (_ordered(ordered[i], dues[i], lates[i]), len(dues[i]) + len(lates[i]))
        for i, key in enumerate(groups)
    }
    late_counts = {k: n for k, (_, n) in buckets.items()}
    counts = {k: len(r) for k, (r, _) in buckets.items()}
    shown = sum(counts.values())
    total = shown
    if f.active:
        with _released_map(raw):
            total = raw.execute(
                f"SELECT count(*) FROM cases c {_BY_URGENCY} WHERE {_LIVE}"
            ).fetchone()[0]
    name_table = names(session) if with_names or mode == "unit" else None
    keys = group_keys(mode, counts, name_table)
    columns = [
        Column(k, buckets[k][0], late_counts[k]) if k in buckets else Column(k, [], 0) for k in keys
    ]
    first = [r for c in columns[:prefetch_columns] for r in c.rows[:prefetch]]
    cards = fetch(session, now, first) if first else {}
    return Snapshot(now, mode, f, columns, total, shown, cards, name_table if with_names else None)


def read_snapshot(
    db: Database,
    now: datetime,
    f: BoardFilter = BoardFilter(),
    mode: str = "stage",
    *,
    with_names: bool = False,
) -> Snapshot:
    """`snapshot` in a read session of its own (on a worker thread)."""
    with db.read() as s:
        return snapshot(s, now, f, mode, with_names=with_names)


# --- moves -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MovePlan:
    """The workflow actions a move takes, each with its dialog, in order; or why not."""

    actions: tuple[str, ...] = ()
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return bool(self.actions)


def moves_from(status: str) -> dict[str, str]:
    """The statuses on the board a card of `status` can be moved to, with their actions."""
    return {to: action for (src, to), action in MOVES.items() if src == status and to in STAGES}


def _roles(action: str) -> str:
    return "或".join(ROLE_LABELS[r] for r in sorted(ACTIONS[action].roles) if r != Role.ADMIN)


def plan_action(card: Card, action: str, actor: Actor) -> MovePlan:
    """The dialogs an action on a card opens (triage before a dispatch), or why it cannot."""
    spec = ACTIONS[action]
    if card.status not in spec.sources:
        return MovePlan(
            refusal=f"案件当前状态为“{STATUSES.get(card.status, card.status)}”，不能{spec.label}"
        )
    if not may(actor, action):
        return MovePlan(refusal=f"您的角色不能{spec.label}：需要{_roles(action)}角色")
    if action == "dispatch" and not (card.triaged and card.lead_unit):
        if card.triaged and card.level == "upper":
            return MovePlan(refusal="研判结论为上报上级中心，不能交办：请移到“已上报”（上报上级）")
        if not may(actor, "triage"):
            return MovePlan(refusal=f"该案件尚未研判，交办前须先研判：需要{_roles('triage')}角色")
        return MovePlan(("triage", "dispatch"))
    return MovePlan((action,))


def plan_move(card: Card, to_status: str, actor: Actor) -> MovePlan:
    """The dialogs that moving `card` to the column `to_status` opens, or why it cannot move."""
    if to_status == card.status:
        return MovePlan()
    here = STATUSES.get(card.status, card.status)
    there = STATUSES.get(to_status, to_status)
    action = MOVES.get((card.status, to_status))
    if action is None or to_status not in STAGES:
        options = moves_from(card.status)
        ways = "、".join(f"{STATUSES[to]}（{ACTIONS[a].label}）" for to, a in options.items())
        hint = f"“{here}”的案件可以移到：{ways}" if ways else f"“{here}”的案件在看板上不能移动"
        return MovePlan(refusal=f"不能把案件从“{here}”直接移到“{there}”。{hint}")
    return plan_action(card, action, actor)


def card_actions(card: Card, actor: Actor) -> list[str]:
    """The workflow actions open on a card to this actor (its context menu), in order."""
    return available(card.status, actor, paused=bool(card.paused))


__all__ = [
    "ANY_WARNING",
    "LEVEL_ORDER",
    "MODES",
    "MOVES",
    "NO_LEVEL",
    "NO_WARNING",
    "PREFETCH",
    "STAGES",
    "BoardFilter",
    "Card",
    "Column",
    "MovePlan",
    "Names",
    "Snapshot",
    "card_actions",
    "card_of",
    "fetch",
    "group_keys",
    "moves_from",
    "names",
    "plan_action",
    "plan_move",
    "read_snapshot",
    "snapshot",
    "stored",
]
