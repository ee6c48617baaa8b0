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

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from baserow_clone.demand import Demand, demand


def client_of(request: HttpRequest) -> str:
    credential = request.META.get("HTTP_AUTHORIZATION") or f"@{request.META.get('REMOTE_ADDR')}"
    return hashlib.blake2b(credential.encode(), digest_size=12).hexdigest()


class FairShareMiddleware:
    """Counts each request in flight for its client; before it starts and before each of its
    SQL statements until its transaction writes or locks, the request of a heavier client waits
    while a lighter client's request runs in this process."""

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
        word in sql
        for word in (*writes, " FOR UPDATE", " FOR SHARE", " FOR NO KEY", " FOR KEY", "_lock(")
    )
