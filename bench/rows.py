"""Rows benchmark: latency and throughput of the rows API over HTTP, against gunicorn.

Builds a table of 10 fields of mixed types through the API, loads N rows straight into its SQL
table (COPY on PostgreSQL, one executemany transaction on SQLite), then measures each operation
with a bounded loop over keep-alive connections and prints p50/p95 latency and requests per
second, the engine, the row count, the machine and the server's peak memory.

    .venv/bin/python bench/rows.py                      # 10k rows, DATABASE_URL, own server
    .venv/bin/python bench/rows.py --rows 1000000       # the large run
    .venv/bin/python bench/rows.py --target http://127.0.0.1:8000 --database-url ...

This is a script, not a test: see bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import io
import json
import math
import os
import platform
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_SQLITE = f"sqlite:///{ROOT / 'data' / 'bench_rows.sqlite3'}"
BATCH = 200
PAGE = 100
COPY_CHUNK = 50_000
# Above this many rows an SQLite load is refused unless --force (see README).
SQLITE_ROW_LIMIT = 2_000_000


def _words(text: str) -> list[str]:
    return text.split()


def _new_term(i: int) -> str:
    """The i-th last name with a case pattern of its own: the same rows match (the search
    ignores case) but the request, and so its cached count, is new for each i."""
    name = LAST_NAMES[i % len(LAST_NAMES)].lower()
    pattern = i // len(LAST_NAMES) + 2  # never the capitalized SEARCH_TERM
    return "".join(c.upper() if pattern >> k & 1 else c for k, c in enumerate(name))


FIRST_NAMES = _words(
    "Ada Alan Grace John Blaise Barbara Edsger Donald Frances Tim Margaret Dennis Ken Linus "
    "Guido Bjarne Niklaus Leslie Radia Shafi Sophie Hedy Katherine Dorothy Mary Annie Jean "
    "Claude Charles Kathleen Karen Adele"
)
LAST_NAMES = _words(
    "Lovelace Turing Hopper Neumann Pascal Liskov Dijkstra Knuth Allen Berners Hamilton "
    "Ritchie Thompson Torvalds Rossum Stroustrup Wirth Lamport Perlman Goldwasser Wilson "
    "Lamarr Johnson Vaughan Jackson Easley Bartik Shannon Babbage Booth Sparck Goldberg "
    "Backus McCarthy Kernighan Hoare Milner Church Gray Codd Stonebraker Cerf Kahn Engelbart "
    "Sutherland Kay Hennessy Patterson Moler Naur"
)
WORDS = _words(
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber "
    "basalt cobalt dune ember fjord glacier harbor island jungle kettle lagoon meadow "
    "nebula orchard prairie quartz river summit tundra valley willow"
)
SEARCH_TERM = "Hamilton"  # a last name: about 2% of the rows have it in their primary field
STATUSES = ("Backlog", "Todo", "Doing", "Review", "Done")
COLORS = ("light-blue", "light-green", "light-orange", "light-red", "light-gray")
EPOCH = dt.date(2000, 1, 1)

TEXT_TYPES = ("text", "long_text", "email", "url")
# The 9 fields added to the table's primary text field "Name", in order.
FIELD_SPECS: list[dict[str, Any]] = [
    {"name": "Notes", "type": "long_text"},
    # Indexed (`db_index`), as a user would index the column their lists sort and filter by.
    {"name": "Amount", "type": "number", "number_decimal_places": 2, "db_index": True},
    {"name": "Active", "type": "boolean"},
    {"name": "Due", "type": "date", "date_format": "ISO", "date_include_time": False},
    {
        "name": "Status",
        "type": "single_select",
        "select_options": [{"value": v, "color": c} for v, c in zip(STATUSES, COLORS, strict=True)],
    },
    {"name": "Stars", "type": "rating", "max_value": 5},
    {"name": "Email", "type": "email"},
    {"name": "Website", "type": "url"},
    {"name": "Time spent", "type": "duration", "duration_format": "h:mm:ss"},
]


# Values


class RowValues:
    """Deterministic pseudo-random cell values, as the API takes them and as SQL stores them."""

    def __init__(self, seed: int, option_ids: list[int]) -> None:
        self.rng = random.Random(seed)
        self.option_ids = option_ids

    def row(self, n: int) -> tuple:
        """(name, notes, cents, active, due, option id, stars, email, url, seconds)."""
        rng = self.rng
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        notes = " ".join(rng.choices(WORDS, k=rng.randrange(4, 16)))
        cents = rng.randrange(0, 1_000_000)
        active = rng.random() < 0.5
        due = EPOCH + dt.timedelta(days=rng.randrange(0, 9000))
        option = rng.choice(self.option_ids)
        stars = rng.randrange(0, 6)
        email = f"{first}.{last}{n}@example.com".lower()
        url = f"https://example.com/{rng.choice(WORDS)}/{n}"
        seconds = rng.randrange(0, 360_000)
        return (f"{first} {last}", notes, cents, active, due, option, stars, email, url, seconds)

    def api_row(self, n: int, columns: list[str]) -> dict[str, Any]:
        name, notes, cents, active, due, option, stars, email, url, seconds = self.row(n)
        values = (
            name,
            notes,
            f"{cents // 100}.{cents % 100:02d}",
            active,
            due.isoformat(),
            option,
            stars,
            email,
            url,
            seconds,
        )
        return dict(zip(columns, values, strict=True))


# Database access for the bulk load


@dataclass
class Database:
    url: str
    engine: str  # "postgresql" or "sqlite"
    sqlite_path: str | None = None

    @classmethod
    def from_url(cls, url: str) -> Database:
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme in ("postgres", "postgresql", "pgsql"):
            return cls(url=url, engine="postgresql")
        if scheme == "sqlite":
            path = url[len("sqlite://") :]
            path = path[1:] if path.startswith("/") else path
            if not path.startswith("/"):  # sqlite:///relative (dj-database-url: from the cwd)
                path = str(ROOT / path)
            return cls(url=url, engine="sqlite", sqlite_path=path)
        raise SystemExit(f"unsupported DATABASE_URL scheme: {scheme!r}")

    def connect(self):
        if self.engine == "postgresql":
            import psycopg2

            return psycopg2.connect(self.url.replace("pgsql://", "postgres://", 1))
        return sqlite3.connect(self.sqlite_path, timeout=60)

    def version(self) -> str:
        conn = self.connect()
        try:
            cur = conn.cursor()
            if self.engine == "postgresql":
                cur.execute("SHOW server_version")
                return "PostgreSQL " + cur.fetchone()[0]
            return "SQLite " + sqlite3.sqlite_version
        finally:
            conn.close()

    def sessions(self) -> int | None:
        """PostgreSQL's count of connections ever made to the database (this one included)."""
        if self.engine != "postgresql":
            return None
        conn = self.connect()
        try:
            cur = conn.cursor()
            cur.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
            return cur.fetchone()[0]
        finally:
            conn.close()

    def count(self, table: str) -> int:
        conn = self.connect()
        try:
            cur = conn.cursor()
            cur.execute(f'SELECT count(*) FROM "{table}"')
            return cur.fetchone()[0]
        finally:
            conn.close()


