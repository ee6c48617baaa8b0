"""A real HTTP receiver on 127.0.0.1 that records every call, and a table to hook."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import kombu.pools
import pytest
import redis
from django.core.cache import cache

from baserow_clone.celery import app
from database.tables.models import Table
from tests.servers import redis_url_for_tests
from users.models import User

REDIS_URL = redis_url_for_tests(9)


class Receiver:
    """Records each request (method, path, headers, JSON body); answers `status`."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status = 200
        self.statuses: list[int] = []  # answered first, one per call, before `status`
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver.arrived:
                    receiver.calls.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": json.loads(body) if body else None,
                        }
                    )
                    receiver.arrived.notify_all()
                    status = receiver.statuses.pop(0) if receiver.statuses else receiver.status
                answer = b'{"ok": true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _record

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.calls) >= count, timeout=timeout)
        return self.calls

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _no_cached_webhooks() -> None:
    """Table ids come again after a test's data is gone: forget what the cache says of them."""
    cache.clear()


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_RETRY_BACKOFF_SECONDS = 0
    receiver = Receiver()
    yield receiver
    receiver.close()


def first_table(user: User) -> Table:
    return (
        Table.objects.filter(database__workspace__memberships__user=user)
        .select_related("database")
        .order_by("id")
        .first()
    )


@pytest.fixture
def table(user) -> Table:
    return first_table(user)


def forget_broker_connections() -> None:
    """Celery keeps the connection pool of the broker URL it first used: start a new one
    (kombu keeps its producer pools by connection too)."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.fixture
def broker(transactional_db) -> Iterator[redis.Redis]:
    """Calls go to Redis (db 9) as in production; no worker runs yet."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    before = app.conf.task_always_eager, app.conf.broker_url
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    forget_broker_connections()
    yield connection
    app.conf.update(task_always_eager=before[0], broker_url=before[1])
    forget_broker_connections()
    connection.flushdb()
    connection.close()
