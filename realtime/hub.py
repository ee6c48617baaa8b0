"""This process's sockets by group, fed by one channel-layer subscription per group.

A socket does not get a channel of its own: the hub of its event loop (a server process has
one) keeps which local sockets are in which group. With an in-memory layer the process is the
whole audience and an event goes straight to its sockets. With a shared layer (Redis) the hub
has one channel, added once to each group that has a local socket: an event is published once
per group and each process receives it once, decodes it once and writes the same text to each
of its sockets. Publishing never makes a request wait: committed events are handed to the
hub's loop, which publishes them in order after the request has moved on.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Protocol

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from realtime.frames import SharedText

logger = logging.getLogger(__name__)

Message = dict[str, Any]  # {"type", "group", ...}: "event.message" or "workspace.left"

# How long events committed by a request may wait for its answer to be written.
HOLD_SECONDS = 0.05


class Member(Protocol):
    """A local socket as the hub sees it (`CoreConsumer`)."""

    web_socket_id: str | None

    def deliver(self, text: str) -> None: ...

    def leave_workspace(self, workspace_id: int) -> None: ...


class Hub:
    """The sockets of one event loop, by group; runs on that loop only."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        layer = get_channel_layer()
        # In memory: no other process can hear or publish, so the layer is not used at all.
        self.layer = None if isinstance(layer, InMemoryChannelLayer) else layer
        self.members: dict[str, set[Member]] = {}
        self._subscribed: set[str] = set()
        self._subscribing = asyncio.Lock()  # one subscription change at a time, in order
        self._channel: str | None = None
        self._held: list[Message] = []
        self._hold_timer: asyncio.TimerHandle | None = None
        self._outgoing: deque[Message] = deque()
        self._publisher: asyncio.Task | None = None
        self._listener: asyncio.Task | None = None

    async def join(self, group: str, member: Member) -> None:
        """Add the socket to the group; once this returns, it hears the group's events."""
        if self.layer is not None and group not in self._subscribed:
            async with self._subscribing:
                if group not in self._subscribed:
                    await self.layer.group_add(group, await self._own_channel())
                    self._subscribed.add(group)
        self.members.setdefault(group, set()).add(member)

    def leave(self, group: str, member: Member) -> None:
        members = self.members.get(group)
        if members is None:
            return
        members.discard(member)
        if not members:
            del self.members[group]
            if self.layer is not None:
                self.loop.create_task(self._unsubscribe(group))

    def hold(self, messages: list[Message]) -> None:
        """Keep a request's committed messages until its answer is written (`flush`), so the
        answer never waits behind their delivery; they stay in commit order with all others."""
        self._held.extend(messages)
        if self._hold_timer is None:
            self._hold_timer = self.loop.call_later(HOLD_SECONDS, self.flush)

    def publish(self, messages: list[Message]) -> None:
        """Send committed messages to their groups, after any held ones."""
        self._held.extend(messages)
        self.flush()

    def flush(self) -> None:
        """Send every held message, in order."""
        if self._hold_timer is not None:
            self._hold_timer.cancel()
            self._hold_timer = None
        messages, self._held = self._held, []
        if self.layer is None:
            for message in messages:
                self.deliver(message)
            return
        self._outgoing.extend(messages)
        if self._outgoing and (self._publisher is None or self._publisher.done()):
            self._publisher = self.loop.create_task(self._publish_outgoing())

    def deliver(self, message: Message) -> None:
        """Hand one group message to the group's local sockets."""
        members = self.members.get(message["group"])
        if not members:
            return
        if message["type"] == "event.message":
            # One object for all: a server that knows `SharedText` frames it once.
            text, ignore = SharedText(message["text"]), message["ignore"]
            for member in members:
                if ignore is None or member.web_socket_id != ignore:
                    member.deliver(text)
        elif message["type"] == "workspace.left":
            for member in list(members):
                member.leave_workspace(message["workspace_id"])

    async def _own_channel(self) -> str:
        if self._channel is None:
            self._channel = await self.layer.new_channel(prefix="realtime-process.")
            self._listener = self.loop.create_task(self._listen(self._channel))
        return self._channel

    async def _listen(self, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            try:
                self.deliver(message)
            except Exception:
                logger.exception("could not deliver a %s message", message.get("type"))

    async def _unsubscribe(self, group: str) -> None:
        async with self._subscribing:
            if group in self._subscribed and group not in self.members:
                self._subscribed.discard(group)
                await self.layer.group_discard(group, self._channel)

    async def _publish_outgoing(self) -> None:
        while self._outgoing:
            message = self._outgoing.popleft()
            try:
                await self.layer.group_send(message["group"], message)
            except Exception:
                logger.exception("could not publish a %s message", message["type"])


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


class _Request:
    """An HTTP request being served by a hub's loop, and whether it committed events."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.committed = False


_request: ContextVar[_Request | None] = ContextVar("realtime_request", default=None)


def local_hub() -> Hub:
    """The hub of the running event loop (made on first use)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for stale in [other for other in _hubs if other.is_closed()]:
            del _hubs[stale]
        hub = _hubs[loop] = Hub(loop)
    return hub


def publish(messages: list[Message]) -> None:
    """Send committed messages to their groups without waiting for them (any thread).

    In a server process the hub's loop sends them: a request's own once its answer is written,
    others at once. With a shared layer one hub publishes and the layer brings them back to
    every hub, this process's included; in memory each hub has them. Elsewhere (a Celery
    worker, a management command) there is no hub: with a shared layer they are published
    before this returns.
    """
    if not messages:
        return
    request = _request.get()
    hubs = [hub for loop, hub in list(_hubs.items()) if loop.is_running()]
    if request is not None:
        request.committed = True
        _call_on_loop(request.hub, request.hub.hold, messages)
        hubs.remove(request.hub)
        shared = request.hub.layer is not None
    elif hubs:
        shared = hubs[0].layer is not None
        _call_on_loop(hubs[0], hubs[0].publish, messages)
        del hubs[0]
    else:
        layer = get_channel_layer()
        if layer is not None and not isinstance(layer, InMemoryChannelLayer):
            async_to_sync(_publish_now)(layer, messages)
        return
    if not shared:
        for hub in hubs:
            _call_on_loop(hub, hub.publish, messages)


def _call_on_loop(hub: Hub, method: Callable, messages: list[Message]) -> None:
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is hub.loop:
        method(messages)
    else:
        hub.loop.call_soon_threadsafe(method, messages)


async def _publish_now(layer: Any, messages: list[Message]) -> None:
    for message in messages:
        await layer.group_send(message["group"], message)


def with_hub(application: Callable) -> Callable:
    """Wrap the ASGI application: each serving loop has its hub from its first request on,
    and the events an HTTP request commits are sent once its answer has been written."""

    async def app(scope: dict, receive: Callable, send: Callable) -> None:
        hub = local_hub()
        if scope["type"] != "http":
            await application(scope, receive, send)
            return
        request = _Request(hub)
        token = _request.set(request)

        async def send_then_flush(message: dict) -> None:
            await send(message)
            if (
                request.committed
                and message["type"] == "http.response.body"
                and not message.get("more_body", False)
            ):
                request.committed = False
                hub.flush()

        try:
            await application(scope, receive, send_then_flush)
        finally:
            _request.reset(token)
            if request.committed:
                hub.flush()

    return app
