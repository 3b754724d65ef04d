"""The process's one outbox poller: a burst of commits costs a few reads, and nothing is lost."""

import asyncio
import time

from backend.runtime import Backend
from backend.services import carts
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
