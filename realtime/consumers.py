"""`/ws/core/`: one socket per client; it authenticates, then subscribes to pages."""

import json
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from realtime.broadcast import user_group
from realtime.pages import PAGES, Page, authenticated_user


class CoreConsumer(AsyncJsonWebsocketConsumer):
    """The core websocket: authentication message, pages, and the events of those pages."""

    async def connect(self) -> None:
        await self.accept()
        token = parse_qs(self.scope.get("query_string", b"").decode()).get("jwt_token", [""])[0]
        self.user = None
        self.pages: dict[str, Page] = {}  # by channel layer group
        if token == "anonymous":
            success = True
        else:
            self.user = await database_sync_to_async(authenticated_user)(token)
            success = self.user is not None
        self.web_socket_id = str(uuid.uuid4()) if success else None
        if self.user is not None:
            await self.channel_layer.group_add(user_group(self.user.id), self.channel_name)
        await self.send_json(
            {"type": "authentication", "success": success, "web_socket_id": self.web_socket_id}
        )

    async def disconnect(self, code: int) -> None:
        if getattr(self, "user", None) is not None:
            await self.channel_layer.group_discard(user_group(self.user.id), self.channel_name)
        for group in list(getattr(self, "pages", {})):
            await self.channel_layer.group_discard(group, self.channel_name)

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
            await self.channel_layer.group_add(page.group, self.channel_name)
            self.pages[page.group] = page
        await self.send_json({"type": "page_add", "page": name, "parameters": page.parameters})

    async def _remove_page(self, name: Any, content: dict) -> None:
        page_type = PAGES.get(name) if isinstance(name, str) else None
        if page_type is None:
            return
        parameters = page_type.parameters_of(content)
        for group, page in list(self.pages.items()):
            if page.name == name and page.parameters == parameters:
                await self.channel_layer.group_discard(group, self.channel_name)
                del self.pages[group]
        await self.send_json({"type": "page_discard", "page": name, "parameters": parameters})

    async def dispatch(self, message: dict) -> None:
        # Events touch no database: skip Channels' per-message cleanup of old database
        # connections, a hop to the sync thread for every socket of every event.
        if message["type"] == "event.message":
            await self.event_message(message)
        else:
            await super().dispatch(message)

    async def event_message(self, message: dict) -> None:
        """An event for this socket's user or one of its pages."""
        if message["ignore"] is not None and message["ignore"] == self.web_socket_id:
            return
        await self.send(text_data=message["text"])

    async def workspace_left(self, message: dict) -> None:
        """The user is no longer a member: its pages of that workspace stop."""
        for group, page in list(self.pages.items()):
            if page.workspace_id == message["workspace_id"]:
                await self.channel_layer.group_discard(group, self.channel_name)
                del self.pages[group]
