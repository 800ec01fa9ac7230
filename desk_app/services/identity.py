"""Identity and contact numbers: ID cards and other documents, phones, credit codes.

Plain rules, no database and no Qt, so the intake form, the command line and
the demo-data generator share them. Errors are `ValidationError`s keyed by the
form field (``id_number``, ``nationality``, ``phone``) with a Chinese message
that says what is wrong and how to fix it.

Sources: GB 11643-1999 (citizen ID number and its check character), GB
32100-2015 (unified social credit code), GB/T 3304-1991 (ethnicity codes), the
Ministry of Public Security's formats of the 港澳台居民居住证 (2018) and of the
外国人永久居留身份证 (2023 edition), see DOMAIN.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from desk_app.services.errors import ValidationError

# --- citizen ID numbers (GB 11643-1999) ----------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID18_RE = re.compile(r"^\d{17}[\dX]$")
_ID15_RE = re.compile(r"^\d{15}$")
#: Earliest birth year taken as real (the standard's own example is born in 1880).
_MIN_BIRTH_YEAR = 1850

#: Address codes of the 港澳台居民居住证: 81 Hong Kong, 82 Macao, 83 Taiwan.
HMT_PREFIXES: dict[str, str] = {"810000": "香港", "820000": "澳门", "830000": "台湾"}

#: Person document types: code -> label on the form.
ID_TYPES: dict[str, str] = {
    "resident_id": "居民身份证",
    "hmt_residence": "港澳台居民居住证",
    "foreign_permanent": "外国人永久居留身份证",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "passport": "护照",
    "border_pass": "边境地区出入境通行证",
    "other": "其他证件",
}

#: Organisation document types (parties of kind "organisation").
ORG_ID_TYPES: dict[str, str] = {"uscc": "统一社会信用代码"}

#: Document types that need a nationality beside the number.
NEEDS_NATIONALITY = frozenset({"passport", "border_pass"})


@dataclass(frozen=True)
class ResidentId:
    """A checked 18-digit ID number and what it says about its holder."""

    number: str
    birth_date: date
    gender: str  # "male" | "female"
    address_code: str


def normalise_id(text: str) -> str:
    """An ID number as stored: full-width forms folded, no spaces, upper case (x -> X)."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(folded.split()).upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _birth_date(digits8: str, today: date, what: str) -> date:
    shown = f"{digits8[:4]}-{digits8[4:6]}-{digits8[6:]}"
    try:
        born = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        raise ValidationError(
            {"id_number": f"{what}中的出生日期 {shown} 不存在，请核对第 7 到 14 位"}
        ) from None
    if born > today:
        raise ValidationError(
            {"id_number": f"{what}中的出生日期 {shown} 晚于今天，请核对第 7 到 14 位"}
        )
    if born.year < _MIN_BIRTH_YEAR:
        raise ValidationError(
            {"id_number": f"{what}中的出生年份 {born.year} 不合理，请核对第 7 到 10 位"}
        )
    return born


def _parse18(number: str, today: date, what: str) -> ResidentId:
    """Check an 18-character number of the GB 11643 layout (ID card and its relatives)."""
    if not _ID18_RE.match(number):
        raise ValidationError(
            {"id_number": f"{what}号码由 17 位数字加最后一位数字或 X 组成，请核对"}
        )
    born = _birth_date(number[6:14], today, what)
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError({"id_number": f"{what}号校验位不正确，请核对最后一位"})
    return ResidentId(
        number=number,
        birth_date=born,
        gender="male" if int(number[16]) % 2 else "female",
        address_code=number[:6],
    )


def parse_resident_id(text: str, today: date | None = None) -> ResidentId:
    """Check a citizen ID number (18 digits, or a legacy 15-digit one) and read it.

    A 15-digit number becomes its 18-digit form ("19" after the address code, and
    the check character). Retired address codes are accepted: people keep them.

    Raises:
        ValidationError: field ``id_number``, with what is wrong and how to fix it.
    """
    today = today or date.today()
    number = normalise_id(text)
    if not number:
        raise ValidationError({"id_number": "请填写身份证号"})
    if len(number) == 15:
        if not _ID15_RE.match(number):
            raise ValidationError({"id_number": "15 位旧身份证号只能由数字组成，请核对"})
        first17 = number[:6] + "19" + number[6:]
        _birth_date(first17[6:14], today, "身份证号")
        number = first17 + id_check_char(first17)
    elif len(number) != 18:
        raise ValidationError(
            {"id_number": f"身份证号应为 18 位（旧证 15 位），现在是 {len(number)} 位，请核对"}
        )
    elif not _ID18_RE.match(number):
        raise ValidationError(
            {"id_number": "身份证号由 17 位数字和最后一位数字或 X 组成，请核对有无错字"}
        )
    return _parse18(number, today, "身份证")


# --- other documents -------------------------------------------------------------

