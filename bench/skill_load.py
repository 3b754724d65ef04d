"""Load on the Alexa endpoint: `vcom serve` in real processes, verification on, many households.

    .venv/bin/python bench/skill_load.py [--stores sqlite,postgres] [--workers 1,2]
        [--requests 3000] [--seconds 30] [--households 200] [--concurrency 24] [--threads 8]
        [--rate 300] [--arrivals poisson|even] [--timeline] [--no-pair]

Each household repeats a conversation: add, add, read the cart, check out, "yes", order status.
The warm-up (untimed) puts households at different steps, as customers are. Requests are signed
by the tests' local CA (the server trusts it through VCOM_ALEXA_EXTRA_CA and
VCOM_ALEXA_CERT_DIR, so every signature and certificate check runs). Bodies that do not depend
on an answer are built and signed for the whole run before the clock starts (Alexa's timestamp
check allows 150 s, so keep runs under two minutes); the "yes" carries the session attributes
of the checkout's answer and is signed when sent. Without --rate the load is a closed loop (each
client thread sends when answered: the server's capacity); with --rate it is an open loop at
that many requests per second, arriving as a Poisson process (or evenly, --arrivals even),
latency counted from when each request was due. After each run the store is checked: one order
per idempotency key, and every acknowledged add is in an order or a cart. PostgreSQL is a
private server (fsync off, as in the tests). Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import queue
import random
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))

from sqlalchemy import func, select  # noqa: E402

from backend.persistence.models import CartLine, Order, OrderLine  # noqa: E402
from backend.persistence.store import open_store  # noqa: E402
from tests.support.load import (  # noqa: E402
    CONVERSATION,
    Client,
    Household,
    Reply,
    ScratchStores,
    ServedSkill,
    SignedRequest,
    serve_skill,
)

PRODUCTS = (
    ("GRO-OATMILK", "oat milk"),
    ("COF-LATTE", "latte"),
    ("COF-CAPPUCCINO", "cappuccino"),
    ("COF-FLATWHITE", "flat white"),
    ("COF-AMERICANO", "americano"),
    ("COF-MOCHA", "mocha"),
)
FAILED_SPEECH = ("went wrong", "can't take requests")


@dataclass(frozen=True)
class Cycle:
    """One conversation: its session id and the signed requests that do not depend on answers."""

    session_id: str
    presigned: tuple[SignedRequest, ...]


@dataclass
class Shopper:
    """A household and where it is in its conversation; owned by one thread at a time."""

    household: Household
    rng: random.Random
    step: int = 0
    cycles: list[Cycle] = field(default_factory=list)
    added: int = 0  # quantities the skill said it added
    lead: int = 0  # steps taken in the warm-up, so that households are not in lockstep

    def plan(self, cycles: int) -> None:
        """Builds and signs, before the clock starts, every request that does not depend on an
        answer: RSA signing would otherwise be most of the load client's CPU."""
        h = self.household
        for _ in range(cycles):
            h.new_session()
            docs = []
            for step in CONVERSATION:
                if step == "add":
                    sku, name = self.rng.choice(PRODUCTS)
                    docs.append(h.add(sku, name, self.rng.randint(1, 3)))
                elif step == "read_cart":
                    docs.append(h.read_cart())
                elif step == "checkout":
                    docs.append(h.checkout())
                elif step == "order_status":
                    docs.append(h.order_status())
            self.cycles.append(Cycle(h.session_id, tuple(SignedRequest.of(d) for d in docs)))
        self._start_cycle()

    def _start_cycle(self) -> None:
        if self.cycles:
            self.household.session_id = self.cycles[0].session_id
            self.household.attributes = {}

    def next_request(self) -> tuple[str, SignedRequest, int]:
        if not self.cycles:
            raise RuntimeError("a shopper ran out of planned conversations: plan more cycles")
        name = CONVERSATION[self.step]
        if name == "confirm":
            return name, SignedRequest.of(self.household.confirm_checkout()), 0
        index = self.step - (1 if self.step > CONVERSATION.index("confirm") else 0)
        request = self.cycles[0].presigned[index]
        quantity = 0
        if name == "add":
            quantity = int(_slot_quantity(request))
        return name, request, quantity

    def take_step(self, client: Client) -> tuple[str, bool, Reply]:
        """Sends this household's next request; returns the step, whether it went right, and
        the reply (status 0 if the connection failed)."""
        step, request, quantity = self.next_request()
        try:
            reply = client.post(request)
            ok = reply.status == 200 and not any(f in reply.speech for f in FAILED_SPEECH)
            if step == "confirm":
                ok = ok and reply.speech.startswith("Done!")
        except OSError:
            client.close()
            ok, reply = False, Reply(0, b"{}", 0.0)
        if ok and step == "add" and reply.speech.startswith("Added"):
            self.added += quantity
        self.advance(reply)
        return step, ok, reply

    def advance(self, reply: Reply) -> None:
        if CONVERSATION[self.step] == "checkout":
            self.household.remember(reply)
        self.step = (self.step + 1) % len(CONVERSATION)
        if self.step == 0:
            self.cycles.pop(0)
            self._start_cycle()


