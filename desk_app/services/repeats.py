"""Repeat visitors (重复来访): earlier cases of the people on an intake form.

While the clerk types, the form asks `find_earlier` for cases in which one of
its parties appeared before: the same ID number (exact, in its stored form), the
same phone, or the same name in the same village (the new case's place, its
12-digit division code). Names alone are too common to mean the same person
(the commonest Dai names have 2,000 parties each on 200,000 cases), so a name
only counts with the place.

Each kind of key is one statement on its index (ix_parties_id_number,
ix_parties_phone, ix_parties_name; the name query filters on
cases.division_code), at most `limit` newest cases each; only for the cases
kept are the type and place names read. The work grows with the matches,
never with the number of cases. Voided cases and parties removed by a
correction do not count; the case being corrected is left out.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.engine import Connection

from desk_app.models import Case, DisputeType, Division, Party
from desk_app.models.db import Database
from desk_app.services.cases import STATUSES
from desk_app.services.identity import normalise_id, normalise_phone
from desk_app.services.numbering import SHANGHAI
from desk_app.services.search import (
    LOCAL_AREA_CODE,
    _fold,
    _name_forms,
    _place,
    _resident_forms,
    shanghai_today,
)

#: What matched, strongest first: an ID number names one person; a phone is usually one
#: household's; a name in a village may be a namesake.
KINDS = ("id_number", "phone", "name")
#: Cases listed at most (the newest of each kind, strongest first).
DEFAULT_LIMIT = 20
#: Parties of a form that are looked up at most (a group visit lists up to dozens).
MAX_PEOPLE = 12

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-\d{7,8}$")
#: A local landline without its area code (none starts with 0 or 1: that is a mobile being typed).
_LOCAL_NUMBER_RE = re.compile(r"^[2-9]\d{6,7}$")
_VILLAGE_RE = re.compile(r"^\d{12}$")
#: Shorter text is still being typed: no document number is this short.
_MIN_ID_CHARS = 6


@dataclass(frozen=True)
class Person:
    """One party as typed so far."""

    name: str = ""
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RepeatQuery:
    """The people on the form, the new case's place, and the case being corrected (if any)."""

    people: tuple[Person, ...] = ()
    division_code: str = ""
    exclude_case_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Match:
    """Party `party` of the query matched the earlier case by `kind`."""

    party: int
    kind: str


