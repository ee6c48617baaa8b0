"""Throttles: login, password reset, signup and database tokens answer 429 with Retry-After."""

import json
import socket
import time
import urllib.error
import urllib.request

import pytest
from rest_framework.test import APIClient

from database.tokens.services import token_create
from tests.database.tokens.conftest import client_with_key, key_of
from workspaces.models import WorkspaceUser

LOGIN_URL = "/api/user/token-auth/"
RESET_URL = "/api/user/send-reset-password-email/"
SIGNUP_URL = "/api/user/"
CHECK_URL = "/api/database/tokens/check/"


def from_address(address: str) -> APIClient:
    return APIClient(REMOTE_ADDR=address)


def login(client: APIClient, email: str, password: str = "wrong-password"):
    return client.post(LOGIN_URL, {"email": email, "password": password}, format="json")


def assert_throttled(response, retry_after: int | None = None) -> None:
    assert response.status_code == 429, response.content
    body = response.json()
    assert body["error"] == "ERROR_MAX_REQUESTS_EXCEEDED"
    assert "throttled" in body["detail"]
    assert int(response["Retry-After"]) >= 1
    if retry_after is not None:
        assert int(response["Retry-After"]) == retry_after


def test_login_attempts_from_one_address_wait_ever_longer(rates, user):
    rates(login_ip="2/300")
    client = from_address("203.0.113.5")
    # Two free attempts, then one more that is let through but makes the next one wait 1 s.
    for n in range(3):
        assert login(client, f"nobody{n}@example.com").status_code == 401
    assert_throttled(login(client, "ada@example.com", "password123"), retry_after=1)
    time.sleep(1.05)
    assert login(client, "nobody4@example.com").status_code == 401
    # The next attempt past the free ones waits twice as long.
    assert_throttled(login(client, "nobody5@example.com"), retry_after=2)
    # Another address is not held back.
    assert login(from_address("203.0.113.6"), "ada@example.com", "password123").status_code == 200


def test_login_attempts_on_one_account_are_counted_whatever_the_address(rates, user):
    rates(login_account="2/900")
    for n in range(3):
        assert login(from_address(f"198.51.100.{n}"), "ADA@example.com").status_code == 401
    assert_throttled(login(from_address("198.51.100.9"), "ada@example.com", "password123"))
    # Other accounts are not held back.
    assert login(from_address("198.51.100.9"), "bob@example.com").status_code == 401


def test_password_reset_emails_are_throttled_per_address_and_per_account(rates, user):
    rates(password_reset_ip="1/3600", password_reset_account="1/3600")
    body = {"email": "ada@example.com", "base_url": "http://localhost:3000/reset"}
    client = from_address("192.0.2.1")
    assert client.post(RESET_URL, body, format="json").status_code == 204
    assert client.post(RESET_URL, body, format="json").status_code == 204
    assert_throttled(client.post(RESET_URL, body | {"email": "x@example.com"}, format="json"))
    # The account is held back from another address too.
    response = from_address("192.0.2.2").post(RESET_URL, body, format="json")
    assert_throttled(response)


def test_signups_are_throttled_per_address(rates, db):
    rates(signup_ip="2/3600")
    client = from_address("192.0.2.10")
    for n in range(2):
        body = {"name": "New", "email": f"new{n}@example.com", "password": "password123"}
        assert client.post(SIGNUP_URL, body, format="json").status_code == 200
    body = {"name": "New", "email": "new9@example.com", "password": "password123"}
    assert_throttled(client.post(SIGNUP_URL, body, format="json"))
    assert from_address("192.0.2.11").post(SIGNUP_URL, body, format="json").status_code == 200


def test_database_token_requests_are_throttled_per_token(rates, user, other_user):
    rates(database_token="3/60")
    workspace = WorkspaceUser.objects.filter(user=user).first().workspace
    busy = client_with_key(key_of(token_create(user=user, workspace=workspace, name="busy")))
    quiet = client_with_key(key_of(token_create(user=user, workspace=workspace, name="quiet")))
    for _ in range(3):
        assert busy.get(CHECK_URL).status_code == 200
    assert_throttled(busy.get(CHECK_URL))
    assert quiet.get(CHECK_URL).status_code == 200


def test_the_429_is_documented(api_client, db):
    operation = api_client.get("/api/schema.json").json()["paths"][LOGIN_URL]["post"]
    assert "429" in operation["responses"]


@pytest.mark.django_db(transaction=True)
def test_requests_in_flight_are_limited_per_user_in_one_process(
    live_server, settings, make_user, client_for
):
    settings.BASEROW_MAX_CONCURRENT_USER_REQUESTS = 1
    make_user(name="Staff")  # the first account is staff, whom the limit leaves alone
    user = make_user(name="Ada")
    client = client_for(user)
    host, port = live_server.thread.host, live_server.thread.port
    authorization = client._credentials["HTTP_AUTHORIZATION"]
    body = b'{"name": "Held"}'
    # A request whose body has not all arrived yet stays in flight after the throttle let it in.
    held = socket.create_connection((host, port))
    held.sendall(
        b"POST /api/workspaces/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + f"Authorization: {authorization}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body[:5]
    )
    try:
        time.sleep(0.5)
        status, headers, content = get(live_server.url + "/api/workspaces/", authorization)
        assert status == 429
        assert content["error"] == "ERROR_MAX_REQUESTS_EXCEEDED"
        assert int(headers["Retry-After"]) >= 1
        # Another user is not held back.
        other = client_for(make_user(name="Bob"))._credentials["HTTP_AUTHORIZATION"]
        assert get(live_server.url + "/api/workspaces/", other)[0] == 200
        held.sendall(body[5:])
        assert held.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        held.close()
    assert get(live_server.url + "/api/workspaces/", authorization)[0] == 200


def get(url: str, authorization: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, headers={"Authorization": authorization})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())
