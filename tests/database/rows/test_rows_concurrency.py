"""Many clients writing rows of one table at once, each thread with its own connection.

PostgreSQL only: it is the engine that runs writers side by side (SQLite runs one at a time).
Creates (single, batch, and before a row), updates, moves and deletes go through the HTTP API.
Afterwards no row may be lost or duplicated, the orders must be distinct, the listing total and
stable, and no request may have failed with a 500. A deadlock, should one happen, must reach the
client as 409 ERROR_DATABASE_DEADLOCK, which clients retry.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction
from rest_framework.test import APIClient

from api.errors import exception_handler, is_database_conflict
from database import table_models
from database.fields.models import Field
from database.tables.models import Table
from tests.database.helpers import POSTGRESQL_CONCURRENCY, insert_rows, run_at_once
from tests.database.rows.conftest import batch_delete_url, batch_url, item_url, list_url, move_url
from users.tokens import token_pair_for_user

pytestmark = POSTGRESQL_CONCURRENCY

ROUNDS = 15
RETRIES = 5
DEADLOCK = "ERROR_DATABASE_DEADLOCK"


class Client:
    """An API client of one thread that retries what the server reports as a deadlock."""

    def __init__(self, user, retried: list[str]) -> None:
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"JWT {token_pair_for_user(user)[0]}")
        self.retried = retried

    def call(self, method: str, url: str, body=None, expect: int = 200):
        for _ in range(RETRIES):
            if method == "get":
                response = self.api.get(url, body)
            else:
                response = getattr(self.api, method)(url, body, format="json")
            if response.status_code == 409 and response.json()["error"] == DEADLOCK:
                self.retried.append(f"{method} {url}")
                continue
            assert response.status_code == expect, (method, url, response.content)
            return response.json() if response.content else None
        raise AssertionError(f"{method} {url} kept deadlocking")


def test_concurrent_row_writes_lose_nothing(user, busy_table):
    table = busy_table
    name = Field.objects.get(table=table, primary=True).db_column
    seeds = insert_rows(table, [{name: f"seed {n}"} for n in range(40)])
    anchor = seeds[0]  # rows are inserted before it; nobody moves or deletes it
    to_update, to_move, to_delete = seeds[1:21], seeds[21:30], seeds[30:40]
    retried: list[str] = []
    lock = threading.Lock()
    created: dict[str, list[int]] = {}  # job -> ids in creation order
    deleted: set[int] = set()
    written: dict[int, set[str]] = {row_id: {f"seed {seeds.index(row_id)}"} for row_id in seeds}

    def record(job: str, ids: list[int]) -> None:
        with lock:
            created.setdefault(job, []).extend(ids)

    def append_single(thread: int) -> None:
        client = Client(user, retried)
        for n in range(ROUNDS):
            row = client.call("post", list_url(table.id), {name: f"a{thread}-{n}"})
            record(f"append {thread}", [row["id"]])

    def append_batch(thread: int) -> None:
        client = Client(user, retried)
        for n in range(ROUNDS):
            items = [{name: f"b{thread}-{n}-{i}"} for i in range(5)]
            result = client.call("post", batch_url(table.id), {"items": items})
            record(f"batch {thread}", [row["id"] for row in result["items"]])

    def insert_before(thread: int) -> None:
        client = Client(user, retried)
        for n in range(ROUNDS):
            row = client.call("post", f"{list_url(table.id)}?before={anchor}", {name: f"i{n}"})
            record(f"before {thread}", [row["id"]])

    def update(thread: int) -> None:
        client = Client(user, retried)
        ids = to_update if thread % 2 == 0 else list(reversed(to_update))
        for n in range(ROUNDS):
            text = f"u{thread}-{n}"
            with lock:
                for row_id in ids:
                    written[row_id].add(text)
            items = [{"id": row_id, name: text} for row_id in ids]
            client.call("patch", batch_url(table.id), {"items": items})
            client.call("patch", item_url(table.id, ids[n % len(ids)]), {name: text})

    def move(thread: int) -> None:
        client = Client(user, retried)
        for n in range(ROUNDS):
            row_id = to_move[(n + thread) % len(to_move)]
            query = "" if n % 2 else f"?before_id={to_move[(n + thread + 1) % len(to_move)]}"
            client.call("patch", f"{move_url(table.id, row_id)}{query}")

    def delete(thread: int) -> None:
        client = Client(user, retried)
        own = to_delete[thread * 5 : thread * 5 + 5]
        client.call("delete", item_url(table.id, own[0]), expect=204)
        client.call("post", batch_delete_url(table.id), {"items": own[1:3]}, expect=204)
        made = []
        for n in range(ROUNDS):
            made.append(client.call("post", list_url(table.id), {name: f"d{thread}-{n}"})["id"])
        client.call("post", batch_delete_url(table.id), {"items": made[::2]}, expect=204)
        for row_id in made[1::4]:
            client.call("delete", item_url(table.id, row_id), expect=204)
        record(f"delete {thread}", made)
        with lock:
            deleted.update([own[0], *own[1:3], *made[::2], *made[1::4]])

    jobs = [lambda t=t: append_single(t) for t in range(3)]
    jobs += [lambda t=t: append_batch(t) for t in range(3)]
    jobs += [lambda t=t: insert_before(t) for t in range(2)]
    jobs += [lambda t=t: update(t) for t in range(2)]
    jobs += [lambda t=t: move(t) for t in range(2)]
    jobs += [lambda t=t: delete(t) for t in range(2)]
    failures = run_at_once(jobs)
    assert failures == [], "\n".join(failures)

    # No row lost or duplicated: every created id is there unless this test deleted it.
    all_created = [row_id for ids in created.values() for row_id in ids]
    assert len(all_created) == len(set(all_created))
    assert len(all_created) == ROUNDS * (3 + 3 * 5 + 2 + 2)
    expected = (set(seeds) | set(all_created)) - deleted
    model = table_models.get_model(Table.objects.get(id=table.id))
    assert set(model.objects.filter(trashed=False).values_list("id", flat=True)) == expected
    assert set(model.objects.filter(trashed=True).values_list("id", flat=True)) == deleted

    client = Client(user, retried)
    assert client.call("get", list_url(table.id), {"size": 1})["count"] == len(expected)
    pages = []
    for page in range(1, len(expected) // 200 + 2):
        pages += client.call("get", list_url(table.id), {"size": 200, "page": page})["results"]
    listed = [row["id"] for row in pages]
    assert len(listed) == len(set(listed)) and set(listed) == expected

    # Orders are distinct across all rows (trashed too) and the listing follows them.
    orders = list(model.objects.values_list("order", flat=True))
    assert len(orders) == len(set(orders))
    listed_orders = [Decimal(row["order"]) for row in pages]
    assert listed_orders == sorted(listed_orders)
    again = [row["id"] for row in client.call("get", list_url(table.id), {"size": 200})["results"]]
    assert again == listed[:200]

    # Each thread's rows keep the order it created them in; inserts stay before the anchor.
    position = {row_id: index for index, row_id in enumerate(listed)}
    for job, ids in created.items():
        live = [row_id for row_id in ids if row_id in position]
        assert [position[row_id] for row_id in live] == sorted(position[r] for r in live), job
        if job.startswith("before"):
            assert all(position[row_id] < position[anchor] for row_id in live)
    # Every updated cell holds one of the values written to it.
    values = dict(model.objects.values_list("id", name))
    for row_id in to_update:
        assert values[row_id] in written[row_id]
    print(f"deadlocks retried: {len(retried)}")


def test_concurrent_appends_get_distinct_increasing_orders(user, busy_table):
    table = busy_table
    retried: list[str] = []
    created: list[list[int]] = []

    def append(thread: int) -> None:
        client = Client(user, retried)
        ids = []
        for n in range(ROUNDS):
            if n % 3 == 0:
                result = client.call("post", batch_url(table.id), {"items": [{}, {}, {}]})
                ids += [row["id"] for row in result["items"]]
            else:
                ids.append(client.call("post", list_url(table.id), {})["id"])
        created.append(ids)

    failures = run_at_once([lambda t=t: append(t) for t in range(8)])
    assert failures == [], "\n".join(failures)
    model = table_models.get_model(Table.objects.get(id=table.id))
    orders = dict(model.objects.values_list("id", "order"))
    assert len(orders) == sum(len(ids) for ids in created)
    assert len(set(orders.values())) == len(orders)
    for ids in created:  # a thread's later append comes after its earlier one
        assert [orders[row_id] for row_id in ids] == sorted(orders[row_id] for row_id in ids)
    assert retried == []


def wait_until_blocked(cursor, timeout: float = 10) -> None:
    """Wait until another backend of this database waits for a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else one snapshot per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        if cursor.fetchone()[0]:
            return
        time.sleep(0.02)
    raise AssertionError("no backend got blocked")


