"""Tenant isolation under a neighbour's load: tenant B's latency, calm and while tenant A works.

A script, not a test. It serves the app as in production (`gunicorn -c gunicorn.conf.py`, and
with a Redis URL a Celery worker for the jobs), sets up two tenants through the API, bulk-loads
tenant A's table (100,000 rows by default) and measures tenant B listing rows of its own table,
one request after the other, in three phases, repeated `--rounds` times (so that every phase
sees the same load of the shared machine):

1. calm: nothing else runs;
2. type change: tenant A converts a field of its big table back and forth (rating to text
   and back, each conversion rewriting every row) while A's writers update and create rows;
3. login flood: clients send wrong passwords for one account as fast as they can, each from
   an address of its own (`X-Forwarded-For`, the server trusting one proxy).

A's clients and the flood stand for other machines: each runs in a process of its own at
`--load-nice` (19 by default; in threads of this process they took the GIL from B's client).
With `--writers-alone`, a fourth phase runs A's writers without the type change, to tell what
the writers cost B from what the conversion does. Two diagnostics, not deployments: with
`--a-server` A's requests go to a server of their own, and `--pin` (with it, as root) also puts
B's server and client on CPU 0 and everything else on CPU 1.

It prints B's p50 / p95 / p99 per phase and round, each round's ratio to its own calm p99, the
medians of those ratios, and what A's requests and the flood got; per phase also when it
started and the CPU each part used (in % of one CPU: the web processes, PostgreSQL's backends of
the bench's database, the Celery worker, B's client, the load's clients). The target: B's p99 in
phases 2 and 3 within 2x of the calm p99.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_isolation
    export REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python bench/isolation.py --rows 100000 --seconds 20 --rounds 3
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rows import ROOT, Client, Database, RowValues, bulk_load, free_port, processes, set_up

BIN = Path(sys.executable).parent
LOAD_CPUS: set[int] = set()  # --pin: the CPU of A's side, where the load's clients run too


class Server:
    """`gunicorn -c gunicorn.conf.py` on a free port, with the given environment."""

    def __init__(self, env: dict, log_dir: Path, name: str = "server") -> None:
        import subprocess

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env | {"BIND": f"127.0.0.1:{self.port}"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 (open while it runs)
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if Client(self.base).request("GET", "/api/_health/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


class Worker:
    """`celery -A baserow_clone worker` (one process) with the server's environment, at `nice`
    (as `make worker` runs it: WORKER_NICE, 10 by default)."""

    def __init__(self, env: dict, log_dir: Path, nice: int) -> None:
        import subprocess

        self.log = open(log_dir / "worker.log", "wb")  # noqa: SIM115 (open while it runs)
        command = ["nice", "-n", str(nice), str(BIN / "celery"), "-A", "baserow_clone", "worker"]
        command += ["--concurrency=1"]
        command += ["--without-gossip", "--without-mingle", "-l", "warning"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=self.log, start_new_session=True
        )

    def stop(self) -> None:
        import signal

        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def process_tree(root: int) -> list[int]:
    """The process and its descendants."""
    parents = {pid: int(fields[1]) for pid, fields, _ in processes()}
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def postgres_processes() -> list[int]:
    """The PostgreSQL server's processes on this machine (its postmaster and children)."""
    starts = (b"postgres: ", b"/usr/lib/postgresql/")
    return [pid for pid, _, command in processes() if command.startswith(starts)]