def _slot_quantity(request: SignedRequest) -> str:
    import json

    document: dict[str, Any] = json.loads(request.body)
    return str(document["request"]["intent"]["slots"]["quantity"]["value"])


@dataclass(frozen=True)
class Sample:
    step: str
    seconds: float
    ok: bool
    at: float  # when it was sent (due, in an open loop), seconds from the start of the run


@dataclass(frozen=True)
class RunResult:
    store: str
    workers: int
    instances: int
    load: str  # "closed", or the open-loop rate asked for
    samples: tuple[Sample, ...]
    wall_seconds: float
    client_cpu_seconds: float
    acknowledged_adds: int
    integrity: str

    def row(self) -> str:
        latencies = sorted(s.seconds * 1000 for s in self.samples)
        errors = sum(not s.ok for s in self.samples)
        n = len(latencies)
        p = statistics.quantiles(latencies, n=100, method="inclusive") if n > 1 else latencies * 99
        cpu = self.client_cpu_seconds / n * 1000 if n else 0.0
        return (
            f"| {self.store:<8} | {self.workers:>7} | {self.instances:>9} | {self.load:>6} | "
            f"{n:>8} | "
            f"{n / self.wall_seconds:>7.0f} | {p[49]:>6.1f} | {p[94]:>6.1f} | {p[98]:>6.1f} | "
            f"{errors:>6} | {cpu:>10.2f} | {self.integrity} |"
        )


def timeline(samples: tuple[Sample, ...]) -> str:
    """Latency per second of the run: shows whether a tail is steady queueing or comes in bursts."""
    by_second: dict[int, list[Sample]] = {}
    for sample in samples:
        by_second.setdefault(int(sample.at), []).append(sample)
    lines = [
        "| second | sent | p50 ms | p99 ms | max ms | over 100 ms | errors |",
        "|--------|------|--------|--------|--------|-------------|--------|",
    ]
    for second in sorted(by_second):
        group = by_second[second]
        times = sorted(s.seconds * 1000 for s in group)
        p99 = times[min(len(times) - 1, math.ceil(len(times) * 0.99) - 1)]
        lines.append(
            f"| {second:>6} | {len(group):>4} | {times[len(times) // 2]:>6.1f} | {p99:>6.1f} | "
            f"{times[-1]:>6.0f} | {sum(t > 100 for t in times):>11} | "
            f"{sum(not s.ok for s in group):>6} |"
        )
    return "\n".join(lines)


HEADER = (
    "| store    | workers | instances |   load | requests |   req/s | p50 ms | p95 ms | p99 ms | "
    "errors | client ms* | store check |\n"
    "|----------|---------|-----------|--------|----------|---------|--------|--------|--------|"
    "--------|------------|-------------|"
)


def arrival_times(rate: float, count: int, arrivals: str, seed: int) -> list[float]:
    """When each request is due, in seconds from the start: evenly spaced, or a Poisson process
    (independent customers: exponential gaps, so bursts happen as they do in a shop)."""
    if arrivals == "even":
        return [i / rate for i in range(count)]
    rng = random.Random(seed)
    times, now = [], 0.0
    for _ in range(count):
        times.append(now)
        now += rng.expovariate(rate)
    return times


