"""Intake (登记受理): registering, correcting and voiding cases.

Each command is one unit of work: the case, its parties and attachment
metadata, a history event and the outbox ops commit together or not at all.
Validation says what is wrong beside each field, in Chinese, with error keys
such as ``title`` or ``parties.1.id_number`` that the form maps to widgets.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import shutil
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.models import Attachment, Case, DisputeType, Division, Party, utcnow
from desk_app.models.db import Database
from desk_app.services import drafts, identity, numbering
from desk_app.services.desk import Desk
from desk_app.services.errors import DeskError, ValidationError
from desk_app.services.roles import Actor, Role, require
from desk_app.services.text import check_name, check_text
from desk_app.services.uow import UnitOfWork

CHANNELS: dict[str, str] = {
    "walk_in": "窗口来访",
    "phone": "来电",
    "qr_code": "解纷码/一码通",
    "grid_worker": "网格员上报",
    "transfer": "派出所/法院/部门移交",
    "upper_level": "上级交办",
    "hotline_12345": "12345",
    "other": "其他",
}
#: Channels whose note (from whom, or what) must be filled.
CHANNELS_NEEDING_NOTE = frozenset({"transfer", "upper_level", "other"})

#: Statuses of a case, in the order of its lifecycle; `services.workflow` holds the
#: transitions between them and is the only way a case changes status.
STATUSES: dict[str, str] = {
    "pending_triage": "待研判",
    "dispatched": "已交办",
    "signed": "已签收",
    "in_progress": "办理中",
    "fed_back": "已反馈",
    "closed": "已办结",
    "visited": "已回访",
    "archived": "已归档",
    "escalated": "已上报",
}

PARTY_ROLES = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}
PARTY_KINDS = {"person": "自然人", "organisation": "单位"}
GENDERS = {"male": "男", "female": "女"}
#: Documents held by citizens of the PRC (who have an ethnicity, not a nationality).
CITIZEN_ID_TYPES = frozenset({"resident_id", "hmt_residence", "hk_macao_permit", "taiwan_permit"})
FOREIGN_ID_TYPES = frozenset({"foreign_permanent", "passport", "border_pass"})

MAX_REPRESENTATIVES = 5  # a group visit elects at most five representatives
GROUP_VISIT_MIN = 5
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 30
#: Accepted attachment types: extension -> (MIME type, magic bytes it must start with).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".tif": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".tiff": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".bmp": ("image/bmp", (b"BM",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
}
ATTACHMENT_CATEGORIES = {"photo": "照片", "scan": "扫描件", "other": "其他"}


#: How a changed field is named in history summaries.
FIELD_LABELS = {
    "title": "事项标题", "dispute_type_code": "纠纷类型", "dispute_subtype": "纠纷子类",
    "division_code": "发生地", "place_detail": "详细地点", "channel": "来源渠道",
    "channel_note": "来源说明", "facts": "主要事实", "claims": "申请人诉求",
    "received_at": "受理时间", "visitor_count": "来访人数", "group_visit": "集体访",
    "police_risk": "可能激化为治安刑事案件", "police_reported_to": "报告的派出所",
    "police_reported_at": "报告时间", "group_matter": "群体性事件", "foreign_related": "涉外涉边",
    "urgent": "紧急", "name": "姓名", "role": "身份", "kind": "类别", "gender": "性别",
    "ethnicity": "民族", "nationality": "国籍", "id_type": "证件类型", "id_number": "证件号码",
    "birth_date": "出生日期", "phone": "联系电话", "address": "住址", "occupation": "职业",
    "needs_interpreter": "需要翻译", "interpreter_language": "翻译语种",
    "legal_representative": "法定代表人", "contact_person": "联系人",
    "is_representative": "代表", "repeat_of_id": "重复来访的前案",
    # Routing and the step clock (研判、交办、办理): a step on two desks can clash on them.
    "status": "办理状态", "level": "层级", "track": "办理途径", "complexity": "繁简",
    "triage_note": "研判意见", "triaged_at": "研判时间", "lead_unit_code": "责任单位",
    "unit_codes": "承办单位", "step": "当前环节", "step_started_at": "环节开始时间",
    "due_at": "环节期限", "warn_at": "临期提醒时间", "handle_due_at": "办理期限",
    "feedback_due_at": "反馈期限", "paused_at": "暂停计时时间", "pause_reason": "暂停原因",
    "extended_days": "延期天数", "outcome": "办结结果", "referral": "转办去向",
    "closed_at": "办结时间", "asked": "交办要求", "signed_at": "签收时间",
    "returned_at": "退单时间", "return_reason": "退单理由", "feedback_at": "反馈时间",
    "feedback_text": "反馈内容",
    # Supervision (督办) and joint mediation (联合调解).
    "unit_code": "单位", "unit_name": "单位名称", "message": "督办内容",
    "respond_by": "答复期限", "response": "单位答复", "responded_at": "答复时间",
    "responded_by": "答复登记人", "response_on_behalf": "代为登记答复",
    "scheduled_at": "调解时间", "place": "调解地点", "attended": "到场",
    "absence_reason": "缺席原因",
}  # fmt: skip


def describe_change(key: str) -> str:
    """A change key of a correction in words: "当事人 玉香.phone" -> "当事人 玉香的联系电话"."""
    owner, _, field_name = key.rpartition(".")
    if owner:
        return f"{owner}的{FIELD_LABELS.get(field_name, field_name)}"
    return FIELD_LABELS.get(key, key)


@dataclass(frozen=True)
class PartyInput:
    """One party as typed on the form. `id` is set when correcting an existing party."""

    name: str
    role: str = "applicant"
    kind: str = "person"
    gender: str = ""
    ethnicity: str = ""
    nationality: str = ""
    id_type: str = ""
    id_number: str = ""
    birth_date: date | None = None
    phone: str = ""
    address: str = ""
    occupation: str = ""
    needs_interpreter: bool = False
    interpreter_language: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    is_representative: bool = False
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class AttachmentInput:
    """A file chosen or dropped on the form, or (with `id`) one already attached."""

    path: Path | None = None
    category: str = "photo"
    note: str = ""
    id: uuid.UUID | None = None
    filename: str = ""


@dataclass(frozen=True)
class CaseInput:
    title: str
    dispute_type_code: str
    division_code: str
    channel: str = "walk_in"
    channel_note: str = ""
    facts: str = ""
    claims: str = ""
    received_at: datetime | None = None
    visitor_count: int = 1
    group_visit: bool = False
    dispute_subtype: str = ""
    place_detail: str = ""
    police_risk: bool = False
    police_reported_to: str = ""
    police_reported_at: datetime | None = None
    group_matter: bool = False
    foreign_related: bool = False
    urgent: bool = False
    #: 重复来访: the earlier case this visit repeats (on this desk, not voided, not itself).
    repeat_of_id: uuid.UUID | None = None
    parties: tuple[PartyInput, ...] = field(default_factory=tuple)
    attachments: tuple[AttachmentInput, ...] = field(default_factory=tuple)


#: Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
VERIFY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
VERIFY_LENGTH = 8


def new_verify_code(rng: random.Random | None = None) -> str:
    """A receipt's verification code: random (`secrets`), or from `rng` for demo data."""
    choose = rng.choice if rng is not None else secrets.choice
    return "".join(choose(VERIFY_ALPHABET) for _ in range(VERIFY_LENGTH))


