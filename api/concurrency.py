"""Baserow's per-user limit on requests in flight (`BASEROW_MAX_CONCURRENT_USER_REQUESTS`).

With `REDIS_URL` the requests in flight are a sorted set per user in Redis, so every process
counts together; without it each process counts its own. A request that never finishes frees
its slot after `BASEROW_CONCURRENT_USER_REQUESTS_THROTTLE_TIMEOUT` seconds.
"""

import threading
import time
import uuid
from functools import cache

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

SLOT_ATTRIBUTE = "_concurrency_slot"

# KEYS[1]: the user's set; ARGV: limit, now, slot id, timeout. Returns {allowed, wait}.
ACQUIRE_SCRIPT = """
local limit, now, timeout = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
redis.call("zremrangebyscore", KEYS[1], "-inf", now - timeout)
if redis.call("zcard", KEYS[1]) < limit then
  redis.call("zadd", KEYS[1], now, ARGV[3])
  redis.call("expire", KEYS[1], timeout)
  return {1, "0"}
end
local oldest = redis.call("zrange", KEYS[1], 0, 0, "WITHSCORES")
return {0, tostring(tonumber(oldest[2]) + timeout - now)}
"""


class RedisSlots:
    """Slots shared by every process through Redis."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.acquire_script = self.client.register_script(ACQUIRE_SCRIPT)

    def acquire(self, key: str, slot: str, limit: int, timeout: int) -> tuple[bool, float]:
        allowed, wait = self.acquire_script(keys=[key], args=[limit, time.time(), slot, timeout])
        return bool(allowed), float(wait)

    def release(self, key: str, slot: str) -> None:
        self.client.zrem(key, slot)


class LocalSlots:
    """Slots of this process only (the embedded default, without Redis)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.slots: dict[str, dict[str, float]] = {}

    def acquire(self, key: str, slot: str, limit: int, timeout: int) -> tuple[bool, float]:
        now = time.time()
        with self.lock:
            taken = {s: t for s, t in self.slots.get(key, {}).items() if t > now - timeout}
            if len(taken) >= limit:
                self.slots[key] = taken
                return False, min(taken.values()) + timeout - now
            taken[slot] = now
            self.slots[key] = taken
            return True, 0.0

    def release(self, key: str, slot: str) -> None:
        with self.lock:
            self.slots.get(key, {}).pop(slot, None)


@cache
def slots_for(redis_url: str) -> RedisSlots | LocalSlots:
    return RedisSlots(redis_url) if redis_url else LocalSlots()


class ConcurrentUserRequestsThrottle(BaseThrottle):
    """At most N requests of one user in flight; staff and anonymous requests are not counted."""

    def allow_request(self, request: Request, view) -> bool:
        limit = settings.BASEROW_MAX_CONCURRENT_USER_REQUESTS
        user = request.user
        if limit <= 0 or user is None or not user.is_authenticated or user.is_staff:
            return True
        key = f"throttle:concurrent_user_requests:{user.id}"
        slot = uuid.uuid4().hex
        timeout = settings.BASEROW_CONCURRENT_USER_REQUESTS_THROTTLE_TIMEOUT
        allowed, self._wait = slots_for(settings.REDIS_URL).acquire(key, slot, limit, timeout)
        if allowed:
            setattr(request._request, SLOT_ATTRIBUTE, (key, slot))
        return allowed

    def wait(self) -> float:
        return self._wait


class ConcurrentUserRequestsMiddleware:
    """Frees the request's slot once its response is ready."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            if taken := getattr(request, SLOT_ATTRIBUTE, None):
                slots_for(settings.REDIS_URL).release(*taken)
