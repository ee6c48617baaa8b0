"""Events waiting for their fan-out, in a Redis list of the broker (production).

A Celery message per event costs a row write more than a millisecond of CPU; appending to a
list costs one Redis round trip. A request appends its event and, in the same round trip,
marks that a fan-out task is queued (`KICKED`); only the request that sets the mark queues the
task. The task takes the events oldest first, one consumer at a time (`CONSUMER`, a lease):
an event is moved to `TAKEN` while it is fanned out and dropped once its calls are stored, so
a consumer that dies leaves it to the next one (which fans it out again: at least once). The
list lives where Celery's own queue does, so it is as durable as a queued task.
"""

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings

from baserow_clone.cache import SharedConnectionPool
from baserow_clone.celery import app

logger = logging.getLogger(__name__)

EVENTS = "webhooks:events"
TAKEN = "webhooks:events:taken"
KICKED = "webhooks:events:kicked"
CONSUMER = "webhooks:events:consumer"

FAILURES = "webhooks:events:failures"

# Drop the lease only if it is still this consumer's (it may have expired and been taken).
RELEASE_SCRIPT = """
if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end
return 0
"""

_clients: dict[str, redis.Redis] = {}


def broker_redis() -> redis.Redis | None:
    """A client of the broker's Redis (this process's pool); None when the broker isn't Redis
    (or there is none: the embedded default fans out in-process)."""
    url = app.conf.broker_url
    if app.conf.task_always_eager or not url or not url.startswith(("redis://", "rediss://")):
        return None
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis(connection_pool=SharedConnectionPool.from_url(url))
    return client


def encode(event: dict[str, Any]) -> bytes:
    """The event as one list item: its fields as JSON, then a rows event's payload JSON as it
    is (the websockets' text, not escaped into a second encoding)."""
    fields = {key: value for key, value in event.items() if key != "payload_json"}
    return f"{json.dumps(fields)}\n{event.get('payload_json') or ''}".encode()


def decode(item: bytes) -> dict[str, Any]:
    head, _, payload_json = item.decode().partition("\n")
    event = json.loads(head)
    if payload_json:
        event["payload_json"] = payload_json
    return event


def push(client: redis.Redis, event: dict[str, Any]) -> None:
    """Append the event; queue the fan-out task unless one is queued or running already."""
    pipe = client.pipeline(transaction=False)
    pipe.rpush(EVENTS, encode(event))
    pipe.set(KICKED, 1, nx=True, ex=settings.WEBHOOKS_FAN_OUT_KICK_SECONDS)
    if pipe.execute()[1]:
        kick(delay=0)


def kick(delay: float) -> None:
    from webhooks.tasks import fan_out_queued

    fan_out_queued.apply_async(countdown=delay or None)


def consume(client: redis.Redis, fan_out: Callable[..., Any]) -> int | None:
    """Fan out the waiting events in order while holding the lease; how many (None if another
    consumer holds it: that one takes them, or this task is queued again)."""
    token = uuid.uuid4().hex
    lease = settings.WEBHOOKS_FAN_OUT_LEASE_SECONDS
    if not client.set(CONSUMER, token, nx=True, ex=lease):
        return None
    done = 0
    try:
        # Only a lease holder moves events, so one left taken was a dead consumer's.
        while client.lmove(TAKEN, EVENTS, "RIGHT", "LEFT"):
            pass
        while True:
            item = client.lmove(EVENTS, TAKEN, "LEFT", "RIGHT")
            if item is None:
                client.delete(KICKED)  # from now on a new event queues a task
                if client.llen(EVENTS):
                    continue  # appended before the mark went: its request queued no task
                return done
            try:
                fan_out(**decode(item))
            except Exception:
                # Its calls were not stored: it goes back first, for the next task, unless it
                # failed too often (it would hold back every other table's events).
                failures = client.incr(FAILURES)
                client.expire(FAILURES, lease)
                if failures < settings.WEBHOOKS_FAN_OUT_ATTEMPTS:
                    client.lmove(TAKEN, EVENTS, "RIGHT", "LEFT")
                    raise
                logger.exception("webhook event dropped after %s failed fan-outs", failures)
            pipe = client.pipeline(transaction=False)
            pipe.lrem(TAKEN, 1, item)
            pipe.delete(FAILURES)
            pipe.expire(CONSUMER, lease)
            pipe.execute()
            done += 1
    finally:
        client.register_script(RELEASE_SCRIPT)(keys=[CONSUMER], args=[token])


def waiting(client: redis.Redis) -> int:
    """How many events wait for a fan-out (taken ones included)."""
    pipe = client.pipeline(transaction=False)
    pipe.llen(EVENTS)
    pipe.llen(TAKEN)
    return sum(pipe.execute())


def lease_left(client: redis.Redis) -> float:
    """Seconds until the consumer's lease ends (0: no consumer holds it)."""
    return max(client.pttl(CONSUMER), 0) / 1000