@dataclass(frozen=True)
class CaseRef:
    id: uuid.UUID
    case_no: str
    status: str


# --- validation ---------------------------------------------------------------------------


def _text(errors: dict[str, str], key: str, value: str, label: str, **kw: Any) -> str:
    cleaned, problem = check_text(value, label, **kw)
    if problem:
        errors[key] = problem
    return cleaned


def _valid_party(p: PartyInput, key: str, today: date, errors: dict[str, str]) -> PartyInput:
    """The party as it will be stored (normalised, filled from the ID), errors under `key`."""
    name, problem = check_name(p.name, "单位名称" if p.kind == "organisation" else "姓名")
    if problem:
        errors[f"{key}.name"] = problem
    if p.role not in PARTY_ROLES:
        errors[f"{key}.role"] = "请选择当事人身份（申请人、被申请人或第三人）"
    if p.kind not in PARTY_KINDS:
        errors[f"{key}.kind"] = "请选择自然人或单位"
    out = replace(
        p,
        name=name,
        address=_text(errors, f"{key}.address", p.address, "住址", max_length=200),
        occupation=_text(errors, f"{key}.occupation", p.occupation, "职业", max_length=64),
        nationality=_text(errors, f"{key}.nationality", p.nationality, "国籍", max_length=32),
        legal_representative=_text(
            errors,
            f"{key}.legal_representative",
            p.legal_representative,
            "法定代表人",
            max_length=64,
        ),
        contact_person=_text(
            errors, f"{key}.contact_person", p.contact_person, "联系人", max_length=64
        ),
        interpreter_language=_text(
            errors,
            f"{key}.interpreter_language",
            p.interpreter_language,
            "翻译语种",
            max_length=32,
        ),
    )
    # Contact number: every applicant must be reachable for feedback and follow-up.
    if p.phone.strip():
        try:
            out = replace(out, phone=identity.validate_phone(p.phone))
        except ValidationError as exc:
            errors[f"{key}.phone"] = exc.fields["phone"]
    elif p.role == "applicant":
        errors[f"{key}.phone"] = "请填写申请人的联系电话（手机或座机），便于反馈和回访"
    if p.kind == "organisation":
        out = replace(out, gender="", ethnicity="", birth_date=None, needs_interpreter=False)
        if p.id_number.strip():
            try:
                out = replace(out, id_type="uscc", id_number=identity.validate_uscc(p.id_number))
            except ValidationError as exc:
                errors[f"{key}.id_number"] = next(iter(exc.fields.values()))
        else:
            out = replace(out, id_type="")
        return out
    return _valid_person(out, p, key, today, errors)


