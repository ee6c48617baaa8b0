"""Webhooks benchmark: what deliveries cost row writes, and how fast one worker delivers.

    .venv/bin/python bench/webhooks.py --database-url postgres://postgres@127.0.0.1:5432/bench \
        --redis-url redis://127.0.0.1:6379/9

Starts the production web command (gunicorn, one uvicorn worker) with Redis as the Celery
broker, a receiver on 127.0.0.1 (in this process: a threaded http.server answering 200), and
measures over HTTP:
- the cost to row writes: single create p50 / p95 and batch create (200 rows) rows/s, with no
  active webhook and with 5 active webhooks on the table, alternating (no Celery worker runs
  meanwhile: the calls wait in Redis, as they do behind a busy worker);
- deliveries per second one Celery worker (`--concurrency`, 1 process by default) sustains:
  it is started on the calls queued by the write rounds, and the rate is taken between the
  first and the last call the receiver gets.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis

sys.path.insert(0, os.path.dirname(__file__))
from realtime import ROOT, Client, Server


class Receiver:
    """Counts calls and notes when the first and the last arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.perf_counter()
                with receiver.lock:
                    receiver.count += 1
                    receiver.first = receiver.first or now
                    receiver.last = now
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def set_up(client: Client) -> int:
    body = {
        "name": "Bench",
        "email": f"bench-wh-{time.time_ns()}@example.com",
        "password": "bench-password",
        "authenticate": True,
    }
    client.token = client.request("POST", "/api/user/", body)[1]["access_token"]
    workspace = client.request("GET", "/api/workspaces/")[1][0]["id"]
    database = client.request(
        "POST", f"/api/applications/workspace/{workspace}/", {"type": "database", "name": "WH"}
    )[1]["id"]
    table = client.request(
        "POST",
        f"/api/database/tables/database/{database}/",
        {"name": "Events", "data": [["Name", "Notes"]], "first_row_header": True},
    )[1]
    return table["id"]


def writes(client: Client, table_id: int, requests: int) -> tuple[float, float, float]:
    """Single create p50 and p95 (ms), batch create rows/s."""
    path = f"/api/database/rows/table/{table_id}/"
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status = client.request("POST", path, {"Name": "x"})[0]
        assert status == 200, status
        times.append((time.perf_counter() - started) * 1000)
    batches = max(requests // 10, 1)
    started = time.perf_counter()
    for _ in range(batches):
        client.request("POST", f"{path}batch/", {"items": [{} for _ in range(200)]})
    rate = batches * 200 / (time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], rate


def set_active(client: Client, hooks: list[int], active: bool) -> None:
    for hook in hooks:
        client.request("PATCH", f"/api/database/webhooks/{hook}/", {"active": active})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "false", "REDIS_URL": args.redis_url}
    env["SECRET_KEY"] = env.get("SECRET_KEY", "bench-webhooks-not-a-secret")
    env["BASEROW_WEBHOOKS_ALLOW_PRIVATE_ADDRESS"] = "true"
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    broker = redis.Redis.from_url(args.redis_url)
    broker.flushdb()
    receiver = Receiver()
    server = Server(env)
    worker = None
    try:
        server.start()
        engine = (args.database_url or "sqlite").split(":")[0]
        print(f"server: gunicorn, 1 uvicorn worker; {engine}; broker {args.redis_url}")
        client = Client(server.port)
        table_id = set_up(client)
        hooks = [
            client.request(
                "POST",
                f"/api/database/webhooks/table/{table_id}/",
                {"url": receiver.url, "name": f"Hook {n}"},
            )[1]["id"]
            for n in range(5)
        ]
        results: dict[bool, list[tuple[float, float, float]]] = {False: [], True: []}
        for _ in range(args.rounds):
            for active in (False, True):
                set_active(client, hooks, active)
                results[active].append(writes(client, table_id, args.requests))
        for active, runs in results.items():
            label = "5 active webhooks" if active else "no active webhook"
            p50 = statistics.median(r[0] for r in runs)
            p95 = statistics.median(r[1] for r in runs)
            rate = statistics.median(r[2] for r in runs)
            print(
                f"writes with {label}: create one p50 {p50:.2f} ms, p95 {p95:.2f} ms; "
                f"batch of 200: {rate:,.0f} rows/s  (medians of {len(runs)} rounds)"
            )
        time.sleep(1)  # the server's publisher thread may still be sending the last ones
        queued = broker.llen("celery")
        expected = queued * len(hooks)
        print(f"events queued while no worker ran: {queued} ({expected} calls to make)")
        command = [sys.executable, "-m", "celery", "-A", "baserow_clone", "worker"]
        command += [f"--concurrency={args.concurrency}", "--without-gossip", "--without-mingle"]
        command += ["-l", "warning"]
        worker = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 600
        while receiver.count < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        rate = (receiver.count - 1) / (receiver.last - receiver.first)
        print(
            f"one worker (concurrency {args.concurrency}): {receiver.count} deliveries, "
            f"{rate:,.0f} deliveries/s"
        )
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        server.stop()
        broker.flushdb()


if __name__ == "__main__":
    main()