@dataclass(frozen=True)
class EarlierCase:
    id: uuid.UUID
    case_no: str
    status: str
    status_label: str
    title: str
    received_at: datetime
    #: Days from its reception to today, in Beijing dates (0: today).
    age_days: int
    dispute_type: str
    place: str
    #: The name of its first party that matched, as stored there.
    party_name: str
    matches: tuple[Match, ...] = field(default_factory=tuple)
    #: The case it was itself marked as a repeat visit of.
    repeat_of_id: uuid.UUID | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds that matched, strongest first."""
        found = {m.kind for m in self.matches}
        return tuple(k for k in KINDS if k in found)


@dataclass(frozen=True)
class CaseBrief:
    """A case as a link shows it."""

    id: uuid.UUID
    case_no: str
    voided: bool


# --- what to look for ---------------------------------------------------------------------


def id_forms(text: str) -> list[str]:
    """The stored forms an ID number typed so far can match (none while it is too short)."""
    number = normalise_id(text)
    if len(number) < _MIN_ID_CHARS:
        return []
    return _resident_forms(number)


def phone_forms(text: str) -> list[str]:
    """The stored forms of a typed phone (none until it is a whole mobile or landline).

    A local 7- or 8-digit number is also looked up with 景洪's area code, as case
    lookup does.
    """
    compact = "".join(_fold(text).split())
    if not compact:
        return []
    form = normalise_phone(compact)
    if _MOBILE_RE.match(form) or _LANDLINE_RE.match(form):
        return [form]
    if _LOCAL_NUMBER_RE.match(compact):
        return [f"{LOCAL_AREA_CODE}-{compact}"]
    return []


def name_forms(text: str, division_code: str) -> list[str]:
    """The stored forms of a typed name, when there is a village to look in."""
    if not _VILLAGE_RE.match(division_code or "") or not _fold(text):
        return []
    return _name_forms(text)


def has_keys(query: RepeatQuery) -> bool:
    """Whether the query has anything to look up (the form need not ask otherwise)."""
    return any(
        id_forms(p.id_number) or phone_forms(p.phone) or name_forms(p.name, query.division_code)
        for p in query.people[:MAX_PEOPLE]
    )


# --- the lookup ----------------------------------------------------------------------------

_CASES = cast(Table, Case.__table__)
_PARTIES = cast(Table, Party.__table__)
_TYPES = cast(Table, DisputeType.__table__)
_DIVISIONS = cast(Table, Division.__table__)


def _candidates(
    conn: Connection,
    condition: ColumnElement[bool],
    limit: int,
    exclude: uuid.UUID | None,
) -> list[Any]:
    """(case_id, party name, received_at) of live parties meeting `condition` in live cases,
    newest first, at most `limit` cases."""
    p, c = _PARTIES.c, _CASES.c
    stmt = (
        select(p.case_id, p.name, p.sort_order, c.received_at)
        .select_from(_PARTIES.join(_CASES, c.id == p.case_id))
        .where(condition, p.voided_at.is_(None), c.voided_at.is_(None))
        .order_by(c.received_at.desc(), p.case_id.desc(), p.sort_order)
        # A case may match on several of its parties: read a few more rows than cases.
        .limit(limit * 3)
    )
    if exclude is not None:
        stmt = stmt.where(p.case_id != exclude)
    return list(conn.execute(stmt))


def _conditions(query: RepeatQuery) -> list[tuple[int, str, ColumnElement[bool]]]:
    p, c = _PARTIES.c, _CASES.c
    out: list[tuple[int, str, ColumnElement[bool]]] = []
    for i, person in enumerate(query.people[:MAX_PEOPLE]):
        ids = id_forms(person.id_number)
        if ids:
            out.append((i, "id_number", p.id_number.in_(ids)))
        phones = phone_forms(person.phone)
        if phones:
            out.append((i, "phone", p.phone.in_(phones)))
        names = name_forms(person.name, query.division_code)
        if names:
            out.append((i, "name", p.name.in_(names) & (c.division_code == query.division_code)))
    return out


def _strength(kinds: set[str]) -> tuple[bool, ...]:
    return tuple(k in kinds for k in KINDS)


def find_earlier(
    db: Database,
    query: RepeatQuery,
    limit: int = DEFAULT_LIMIT,
    today: date | None = None,
) -> list[EarlierCase]:
    """Earlier cases of the query's people: ID matches first, then phone, then name in the
    village (a case matching in more ways before one matching in fewer), newest first
    within each; at most `limit`.
    """
    conditions = _conditions(query)
    if not conditions or limit <= 0:
        return []
    today = today or shanghai_today()
    found: dict[uuid.UUID, dict[str, Any]] = {}
    with db.read() as s:
        conn = s.connection()
        for party, kind, condition in conditions:
            for row in _candidates(conn, condition, limit, query.exclude_case_id):
                entry = found.setdefault(
                    row.case_id,
                    {"received_at": row.received_at, "name": row.name, "order": row.sort_order,
                     "matches": []},
                )  # fmt: skip
                if (kind, party) not in {(m.kind, m.party) for m in entry["matches"]}:
                    entry["matches"].append(Match(party, kind))
                if row.sort_order < entry["order"]:
                    entry["name"], entry["order"] = row.name, row.sort_order
        ranked = sorted(
            found.items(),
            key=lambda item: (
                _strength({m.kind for m in item[1]["matches"]}),
                item[1]["received_at"],
                item[0],
            ),
            reverse=True,
        )[:limit]
        details = _details(conn, [case_id for case_id, _ in ranked])
    out: list[EarlierCase] = []
    for case_id, entry in ranked:
        d = details.get(case_id)
        if d is None:  # voided meanwhile
            continue
        received = d.received_at
        out.append(
            EarlierCase(
                id=case_id,
                case_no=d.case_no,
                status=d.status,
                status_label=STATUSES.get(d.status, d.status),
                title=d.title,
                received_at=received,
                age_days=max(0, (today - received.astimezone(SHANGHAI).date()).days),
                dispute_type=d.type_name or d.dispute_type_code,
                place=_place(d.place_level, d.place_short, d.parent_short),
                party_name=entry["name"],
                matches=tuple(
                    sorted(entry["matches"], key=lambda m: (KINDS.index(m.kind), m.party))
                ),
                repeat_of_id=d.repeat_of_id,
            )
        )
    return out


def _details(conn: Connection, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """What the panel shows of each case, in one statement."""
    if not case_ids:
        return {}
    c = _CASES.c
    place = _DIVISIONS.alias("place")
    parent = _DIVISIONS.alias("parent")
    stmt = (
        select(
            c.id,
            c.case_no,
            c.status,
            c.title,
            c.received_at,
            c.dispute_type_code,
            c.repeat_of_id,
            _TYPES.c.name.label("type_name"),
            place.c.level.label("place_level"),
            place.c.short_name.label("place_short"),
            parent.c.short_name.label("parent_short"),
        )
        .select_from(
            _CASES.outerjoin(_TYPES, _TYPES.c.code == c.dispute_type_code)
            .outerjoin(place, place.c.code == c.division_code)
            .outerjoin(parent, parent.c.code == place.c.parent_code)
        )
        .where(c.id.in_(list(case_ids)), c.voided_at.is_(None))
    )
    return {r.id: r for r in conn.execute(stmt)}


def brief(db: Database, case_id: uuid.UUID) -> CaseBrief | None:
    """The case number of a case on this desk (None when it is not here)."""
    with db.read() as s:
        row = s.execute(
            select(Case.id, Case.case_no, Case.voided_at).where(Case.id == case_id)
        ).first()
    if row is None:
        return None
    return CaseBrief(row.id, row.case_no, row.voided_at is not None)


__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "CaseBrief",
    "EarlierCase",
    "Match",
    "Person",
    "RepeatQuery",
    "brief",
    "find_earlier",
    "has_keys",
    "id_forms",
    "name_forms",
    "phone_forms",
]
