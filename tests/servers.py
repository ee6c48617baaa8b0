"""Real server processes for tests: `gunicorn -c gunicorn.conf.py` on a free port."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url_for_tests(db: int) -> str:
    """A Redis database for tests that need one; TEST_REDIS_SERVER (default redis://127.0.0.1:6379)
    points them at another Redis server, so parallel test runs don't share queues."""
    server = os.environ.get("TEST_REDIS_SERVER", "redis://127.0.0.1:6379").rstrip("/")
    return f"{server}/{db}"


def server_env(**overrides: str) -> dict:
    """The environment of a server process: the test's, without its database, plus overrides."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    # No periodic tasks in these servers: the tests that want them ask (test_embedded_beat).
    env |= {"SECRET_KEY": "test-servers-secret", "LOG_LEVEL": "WARNING", "EMBEDDED_BEAT": "false"}
    return env | overrides


def migrate(env: dict) -> None:
    subprocess.run(
        [BIN / "python", "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Server:
    """One gunicorn process (one worker) serving the app with the given environment."""

    def __init__(self, env: dict) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1"],
            cwd=ROOT,
            env=env | {"BIND": f"127.0.0.1:{self.port}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.request("GET", "/api/_health/")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("the server did not start")
            time.sleep(0.2)

    def request(
        self, method: str, path: str, body: object = None, token: str | None = None, timeout=30
    ) -> tuple[int, dict, object]:
        """(status, headers, decoded JSON body or text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"JWT {token}"
        data = None if body is None else json.dumps(body)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read().decode()
            try:
                content = json.loads(raw)
            except ValueError:
                content = raw
            return response.status, dict(response.getheaders()), content
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
