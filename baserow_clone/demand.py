"""How many requests each client keeps in flight in the web processes (api/fairness.py).

Each process keeps, per client, a moving average of its requests in flight (halving every
`FAIR_SHARE_HALF_LIFE` seconds). With Redis, a thread of each process publishes its averages
every `FAIR_SHARE_PUBLISH` seconds, one hash per process, and reads the other processes'. A
client is a digest of its credential (the middleware makes it); the credential is never kept.
`web_demand()` gives the total, for background work that gives way to requests.
"""

import functools
import logging
import math
import os
import threading
import time
import uuid

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

FORGET_BELOW = 0.01  # an idle client whose average fell under this is dropped (see _prune)
PROCESSES_KEY = "fair_share:processes"  # sorted set: process id, when it last shared
PROCESS_KEY = "fair_share:process:{}"  # hash: client digest, its average in that process


class Demand:
    """The requests in flight per client in this process, their moving averages, the other
    processes' averages, and the waits of heavier clients' requests."""

    def __init__(self, half_life: float, margin: float) -> None:
        self.half_life = half_life
        self.rate = math.log(2) / half_life
        self.margin = margin
        self.turns = threading.Condition()
        self.local: dict[str, tuple[int, float, float]] = {}  # client: (in flight, average, when)
        self.running: set[str] = set()  # the clients with a request in flight here
        self.elsewhere: dict[str, float] = {}  # client: its average in the other processes
        self.pruned = 0.0
        self.process_id = uuid.uuid4().hex
        self.stopped = threading.Event()  # stops sharing through Redis

    def forget(self) -> None:
        with self.turns:
            self.local, self.running, self.elsewhere = {}, set(), {}

    def _average(self, client: str, now: float) -> float:
        count, average, when = self.local.get(client, (0, 0.0, now))
        return count + (average - count) * math.exp(-self.rate * (now - when))

    def _step(self, client: str, by: int, now: float) -> None:
        count = self.local.get(client, (0, 0.0, now))[0] + by
        self.local[client] = (count, self._average(client, now), now)
        (self.running.add if count > 0 else self.running.discard)(client)

    def enter(self, client: str, now: float) -> None:
        with self.turns:
            self._step(client, 1, now)

    def leave(self, client: str, now: float) -> None:
        with self.turns:
            self._step(client, -1, now)
            self.turns.notify_all()
            if now - self.pruned > 1:
                self._prune(now)

    def demand(self, client: str, now: float) -> float:
        with self.turns:
            return self._demand(client, now)

    def _demand(self, client: str, now: float) -> float:
        return self._average(client, now) + self.elsewhere.get(client, 0.0)

    def _lighter_one_runs(self, client: str, now: float) -> bool:
        if not self.running - {client}:
            return False
        heavy = self._demand(client, now)
        return any(
            heavy > self.margin * self._demand(other, now)
            for other in self.running
            if other != client
        )

    def wait_turn(self, client: str, longest: float) -> float:
        """Wait while a request of a lighter client runs here, at most `longest` seconds; the
        seconds waited."""
        started = time.monotonic()
        with self.turns:
            while (now := time.monotonic()) - started < longest:
                if not self._lighter_one_runs(client, now):
                    break
                self.turns.wait(longest - (now - started))
        return time.monotonic() - started

    def _prune(self, now: float) -> None:
        """Drop the idle clients whose average faded away, and that were not seen for a
        half-life (a client of one short request is never above FORGET_BELOW)."""
        for client in [c for c in self.local if c not in self.running]:
            seen = self.local[client][2]
            if now - seen > self.half_life and self._average(client, now) < FORGET_BELOW:
                del self.local[client]
        self.pruned = now

    def snapshot(self, now: float) -> dict[str, float]:
        """This process's averages."""
        with self.turns:
            self._prune(now)
            return {client: self._average(client, now) for client in self.local}

    def share(self, client: redis.Redis) -> None:
        """Publish this process's averages and read the other processes' (one round trip each)."""
        key = PROCESS_KEY.format(self.process_id)
        averages = self.snapshot(time.monotonic())
        with client.pipeline() as pipe:
            pipe.delete(key)
            if averages:
                pipe.hset(key, mapping=averages)
                pipe.pexpire(key, int(horizon() * 1000))
            pipe.zadd(PROCESSES_KEY, {self.process_id: time.time()})
            pipe.zremrangebyscore(PROCESSES_KEY, "-inf", time.time() - horizon())
            pipe.zrange(PROCESSES_KEY, 0, -1)
            others = [p.decode() for p in pipe.execute()[-1] if p.decode() != self.process_id]
        elsewhere = averages_of(client, others)
        with self.turns:
            self.elsewhere = elsewhere


def horizon() -> float:
    """Seconds after which a process that stopped sharing no longer counts."""
    return 4 * settings.FAIR_SHARE_PUBLISH


def averages_of(client: redis.Redis, processes: list[str]) -> dict[str, float]:
    """Per client, the sum of its averages in these processes."""
    with client.pipeline() as pipe:
        for process in processes:
            pipe.hgetall(PROCESS_KEY.format(process))
        summed: dict[str, float] = {}
        for averages in pipe.execute():
            for name, value in averages.items():
                summed[name.decode()] = summed.get(name.decode(), 0.0) + float(value)
    return summed


def web_demand() -> float:
    """The web processes' requests in flight on average lately, all clients together: with
    Redis, of every process that shares (0 when Redis does not answer); without, this one's."""
    if not settings.REDIS_URL:
        shared = demand()
        return sum(shared.snapshot(time.monotonic()).values())
    try:
        client = redis_client(settings.REDIS_URL)
        processes = client.zrangebyscore(PROCESSES_KEY, time.time() - horizon(), "+inf")
        return sum(averages_of(client, [p.decode() for p in processes]).values())
    except redis.RedisError:
        return 0.0


@functools.cache
def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1)


_demand: Demand | None = None
_demand_pid = 0
_demand_lock = threading.Lock()


def demand() -> Demand:
    """This process's `Demand` (a new one after a fork), sharing through Redis if there is one."""
    global _demand, _demand_pid
    if _demand is not None and _demand_pid == os.getpid():  # every request: no lock
        return _demand
    with _demand_lock:
        if _demand is None or _demand_pid != os.getpid():
            _demand = Demand(settings.FAIR_SHARE_HALF_LIFE, settings.FAIR_SHARE_MARGIN)
            _demand_pid = os.getpid()
            if settings.REDIS_URL:
                start_sharing(_demand, settings.REDIS_URL, settings.FAIR_SHARE_PUBLISH)
        return _demand


def start_sharing(shared: Demand, redis_url: str, every: float) -> threading.Thread:
    def share() -> None:
        client, failing = redis.Redis.from_url(redis_url, socket_timeout=every * 4), False
        while not shared.stopped.is_set():
            try:
                shared.share(client)
                failing = False
            except redis.RedisError as error:  # each process counts alone until Redis is back
                if not failing:
                    logger.warning("fair share: cannot share the demand: %s", error)
                failing = True
                with shared.turns:
                    shared.elsewhere = {}
            shared.stopped.wait(every)

    thread = threading.Thread(target=share, name="fair-share", daemon=True)
    thread.start()
    return thread
