"""The long form of the kill-point fault tests: many runs, random kill points, counts.

    .venv/bin/python tools/fault_soak.py --runs 50            # 50 runs, points at random
    .venv/bin/python tools/fault_soak.py --runs 50 --per-point  # 50 runs of each point

Each run is tests/faults' kill-point scenario (tests/faults/helpers.py,
`kill_point_scenario`) on a fresh central database: a desk with a backlog of demo cases
and two more desks; the sync process of one of them is killed with SIGKILL at a random
point, the N-th time it gets there (N random among the push batches or pull pages it
will go through), sometimes killed again at another random point on the rerun (a
chain), then run cleanly; all desks are synced to quiescence and the convergence check
runs. It starts its own throwaway PostgreSQL on 127.0.0.1 (as the tests do) and prints
runs, kills and violations per kill point; the exit status is 1 if any run violated a
property. A violating run's folders are kept and their path printed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desk_app.devtools.pgserver import find_bindir, remove_cluster, start_cluster  # noqa: E402
from tests.faults.helpers import (  # noqa: E402
    KILL_POINTS,
    Center,
    World,
    kill_point_scenario,
    make_template,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="runs (default 50)")
    parser.add_argument(
        "--per-point", action="store_true", help="--runs runs of every kill point, not in all"
    )
    parser.add_argument("--seed", type=int, help="base seed (default: random, printed)")
    parser.add_argument("--backlog", type=int, default=150, help="demo cases of the backlog")
    parser.add_argument(
        "--chain", type=float, default=0.3, help="chance of one more kill on each rerun (0.3)"
    )
    parser.add_argument("--points", default=",".join(KILL_POINTS), help="kill points to use")
    args = parser.parse_args(argv)
    points = [p for p in args.points.split(",") if p]
    unknown = set(points) - set(KILL_POINTS)
    if unknown:
        parser.error(f"unknown kill points: {', '.join(sorted(unknown))}")
    seed = args.seed if args.seed is not None else random.randrange(1, 1_000_000)
    chooser = random.Random(seed)
    plan = (
        [p for p in points for _ in range(args.runs)]
        if args.per_point
        else [chooser.choice(points) for _ in range(args.runs)]
    )

    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL server binaries not found (apt-get install postgresql)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="fault-soak-"))
    pg = start_cluster(bindir)
    runs: Counter[str] = Counter()
    killed: Counter[str] = Counter()
    kills: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    started = time.perf_counter()
    print(f"fault soak: {len(plan)} runs, seed {seed}, backlog {args.backlog} cases", flush=True)
    try:
        template = make_template(work / "template")
        for index, point in enumerate(plan, 1):
            rng = random.Random(seed * 1000 + index)
            url = pg.create_database(f"soak_{index}")
            center = Center.create(pg, url)
            folder = work / f"run{index:03d}"
            try:
                outcome = kill_point_scenario(
                    World(center, template, folder), point, 0, seed=rng.randrange(1, 10**6),
                    backlog=args.backlog, rng=rng, chain=args.chain,
                )  # fmt: skip
            except Exception as exc:  # a crash of the harness itself is a violation too
                from tests.faults.helpers import KillOutcome

                outcome = KillOutcome(point, 0, problems=[f"{type(exc).__name__}: {exc}"])
            finally:
                center.dispose()
            runs[point] += 1
            killed[point] += int(outcome.killed)
            kills[point] += outcome.kills
            status = "ok"
            if outcome.problems:
                violations[point] += 1
                status = f"VIOLATION (kept in {folder})"
            else:
                pg.drop_database(f"soak_{index}")
                shutil.rmtree(folder, ignore_errors=True)
            print(
                f"[{index:3d}/{len(plan)}] {' -> '.join(outcome.faults) or point}: "
                f"{outcome.kills} kill(s), {status}",
                flush=True,
            )
            for problem in outcome.problems[:5]:
                print(f"        - {problem[:300]}", flush=True)
    finally:
        remove_cluster(pg)
        if not sum(violations.values()):
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'kill point':28} {'runs':>5} {'killed':>7} {'kills':>6} {'violations':>11}")
    for point in points:
        if runs[point]:
            print(
                f"{point:28} {runs[point]:5d} {killed[point]:7d} {kills[point]:6d} "
                f"{violations[point]:11d}"
            )
    total = sum(runs.values())
    print(
        f"{'total':28} {total:5d} {sum(killed.values()):7d} {sum(kills.values()):6d} "
        f"{sum(violations.values()):11d}"
    )
    print(f"{time.perf_counter() - started:.0f} s; seed {seed}")
    return 1 if sum(violations.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
