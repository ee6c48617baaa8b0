"""Two server processes sharing Redis (the channel layer) and the database, as in production."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from websockets.sync.client import connect

from tests.realtime.conftest import free_port
from tests.servers import redis_url_for_tests

ROOT = Path(__file__).resolve().parents[2]
# This suite's own Redis database, so parallel runs of other suites never see its keys.
REDIS_URL = os.environ.get("TEST_REDIS_URL") or redis_url_for_tests(1)


def database_url(tmp_path: Path) -> str:
    """The test database itself on PostgreSQL (the processes see what the test commits);
    a SQLite file of the test's own on SQLite (the test's in-memory database is not shared)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "baserow_clone.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"http://{base}/api/_health/", timeout=1).status_code == 200:
                return process, base
        except requests.ConnectionError:
            pass
        assert process.poll() is None, "the server process exited"
        assert time.monotonic() < deadline, "the server process did not start"
        time.sleep(0.1)


@pytest.fixture
def two_servers(transactional_db, tmp_path) -> Iterator[tuple[str, str]]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DATABASE_URL": database_url(tmp_path)}
    env["DATA_DIR"] = str(tmp_path)
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    processes = []
    try:
        for _ in range(2):
            processes.append(start_server(env))
        yield processes[0][1], processes[1][1]
    finally:
        for process, _ in processes:
            process.terminate()
            process.wait(timeout=10)


def test_events_and_schema_changes_cross_processes(two_servers):
    a, b = two_servers
    http = requests.Session()
    signup = {"name": "Ada", "email": "ada@example.com", "password": "password123"}
    assert http.post(f"http://{a}/api/user/", json=signup, timeout=10).status_code == 200
    login = http.post(f"http://{a}/api/user/token-auth/", json=signup, timeout=10).json()
    http.headers["Authorization"] = f"JWT {login['access_token']}"
    table_id = http.get(f"http://{a}/api/applications/", timeout=10).json()[0]["tables"][0]["id"]
    rows_b = f"http://{b}/api/database/rows/table/{table_id}/"
    # B has built the table's model before the schema changes through A.
    assert http.get(rows_b, timeout=10).status_code == 200

    url = f"ws://{b}/ws/core/?jwt_token={login['access_token']}"
    with connect(url) as socket:
        assert json.loads(socket.recv(timeout=5))["success"] is True
        socket.send(json.dumps({"page": "table", "table_id": table_id}))
        assert json.loads(socket.recv(timeout=5))["type"] == "page_add"

        # A row created through A reaches the socket connected to B.
        row = http.post(f"http://{a}/api/database/rows/table/{table_id}/", json={}, timeout=10)
        message = json.loads(socket.recv(timeout=5))
        assert message["type"] == "rows_created"
        assert message["rows"] == [row.json()]

        # A field added through A is used by a write through B at once.
        field = http.post(
            f"http://{a}/api/database/fields/table/{table_id}/",
            json={"name": "Size", "type": "number"},
            timeout=10,
        ).json()
        assert json.loads(socket.recv(timeout=5))["type"] == "field_created"
        column = f"field_{field['id']}"
        updated = http.patch(f"{rows_b}{row.json()['id']}/", json={column: 42}, timeout=10)
        assert updated.status_code == 200
        assert updated.json()[column] == "42"
        created = http.post(rows_b, json={column: 7}, timeout=10)
        assert created.json()[column] == "7"
        read_a = http.get(f"http://{a}/api/database/rows/table/{table_id}/", timeout=10).json()
        assert {r["id"]: r[column] for r in read_a["results"]}[created.json()["id"]] == "7"
        # And B's own write reaches its socket too, through Redis.
        messages = [json.loads(socket.recv(timeout=5)) for _ in range(2)]
        assert [m["type"] for m in messages] == ["rows_updated", "rows_created"]
