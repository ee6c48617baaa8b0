"""What publishing one websocket event costs the process that commits it, in-process (less
noisy than over HTTP on a shared machine).

    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/realtime_publish.py [--events 2000]

A hub (`realtime/hub.py`) publishes a `rows_created` event of 200 rows (the text the batch
create's event carries) to a table's group through the configured channel layer (Redis pub/sub),
with no subscriber and with one subscriber in another process (a child that counts what it
receives), alternating. For reference, the same text published with redis-py's own client (what
bypassing the channel layer could at best save). Prints the publisher's CPU time
(`time.process_time`) per event, then what the receiving process spends decoding one message.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django
import redis

django.setup()

from channels.layers import get_channel_layer  # noqa: E402
from redis import asyncio as aioredis  # noqa: E402

from realtime.broadcast import table_group  # noqa: E402
from realtime.hub import Hub  # noqa: E402

TABLE_ID = 999_999_999  # a group nobody else listens to


def rows_created_text(count: int) -> str:
    """The text of a batch create's event on a table of the default shape."""
    rows = [
        {
            "id": i,
            "order": f"{i}.00000000000000000000",
            "field_1": None,
            "field_2": "",
            "field_3": False,
        }
        for i in range(1, count + 1)
    ]
    event = {
        "type": "rows_created",
        "table_id": TABLE_ID,
        "rows": rows,
        "metadata": {},
        "before_row_id": None,
    }
    return json.dumps(event)


def _subscriber(url: str, channel: str, ready, counted) -> None:
    """A remote member: subscribes to the group's pub/sub channel and counts messages."""
    pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(channel)
    ready.set()
    for message in pubsub.listen():
        if message["type"] == "message":
            with counted.get_lock():
                counted.value += 1


async def _per_event_cpu(publish_one, events: int) -> float:
    """Microseconds of this process's CPU per published event."""
    for _ in range(50):
        await publish_one()
    started = time.process_time()
    for _ in range(events):
        await publish_one()
    return (time.process_time() - started) * 1e6 / events


async def measure(url: str, events: int, rounds: int) -> None:
    text = rows_created_text(200)
    group = table_group(TABLE_ID)
    message = {"type": "event.message", "group": group, "text": text, "ignore": None}
    hub = Hub(asyncio.get_running_loop())
    if hub.layer is None:
        raise SystemExit("set REDIS_URL: the in-memory layer publishes nothing")
    channel = hub.layer._get_layer()._get_group_channel_name(group)
    direct = aioredis.Redis.from_url(url)
    encoded = text.encode()

    async def through_hub() -> None:
        hub.publish([message])
        await hub._publisher

    async def redis_py() -> None:
        await direct.publish(channel, encoded)

    results: dict[tuple[str, bool], list[float]] = {}
    for _ in range(rounds):
        for subscribed in (False, True):
            child = None
            if subscribed:
                ready, counted = multiprocessing.Event(), multiprocessing.Value("l", 0)
                child = multiprocessing.Process(
                    target=_subscriber, args=(url, channel, ready, counted), daemon=True
                )
                child.start()
                ready.wait(10)
            for label, publish_one in (
                ("hub -> channel layer", through_hub),
                ("redis-py", redis_py),
            ):
                cpu = await _per_event_cpu(publish_one, events)
                results.setdefault((label, subscribed), []).append(cpu)
            if child is not None:
                deadline = time.monotonic() + 10
                while counted.value < 2 * (events + 50) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                child.terminate()
                child.join()
                if counted.value != 2 * (events + 50):
                    raise SystemExit(f"the subscriber got {counted.value} of {2 * (events + 50)}")
    await direct.aclose()
    print(
        f"publishing a 200-row rows_created event ({len(encoded):,} bytes), {events} events "
        f"x {rounds} rounds, CPU of the publishing process per event (median; rounds):"
    )
    for (label, subscribed), values in results.items():
        audience = "one remote subscriber" if subscribed else "no subscriber"
        rounds_text = ", ".join(f"{value:.0f}" for value in values)
        print(f"  {label}, {audience}: {statistics.median(values):.0f} us ({rounds_text})")

    packed = hub.layer.serialize(message)
    for label, decode, data in (
        ("msgpack (the layer's)", hub.layer.deserialize, packed),
        ("raw text, utf-8 decode", bytes.decode, encoded),
    ):
        started = time.process_time()
        for _ in range(events):
            decode(data)
        cpu = (time.process_time() - started) * 1e6 / events
        print(f"receiving process, decoding one message, {label}: {cpu:.1f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL", "")
    if not url or get_channel_layer() is None:
        raise SystemExit("set REDIS_URL")
    print(f"load average before: {os.getloadavg()[0]:.2f} (CPUs: {os.cpu_count()})")
    asyncio.run(measure(url, args.events, args.rounds))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