def drive(
    bases: list[str],
    shoppers: list[Shopper],
    *,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    schedule: list[float] | None = None,
) -> tuple[list[Sample], float, float]:
    """Runs the mix from `concurrency` threads; returns samples, wall and client CPU seconds.

    Without a `schedule`, each thread sends its next request when the last is answered (closed
    loop: throughput is the server's capacity, latency grows with the threads). With one (see
    arrival_times), request n is due at schedule[n] and the next free thread sends it (open loop,
    as customers arrive); latency counts from when a request was due, so a late send is counted
    against the server rather than hidden.
    """
    idle: queue.SimpleQueue[Shopper] = queue.SimpleQueue()
    for shopper in shoppers:
        idle.put(shopper)
    samples: list[Sample] = []
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + max_seconds

    def work(index: int) -> None:
        nonlocal issued
        clients = [Client(base) for base in bases]
        rng = random.Random(index)
        while time.monotonic() < deadline:
            with lock:
                if issued >= max_requests:
                    break
                number = issued
                issued += 1
            if schedule is not None:
                sent = started + schedule[number]
                pause = sent - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
            else:
                sent = time.perf_counter()
            shopper = idle.get()
            # With two instances every request goes to either, as behind a load balancer.
            step, ok, reply = shopper.take_step(clients[rng.randrange(len(clients))])
            idle.put(shopper)
            seconds = time.perf_counter() - sent if schedule is not None else reply.seconds
            with lock:
                samples.append(Sample(step, seconds, ok, sent - started))
        for client in clients:
            client.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(concurrency)]
    cpu_before = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return samples, wall, time.process_time() - cpu_before


def check_store(url: str, acknowledged_adds: int) -> str:
    """One order per idempotency key, and every acknowledged add in an order or a cart."""
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            duplicates = connection.scalar(
                select(func.count()).select_from(
                    select(Order.idempotency_key)
                    .group_by(Order.idempotency_key)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            ordered = connection.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0)))
            in_carts = connection.scalar(select(func.coalesce(func.sum(CartLine.quantity), 0)))
            orders = connection.scalar(select(func.count()).select_from(Order))
    finally:
        store.dispose()
    held = int(ordered or 0) + int(in_carts or 0)
    verdict = "ok" if duplicates == 0 and held == acknowledged_adds else "MISMATCH"
    return f"{verdict}: {orders} orders, dup keys {duplicates}, items {held}/{acknowledged_adds}"


def make_shoppers(count: int, seed: int) -> list[Shopper]:
    run = uuid.uuid4().hex[:6]
    shoppers = [
        Shopper(Household.numbered(i, run=run), random.Random(seed * 100_003 + i))
        for i in range(count)
    ]
    return shoppers


def in_parallel(
    bases: list[str],
    shoppers: list[Shopper],
    concurrency: int,
    task: Callable[[Client, Shopper], object],
) -> None:
    """Runs task once per shopper from `concurrency` threads, each with its own connection."""
    pending: queue.SimpleQueue[Shopper] = queue.SimpleQueue()
    for shopper in shoppers:
        pending.put(shopper)

    def work(index: int) -> None:
        client = Client(bases[index % len(bases)])
        while True:
            try:
                shopper = pending.get_nowait()
            except queue.Empty:
                break
            task(client, shopper)
        client.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def warm_up(bases: list[str], shoppers: list[Shopper], concurrency: int, cycles: int) -> None:
    """Untimed: creates each household (its first request does), loads each worker, and puts
    the households at different steps of their conversations. Customers do not all confirm in
    the same second; households in lockstep would make the load swing between cheap and costly
    phases every cycle."""
    in_parallel(
        bases,
        shoppers,
        concurrency,
        lambda client, shopper: client.post(SignedRequest.of(shopper.household.read_cart())),
    )
    for shopper in shoppers:
        shopper.plan(cycles)
    for i, shopper in enumerate(shoppers):
        shopper.lead = i % len(CONVERSATION)

    def stagger(client: Client, shopper: Shopper) -> None:
        for _ in range(shopper.lead):
            shopper.take_step(client)

    in_parallel(bases, shoppers, concurrency, stagger)


