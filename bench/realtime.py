"""Real-time benchmark: what websocket events cost and how fast they arrive (prints figures).

    .venv/bin/python bench/realtime.py                      # DATABASE_URL, in-memory layer
    .venv/bin/python bench/realtime.py --redis-url redis://127.0.0.1:6379/1

Starts the production command with ONE worker (gunicorn, uvicorn worker class, the ASGI app) on
a free port and measures, over HTTP and real websockets:
- latency from the HTTP answer of a row create to the `rows_created` event on each of N
  sockets subscribed to the table's page (p50 / p99 / max over every socket and request);
- events per second the worker fans out: single-row creates from 4 client threads as fast as
  the worker takes them, until every subscribed socket has every event;
- memory per 1,000 idle sockets (authenticated, subscribed): the worker's RSS before and after;
- the cost to row writes: single create p50 and batch create (200 rows) rows/s, with no
  socket open and with N subscribed sockets, alternating.
"""

import argparse
import asyncio
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP connection with a JWT; `post` returns (status, body, answered at)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def request(self, method: str, path: str, body: object = None) -> tuple[int, object, float]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"JWT {self.token}"
        data = None if body is None else json.dumps(body)
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        answered = time.perf_counter()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return response.status, (json.loads(raw) if is_json else raw), answered


class Server:
    """gunicorn with one uvicorn worker, in a process group of its own."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = env
        self.log = tempfile.NamedTemporaryFile(prefix="bench-realtime-", suffix=".log")  # noqa: SIM115

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        command = [str(BIN / "gunicorn"), "baserow_clone.asgi:application"]
        command += ["-k", "uvicorn_worker.UvicornWorker", "--workers", "1"]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(self.port).request("GET", "/_health/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"the server did not start; log: {self.log.name}")

    def worker_pid(self) -> str:
        """The worker process: the master's only child."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        (worker,) = children.read_text().split()
        return worker

    def worker_cpu_seconds(self) -> float:
        """User and system CPU time the worker has used so far."""
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def worker_rss_mib(self) -> float:
        """The resident memory of the worker process."""
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        if getattr(self, "process", None) is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def set_up(port: int) -> tuple[str, int]:
    """A fresh user (token) and a table of the default shape (3 fields) with no rows."""
    client = Client(port)
    email = f"bench-rt-{time.time_ns()}@example.com"
    body = {"name": "Bench", "email": email, "password": "bench-password", "authenticate": True}
    _, signup, _ = client.request("POST", "/api/user/", body)
    client.token = signup["access_token"]
    _, workspaces, _ = client.request("GET", "/api/workspaces/")
    _, database, _ = client.request(
        "POST",
        f"/api/applications/workspace/{workspaces[0]['id']}/",
        {"type": "database", "name": "Realtime bench"},
    )
    _, table, _ = client.request(
        "POST",
        f"/api/database/tables/database/{database['id']}/",
        {"name": "Events", "data": [["Name", "Notes"]], "first_row_header": True},
    )
    return client.token, table["id"]


