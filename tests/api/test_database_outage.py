"""A PostgreSQL cluster of the test's own goes away and comes back under a running server."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.servers import Server, free_port, migrate, server_env

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
# PostgreSQL refuses to run as root: there, the cluster belongs to the postgres account.
AS_OWNER = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary directory, on a free port."""

    def __init__(self, directory: Path) -> None:
        self.bin = Path(PG_BIN[-1])
        self.data = directory / "data"
        self.port = free_port()
        self.log = directory / "postgres.log"
        self.socket_dir = directory
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def run(self, program: str, *args, check: bool = True) -> None:
        subprocess.run([*AS_OWNER, self.bin / program, *args], check=check, capture_output=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster():
    if not PG_BIN:
        pytest.fail("PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin)")
    directory = Path(tempfile.mkdtemp(prefix="outage-"))
    if AS_OWNER:
        owner = pwd.getpwnam("postgres")
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(directory)
    cluster.start()
    yield cluster
    cluster.run("pg_ctl", "-D", cluster.data, "-m", "immediate", "-w", "stop", check=False)
    shutil.rmtree(directory, ignore_errors=True)


def timed(server: Server, path: str, token: str) -> tuple[float, int, object]:
    started = time.monotonic()
    status, _, content = server.request("GET", path, token=token)
    return time.monotonic() - started, status, content


def test_a_stopped_database_gives_a_quick_503_and_the_server_recovers(cluster, tmp_path):
    env = server_env(DATABASE_URL=cluster.url, DATA_DIR=str(tmp_path))
    migrate(env)
    server = Server(env)
    try:
        body = {"name": "Ada", "email": "ada@example.com", "password": "password123"}
        status, _, content = server.request("POST", "/api/user/", body | {"authenticate": True})
        assert status == 200, content
        token = content["access_token"]  # the first account: staff
        assert server.request("GET", "/api/workspaces/", token=token)[0] == 200
        status, _, report = server.request("GET", "/api/_health/full/", token=token)
        assert (status, report["passing"]) == (200, True)
        assert report["checks"] == {"DatabaseBackend": "working", "CacheBackend": "working"}

        cluster.stop()
        for _ in range(3):
            elapsed, status, content = timed(server, "/api/workspaces/", token)
            assert status == 503, content
            assert content["error"] == "ERROR_DATABASE_UNAVAILABLE"
            assert elapsed < 5
        elapsed, status, report = timed(server, "/api/_health/full/", token)
        assert status == 503
        assert report["passing"] is False
        assert report["checks"]["DatabaseBackend"].startswith("unavailable")
        assert report["checks"]["CacheBackend"] == "working"
        assert elapsed < 5
        assert server.request("GET", "/api/_health/", token=token)[0] == 200

        cluster.start()
        deadline = time.monotonic() + 15
        while (status := server.request("GET", "/api/workspaces/", token=token)[0]) != 200:
            assert status == 503
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.5)
        assert server.request("GET", "/api/_health/full/", token=token)[0] == 200
    finally:
        server.stop()
