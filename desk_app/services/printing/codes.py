"""What the receipt's QR code carries, and reading it back from a scanner.

The QR code holds no personal data: either the case number and verification
code as one line of text, ``景综〔2026〕D03-00042 验证码 ABCD2345``, or, where the
center configures a progress-query address template (`center.progress_url`),
that address with both filled in, URL-encoded. One line and no Enter inside:
a handheld scanner types it into the lookup field as a keyboard would.

`parse_scanned` reads either form back, and a verification code typed alone.
Scanners set to a keyboard layout that cannot type Chinese may drop or garble
the non-ASCII part of the text form; the code, always ASCII and last, still
comes through, and it alone finds the case (`find_by_code`), even one that was
renumbered after its receipt was printed.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.models import Case
from desk_app.models.db import Database
from desk_app.services.cases import VERIFY_ALPHABET, VERIFY_LENGTH
from desk_app.services.errors import DeskError

#: The label between the case number and the code in the text form.
CODE_LABEL = "验证码"
_CODE_RE = re.compile(f"[{VERIFY_ALPHABET}]{{{VERIFY_LENGTH}}}")
#: A full case number: anything, a year in 〔〕, a desk code, a hyphen and a sequence number.
_CASE_NO_RE = re.compile(r"\S*〔(?:19|20)\d{2}〕[A-Z][A-Z0-9]{1,7}-\d{1,6}")
#: What is left of a case number whose Chinese a scanner could not type: 2026D03-00042.
_GARBLED_CASE_NO_RE = re.compile(r"[A-Z0-9]{1,7}-\d{1,6}$")
_LABELS = {CODE_LABEL, "查询码", "CODE", "VERIFY"}
_SEPARATORS = re.compile(r"[\s:：,，;；|/]+")
#: Query parameters an address template is likely to give the code under.
_CODE_KEYS = ("code", "vc", "verify", "verify_code", "yzm", "key")
PLACEHOLDERS = ("case_no", "code")


def normalise_code(text: str) -> str | None:
    """`text` as a verification code (upper case, full-width folded), or None if it is none."""
    folded = unicodedata.normalize("NFKC", text).strip().upper()
    return folded if _CODE_RE.fullmatch(folded) else None


def qr_text(case_no: str, code: str) -> str:
    """The text form of the QR code."""
    return f"{case_no} {CODE_LABEL} {code}"


def check_address_template(template: str) -> str | None:
    """Why `template` cannot make a progress-query address, or None."""
    if not re.match(r"^https?://[^\s/]+", template):
        return "进度查询网址应以 http:// 或 https:// 开头，且不含空格"
    names = re.findall(r"{([^{}]*)}", template)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        return f"进度查询网址模板中的 {{{unknown[0]}}} 无法识别：只能用 {{case_no}} 和 {{code}}"
    if "code" not in names:
        return "进度查询网址模板须含 {code}（验证码），否则无法凭二维码查到本件"
    return None


def progress_address(template: str, case_no: str, code: str) -> str:
    """The address for one case: the template with both values URL-encoded.

    Raises:
        DeskError: the template is not usable.
    """
    problem = check_address_template(template)
    if problem:
        raise DeskError(f"{problem}（设置 center.progress_url）")
    values = {"case_no": quote(case_no, safe=""), "code": quote(code, safe="")}
    return re.sub(r"{(case_no|code)}", lambda m: values[m[1]], template)


def _parse_address(text: str) -> tuple[str | None, str | None]:
    parts = urlsplit(text)
    components = [unquote(p) for p in parts.path.split("/") if p]
    pairs = parse_qsl(parts.query, keep_blank_values=True) + parse_qsl(parts.fragment)
    case_no = next(
        (m[0] for v in [*components, *(v for _, v in pairs)] if (m := _CASE_NO_RE.search(v))),
        None,
    )
    named = [v for k, v in pairs if k.lower() in _CODE_KEYS and _CODE_RE.fullmatch(v)]
    others = [v for v in [*components, *(v for _, v in pairs)] if _CODE_RE.fullmatch(v)]
    found = named or others[-1:]
    return case_no, (found[0] if found else None)


def parse_scanned(text: str) -> tuple[str | None, str | None]:
    """The case number and verification code a scan (or a typed code) carries.

    Understands the text form of `qr_text` (also with its Chinese lost or
    garbled), a progress-query address, and a verification code alone (any
    case). Anything else gives (None, None); a full case number alone gives it
    with no code. A lone code can also be a passport number or a Latin name:
    look those up too.
    """
    folded = unicodedata.normalize("NFKC", text or "").strip()
    if not folded:
        return None, None
    if re.match(r"^https?://", folded, re.IGNORECASE):
        return _parse_address(folded)
    case_no: str | None = None
    code: str | None = None
    for token in _SEPARATORS.split(folded):
        if not token:
            continue
        if _CASE_NO_RE.fullmatch(token):
            case_no = token
            continue
        upper = token.upper()
        if upper in _LABELS or not any(c.isascii() and c.isalnum() for c in token):
            continue  # the label, or Chinese a scanner garbled into ??? or dropped
        if _GARBLED_CASE_NO_RE.search(upper):
            continue
        if _CODE_RE.fullmatch(upper) and code is None:
            code = upper
            continue
        return None, None  # something else: a name, a phone, an ID number …
    return case_no, code


def case_ids_by_code(session: Session, code: str) -> list[uuid.UUID]:
    """Cases with this verification code (voided ones too), newest first."""
    normal = normalise_code(code)
    if normal is None:
        return []
    rows = session.scalars(
        select(Case.id)
        .where(Case.verify_code == normal)
        .order_by(Case.received_at.desc(), Case.id.desc())
    )
    return list(rows)


def find_by_code(db: Database, code: str) -> list[uuid.UUID]:
    """`case_ids_by_code` in a read session of its own (on the ix_cases_verify_code index)."""
    with db.read() as s:
        return case_ids_by_code(s, code)
