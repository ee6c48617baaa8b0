"""Django makes a cache object per request context; with the shared pool class they all use
this process's connections to Redis instead of opening new ones per request."""

import threading

import redis
from django.core.cache.backends.redis import RedisCache

from tests.servers import redis_url_for_tests

URL = redis_url_for_tests(8)
OPTIONS = {"OPTIONS": {"pool_class": "baserow_clone.cache.SharedConnectionPool"}}


def connections(probe: redis.Redis) -> int:
    """Clients connected to the Redis server (this test's own, with nothing else running)."""
    return len(probe.client_list())


def test_cache_objects_of_many_requests_share_one_pool():
    probe = redis.Redis.from_url(URL)
    before = connections(probe)

    def one_request(n: int) -> None:  # a request's own cache object, in its own thread
        cache = RedisCache(URL, OPTIONS)
        cache.set(f"pool-test-{n}", n)
        assert cache.get(f"pool-test-{n}") == n

    for n in range(20):
        thread = threading.Thread(target=one_request, args=(n,))
        thread.start()
        thread.join()
    assert connections(probe) - before <= 1
    probe.delete(*[f":1:pool-test-{n}" for n in range(20)])
    probe.close()


def test_without_it_each_cache_object_opens_a_connection():
    """What the pool class is for (Django's default pool, per cache object)."""
    probe = redis.Redis.from_url(URL)
    before = connections(probe)
    caches = [RedisCache(URL, {}) for _ in range(5)]
    for cache in caches:
        cache.get("pool-test")
    assert connections(probe) - before == 5
    for cache in caches:
        cache._cache.get_client().connection_pool.disconnect()
    probe.close()
