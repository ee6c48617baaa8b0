"""What webhooks add to a row write's CPU in the request, measured in-process (less noisy than
over HTTP on a shared machine).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/webhooks_request.py [--rounds 3]

Two tables of the same shape, one with 5 webhooks (all events), written alternately through
the row service (`rows_create`, committed, so the events reach their subscribers): single rows
and batches of 200. Prints the CPU time (`time.process_time`) per write and, of it, what each
event subscriber (the websocket's `realtime`, `webhooks`) took. Needs `REDIS_URL`: the events
are published to Redis, as in production (no worker runs; the Redis database is emptied before
and after).
"""

import argparse
import collections
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django
import redis

django.setup()

from django.core.management import call_command  # noqa: E402

from database.rows.services import rows_create  # noqa: E402
from database.tables.models import Table  # noqa: E402
from events import bus  # noqa: E402
from users.signup import user_signup  # noqa: E402
from webhooks.services import webhook_create  # noqa: E402

spent: dict[str, float] = collections.defaultdict(float)


def timed(subscriber: bus.Subscriber) -> bus.Subscriber:
    def run(event: bus.Event) -> None:
        started = time.process_time()
        subscriber(event)
        spent[subscriber.__module__.split(".")[0]] += time.process_time() - started

    return run


def new_table() -> tuple[object, Table]:
    email = f"bench-{time.time_ns()}@example.com"
    user = user_signup(name="Bench", email=email, password="bench-password")
    tables = Table.objects.filter(database__workspace__memberships__user=user)
    return user, tables.order_by("id").first()


def write(table: Table, writes: int, size: int) -> dict[str, float]:
    """CPU ms per write, and per subscriber."""
    spent.clear()
    started = time.process_time()
    for _ in range(writes):
        rows_create(table=table, items=[{}] * size, batch=size > 1)
    total = {"write": time.process_time() - started, **spent}
    return {key: seconds * 1000 / writes for key, seconds in total.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.flushdb()
    call_command("migrate", "--noinput", verbosity=0)
    _, plain = new_table()
    user, hooked = new_table()
    for n in range(5):
        webhook_create(user=user, table_id=hooked.id, name=f"Hook {n}", url="http://10.0.0.1/")
    bus._subscribers[:] = [timed(subscriber) for subscriber in bus._subscribers]
    print(f"{os.environ.get('DATABASE_URL', 'sqlite')}; broker {os.environ.get('REDIS_URL')}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    for size, writes in ((1, 300), (200, 40)):
        results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
        for round_ in range(args.rounds):
            order = (False, True) if round_ % 2 == 0 else (True, False)
            for with_hooks in order:
                results[with_hooks].append(write(hooked if with_hooks else plain, writes, size))
        for with_hooks, runs in results.items():
            figures = {key: statistics.median(run.get(key, 0) for run in runs) for key in runs[0]}
            label = "5 webhooks" if with_hooks else "no webhook"
            parts = ", ".join(f"{key} {value:.2f}" for key, value in figures.items())
            print(f"{size:>3} row(s), {label}: CPU ms per write: {parts}")
    broker.flushdb()


if __name__ == "__main__":
    main()