def bulk_load(
    db: Database, table_id: int, columns: list[str], rows: int, values: RowValues
) -> float:
    """Replace the table's rows with ids and orders 1..rows; returns the seconds it took.

    The table's maintained row count (see `set_row_count`), where the schema has one, is
    set to match, as the server's own recount after a bulk load would.
    """
    table = f"database_table_{table_id}"
    fixed = ["id", "order", "created_on", "updated_on", "trashed"]
    names = ", ".join(f'"{c}"' for c in fixed + columns)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    started = time.perf_counter()
    conn = db.connect()
    try:
        cur = conn.cursor()
        cur.execute(f'DELETE FROM "{table}"')
        if db.engine == "postgresql":
            copy = f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv)'
            stamp = now + "+00"
            for start in range(1, rows + 1, COPY_CHUNK):
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                for n in range(start, min(start + COPY_CHUNK, rows + 1)):
                    name, notes, cents, active, due, option, stars, email, url, secs = values.row(n)
                    writer.writerow(
                        (
                            n,
                            n,
                            stamp,
                            stamp,
                            "f",
                            name,
                            notes,
                            f"{cents // 100}.{cents % 100:02d}",
                            "t" if active else "f",
                            due.isoformat(),
                            option,
                            stars,
                            email,
                            url,
                            secs,
                        )
                    )
                buffer.seek(0)
                cur.copy_expert(copy, buffer)
                print(f"  loaded {min(start + COPY_CHUNK - 1, rows):,} rows", flush=True)
            # New rows get ids after the loaded ones.
            cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [f'"{table}"', rows])
            set_row_count(db, cur, table_id, rows)
            conn.commit()
            conn.autocommit = True
            # What autovacuum does soon after a bulk load: statistics, and the visibility map
            # that lets counts read an index alone.
            cur.execute(f'VACUUM ANALYZE "{table}"')
        else:
            marks = ", ".join("?" for _ in fixed + columns)
            insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'

            def generate():
                for n in range(1, rows + 1):
                    name, notes, cents, active, due, option, stars, email, url, secs = values.row(n)
                    yield (
                        n,
                        n,
                        now,
                        now,
                        0,
                        name,
                        notes,
                        f"{cents // 100}.{cents % 100:02d}",
                        int(active),
                        due.isoformat(),
                        option,
                        stars,
                        email,
                        url,
                        secs,
                    )

            cur.executemany(insert, generate())
            set_row_count(db, cur, table_id, rows)
            conn.commit()
            cur.execute(f'ANALYZE "{table}"')
            conn.commit()
    finally:
        conn.close()
    return time.perf_counter() - started


