"""A real HTTP receiver on 127.0.0.1 that records every call, and a table to hook."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.cache import cache

from database.tables.models import Table
from users.models import User


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
