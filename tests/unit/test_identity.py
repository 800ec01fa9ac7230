"""Identity and contact numbers: the hard cases of DOMAIN.md."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.services.errors import ValidationError
from desk_app.services.identity import (
    ETHNICITIES,
    ID_TYPES,
    id_check_char,
    mask_id,
    normalise_id,
    normalise_phone,
    parse_resident_id,
    uscc_check_char,
    validate_id,
    validate_phone,
    validate_uscc,
)

TODAY = date(2026, 11, 27)


def _refused(field: str, call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert field in info.value.fields, info.value.fields
    return info.value.fields[field]


# --- resident ID numbers ------------------------------------------------------------


def test_check_character_x_and_the_standards_examples() -> None:
    assert id_check_char("11010519491231002") == "X"
    rid = parse_resident_id("11010519491231002X", TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender == "female"  # 17th digit 2: even
    assert rid.address_code == "110105"
    old = parse_resident_id("440524188001010014", TODAY)
    assert old.birth_date == date(1880, 1, 1) and old.gender == "male"


def test_lower_case_x_and_spaces_are_accepted_and_stored_normalised() -> None:
    assert normalise_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert parse_resident_id("11010519491231002x", TODAY).number == "11010519491231002X"
    assert validate_id("resident_id", "11010519491231002x", today=TODAY) == "11010519491231002X"


def test_wrong_check_character_is_refused_with_the_chinese_message() -> None:
    message = _refused("id_number", parse_resident_id, "110105194912310021", TODAY)
    assert message == "身份证号校验位不正确，请核对最后一位"


def test_impossible_birth_date_is_refused() -> None:
    first17 = "53280119990230123"  # 1999-02-30
    message = _refused("id_number", parse_resident_id, first17 + id_check_char(first17), TODAY)
    assert "1999-02-30" in message and "不存在" in message


def test_future_birth_date_is_refused() -> None:
    first17 = "53280120261228123"  # a day after TODAY
    message = _refused("id_number", parse_resident_id, first17 + id_check_char(first17), TODAY)
    assert "晚于今天" in message
    # the same number is fine once the day has come
    assert parse_resident_id(first17 + id_check_char(first17), date(2026, 12, 28))


@pytest.mark.parametrize(
    ("legacy", "full"),
    [
        ("110105491231002", "11010519491231002X"),
        ("532801850101123", "532801198501011237"),
    ],
)
def test_legacy_15_digit_numbers_become_18_digits(legacy: str, full: str) -> None:
    rid = parse_resident_id(legacy, TODAY)
    assert rid.number == full
    assert validate_id("resident_id", legacy, today=TODAY) == full


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "请填写"),
        ("5328011985010112", "16 位"),
        ("53280119850101123A", "数字"),
        ("53280185010112A", "数字"),
    ],
)
def test_wrong_length_or_characters_say_what_is_wrong(text: str, needle: str) -> None:
    assert needle in _refused("id_number", parse_resident_id, text, TODAY)


def test_retired_address_codes_are_accepted() -> None:
    first17 = "53282119700101123"  # 532821: 景洪县 before it became a city in 1993
    assert parse_resident_id(first17 + id_check_char(first17), TODAY).address_code == "532821"


# --- other documents ------------------------------------------------------------------


def test_foreign_permanent_residence_card_starting_with_9() -> None:
    assert validate_id("foreign_permanent", "953104198501011237", today=TODAY) == (
        "953104198501011237"
    )
    assert "校验位" in _refused(
        "id_number", validate_id, "foreign_permanent", "953104198501011230", today=TODAY
    )
    # typed as a resident ID, the clerk is told which type to pick
    assert "外国人永久居留身份证" in _refused(
        "id_number", validate_id, "resident_id", "953104198501011237", today=TODAY
    )


@pytest.mark.parametrize(
    "number", ["810000199001010019", "820000198512120022", "830000200002290031"]
)
def test_hong_kong_macao_taiwan_residence_permits(number: str) -> None:
    assert validate_id("hmt_residence", number.lower(), today=TODAY) == number


def test_residence_permit_needs_81_82_83_prefix_and_valid_check() -> None:
    first17 = "84000019900101001"
    assert "810000" in _refused(
        "id_number", validate_id, "hmt_residence", first17 + id_check_char(first17), today=TODAY
    )
    assert "校验位" in _refused(
        "id_number", validate_id, "hmt_residence", "810000199001010010", today=TODAY
    )


def test_mainland_travel_permits() -> None:
    assert validate_id("hk_macao_permit", "h12345678") == "H12345678"
    assert validate_id("hk_macao_permit", "M1234567890") == "M1234567890"
    _refused("id_number", validate_id, "hk_macao_permit", "K12345678")
    assert validate_id("taiwan_permit", "12345678") == "12345678"
    assert validate_id("taiwan_permit", "12345678(01)") == "1234567801"
    _refused("id_number", validate_id, "taiwan_permit", "1234567")


def test_passport_and_border_pass_need_a_nationality() -> None:
    message = _refused("nationality", validate_id, "passport", "P1234567")
    assert "国籍" in message
    _refused("nationality", validate_id, "border_pass", "LA12345678", "  ")
    assert validate_id("passport", "p1234567", "老挝") == "P1234567"
    assert validate_id("border_pass", "MM 1234 5678", "缅甸") == "MM12345678"
    _refused("id_number", validate_id, "passport", "P12", "老挝")


def test_other_documents_and_unknown_types() -> None:
    assert validate_id("other", " 军官证 第123号 ") == "军官证第123号"
    _refused("id_number", validate_id, "other", "x" * 41)
    _refused("id_type", validate_id, "library_card", "123")
    assert set(ID_TYPES) == {
        "resident_id",
        "hmt_residence",
        "foreign_permanent",
        "hk_macao_permit",
        "taiwan_permit",
        "passport",
        "border_pass",
        "other",
    }


def test_mask_keeps_first_six_and_last_four() -> None:
    assert mask_id("53280119850101123X") == "532801********123X"
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("P1234567") == "P1****67"  # short documents: a quarter at each end
    assert mask_id("") == ""


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("+86 138-0013-8000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("0691-2123456", "0691-2123456"),
        ("0691 2123456", "0691-2123456"),
        ("06912123456", "0691-2123456"),
        ("(0691)2123456", "0691-2123456"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
    ],
)
def test_phones_are_stored_in_one_form(text: str, stored: str) -> None:
    assert validate_phone(text) == stored
    assert normalise_phone(text) == stored


@pytest.mark.parametrize("text", ["12345678901", "1380013800", "138001380001", "0691-123", "abc"])
def test_bad_phones_are_refused(text: str) -> None:
    assert "0691-2123456" in _refused("phone", validate_phone, text)
    assert normalise_phone(text) == text.strip()


# --- unified social credit codes -------------------------------------------------------------


def test_unified_social_credit_code() -> None:
    # A widely cited example (registered in 350100, 福州); the algorithm gives its check "3".
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert validate_uscc("91350100m000100y43") == "91350100M000100Y43"
    assert "校验位" in _refused("id_number", validate_uscc, "91350100M000100Y44")
    assert "字符 I" in _refused("id_number", validate_uscc, "91350100M000100I43")
    assert "18 位" in _refused("id_number", validate_uscc, "91350100M000100Y4")
    assert validate_id("uscc", "91350100M000100Y43") == "91350100M000100Y43"
    assert uscc_check_char("00000000000000000") == "0"  # 31 - 0 = 31 maps to 0


# --- ethnicity ------------------------------------------------------------------------------


def test_all_58_ethnicity_codes() -> None:
    assert len(ETHNICITIES) == 58
    assert set(ETHNICITIES) == {f"{i:02d}" for i in range(1, 57)} | {"97", "98"}
    assert ETHNICITIES["01"] == "汉族"
    assert ETHNICITIES["16"] == "哈尼族"
    assert ETHNICITIES["18"] == "傣族"
    assert ETHNICITIES["56"] == "基诺族"
    assert ETHNICITIES["97"] == "其他未识别民族"
    assert ETHNICITIES["98"] == "外国血统中国籍人士"
    assert len(set(ETHNICITIES.values())) == 58
