"""The process's one outbox poller: a burst of commits costs a few reads, and nothing is lost;
a crowd of streams connecting at once costs a few device lookups."""

import asyncio
import time

from backend.runtime import Backend
from backend.services import carts
from backend.services.pairing import link_screen
from skill.screens import feed as feed_module
from skill.screens.feed import ScreenFeed
from skill.screens.stream import StreamSettings

INTERVAL = 0.2
COMMITS = 20


def test_a_burst_of_commits_costs_one_outbox_read_per_interval_not_one_each(sqlite_shop):
    hub = sqlite_shop.hub
    reads = 0
    read_since = hub.read_since

    def counted(*args, **kwargs):  # the real read, counted
        nonlocal reads
        reads += 1
        return read_since(*args, **kwargs)

    hub.read_since = counted
    feed = ScreenFeed(
        Backend(sqlite_shop.store, hub), StreamSettings(read_interval_seconds=INTERVAL)
    )

    def commit_one_by_one() -> None:
        for _ in range(COMMITS):  # each commit wakes the poller at once
            carts.add_item(sqlite_shop.uow(), sqlite_shop.customer_id, "GRO-EGGS", 1)

    async def burst() -> tuple[list[int], int, float]:
        follower, _ = await feed.follow(sqlite_shop.customer_id)
        before, started = reads, time.monotonic()
        await asyncio.to_thread(commit_one_by_one)
        ids: list[int] = []
        while len(ids) < COMMITS:
            event = await asyncio.wait_for(follower.queue.get(), 5)
            assert event is not None
            ids.append(event.id)
        return ids, reads - before, time.monotonic() - started

    try:
        ids, used, seconds = asyncio.run(burst())
    finally:
        feed.stop()
    assert ids == sorted(ids) and len(set(ids)) == COMMITS
    # At most two reads per interval (one, and one more after a wake-up when it found nothing);
    # reading after every wake-up took 11 reads for these 20 commits in 0.11 s.
    assert used <= 2 * (seconds / INTERVAL + 2), (used, seconds)


def test_streams_connecting_together_share_one_device_lookup(sqlite_shop, monkeypatch):
    paired = [f"wall-{n}" for n in range(200)]
    for device_id in paired:
        link_screen(sqlite_shop.uow(), device_id, sqlite_shop.customer_id)
    lookups: list[int] = []
    households_of = feed_module.households_of

    def counted(uow, device_ids):  # the real lookup, counted
        lookups.append(len(device_ids))
        return households_of(uow, device_ids)

    monkeypatch.setattr(feed_module, "households_of", counted)
    feed = ScreenFeed(Backend(sqlite_shop.store, sqlite_shop.hub), StreamSettings())

    async def connect_all() -> list[int | None]:
        asked = [*paired, "never-paired"]
        return await asyncio.gather(*(feed.household_of(device_id) for device_id in asked))

    try:
        households = asyncio.run(connect_all())
    finally:
        feed.stop()
    assert households == [sqlite_shop.customer_id] * 200 + [None]
    # The first stream's lookup starts at once; everyone who connected meanwhile shares the next.
    assert len(lookups) <= 2 and sum(lookups) == 201, lookups
