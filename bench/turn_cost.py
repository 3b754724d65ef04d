"""What one turn costs the endpoint, in-process: CPU, wall time and statements per step.

    .venv/bin/python bench/turn_cost.py [--stores sqlite,postgres] [--households 100]

The load conversation of bench/skill_load.py (add, add, read the cart, check out, "yes", order
status) goes through the Flask app with signature verification on, without HTTP or gunicorn, one
request at a time. CPU is this process's (the database server's is not in it); wall time includes
the round trips. Signing happens outside the measured time. Use it to see which step to cut
before running the load benchmark; it prints a table and asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))

from sqlalchemy import event  # noqa: E402

from backend.runtime import open_backend  # noqa: E402
from skill.web import create_app  # noqa: E402
from tests.support.alexa_signing import shared_signer  # noqa: E402
from tests.support.load import (  # noqa: E402
    CONVERSATION,
    Household,
    Reply,
    ScratchStores,
    SignedRequest,
)

PRODUCTS = (("COF-LATTE", "latte"), ("COF-MOCHA", "mocha"), ("GRO-OATMILK", "oat milk"))


def measure(url: str, households: int, seed: int = 7) -> dict[str, list[tuple[float, float, int]]]:
    backend = open_backend(url)
    app = create_app(backend, verification=shared_signer().verification_settings())
    client = app.test_client()
    statements = 0

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    for engine in backend.store.pools:
        event.listen(engine, "before_cursor_execute", count)
    rng = random.Random(seed)
    costs: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    run = uuid.uuid4().hex[:6]
    try:
        for number in range(households):
            household = Household.numbered(number, run=run)
            first = SignedRequest.of(household.read_cart())  # registers the household, untimed
            client.post("/alexa", data=first.body, headers=first.headers)
            for cycle in range(2):
                household.new_session()
                for step in CONVERSATION:
                    if step == "add":
                        sku, name = rng.choice(PRODUCTS)
                        document = household.add(sku, name, rng.randint(1, 3))
                    elif step == "read_cart":
                        document = household.read_cart()
                    elif step == "checkout":
                        document = household.checkout()
                    elif step == "confirm":
                        document = household.confirm_checkout()
                    else:
                        document = household.order_status()
                    request = SignedRequest.of(document)
                    statements = 0
                    cpu, wall = time.process_time(), time.perf_counter()
                    reply = client.post("/alexa", data=request.body, headers=request.headers)
                    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                    if reply.status_code != 200:
                        raise SystemExit(f"{step}: HTTP {reply.status_code} {reply.data[:200]!r}")
                    household.remember(Reply(reply.status_code, reply.data, wall))
                    if cycle:  # the first cycle warms caches and prepared statements
                        costs[step].append((cpu * 1000, wall * 1000, statements))
    finally:
        for engine in backend.store.pools:
            event.remove(engine, "before_cursor_execute", count)
        backend.store.dispose()
    return costs


def print_table(store: str, costs: dict[str, list[tuple[float, float, int]]]) -> None:
    print(f"\n{store}: one request at a time, in-process (ms; statements include BEGIN)")
    print("| step         | CPU p50 | wall p50 | wall p95 | statements |")
    print("|--------------|---------|----------|----------|------------|")
    total_cpu = total_wall = 0.0
    total_statements = 0
    for step in dict.fromkeys(CONVERSATION):
        rows = costs[step]
        cpu = statistics.median(r[0] for r in rows)
        walls = sorted(r[1] for r in rows)
        wall = statistics.median(walls)
        p95 = walls[int(len(walls) * 0.95)]
        count = statistics.median(r[2] for r in rows)
        weight = CONVERSATION.count(step)
        total_cpu, total_wall = total_cpu + weight * cpu, total_wall + weight * wall
        total_statements += weight * int(count)
        print(f"| {step:<12} | {cpu:>7.2f} | {wall:>8.2f} | {p95:>8.2f} | {count:>10.0f} |")
    n = len(CONVERSATION)
    print(
        f"| mean of mix  | {total_cpu / n:>7.2f} | {total_wall / n:>8.2f} |          | "
        f"{total_statements / n:>10.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stores", default="sqlite,postgres", help="comma-separated: sqlite, postgres"
    )
    parser.add_argument(
        "--households",
        type=int,
        default=100,
        help="households measured (each runs the conversation twice; the first warms up)",
    )
    args = parser.parse_args()
    with ScratchStores("vcom-turn-cost-") as stores:
        for store in args.stores.split(","):
            print_table(store, measure(stores.new(store), args.households))


if __name__ == "__main__":
    main()