class Sockets:
    """N websockets subscribed to the table's page; each keeps (arrival time, raw message)."""

    def __init__(self, port: int, token: str, table_id: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws/core/?jwt_token={token}"
        self.table_id = table_id
        self.connections: list = []
        self.received: list[list[tuple[float, str]]] = []
        self.tasks: list[asyncio.Task] = []

    async def open(self, count: int) -> None:
        for _ in range(count):
            connection = await connect(self.url, max_queue=None)
            await connection.recv()  # authentication
            await connection.send(json.dumps({"page": "table", "table_id": self.table_id}))
            await connection.recv()  # page_add
            inbox: list[tuple[float, str]] = []
            self.connections.append(connection)
            self.received.append(inbox)
            self.tasks.append(asyncio.create_task(self._listen(connection, inbox)))

    @staticmethod
    async def _listen(connection, inbox: list) -> None:
        async for message in connection:
            inbox.append((time.perf_counter(), message))

    def count(self) -> int:
        return sum(len(inbox) for inbox in self.received)

    async def wait_for(self, total: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count() < total:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {self.count()} of {total} events arrived")
            await asyncio.sleep(0.001)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for connection in self.connections:
            await connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def latency(
    port: int, ws_port: int, token: str, table_id: int, sockets: int, requests: int
) -> None:
    group = Sockets(ws_port, token, table_id)
    await group.open(sockets)
    client = Client(port, token)
    answered: dict[int, float] = {}
    for index in range(requests):
        _, row, at = await asyncio.to_thread(
            client.request, "POST", f"/api/database/rows/table/{table_id}/", {}
        )
        answered[row["id"]] = at
        await group.wait_for((index + 1) * sockets)
    delays = []
    for inbox in group.received:
        for arrived, raw in inbox:
            (row,) = json.loads(raw)["rows"]
            delays.append((arrived - answered[row["id"]]) * 1000)
    await group.close()
    print(
        f"latency, HTTP answer -> event, {sockets} sockets x {requests} creates: "
        f"p50 {percentile(delays, 0.5):.1f} ms, p99 {percentile(delays, 0.99):.1f} ms, "
        f"max {max(delays):.1f} ms (negative: the event came before the answer)"
    )


async def fan_out(
    port: int, ws_port: int, token: str, table_id: int, sockets: int, events: int
) -> None:
    group = Sockets(ws_port, token, table_id)
    await group.open(sockets)
    clients = [Client(port, token) for _ in range(4)]

    def create(client: Client, count: int) -> None:
        for _ in range(count):
            client.request("POST", f"/api/database/rows/table/{table_id}/", {})

    started = time.perf_counter()
    threads = [
        threading.Thread(target=create, args=(client, events // len(clients))) for client in clients
    ]
    for thread in threads:
        thread.start()
    total = (events // len(clients)) * len(clients)
    await group.wait_for(total * sockets, timeout=300)
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    await group.close()
    print(
        f"fan-out, one worker, {sockets} sockets: {total / elapsed:.0f} events/s "
        f"({total * sockets / elapsed:.0f} messages/s to sockets)"
    )


async def idle_memory(server: Server, token: str, table_id: int, count: int) -> None:
    await asyncio.sleep(1)
    before = server.worker_rss_mib()
    group = Sockets(server.port, token, table_id)
    await group.open(count)
    await asyncio.sleep(2)
    after = server.worker_rss_mib()
    await group.close()
    per_thousand = (after - before) * 1000 / count
    print(
        f"memory, {count} idle subscribed sockets: worker RSS {before:.0f} -> {after:.0f} MiB, "
        f"{per_thousand:.1f} MiB per 1,000 sockets"
    )


def write_costs(
    server: Server, token: str, table_id: int, requests: int
) -> tuple[float, float, float, float]:
    """Single create p50 (ms) and the worker's CPU per create (ms); batch rows/s and the
    worker's CPU per batch of 200 (ms)."""
    client = Client(server.port, token)
    path = f"/api/database/rows/table/{table_id}/"
    times = []
    cpu = server.worker_cpu_seconds()
    for _ in range(requests):
        started = time.perf_counter()
        client.request("POST", path, {})
        times.append((time.perf_counter() - started) * 1000)
    cpu_per_create = (server.worker_cpu_seconds() - cpu) * 1000 / requests
    batches = max(requests // 5, 1)
    cpu = server.worker_cpu_seconds()
    started = time.perf_counter()
    for _ in range(batches):
        client.request("POST", f"{path}batch/", {"items": [{} for _ in range(200)]})
    rows_per_second = batches * 200 / (time.perf_counter() - started)
    cpu_per_batch = (server.worker_cpu_seconds() - cpu) * 1000 / batches
    return statistics.median(times), cpu_per_create, rows_per_second, cpu_per_batch


async def write_cost_rounds(
    server: Server, ws_port: int, token: str, table_id: int, sockets: int, requests: int
) -> None:
    results: dict[bool, list[tuple[float, float, float, float]]] = {False: [], True: []}
    for subscribed in (False, True, False, True):
        group = Sockets(ws_port, token, table_id)
        if subscribed:
            await group.open(sockets)
        results[subscribed].append(
            await asyncio.to_thread(write_costs, server, token, table_id, requests)
        )
        await group.close()
    for subscribed, runs in results.items():
        label = f"{sockets} subscribed sockets" if subscribed else "no socket"
        figures = "; ".join(
            f"create one p50 {p50:.1f} ms (worker CPU {cpu:.1f} ms), "
            f"batch {rate:,.0f} rows/s (worker CPU {batch_cpu:.0f} ms per 200)"
            for p50, cpu, rate, batch_cpu in runs
        )
        print(f"writes with {label}: {figures}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="", help="the channel layer (default: in memory)")
    parser.add_argument("--sockets", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument(
        "--split",
        action="store_true",
        help="two servers sharing --redis-url: HTTP to the first, the sockets on the second",
    )
    args = parser.parse_args()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "false"}
    env["SECRET_KEY"] = env.get("SECRET_KEY", "bench-realtime-not-a-secret")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    if args.split and not args.redis_url:
        raise SystemExit("--split needs --redis-url")
    server = Server(env)
    sockets_server = Server(env) if args.split else server
    try:
        server.start()
        if args.split:
            sockets_server.start()
        engine = (args.database_url or "sqlite").split(":")[0]
        layer = f"Redis ({args.redis_url})" if args.redis_url else "in memory"
        shape = "HTTP on one, sockets on another" if args.split else "HTTP and sockets"
        print(f"server: gunicorn, 1 uvicorn worker each ({shape}); {engine}; layer {layer}")
        token, table_id = set_up(server.port)
        ports = (server.port, sockets_server.port)
        await latency(*ports, token, table_id, args.sockets, args.requests)
        await fan_out(*ports, token, table_id, args.sockets, args.requests * 2)
        await idle_memory(sockets_server, token, table_id, args.idle)
        await write_cost_rounds(
            server, sockets_server.port, token, table_id, args.sockets, args.requests
        )
    finally:
        server.stop()
        sockets_server.stop()


if __name__ == "__main__":
    asyncio.run(main())
