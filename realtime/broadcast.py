"""The event subscriber that fans committed events out to websockets, through the channel layer."""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from events.bus import Event
from events.catalogue import Audience
from realtime.public_views import public_view_payloads
from workspaces.models import WorkspaceUser

# Events after which their recipients lose the workspace's pages (see `CoreConsumer`).
REMOVALS = {"group_user_deleted", "group_deleted"}


def table_group(table_id: int) -> str:
    return f"table-{table_id}"


def row_group(table_id: int, row_id: int) -> str:
    return f"table-{table_id}-row-{row_id}"


def view_group(view_id: int) -> str:
    return f"view-{view_id}"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def _user_ids(event: Event) -> set[int]:
    if event.audience == Audience.WORKSPACE:
        members = WorkspaceUser.objects.filter(workspace_id=event.workspace_id)
        return {*members.values_list("user_id", flat=True), *event.recipients}
    if event.audience == Audience.COWORKERS:
        shared = WorkspaceUser.objects.filter(
            workspace__memberships__user_id=event.user_id
        ).values_list("user_id", flat=True)
        return {event.user_id, *shared}
    return set(event.recipients)


def groups_of(event: Event) -> list[str]:
    """The channel layer groups an event goes to."""
    if event.audience == Audience.TABLE:
        return [table_group(event.table_id)]
    return [user_group(user_id) for user_id in sorted(_user_ids(event))]


async def _send(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    for group, message in messages:
        await layer.group_send(group, message)


def broadcast(event: Event) -> None:
    """Send the event's payload to its audience's sockets (the sender's own socket skips it),
    and what public views of the table may show of it to their pages."""

    def message(payload: dict) -> dict:
        # Encoded once here, not once per socket (the in-memory layer also copies each message
        # it queues, which costs nothing for a string).
        text = json.dumps(payload)
        return {"type": "event.message", "text": text, "ignore": event.websocket_id}

    messages = [(group, message(event.payload)) for group in groups_of(event)]
    for view_id, payload in public_view_payloads(event):
        messages.append((view_group(view_id), message(payload)))
    if event.type in REMOVALS:
        removed = {"type": "workspace.left", "workspace_id": event.workspace_id}
        messages += [(user_group(user_id), removed) for user_id in event.recipients]
    async_to_sync(_send)(messages)