def _valid_person(
    out: PartyInput, p: PartyInput, key: str, today: date, errors: dict[str, str]
) -> PartyInput:
    if p.gender not in ("", *GENDERS):
        errors[f"{key}.gender"] = "请选择性别"
    id_type = p.id_type or ("resident_id" if p.id_number.strip() else "")
    if p.id_number.strip():
        try:
            number = identity.validate_id(id_type, p.id_number, p.nationality, today)
            out = replace(out, id_type=id_type, id_number=number)
        except ValidationError as exc:
            for field_name, message in exc.fields.items():
                errors[f"{key}.{field_name}"] = message
    elif id_type in identity.NEEDS_NATIONALITY and not p.nationality.strip():
        errors[f"{key}.nationality"] = "持护照或边境通行证的当事人请填写国籍，例如“老挝”“缅甸”"
    else:
        out = replace(out, id_type=id_type, id_number="")
    if out.id_type == "resident_id" and f"{key}.id_number" not in errors:
        resident = identity.parse_resident_id(out.id_number, today)
        if p.birth_date and p.birth_date != resident.birth_date:
            errors[f"{key}.birth_date"] = (
                f"出生日期与身份证号不一致（证件上是 {resident.birth_date:%Y-%m-%d}），请核对"
            )
        if p.gender and p.gender != resident.gender:
            errors[f"{key}.gender"] = (
                f"性别与身份证号不一致（证件上是{GENDERS[resident.gender]}），请核对"
            )
        out = replace(out, birth_date=resident.birth_date, gender=resident.gender)
    if out.birth_date is not None and not date(1850, 1, 1) <= out.birth_date <= today:
        errors[f"{key}.birth_date"] = "出生日期不能晚于今天，请核对"
    if out.id_type in FOREIGN_ID_TYPES:
        if p.ethnicity:
            errors[f"{key}.ethnicity"] = "外籍当事人不填民族，请填写国籍"
        if not out.nationality:
            errors[f"{key}.nationality"] = "外籍当事人请填写国籍，例如“老挝”“缅甸”"
    elif p.ethnicity and p.ethnicity not in identity.ETHNICITIES:
        errors[f"{key}.ethnicity"] = "请从列表中选择民族"
    if p.needs_interpreter and not out.interpreter_language:
        errors[f"{key}.interpreter_language"] = "需要翻译时请填写语种，例如“傣语”“老挝语”"
    if not p.needs_interpreter:
        out = replace(out, interpreter_language="")
    return out


