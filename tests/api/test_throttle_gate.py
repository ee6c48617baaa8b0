"""Attempts a throttle is known to refuse are refused before the app runs (api/throttle_gate.py):
the same answer as the throttles give, without a thread, the request signals or DRF."""

import json
import time

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.signals import request_started

from api.throttle_gate import known_blocks
from baserow_clone.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN_URL = "/api/user/token-auth/"
RESET_URL = "/api/user/send-reset-password-email/"


@pytest.fixture(autouse=True)
def refusals_at_once(settings):
    settings.THROTTLE_REFUSAL_DELAY = 0  # (its own test below)


@pytest.fixture
def app_runs():
    """How many requests reached the app (Django's request_started)."""
    started = []

    def count(**kwargs) -> None:
        started.append(1)

    request_started.connect(count)
    yield started
    request_started.disconnect(count)


def post(path: str, body: dict, address: str, **headers: str) -> tuple[int, dict, dict]:
    """POST through the whole ASGI application, from `address`; status, headers, JSON body."""
    raw = json.dumps(body).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "client": (address, 40000),
        "server": ("testserver", 80),
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
            *((name.lower().encode(), value.encode()) for name, value in headers.items()),
        ],
    }

    async def exchange():
        communicator = ApplicationCommunicator(application, scope)
        # In two parts: the gate must give the app the whole body it read.
        await communicator.send_input({"type": "http.request", "body": raw[:7], "more_body": True})
        await communicator.send_input({"type": "http.request", "body": raw[7:]})
        start = await communicator.receive_output(10)
        body = b""
        while True:
            message = await communicator.receive_output(10)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(1)
        return start, body

    start, content = async_to_sync(exchange)()
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return start["status"], headers, json.loads(content) if content else {}


def login(address: str, email: str = "ada@example.com", password: str = "wrong-password", **h):
    return post(LOGIN_URL, {"email": email, "password": password}, address, **h)


def test_a_blocked_address_is_refused_before_the_app_as_the_throttle_refuses(rates, user, app_runs):
    rates(login_ip="2/300")
    for n in range(3):  # two free attempts, then one that makes the next wait 1 s
        assert login("203.0.113.5", f"nobody{n}@example.com")[0] == 401
    assert len(app_runs) == 3
    origin = {"Origin": "http://localhost:3000"}  # the frontend's: CORS headers come too
    gated = login("203.0.113.5", **origin)
    assert len(app_runs) == 3  # the app never saw it
    known_blocks.clear()  # as a process that has not met the block yet
    through_app = login("203.0.113.5", **origin)
    assert len(app_runs) == 4
    assert gated[0] == through_app[0] == 429
    assert gated[2]["error"] == through_app[2]["error"] == "ERROR_MAX_REQUESTS_EXCEEDED"
    assert gated[2]["detail"] == through_app[2]["detail"]
    assert set(gated[1]) == set(through_app[1])
    assert gated[1]["access-control-allow-origin"] == "http://localhost:3000"
    for name in ("content-type", "retry-after", "vary", "allow", "x-content-type-options"):
        assert gated[1].get(name) == through_app[1].get(name), name
    # Another address is not held back, and its body reaches the app whole.
    assert login("203.0.113.6", password="password123")[0] == 200


def test_a_blocked_account_is_refused_before_the_app_from_any_address(rates, user, app_runs):
    rates(login_account="2/900")
    for n in range(3):
        assert login(f"198.51.100.{n}", "ADA@example.com")[0] == 401
    status, headers, body = login("198.51.100.9", password="password123")
    assert status == 429 and body["error"] == "ERROR_MAX_REQUESTS_EXCEEDED"
    assert int(headers["retry-after"]) >= 1
    assert len(app_runs) == 3
    assert login("198.51.100.9", "bob@example.com")[0] == 401  # other accounts go on
    assert len(app_runs) == 4


def test_the_gate_lets_attempts_through_once_the_block_ends(rates, user, app_runs):
    rates(login_ip="0/300")  # no free attempt: the first makes the next wait 1 s
    assert login("192.0.2.7")[0] == 401
    assert login("192.0.2.7")[0] == 429
    assert len(app_runs) == 1
    time.sleep(1.05)
    assert login("192.0.2.7", password="password123")[0] == 200
    assert len(app_runs) == 2


def test_password_reset_attempts_are_gated_too(rates, user, app_runs):
    rates(password_reset_account="1/3600")
    body = {"email": "ada@example.com", "base_url": "http://localhost:3000/reset"}
    assert post(RESET_URL, body, "192.0.2.1")[0] == 204
    assert post(RESET_URL, body, "192.0.2.2")[0] == 204  # past the free one: next waits
    assert post(RESET_URL, body, "192.0.2.3")[0] == 429
    assert len(app_runs) == 2


def test_other_requests_are_not_read_by_the_gate(rates, user, app_runs):
    rates(login_ip="0/300")
    login("192.0.2.8")
    assert known_blocks  # something is blocked, so POSTs to gated paths are looked at
    body = {"name": "New", "email": "new@example.com", "password": "password123"}
    assert post("/api/user/", body, "192.0.2.8")[0] == 200  # signup is not growing-delay
    assert len(app_runs) == 2


def test_a_refusal_is_answered_after_a_delay_so_a_guessing_loop_slows_down(
    rates, settings, user, app_runs
):
    settings.THROTTLE_REFUSAL_DELAY = 0.5
    rates(login_ip="0/300")
    assert login("192.0.2.9")[0] == 401  # the next one waits 1 s
    started = time.monotonic()
    assert login("192.0.2.9")[0] == 429
    assert 0.45 <= time.monotonic() - started < 1
    assert len(app_runs) == 1
    # A block that ends while the attempt waits lets it through to the app.
    settings.THROTTLE_REFUSAL_DELAY = 5
    started = time.monotonic()
    assert login("192.0.2.9", password="password123")[0] == 200
    assert time.monotonic() - started < 1.5
    assert len(app_runs) == 2