_HK_MACAO_RE = re.compile(r"^[HM](\d{8}|\d{10})$")
_TAIWAN_RE = re.compile(r"^(\d{8}|[0-9A-Z]{10})$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{4,20}$")
#: The foreign permanent-residence card before the 2023 edition: ISO country code + 12 digits.
_OLD_PERMANENT_RE = re.compile(r"^[A-Z]{3}\d{12}$")


def _check_resident(number: str, today: date) -> str:
    """A citizen ID number, with a hint when the holder picked the wrong document type."""
    if len(number) == 18 and number.startswith("9"):
        raise ValidationError(
            {
                "id_number": "以 9 开头的是外国人永久居留身份证号码，"
                "请把证件类型改为“外国人永久居留身份证”"
            }
        )
    if number[:6] in HMT_PREFIXES and len(number) == 18:
        raise ValidationError(
            {"id_number": "以 810000/820000/830000 开头的是港澳台居民居住证，请改选该证件类型"}
        )
    return parse_resident_id(number, today).number


def _check_hmt(number: str, today: date) -> str:
    if len(number) != 18:
        raise ValidationError(
            {"id_number": f"港澳台居民居住证号码应为 18 位，现在是 {len(number)} 位"}
        )
    if number[:6] not in HMT_PREFIXES:
        raise ValidationError(
            {
                "id_number": "港澳台居民居住证号码以 810000（香港）、820000（澳门）"
                "或 830000（台湾）开头，请核对前 6 位"
            }
        )
    return _parse18(number, today, "港澳台居民居住证").number


def _check_permanent(number: str, today: date) -> str:
    if _OLD_PERMANENT_RE.match(number):  # older cards stay valid until they expire
        return number
    if len(number) != 18 or not number.startswith("9"):
        raise ValidationError(
            {
                "id_number": "外国人永久居留身份证号码为 18 位、以 9 开头"
                "（2017 年版为 3 位字母加 12 位数字），请核对"
            }
        )
    return _parse18(number, today, "外国人永久居留身份证").number


def _check_hk_macao(number: str, _today: date) -> str:
    if not _HK_MACAO_RE.match(number):
        raise ValidationError(
            {"id_number": "港澳居民来往内地通行证号码为 H 或 M 加 8 位数字（旧证加 10 位），请核对"}
        )
    return number


def _check_taiwan(number: str, _today: date) -> str:
    number = re.sub(r"[()]", "", number)  # older numbers print the reissue count in brackets
    if not _TAIWAN_RE.match(number):
        raise ValidationError(
            {"id_number": "台湾居民来往大陆通行证号码为 8 位数字（旧证 10 位），请核对"}
        )
    return number


def _check_travel_document(number: str, _today: date) -> str:
    if not _PASSPORT_RE.match(number):
        raise ValidationError({"id_number": "证件号码为 4 到 20 位字母或数字，请按证件原样填写"})
    return number


def _check_other(number: str, _today: date) -> str:
    if not 1 <= len(number) <= 40 or not number.isprintable():
        raise ValidationError({"id_number": "证件号码为 1 到 40 个字符，请按证件原样填写"})
    return number


_CHECKERS = {
    "resident_id": _check_resident,
    "hmt_residence": _check_hmt,
    "foreign_permanent": _check_permanent,
    "hk_macao_permit": _check_hk_macao,
    "taiwan_permit": _check_taiwan,
    "passport": _check_travel_document,
    "border_pass": _check_travel_document,
    "other": _check_other,
}


def validate_id(id_type: str, number: str, nationality: str = "", today: date | None = None) -> str:
    """The normalised number of a document of type `id_type` (see `ID_TYPES`, `ORG_ID_TYPES`).

    Raises:
        ValidationError: field ``id_number`` for the number, ``nationality`` when a
            passport or border pass comes without one, ``id_type`` for an unknown type.
    """
    today = today or date.today()
    if id_type in ORG_ID_TYPES:
        return validate_uscc(number)
    checker = _CHECKERS.get(id_type)
    if checker is None:
        raise ValidationError({"id_type": "请选择证件类型"})
    errors: dict[str, str] = {}
    if id_type in NEEDS_NATIONALITY and not nationality.strip():
        errors["nationality"] = "持护照或边境通行证的当事人请填写国籍，例如“老挝”“缅甸”"
    normalised = normalise_id(number)
    if not normalised:
        errors["id_number"] = f"请填写{ID_TYPES[id_type]}号码"
    else:
        try:
            normalised = checker(normalised, today)
        except ValidationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    return normalised


