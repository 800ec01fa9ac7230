"""`desk-app bench`: the repeat-visitor lookup (重复来访) on a demo folder.

Samples people from the folder's database with a fixed seed and times
`repeats.find_earlier` as the intake form calls it when typing pauses (one read
session per lookup, the panel's rows built): by an ID number alone, a phone
alone, and a name in the place of its case (the commonest Dai names have
thousands of parties, so a name is only looked up in its village). The figure
is the 95th percentile of all three samples together; the sample is timed
`runs` times and the figure reports the median of those p95s, with their spread.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from desk_app.bench_lookup import time_calls
from desk_app.models.db import Database
from desk_app.services import repeats
from desk_app.services.repeats import Person, RepeatQuery

if TYPE_CHECKING:  # bench imports this module: take Figure from it only when called
    from desk_app.bench import Figure

Progress = Callable[[str], None]

REPEAT_TARGET_MS = 30.0
SAMPLE_SIZE = 200
SAMPLE_SEED = 20260601


def samples(
    db: Database, size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED
) -> dict[str, list[RepeatQuery]]:
    """Queries of each kind drawn from live parties, the same for the same data and seed."""
    rng = random.Random(seed)
    out: dict[str, list[RepeatQuery]] = {"id_number": [], "phone": [], "name": []}
    with db.read() as s:
        conn = s.connection()
        max_party = conn.execute(text("SELECT max(rowid) FROM parties")).scalar() or 0
        if not max_party:
            raise RuntimeError("the demo folder has no parties to look up")
        sql = text(
            "SELECT p.name, p.id_number, p.phone, c.division_code FROM parties p "
            "JOIN cases c ON c.id = p.case_id "
            "WHERE p.rowid = :r AND p.voided_at IS NULL AND c.voided_at IS NULL"
        )
        attempts = 0
        while any(len(v) < size for v in out.values()):
            attempts += 1
            if attempts > size * 200:
                short = {k: len(v) for k, v in out.items()}
                raise RuntimeError(f"too few values to sample from: {short}")
            row = conn.execute(sql, {"r": rng.randint(1, max_party)}).first()
            if row is None:
                continue
            if row.id_number and len(out["id_number"]) < size:
                out["id_number"].append(RepeatQuery((Person(id_number=row.id_number),)))
            if row.phone and len(out["phone"]) < size:
                out["phone"].append(RepeatQuery((Person(phone=row.phone),)))
            if row.name and len(out["name"]) < size:
                out["name"].append(RepeatQuery((Person(name=row.name),), row.division_code))
    return out


def time_queries(db: Database, queries: list[RepeatQuery]) -> tuple[list[float], int]:
    """Milliseconds of `repeats.find_earlier` for each query, and how many found nothing."""
    return time_calls(lambda query: repeats.find_earlier(db, query), queries)


def repeat_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    """p95 of the repeat-visitor lookup by ID number, phone, and name in the village.

    The caller makes sure the folder holds the demo cases to measure on.
    """
    from desk_app.bench import Figure, p95
    from desk_app.services.desk import open_desk

    desk = open_desk(root)
    try:
        queries = samples(desk.db)
        for values in queries.values():  # one untimed pass warms caches alike
            time_queries(desk.db, values)
        overall: list[float] = []
        per_kind: dict[str, list[float]] = {kind: [] for kind in queries}
        found: dict[str, int] = {}
        for i in range(runs):
            progress(f"  repeat-visitor run {i + 1}/{runs}")
            times: list[float] = []
            for kind, values in queries.items():
                kind_times, empty = time_queries(desk.db, values)
                times += kind_times
                per_kind[kind].append(p95(kind_times))
                found[kind] = len(values) - empty
            overall.append(p95(times))
    finally:
        desk.close()
    kinds = ", ".join(
        f"{kind.replace('_', ' ')} {statistics.median(v):.1f} ms" for kind, v in per_kind.items()
    )
    note = (
        f"p95 of {sum(len(v) for v in queries.values())} lookups of earlier cases "
        f"({SAMPLE_SIZE} each by ID number, phone, name in its case's place; seed {SAMPLE_SEED}); "
        f"p95 by kind: {kinds}"
    )
    missing = {k: SAMPLE_SIZE - n for k, n in found.items() if n < SAMPLE_SIZE}
    if missing:
        note += f"; found nothing (a bug: every sample has its own case): {missing}"
    return [Figure("repeat_lookup_p95", "ms", overall, target=REPEAT_TARGET_MS, note=note)]


__all__ = ["REPEAT_TARGET_MS", "repeat_figures", "samples", "time_queries"]
