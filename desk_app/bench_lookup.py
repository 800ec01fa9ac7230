"""`desk-app bench`: case lookup figures (案件查询) on a demo folder.

Samples real values from the folder's database with a fixed seed (case
numbers, ID numbers, phones and names of random cases and parties), then times
`search.lookup` for each, as the search page calls it (one read session per
lookup, result rows built). Each kind's figure is the 95th percentile of its
sample; the sample is timed `runs` times and the figure reports the median
of those p95s, with their spread.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence, Sized
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import text

from desk_app.models.db import Database
from desk_app.services import search

Q = TypeVar("Q")

if TYPE_CHECKING:  # bench imports this module: take Figure from it only when called
    from desk_app.bench import Figure

Progress = Callable[[str], None]

LOOKUP_TARGET_MS = 30.0
SAMPLE_SIZE = 200
SAMPLE_SEED = 20260101


def _spaced_mobile(phone: str) -> str:
    """13800138000 as people read it out: 138 0013 8000."""
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return phone


def _short_case_no(case_no: str) -> str:
    """景综〔2026〕D01-00042 -> D01-00042 (the short form a clerk types)."""
    return case_no.rpartition("〕")[2] or case_no


def samples(db: Database, size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> dict[str, list[str]]:
    """Queries of each kind drawn from the database, the same ones for the same data and seed.

    Case numbers alternate between the full and the short form; mobiles between the
    stored and the spoken form (138 0013 8000); ID numbers and names are as stored.
    """
    rng = random.Random(seed)
    out: dict[str, list[str]] = {"case_no": [], "id_number": [], "phone": [], "name": []}
    with db.read() as s:
        conn = s.connection()
        max_case = conn.execute(text("SELECT max(rowid) FROM cases")).scalar() or 0
        max_party = conn.execute(text("SELECT max(rowid) FROM parties")).scalar() or 0
        if not max_case or not max_party:
            raise RuntimeError("the demo folder has no cases to look up")
        case_sql = text("SELECT case_no FROM cases WHERE rowid = :r")
        party_sql = text(
            "SELECT name, id_number, phone FROM parties WHERE rowid = :r AND voided_at IS NULL"
        )
        attempts = 0
        while any(len(v) < size for v in out.values()):
            attempts += 1
            if attempts > size * 200:
                short = {k: len(v) for k, v in out.items()}
                raise RuntimeError(f"too few values to sample from: {short}")
            if len(out["case_no"]) < size:
                case_no = conn.execute(case_sql, {"r": rng.randint(1, max_case)}).scalar()
                if case_no:
                    short_form = len(out["case_no"]) % 2 == 1
                    out["case_no"].append(_short_case_no(case_no) if short_form else case_no)
            row = conn.execute(party_sql, {"r": rng.randint(1, max_party)}).first()
            if row is None:
                continue
            if row.name and len(out["name"]) < size:
                out["name"].append(row.name)
            if row.id_number and len(out["id_number"]) < size:
                out["id_number"].append(row.id_number)
            if row.phone and len(out["phone"]) < size:
                spoken = len(out["phone"]) % 2 == 1
                out["phone"].append(_spaced_mobile(row.phone) if spoken else row.phone)
    return out


def time_calls(find: Callable[[Q], Sized], queries: Sequence[Q]) -> tuple[list[float], int]:
    """Milliseconds of `find` for each query, and how many found nothing."""
    times: list[float] = []
    empty = 0
    for query in queries:
        started = time.perf_counter()
        rows = find(query)
        times.append((time.perf_counter() - started) * 1000.0)
        empty += not len(rows)
    return times, empty


def time_lookups(db: Database, queries: list[str]) -> tuple[list[float], int]:
    """Milliseconds of `search.lookup` for each query, and how many found nothing."""
    return time_calls(lambda query: search.lookup(db, query), queries)


def lookup_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    """p95 of case lookup by case number, ID number, phone and name on the desk at `root`.

    The caller makes sure the folder holds the demo cases to measure on.
    """
    from desk_app.bench import Figure, p95
    from desk_app.services.desk import open_desk

    desk = open_desk(root)
    try:
        queries = samples(desk.db)
        for kind, values in queries.items():  # one untimed pass warms caches alike
            if search.classify(values[0]) != kind:
                raise RuntimeError(f"sample {values[0]!r} is not read as {kind}")
            time_lookups(desk.db, values)
        p95s: dict[str, list[float]] = {kind: [] for kind in queries}
        medians: dict[str, list[float]] = {kind: [] for kind in queries}
        misses: dict[str, int] = {}
        for i in range(runs):
            progress(f"  lookup run {i + 1}/{runs}")
            for kind, values in queries.items():
                times, empty = time_lookups(desk.db, values)
                p95s[kind].append(p95(times))
                medians[kind].append(statistics.median(times))
                misses[kind] = empty
    finally:
        desk.close()
    figures: list[Figure] = []
    for kind, values in queries.items():
        note = (
            f"p95 of {len(values)} lookups by {kind.replace('_', ' ')} sampled from the "
            f"database (seed {SAMPLE_SEED}); median lookup "
            f"{statistics.median(medians[kind]):.1f} ms"
        )
        if misses[kind]:
            note += f"; {misses[kind]} found nothing (a bug: every sample exists)"
        figures.append(
            Figure(f"lookup_{kind}_p95", "ms", p95s[kind], target=LOOKUP_TARGET_MS, note=note)
        )
    return figures


__all__ = ["LOOKUP_TARGET_MS", "lookup_figures", "samples", "time_lookups"]
