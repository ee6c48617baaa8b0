"""DRF throttles counted in Django's cache (Redis in production, so every process counts together).

Rates are `"<requests>/<seconds>"` strings in `settings.THROTTLE_RATES`, read on each request.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from api.authentication import database_token
from api.throttle_gate import known_blocks


def parse_rate(rate: str) -> tuple[int, int]:
    """`"20/300"` as (20 requests, 300 seconds)."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def client_ip(request: Request) -> str:
    """The client's address; `NUM_PROXIES` trusted proxies' `X-Forwarded-For` entries count."""
    return BaseThrottle().get_ident(request)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _count_in_window(key: str, window: int) -> int:
    """Add one to the key's counter, made with a window-long lifetime; atomic on Redis."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


class CacheThrottle(BaseThrottle):
    """A throttle keyed by scope and an identity; subclasses say who is counted."""

    scope: str

    def identity(self, request: Request) -> str | None:
        """Who is counted (None: this request is not)."""
        raise NotImplementedError

    def wait(self) -> float | None:
        return self._wait

    def rate(self) -> tuple[int, int]:
        return parse_rate(settings.THROTTLE_RATES[self.scope])


class FixedWindowThrottle(CacheThrottle):
    """At most N requests per identity in each window of S seconds."""

    def allow_request(self, request: Request, view) -> bool:
        identity = self.identity(request)
        if identity is None:
            return True
        limit, window = self.rate()
        now = time.time()
        window_start = math.floor(now / window) * window
        count = _count_in_window(f"throttle:{self.scope}:{identity}:{window_start}", window)
        self._wait = window_start + window - now
        return count <= limit


class GrowingDelayThrottle(CacheThrottle):
    """N attempts per identity within S seconds are free; each one past them makes the next
    wait twice as long as the one before (1 s, 2 s, 4 s, ...), up to THROTTLE_MAX_DELAY.

    An attempt that another growing-delay throttle of the view refuses is not counted here:
    a refused attempt counts nowhere (so the process-wide gate, api/throttle_gate.py, which
    refuses attempts it knows to be blocked before any throttle runs, counts the same)."""

    def _key(self, identity: str) -> str:
        return f"throttle:{self.scope}:{identity}"

    def blocked_for(self, identity: str) -> float:
        """Seconds the identity must still wait (0: none); remembered by this process."""
        blocked_until = cache.get(f"{self._key(identity)}:until")
        now = time.time()
        if blocked_until is None or now >= blocked_until:
            return 0.0
        known_blocks.note(self.scope, identity, blocked_until)
        return blocked_until - now

    def allow_request(self, request: Request, view) -> bool:
        identity = self.identity(request)
        if identity is None:
            return True
        waits = _blocks(request, view)
        if wait := waits.get(self.scope):
            self._wait = wait
            return False
        if waits:
            return True  # another throttle refuses it
        free, window = self.rate()
        key = self._key(identity)
        count = _count_in_window(f"{key}:n", window)
        cache.touch(f"{key}:n", window)  # the penalty lasts as long as the attempts go on
        if count > free:
            delay = min(2 ** min(count - free - 1, 30), settings.THROTTLE_MAX_DELAY)
            until = time.time() + delay
            cache.set(f"{key}:until", until, timeout=math.ceil(delay) + 1)
            known_blocks.note(self.scope, identity, until)
        return True


def _blocks(request: Request, view) -> dict[str, float]:
    """The request's waits in each growing-delay scope of the view that blocks it, read once
    before any of them counts the attempt."""
    blocks = getattr(request, "_growing_delay_blocks", None)
    if blocks is None:
        blocks = {}
        for throttle in view.get_throttles():
            if isinstance(throttle, GrowingDelayThrottle):
                identity = throttle.identity(request)
                if identity is not None and (wait := throttle.blocked_for(identity)):
                    blocks[throttle.scope] = wait
        request._growing_delay_blocks = blocks
    return blocks


class IPMixin:
    def identity(self, request: Request) -> str | None:
        return client_ip(request)


class AccountMixin:
    def identity(self, request: Request) -> str | None:
        """The account named in the body (`email`, or the deprecated `username`)."""
        data = request.data
        if not hasattr(data, "get"):
            return None
        email = data.get("email") or data.get("username")
        if not isinstance(email, str) or not email.strip():
            return None
        return _digest(email.strip().lower())


class LoginIPThrottle(IPMixin, GrowingDelayThrottle):
    scope = "login_ip"


class LoginAccountThrottle(AccountMixin, GrowingDelayThrottle):
    scope = "login_account"


class PasswordResetIPThrottle(IPMixin, GrowingDelayThrottle):
    scope = "password_reset_ip"


class PasswordResetAccountThrottle(AccountMixin, GrowingDelayThrottle):
    scope = "password_reset_account"


class SignupIPThrottle(IPMixin, FixedWindowThrottle):
    scope = "signup_ip"


class DatabaseTokenThrottle(FixedWindowThrottle):
    """Requests made with one database token."""

    scope = "database_token"

    def identity(self, request: Request) -> str | None:
        token = database_token(request)
        return None if token is None else str(token.id)


LOGIN_THROTTLES = (LoginIPThrottle, LoginAccountThrottle)
PASSWORD_RESET_THROTTLES = (PasswordResetIPThrottle, PasswordResetAccountThrottle)
SIGNUP_THROTTLES = (SignupIPThrottle,)