def test_a_deadlock_reaches_the_client_as_409(user, client_for, busy_table):
    """A batch update locks rows 1 then 2; another transaction holds 2 and then wants 1."""
    table = busy_table
    name = Field.objects.get(table=table, primary=True).db_column
    first, second = insert_rows(table, [{name: "one"}, {name: "two"}])
    holding = threading.Event()
    quoted = connection.ops.quote_name(table.db_table)

    def other_transaction() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            # This side waits long before checking for deadlocks: the request is the victim.
            cursor.execute("SET LOCAL deadlock_timeout = '20s'")
            cursor.execute(f"UPDATE {quoted} SET {name} = 'other' WHERE id = %s", [second])
            holding.set()
            wait_until_blocked(cursor)
            cursor.execute(f"UPDATE {quoted} SET {name} = 'other' WHERE id = %s", [first])

    def request() -> None:
        assert holding.wait(10)
        items = [{"id": first, name: "request"}, {"id": second, name: "request"}]
        response = client_for(user).patch(batch_url(table.id), {"items": items}, format="json")
        results.append(response)

    results: list = []
    failures = run_at_once([other_transaction, request])
    assert failures == [], "\n".join(failures)
    (response,) = results
    assert response.status_code == 409
    assert response.json()["error"] == DEADLOCK
    model = table_models.get_model(Table.objects.get(id=table.id))
    assert dict(model.objects.values_list("id", name)) == {first: "other", second: "other"}


def test_only_conflicts_map_to_409(busy_table):
    """A cancelled statement is an OperationalError too, but not a conflict: it stays a 500."""
    quoted = connection.ops.quote_name(busy_table.db_table)
    (row_id,) = insert_rows(busy_table, [{}])
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {quoted} WHERE id = %s FOR UPDATE", [row_id])
            holding.set()
            assert done.wait(20)

    thread = threading.Thread(target=lambda: (hold(), connection.close()))
    thread.start()
    try:
        assert holding.wait(10)
        with (
            pytest.raises(OperationalError) as caught,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # A cancelled statement; a lock timeout is a schema change's 409 (api/errors.py).
            cursor.execute("SET LOCAL statement_timeout = '100ms'")
            cursor.execute(f"SELECT id FROM {quoted} WHERE id = %s FOR UPDATE", [row_id])
    finally:
        done.set()
        thread.join(30)
    assert not is_database_conflict(caught.value)
    assert exception_handler(caught.value, {}) is None