def _valid_attachment(a: AttachmentInput, key: str, errors: dict[str, str]) -> AttachmentInput:
    if a.id is not None:
        return a
    if a.path is None or not a.path.is_file():
        errors[key] = f"找不到文件 {a.path}，请重新选择"
        return a
    name = a.path.name
    kind = ATTACHMENT_TYPES.get(a.path.suffix.lower())
    if kind is None:
        allowed = "、".join(sorted({e.lstrip(".") for e in ATTACHMENT_TYPES}))
        errors[key] = f"不支持“{name}”的文件类型：只能附 {allowed} 格式的照片或扫描件"
        return a
    size = a.path.stat().st_size
    if size == 0:
        errors[key] = f"“{name}”是空文件，请重新扫描或拍照"
    elif size > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES >> 20
        errors[key] = (
            f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {limit} MB：请压缩或降低扫描分辨率后再附"
        )
    else:
        with a.path.open("rb") as fh:
            head = fh.read(16)
        if not head.startswith(kind[1]):
            errors[key] = f"“{name}”的内容与扩展名不符（不是真正的 {kind[0]} 文件），请检查"
    if a.category not in ATTACHMENT_CATEGORIES:
        errors[key] = "请选择附件类别"
    note = _text(errors, f"{key}.note", a.note, "附件说明", max_length=200)
    return replace(a, note=note, filename=a.filename or name)


def _check_repeat_of(
    session: Session,
    data: CaseInput,
    case_id: uuid.UUID | None,
    stored: uuid.UUID | None,
    errors: dict[str, str],
) -> None:
    """The earlier case of a repeat visit must be on this desk and not voided (unless a
    correction keeps a link made before), and a case cannot repeat itself."""
    earlier_id = data.repeat_of_id
    if earlier_id is None:
        return
    if case_id is not None and earlier_id == case_id:
        errors["repeat_of_id"] = "案件不能标记为自己的重复来访，请选择更早的案件"
        return
    if earlier_id == stored:
        return
    earlier = session.get(Case, earlier_id)
    if earlier is None:
        errors["repeat_of_id"] = "标记的前案不在本窗口（可能尚未同步），请取消标记或重新选择"
    elif earlier.voided_at is not None:
        errors["repeat_of_id"] = f"前案 {earlier.case_no} 已作废，不能标记为它的重复来访"


