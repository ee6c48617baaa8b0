"""Fairness between clients (api/fairness.py): a request of a client keeping many more requests
in flight than another waits, before its SQL statements, while that lighter client's request
runs in the same process; the processes share their averages through Redis."""

import threading
import time

import pytest
import redis
from django.db import connection, transaction
from django.test import RequestFactory

from api.fairness import FairShareMiddleware, client_of, takes_locks
from baserow_clone.demand import Demand, demand, redis_client, start_sharing, web_demand
from tests.servers import redis_url_for_tests
from users.models import User

REDIS_URL = redis_url_for_tests(5)
LONG_AGO = 100.0  # seconds: the moving averages have reached the counts in flight since


@pytest.fixture
def shared(settings):
    """This process's demand, empty, with room for the tests' waits."""
    settings.FAIR_SHARE_MAX_WAIT = 0.5
    settings.FAIR_SHARE_MAX_WAIT_TOTAL = 5
    demand().forget()
    yield demand()
    demand().forget()


def in_flight(shared: Demand, client: str, requests: int) -> None:
    """`requests` requests of `client` in flight for long."""
    for _ in range(requests):
        shared.enter(client, time.monotonic() - LONG_AGO)


def leave_later(shared: Demand, client: str, seconds: float, left: list) -> threading.Timer:
    def leave() -> None:
        left.append(time.monotonic())
        shared.leave(client, time.monotonic())

    timer = threading.Timer(seconds, leave)
    timer.start()
    return timer


def client_sending(authorization: str) -> str:
    return client_of(RequestFactory().get("/", HTTP_AUTHORIZATION=authorization))


def test_demand_is_the_moving_average_of_requests_in_flight():
    sums = Demand(half_life=1, margin=1.5)
    sums.enter("a", now=0)
    sums.enter("a", now=0)
    assert sums.demand("a", now=0) == 0
    assert sums.demand("a", now=1) == pytest.approx(1)  # half way to 2 after one half-life
    assert sums.demand("a", now=30) == pytest.approx(2)
    sums.leave("a", now=30)
    sums.leave("a", now=30)
    assert sums.demand("a", now=31) == pytest.approx(1)
    assert sums.snapshot(now=31) == {"a": pytest.approx(1)}
    assert sums.snapshot(now=60) == {}  # idle and faded away: forgotten


def test_a_client_of_one_short_request_is_kept_for_a_half_life():
    sums = Demand(half_life=1, margin=1.5)
    sums.enter("a", now=10)
    sums.leave("a", now=10.01)  # its average stays under FORGET_BELOW
    assert sums.snapshot(now=10.5) == {"a": pytest.approx(0.003, abs=0.002)}
    assert sums.snapshot(now=11.5) == {}  # idle for over a half-life: forgotten


def test_the_heavier_client_waits_until_the_lighter_ones_request_ends():
    sums = Demand(half_life=1, margin=1.5)
    in_flight(sums, "heavy", 3)
    in_flight(sums, "light", 1)
    left: list[float] = []
    leave_later(sums, "light", 0.3, left)
    sums.wait_turn("heavy", longest=10)
    assert left and time.monotonic() >= left[0]  # it went on once the light request had left
    assert sums.wait_turn("heavy", longest=10) < 0.1  # nothing of the light client runs now


def test_the_lighter_client_and_equal_ones_never_wait():
    sums = Demand(half_life=1, margin=1.5)
    in_flight(sums, "heavy", 3)
    in_flight(sums, "light", 1)
    in_flight(sums, "other light", 1)
    assert sums.wait_turn("light", longest=10) < 0.1
    assert sums.wait_turn("other light", longest=10) < 0.1


def test_a_wait_is_bounded():
    sums = Demand(half_life=1, margin=1.5)
    in_flight(sums, "heavy", 3)
    in_flight(sums, "light", 1)  # never leaves
    waited = sums.wait_turn("heavy", longest=0.2)
    assert 0.2 <= waited < 5


@pytest.mark.django_db
def test_a_heavy_clients_request_runs_its_statements_after_the_light_request(
    shared, user, client_for
):
    client = client_for(user)
    heavy = client_sending(client._credentials["HTTP_AUTHORIZATION"])
    in_flight(shared, heavy, 3)  # three more of its requests in flight
    in_flight(shared, "light", 1)
    left: list[float] = []
    leave_later(shared, "light", 0.3, left)

    response = client.get("/api/workspaces/")

    assert response.status_code == 200
    assert left and time.monotonic() > left[0]
    count, _, _ = shared.local[heavy]
    assert count == 3  # the request counted itself in, then out


@pytest.mark.django_db
def test_a_light_clients_request_does_not_wait_for_the_heavy_one(shared, user, client_for):
    client = client_for(user)
    in_flight(shared, "heavy", 4)
    left: list[float] = []
    timer = leave_later(shared, "heavy", 3, left)

    response = client.get("/api/workspaces/")

    assert response.status_code == 200
    assert not left  # answered while the heavy client's requests still ran
    timer.cancel()


