"""Fairness between the clients of the web processes (`FAIR_SHARE_*` settings).

A Python process runs one thread at a time, so two requests in one web process each get half of
it, whoever sent them. A client keeping many requests in flight (a script writing as fast as it
can over several connections) then halves the speed of every other client whose connection
shares a process with one of its requests.

So each process keeps, per client, how many of its requests were in flight on average lately (a
moving average halving every `FAIR_SHARE_HALF_LIFE` seconds). With Redis, every process shares
its averages each `FAIR_SHARE_PUBLISH` seconds and adds the others' in: a client's demand is its
average in all processes. A request of a client whose demand is over `FAIR_SHARE_MARGIN` times
another client's waits while a request of that lighter client runs in the same process: before
it starts, and before each of its SQL statements until its transaction writes or locks (the
lighter request might wait on those locks). Each wait lasts at most `FAIR_SHARE_MAX_WAIT`
seconds, all of a request's at most `FAIR_SHARE_MAX_WAIT_TOTAL`. The lighter client's request
then has the process to itself, the heavier one goes on between them, and clients of equal
demand share as before. Nothing is refused.

A client is its credential (`Authorization`), or its address when it sends none; only a digest
of it is kept or shared. A client that sends several credentials counts as several clients:
this orders requests, it limits nothing.
"""

import functools
import hashlib
import logging
import math
import os
import threading
import time
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

FORGET_BELOW = 0.01  # an idle client whose average fell under this is dropped
PROCESSES_KEY = "fair_share:processes"  # sorted set: process id, when it last shared
PROCESS_KEY = "fair_share:process:{}"  # hash: client digest, its average in that process


class Demand:
    """The requests in flight per client in this process, their moving averages, the other
    processes' averages, and the waits of heavier clients' requests."""

    def __init__(self, half_life: float, margin: float) -> None:
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
        """Drop the idle clients whose average faded away."""
        for client in [c for c in self.local if c not in self.running]:
            if self._average(client, now) < FORGET_BELOW:
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


def client_of(request: HttpRequest) -> str:
    credential = request.META.get("HTTP_AUTHORIZATION") or f"@{request.META.get('REMOTE_ADDR')}"
    return hashlib.blake2b(credential.encode(), digest_size=12).hexdigest()


class FairShareMiddleware:
    """Counts each request in flight for its client; before it starts and before each of its
    SQL statements, the request of a heavier client waits while a lighter client's request runs
    in this process."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.enabled = settings.FAIR_SHARE_MARGIN > 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        client, shared = client_of(request), demand()
        shared.enter(client, time.monotonic())
        take_turn = self.turn_taker(shared, client)
        try:
            take_turn()  # before any work: parsing, authentication
            with connection.execute_wrapper(take_turn):
                return self.get_response(request)
        finally:
            shared.leave(client, time.monotonic())

    @staticmethod
    def turn_taker(shared: Demand, client: str) -> Callable:
        left = [settings.FAIR_SHARE_MAX_WAIT_TOTAL]
        holds_locks = [False]  # its transaction wrote or locked: the lighter one may wait on it

        def take_turn(execute=None, sql="", *statement):
            if not connection.in_atomic_block:
                holds_locks[0] = False
            if left[0] > 0 and not holds_locks[0]:
                left[0] -= shared.wait_turn(client, min(left[0], settings.FAIR_SHARE_MAX_WAIT))
            if connection.in_atomic_block and takes_locks(sql):
                holds_locks[0] = True
            return execute(sql, *statement) if execute else None

        return take_turn


def takes_locks(sql: str) -> bool:
    """Whether a statement may take locks that other statements wait on: any but a plain read."""
    head = sql.lstrip()[:16].upper()
    if head.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
        return False
    if not head.startswith(("SELECT", "WITH")):
        return True
    writes = ("INSERT INTO", "UPDATE ", "DELETE FROM") if head.startswith("WITH") else ()
    return any(
        word in sql for word in (*writes, " FOR UPDATE", " FOR SHARE", " FOR NO KEY", "_lock(")
    )