def validate(
    session: Session,
    data: CaseInput,
    now: datetime | None = None,
    registered_at: datetime | None = None,
    *,
    case_id: uuid.UUID | None = None,
    repeat_of_before: uuid.UUID | None = None,
) -> tuple[CaseInput, dict[str, str]]:
    """The input as it will be stored, and every problem keyed by field.

    `case_id` and `repeat_of_before` are the case being corrected and its stored
    repeat-visit link.
    """
    now = now or utcnow()
    today = now.astimezone(numbering.SHANGHAI).date()
    errors: dict[str, str] = {}
    title = _text(errors, "title", data.title, "事项标题", max_length=100, required=True)
    facts = _text(errors, "facts", data.facts, "主要事实", max_length=20_000, multiline=True)
    claims = _text(errors, "claims", data.claims, "申请人诉求", max_length=5_000, multiline=True)
    place = _text(errors, "place_detail", data.place_detail, "详细地点", max_length=200)
    note = _text(errors, "channel_note", data.channel_note, "来源说明", max_length=100)
    if data.channel not in CHANNELS:
        errors["channel"] = "请选择来源渠道"
    elif data.channel in CHANNELS_NEEDING_NOTE and not note:
        errors["channel_note"] = "请写明移交或交办的单位，或其他来源的情况"
    received_at = data.received_at or now
    if received_at == registered_at:
        pass  # a correction that keeps the time: this desk's clock must not refuse it
    elif received_at > now + timedelta(minutes=5):
        errors["received_at"] = "受理时间不能晚于现在，请核对"
    elif received_at < now - timedelta(days=366):
        errors["received_at"] = "受理时间早于一年前，请核对（补录旧案请与管理员联系）"
    kind = session.scalar(
        select(DisputeType).where(
            DisputeType.code == data.dispute_type_code, DisputeType.parent_code.is_(None)
        )
    )
    if kind is None:
        errors["dispute_type_code"] = "请选择纠纷类型"
    elif data.dispute_subtype:
        subtypes = session.scalars(
            select(DisputeType.name).where(DisputeType.parent_code == kind.code)
        ).all()
        if data.dispute_subtype not in subtypes:
            errors["dispute_subtype"] = "请从列表中选择纠纷子类"
    division = session.scalar(select(Division).where(Division.code == data.division_code))
    if division is None or division.level not in ("town", "village"):
        errors["division_code"] = "请选择纠纷发生地：先选乡镇（街道），再选村（社区）"
    if not 1 <= data.visitor_count <= 999:
        errors["visitor_count"] = "来访人数应在 1 到 999 之间"
    reported_to = _text(
        errors, "police_reported_to", data.police_reported_to, "报告的派出所", max_length=100
    )
    if data.police_risk and not reported_to:
        errors["police_reported_to"] = (
            "可能激化为治安、刑事案件的纠纷应及时报告派出所（人民调解法第二十五条）：请填写报告给谁"
        )
    if data.police_risk and data.police_reported_at is None:
        errors["police_reported_at"] = "请填写报告派出所的时间"
    if data.police_reported_at is not None and data.police_reported_at > now + timedelta(minutes=5):
        errors["police_reported_at"] = "报告时间不能晚于现在"
    _check_repeat_of(session, data, case_id, repeat_of_before, errors)

    parties = tuple(
        _valid_party(p, f"parties.{i}", today, errors) for i, p in enumerate(data.parties)
    )
    if not any(p.role == "applicant" for p in data.parties):
        errors["parties"] = "请至少登记一名申请人"
    numbers = [p.id_number for p in parties if p.id_number]
    for i, p in enumerate(parties):
        if p.id_number and numbers.count(p.id_number) > 1:
            errors.setdefault(f"parties.{i}.id_number", "同一证件号码登记了两次，请核对")
    representatives = sum(p.is_representative for p in data.parties)
    if data.group_visit:
        if data.visitor_count < GROUP_VISIT_MIN:
            errors["visitor_count"] = f"集体访的来访人数应不少于 {GROUP_VISIT_MIN} 人"
        if not 1 <= representatives <= MAX_REPRESENTATIVES:
            errors["parties"] = (
                f"集体访应推选 1 到 {MAX_REPRESENTATIVES} 名代表：请在当事人中勾选“代表”"
            )
    elif representatives:
        errors["group_visit"] = "勾选了代表的来访请同时勾选“集体访”"
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = f"附件最多 {MAX_ATTACHMENTS} 个"
    attachments = tuple(
        _valid_attachment(a, f"attachments.{i}", errors) for i, a in enumerate(data.attachments)
    )
    cleaned = replace(
        data,
        title=title,
        facts=facts,
        claims=claims,
        place_detail=place,
        channel_note=note,
        received_at=received_at,
        police_reported_to=reported_to,
        police_reported_at=data.police_reported_at if data.police_risk else None,
        parties=parties,
        attachments=attachments,
    )
    return cleaned, errors


# --- attachments ----------------------------------------------------------------------------


def attachment_path(attachments_dir: Path, sha256: str) -> Path:
    """Where the file with this content lives: attachments/<sha[:2]>/<sha>."""
    return attachments_dir / sha256[:2] / sha256


