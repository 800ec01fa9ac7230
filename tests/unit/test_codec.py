"""Rows as a transport between processes would carry them: JSON values and back."""

from __future__ import annotations

import json

import sqlalchemy as sa

from desk_app.models import Base, Case, Party
from desk_app.services.desk import Desk
from desk_app.services.sync.codec import decode_row, encode_row


def test_a_case_and_its_parties_survive_json_and_back(desk: Desk, make_case) -> None:
    ref = make_case()
    with desk.db.read() as s:
        conn = s.connection()
        for table, where in (
            (Base.metadata.tables["cases"], Case.id == ref.id),
            (Base.metadata.tables["parties"], Party.case_id == ref.id),
        ):
            for row in conn.execute(sa.select(table).where(where)).mappings():
                wire = json.loads(json.dumps(encode_row(row)))  # plain JSON only
                assert decode_row(table, wire) == dict(row)


def test_decoding_drops_columns_this_desk_does_not_have() -> None:
    table = Base.metadata.tables["cases"]
    assert decode_row(table, {"title": "x", "added_by_a_newer_center": 1}) == {"title": "x"}
