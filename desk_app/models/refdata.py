"""Shipped reference rows (divisions, dispute types, units) from resources/data.

Migrations call `load_reference_data` so that every desk and the central
database carry the same rows under the same deterministic ids. It inserts
missing rows and refreshes shipped rows that nobody has edited since; rows an
administrator changed keep their values. It writes only the columns the live
table has, so an old migration keeps working as the schema grows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from desk_app.models.base import Base, reference_id
from desk_app.paths import resource

#: `updated_by` of rows that came from the shipped files and were never edited.
SHIPPED_BY = "reference"
CITY_CODE = "532801000000"

_TOWN_GOVERNMENT = {
    "subdistrict": "{name}办事处",
    "town": "{name}人民政府",
    "township": "{name}人民政府",
    "state_farm": "{name}社区管理委员会",
}


def _read(name: str, data_dir: Path | None) -> Any:
    path = (data_dir / name) if data_dir else resource("data", name)
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _city(tree: dict[str, Any]) -> dict[str, Any]:
    def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield node
        for child in node.get("children", []):
            yield from walk(child)

    for node in walk(tree):
        if node.get("level") == "county":
            return node
    raise ValueError("divisions.json has no county-level node")


def division_rows(data_dir: Path | None = None) -> list[dict[str, Any]]:
    city = _city(_read("divisions.json", data_dir))
    rows = [
        {
            "code": city["code"],
            "name": city["name"],
            "short_name": city["name"],
            "level": "city",
            "kind": "county",
            "parent_code": None,
            "sort_order": 0,
        }
    ]
    for t_index, town in enumerate(city["children"]):
        rows.append(
            {
                "code": town["code"],
                "name": town["name"],
                "short_name": town.get("short_name") or town["name"],
                "level": "town",
                "kind": town.get("type", ""),
                "parent_code": city["code"],
                "sort_order": t_index,
            }
        )
        for v_index, village in enumerate(town.get("children", [])):
            rows.append(
                {
                    "code": village["code"],
                    "name": village["name"],
                    "short_name": village.get("short_name") or village["name"],
                    "level": "village",
                    "kind": village.get("type", ""),
                    "parent_code": town["code"],
                    "sort_order": v_index,
                }
            )
    return rows


def dispute_type_rows(data_dir: Path | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for index, kind in enumerate(_read("dispute_types.json", data_dir)["types"]):
        rows.append(
            {
                "code": kind["code"],
                "name": kind["name"],
                "parent_code": None,
                "usual_units": list(kind.get("primary_units", [])),
                "legal_notes": kind.get("legal_notes", ""),
                "sort_order": index,
            }
        )
        for s_index, sub in enumerate(kind.get("subtypes", []), start=1):
            rows.append(
                {
                    "code": f"{kind['code']}{s_index:02d}",
                    "name": sub,
                    "parent_code": kind["code"],
                    "usual_units": [],
                    "legal_notes": "",
                    "sort_order": s_index,
                }
            )
    return rows


def unit_rows(data_dir: Path | None = None) -> list[dict[str, Any]]:
    """City units from units.json; township and village units from the division tree."""
    rows: list[dict[str, Any]] = []
    for index, unit in enumerate(_read("units.json", data_dir)["units"]):
        rows.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "short_name": unit.get("short_name") or unit["name"],
                "level": unit.get("level", "city"),
                "kind": unit["kind"],
                "division_code": unit.get("division_code") or CITY_CODE,
                "parent_code": unit.get("parent_code"),
                "dispute_types": list(unit.get("dispute_types", [])),
                "sort_order": index,
            }
        )
    city = _city(_read("divisions.json", data_dir))
    order = len(rows)
    for town in city["children"]:
        pattern = _TOWN_GOVERNMENT.get(town.get("type", ""))
        if pattern is None:  # a special area (the prison) has no civil units of its own
            continue
        code9 = town.get("code9") or town["code"][:9]
        name = town["name"]
        town_units = [
            (f"{code9}-ZF", pattern.format(name=name), name, "government"),
            (f"{code9}-TWH", f"{name}人民调解委员会", f"{name}调委会", "mediation_committee"),
        ]
        if town.get("type") != "state_farm":
            town_units.append(
                (f"{code9}-SFS", f"景洪市司法局{name}司法所", f"{name}司法所", "justice_office")
            )
        for code, full, short, kind in town_units:
            order += 1
            rows.append(
                {
                    "code": code,
                    "name": full,
                    "short_name": short,
                    "level": "town",
                    "kind": kind,
                    "division_code": town["code"],
                    "parent_code": "JH-SFJ" if kind == "justice_office" else None,
                    "dispute_types": [],
                    "sort_order": order,
                }
            )
        for village in town.get("children", []):
            if village.get("type") not in ("village_committee", "community_committee"):
                continue
            order += 1
            rows.append(
                {
                    "code": f"{village['code']}-CWH",
                    "name": village["name"],
                    "short_name": village.get("short_name") or village["name"],
                    "level": "village",
                    "kind": village["type"],
                    "division_code": village["code"],
                    "parent_code": f"{code9}-ZF",
                    "dispute_types": [],
                    "sort_order": order,
                }
            )
    return rows


def _upsert(conn: Connection, table_name: str, rows: list[dict[str, Any]]) -> int:
    live = {c["name"] for c in sa.inspect(conn).get_columns(table_name)}
    model_table = Base.metadata.tables[table_name]
    table = sa.table(
        table_name,
        *[
            sa.column(name, model_table.c[name].type)
            for name in model_table.c.keys()  # noqa: SIM118 - a ColumnCollection
            if name in live
        ],
    )
    existing = {
        row.id: row.updated_by for row in conn.execute(sa.select(table.c.id, table.c.updated_by))
    }
    # Core inserts skip the ORM's Python-side defaults: supply the scalar ones.
    defaults = {
        c.name: c.default.arg
        for c in model_table.c
        if c.name in live and isinstance(c.default, ScalarElementColumnDefault)
    }
    now = datetime.now(UTC)
    changed = 0
    for row in rows:
        rid = reference_id(table_name, row["code"])
        values = {k: v for k, v in row.items() if k in live}
        if rid not in existing:
            values = {**defaults, **values}
            values.update(
                id=rid,
                version=0,
                created_at=now,
                updated_at=now,
                origin_desk="",
                updated_by=SHIPPED_BY,
            )
            conn.execute(sa.insert(table).values(**values))
            changed += 1
        elif existing[rid] == SHIPPED_BY:
            conn.execute(sa.update(table).where(table.c.id == rid).values(**values))
            changed += 1
    return changed


def load_reference_data(conn: Connection, data_dir: Path | None = None) -> dict[str, int]:
    """Insert or refresh the shipped reference rows; returns rows written per table."""
    return {
        "divisions": _upsert(conn, "divisions", division_rows(data_dir)),
        "dispute_types": _upsert(conn, "dispute_types", dispute_type_rows(data_dir)),
        "units": _upsert(conn, "units", unit_rows(data_dir)),
    }


def deadline_rule_rows(data_dir: Path | None = None) -> list[dict[str, Any]]:
    """The shipped deadline rules (resources/data/deadline_rules.json)."""
    rows = []
    for rule in _read("deadline_rules.json", data_dir)["rules"]:
        rows.append(
            {
                "code": rule["code"],
                "stage": rule["stage"],
                "track": rule.get("track", ""),
                "dispute_type_code": rule.get("dispute_type_code", ""),
                "complexity": rule.get("complexity", ""),
                "days": int(rule["days"]),
                "working_days": bool(rule.get("working_days", False)),
                "max_extension_days": int(rule.get("max_extension_days", 0)),
                "extension_needs_consent": bool(rule.get("extension_needs_consent", False)),
                "basis": rule.get("basis", ""),
                "active": True,
            }
        )
    return rows


def load_deadline_rules(conn: Connection, data_dir: Path | None = None) -> int:
    """Insert or refresh the shipped deadline rules (edited rules keep their values)."""
    return _upsert(conn, "deadline_rules", deadline_rule_rows(data_dir))
