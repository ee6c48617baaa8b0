"""`/ws/core/`: one socket per client; it authenticates, then subscribes to pages."""

import asyncio
import json
import uuid
from collections import deque
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from realtime.broadcast import user_group
from realtime.hub import local_hub
from realtime.pages import PAGES, Page, authenticated_user

# Events a socket may have waiting to be written; a client that falls further behind is
# disconnected (it reconnects and reloads) rather than holding the server's memory.
MAX_WAITING = 1000
TRY_AGAIN_LATER = 1013


class CoreConsumer(AsyncJsonWebsocketConsumer):
    """The core websocket: authentication message, pages, and the events of those pages.

    Events do not come through a channel of the socket's own: the process's hub hands their
    text to `deliver`, and the socket's writer sends it.
    """

    channel_layer_alias = "no channel per socket"  # not a configured layer: none is made

    async def connect(self) -> None:
        self.hub = local_hub()
        self.user = None
        self.pages: dict[str, Page] = {}  # by group
        self.outbox: deque[str] = deque()
        self.wakeup: asyncio.Future | None = None
        self.writer: asyncio.Task | None = None  # started once the socket is authenticated
        await self.accept()
        token = parse_qs(self.scope.get("query_string", b"").decode()).get("jwt_token", [""])[0]
        if token == "anonymous":
            success = True
        else:
            self.user = await database_sync_to_async(authenticated_user)(token)
            success = self.user is not None
        self.web_socket_id = str(uuid.uuid4()) if success else None
        if self.user is not None:
            await self.hub.join(user_group(self.user.id), self)
        await self.send_json(
            {"type": "authentication", "success": success, "web_socket_id": self.web_socket_id}
        )
        self.writer = asyncio.get_running_loop().create_task(self._write())

    async def disconnect(self, code: int) -> None:
        if getattr(self, "hub", None) is None:
            return
        if self.user is not None:
            self.hub.leave(user_group(self.user.id), self)
        for group in list(self.pages):
            self.hub.leave(group, self)
        if self.writer is not None:
            self.writer.cancel()

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return json.loads(text_data)
        except ValueError:
            return None  # not JSON: ignored like any message the socket does not understand

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or self.web_socket_id is None:
            return
        if "page" in content:
            await self._add_page(content["page"], content)
        elif "remove_page" in content:
            await self._remove_page(content["remove_page"], content)

    async def _add_page(self, name: Any, content: dict) -> None:
        page_type = PAGES.get(name) if isinstance(name, str) else None
        if page_type is None:
            return
        # A page the user may not see is ignored, without an answer.
        page = await database_sync_to_async(page_type.resolve)(self.user, content)
        if page is None:
            return
        if page.group not in self.pages:
            await self.hub.join(page.group, self)
            self.pages[page.group] = page
        await self.send_json({"type": "page_add", "page": name, "parameters": page.parameters})

    async def _remove_page(self, name: Any, content: dict) -> None:
        page_type = PAGES.get(name) if isinstance(name, str) else None
        if page_type is None:
            return
        parameters = page_type.parameters_of(content)
        for group, page in list(self.pages.items()):
            if page.name == name and page.parameters == parameters:
                self.hub.leave(group, self)
                del self.pages[group]
        await self.send_json({"type": "page_discard", "page": name, "parameters": parameters})

    def deliver(self, text: str) -> None:
        """Queue an event's text for this socket (the hub calls it on the socket's loop)."""
        if self.writer is not None and self.writer.done():
            return  # closed
        if len(self.outbox) >= MAX_WAITING and self.writer is not None:
            self.writer.cancel()
            self.outbox.clear()
            asyncio.get_running_loop().create_task(self.close(code=TRY_AGAIN_LATER))
            return
        self.outbox.append(text)
        if self.wakeup is not None and not self.wakeup.done():
            self.wakeup.set_result(None)

    def leave_workspace(self, workspace_id: int) -> None:
        """The user is no longer a member: its pages of that workspace stop."""
        for group, page in list(self.pages.items()):
            if page.workspace_id == workspace_id:
                self.hub.leave(group, self)
                del self.pages[group]

    async def _write(self) -> None:
        """Send queued events in order; one task per socket, asleep while there are none."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                while self.outbox:
                    text = self.outbox.popleft()
                    await self.base_send({"type": "websocket.send", "text": text})
                self.wakeup = loop.create_future()
                await self.wakeup
        except OSError:
            pass  # the client went away (the server's ClientDisconnected is an OSError)
