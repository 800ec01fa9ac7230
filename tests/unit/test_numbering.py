"""Case numbers: the template, the per-year counter, the year in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

from desk_app.services import numbering
from desk_app.services.desk import Desk


def test_numbers_follow_the_template_and_count_up(desk: Desk, make_case) -> None:
    first, second = make_case(), make_case()
    year = numbering.local_year()
    assert first.case_no == f"景综〔{year}〕D03-00001"
    assert second.case_no == f"景综〔{year}〕D03-00002"


def test_the_year_is_the_year_in_asia_shanghai(desk: Desk) -> None:
    # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Beijing.
    new_year = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    with desk.db.write_session() as s, s.begin():
        last_of_2026 = numbering.allocate(
            s,
            "case",
            template=numbering.DEFAULT_CASE_TEMPLATE,
            center="景综",
            desk="D03",
            at=datetime(2026, 12, 31, 15, 59, tzinfo=UTC),
        )
        first_of_2027 = numbering.allocate(
            s,
            "case",
            template=numbering.DEFAULT_CASE_TEMPLATE,
            center="景综",
            desk="D03",
            at=new_year,
        )
    assert last_of_2026.startswith("景综〔2026〕")
    assert first_of_2027 == "景综〔2027〕D03-00001"


def test_raise_to_never_lowers_a_counter(desk: Desk) -> None:
    with desk.db.write_session() as s, s.begin():
        numbering.raise_to(s, "case", 2026, 40)
        numbering.raise_to(s, "case", 2026, 7)
        assert (
            numbering.allocate(
                s, "case", template="{seq}", center="", desk="", at=datetime(2026, 6, 1, tzinfo=UTC)
            )
            == "41"
        )


def test_templates_are_checked() -> None:
    assert numbering.check_template(numbering.DEFAULT_CASE_TEMPLATE) is None
    assert numbering.check_template("{center}-{year}") is not None  # no sequence
    assert numbering.check_template("{center}-{nope}-{seq}") is not None
