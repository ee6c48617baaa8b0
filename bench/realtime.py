"""Real-time benchmark: what websocket events cost and how fast they arrive (prints figures).

    .venv/bin/python bench/realtime.py                      # DATABASE_URL, in-memory layer
    .venv/bin/python bench/realtime.py --redis-url redis://127.0.0.1:6379/1
    .venv/bin/python bench/realtime.py --redis-url redis://127.0.0.1:6379/1 --split

Starts the production command (`gunicorn -c gunicorn.conf.py`) with ONE worker on a free port,
or with --split the production layout: one server for HTTP and one for `/ws/`, sharing Redis.
The sockets are held by a child process that reads frame headers only (see `Sink`), so what
they cost is the server's; its CPU is printed too. Measures, over HTTP and real websockets:
- latency from the HTTP answer of a row create to the `rows_created` event on each of N
  sockets subscribed to the table's page (p50 / p99 / max over every socket and request);
- events per second fanned out: single-row creates from 4 client threads as fast as the
  server takes them, until every subscribed socket has every event;
- memory per 1,000 idle sockets (authenticated, subscribed): the worker's RSS before and after;
- the cost to row writes: single create p50 and batch create (200 rows) rows/s, with no
  socket open and with N subscribed sockets, alternating --rounds times; with each, the CPU
  the server processes and the sockets' client spent per request.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame
from websockets.uri import parse_uri

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
    """`gunicorn -c gunicorn.conf.py` with one worker, in a process group of its own."""

    def __init__(self, env: dict[str, str], nice: int = 0) -> None:
        self.port = free_port()
        self.env = env
        self.nice = nice
        self.log = tempfile.NamedTemporaryFile(prefix="bench-realtime-", suffix=".log")  # noqa: SIM115

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        # The production command (gunicorn.conf.py: the project's uvicorn worker class).
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"]
        if self.nice:
            command = ["nice", "-n", str(self.nice), *command]
        env = {**self.env, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1"}
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
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


class Sink:
    """Websockets held by a child process of their own, as cheaply as a client can hold them.

    Each socket is opened and subscribed with websockets' sans-I/O protocol (offering
    permessage-deflate, as browsers do, so the server compresses as it would for them); after
    that the child only reads frame headers: it counts each socket's messages and notes when
    each arrived, answers the server's pings, and never inflates or parses a message. The
    sockets' cost to the machine is then the server's, not the client's, and the HTTP client
    in the parent never waits for this one's GIL. `cpu()` tells what the child used.
    """

    def __init__(self, nice: int = 0) -> None:
        self.pipe, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_sink_main, args=(child, nice), daemon=True)
        self.process.start()

    def _call(self, *command: object) -> object:
        self.pipe.send(command)
        answer = self.pipe.recv()
        if isinstance(answer, Exception):
            raise SystemExit(f"sockets' client: {answer}")
        return answer

    def open(self, port: int, token: str, table_id: int, count: int) -> None:
        self._call("open", port, token, table_id, count)

    def wait_for(self, per_socket: int, timeout: float = 60) -> None:
        """Until every socket has `per_socket` events."""
        self._call("wait", per_socket, timeout)

    def arrivals(self) -> list[list[float]]:
        return self._call("arrivals")

    def cpu(self) -> float:
        return self._call("cpu")

    def close(self) -> None:
        self._call("close")

    def stop(self) -> None:
        if self.process.is_alive():
            self.pipe.send(("stop",))
        self.process.join(timeout=10)


class _RawSocket:
    """One subscribed websocket, read frame header by frame header."""

    def __init__(self, port: int, token: str, table_id: int) -> None:
        uri = parse_uri(f"ws://127.0.0.1:{port}/ws/core/?jwt_token={token}")
        protocol = ClientProtocol(uri, extensions=[ClientPerMessageDeflateFactory()])
        self.sock = socket.create_connection(("127.0.0.1", port))
        protocol.send_request(protocol.connect())
        self._flush(protocol)
        self._read_message(protocol)  # authentication
        protocol.send_text(json.dumps({"page": "table", "table_id": table_id}).encode())
        self._flush(protocol)
        self._read_message(protocol)  # page_add
        self.sock.setblocking(False)
        self.buffer = bytearray()
        self.arrivals: list[float] = []

    def _flush(self, protocol: ClientProtocol) -> None:
        self.sock.sendall(b"".join(protocol.data_to_send()))

    def _read_message(self, protocol: ClientProtocol) -> None:
        while not any(isinstance(event, Frame) for event in protocol.events_received()):
            protocol.receive_data(self.sock.recv(65536))

    def read(self) -> int:
        """Read what has come; the number of messages it completed."""
        try:
            data = self.sock.recv(1 << 20)
        except BlockingIOError:
            return 0
        if not data:
            raise ConnectionError("the server closed a socket")
        now = time.perf_counter()
        buffer = self.buffer
        buffer += data
        offset, messages = 0, 0
        while len(buffer) - offset >= 2:
            opcode, length = buffer[offset] & 0x0F, buffer[offset + 1] & 0x7F
            header = 2
            if length == 126:
                header, length = 4, int.from_bytes(buffer[offset + 2 : offset + 4], "big")
            elif length == 127:
                header, length = 10, int.from_bytes(buffer[offset + 2 : offset + 10], "big")
            if len(buffer) - offset < header + length:
                break
            if opcode == 0x9:  # ping: answer with a (masked) pong of the same payload
                payload = bytes(buffer[offset + header : offset + header + length])
                self._send_pong(payload)
            elif opcode in (0x1, 0x2):
                messages += 1
                self.arrivals.append(now)
            offset += header + length
        del buffer[:offset]
        return messages

    def _send_pong(self, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.sock.setblocking(True)
        self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)
        self.sock.setblocking(False)


def _sink_main(pipe, nice: int) -> None:
    """The sockets' child process: commands from the pipe, frames from the sockets."""
    os.nice(nice)
    selector = selectors.DefaultSelector()
    selector.register(pipe.fileno(), selectors.EVENT_READ, None)
    sockets: list[_RawSocket] = []
    received = 0
    waiting: tuple[int, float] | None = None  # (messages, deadline)
    while True:
        for key, _ in selector.select(timeout=0.5):
            if key.data is not None:
                if key.data.sock.fileno() != -1:  # not closed by a command read just before
                    received += key.data.read()
                continue
            command, *arguments = pipe.recv()
            try:
                if command == "open":
                    port, token, table_id, count = arguments
                    for _ in range(count):
                        raw = _RawSocket(port, token, table_id)
                        selector.register(raw.sock, selectors.EVENT_READ, raw)
                        sockets.append(raw)
                    pipe.send(None)
                elif command == "wait":
                    per_socket, timeout = arguments
                    waiting = (per_socket * len(sockets), time.monotonic() + timeout)
                elif command == "arrivals":
                    pipe.send([raw.arrivals for raw in sockets])
                elif command == "cpu":
                    pipe.send(time.process_time())
                elif command == "close":
                    for raw in sockets:
                        selector.unregister(raw.sock)
                        raw.sock.close()
                    sockets, received = [], 0
                    pipe.send(None)
                elif command == "stop":
                    return
            except Exception as error:
                pipe.send(error)
        if waiting is not None:
            if received >= waiting[0]:
                waiting = None
                pipe.send(None)
            elif time.monotonic() > waiting[1]:
                waiting = None
                pipe.send(TimeoutError(f"only {received} events arrived"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def latency(
    sink: Sink, port: int, ws_port: int, token: str, table_id: int, sockets: int, requests: int
) -> None:
    sink.open(ws_port, token, table_id, sockets)
    client = Client(port, token)
    answered = []
    for index in range(requests):
        _, _, at = client.request("POST", f"/api/database/rows/table/{table_id}/", {})
        answered.append(at)
        sink.wait_for(index + 1)
    # Creates are one at a time, so each socket's k-th message is the k-th create's event.
    delays = [
        (arrived - answered[index]) * 1000
        for arrivals in sink.arrivals()
        for index, arrived in enumerate(arrivals)
    ]
    sink.close()
    print(
        f"latency, HTTP answer -> event, {sockets} sockets x {requests} creates: "
        f"p50 {percentile(delays, 0.5):.1f} ms, p99 {percentile(delays, 0.99):.1f} ms, "
        f"max {max(delays):.1f} ms (negative: the event came before the answer)"
    )


def fan_out(
    sink: Sink, port: int, ws_server: Server, token: str, table_id: int, sockets: int, events: int
) -> None:
    sink.open(ws_server.port, token, table_id, sockets)
    clients = [Client(port, token) for _ in range(4)]

    def create(client: Client, count: int) -> None:
        for _ in range(count):
            client.request("POST", f"/api/database/rows/table/{table_id}/", {})

    cpu, client_cpu = ws_server.worker_cpu_seconds(), sink.cpu()
    started = time.perf_counter()
    threads = [
        threading.Thread(target=create, args=(client, events // len(clients))) for client in clients
    ]
    for thread in threads:
        thread.start()
    total = (events // len(clients)) * len(clients)
    sink.wait_for(total, timeout=300)
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    cpu, client_cpu = ws_server.worker_cpu_seconds() - cpu, sink.cpu() - client_cpu
    sink.close()
    print(
        f"fan-out, {sockets} sockets: {total / elapsed:.0f} events/s "
        f"({total * sockets / elapsed:.0f} messages/s to sockets); CPU per event: sockets' "
        f"worker {cpu * 1000 / total:.2f} ms, sockets' client {client_cpu * 1000 / total:.2f} ms"
    )


def idle_memory(sink: Sink, server: Server, token: str, table_id: int, count: int) -> None:
    time.sleep(1)
    before = server.worker_rss_mib()
    sink.open(server.port, token, table_id, count)
    time.sleep(2)
    after = server.worker_rss_mib()
    sink.close()
    per_thousand = (after - before) * 1000 / count
    print(
        f"memory, {count} idle subscribed sockets: worker RSS {before:.0f} -> {after:.0f} MiB, "
        f"{per_thousand:.1f} MiB per 1,000 sockets"
    )


class Costs(NamedTuple):
    create_p50: float  # ms
    create_cpu: float  # ms of CPU per create: the HTTP server's worker
    create_ws_cpu: float  # the /ws/ server's worker (--split; else 0)
    create_client_cpu: float  # the sockets' client
    batch_rate: float  # rows/s
    batch_cpu: float  # ms of CPU per batch of 200, as above
    batch_ws_cpu: float
    batch_client_cpu: float


def write_costs(
    servers: list[Server], sink: Sink, token: str, table_id: int, requests: int
) -> Costs:
    """Single creates then batch creates of 200 rows, one after the other from one client."""
    client = Client(servers[0].port, token)
    path = f"/api/database/rows/table/{table_id}/"

    def cpu() -> list[float]:
        """CPU seconds so far: HTTP worker, /ws/ worker, sockets' client."""
        http, *ws = (server.worker_cpu_seconds() for server in servers)
        return [http, sum(ws), sink.cpu()]

    def per_request(before: list[float], count: int) -> list[float]:
        return [(now - then) * 1000 / count for now, then in zip(cpu(), before, strict=True)]

    times = []
    before = cpu()
    for _ in range(requests):
        started = time.perf_counter()
        client.request("POST", path, {})
        times.append((time.perf_counter() - started) * 1000)
    creates = per_request(before, requests)
    batches = max(requests // 5, 1)
    before = cpu()
    started = time.perf_counter()
    for _ in range(batches):
        client.request("POST", f"{path}batch/", {"items": [{} for _ in range(200)]})
    rate = batches * 200 / (time.perf_counter() - started)
    return Costs(statistics.median(times), *creates, rate, *per_request(before, batches))


def write_cost_rounds(
    sink: Sink,
    servers: list[Server],
    token: str,
    table_id: int,
    sockets: int,
    requests: int,
    rounds: int,
) -> None:
    """Without and with subscribed sockets, alternating, so that both see the same load."""
    results: dict[bool, list[Costs]] = {False: [], True: []}
    for subscribed in (False, True) * rounds:
        if subscribed:
            sink.open(servers[-1].port, token, table_id, sockets)
        results[subscribed].append(write_costs(servers, sink, token, table_id, requests))
        sink.close()
    medians = {
        subscribed: Costs(*(statistics.median(column) for column in zip(*runs, strict=True)))
        for subscribed, runs in results.items()
    }
    for subscribed, runs in results.items():
        label = f"{sockets} subscribed sockets" if subscribed else "no socket"
        print(f"writes with {label} ({rounds} rounds, median first):")
        for costs in (medians[subscribed], *runs):
            ws = len(servers) > 1
            print(
                f"  create one p50 {costs.create_p50:.1f} ms (CPU: HTTP worker "
                f"{costs.create_cpu:.2f} ms, "
                + (f"/ws/ worker {costs.create_ws_cpu:.2f} ms, " if ws else "")
                + f"sockets' client {costs.create_client_cpu:.2f} ms); batch "
                f"{costs.batch_rate:,.0f} rows/s (CPU per 200: HTTP worker "
                f"{costs.batch_cpu:.1f} ms, "
                + (f"/ws/ worker {costs.batch_ws_cpu:.1f} ms, " if ws else "")
                + f"sockets' client {costs.batch_client_cpu:.1f} ms)"
            )
    without, with_ = medians[False], medians[True]
    print(
        f"cost of {sockets} subscribers (medians): create p50 "
        f"{(with_.create_p50 / without.create_p50 - 1) * 100:+.0f}%, batch rows/s "
        f"{(with_.batch_rate / without.batch_rate - 1) * 100:+.0f}% (target: within 10%)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="", help="the channel layer (default: in memory)")
    parser.add_argument("--sockets", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="of the write costs, each way")
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument(
        "--split",
        action="store_true",
        help="the production layout: HTTP to one server, /ws/ to another, sharing --redis-url",
    )
    parser.add_argument(
        "--ws-nice",
        type=int,
        default=0,
        help="with --split: run the /ws/ server at this nice level (fan-out yields to requests)",
    )
    parser.add_argument(
        "--client-nice",
        type=int,
        default=0,
        help="the sockets' client at this nice level (19: it stands for other machines)",
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
    sockets_server = Server(env, nice=args.ws_nice) if args.split else server
    servers = [server, sockets_server] if args.split else [server]
    sink = Sink(nice=args.client_nice)
    try:
        server.start()
        if args.split:
            sockets_server.start()
        engine = (args.database_url or "sqlite").split(":")[0]
        layer = f"Redis ({args.redis_url})" if args.redis_url else "in memory"
        shape = "HTTP on one, /ws/ on another" if args.split else "HTTP and /ws/ on one"
        print(f"server: gunicorn, 1 uvicorn worker each ({shape}); {engine}; layer {layer}")
        ws_nice = args.ws_nice if args.split else 0
        print(f"nice: /ws/ server {ws_nice}, sockets' client {args.client_nice}")
        print(f"load average before: {os.getloadavg()[0]:.2f} (CPUs: {os.cpu_count()})")
        token, table_id = set_up(server.port)
        latency(
            sink, server.port, sockets_server.port, token, table_id, args.sockets, args.requests
        )
        fan_out(sink, server.port, sockets_server, token, table_id, args.sockets, args.requests * 2)
        idle_memory(sink, sockets_server, token, table_id, args.idle)
        write_cost_rounds(sink, servers, token, table_id, args.sockets, args.requests, args.rounds)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.stop()
        sockets_server.stop()
        sink.stop()


if __name__ == "__main__":
    main()