def store_file(attachments_dir: Path, source: Path) -> tuple[str, int]:
    """Copy `source` into the content-addressed store (once per content); (sha256, size)."""
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    sha = digest.hexdigest()
    target = attachment_path(attachments_dir, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    return sha, target.stat().st_size


def _new_attachments(
    desk: Desk, case_id: uuid.UUID, items: tuple[AttachmentInput, ...]
) -> list[Attachment]:
    rows = []
    for a in items:
        if a.id is not None or a.path is None:
            continue
        sha, size = store_file(desk.dirs.attachments, a.path)
        mime = ATTACHMENT_TYPES[a.path.suffix.lower()][0]
        rows.append(
            Attachment(
                case_id=case_id,
                sha256=sha,
                filename=a.filename or a.path.name,
                mime_type=mime,
                size=size,
                category=a.category,
                note=a.note,
            )
        )
    return rows


# --- commands ---------------------------------------------------------------------------------

_PARTY_FIELDS = [f.name for f in fields(PartyInput) if f.name != "id"]
_CASE_FIELDS = [
    "title",
    "dispute_type_code",
    "dispute_subtype",
    "division_code",
    "place_detail",
    "channel",
    "channel_note",
    "facts",
    "claims",
    "received_at",
    "visitor_count",
    "group_visit",
    "police_risk",
    "police_reported_to",
    "police_reported_at",
    "group_matter",
    "foreign_related",
    "urgent",
    "repeat_of_id",
]


def party_values(p: PartyInput) -> dict[str, Any]:
    """A party's stored columns (all but its row id, case and order)."""
    return {name: getattr(p, name) for name in _PARTY_FIELDS}


def _party_row(case_id: uuid.UUID, p: PartyInput, order: int) -> Party:
    return Party(case_id=case_id, sort_order=order, **party_values(p))


def register_case(desk: Desk, actor: Actor, data: CaseInput, draft: str = "") -> CaseRef:
    """Register a matter: case, parties, attachments, history event and outbox ops at once.

    `draft` names the form whose saved draft (`drafts`) this registration completes: it is
    deleted in the same transaction, so a crash never leaves the draft of a saved case.
    """
    with desk.uow(actor) as uow:
        ref = register_in(desk, uow, data)
        if draft:
            drafts.discard_in(uow.session, actor.user_id, draft)
        return ref


def register_in(desk: Desk, uow: UnitOfWork, data: CaseInput) -> CaseRef:
    """`register_case` inside a unit of work that a larger action has opened."""
    require(uow.actor, Role.CLERK, Role.OFFICER)
    info = desk.identity
    s = uow.session
    data, errors = validate(s, data, uow.now)
    if errors:
        raise ValidationError(errors)
    case_no = numbering.allocate(
        s,
        "case",
        template=info.case_no_template,
        center=info.short_name,
        desk=info.desk_code,
        at=uow.now,
    )
    values = {name: getattr(data, name) for name in _CASE_FIELDS}
    case = Case(
        case_no=case_no,
        status="pending_triage",
        clerk_id=uow.actor.user_id,
        registered_by=uow.actor.username,
        verify_code=new_verify_code(),
        **values,
        **first_clock(s, data.received_at or uow.now),
    )
    uow.add(case)
    s.flush()
    for order, p in enumerate(data.parties):
        uow.add(_party_row(case.id, p, order))
    for row in _new_attachments(desk, case.id, data.attachments):
        uow.add(row)
    summary = f"登记受理 {case_no}"
    details: dict[str, Any] = {
        "channel": data.channel,
        "parties": len(data.parties),
        "attachments": len(data.attachments),
    }
    earlier = _case_no_of(s, data.repeat_of_id)
    if earlier:
        summary += f"（重复来访，前案 {earlier}）"
        details["repeat_of"] = earlier
    uow.event(case.id, "registered", summary, details)
    return CaseRef(case.id, case_no, case.status)


def first_clock(session: Session, received_at: datetime) -> dict[str, Any]:
    """The triage step's clock of a newly registered case (values for its row): it
    starts when the matter was received."""
    from desk_app.services import deadlines
    from desk_app.services.workcalendar import load_calendar

    rule = deadlines.pick(deadlines.load_rules(session), "triage")
    if rule is None:
        return {}
    due = deadlines.compute_due(load_calendar(session), received_at, rule.days, rule.working_days)
    return {
        "step": "triage", "step_started_at": received_at, "due_at": due.due_at,
        "warn_at": due.warn_at, "due_days": due.days, "due_working_days": due.working,
    }  # fmt: skip


def _case_no_of(session: Session, case_id: uuid.UUID | None) -> str | None:
    if case_id is None:
        return None
    case = session.get(Case, case_id)
    return case.case_no if case is not None else str(case_id)


def _load_case(session: Session, case_id: uuid.UUID) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise DeskError("找不到该案件，可能已被删除或尚未同步到本窗口")
    return case


def load_input(db: Database, case_id: uuid.UUID) -> CaseInput:
    """A registered case as form input, for corrections (party and attachment ids kept)."""
    with db.read() as s:
        case = _load_case(s, case_id)
        parties = s.scalars(
            select(Party)
            .where(Party.case_id == case_id, Party.voided_at.is_(None))
            .order_by(Party.sort_order)
        ).all()
        attachments = s.scalars(
            select(Attachment)
            .where(Attachment.case_id == case_id, Attachment.voided_at.is_(None))
            .order_by(Attachment.created_at)
        ).all()
        return CaseInput(
            **{name: getattr(case, name) for name in _CASE_FIELDS},
            parties=tuple(
                PartyInput(id=p.id, **{n: getattr(p, n) for n in _PARTY_FIELDS}) for p in parties
            ),
            attachments=tuple(
                AttachmentInput(id=a.id, category=a.category, note=a.note, filename=a.filename)
                for a in attachments
            ),
        )


def _may_change(actor: Actor, case: Case) -> None:
    """Its clerk, an officer or an administrator may correct or void a registered case."""
    if case.registered_by != actor.username:
        require(actor, Role.OFFICER)
    if case.voided_at is not None:
        raise DeskError(f"案件 {case.case_no} 已作废，不能再更正")


def _reason(reason: str, what: str) -> str:
    cleaned, problem = check_text(reason, f"{what}原因", max_length=500, required=True)
    if problem:
        raise ValidationError({"reason": problem})
    if len(cleaned) < 2:
        raise ValidationError({"reason": f"请写明{what}原因（至少两个字）"})
    return cleaned


def _shown(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(numbering.SHANGHAI).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def correct_case(
    desk: Desk, actor: Actor, case_id: uuid.UUID, data: CaseInput, reason: str
) -> CaseRef:
    """Apply a corrected form: changed fields become patch ops with their before-values.

    Parties are matched by id: new ones are created, missing ones voided. New
    attachments are added; attachments left out of the form are voided. The
    history records every change with its before and after value and the reason.
    """
    reason = _reason(reason, "更正")
    with desk.uow(actor) as uow:
        s = uow.session
        case = _load_case(s, case_id)
        _may_change(actor, case)
        data, errors = validate(
            s,
            data,
            uow.now,
            registered_at=case.received_at,
            case_id=case.id,
            repeat_of_before=case.repeat_of_id,
        )
        if errors:
            raise ValidationError(errors)
        changes: dict[str, list[Any]] = {}
        for name in _CASE_FIELDS:
            before, after = getattr(case, name), getattr(data, name)
            if before != after:
                if name == "repeat_of_id":  # the history names cases by number
                    changes[name] = [_case_no_of(s, before), _case_no_of(s, after)]
                else:
                    changes[name] = [_shown(before), _shown(after)]
                setattr(case, name, after)
        existing = {
            p.id: p
            for p in s.scalars(
                select(Party).where(Party.case_id == case_id, Party.voided_at.is_(None))
            )
        }
        kept: set[uuid.UUID] = set()
        for order, p in enumerate(data.parties):
            if p.id is None or p.id not in existing:
                s.add(_party_row(case_id, p, order))
                changes[f"当事人 {p.name}"] = [None, "新增"]
                continue
            row = existing[p.id]
            kept.add(p.id)
            row.sort_order = order
            for name in _PARTY_FIELDS:
                before, after = getattr(row, name), getattr(p, name)
                if before != after:
                    changes[f"当事人 {row.name}.{name}"] = [_shown(before), _shown(after)]
                    setattr(row, name, after)
        for pid, row in existing.items():
            if pid not in kept:
                row.voided_at = uow.now
                row.void_reason = reason
                changes[f"当事人 {row.name}"] = ["登记", "删除"]
        attached = {
            a.id: a
            for a in s.scalars(
                select(Attachment).where(
                    Attachment.case_id == case_id, Attachment.voided_at.is_(None)
                )
            )
        }
        listed = {a.id for a in data.attachments if a.id is not None}
        for aid, attachment in attached.items():
            if aid not in listed:
                attachment.voided_at = uow.now
                attachment.void_reason = reason
                changes[f"附件 {attachment.filename}"] = ["附上", "删除"]
        for attachment in _new_attachments(desk, case_id, data.attachments):
            s.add(attachment)
            changes[f"附件 {attachment.filename}"] = [None, "新增"]
        if not changes:
            raise ValidationError({"reason": "没有任何改动，无需更正"})
        summary = "更正：" + "、".join(describe_change(k) for k in changes)
        uow.event(case_id, "corrected", summary[:200], {"reason": reason, "changes": changes})
        return CaseRef(case.id, case.case_no, case.status)


def void_case(desk: Desk, actor: Actor, case_id: uuid.UUID, reason: str) -> None:
    """Void a case registered by mistake (作废): never deleted, kept with the reason."""
    reason = _reason(reason, "作废")
    with desk.uow(actor) as uow:
        case = _load_case(uow.session, case_id)
        _may_change(actor, case)
        case.voided_at = uow.now
        case.void_reason = reason
        uow.event(case_id, "voided", f"作废：{reason}"[:200], {"reason": reason})