def mask_id(number: str) -> str:
    """An ID number for lists and printouts: 532801********123X (first 6 and last 4 kept)."""
    n = len(number)
    if n > 10:
        return number[:6] + "*" * (n - 10) + number[-4:]
    if n > 2:  # short documents: show a quarter at each end at most
        keep = max(1, n // 4)
        return number[:keep] + "*" * (n - 2 * keep) + number[-keep:]
    return "*" * n


# --- phones ------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")
_LANDLINE_SPLIT_RE = re.compile(r"^\(?(0\d{2,3})\)?[\s\-]+(\d{7,8})$")
_PHONE_ERROR = "电话号码有误：手机号为 11 位、以 13 到 19 开头；座机请带区号，例如 0691-2123456"


def _phone_form(text: str) -> str | None:
    """The stored form of a mobile or landline number, or None if it is neither."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    split = _LANDLINE_SPLIT_RE.match(folded)
    if split:  # the area code as written (0691 2123456, (0691)2123456, 0691-2123456)
        return f"{split.group(1)}-{split.group(2)}"
    digits = _SEPARATORS.sub("", folded)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and _MOBILE_RE.match(digits[len(prefix) :]):
            return digits[len(prefix) :]
    if digits.startswith("+86") and digits[3:].isdigit() and not digits[3:].startswith("1"):
        digits = "0" + digits[3:]  # +86 691 2123456: the trunk 0 comes back
    if _MOBILE_RE.match(digits):
        return digits
    if digits.isdigit() and digits.startswith("0") and 10 <= len(digits) <= 12:
        # 010 and 02x are the only three-digit area codes; every other one has four digits.
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        if 7 <= len(local) <= 8:
            return f"{digits[:area]}-{local}"
    return None


def normalise_phone(text: str) -> str:
    """The stored form of a phone number (13800138000, 0691-2123456).

    Text that is no phone number comes back stripped, unchanged otherwise;
    `validate_phone` refuses it.
    """
    return _phone_form(text) or (text or "").strip()


def validate_phone(text: str) -> str:
    """A mobile (11 digits) or landline (area code-number) in its stored form.

    Raises:
        ValidationError: field ``phone``.
    """
    if not (text or "").strip():
        raise ValidationError({"phone": "请填写联系电话"})
    form = _phone_form(text)
    if form is None:
        raise ValidationError({"phone": _PHONE_ERROR})
    return form


# --- unified social credit codes (GB 32100-2015) --------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in _USCC_VALUE for c in first17):
        raise ValueError(f"need 17 characters of {USCC_CHARSET}, got {first17!r}")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """A unified social credit code, normalised (upper case, no spaces).

    Raises:
        ValidationError: field ``id_number``.
    """
    value = normalise_id(code)
    if not value:
        raise ValidationError({"id_number": "请填写统一社会信用代码"})
    if len(value) != 18:
        raise ValidationError(
            {"id_number": f"统一社会信用代码应为 18 位，现在是 {len(value)} 位，请核对"}
        )
    bad = sorted({c for c in value if c not in _USCC_VALUE})
    if bad:
        raise ValidationError(
            {
                "id_number": f"统一社会信用代码不含字符 {'、'.join(bad)}"
                "（不使用 I、O、S、V、Z），请核对"
            }
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise ValidationError({"id_number": "统一社会信用代码校验位不正确，请核对最后一位"})
    return value


# --- ethnicity (GB/T 3304-1991) ----------------------------------------------------------

ETHNICITIES: dict[str, str] = {
    "01": "汉族",
    "02": "蒙古族",
    "03": "回族",
    "04": "藏族",
    "05": "维吾尔族",
    "06": "苗族",
    "07": "彝族",
    "08": "壮族",
    "09": "布依族",
    "10": "朝鲜族",
    "11": "满族",
    "12": "侗族",
    "13": "瑶族",
    "14": "白族",
    "15": "土家族",
    "16": "哈尼族",
    "17": "哈萨克族",
    "18": "傣族",
    "19": "黎族",
    "20": "傈僳族",
    "21": "佤族",
    "22": "畲族",
    "23": "高山族",
    "24": "拉祜族",
    "25": "水族",
    "26": "东乡族",
    "27": "纳西族",
    "28": "景颇族",
    "29": "柯尔克孜族",
    "30": "土族",
    "31": "达斡尔族",
    "32": "仫佬族",
    "33": "羌族",
    "34": "布朗族",
    "35": "撒拉族",
    "36": "毛南族",
    "37": "仡佬族",
    "38": "锡伯族",
    "39": "阿昌族",
    "40": "普米族",
    "41": "塔吉克族",
    "42": "怒族",
    "43": "乌孜别克族",
    "44": "俄罗斯族",
    "45": "鄂温克族",
    "46": "德昂族",
    "47": "保安族",
    "48": "裕固族",
    "49": "京族",
    "50": "塔塔尔族",
    "51": "独龙族",
    "52": "鄂伦春族",
    "53": "赫哲族",
    "54": "门巴族",
    "55": "珞巴族",
    "56": "基诺族",
    "97": "其他未识别民族",
    "98": "外国血统中国籍人士",
}
