"""Attempts that a growing-delay throttle is known to refuse, refused before the app runs.

A login flood sends hundreds of attempts a second that the throttles refuse; through the whole
app each costs a thread, the request signals, URL resolution, DRF and a Redis round trip, CPU
that other tenants' requests wait for. Each process remembers the blocks its throttles met
(`KnownBlocks`: scope, identity and until when, as the shared cache holds them; a block only
grows there, so this never refuses what the shared cache would allow). While one lasts, an
attempt from that client or for that account is answered in the event loop: the same 429 body
with `Retry-After`, passed through the same middleware (CORS, security headers) by a Django
handler whose view is the refusal. An attempt refused here counts nowhere, as one refused by
the throttles does not.

The refusal is answered after `THROTTLE_REFUSAL_DELAY` seconds (1; never past the block's
end): a client that sends its next attempt when it has the answer to the last one (a
password-guessing loop) makes one attempt a second per connection, not hundreds, while the
wait costs the server a sleeping coroutine. At most `THROTTLE_REFUSALS_HELD` refusals wait
at once per process; past that they are answered at once.
"""

import asyncio
import io
import json
import threading
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions as drf_exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

# Bodies of the gated requests (an email and a password) are small; a larger one goes on.
BODY_LIMIT = 64 * 1024
KNOWN_BLOCKS_LIMIT = 100_000


class KnownBlocks:
    """This process's copy of the blocks its throttles met: (scope, identity) -> until."""

    def __init__(self) -> None:
        self._until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def note(self, scope: str, identity: str, until: float) -> None:
        with self._lock:
            if len(self._until) >= KNOWN_BLOCKS_LIMIT:
                now = time.time()
                self._until = {key: t for key, t in self._until.items() if t > now}
                if len(self._until) >= KNOWN_BLOCKS_LIMIT:
                    return  # a flood of identities: the throttles still refuse them
            self._until[(scope, identity)] = max(until, self._until.get((scope, identity), 0))

    def wait(self, scope: str, identity: str | None) -> float:
        """Seconds the identity is still known to be blocked for in the scope (0: not)."""
        if identity is None:
            return 0.0
        until = self._until.get((scope, identity))
        if until is None:
            return 0.0
        if (left := until - time.time()) <= 0:
            self._until.pop((scope, identity), None)  # ended: forgotten
            return 0.0
        return left

    def __bool__(self) -> bool:
        return bool(self._until)

    def clear(self) -> None:
        with self._lock:
            self._until.clear()


known_blocks = KnownBlocks()


class _Attempt:
    """What a throttle's `identity` reads of a request, built from the ASGI scope: the client's
    address (`META`, `headers`) and the JSON body (`data`)."""

    def __init__(self, scope: Scope) -> None:
        self.META: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        if client := scope.get("client"):
            self.META["REMOTE_ADDR"] = client[0]
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":  # repeated headers joined as Django joins them
                text = value.decode("latin-1")
                before = self.headers.get("x-forwarded-for")
                self.headers["x-forwarded-for"] = text if before is None else f"{before},{text}"
        if "x-forwarded-for" in self.headers:
            self.META["HTTP_X_FORWARDED_FOR"] = self.headers["x-forwarded-for"]
        self.data: Any = None


@lru_cache(maxsize=512)
def gated_view(path: str) -> tuple[type | None, tuple]:
    """The view class at `path` and its growing-delay throttles (none: not gated)."""
    from api.throttling import GrowingDelayThrottle

    try:
        match = resolve(path)
    except Resolver404:
        return None, ()
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    throttles = getattr(view_class, "throttle_classes", ())
    return view_class, tuple(t for t in throttles if issubclass(t, GrowingDelayThrottle))


def _longest_wait(throttles: tuple, attempt: _Attempt) -> float:
    return max((known_blocks.wait(t.scope, t().identity(attempt)) for t in throttles), default=0.0)


async def _read_body(receive: Receive) -> tuple[bytes | None, list[dict]]:
    """The body (None past BODY_LIMIT) and the messages read, to give the app again."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None, messages
        size += len(message.get("body", b""))
        if size > BODY_LIMIT:
            return None, messages
        if not message.get("more_body"):
            return b"".join(m.get("body", b"") for m in messages), messages


def _replaying(messages: list[dict], receive: Receive) -> Receive:
    async def replay() -> dict:
        return messages.pop(0) if messages else await receive()

    return replay


class _RefusalHandler(BaseHandler):
    """Django's middleware around a view that answers the request's prepared refusal."""

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)

    def _get_response(self, request: HttpRequest) -> HttpResponse:
        return request.prepared_refusal


@lru_cache(maxsize=1)
def _refusal_handler() -> _RefusalHandler:
    return _RefusalHandler()


def refusal(view_class: type, wait: float) -> HttpResponse:
    """What the view answers when its throttles refuse an attempt for `wait` seconds: the API's
    exception handler's 429, rendered as DRF renders it, with the view's own headers."""
    response = api_settings.EXCEPTION_HANDLER(drf_exceptions.Throttled(wait), {})
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = JSONRenderer.media_type
    response.renderer_context = {}
    for name, value in view_class().default_response_headers.items():
        response[name] = value
    return response.render()


_held = 0


async def _hold(wait: float) -> float:
    """Wait before refusing (see above); the seconds the block has left then."""
    global _held
    delay = min(wait, settings.THROTTLE_REFUSAL_DELAY)
    if delay <= 0 or _held >= settings.THROTTLE_REFUSALS_HELD:
        return wait
    _held += 1  # (one event loop per process: no lock needed)
    try:
        await asyncio.sleep(delay)
    finally:
        _held -= 1
    return wait - delay


async def _refuse(scope: Scope, body: bytes, view_class: type, wait: float, send: Send) -> None:
    request = ASGIRequest(scope, io.BytesIO(body))
    request.prepared_refusal = refusal(view_class, wait)
    response = _refusal_handler().get_response(request)
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": [
                *((name.encode("latin-1"), str(value).encode("latin-1")) for name, value in
                  response.items()),
                *((b"Set-Cookie", c.output(header="").encode("ascii").strip())
                  for c in response.cookies.values()),
            ],
        }
    )  # fmt: skip
    await send({"type": "http.response.body", "body": response.content})


def throttle_gate(application: Callable) -> Callable:
    """`application`, with the attempts known to be refused answered before it runs."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not known_blocks:
            return await application(scope, receive, send)
        view_class, throttles = gated_view(scope["path"])
        if not throttles:
            return await application(scope, receive, send)
        attempt = _Attempt(scope)
        wait = _longest_wait(throttles, attempt)  # by address: the body isn't needed
        body, messages = b"", []
        if not wait:
            body, messages = await _read_body(receive)
            if body is not None and (data := _json(body)) is not None:
                attempt.data = data
                wait = _longest_wait(throttles, attempt)
        if wait and (wait := await _hold(wait)) > 0:
            return await _refuse(scope, body or b"", view_class, wait, send)
        # Not known to be blocked, or no longer: the app decides, with the body as it came.
        return await application(scope, _replaying(messages, receive), send)

    return app


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None
