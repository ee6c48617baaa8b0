"""The full health check: which of the services the app needs answer."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection

WORKING = "working"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"unavailable: {exc.__class__.__name__}"
    return WORKING


def check_cache() -> str:
    """Write, read and delete a key (Redis when REDIS_URL is set)."""
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        read = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # every backend raises its own errors
        return f"unavailable: {exc.__class__.__name__}"
    return WORKING if read == value else "unavailable: the value written was not read back"


CHECKS = {"DatabaseBackend": check_database, "CacheBackend": check_cache}


def run_checks() -> dict[str, str]:
    """Each check's name and result ("working", or "unavailable: ..." with the reason)."""
    return {name: check() for name, check in CHECKS.items()}
