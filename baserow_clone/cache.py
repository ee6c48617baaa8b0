"""One Redis connection pool per process for Django's Redis cache.

Django keeps a cache object per request context, and its Redis client makes a new connection
pool for each: under ASGI every request would open (and leave behind) a new connection to
Redis, a TCP handshake per request for the throttles and the webhook presence check. With
this pool class every cache object of the process shares one pool per server and options.
"""

import threading
from typing import Any

import redis

_pools: dict[tuple[str, tuple[tuple[str, Any], ...]], redis.ConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(redis.ConnectionPool):
    @classmethod
    def from_url(cls, url: str, **options: Any) -> redis.ConnectionPool:
        key = (url, tuple(sorted(options.items(), key=lambda item: item[0])))
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                # redis-py makes a forked child drop the parent's connections (its pid check).
                pool = _pools[key] = redis.ConnectionPool.from_url(url, **options)
            return pool
