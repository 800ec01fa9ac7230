"""Case lookup (案件查询): find a case by number, ID number, phone or name; read it whole.

`classify` tells what a typed query is; `lookup` finds the matching cases,
newest first, with what matched; `case_detail` reads one case with its
parties, attachments and history for the detail screen.

Every lookup runs on the indexes the schema has (the unique case number,
ix_parties_id_number, ix_parties_phone, ix_parties_name) in one statement: a
subquery finds the matching cases (at most `limit`, newest first), and only
for those are the first applicant, type name and place names joined in. The
work grows with the number of matches, never with the number of cases: about
20 ms for the commonest Dai names (2,000 parties each) on 200,000 cases.
Names match exactly first, then by prefix with a range condition
(``name > q AND name < q'``, q' being q with its last character incremented,
which bounds every continuation including characters beyond the BMP) that the
name index serves; LIKE would scan. Parties that were voided (removed by a
correction) do not match; voided cases do, flagged.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, func, literal, or_, select
from sqlalchemy.orm import Session

from desk_app.models import (
    Attachment,
    Case,
    CaseEvent,
    DeskIdentity,
    DisputeType,
    Division,
    JointMediation,
    Party,
    Unit,
    User,
)
from desk_app.models.db import Database
from desk_app.services import deadlines, supervision, workflow
from desk_app.services.cases import (
    ATTACHMENT_CATEGORIES,
    CHANNELS,
    GENDERS,
    PARTY_KINDS,
    PARTY_ROLES,
    STATUSES,
    attachment_path,
)
from desk_app.services.errors import DeskError
from desk_app.services.identity import (
    ETHNICITIES,
    ID_TYPES,
    ORG_ID_TYPES,
    id_check_char,
    mask_id,
    normalise_id,
    normalise_phone,
)
from desk_app.services.numbering import SHANGHAI
from desk_app.services.printing.codes import case_ids_by_code, parse_scanned
from desk_app.services.roles import Actor, Role
from desk_app.services.text import normalise_name
from desk_app.services.workcalendar import load_calendar

KINDS = ("case_no", "id_number", "phone", "name")

#: 景洪's telephone area code: a 7- or 8-digit number typed without one is a local landline.
LOCAL_AREA_CODE = "0691"
#: Years tried when a case number is typed without its year ("D03-00042", "00042").
FIRST_CASE_YEAR = 2000

#: Short document names for the "matched" column (the form's labels are longer).
_ID_SHORT = {"resident_id": "身份证", "uscc": "信用代码"}

# --- what was typed ---------------------------------------------------------------------

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-\d{7,8}$")
_LOCAL_NUMBER_RE = re.compile(r"^\d{7,8}$")
_PHONE_CHARS_RE = re.compile(r"^[\d+\-()（）\s]+$")
_ID_DIGITS_RE = re.compile(r"^(\d{15}|\d{17}[\dX])$")
_DOCUMENT_RE = re.compile(r"^[A-Z0-9]{6,20}$")
#: A year in any bracket people type for 〔〕 ([2026] (2026) （2026） 【2026】), then the desk
#: code: "(0691) 2123456" is a phone, not a case number.
_BRACKET_YEAR_RE = re.compile(r"[\[(（【〔]\s*((?:19|20)\d{2})\s*[\])）】〕](?=\s*[A-Za-z])")
#: The desk part of a case number: D03-00042, 2026D03-00042, 2026-D03-00042, 〔2026〕D03-00042.
_NUMBER_SHAPE_RE = re.compile(
    r"^(?P<center>[^\d〔〕\s]*?)\s*(?:〔(?P<byear>\d{4})〕|(?P<year>\d{4})\s*[-/]?)?\s*"
    r"(?P<desk>[A-Z][A-Z0-9]{1,7})\s*-\s*(?P<seq>\d{1,6})$"
)
_SEQUENCE_RE = re.compile(r"^\d{1,6}$")


def _fold(query: str) -> str:
    """Full-width forms folded (NFKC keeps 〔〕), outer spaces gone."""
    return unicodedata.normalize("NFKC", query or "").strip()


def _case_no_text(query: str) -> str:
    """A typed case number with 〔〕 for whatever bracket was typed around the year."""
    text = _BRACKET_YEAR_RE.sub(r"〔\1〕", _fold(query))
    return "".join(c.upper() if c.isascii() else c for c in "".join(text.split()))


def _is_phone(text: str) -> bool:
    form = normalise_phone(text)
    return bool(_MOBILE_RE.match(form) or _LANDLINE_RE.match(form))


def classify(query: str) -> str:
    """What a query is: "verify_code", "case_no", "id_number", "phone" or "name".

    A verification code (8 characters of the receipt's alphabet) or a scanned receipt
    QR code (`printing.codes.parse_scanned`) is a "verify_code"; a lone code may also
    be a passport number or a Latin name, which `lookup` then tries as well.

    A case number has 〔〕 (or another bracket around a year) or the desk's number
    shape (D03-00042, 2026D03-00042) or is a bare sequence number (up to 6 digits);
    an ID number has 15 or 18 characters (digits, X last) or is a document number
    of letters and digits (passport, permit, credit code); a phone is anything
    that normalises to a mobile or landline, or a local 7- or 8-digit number.
    Everything else is a name.
    """
    text = _fold(query)
    compact = "".join(text.split()).upper()
    if not compact:
        return "name"
    if parse_scanned(text)[1] is not None:
        return "verify_code"
    if "〔" in compact or "〕" in compact or _BRACKET_YEAR_RE.search(compact):
        return "case_no"
    if compact.isascii() and _NUMBER_SHAPE_RE.match(compact):
        return "case_no"
    if _SEQUENCE_RE.match(compact):
        return "case_no"
    if _ID_DIGITS_RE.match(compact):
        return "id_number"
    if _PHONE_CHARS_RE.match(text) and (_is_phone(text) or _LOCAL_NUMBER_RE.match(compact)):
        return "phone"
    if compact.isdigit() and len(compact) >= 9:
        return "id_number"  # a mistyped ID number: an exact lookup that finds nothing is honest
    if (
        _DOCUMENT_RE.match(compact)
        and any(c.isdigit() for c in compact)
        and any(c.isalpha() for c in compact)
    ):
        return "id_number"
    return "name"


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One case in the result list."""

    id: uuid.UUID
    case_no: str
    status: str
    status_label: str
    title: str
    received_at: datetime
    dispute_type: str
    place: str
    first_applicant: str
    matched: str
    voided: bool


def mask_phone(phone: str) -> str:
    """138****8000 for a mobile; 0691-***3456 for a landline."""
    if _MOBILE_RE.match(phone):
        return phone[:3] + "****" + phone[-4:]
    area, sep, local = phone.rpartition("-")
    if sep and len(local) > 4:
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    return mask_id(phone)


def _id_label(id_type: str) -> str:
    return _ID_SHORT.get(id_type) or ID_TYPES.get(id_type) or ORG_ID_TYPES.get(id_type) or "证件"


def _resident_forms(number: str) -> list[str]:
    """A number as stored: a 15-digit legacy ID is stored in its 18-digit form."""
    forms = [number]
    if len(number) == 15 and number.isdigit():
        first17 = number[:6] + "19" + number[6:]
        forms.append(first17 + id_check_char(first17))
    return forms


def _name_forms(query: str) -> list[str]:
    """The typed name as intake stores names (middle dots unified), and close variants.

    The typed form is kept too (rows synced from older desks), one without spaces
    between Han characters (玉 香), and Latin letters in upper case (AUNG KYAW).
    """
    typed = " ".join(_fold(query).split())
    stored = normalise_name(typed)
    joined = "".join(c for i, c in enumerate(stored) if c != " " or _latin_gap(stored, i))
    forms = [stored, typed, joined]
    if any("a" <= c <= "z" for c in stored):
        forms.append(stored.upper())
    return list(dict.fromkeys(forms))


def _prefix_end(prefix: str) -> str:
    """The least string above every string that starts with `prefix` (code point order).

    SQLite compares text as UTF-8 bytes, which sorts like code points, so
    ``prefix <= name < _prefix_end(prefix)`` is exactly "starts with prefix".
    """
    code = ord(prefix[-1]) + 1
    if code > 0x10FFFF:  # the last code point: nothing sorts above it but longer text
        return prefix + chr(0x10FFFF)
    if 0xD800 <= code <= 0xDFFF:  # surrogates are no characters: skip them
        code = 0xE000
    return prefix[:-1] + chr(code)


def _latin_gap(text: str, i: int) -> bool:
    """Whether the space at `i` separates two Latin words (kept) rather than Han characters."""
    return i > 0 and i + 1 < len(text) and text[i - 1].isascii() and text[i + 1].isascii()


def _place(level: str | None, short: str | None, parent_short: str | None) -> str:
    if short is None:
        return ""
    if level == "village" and parent_short:
        return f"{parent_short} {short}"
    return short


_CASES = cast(Table, Case.__table__)
_PARTIES = cast(Table, Party.__table__)
_TYPES = cast(Table, DisputeType.__table__)
_DIVISIONS = cast(Table, Division.__table__)

#: A statement finding matches: one row per case with the columns of `_MATCH_COLUMNS`.
_MatchSelect = Select[*tuple[Any, ...]]
_MATCH_COLUMNS = ("case_id", "name", "id_type", "id_number", "phone", "received_at")


def _party_matches(
    condition: ColumnElement[bool], limit: int, exclude: Sequence[uuid.UUID] = ()
) -> _MatchSelect:
    """Cases with a live party meeting `condition`, newest first, one row per case.

    With min() as the only aggregate SQLite takes the other columns from the row
    holding the minimum: the case's first matching party.
    """
    p, c = _PARTIES.c, _CASES.c
    stmt = (
        select(
            p.case_id.label("case_id"),
            func.min(p.sort_order).label("first_order"),
            p.name,
            p.id_type,
            p.id_number,
            p.phone,
            c.received_at,
        )
        .select_from(_PARTIES.join(_CASES, c.id == p.case_id))
        .where(condition, p.voided_at.is_(None))
        .group_by(p.case_id)
        .order_by(c.received_at.desc(), p.case_id.desc())
        .limit(limit)
    )
    if exclude:
        stmt = stmt.where(p.case_id.not_in(exclude))
    return stmt


def _case_no_candidates(s: Session, text: str) -> list[str]:
    """Full case numbers a short form (D03-00042, 2026D03-00042, 00042) can stand for.

    Built with this desk's template, center short name and (unless typed) desk code,
    for every year from FIRST_CASE_YEAR to next year: a handful of unique-index probes
    instead of a suffix LIKE that would scan every case.
    """
    identity = s.get(DeskIdentity, 1)
    if identity is None:
        return []
    match = _NUMBER_SHAPE_RE.match(text)
    if match:
        center = match["center"] or identity.short_name
        year_text = match["byear"] or match["year"]
        desk = match["desk"]
        seq = int(match["seq"])
    elif _SEQUENCE_RE.match(text):
        center, year_text, desk, seq = identity.short_name, None, identity.desk_code, int(text)
    else:
        return []
    this_year = datetime.now(SHANGHAI).year
    years = [int(year_text)] if year_text else range(this_year + 1, FIRST_CASE_YEAR - 1, -1)
    out: list[str] = []
    for year in years:
        try:
            number = identity.case_no_template.format(center=center, year=year, desk=desk, seq=seq)
        except (KeyError, IndexError, ValueError):
            return []
        out.append(number)
    return list(dict.fromkeys(out))


def _rows(s: Session, matches: _MatchSelect, matched: Callable[[Any], str]) -> list[CaseRow]:
    """The result rows of `matches`: what the list shows, joined in one query.

    The matches (at most `limit` of them) are found first, in a subquery; only then
    are the first applicant, type and place names read, for those cases alone.
    """
    m = matches.subquery("m")
    c, p = _CASES.c, _PARTIES.c
    place = _DIVISIONS.alias("place")
    parent = _DIVISIONS.alias("parent")
    first_applicant = (
        select(p.name)
        .where(p.case_id == c.id, p.role == "applicant", p.voided_at.is_(None))
        .order_by(p.sort_order)
        .limit(1)
        .correlate(_CASES)
        .scalar_subquery()
    )
    stmt = (
        select(
            *(m.c[name] for name in _MATCH_COLUMNS),
            c.case_no,
            c.status,
            c.title,
            c.voided_at,
            _TYPES.c.name.label("type_name"),
            place.c.level.label("place_level"),
            place.c.short_name.label("place_short"),
            parent.c.short_name.label("parent_short"),
            first_applicant.label("first_applicant"),
        )
        .select_from(
            m.join(_CASES, c.id == m.c.case_id)
            .outerjoin(_TYPES, _TYPES.c.code == c.dispute_type_code)
            .outerjoin(place, place.c.code == c.division_code)
            .outerjoin(parent, parent.c.code == place.c.parent_code)
        )
        .order_by(m.c.received_at.desc(), m.c.case_id.desc())
    )
    return [
        CaseRow(
            id=r.case_id,
            case_no=r.case_no,
            status=r.status,
            status_label=STATUSES.get(r.status, r.status),
            title=r.title,
            received_at=r.received_at,
            dispute_type=r.type_name or "",
            place=_place(r.place_level, r.place_short, r.parent_short),
            first_applicant=r.first_applicant or "",
            matched=matched(r),
            voided=r.voided_at is not None,
        )
        for r in s.connection().execute(stmt)
    ]


def _case_matches(condition: ColumnElement[bool], limit: int) -> _MatchSelect:
    """Cases matching `condition` on their own columns (no party matched), newest first."""
    c = _CASES.c
    blank = literal("")
    return (
        select(
            c.id.label("case_id"),
            blank.label("name"),
            blank.label("id_type"),
            blank.label("id_number"),
            blank.label("phone"),
            c.received_at,
        )
        .where(condition)
        .order_by(c.received_at.desc(), c.id.desc())
        .limit(limit)
    )


def _by_case_no(s: Session, query: str, limit: int) -> list[CaseRow]:
    text = _case_no_text(query)
    numbers = list(dict.fromkeys([text, *_case_no_candidates(s, text)]))
    return _rows(s, _case_matches(_CASES.c.case_no.in_(numbers), limit), lambda _r: "案件编号")


def _by_id_number(s: Session, query: str, limit: int) -> list[CaseRow]:
    forms = _resident_forms(normalise_id(query))
    matches = _party_matches(_PARTIES.c.id_number.in_(forms), limit)
    return _rows(s, matches, lambda r: f"{_id_label(r.id_type)} {mask_id(r.id_number)}")


def _by_phone(s: Session, query: str, limit: int) -> list[CaseRow]:
    compact = "".join(_fold(query).split())
    forms = [normalise_phone(compact)]
    if _LOCAL_NUMBER_RE.match(compact):
        forms.append(f"{LOCAL_AREA_CODE}-{compact}")
    matches = _party_matches(_PARTIES.c.phone.in_(forms), limit)
    return _rows(s, matches, lambda r: f"电话 {mask_phone(r.phone)}")


def _by_name(s: Session, query: str, limit: int) -> list[CaseRow]:
    forms = _name_forms(query)
    name = _PARTIES.c.name

    def matched(r: Any) -> str:
        return f"姓名 {r.name}"

    rows = _rows(s, _party_matches(name.in_(forms), limit), matched)
    if len(rows) < limit:
        # Then names that start with the query, on the name index (a range, not LIKE).
        prefix = [(name > f) & (name < _prefix_end(f)) for f in forms]
        condition = prefix[0] if len(prefix) == 1 else or_(*prefix)
        found = [r.id for r in rows]
        rows += _rows(s, _party_matches(condition, limit - len(rows), found), matched)
    return rows


def _by_verify_code(s: Session, query: str, limit: int) -> list[CaseRow]:
    """A receipt's verification code, typed or scanned: on the code, not the case number
    (a case renumbered after its receipt was printed is still found)."""
    case_no, code = parse_scanned(_fold(query))
    assert code is not None
    matches = _case_matches(_CASES.c.id.in_(case_ids_by_code(s, code)), limit)
    rows = _rows(s, matches, lambda _r: f"验证码 {code}")
    if case_no is None:  # a code typed alone may be a passport number or a Latin name too
        seen = {r.id for r in rows}
        text = _fold(query)
        other = _by_id_number if _DOCUMENT_RE.match(text.upper()) else _by_name
        rows += [r for r in other(s, text, limit) if r.id not in seen]
    return rows[:limit]


_LOOKUPS: dict[str, Callable[[Session, str, int], list[CaseRow]]] = {
    "verify_code": _by_verify_code,
    "case_no": _by_case_no,
    "id_number": _by_id_number,
    "phone": _by_phone,
    "name": _by_name,
}


def lookup(db: Database, query: str, limit: int = 200) -> list[CaseRow]:
    """Cases matching `query` (see `classify`), newest first, at most `limit`.

    Case numbers match exactly, or by their short form (D03-00042, 00042) on this
    desk's numbering; ID numbers and phones exactly in their stored (normalised)
    form; names exactly first, then by prefix. Voided cases are included, flagged.
    """
    if not _fold(query) or limit <= 0:
        return []
    kind = classify(query)
    with db.read() as s:
        return _LOOKUPS[kind](s, query, limit)


# --- one case, whole --------------------------------------------------------------------


@dataclass(frozen=True)
class PartyView:
    id: uuid.UUID
    role: str
    role_label: str
    kind: str
    kind_label: str
    name: str
    gender: str
    gender_label: str
    ethnicity: str
    ethnicity_label: str
    nationality: str
    id_type: str
    id_type_label: str
    #: The full number: the detail screen needs it; lists show `id_masked`.
    id_number: str
    id_masked: str
    birth_date: date | None
    age: int | None
    phone: str
    address: str
    occupation: str
    #: The interpreter language needed ("" when none is).
    interpreter: str
    legal_representative: str
    contact_person: str
    is_representative: bool
    voided: bool
    void_reason: str


@dataclass(frozen=True)
class AttachmentView:
    id: uuid.UUID
    filename: str
    mime_type: str
    size: int
    category: str
    category_label: str
    note: str
    sha256: str
    #: Where the file lives: attachments/<sha[:2]>/<sha> in the desk's data folder.
    path: Path
    #: Whether the file is on this desk (it may still be on its way from the central side).
    exists: bool
    voided: bool


@dataclass(frozen=True)
class EventView:
    at: datetime
    kind: str
    actor: str
    #: The actor's full name when they are a user of this desk, else the actor as recorded.
    actor_name: str
    summary: str
    data: dict[str, Any]


@dataclass(frozen=True)
class CaseLink:
    """Another case named on this one (重复来访). `case_no` is "" when it is not on this desk."""

    id: uuid.UUID
    case_no: str
    voided: bool = False


@dataclass(frozen=True)
class CaseDetail:
    id: uuid.UUID
    case_no: str
    status: str
    status_label: str
    channel: str
    channel_label: str
    #: From whom or what, for transfers, the upper level and "other".
    channel_note: str
    received_at: datetime
    registered_by: str
    registered_by_name: str
    visitor_count: int
    group_visit: bool
    dispute_type_code: str
    dispute_type: str
    dispute_subtype: str
    division_code: str
    town: str
    village: str
    place_detail: str
    title: str
    facts: str
    claims: str
    police_risk: bool
    police_reported_to: str
    police_reported_at: datetime | None
    group_matter: bool
    foreign_related: bool
    urgent: bool
    voided_at: datetime | None
    void_reason: str
    parties: list[PartyView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    #: The earlier case this visit repeats, and the later visits marked as repeating this one.
    repeat_of: CaseLink | None = None
    repeats: list[CaseLink] = field(default_factory=list)
    # --- triage, routing and the current step's clock (services.workflow) ---------------
    level: str = ""
    track: str = ""
    complexity: str = ""
    triage_note: str = ""
    #: The responsible unit first, then the co-handling units, as (code, name).
    units: tuple[tuple[str, str], ...] = ()
    #: The step whose clock runs (workflow.STEPS), its deadline and 临期 moment.
    step: str = ""
    due_at: datetime | None = None
    warn_at: datetime | None = None
    due_working_days: bool = False
    #: Rule days left when read: 0 on the due date, negative once overdue; None: no clock.
    days_left: int | None = None
    #: When read: "overdue", "soon" (临期) or "" (in time, paused or no clock).
    due_state: str = ""
    paused_at: datetime | None = None
    pause_reason: str = ""
    outcome: str = ""
    referral: str = ""
    dispatches: list[workflow.DispatchView] = field(default_factory=list)
    #: Joint mediations convened for the case (not voided).
    joint_mediations: int = 0
    #: The supervision ladder on the case (催办, 督办 …); None: none raised.
    supervised: supervision.Summary | None = None

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def place(self) -> str:
        """Township, village and the detail, as written on forms."""
        return " ".join(p for p in (self.town, self.village, self.place_detail) if p)


def shanghai_today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _birth_from_id(id_type: str, number: str) -> date | None:
    """The birth date an 18-character GB 11643-style number carries, if it is a real date."""
    if id_type not in ("resident_id", "hmt_residence", "foreign_permanent"):
        return None
    if len(number) != 18 or not number[:17].isdigit():
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _gender_from_id(id_type: str, number: str) -> str:
    if _birth_from_id(id_type, number) is None:
        return ""
    return "male" if int(number[16]) % 2 else "female"


def _party_view(p: Party, today: date) -> PartyView:
    born = p.birth_date or _birth_from_id(p.id_type, p.id_number)
    gender = p.gender or (_gender_from_id(p.id_type, p.id_number) if p.kind == "person" else "")
    return PartyView(
        id=p.id,
        role=p.role,
        role_label=PARTY_ROLES.get(p.role, p.role),
        kind=p.kind,
        kind_label=PARTY_KINDS.get(p.kind, p.kind),
        name=p.name,
        gender=gender,
        gender_label=GENDERS.get(gender, gender),
        ethnicity=p.ethnicity,
        ethnicity_label=ETHNICITIES.get(p.ethnicity, p.ethnicity),
        nationality=p.nationality,
        id_type=p.id_type,
        id_type_label=ID_TYPES.get(p.id_type) or ORG_ID_TYPES.get(p.id_type) or p.id_type,
        id_number=p.id_number,
        id_masked=mask_id(p.id_number),
        birth_date=born,
        age=age_on(born, today) if born is not None and born <= today else None,
        phone=p.phone,
        address=p.address,
        occupation=p.occupation,
        interpreter=(p.interpreter_language or "需要") if p.needs_interpreter else "",
        legal_representative=p.legal_representative,
        contact_person=p.contact_person,
        is_representative=p.is_representative,
        voided=p.voided_at is not None,
        void_reason=p.void_reason or "",
    )


def _user_names(s: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = sorted({u for u in usernames if u})
    if not wanted:
        return {}
    rows = s.execute(select(User.username, User.full_name).where(User.username.in_(wanted)))
    return {r.username: r.full_name for r in rows}


def case_detail(
    db: Database, attachments_dir: Path, case_id: uuid.UUID, today: date | None = None
) -> CaseDetail:
    """One case with its parties (voided ones flagged), attachments and history in time order.

    Raises:
        DeskError: the case is not on this desk.
    """
    today = today or shanghai_today()
    with db.read() as s:
        case = s.get(Case, case_id)  # its parties come along (selectin, by sort order)
        if case is None:
            raise DeskError("找不到该案件：它可能尚未同步到本窗口，请核对后重新查询")
        parties = list(case.parties)
        events = s.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.at, CaseEvent.id)
        ).all()
        attachments = s.scalars(
            select(Attachment)
            .where(Attachment.case_id == case_id)
            .order_by(Attachment.created_at, Attachment.id)
        ).all()
        kind = s.scalar(select(DisputeType.name).where(DisputeType.code == case.dispute_type_code))
        division = s.scalars(select(Division).where(Division.code == case.division_code)).first()
        town_row: Division | None = division
        village = ""
        if division is not None and division.level == "village":
            village = division.name
            town_row = s.scalars(
                select(Division).where(Division.code == division.parent_code)
            ).first()
        names = _user_names(s, [case.registered_by, *(e.actor for e in events)])
        repeat_of, repeats = _repeat_links(s, case)
        unit_codes = [c for c in case.unit_codes.split(",") if c]
        unit_names = {
            code: name
            for code, name in s.execute(
                select(Unit.code, Unit.name).where(Unit.code.in_(unit_codes))
            )
        }
        dispatches = workflow.dispatches(s, case.id)
        clock = _clock(s, case)
        supervised = supervision.summary(s, case.id)
    return CaseDetail(
        id=case.id,
        case_no=case.case_no,
        status=case.status,
        status_label=STATUSES.get(case.status, case.status),
        channel=case.channel,
        channel_label=CHANNELS.get(case.channel, case.channel),
        channel_note=case.channel_note,
        received_at=case.received_at,
        registered_by=case.registered_by,
        registered_by_name=names.get(case.registered_by, case.registered_by),
        visitor_count=case.visitor_count,
        group_visit=case.group_visit,
        dispute_type_code=case.dispute_type_code,
        dispute_type=kind or case.dispute_type_code,
        dispute_subtype=case.dispute_subtype,
        division_code=case.division_code,
        town=town_row.name if town_row is not None else case.division_code,
        village=village,
        place_detail=case.place_detail,
        title=case.title,
        facts=case.facts,
        claims=case.claims,
        police_risk=case.police_risk,
        police_reported_to=case.police_reported_to,
        police_reported_at=case.police_reported_at,
        group_matter=case.group_matter,
        foreign_related=case.foreign_related,
        urgent=case.urgent,
        voided_at=case.voided_at,
        void_reason=case.void_reason or "",
        parties=[_party_view(p, today) for p in parties],
        attachments=[
            AttachmentView(
                id=a.id,
                filename=a.filename,
                mime_type=a.mime_type,
                size=a.size,
                category=a.category,
                category_label=ATTACHMENT_CATEGORIES.get(a.category, a.category),
                note=a.note,
                sha256=a.sha256,
                path=attachment_path(attachments_dir, a.sha256),
                exists=attachment_path(attachments_dir, a.sha256).is_file(),
                voided=a.voided_at is not None,
            )
            for a in attachments
        ],
        events=[
            EventView(
                at=e.at,
                kind=e.kind,
                actor=e.actor,
                actor_name=names.get(e.actor, e.actor),
                summary=e.summary,
                data=dict(e.data or {}),
            )
            for e in events
        ],
        repeat_of=repeat_of,
        repeats=repeats,
        level=case.level,
        track=case.track,
        complexity=case.complexity,
        triage_note=case.triage_note,
        units=tuple((c, unit_names.get(c, c)) for c in unit_codes),
        step=case.step,
        due_at=case.due_at,
        warn_at=case.warn_at,
        due_working_days=case.due_working_days,
        days_left=clock[0],
        due_state=clock[1],
        paused_at=case.paused_at,
        pause_reason=case.pause_reason,
        outcome=case.outcome,
        referral=case.referral,
        dispatches=dispatches,
        joint_mediations=s.scalar(
            select(func.count())
            .select_from(JointMediation)
            .where(JointMediation.case_id == case.id, JointMediation.voided_at.is_(None))
        )
        or 0,
        supervised=supervised,
    )


def _clock(s: Session, case: Case) -> tuple[int | None, str]:
    """Rule days left on the current step and whether it is overdue or 临期, as of now."""
    if case.due_at is None or case.voided_at is not None:
        return None, ""
    now = datetime.now(UTC)
    left = deadlines.remaining(load_calendar(s), case.due_at, now, case.due_working_days)
    if case.paused_at is not None:
        return left, ""
    if now > case.due_at:
        return left, "overdue"
    if case.warn_at is not None and now >= case.warn_at:
        return left, "soon"
    return left, ""


def _repeat_links(s: Session, case: Case) -> tuple[CaseLink | None, list[CaseLink]]:
    """The case's earlier case (even voided, flagged) and its later repeat visits (live ones)."""
    repeat_of: CaseLink | None = None
    if case.repeat_of_id is not None:
        row = s.execute(
            select(Case.case_no, Case.voided_at).where(Case.id == case.repeat_of_id)
        ).first()
        repeat_of = CaseLink(
            case.repeat_of_id,
            row.case_no if row else "",
            row is not None and row.voided_at is not None,
        )
    later = s.execute(
        select(Case.id, Case.case_no)
        .where(Case.repeat_of_id == case.id, Case.voided_at.is_(None))
        .order_by(Case.received_at, Case.id)
    )
    return repeat_of, [CaseLink(r.id, r.case_no) for r in later]


@dataclass(frozen=True)
class UnitOption:
    """A unit a matter can be routed to (研判 pickers)."""

    code: str
    name: str
    #: city | town | village
    level: str
    has_desk: bool
    short_name: str = ""


_UNIT_LEVEL_ORDER = {"city": 0, "town": 1, "village": 2}


def routing_units(session: Session) -> list[UnitOption]:
    """The active, non-voided units: city departments, then townships, then villages."""
    rows = session.scalars(
        select(Unit)
        .where(Unit.active.is_(True), Unit.voided_at.is_(None))
        .order_by(Unit.sort_order, Unit.code)
    ).all()
    units = [UnitOption(u.code, u.name, u.level, u.has_desk, u.short_name or "") for u in rows]
    return sorted(units, key=lambda u: _UNIT_LEVEL_ORDER.get(u.level, 9))


def unit_names(session: Session) -> dict[str, str]:
    """Every unit's name by code (voided and inactive ones too: old cases name them)."""
    return {code: name for code, name in session.execute(select(Unit.code, Unit.name))}


def may_change(actor: Actor, detail: CaseDetail) -> bool:
    """Whether `actor` may correct or void the case: its clerk, an officer or an administrator.

    For enabling buttons; `cases.correct_case` and `cases.void_case` enforce the same rule.
    """
    if detail.voided:
        return False
    return detail.registered_by == actor.username or actor.has(Role.OFFICER, Role.ADMIN)


_UNSAFE_FILENAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def viewable_copy(attachment: AttachmentView, folder: Path) -> Path:
    """A copy of the attachment under its own file name, for the system's viewer.

    The store keeps files under their hash, without an extension, so no viewer
    would know what to open them with. The copy goes to folder/<sha[:16]>/<name>.

    Raises:
        DeskError: the file is not on this desk (yet).
    """
    if not attachment.path.is_file():
        raise DeskError(
            f"附件“{attachment.filename}”的文件还不在本窗口（可能尚未同步），请稍后再试"
        )
    name = _UNSAFE_FILENAME.sub("_", Path(attachment.filename).name).strip(" .") or "attachment"
    target = folder / attachment.sha256[:16] / name
    if not (target.is_file() and target.stat().st_size == attachment.path.stat().st_size):
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        shutil.copyfile(attachment.path, part)
        part.replace(target)
    return target


__all__ = [
    "KINDS",
    "AttachmentView",
    "CaseDetail",
    "CaseLink",
    "CaseRow",
    "EventView",
    "PartyView",
    "case_detail",
    "classify",
    "lookup",
    "mask_phone",
    "may_change",
    "viewable_copy",
]
