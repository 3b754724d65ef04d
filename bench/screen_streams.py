"""Open companion screens against the Alexa endpoint: do a thousand streams slow Alexa down?

    .venv/bin/python bench/screen_streams.py [--stores sqlite,postgres] [--workers 1,2]
        [--threads 2] [--streams 0,1000] [--rate 50] [--seconds 30] [--households 200]
    .venv/bin/python bench/screen_streams.py --quick [--stores postgres]   (2 rows, ~3 min)

For each row: `vcom serve` with verification on; 200 households are created (each says
"what's in my cart" once, untimed) and their screens paired in the store (streams spread over
the households); a separate process opens that many `GET /screens/<id>/events` streams, each
with its screen's proof cookie, 25 per client address (127.0.0.x: the per-client cap is 32),
and keeps reading them; then signed /alexa requests arrive as a Poisson process at --rate per
second for --seconds (the conversation of bench/skill_load.py: add, add, read cart, check out,
yes, order status), latency counted from when each was due. Every cart change and order is an
event on its household's screens, so the streams are live, not idle. After the run: streams
still open, events the screens received, /healthz latency, and the machine's load average
(1 minute) at the end of the row: on a shared machine, read the numbers next to it. Prints
tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))
sys.path.insert(0, str(_ROOT / "bench"))

from skill_load import (  # noqa: E402
    CONVERSATION,
    arrival_times,
    check_store,
    drive,
    make_shoppers,
    warm_up,
)

from tests.support.load import ScratchStores, serve_skill  # noqa: E402

SECRET = "bench-secret-key-for-screen-streams-0123456789"
PER_ADDRESS = 25


@dataclass(frozen=True)
class Screen:
    device_id: str
    cookie: str
    source: str


def pair_screens(url: str, user_ids: list[str], count: int) -> list[Screen]:
    """`count` screens spread over the households of `device_ids`, paired in the store."""
    from backend.persistence.store import open_store
    from backend.services.customers import find_by_first_device
    from backend.services.pairing import link_screen
    from backend.unit_of_work import UnitOfWork
    from skill.screens.access import ScreenProof, proof_cookie

    store = open_store(url)
    try:
        customers = [find_by_first_device(UnitOfWork(store), (u,)).id for u in user_ids]
        screens = []
        for n in range(count):
            customer = customers[n % len(customers)]
            device = f"bench-screen-{n}"
            link_screen(UnitOfWork(store), device, customer)
            cookie = proof_cookie(SECRET, ScreenProof(device, customer, 0))
            source = f"127.0.{1 + n // (PER_ADDRESS * 250)}.{2 + (n // PER_ADDRESS) % 250}"
            screens.append(Screen(device, cookie, source))
        return screens
    finally:
        store.dispose()


# --- the stream holder (its own process, so that it takes no CPU from the load client) ----------


async def _hold(port: int, screens: list[dict[str, str]]) -> None:
    counts = {"open": 0, "refused": 0, "events": 0, "closed": 0}
    ready = asyncio.Event()
    pending = len(screens)

    async def one(screen: dict[str, str]) -> None:
        nonlocal pending
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(screen["source"], 0)
            )
            writer.write(
                f"GET /screens/{screen['device_id']}/events HTTP/1.1\r\nHost: bench\r\n"
                "Accept: text/event-stream\r\n"
                f"Cookie: vcom_screen={screen['cookie']}\r\n\r\n".encode()
            )
            status = await reader.readline()
            ok = status.startswith(b"HTTP/1.1 200")
            counts["open" if ok else "refused"] += 1
        except OSError:
            counts["refused"] += 1
            ok = False
        pending -= 1
        if pending == 0:
            ready.set()
        if not ok:
            return
        while line := await reader.readline():
            if line.startswith(b"id: "):
                counts["events"] += 1
        counts["open"] -= 1
        counts["closed"] += 1

    tasks = [asyncio.ensure_future(one(s)) for s in screens]
    await ready.wait()
    print(json.dumps({"ready": counts}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # until the parent says stop
    print(json.dumps({"done": counts}), flush=True)
    for task in tasks:
        task.cancel()


def hold_main(port: int, path: Path) -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_hold(port, json.loads(path.read_text())))


# --- a row --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    store: str
    workers: int
    streams: int
    held: int
    requests: int
    p50: float
    p95: float
    p99: float
    errors: int
    events: int
    health_ms: float
    integrity: str
    load: float

    def line(self) -> str:
        return (
            f"| {self.store:<8} | {self.workers:>7} | {self.streams:>7} | {self.held:>10} | "
            f"{self.requests:>8} | {self.p50:>6.1f} | {self.p95:>6.1f} | {self.p99:>6.1f} | "
            f"{self.errors:>6} | {self.events:>13} | {self.health_ms:>9.1f} | {self.load:>4.1f} | "
            f"{self.integrity} |"
        )


HEADER = (
    "| store    | workers | streams | still open | requests | p50 ms | p95 ms | p99 ms | "
    "errors | screen events | health ms | load | store check |\n"
    "|----------|---------|---------|------------|----------|--------|--------|--------|"
    "--------|---------------|-----------|------|-------------|"
)


def health_ms(base: str) -> float:
    import requests

    times = []
    for _ in range(20):
        started = time.perf_counter()
        requests.get(f"{base}/healthz", timeout=10)
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)
    return max(times)


def run_row(
    store: str, url: str, workdir: Path, workers: int, streams: int, args: argparse.Namespace
) -> Row:
    server = serve_skill(
        url,
        workdir,
        workers=workers,
        threads=args.threads,
        extra_env={"VCOM_SECRET_KEY": SECRET},
    )
    holder = None
    try:
        shoppers = make_shoppers(args.households, seed=workers)
        requests_due = math.ceil(args.rate * args.seconds)
        cycles = math.ceil(requests_due / (len(CONVERSATION) * args.households)) + 2
        warm_up([server.base_url], shoppers, 16, cycles)
        screens = pair_screens(url, [s.household.user_id for s in shoppers], streams)
        held = 0
        if streams:
            listing = workdir / f"screens-{uuid.uuid4().hex[:6]}.json"
            listing.write_text(json.dumps([s.__dict__ for s in screens]))
            holder = subprocess.Popen(
                [sys.executable, __file__, "--hold", str(server.port), str(listing)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert holder.stdout is not None
            ready = json.loads(holder.stdout.readline())["ready"]
            held = ready["open"]
            time.sleep(5)  # screens stay open for hours: measure with them open, not opening
        schedule = arrival_times(args.rate, requests_due, "poisson", seed=workers)
        samples, _wall, _cpu = drive(
            [server.base_url],
            shoppers,
            concurrency=16,
            max_requests=requests_due,
            max_seconds=args.seconds + 10,
            schedule=schedule,
        )
        health = health_ms(server.base_url)
        events = 0
        if holder is not None:
            assert holder.stdin is not None and holder.stdout is not None
            holder.stdin.write("stop\n")
            holder.stdin.flush()
            done = json.loads(holder.stdout.readline())["done"]
            held, events = done["open"], done["events"]
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
        server.stop()
    latencies = sorted(s.seconds * 1000 for s in samples)
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    adds = sum(shopper.added for shopper in shoppers)
    return Row(
        store,
        workers,
        streams,
        held,
        len(latencies),
        q[49],
        q[94],
        q[98],
        sum(not s.ok for s in samples),
        events,
        health,
        check_store(url, adds),
        os.getloadavg()[0],
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--hold":
        hold_main(int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--stores", default="sqlite", help="comma-separated: sqlite, postgres")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--threads", type=int, default=2, help="vcom serve --threads")
    parser.add_argument("--streams", default="0,1000", help="comma-separated open streams")
    parser.add_argument("--rate", type=float, default=50.0, help="Alexa requests per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each run")
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="two rows: one worker, 0 and 1,000 streams, 15 s each (for a check on a quiet "
        "machine; the other options still apply to the store)",
    )
    args = parser.parse_args()
    if args.quick:
        args.workers, args.streams, args.seconds = "1", "0,1000", 15.0
    print(HEADER, flush=True)
    with ScratchStores("vcom-screens-") as stores:
        for store in args.stores.split(","):
            for workers in (int(w) for w in args.workers.split(",")):
                for streams in (int(s) for s in args.streams.split(",")):
                    url = stores.new(store)
                    row = run_row(store, url, stores.workdir, workers, streams, args)
                    print(row.line(), flush=True)
    print(
        f"\n{args.rate:g} signed /alexa requests per second (Poisson arrivals) for "
        f"{args.seconds:g} s per row, {args.threads} threads per worker, {args.households} "
        "households; latency from when each request was due. 'still open': streams open at "
        "the end of the run; 'screen events': events the open screens received; 'health ms': "
        "the slowest of 20 /healthz requests after the run."
    )


if __name__ == "__main__":
    main()
