"""`desk-app bench`: the walk-in receipt (受理回执) PDF, after warm-up.

Times `receipt.receipt_pdf` as the preview dialog calls it on the task runner:
reading the case, the settings and the center, checking every character
against the fonts, drawing the page with its QR code and embedding the font
subsets. The first build (which registers the fonts, about 0.1-0.3 s once per
process) is left out: it is the warm-up. Each run builds the receipts of
`BUILDS_PER_RUN` cases of the demo folder and takes their 95th percentile; the
figure is the median of the runs' p95s.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from desk_app.models import Case
from desk_app.services import users
from desk_app.services.demo import DEMO_ACCOUNTS
from desk_app.services.desk import open_desk
from desk_app.services.printing import receipt
from desk_app.services.printing.fonts import load_fonts

if TYPE_CHECKING:  # bench imports this module: take Figure from it only when called
    from desk_app.bench import Figure

Progress = Callable[[str], None]

RECEIPT_TARGET_MS = 100.0
BUILDS_PER_RUN = 40
SAMPLE_SEED = 20260504


def receipt_figures(root: Path, runs: int, progress: Progress) -> list[Figure]:
    from desk_app.bench import Figure, p95

    desk = open_desk(root)
    try:
        actor = users.login(desk.db, "clerk1", DEMO_ACCOUNTS["clerk1"].password)
        with desk.db.read() as s:
            ids = list(
                s.scalars(
                    select(Case.id).where(Case.voided_at.is_(None), Case.verify_code != "")
                    .order_by(Case.id).limit(2000)
                )
            )  # fmt: skip
        if not ids:
            raise RuntimeError("the demo folder has no case to print a receipt for")
        rng = random.Random(SAMPLE_SEED)
        sample = [rng.choice(ids) for _ in range(BUILDS_PER_RUN)]
        started = time.perf_counter()
        load_fonts(desk.settings)
        receipt.receipt_pdf(desk, actor, sample[0])  # warm-up: fonts, first statements
        warm_ms = (time.perf_counter() - started) * 1000.0
        per_run: list[float] = []
        for i in range(runs):
            progress(f"  receipt run {i + 1}/{runs}")
            timings = []
            for case_id in sample:
                t0 = time.perf_counter()
                receipt.receipt_pdf(desk, actor, case_id)
                timings.append((time.perf_counter() - t0) * 1000.0)
            per_run.append(p95(timings))
    finally:
        desk.close()
    return [
        Figure(
            "receipt_pdf",
            "ms",
            per_run,
            target=RECEIPT_TARGET_MS,
            note=f"p95 of {BUILDS_PER_RUN} receipt PDFs of demo cases per run (read, font "
            f"check, page, QR, subset embedding), after a warm-up of {warm_ms:.0f} ms "
            "(font registration and the first build)",
        ),
    ]