@pytest.mark.django_db
def test_requests_are_counted_per_credential(shared, user, other_user, client_for):
    first, second = client_for(user), client_for(other_user)
    assert first.get("/api/workspaces/").status_code == 200
    assert second.get("/api/workspaces/").status_code == 200
    assert first.get("/api/workspaces/").status_code == 200
    clients = {client_sending(c._credentials["HTTP_AUTHORIZATION"]) for c in (first, second)}
    assert set(shared.local) == clients
    assert all(count == 0 for count, _, _ in shared.local.values())
    # Only digests are kept, never the credential itself.
    assert not any("JWT" in client or "." in client for client in shared.local)


@pytest.mark.django_db
def test_off_with_a_margin_of_zero(settings, shared, user, client_for):
    settings.FAIR_SHARE_MARGIN = 0  # read by each new client's middleware
    assert client_for(user).get("/api/workspaces/").status_code == 200
    assert shared.local == {}


def test_processes_share_their_demand_through_redis():
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    here, there = Demand(half_life=1, margin=1.5), Demand(half_life=1, margin=1.5)
    in_flight(there, "heavy", 2)  # the heavy client's other requests, in another process
    in_flight(here, "heavy", 1)
    in_flight(here, "light", 1)
    assert here.wait_turn("heavy", longest=0.2) < 0.1  # one each here: equal

    there.share(store)
    here.share(store)

    assert here.demand("heavy", time.monotonic()) == pytest.approx(3, rel=0.01)
    assert here.wait_turn("heavy", longest=0.2) >= 0.2  # 3 in all against 1
    there.share(store)
    assert there.demand("light", time.monotonic()) == pytest.approx(1, rel=0.01)
    store.flushdb()


def test_a_process_that_stopped_sharing_is_dropped(settings):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    settings.FAIR_SHARE_PUBLISH = 0.05
    here, gone = Demand(half_life=1, margin=1.5), Demand(half_life=1, margin=1.5)
    in_flight(gone, "heavy", 2)
    gone.share(store)
    here.share(store)
    assert here.demand("heavy", time.monotonic()) > 1
    time.sleep(0.3)  # over 4 sharing periods with no word from it
    here.share(store)
    assert here.demand("heavy", time.monotonic()) == 0
    store.flushdb()


def test_which_statements_take_locks():
    assert not takes_locks('SELECT "id" FROM "users_user" WHERE "id" = 1')
    assert not takes_locks("  WITH t AS (SELECT 1) SELECT * FROM t")
    assert not takes_locks('SAVEPOINT "s1_x1"')
    assert takes_locks('SELECT "id" FROM "database_table" WHERE "id" = 1 FOR UPDATE')
    assert takes_locks("SELECT pg_advisory_xact_lock(1, 2)")
    assert takes_locks("SELECT schema_version FROM database_table WHERE id = 1 FOR KEY SHARE")
    assert takes_locks('UPDATE "users_user" SET "first_name" = %s')
    assert takes_locks('INSERT INTO "database_table_1" ("id") VALUES (1)')
    assert takes_locks('WITH inserted AS (INSERT INTO "t" ("id") VALUES (1) RETURNING id) SELECT 1')
    assert takes_locks('WITH v (id) AS (VALUES (1)) UPDATE "t" SET "a" = 1 FROM v')


@pytest.mark.django_db(transaction=True)
def test_no_wait_once_the_transaction_holds_locks(settings, shared, user):
    """The lighter request might be waiting on those locks: the heavier one goes on."""
    settings.FAIR_SHARE_MAX_WAIT = 0.5
    in_flight(shared, "heavy", 3)
    in_flight(shared, "light", 1)  # never leaves
    take_turn = FairShareMiddleware.turn_taker(shared, "heavy")

    def timed(statement) -> float:
        started = time.monotonic()
        statement()
        return time.monotonic() - started

    users = User.objects.filter(id=user.id)
    with transaction.atomic(), connection.execute_wrapper(take_turn):
        assert timed(users.count) >= 0.5  # a read: it gave its turn
        assert timed(lambda: users.update(first_name="Ada")) >= 0.5  # nothing locked before it
        assert timed(users.count) < 0.5  # the row is locked now
    with connection.execute_wrapper(take_turn):
        assert timed(users.count) >= 0.5  # committed: the locks are gone


def test_without_redis_a_process_counts_alone(caplog):
    sums = Demand(half_life=1, margin=1.5)
    sums.elsewhere = {"heavy": 5.0}
    sharing = start_sharing(sums, "redis://127.0.0.1:1/0", every=0.05)  # nothing listens there
    try:
        deadline = time.monotonic() + 10
        while sums.elsewhere and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        sums.stopped.set()
        sharing.join(5)
    assert sums.elsewhere == {}
    warnings = [r for r in caplog.records if "cannot share the demand" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not every period


def test_web_demand_without_redis_is_this_processes(settings, shared):
    settings.REDIS_URL = ""
    assert web_demand() == 0
    in_flight(shared, "heavy", 2)
    in_flight(shared, "light", 1)
    assert web_demand() == pytest.approx(3, rel=0.01)


def test_web_demand_with_redis_sums_every_sharing_process(settings):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    settings.REDIS_URL = REDIS_URL
    one, two = Demand(half_life=1, margin=1.5), Demand(half_life=1, margin=1.5)
    in_flight(one, "heavy", 2)
    in_flight(two, "light", 1)
    one.share(store)
    two.share(store)
    assert web_demand() == pytest.approx(3, rel=0.01)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    redis_client.cache_clear()
    assert web_demand() == 0
    redis_client.cache_clear()
    store.flushdb()
