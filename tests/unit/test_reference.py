"""The intake form's reference lists: places and dispute types, read once into plain data."""

from __future__ import annotations

from sqlalchemy import update

from desk_app.models import DisputeType, Division, utcnow
from desk_app.services.desk import Desk
from desk_app.services.reference import load_intake_reference


def test_seventeen_towns_with_their_160_villages(desk: Desk) -> None:
    ref = load_intake_reference(desk.db)
    assert len(ref.towns) == 17
    assert sum(len(t.villages) for t in ref.towns) == 160
    first = ref.towns[0]
    assert (first.code, first.short_name) == ("532801001000", "允景洪街道")
    assert len(first.villages) == 27
    for town in ref.towns:
        assert len(town.code) == 12 and town.code.endswith("000")
        for village in town.villages:
            assert len(village.code) == 12 and village.code[:9] == town.code[:9]
    assert "基诺山基诺族乡" in [t.short_name for t in ref.towns]


def test_24_dispute_types_with_their_sub_types(desk: Desk) -> None:
    ref = load_intake_reference(desk.db)
    codes = [k.code for k in ref.dispute_types]
    assert codes == [f"{n:02d}" for n in range(1, 24)] + ["99"]
    by_code = {k.code: k for k in ref.dispute_types}
    assert by_code["01"].name == "婚姻家庭纠纷"
    assert by_code["01"].subtypes[:3] == ("婚姻", "离婚财产", "赡养")
    assert all(by_code[c].subtypes for c in codes if c != "99")
    assert by_code["99"].subtypes == ()
    # Sub-types are only offered under their type, never as types of their own.
    assert all(len(c) == 2 for c in codes)


def test_voided_rows_are_not_offered(desk: Desk) -> None:
    with desk.db.write_session() as s, s.begin():
        s.execute(
            update(Division).where(Division.code == "532801403000").values(voided_at=utcnow())
        )
        s.execute(update(DisputeType).where(DisputeType.code == "0101").values(voided_at=utcnow()))
    ref = load_intake_reference(desk.db)
    assert "532801403000" not in [t.code for t in ref.towns]
    assert len(ref.towns) == 16
    assert "婚姻" not in next(k for k in ref.dispute_types if k.code == "01").subtypes
