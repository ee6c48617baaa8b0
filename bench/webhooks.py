"""Webhooks benchmark: what deliveries cost row writes, and how fast one worker delivers.

    .venv/bin/python bench/webhooks.py --database-url postgres://postgres@127.0.0.1:5432/bench \
        --redis-url redis://127.0.0.1:6379/9 [--worker after|during|nice]

Starts the production web command (gunicorn, one uvicorn worker) with Redis as the Celery
broker, a receiver on 127.0.0.1 (in this process: a threaded http.server answering 200), and
measures over HTTP, on two tables of the same shape, one with no webhook and one with 5 active
webhooks (rounds alternate which goes first, so both see the same load and table sizes):
- single create p50 / p95 and the web worker's CPU per request; batch create (200 rows) rows/s
  and the web worker's CPU per batch;
- with `--worker after` (the default) no Celery worker runs during the writes: the calls wait
  in Redis; then one worker (`--concurrency`, 1 process by default) starts on that backlog and
  the deliveries per second are taken between the first and the last call the receiver gets;
- with `--worker during` a Celery worker delivers while the writes go on, on the same CPUs
  (`--worker nice`: the worker at `nice 10`, as recommended in production); the table with no
  webhook is then written once the backlog is delivered (an idle worker, as without webhooks).
"""

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis

sys.path.insert(0, os.path.dirname(__file__))
from realtime import ROOT, Client, Server


class Receiver:
    """A process (at `nice 19`: it stands for another machine) that answers 200, counts calls and
    notes when the first and the last arrived."""

    def __init__(self) -> None:
        self.calls = multiprocessing.Value("i", 0)
        self.first = multiprocessing.Value("d", 0.0)
        self.last = multiprocessing.Value("d", 0.0)
        port = multiprocessing.Value("i", 0)
        self.process = multiprocessing.Process(
            target=_receive, args=(port, self.calls, self.first, self.last), daemon=True
        )
        self.process.start()
        while not port.value:
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port.value}/hook"

    @property
    def count(self) -> int:
        return self.calls.value


def _receive(port, calls, first, last) -> None:
    os.nice(19)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.time()
            with calls.get_lock():
                calls.value += 1
                first.value = first.value or now
                last.value = now
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port.value = server.server_address[1]
    server.serve_forever()


def set_up(client: Client) -> int:
    """A table with no rows, in a new database (of a new user, the first time)."""
    if client.token:
        return new_table(client)
    body = {
        "name": "Bench",
        "email": f"bench-wh-{time.time_ns()}@example.com",
        "password": "bench-password",
        "authenticate": True,
    }
    client.token = client.request("POST", "/api/user/", body)[1]["access_token"]
    return new_table(client)


def new_table(client: Client) -> int:
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


def writes(server: Server, client: Client, table_id: int, requests: int) -> dict[str, float]:
    """Single create p50 and p95 (ms) and web CPU per request (ms); batch create rows/s and web
    CPU per batch (ms)."""
    path = f"/api/database/rows/table/{table_id}/"
    times = []
    cpu = server.worker_cpu_seconds()
    for _ in range(requests):
        started = time.perf_counter()
        status = client.request("POST", path, {"Name": "x"})[0]
        assert status == 200, status
        times.append((time.perf_counter() - started) * 1000)
    single_cpu = server.worker_cpu_seconds() - cpu
    batches = max(requests // 5, 1)
    cpu = server.worker_cpu_seconds()
    started = time.perf_counter()
    for _ in range(batches):
        client.request("POST", f"{path}batch/", {"items": [{} for _ in range(200)]})
    rate = batches * 200 / (time.perf_counter() - started)
    batch_cpu = server.worker_cpu_seconds() - cpu
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "rate": rate,
        "cpu": single_cpu * 1000 / requests,  # per request, ms
        "batch_cpu": batch_cpu * 1000 / batches,
    }


def start_worker(env: dict[str, str], concurrency: int, nice: bool) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "baserow_clone", "worker"]
    command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"]
    command = (["nice", "-n", "10"] if nice else []) + [*command, "-l", "error"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_for(receiver: Receiver, count: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while receiver.count < count and time.monotonic() < deadline:
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--worker", choices=("after", "during", "nice"), default="after")
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
        print(f"celery worker: {args.worker}; load average {os.getloadavg()[0]:.1f}")
        client = Client(server.port)
        plain, hooked = set_up(client), set_up(client)
        for n in range(5):
            body = {"url": receiver.url, "name": f"Hook {n}"}
            client.request("POST", f"/api/database/webhooks/table/{hooked}/", body)
        if args.worker != "after":
            worker = start_worker(env, args.concurrency, nice=args.worker == "nice")
        expected = 0
        results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
        for round_ in range(args.rounds):
            for with_hooks in (False, True) if round_ % 2 == 0 else (True, False):
                if not with_hooks and worker is not None:
                    wait_for(receiver, expected)  # the worker is idle again
                    client.connection.close()  # the server closed the idle keep-alive
                table_id = hooked if with_hooks else plain
                results[with_hooks].append(writes(server, client, table_id, args.requests))
                if with_hooks:
                    expected += (args.requests + max(args.requests // 5, 1)) * 5
        for with_hooks, runs in results.items():
            label = "5 active webhooks" if with_hooks else "no webhook       "
            figure = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            # CPU is counted in clock ticks (10 ms): the mean over the rounds, not the median.
            figure["cpu"] = statistics.mean(run["cpu"] for run in runs)
            figure["batch_cpu"] = statistics.mean(run["batch_cpu"] for run in runs)
            print(
                f"writes, {label}: create one p50 {figure['p50']:.2f} ms, "
                f"p95 {figure['p95']:.2f} ms, web CPU {figure['cpu']:.2f} ms/request; "
                f"batch of 200: {figure['rate']:,.0f} rows/s, "
                f"web CPU {figure['batch_cpu']:.1f} ms/batch  (medians of {len(runs)} rounds)"
            )
        print(f"load average after the writes {os.getloadavg()[0]:.1f}")
        if worker is None:
            time.sleep(1)
            print(f"events queued while no worker ran: {broker.llen('webhooks:events')}")
            worker = start_worker(env, args.concurrency, nice=False)
        wait_for(receiver, expected)
        if args.worker == "after":
            rate = (receiver.count - 1) / (receiver.last.value - receiver.first.value)
            print(
                f"one worker (concurrency {args.concurrency}): {receiver.count} deliveries "
                f"of {expected}, {rate:,.0f} deliveries/s"
            )
        else:
            print(f"deliveries: {receiver.count} of {expected}")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()  # a warm shutdown, as the main process hears it
            worker.wait(timeout=30)
        server.stop()
        broker.flushdb()


if __name__ == "__main__":
    main()
