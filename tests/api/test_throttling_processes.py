"""Two server processes sharing Redis count the same throttles (REDIS_URL, Redis database 3)."""

import sqlite3
import threading
import time

import pytest
import redis

from tests.servers import Server, migrate, redis_url_for_tests, server_env

REDIS_URL = redis_url_for_tests(3)


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    redis.Redis.from_url(REDIS_URL).flushdb()
    data_dir = tmp_path_factory.mktemp("two-servers")
    env = server_env(
        DATA_DIR=str(data_dir),
        REDIS_URL=REDIS_URL,
        THROTTLE_LOGIN_IP="3/300",
        BASEROW_MAX_CONCURRENT_USER_REQUESTS="1",
    )
    migrate(env)
    servers = [Server(env), Server(env)]
    yield (*servers, data_dir / "db.sqlite3")
    for server in servers:
        server.stop()
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_login_attempts_are_counted_across_processes(two_servers):
    first, second, _ = two_servers
    body = {"email": "nobody@example.com", "password": "wrong-password"}
    # Three free attempts and one that makes the next wait, spread over both processes.
    for server in (first, second, first, second):
        assert server.request("POST", "/api/user/token-auth/", body)[0] == 401
    status, headers, content = first.request("POST", "/api/user/token-auth/", body)
    assert status == 429
    assert content["error"] == "ERROR_MAX_REQUESTS_EXCEEDED"
    assert int(headers["Retry-After"]) >= 1


def test_requests_in_flight_are_counted_across_processes(two_servers):
    first, second, database = two_servers
    # The first account is staff, whom the limit leaves alone.
    staff = {"name": "Staff", "email": "staff@example.com", "password": "password123"}
    assert first.request("POST", "/api/user/", staff)[0] == 200
    signup = {"name": "Ada", "email": "ada@example.com", "password": "password123"}
    status, _, content = first.request("POST", "/api/user/", signup | {"authenticate": True})
    assert status == 200, content
    token = content["access_token"]
    answers = []

    # Hold SQLite's write lock so that a workspace creation on the first process stays in flight.
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    create = ("POST", "/api/workspaces/", {"name": "W"}, token)
    held = threading.Thread(target=lambda: answers.append(first.request(*create)))
    held.start()
    try:
        time.sleep(1.5)
        status, headers, content = second.request("GET", "/api/workspaces/", token=token)
        assert status == 429, content
        assert content["error"] == "ERROR_MAX_REQUESTS_EXCEEDED"
        assert int(headers["Retry-After"]) >= 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        held.join()
    assert answers[0][0] == 200
    # The finished request gave its slot back.
    assert second.request("GET", "/api/workspaces/", token=token)[0] == 200