def pin(pids: list[int], cpus: set[int]) -> None:
    """Every thread of these processes on these CPUs (later threads and children inherit it)."""
    for pid in pids:
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                os.sched_setaffinity(int(task), cpus)
        except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile (not so EPERM)
            continue


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class DatabaseSampler(threading.Thread):
    """Counts, twice a second, PostgreSQL's running autovacuums and conversion statements."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db, self.stopped = db, threading.Event()
        self.samples = self.vacuuming = self.converting = 0

    def run(self) -> None:
        connection = self.db.connect()
        connection.autocommit = True
        cursor = connection.cursor()
        while not self.stopped.wait(0.5):
            cursor.execute(
                "SELECT count(*) FILTER (WHERE backend_type = 'autovacuum worker'), "
                "count(*) FILTER (WHERE state = 'active' AND query LIKE '%%_conv%%' "
                "AND query NOT LIKE '%%pg_stat_activity%%') FROM pg_stat_activity"
            )
            vacuums, conversions = cursor.fetchone()
            self.samples += 1
            self.vacuuming += bool(vacuums)
            self.converting += bool(conversions)
        connection.close()

    def stop(self) -> dict:
        self.stopped.set()
        self.join()
        share = lambda n: round(100 * n / max(1, self.samples))  # noqa: E731
        return {"vacuum %": share(self.vacuuming), "converting %": share(self.converting)}


class CpuSampler:
    """The CPU each part of the machine used over a phase, in % of one CPU (Linux, from /proc):
    the web processes (the server's), PostgreSQL's backends of the bench's database, the Celery
    worker, tenant B's client (this process) and the load's clients (its children)."""

    TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, server_pids: set[int], worker_pid: int | None, database: str) -> None:
        self.server_pids, self.worker_pid, self.database = server_pids, worker_pid, database
        self.started = (time.monotonic(), self.ticks())

    def role(self, pid: int, parent: int, command: bytes) -> str | None:
        if pid == os.getpid():
            return "B"
        if parent == os.getpid():
            return "load"
        if {pid, parent} & self.server_pids:
            return "web"
        if self.worker_pid in (pid, parent):
            return "worker"
        if command.startswith(b"postgres: ") and self.database.encode() in command:
            return "postgres"
        return None

    def ticks(self) -> dict[tuple[int, str], int]:
        found = {}
        for pid, fields, command in processes():
            role = self.role(pid, int(fields[1]), command)
            if role is not None:
                found[(pid, role)] = int(fields[11]) + int(fields[12])  # user + system
        return found

    def stop(self) -> dict:
        began, before = self.started
        seconds, after = time.monotonic() - began, self.ticks()
        used: dict[str, float] = dict.fromkeys(("web", "postgres", "worker", "B", "load"), 0.0)
        for key, ticks in after.items():  # processes that ended during the phase are left out
            used[key[1]] += (ticks - before.get(key, 0)) / self.TICKS
        return {role: round(100 * value / seconds) for role, value in used.items()}


def measure_tenant_b(
    base: str,
    token: str,
    table_id: int,
    seconds: float,
    db: Database | None = None,
    cpu: Callable[[], CpuSampler] | None = None,
) -> dict:
    """Tenant B lists 100 rows of its own table, one request after the other."""
    load_before, started_at = os.getloadavg()[0], time.strftime("%H:%M:%S")
    sampler = DatabaseSampler(db) if db is not None else None
    if sampler is not None:
        sampler.start()
    cpu_sampler = cpu() if cpu is not None else None
    client = Client(base, token)
    latencies, statuses = [], collections.Counter()
    path = f"/api/database/rows/table/{table_id}/?size=100"
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        status, _ = client.request("GET", path)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1
    client.close()
    return {
        "started": started_at,
        "requests": len(latencies),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "statuses": dict(statuses),
        "load": (load_before + os.getloadavg()[0]) / 2,
        "database": sampler.stop() if sampler is not None else {},
        "cpu %": cpu_sampler.stop() if cpu_sampler is not None else {},
    }


def run_while(load: list, log: collections.Counter, nice: int, measure) -> dict:
    """Run the load jobs, each in a process of its own at `nice` (they stand for clients on
    other machines: in threads of this process they would take the GIL from tenant B's client),
    until the measurement ends; adds their counts to `log`; returns the measurement."""
    context = multiprocessing.get_context("fork")
    stop, counts = context.Event(), context.Queue()

    def run(job) -> None:
        os.nice(nice)
        if LOAD_CPUS:
            os.sched_setaffinity(0, LOAD_CPUS)
        log.clear()  # this process's copy: only its own counts go back
        job(stop)
        counts.put(dict(log))

    processes = [context.Process(target=run, args=(job,), daemon=True) for job in load]
    for process in processes:
        process.start()
    time.sleep(1)  # the load is under way before the clock starts
    try:
        return measure()
    finally:
        stop.set()
        for _ in processes:
            log.update(counts.get(timeout=120))
        for process in processes:
            process.join(30)


def type_changes(base: str, token: str, field_id: int, log: collections.Counter):
    def job(stop: threading.Event) -> None:
        client = Client(base, token)
        bodies = [{"type": "text"}, {"type": "rating", "max_value": 5}]
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            status, _ = client.request(
                "PATCH", f"/api/database/fields/{field_id}/", json.dumps(bodies[n % 2]).encode()
            )
            log[f"type change {status}"] += 1
            if status == 200:
                n += 1
                log["type change seconds"] += time.perf_counter() - started
        client.close()

    return job


def writer(base: str, token: str, table_id: int, column: str, rows: int, log):
    def job(stop: threading.Event) -> None:
        client = Client(base, token)
        n = 0
        while not stop.is_set():
            n += 1
            row_id = 1 + (n * 7919) % rows
            path = f"/api/database/rows/table/{table_id}/"
            if n % 2:
                status, _ = client.request(
                    "PATCH", f"{path}{row_id}/", json.dumps({column: f"w{n}"}).encode()
                )
                log[f"row update {status}"] += 1
            else:
                status, _ = client.request("POST", path, json.dumps({column: f"n{n}"}).encode())
                log[f"row create {status}"] += 1
        client.close()

    return job


def login_flood(base: str, email: str, address: str, log: collections.Counter):
    def job(stop: threading.Event) -> None:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        body = json.dumps({"email": email, "password": "not-the-password"})
        headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
        while not stop.is_set():
            connection.request("POST", "/api/user/token-auth/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            log[f"login {response.status}"] += 1
        connection.close()

    return job


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--rows", type=int, default=100_000, help="rows of tenant A's table")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--writers", type=int, default=2, help="tenant A's row writers")
    parser.add_argument("--flooders", type=int, default=4, help="login flood clients")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the three phases")
    parser.add_argument(
        "--load-nice",
        type=int,
        default=19,
        help="priority of the load's client processes (A's clients and the flood stand for "
        "other machines; 0: the priority of B's client)",
    )
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="the Celery worker's priority (make worker's)"
    )
    parser.add_argument(
        "--writers-alone", action="store_true", help="a phase with A's writers and no type change"
    )
    parser.add_argument(
        "--a-server",
        action="store_true",
        help="A's type changes and writers go to a server of their own (with --workers processes "
        "too), so that none of A's requests shares a web process with B's: tells what B loses in "
        "its process from what it loses on the machine (a diagnostic, not a deployment)",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="with --a-server (Linux, as root): B's server and B's client on CPU 0; A's server, "
        "the worker, the load's clients and PostgreSQL on CPU 1, restored at the end: tells what B "
        "loses to sharing the machine's cores (a diagnostic, not a deployment)",
    )
    args = parser.parse_args(argv)
    if args.pin and not args.a_server:
        parser.error("--pin needs --a-server")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL (or --database-url) to a PostgreSQL database")
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "bench-isolation-not-a-secret",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(args.workers),
        "NUM_PROXIES": "1",
    }
    log_dir = Path(tempfile.mkdtemp(prefix="bench-isolation-"))
    server = Server(env, log_dir)
    a_server = Server(env, log_dir, "server-a") if args.a_server else None
    worker = Worker(env, log_dir, args.worker_nice) if args.redis_url else None
    if args.pin:
        a_side = process_tree(a_server.process.pid) + postgres_processes()
        if worker is not None:
            a_side += process_tree(worker.process.pid)
        pin([*process_tree(server.process.pid), os.getpid()], {0})
        pin(a_side, {1})
        LOAD_CPUS.add(1)
        print("pinned: B's server and client on CPU 0; A's server, worker, load, PostgreSQL on 1")
    jobs_where = "a Celery worker" if worker is not None else "the web workers' threads"
    print(f"server {server.base} (logs in {log_dir}), {args.workers} workers, {args.rows} rows")
    print(f"jobs run in {jobs_where}; CPUs: {os.cpu_count()}")
    if a_server is not None:
        print(f"tenant A's type changes and writers go to {a_server.base} (logs: server-a.log)")
    rounds: list[dict] = []
    logs = {phase: collections.Counter() for phase in ("type change", "login flood")}
    if args.writers_alone:
        logs["writers alone"] = collections.Counter()
    try:
        a = set_up(server.base)
        b = set_up(server.base)
        db = Database.from_url(args.database_url)
        loaded = bulk_load(db, a.table_id, a.columns, args.rows, RowValues(42, a.option_ids))
        bulk_load(db, b.table_id, b.columns, 1000, RowValues(7, b.option_ids))
        print(f"tenant A: table {a.table_id}, {args.rows} rows loaded in {loaded:.1f} s")
        database = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
        worker_pid = worker.process.pid if worker is not None else None
        servers = {s.process.pid for s in (server, a_server) if s is not None}
        cpu = lambda: CpuSampler(servers, worker_pid, database)  # noqa: E731
        a_base = a_server.base if a_server is not None else server.base
        measure = lambda: measure_tenant_b(  # noqa: E731
            server.base, b.token, b.table_id, args.seconds, db, cpu
        )
        measure()  # warm up: caches, connections, models
        for _ in range(args.rounds):
            results = {"calm": measure()}
            log = logs["type change"]
            load = [type_changes(a_base, a.token, a.fields["Stars"], log)]
            for _ in range(args.writers):
                load.append(writer(a_base, a.token, a.table_id, a.columns[0], args.rows, log))
            results["type change"] = run_while(load, log, args.load_nice, measure)
            load = [
                login_flood(server.base, a.email, f"198.51.100.{n + 1}", logs["login flood"])
                for n in range(args.flooders)
            ]
            results["login flood"] = run_while(load, logs["login flood"], args.load_nice, measure)
            if args.writers_alone:
                log = logs["writers alone"]
                load = [
                    writer(a_base, a.token, a.table_id, a.columns[0], args.rows, log)
                    for _ in range(args.writers)
                ]
                results["writers alone"] = run_while(load, log, args.load_nice, measure)
            rounds.append(results)
    finally:
        server.stop()
        if a_server is not None:
            a_server.stop()
        if worker is not None:
            worker.stop()
        if args.pin:
            pin(postgres_processes(), set(range(os.cpu_count() or 1)))

    print(
        f"\n{'round':<5} {'phase':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'p99/calm':>8} {'load':>5} {'from':>8}  statuses"
    )
    ratios: dict[str, list[float]] = collections.defaultdict(list)
    for n, results in enumerate(rounds, 1):
        calm = results["calm"]["p99"]
        for phase, r in results.items():
            ratios[phase].append(r["p99"] / calm)
            print(
                f"{n:<5} {phase:<12} {r['requests']:>8} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                f"{r['p99']:>8.1f} {r['max']:>8.1f} {r['p99'] / calm:>8.2f} {r['load']:>5.1f} "
                f"{r['started']:>8}  {r['statuses']} {r['database']} cpu % {r['cpu %']}"
            )
    print()
    for phase, values in ratios.items():
        median = statistics.median(values)
        print(f"{phase:<12} median p99/calm over {len(values)} rounds: {median:.2f}")
    for phase, log in logs.items():
        counts = {k: (round(v, 1) if isinstance(v, float) else v) for k, v in sorted(log.items())}
        print(f"{phase}: {counts}")
    within = all(statistics.median(values) <= 2 for values in ratios.values())
    print(f"\ntarget (median p99 within 2x of calm): {'met' if within else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
