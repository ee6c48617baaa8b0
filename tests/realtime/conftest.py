"""A real ASGI server (uvicorn, in a thread) over the test database, and real websocket clients."""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import uvicorn
from websockets.sync.client import ClientConnection, connect

from users.models import User
from users.tokens import token_pair_for_user


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_url(transactional_db) -> Iterator[str]:
    """The base URL of the project's ASGI application served by uvicorn on a free port, with
    the production server's websocket protocol."""
    from baserow_clone.asgi import application
    from realtime.frames import SharedFramesProtocol

    port = free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        ws=SharedFramesProtocol,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


class Api:
    """HTTP requests to the live server as one user (a real JWT), optionally from a socket."""

    def __init__(self, base: str, user: User | None) -> None:
        self.base = f"http://{base}"
        self.session = requests.Session()
        if user is not None:
            access, _ = token_pair_for_user(user)
            self.session.headers["Authorization"] = f"JWT {access}"

    def __call__(
        self, method: str, path: str, body: Any = None, *, websocket_id: str | None = None
    ) -> requests.Response:
        headers = {"WebsocketId": websocket_id} if websocket_id else {}
        return self.session.request(
            method, self.base + path, json=body, headers=headers, timeout=10
        )


class Socket:
    """A websocket client of `/ws/core/`; `self.auth` is the server's authentication message."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.auth = self.receive()
        self.id = self.auth["web_socket_id"]

    def receive(self, timeout: float = 5) -> dict[str, Any]:
        return json.loads(self.connection.recv(timeout=timeout))

    def send(self, message: dict[str, Any]) -> None:
        self.connection.send(json.dumps(message))

    def subscribe(self, **page: Any) -> dict[str, Any]:
        self.send(page)
        return self.receive()

    def receive_until(self, event_type: str) -> list[dict[str, Any]]:
        """Every message up to and including the first of `event_type`."""
        messages = [self.receive()]
        while messages[-1]["type"] != event_type:
            messages.append(self.receive())
        return messages


@pytest.fixture
def api(live_url):
    def make(user: User | None) -> Api:
        return Api(live_url, user)

    return make


@pytest.fixture
def ws(live_url):
    """Open sockets as users (or with a raw token); all closed after the test."""
    with contextlib.ExitStack() as opened:

        def make(
            user: User | None = None,
            *,
            token: str | None = None,
            compression: str | None = "deflate",
        ) -> Socket:
            if token is None:
                token = token_pair_for_user(user)[0] if user is not None else "anonymous"
            url = f"ws://{live_url}/ws/core/?jwt_token={token}"
            return Socket(opened.enter_context(connect(url, compression=compression)))

        yield make