def run_once(
    store: str,
    url: str,
    workdir: Path,
    *,
    workers: int,
    instances: int,
    args: argparse.Namespace,
    on_started: Callable[[list[ServedSkill]], None] | None = None,
) -> RunResult:
    servers = [
        serve_skill(url, workdir, workers=workers, threads=args.threads) for _ in range(instances)
    ]
    try:
        bases = [server.base_url for server in servers]
        shoppers = make_shoppers(args.households, seed=workers * 10 + instances)
        # Enough conversations for the whole run, plus one for the warm-up's staggering and one
        # for uneven turns (a household can be served once more than the average).
        cycles = math.ceil(args.requests / (len(CONVERSATION) * args.households)) + 2
        warm_up(bases, shoppers, args.concurrency, cycles)
        if on_started is not None:
            on_started(servers)
        schedule = None
        if args.rate:
            schedule = arrival_times(args.rate, args.requests, args.arrivals, seed=workers)
        samples, wall, cpu = drive(
            bases,
            shoppers,
            concurrency=args.concurrency,
            max_requests=args.requests,
            max_seconds=args.seconds,
            schedule=schedule,
        )
    finally:
        for server in servers:
            server.stop()
    adds = sum(shopper.added for shopper in shoppers)  # the warm-up's adds count too
    integrity = check_store(url, adds)
    load = f"{args.rate:g}/s" if args.rate else "closed"
    return RunResult(store, workers, instances, load, tuple(samples), wall, cpu, adds, integrity)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "examples:\n"
            "  capacity (closed loop), both stores:\n"
            "    bench/skill_load.py --workers 1,2 --threads 2 --seconds 20 --requests 7000\n"
            "  the aim (300 req/s open loop on PostgreSQL), one instance of 2 workers:\n"
            "    bench/skill_load.py --stores postgres --workers 2 --no-pair --threads 2 \\\n"
            "        --rate 300 --concurrency 32 --seconds 40 --requests 12000 --timeline\n"
            "  and one worker, alone then as two instances (--workers 1 without --no-pair).\n"
            "Run on a quiet machine: the client shares its cores with the servers."
        ),
    )
    parser.add_argument(
        "--stores", default="sqlite,postgres", help="comma-separated: sqlite, postgres"
    )
    parser.add_argument(
        "--workers", default="1,2", help="comma-separated worker counts, one row each"
    )
    parser.add_argument(
        "--requests", type=int, default=3000, help="stop a row after this many requests"
    )
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="or after this long (keep rows under 120 s)"
    )
    parser.add_argument(
        "--households", type=int, default=200, help="distinct carts and customers in the mix"
    )
    parser.add_argument(
        "--concurrency", type=int, default=24, help="client threads (requests in flight at most)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=8,
        help="threads per worker (vcom serve --threads); 2 measured best on 2 cores",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open loop: requests due per second in all (default: closed loop, each thread "
        "sends when answered)",
    )
    parser.add_argument(
        "--arrivals",
        choices=("poisson", "even"),
        default="poisson",
        help="open loop: independent arrivals (Poisson, the default) or evenly spaced",
    )
    parser.add_argument(
        "--timeline",
        action="store_true",
        help="after each row, latency per second of that run (to tell bursts from queueing)",
    )
    parser.add_argument(
        "--no-pair",
        action="store_true",
        help="skip the row of two instances sharing one PostgreSQL",
    )
    args = parser.parse_args()
    workers_list = [int(w) for w in args.workers.split(",")]
    stores = args.stores.split(",")
    results: list[RunResult] = []
    with ScratchStores("vcom-load-") as scratch:
        for store in stores:
            for workers in workers_list:
                runs = [1] if store == "sqlite" or args.no_pair else [1, 2]
                for instances in runs:
                    url = scratch.new(store)
                    result = run_once(
                        store, url, scratch.workdir, workers=workers, instances=instances,
                        args=args,
                    )
                    results.append(result)
                    # With timelines between rows, each row gets its own header.
                    first = len(results) == 1 or args.timeline
                    print(f"{HEADER}\n{result.row()}" if first else result.row())
                    if args.timeline:
                        print(f"\n{timeline(result.samples)}\n")
                    sys.stdout.flush()
    print(
        f"\n{args.concurrency} client threads, {args.threads} threads per worker, "
        f"{args.households} households, at most "
        f"{args.requests} requests or {args.seconds:.0f} s per run"
        + (f", {args.arrivals} arrivals" if args.rate else "")
        + ", mix per cycle: "
        + ", ".join(CONVERSATION)
        + ".\n* client ms: CPU the load client spent per request (on the same 2 cores)."
    )
    print("\nLatency by step (all runs, ms):")
    print("| step         | count | p50  | p99  |\n|--------------|-------|------|------|")
    for step in dict.fromkeys(CONVERSATION):
        times = sorted(s.seconds * 1000 for r in results for s in r.samples if s.step == step)
        if len(times) > 1:
            q = statistics.quantiles(times, n=100, method="inclusive")
            print(f"| {step:<12} | {len(times):>5} | {q[49]:>4.0f} | {q[98]:>4.0f} |")


if __name__ == "__main__":
    main()