def set_row_count(db: Database, cur, table_id: int, rows: int) -> None:
    """Store the row count in the table's metadata, where the schema keeps one: in its row of
    `database_tablecounts`, or (older schemas) in `database_table.row_count`."""
    if db.engine == "postgresql":
        cur.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND table_name IN ('database_table', 'database_tablecounts')"
        )
        names = {(row[0], row[1]) for row in cur.fetchall()}
        mark = "%s"
    else:
        names = set()
        for name in ("database_table", "database_tablecounts"):
            cur.execute(f'PRAGMA table_info("{name}")')
            names |= {(name, row[1]) for row in cur.fetchall()}
        mark = "?"
    if ("database_tablecounts", "row_count") in names:
        cur.execute(
            "INSERT INTO database_tablecounts (table_id, row_count, data_version) "
            f"VALUES ({mark}, {mark}, 1) ON CONFLICT (table_id) DO UPDATE SET "
            "row_count = excluded.row_count, "
            "data_version = database_tablecounts.data_version + 1",
            [table_id, rows],
        )
    elif ("database_table", "row_count") in names:
        cur.execute(
            f"UPDATE database_table SET row_count = {mark} WHERE id = {mark}", [rows, table_id]
        )


# HTTP


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closed an idle one."""

    def __init__(self, base: str, token: str | None = None) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.reconnects = 0
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"JWT {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, self.prefix + path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.conn.close()
                self.reconnects += 1
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload: Any = None, expect=(200,)) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        status, data = self.request(method, path, body)
        if status not in expect:
            raise SystemExit(f"{method} {path} answered {status}: {data[:500]!r}")
        return json.loads(data) if data else None

    def close(self) -> None:
        self.conn.close()


@dataclass
class Operation:
    name: str
    method: str
    # The i-th request's path and body; called before the clock starts.
    make: Any
    rows_per_request: int = 0
    note: str = ""


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    latencies: list[float]
    wall: float
    rows_per_request: int
    note: str
    first_error: str = ""
    reconnects: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        # Nearest rank: the smallest value with at least q of the values at or below it.
        rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
        return ordered[rank] * 1000

    def row(self) -> dict[str, Any]:
        rps = self.requests / self.wall if self.wall else float("nan")
        return {
            "operation": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "p50_ms": round(self.percentile(0.50), 2),
            "p95_ms": round(self.percentile(0.95), 2),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 2)
            if self.latencies
            else None,
            "req_per_s": round(rps, 1),
            # Rows of the successful requests only.
            "rows_per_s": round(len(self.latencies) * self.rows_per_request / self.wall)
            if self.rows_per_request and self.wall
            else None,
            "note": self.note,
            "first_error": self.first_error,
        }


def run_operation(
    base: str, token: str, op: Operation, requests: int, concurrency: int, warmup: int
) -> Result:
    """`warmup` unmeasured requests, then `requests` measured ones over `concurrency` threads."""
    prepared = [op.make(i) for i in range(warmup + requests)]
    encoded = [(p, None if b is None else json.dumps(b).encode()) for p, b in prepared]
    warm = Client(base, token)
    for path, body in encoded[:warmup]:
        warm.request(op.method, path, body)
    warm.close()

    measured = encoded[warmup:]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    next_index = iter(range(len(measured)))
    clients = [Client(base, token) for _ in range(concurrency)]
    for client in clients:  # open the connections before the clock starts
        client.request("GET", "/_health/")
    barrier = threading.Barrier(concurrency + 1)

    def worker(client: Client) -> None:
        mine: list[float] = []
        barrier.wait()
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            path, body = measured[index]
            started = time.perf_counter()
            try:
                status, data = client.request(op.method, path, body)
            except OSError as error:
                status, data = 0, repr(error).encode()
            elapsed = time.perf_counter() - started
            if status == 200:
                mine.append(elapsed)
            else:
                with lock:
                    errors.append(f"{status}: {data[:300]!r}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    reconnects = sum(c.reconnects for c in clients)  # idle connections the server closed
    for client in clients:
        client.close()
    return Result(
        name=op.name,
        requests=len(measured),
        errors=len(errors),
        latencies=latencies,
        wall=wall,
        rows_per_request=op.rows_per_request,
        note=op.note,
        first_error=errors[0] if errors else "",
        reconnects=reconnects,
    )


# Server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes() -> Iterator[tuple[int, list[str], bytes]]:
    """Each process now (Linux, from /proc): its pid, the fields of its `stat` after the name
    (1: the parent, 2: the process group, 11 and 12: user and system CPU ticks) and its
    command line."""
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat, open(f"/proc/{name}/cmdline", "rb") as cmd:
                fields, command = stat.read().rsplit(")", 1)[1].split(), cmd.read()
        except OSError:  # it ended meanwhile
            continue
        yield int(name), fields, command


class MemoryMonitor:
    """Polls VmHWM/VmRSS of every process in a process group (gunicorn master and workers)."""

    def __init__(self, pgid: int, interval: float = 0.2) -> None:
        self.pgid = pgid
        self.interval = interval
        self.hwm_kb: dict[int, int] = {}  # the last VmHWM seen per pid (peak RSS of each)
        self.peak_total_rss_kb = 0  # the largest sum of current VmRSS seen in one poll
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def members(self) -> list[int]:
        return [pid for pid, fields, _ in processes() if int(fields[2]) == self.pgid]  # pgrp

    def poll(self) -> None:
        total_rss = 0
        for pid in self.members():
            try:
                with open(f"/proc/{pid}/status") as handle:
                    status = handle.read()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), int(line.split()[1]))
                elif line.startswith("VmRSS:"):
                    total_rss += int(line.split()[1])
        self.peak_total_rss_kb = max(self.peak_total_rss_kb, total_rss)

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.poll()
            self.stop_event.wait(self.interval)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.poll()
        self.stop_event.set()
        self.thread.join()


class ConnectionMonitor:
    """Polls how many connections the database has open (PostgreSQL; its own one left out)."""

    def __init__(self, db: Database, interval: float = 0.2) -> None:
        self.db = db
        self.interval = interval
        self.peak = 0  # over the whole run
        self.window_peak = 0  # since the last `window()`
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        conn = self.db.connect()
        conn.autocommit = True
        try:
            cur = conn.cursor()
            while not self.stop_event.is_set():
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                open_now = cur.fetchone()[0]
                with self.lock:
                    self.peak = max(self.peak, open_now)
                    self.window_peak = max(self.window_peak, open_now)
                self.stop_event.wait(self.interval)
        finally:
            conn.close()

    def window(self) -> int:
        with self.lock:
            peak, self.window_peak = self.window_peak, 0
        return peak

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join()


class Server:
    """gunicorn (gthread workers by default) on a free port, in a process group of its own."""

    def __init__(
        self, database_url: str, workers: int, log_dir: Path, worker_class: str = "gthread"
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-rows-not-a-secret"),
            "DEBUG": "false",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
        self.workers = workers
        self.worker_class = worker_class
        self.log_path = log_dir / "server.log"
        self.process: subprocess.Popen | None = None

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            *(
                # Production is the WSGI app on gthread workers; uvicorn serves the ASGI app,
                # sync the WSGI app, for comparison.
                ["baserow_clone.asgi:application", "-k", "uvicorn_worker.UvicornWorker"]
                if self.worker_class == "uvicorn"
                else ["baserow_clone.wsgi:application", "-k", self.worker_class]
            ),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        log = open(self.log_path, "wb")  # noqa: SIM115 (kept open for the server's lifetime)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited:\n{self.log_tail()}")
            try:
                client = Client(self.base)
                status, _ = client.request("GET", "/_health/")
                client.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer within 90 s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# Setup through the API


@dataclass
class Setup:
    token: str
    email: str
    password: str
    table_id: int
    view_id: int  # a grid view filtered on Amount and sorted by Due
    fields: dict[str, int]  # name -> field id
    columns: list[str]  # field_<id> in the RowValues order
    option_ids: list[int]


def set_up(base: str, *, index_text: bool = False) -> Setup:
    client = Client(base)
    email = f"bench-{int(time.time() * 1000)}-{os.getpid()}@example.com"
    password = "bench-rows-password"
    signup = client.json(
        "POST",
        "/api/user/",
        {"name": "Bench", "email": email, "password": password, "authenticate": True},
    )
    client.token = signup["access_token"]
    workspaces = client.json("GET", "/api/workspaces/")
    if workspaces:
        workspace_id = workspaces[0]["id"]
    else:
        workspace_id = client.json("POST", "/api/workspaces/", {"name": "Bench"})["id"]
    database = client.json(
        "POST",
        f"/api/applications/workspace/{workspace_id}/",
        {"type": "database", "name": "Rows bench"},
    )
    # One header row and no data: a table with the primary text field "Name" and no rows.
    table = client.json(
        "POST",
        f"/api/database/tables/database/{database['id']}/",
        {"name": "Rows", "data": [["Name"]], "first_row_header": True},
    )
    existing = client.json("GET", f"/api/database/fields/table/{table['id']}/")
    fields = {f["name"]: f["id"] for f in existing}
    if list(fields) != ["Name"]:
        raise SystemExit(f"unexpected initial fields: {existing}")
    option_ids: list[int] = []
    if index_text:
        client.json("PATCH", f"/api/database/fields/{fields['Name']}/", {"db_index": True})
    for spec in FIELD_SPECS:
        if index_text and spec["type"] in TEXT_TYPES:
            spec = {**spec, "db_index": True}
        created = client.json("POST", f"/api/database/fields/table/{table['id']}/", spec)
        fields[created["name"]] = created["id"]
        if created["type"] == "single_select":
            option_ids = [option["id"] for option in created["select_options"]]
    # A grid view with a saved filter and sort: saving the sort gives the table the index
    # that serves it (columns of the sort, then order and id).
    view = client.json(
        "POST",
        f"/api/database/views/table/{table['id']}/",
        {"name": "Due, Amount > 5000", "type": "grid"},
    )
    client.json(
        "POST",
        f"/api/database/views/{view['id']}/filters/",
        {"field": fields["Amount"], "type": "higher_than", "value": "5000"},
    )
    client.json(
        "POST",
        f"/api/database/views/{view['id']}/sortings/",
        {"field": fields["Due"], "order": "ASC"},
    )
    client.close()
    order = ["Name"] + [spec["name"] for spec in FIELD_SPECS]
    return Setup(
        token=client.token,
        email=email,
        password=password,
        table_id=table["id"],
        view_id=view["id"],
        fields=fields,
        columns=[f"field_{fields[name]}" for name in order],
        option_ids=option_ids,
    )


def fresh_token(base: str, setup: Setup) -> str:
    client = Client(base)
    payload = {"email": setup.email, "password": setup.password}
    token = client.json("POST", "/api/user/token-auth/", payload)["access_token"]
    client.close()
    return token


# The operations


def operations(
    setup: Setup, rows: int, seed: int, include_rows: bool, view_row_ids: list[int]
) -> list[Operation]:
    table = setup.table_id
    rows_path = f"/api/database/rows/table/{table}/"
    amount = setup.fields["Amount"]
    email = setup.fields["Email"]
    pick = random.Random(seed + 1)
    values = RowValues(seed + 2, setup.option_ids)
    ops = [
        Operation("health", "GET", lambda i: ("/_health/", None), note="no auth, no database"),
        Operation("get table", "GET", lambda i: (f"/api/database/tables/{table}/", None)),
        Operation("list fields", "GET", lambda i: (f"/api/database/fields/table/{table}/", None)),
    ]
    if not include_rows:
        return ops

    permutation = list(range(1, rows + 1))
    pick.shuffle(permutation)
    chunks = max(1, rows // BATCH)

    def update_batch(i: int):
        # Disjoint chunks of a shuffled permutation: concurrent batches never share a row.
        start = (i % chunks) * BATCH
        ids = sorted(permutation[start : start + BATCH])
        items = [{"id": row_id, **values.api_row(row_id, setup.columns)} for row_id in ids]
        return f"{rows_path}batch/", {"items": items}

    over_amount = f"filter__field_{amount}__higher_than"
    ops += [
        Operation("list 100", "GET", lambda i: (f"{rows_path}?size={PAGE}", None)),
        Operation(
            "list 100 filtered",
            "GET",
            lambda i: (f"{rows_path}?size={PAGE}&filter__field_{amount}__higher_than=5000", None),
            note="Amount > 5000 (~50%)",
        ),
        Operation(
            "list 100 filtered, new",
            "GET",
            lambda i: (f"{rows_path}?size={PAGE}&{over_amount}={4000 + i}", None),
            note="Amount > 4000+i (~50-60%): a new filter each request, so the count is not cached",
        ),
        Operation(
            "list 100 sorted",
            "GET",
            lambda i: (f"{rows_path}?size={PAGE}&order_by=-field_{amount}", None),
            note="order_by=-Amount (indexed)",
        ),
        Operation(
            "list 100 sorted, no index",
            "GET",
            lambda i: (f"{rows_path}?size={PAGE}&order_by=field_{email}", None),
            note="order_by=Email (no index)",
        ),
        Operation(
            "grid view 100",
            "GET",
            lambda i: (f"/api/database/views/grid/{setup.view_id}/?size={PAGE}", None),
            note="saved filter Amount > 5000, saved sort Due",
        ),
        Operation(
            "list 100 searched",
            "GET",
            lambda i: (f"{rows_path}?size={PAGE}&search={SEARCH_TERM}", None),
            note=f"search={SEARCH_TERM} (~2%)",
        ),
        Operation(
            "list 100 searched, new",
            "GET",
            lambda i: (f"{rows_path}?size={PAGE}&search={_new_term(i)}", None),
            note="a last name (~2%) spelled differently each request: the count is not cached",
        ),
        Operation(
            "get one",
            "GET",
            lambda i: (f"{rows_path}{pick.randrange(1, rows + 1)}/", None),
            note="random id",
        ),
        Operation(
            "next row",
            "GET",
            lambda i: (f"{rows_path}{pick.randrange(1, rows + 1)}/adjacent/", None),
            note="random id, table order",
        ),
        Operation(
            "previous row, grid view",
            "GET",
            lambda i: (
                f"{rows_path}{pick.choice(view_row_ids)}/adjacent/"
                f"?view_id={setup.view_id}&previous=true",
                None,
            ),
            note="rows from the middle of the view: its filter and sort",
        ),
        Operation(
            "create one",
            "POST",
            lambda i: (rows_path, values.api_row(rows + 1 + i, setup.columns)),
            rows_per_request=1,
        ),
        Operation(
            "batch create 200",
            "POST",
            lambda i: (
                f"{rows_path}batch/",
                {"items": [values.api_row(i * BATCH + k, setup.columns) for k in range(BATCH)]},
            ),
            rows_per_request=BATCH,
        ),
        Operation("batch update 200", "PATCH", update_batch, rows_per_request=BATCH),
    ]
    return ops


# Report


def machine() -> dict[str, Any]:
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as handle:
            total_kb = int(handle.readline().split()[1])
            memory = f"{total_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def print_table(results: list[Result]) -> None:
    headers = ("operation", "reqs", "errors", "p50 ms", "p95 ms", "mean ms", "req/s", "rows/s")
    lines = []
    for result in results:
        row = result.row()
        lines.append(
            (
                row["operation"],
                str(row["requests"]),
                str(row["errors"]),
                f"{row['p50_ms']:.2f}",
                f"{row['p95_ms']:.2f}",
                "-" if row["mean_ms"] is None else f"{row['mean_ms']:.2f}",
                f"{row['req_per_s']:.1f}",
                "-" if row["rows_per_s"] is None else f"{row['rows_per_s']:,}",
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    )
    for line in lines:
        print(
            "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    for result in results:
        if result.note or result.first_error or result.reconnects or result.extra:
            parts = [result.note] if result.note else []
            parts += [f"{k}={v}" for k, v in result.extra.items()]
            if result.reconnects:
                parts.append(f"reconnects={result.reconnects}")
            if result.first_error:
                parts.append(f"first error: {result.first_error}")
            print(f"  {result.name}: " + "; ".join(parts))


def probe_count(base: str, token: str, path: str) -> Any:
    """The `count` a list request answers (checks that filters and search do filter)."""
    client = Client(base, token)
    status, data = client.request("GET", path)
    client.close()
    if status != 200:
        return f"HTTP {status}"
    try:
        return json.loads(data).get("count")
    except (ValueError, AttributeError):
        return "?"


# Main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows to load (10000)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
        help="the database the rows are loaded into, and the server's (env DATABASE_URL)",
    )
    parser.add_argument(
        "--target", help="the base URL of an already running server on the same database"
    )
    parser.add_argument(
        "--server-pid", type=int, help="with --target: a process group id to measure memory of"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--worker-class",
        choices=("uvicorn", "sync", "gthread"),
        default="gthread",
        help="gthread: the WSGI app as in production (default); sync: the WSGI app; uvicorn: "
        "the ASGI app",
    )
    parser.add_argument("--requests", type=int, default=200, help="measured requests per op")
    parser.add_argument(
        "--batch-requests", type=int, help="measured requests of the batch operations (--requests)"
    )
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per op (5)")
    parser.add_argument("--concurrency", type=int, default=1, help="client threads (1)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--keep", action="store_true", help="keep the table (deleted through the API by default)"
    )
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument(
        "--index-text",
        action="store_true",
        help="db_index on the text fields too (Name, Notes, Email, Website): on PostgreSQL their "
        "trigram indexes then serve the search",
    )
    parser.add_argument(
        "--force", action="store_true", help=f"load over {SQLITE_ROW_LIMIT:,} rows into SQLite"
    )
    args = parser.parse_args(argv)
    if args.batch_requests is None:
        args.batch_requests = args.requests
    if args.rows < BATCH:
        parser.error(f"--rows must be at least {BATCH}")
    if min(args.requests, args.batch_requests, args.concurrency) < 1 or args.warmup < 0:
        parser.error("--requests and --concurrency must be positive, --warmup not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = Database.from_url(args.database_url)
    if db.engine == "sqlite" and args.rows > SQLITE_ROW_LIMIT and not args.force:
        raise SystemExit(
            f"refusing to load {args.rows:,} rows into SQLite (over {SQLITE_ROW_LIMIT:,}): "
            "use PostgreSQL, or --force"
        )
    started_at = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-rows-"))
    server: Server | None = None
    monitor: MemoryMonitor | None = None
    connections: ConnectionMonitor | None = None
    try:
        if args.target:
            base = args.target.rstrip("/")
            if args.server_pid:
                monitor = MemoryMonitor(os.getpgid(args.server_pid))
        else:
            server = Server(args.database_url, args.workers, log_dir, args.worker_class)
            print(f"migrating {db.engine} database ...", flush=True)
            server.migrate()
            server.start()
            base = server.base
            monitor = MemoryMonitor(server.process.pid)
            print(f"server: gunicorn, {args.workers} {args.worker_class} workers, {base}")
        if monitor:
            monitor.start()
        if db.engine == "postgresql":
            connections = ConnectionMonitor(db)
            connections.start()

        setup = set_up(base, index_text=args.index_text)
        print(f"table {setup.table_id}: fields {setup.columns}", flush=True)
        print(f"loading {args.rows:,} rows into database_table_{setup.table_id} ...", flush=True)
        load_seconds = bulk_load(
            db,
            setup.table_id,
            setup.columns,
            args.rows,
            RowValues(args.seed, setup.option_ids),
        )
        loaded = db.count(f"database_table_{setup.table_id}")
        print(f"loaded {loaded:,} rows in {load_seconds:.1f} s", flush=True)

        token = fresh_token(base, setup)
        rows_path = f"/api/database/rows/table/{setup.table_id}/"
        probe = Client(base, token)
        rows_status, _ = probe.request("GET", f"{rows_path}?size=1")
        include_rows = rows_status == 200
        view_row_ids: list[int] = []
        if include_rows:
            # Rows from the middle of the grid view (half the rows pass its filter), whose
            # previous row in the view is then asked for.
            page = max(1, loaded // 4 // BATCH)
            grid = f"/api/database/views/grid/{setup.view_id}/?size={BATCH}&page={page}"
            view_row_ids = [row["id"] for row in probe.json("GET", grid)["results"]]
        probe.close()
        if not include_rows:
            print(f"GET {rows_path} answered {rows_status}: measuring the table and fields only")

        results: list[Result] = []
        for op in operations(setup, args.rows, args.seed, include_rows, view_row_ids):
            print(f"  {op.name} ...", flush=True)
            count = args.batch_requests if op.rows_per_request == BATCH else args.requests
            token = fresh_token(base, setup)  # access tokens live 60 minutes
            sessions_before = db.sessions()
            if connections:
                connections.window()
            result = run_operation(base, token, op, count, args.concurrency, args.warmup)
            if sessions_before is not None:
                # Connections closed meanwhile, minus the one that reads the counter, per
                # request (warm-up included). Ones still open are not counted yet: a lower bound.
                opened = db.sessions() - sessions_before - 1
                result.extra["db_sessions_per_request_min"] = round(
                    opened / (count + args.warmup), 2
                )
            if connections:
                result.extra["peak_db_connections"] = connections.window()
            if op.method == "GET" and op.name.startswith(("list 100", "grid view")):
                result.extra["count"] = probe_count(base, token, op.make(0)[0])
            results.append(result)
        final_rows = db.count(f"database_table_{setup.table_id}")
        if not args.keep:
            cleanup = Client(base, token)
            cleanup.json("DELETE", f"/api/database/tables/{setup.table_id}/", expect=(200, 204))
            cleanup.close()
    finally:
        if connections:
            connections.stop()
        if monitor:
            monitor.stop()
        if server:
            server.stop()

    info = machine()
    info["loadavg_before"] = [round(x, 2) for x in load_before]
    info["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(
        f"rows benchmark  {started_at:%Y-%m-%d %H:%M} UTC  engine {db.version()}  "
        f"rows {args.rows:,} (after the writes: {final_rows:,})"
    )
    print(
        f"machine: {info['nproc']} CPUs, {info['cpu']}, {info['memory']}, "
        f"Linux {info['kernel']}, Python {info['python']}; load average (1, 5, 15 min) "
        f"{info['loadavg_before']} before, {info['loadavg_after']} after"
    )
    server_label = (
        f"own gunicorn, {args.workers} {args.worker_class} workers"
        if server
        else f"target {args.target}"
    )
    print(
        f"server: {server_label}; client: {args.concurrency} keep-alive connection(s), "
        f"{args.requests} measured requests per operation ({args.batch_requests} for the "
        f"batches) after {args.warmup} warm-up; "
        f"bulk load {load_seconds:.1f} s"
    )
    print()
    print_table(results)
    memory: dict[str, Any] = {}
    if monitor:
        memory = {
            "peak_rss_sum_mib": round(sum(monitor.hwm_kb.values()) / 1024, 1),
            "peak_sampled_total_rss_mib": round(monitor.peak_total_rss_kb / 1024, 1),
            "processes": len(monitor.hwm_kb),
        }
        print()
        print(
            f"server peak memory: {memory['peak_rss_sum_mib']} MiB (sum of VmHWM over "
            f"{memory['processes']} processes); largest sampled total RSS "
            f"{memory['peak_sampled_total_rss_mib']} MiB"
        )
    else:
        print("\nserver peak memory: not measured (give --server-pid with --target)")
    if connections:
        memory["peak_db_connections"] = connections.peak
        print(f"peak open database connections (polled every 0.2 s): {connections.peak}")
    if not include_rows:
        print(f"\nrows endpoints missing (GET {rows_path} answered {rows_status}): run pending")
    if server:
        print(f"server log: {server.log_path}")

    if args.json:
        report = {
            "date": started_at.isoformat(),
            "engine": db.version(),
            "rows": args.rows,
            "rows_after": final_rows,
            "bulk_load_s": round(load_seconds, 2),
            "machine": info,
            "server": server_label,
            "concurrency": args.concurrency,
            "requests": args.requests,
            "batch_requests": args.batch_requests,
            "warmup": args.warmup,
            "memory": memory,
            "results": [r.row() | r.extra for r in results],
        }
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
